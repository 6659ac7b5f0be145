"""Intake of a story in a real browser against a real ``claims serve``: paste the seed
article, accept three proposals (one edited), find them on the board and in the review queue;
a second intake of the same story marks them as already in the tracker."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.conftest import REPO, SCREENSHOTS, axe_violations

pytestmark = pytest.mark.slow

ARTICLE = REPO / "seeds" / "2025-10-26-us-china-trade-framework.txt"
TITLE = "Intake test: the trade framework story"
URL = "https://example.org/intake-test/framework"


def _expect():
    return pytest.importorskip("playwright.sync_api").expect


def _paste(page, text: str) -> None:
    page.get_by_label("Article text").fill(text)
    page.get_by_label("Published on (required)").fill("2025-10-26")
    page.get_by_label("Title (default: the first line)").fill(TITLE)
    page.get_by_label("URL (optional)").fill(URL)
    page.get_by_role("button", name="Find the claims").click()


def test_intake_accepts_three_proposals_one_edited_and_marks_them_next_time(open_tab, server):
    expect = _expect()
    text = Path(ARTICLE).read_text(encoding="utf-8")
    tab = open_tab("/intake", width=1440, height=1000)
    page = tab.page
    page.get_by_label("Token").fill(server.token("reviewer"))
    page.get_by_label("Token").press("Enter")
    _paste(page, text)

    cards = page.locator(".proposal-card")
    expect(cards.first).to_be_visible()
    open_cards = page.locator('.proposal-card:not([data-state="held"])')
    assert open_cards.count() >= 3
    assert page.locator("#article-text mark").count() >= 3
    assert axe_violations(page) == []
    picked = [open_cards.nth(i) for i in range(3)]
    statement = picked[0].get_by_label("Statement")
    statement.fill("Edited at intake: " + statement.input_value())
    picked[0].get_by_role("button", name="Accept").dblclick()  # one claim, not two
    for card in picked[1:]:
        card.get_by_role("button", name="Accept").click()
    for card in picked:
        expect(card).to_have_attribute("data-state", "accepted")
    page.evaluate("document.getElementById('intake-result').scrollIntoView()")
    page.screenshot(path=str(SCREENSHOTS / "intake.png"))

    source = next(s for s in server.http.get("/v1/sources").json()["items"] if s.get("url") == URL)
    made = server.http.get("/v1/claims", params={"source": source["id"]}).json()["items"]
    assert len(made) == 3
    assert source["text"] == text
    assert sum(c["statement"].startswith("Edited at intake: ") for c in made) == 1
    assert {c["status"] for c in made} == {"pending"}
    board = open_tab(f"/?source={source['id']}").page
    expect(board.locator("#board tbody tr")).to_have_count(3)
    review = open_tab("/review").page
    for claim in made:
        if claim["overdue"] or claim["due_soon"]:
            assert review.locator(f'tr[data-slug="{claim["slug"]}"]').count() == 1

    page.reload()
    _paste(page, text)
    held = page.locator('.proposal-card[data-state="held"]')
    expect(held.first).to_be_visible()
    assert held.count() >= 3
    assert tab.errors == []


def test_intake_on_a_phone_passes_axe_and_does_not_scroll_sideways(open_tab, server):
    expect = _expect()
    tab = open_tab("/intake", width=390, height=844)
    page = tab.page
    page.get_by_label("Token").fill(server.token("reviewer"))
    page.get_by_label("Token").press("Enter")
    page.get_by_label("Article text").fill(
        "Minister says the bridge will open by June 2026.\\n\\n"
        'The minister said: "We will open the bridge by June 2026."'
    )
    page.get_by_label("Published on (required)").fill("2026-01-10")
    page.get_by_role("button", name="Find the claims").click()
    expect(page.locator("#intake-message")).not_to_have_text("Reading the story…")

    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert tab.errors == []
