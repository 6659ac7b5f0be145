"""Keyboard-only use of every form, in a real browser: each control is reached with Tab alone,
and the edit, status, note and intake flows complete without a click."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.conftest import REPO, sign_in

pytestmark = pytest.mark.slow

ARTICLE = REPO / "seeds" / "2025-10-26-us-china-trade-framework.txt"

# Marks every visible, enabled control inside a form with its index; a radio group counts once
# (Tab enters it once; arrow keys move within it).
_MARK = """() => {
  const seen = new Set();
  const controls = [...document.querySelectorAll(
      'form input, form select, form textarea, form button')].filter((el) =>
    !el.disabled && el.type !== 'hidden' && el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== 'hidden');
  const keys = [];
  controls.forEach((el, i) => {
    const key = el.type === 'radio' ? 'radio:' + el.name : 'control:' + i;
    el.dataset.kbd = key;
    if (!seen.has(key)) { seen.add(key); keys.push(key); }
  });
  return keys;
}"""
_FOCUSED = "() => document.activeElement ? (document.activeElement.dataset.kbd || '') : ''"
_DESCRIBE = '(key) => { const el = document.querySelector(`[data-kbd="${key}"]`);'
_DESCRIBE += " return el.outerHTML.slice(0, 120); }"


def _unreached_by_tab(page) -> list[str]:
    """Press Tab from the top of the page; return the form controls it never focused."""
    # Start where a fresh page starts: before everything (a blur would leave the browser's
    # sequential-focus starting point where the last focus was).
    page.evaluate(
        """() => { const start = document.createElement('span'); start.tabIndex = -1;
        start.id = 'kbd-start'; document.body.prepend(start); start.focus(); }"""
    )
    wanted = page.evaluate(_MARK)
    assert wanted, "no form control on the page"
    reached: set[str] = set()
    # Date inputs take several Tabs (day, month, year): allow plenty, stop once all are seen.
    for _ in range(len(wanted) * 4 + 60):
        page.keyboard.press("Tab")
        reached.add(page.evaluate(_FOCUSED))
        if reached.issuperset(wanted):
            break
    return [page.evaluate(_DESCRIBE, key) for key in wanted if key not in reached]


def _claim(server, statement: str) -> str:
    body = {"statement": statement, "claimant": "Keyboard Minister", "stated_on": "2026-01-02",
            "due_by": "2026-12-31", "topics": ["keyboard"]}  # fmt: skip
    response = server.http.post("/v1/claims", json=body, headers=server.auth("reviewer"))
    assert response.status_code == 201, response.text
    return response.json()["slug"]


def test_every_board_filter_is_reached_by_tab(open_tab):
    tab = open_tab("/")

    assert _unreached_by_tab(tab.page) == []


@pytest.mark.parametrize("path", ["/claims/new", "/claims/{slug}/edit"])
def test_every_claim_form_control_is_reached_by_tab(open_tab, server, path):
    slug = _claim(server, "Keyboard reaches every field of the form")
    tab = open_tab(path.format(slug=slug))
    sign_in_field = tab.page.get_by_label("Token")
    sign_in_field.fill(server.token("reviewer"))
    sign_in_field.press("Enter")
    tab.page.locator("#claim-form").wait_for(state="visible")

    assert _unreached_by_tab(tab.page) == []
    assert tab.errors == []


def test_every_control_of_the_claim_page_signed_in_is_reached_by_tab(open_tab, server):
    slug = _claim(server, "Keyboard reaches the status, evidence and team forms")
    tab = open_tab(f"/claims/{slug}")
    sign_in(tab.page, server.token("editor"))

    assert _unreached_by_tab(tab.page) == []
    assert tab.errors == []


def test_every_intake_control_and_card_is_reached_by_tab(open_tab, server):
    tab = open_tab("/intake")
    page = tab.page
    page.get_by_label("Token").fill(server.token("reviewer"))
    page.get_by_label("Token").press("Enter")
    page.get_by_label("Article text").fill(Path(ARTICLE).read_text(encoding="utf-8"))
    page.get_by_label("Published on (required)").fill("2025-10-26")
    page.get_by_role("button", name="Find the claims").press("Enter")
    page.locator(".proposal-card").first.wait_for(state="visible")

    assert _unreached_by_tab(page) == []
    assert tab.errors == []


def test_an_edit_is_made_with_the_keyboard_alone(open_tab, server):
    slug = _claim(server, "Keyboard edit of a claim")
    tab = open_tab(f"/claims/{slug}/edit")
    page = tab.page
    page.get_by_label("Token").fill(server.token("reviewer"))
    page.get_by_label("Token").press("Enter")
    page.locator("#claim-form").wait_for(state="visible")
    page.get_by_label("Claimant's role").focus()
    page.keyboard.type("Minister of Keys")
    page.get_by_label("Reason for the edit").focus()
    page.keyboard.type("Role from the ministry's site")
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/claims/{slug}")
    claim = server.claim(slug).json()
    assert claim["claimant_role"] == "Minister of Keys"
    assert server.history(slug)[-1]["note"] == "Role from the ministry's site"
    assert tab.errors == []


def test_a_note_is_added_with_the_keyboard_alone(open_tab, server):
    slug = _claim(server, "Keyboard note on a claim")
    tab = open_tab(f"/claims/{slug}")
    page = tab.page
    sign_in(page, server.token("reviewer"))
    page.get_by_label("Message for the team").focus()
    page.keyboard.type("Called the ministry")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    page.locator("#staff-notes li").first.wait_for(state="visible")
    assert "Called the ministry" in page.locator("#staff-notes").inner_text()
    assert tab.errors == []
