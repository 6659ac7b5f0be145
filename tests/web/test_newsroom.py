"""Claimant, topic and story pages in a real browser against a real ``claims serve``: reached
from the board and a claim's page, scorecards, live updates, axe-core at desktop and phone sizes.

Each test makes its own claims (claimants and topics no other test uses), so the shared
server's seed claims are left to the other tests.
"""

from __future__ import annotations

import contextlib
import http.server
import itertools
import threading
from collections.abc import Iterator

import pytest

from tests.web.conftest import SCREENSHOTS, axe_violations

pytestmark = pytest.mark.slow

LIVE = 5_000  # ms
EVIDENCE = {"url": "https://example.org/report", "title": "Report", "stance": "supports"}
_n = itertools.count(1)


def _expect():
    return pytest.importorskip("playwright.sync_api").expect


def _make(server, **fields) -> dict:
    n = next(_n)
    body = {
        "statement": f"Newsroom test claim {n} comes true",
        "claimant": "Amina Test-Claimant",
        "stated_on": "2025-10-26",
        "due_by": "2030-12-31",
        "topics": ["newsroom-test"],
        **fields,
    }
    response = server.http.post("/v1/claims", json=body, headers=server.auth("reviewer"))
    assert response.status_code == 201, response.text
    return response.json()


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_claimant_page_from_the_board_shows_a_scorecard_that_updates_live(open_tab, server):
    expect = _expect()
    claims = [_make(server, claimant="Kwame Scorecard") for _ in range(5)]
    tab = open_tab("/?claimant=Kwame+Scorecard")
    page = tab.page

    page.locator(f'tr[data-slug="{claims[0]["slug"]}"] a.claimant').click()
    page.wait_for_url("**/claimants/kwame-scorecard")
    expect(page.locator("h1")).to_have_text("Kwame Scorecard")
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    assert page.locator('[data-count="pending"] .tile-n').inner_text() == "5"
    assert "a share kept is shown from 5 on" in page.locator(".score-share").inner_text()
    assert axe_violations(page) == []
    for claim, status in zip(
        claims, ["fulfilled"] * 3 + ["broken", "partially_fulfilled"], strict=True
    ):
        server.set_status(claim["slug"], "editor", status, "decided", evidence=[EVIDENCE])

    expect(page.locator(".score-share")).to_have_attribute("data-share-kept", "60", timeout=LIVE)
    expect(page.locator(".score-share")).to_contain_text("60% kept, 20% partly kept")
    assert page.locator('[data-count="fulfilled"] .tile-n').inner_text() == "3"
    assert tab.errors == []


def test_claim_page_links_to_claimant_topic_and_story_pages(open_tab, server):
    expect = _expect()
    source = server.http.post(
        "/v1/sources",
        json={"title": "Story of the links", "text": "Para one.\n\nPara two."},
        headers=server.auth("reviewer"),
    ).json()
    claim = _make(server, claimant="Lin Linkage", topics=["link-test"], source_id=source["id"])
    tab = open_tab(f"/claims/{claim['slug']}")
    page = tab.page

    page.get_by_role("link", name="Lin Linkage").click()
    expect(page.locator("h1")).to_have_text("Lin Linkage")
    page.go_back()
    page.locator(".topics").get_by_role("link", name="link test").click()
    expect(page.locator("h1")).to_have_text("Topic: link test")
    assert page.locator("tbody tr").count() == 1
    page.go_back()
    page.get_by_role("link", name="All claims of this story").click()
    expect(page.locator("h1")).to_have_text("Story of the links")
    assert tab.errors == []


def test_story_page_shows_its_claims_and_a_new_update_live(open_tab, server):
    expect = _expect()
    source = server.http.post(
        "/v1/sources",
        json={
            "title": "Ministers agree a framework",
            "publisher": "Test Wire",
            "published_on": "2025-10-26",
            "url": "https://example.org/framework",
            "text": "Ministers met on Sunday.\n\nThey said a deal could come next year.",
        },
        headers=server.auth("reviewer"),
    ).json()
    claims = [_make(server, source_id=source["id"], claimant="Story Person") for _ in range(2)]
    tab = open_tab(f"/sources/{source['id']}")
    page = tab.page
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    assert page.locator("tbody tr").count() == 2
    expect(page.locator(".article-text p")).to_have_count(2)
    expect(page.locator(".updates")).to_contain_text("No status has changed yet")

    server.set_status(claims[1]["slug"], "reviewer", "in_progress", "Talks scheduled for March")

    expect(page.locator(".updates .event")).to_have_count(1, timeout=LIVE)
    expect(page.locator(".updates .event")).to_contain_text("Talks scheduled for March")
    row = page.locator(f'tr[data-slug="{claims[1]["slug"]}"]')
    expect(row.locator(".badge")).to_have_text("In progress")
    assert axe_violations(page) == []
    assert tab.errors == []


@pytest.mark.parametrize("width", [1440, 390])
def test_group_and_story_pages_pass_axe_and_fit_a_phone(open_tab, server, width):
    source = server.http.post(
        "/v1/sources", json={"title": "Axe story", "text": "Text."}, headers=server.auth("reviewer")
    ).json()
    claim = _make(server, claimant="Axe Person", topics=["axe-topic"], source_id=source["id"])
    server.set_status(claim["slug"], "reviewer", "stalled", "No talks")

    for path in ("/claimants/axe-person", "/topics/axe-topic", f"/sources/{source['id']}"):
        tab = open_tab(path, width=width, height=900)

        assert axe_violations(tab.page) == [], path
        assert _no_sideways_scroll(tab.page), path
        assert tab.errors == [], path


def _review_row(page, key, slug):
    return page.locator(f'#review-{key} tr[data-slug="{slug}"]')


def test_review_queue_updates_live_and_leads_to_the_status_form(open_tab, server):
    expect = _expect()
    late = _make(server, claimant="Rita Review", stated_on="2020-01-01", due_by="2020-01-02")
    tab = open_tab("/review")
    page = tab.page
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    expect(_review_row(page, "overdue", late["slug"])).to_have_count(1)
    page.evaluate("window.__notReloaded = true")

    older = _make(server, claimant="Rita Review", stated_on="2019-01-01", due_by="2019-06-01")
    server.set_status(late["slug"], "editor", "broken", "It did not happen", evidence=[EVIDENCE])

    expect(_review_row(page, "overdue", older["slug"])).to_have_count(1, timeout=LIVE)
    expect(_review_row(page, "overdue", late["slug"])).to_have_count(0, timeout=LIVE)
    assert page.evaluate("window.__notReloaded") is True
    # Oldest deadline first: 2019-06-01 comes before every seed claim's deadline.
    top = page.locator("#review-overdue tbody tr").first
    assert top.get_attribute("data-slug") == older["slug"]
    link = _review_row(page, "overdue", older["slug"]).get_by_role("link", name="Update status")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/claims/{older['slug']}#desk")
    page.get_by_label("Token").fill(server.token("editor"))
    page.get_by_label("Token").press("Enter")
    expect(page.locator("#status-form")).to_be_visible()
    assert tab.errors == []


@pytest.mark.parametrize("width", [1440, 390])
def test_review_queue_passes_axe_and_fits_a_phone(open_tab, server, width):
    _make(server, claimant="Rita Review", stated_on="2020-01-01", due_by="2020-01-03")
    tab = open_tab("/review", width=width, height=1000)

    assert axe_violations(tab.page) == []
    assert _no_sideways_scroll(tab.page)
    if width == 1440:
        tab.page.screenshot(path=str(SCREENSHOTS / "review.png"))
    assert tab.errors == []


@contextlib.contextmanager
def _news_site(body: str) -> Iterator[str]:
    """Serve ``body`` from another origin (127.0.0.1, another port): a newsroom's article."""

    class Article(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Article)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}"
    finally:
        site.shutdown()
        site.server_close()


def test_card_framed_by_another_origin_updates_after_a_status_change(open_tab, server):
    expect = _expect()
    claim = _make(server, claimant="Embed Person", due_by="2099-01-01")
    card = f"{server.url}/claims/{claim['slug']}/embed?refresh=1"
    article = (
        "<!doctype html><html lang='en'><head><title>A news site</title></head><body>"
        "<main><h1>Our story</h1>"
        f"<iframe src='{card}' width='400' height='220' title='Claim card'></iframe>"
        "</main></body></html>"
    )
    with _news_site(article) as site:
        tab = open_tab(f"{site}/story")
        page = tab.page
        frame = page.frame_locator("iframe")
        expect(frame.locator(".card-status .badge")).to_have_text("Pending")
        expect(frame.locator(".card-statement")).to_have_text(claim["statement"])

        server.set_status(claim["slug"], "reviewer", "in_progress", "Talks began")

        expect(frame.locator(".card-status .badge")).to_have_text("In progress", timeout=LIVE)
        inner = next(f for f in page.frames if f.url.startswith(server.url))
        assert inner.evaluate("window.location.origin") == server.url
        assert page.evaluate("window.location.origin") == site
        assert axe_violations(inner) == []
        assert tab.errors == []
