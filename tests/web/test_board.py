"""The live board in a real browser against a real ``claims serve``: rows, counts, live updates,
filters in the URL, a phone-sized screen, and the README screenshot."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.web.conftest import SCREENSHOTS

pytestmark = pytest.mark.slow

LIVE = 5_000  # ms: a change must show on an open board within this, without a reload


def _expect():
    return pytest.importorskip("playwright.sync_api").expect


def _row(page, slug):
    return page.locator(f'#board tbody tr[data-slug="{slug}"]')


def test_board_lists_the_seeded_claims_and_counts(open_tab, server):
    claims = server.http.get("/v1/claims?limit=200").json()["items"]
    summary = server.http.get("/v1/summary").json()

    tab = open_tab("/")

    page = tab.page
    assert len(claims) >= 9
    assert page.locator("#board tbody tr").count() == len(claims)
    for claim in claims:
        row = _row(page, claim["slug"])
        assert row.locator(".statement").inner_text() == claim["statement"]
        assert row.locator(".claimant").inner_text() == claim["claimant"]
        assert row.get_attribute("data-status") == claim["status"]
        if claim["overdue"]:
            assert row.locator(".flag-overdue").text_content() == "Overdue"
            assert "overdue" in row.locator(".relative").inner_text()
    assert page.locator('[data-count="total"] .tile-n').inner_text() == str(summary["total"])
    for status, count in summary["by_status"].items():
        assert page.locator(f'[data-count="{status}"] .tile-n').inner_text() == str(count)
    assert page.locator('[data-count="overdue"] .tile-n').inner_text() == str(summary["overdue"])
    assert page.locator('[data-count="due_soon"] .tile-n').inner_text() == str(summary["due_soon"])
    assert tab.errors == []


def test_status_change_through_the_api_appears_on_an_open_board_within_5_s(open_tab, server):
    expect = _expect()
    slug = "china-help-on-fentanyl-crisis-discussed"
    tab = open_tab("/")
    page = tab.page
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    in_progress = int(page.locator('[data-count="in_progress"] .tile-n').inner_text())
    page.evaluate("window.__notReloaded = true")

    server.set_status(slug, "reviewer", "in_progress", "Working group on fentanyl announced")

    expect(_row(page, slug).locator(".badge")).to_have_text("In progress", timeout=LIVE)
    expect(page.locator('[data-count="in_progress"] .tile-n')).to_have_text(
        str(in_progress + 1), timeout=LIVE
    )
    assert page.evaluate("window.__notReloaded") is True
    assert tab.errors == []


def test_board_keeps_keyboard_focus_across_a_live_update(open_tab, server):
    expect = _expect()
    slug = "xi-g20-visit-fall-2026"
    tab = open_tab("/")
    page = tab.page
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    link = _row(page, slug).locator("a.statement")
    link.focus()
    before = page.locator("#live").get_attribute("data-seq")

    server.http.post(
        f"/v1/claims/{server.claim(slug).json()['id']}/evidence",
        json={"url": "https://example.org/g20", "title": "G20 dates set", "stance": "context"},
        headers={**server.auth("reviewer"), "If-Match": server.claim(slug).headers["ETag"]},
    )

    expect(page.locator("#live")).not_to_have_attribute("data-seq", before, timeout=LIVE)
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"/claims/{slug}"


def test_board_falls_back_to_long_poll_without_eventsource(open_tab, server):
    expect = _expect()
    slug = "trump-expects-us-china-deal"
    tab = open_tab("/", script="delete window.EventSource;")
    page = tab.page
    expect(page.locator("#live-status")).to_contain_text("polling")
    page.evaluate("window.__notReloaded = true")

    server.set_status(slug, "reviewer", "stalled", "Talks paused after the summit")

    expect(_row(page, slug).locator(".badge")).to_have_text("Stalled", timeout=LIVE)
    assert page.evaluate("window.__notReloaded") is True
    assert not any("/v1/stream" in url for url in tab.requests)
    assert tab.errors == []


def test_filter_narrows_the_list_and_survives_a_reload(open_tab, server):
    expect = _expect()
    expected = server.http.get("/v1/claims", params={"claimant": "Donald Trump"}).json()["items"]
    tab = open_tab("/")
    page = tab.page
    everything = page.locator("#board tbody tr").count()

    page.get_by_label("Claimant").fill("Donald Trump")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/?*claimant=Donald+Trump*")
    filtered = page.locator("#board tbody tr").count()
    page.reload()

    assert 0 < len(expected) < everything
    assert filtered == len(expected)
    assert parse_qs(urlparse(page.url).query)["claimant"] == ["Donald Trump"]
    expect(page.get_by_label("Claimant")).to_have_value("Donald Trump")
    expect(page.locator("#board tbody tr")).to_have_count(len(expected))
    assert {r.get_attribute("data-slug") for r in page.locator("#board tbody tr").all()} == {
        c["slug"] for c in expected
    }
    assert page.locator('[data-count="total"] .tile-n').inner_text() == str(len(expected))


def test_status_filter_and_text_search_combine(open_tab, server):
    expected = server.http.get("/v1/claims", params={"status": "open", "q": "Xi"}).json()["items"]
    tab = open_tab("/")
    page = tab.page

    page.get_by_label("Status").select_option("open")
    page.get_by_label("Search").fill("Xi")
    page.get_by_label("Search").press("Enter")
    page.wait_for_url("**/?*q=Xi*")

    assert parse_qs(urlparse(page.url).query)["status"] == ["open"]
    assert page.locator("#board tbody tr").count() == len(expected)


def test_board_reads_on_a_phone_without_sideways_scrolling(open_tab):
    tab = open_tab("/", width=390, height=844)

    overflow = tab.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )

    assert overflow <= 0
    assert tab.page.locator("#board tbody tr").first.is_visible()


def test_board_loads_nothing_from_other_hosts_and_labels_every_field(open_tab, server):
    tab = open_tab("/")

    unlabelled = tab.page.evaluate(
        """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
             .filter(el => el.labels.length === 0).map(el => el.name)"""
    )

    assert unlabelled == []
    assert all(url.startswith(server.url) or url.startswith("data:") for url in tab.requests)


def test_board_screenshot_for_the_readme(open_tab, server):
    """Give a few seed claims verdicts (illustrative) and photograph the board."""
    evidence = {"url": "https://example.org/report", "title": "A report", "stance": "supports"}
    for slug, status in (
        ("us-100-percent-tariffs-nov-1-averted", "fulfilled"),
        ("china-soybean-agriculture-purchases-discussed", "partially_fulfilled"),
    ):
        if server.claim(slug).json()["status"] == "pending":
            server.set_status(
                slug, "editor", status, "Illustrative verdict for the screenshot",
                evidence=[evidence],
            )  # fmt: skip
    tab = open_tab("/", width=1440, height=900)
    page = tab.page
    _expect()(page.locator("#live-status")).to_have_attribute("data-state", "live")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.screenshot(path=str(SCREENSHOTS / "board.png"), full_page=True)

    assert (SCREENSHOTS / "board.png").stat().st_size > 10_000
