"""The board on a wall screen and on a phone, and its count of matching claims, in a real
browser against a real ``claims serve``."""

from __future__ import annotations

import pytest

from tests.web.conftest import axe_violations

pytestmark = pytest.mark.slow


def _expect():
    return pytest.importorskip("playwright.sync_api").expect


def _rows_above_the_fold(page) -> int:
    return page.evaluate(
        """[...document.querySelectorAll('#board tbody tr')]
             .filter(r => !r.hidden && r.getBoundingClientRect().bottom <= window.innerHeight)
             .length"""
    )


def test_wall_screen_has_no_filters_large_type_open_claims_first_and_turns_pages(open_tab, server):
    expect = _expect()
    for n in range(12):  # more claims than one screen holds
        body = {"statement": f"Wall claim {n} happens", "claimant": "Wall Person"}
        assert server.http.post("/v1/claims", json=body, headers=server.auth("reviewer")).is_success
    tab = open_tab("/?screen=wall", width=1400, height=1000, clock=True)
    page = tab.page
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    statuses = [r.get_attribute("data-status") for r in page.locator("#board tbody tr").all()]
    verdicts = {"fulfilled", "partially_fulfilled", "broken", "void"}
    first_verdict = next((i for i, s in enumerate(statuses) if s in verdicts), len(statuses))

    assert page.locator("form.filters").count() == 0
    assert all(s in verdicts for s in statuses[first_verdict:])  # open claims first
    assert _rows_above_the_fold(page) >= 6
    pages = int(page.locator("#live").get_attribute("data-wall-pages"))
    visible = page.locator("#board tbody tr:not([hidden])")
    first_page = [r.get_attribute("data-slug") for r in visible.all()]
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")
    assert pages > 1
    expect(page.locator("#wall-page")).to_have_text(f"Page 1 of {pages}")
    page.clock.fast_forward(15_000)  # the page turns every 15 s
    expect(page.locator("#live")).to_have_attribute("data-wall-page", "2")
    assert [r.get_attribute("data-slug") for r in visible.all()] != first_page
    assert axe_violations(page) == []
    assert tab.errors == []


def test_phone_board_shows_claims_first_with_the_filters_folded(open_tab):
    expect = _expect()
    tab = open_tab("/", width=390, height=844)
    page = tab.page

    expect(page.locator("form.filters")).to_be_hidden()
    assert _rows_above_the_fold(page) >= 1
    page.get_by_text("Filters", exact=True).click()
    expect(page.get_by_label("Claimant")).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_board_counts_what_the_filters_match(open_tab, server):
    total = server.http.get("/v1/summary", params={"status": "open"}).json()["total"]
    tab = open_tab("/?status=open&limit=2")

    caption = tab.page.locator("#board caption")

    assert tab.page.locator("[data-matching]").get_attribute("data-matching") == str(total)
    assert f"2 of {total} claims matching the filters" in caption.inner_text()
    assert axe_violations(tab.page) == []
