"""The new-claim and edit-claim forms in a real browser against a real ``claims serve``:
keyboard-only use, API errors next to their fields, one claim per double click, and an edit
conflict from another tab shown, not overwritten."""

from __future__ import annotations

import pytest

from tests.web.conftest import axe_violations

pytestmark = pytest.mark.slow


def _expect():
    return pytest.importorskip("playwright.sync_api").expect


def _sign_in(page, token):
    page.get_by_label("Token").fill(token)
    page.get_by_label("Token").press("Enter")
    page.locator("#claim-form").wait_for(state="visible")


def _claims_of(server, claimant):
    return server.http.get("/v1/claims", params={"claimant": claimant}).json()["items"]


def test_new_claim_by_keyboard_shows_api_errors_next_to_fields_then_records_once(open_tab, server):
    expect = _expect()
    tab = open_tab("/claims/new")
    page = tab.page
    _sign_in(page, server.token("reviewer"))
    page.get_by_label("Statement").type("Minister opens the new bridge by June")
    page.keyboard.press("Tab")  # on to Quote: the form is used with the keyboard only
    page.keyboard.type("We will open the bridge by June.")
    page.get_by_label("Claimant (required)").type("Form Minister")
    page.get_by_label("Stated on").fill("2026-03-01")
    page.get_by_label("Due by").fill("2026-01-31")  # before it was stated: the API refuses
    page.get_by_label("Topics").type("infrastructure, bridges")
    page.get_by_label("Topics").press("Enter")

    error = page.locator("#err-due_by")
    expect(error).to_be_visible()
    expect(page.get_by_label("Due by")).to_have_attribute("aria-invalid", "true")
    assert page.locator(".field-error:not([hidden])").count() == 1
    assert _claims_of(server, "Form Minister") == []
    assert axe_violations(page) == []

    page.get_by_label("Due by").fill("2026-06-30")
    page.get_by_role("button", name="Record the claim").dblclick()

    page.wait_for_url("**/claims/minister-opens-the-new-bridge-by-june")
    made = _claims_of(server, "Form Minister")
    assert len(made) == 1
    assert made[0]["topics"] == ["infrastructure", "bridges"]
    assert made[0]["quote"] == "We will open the bridge by June."
    assert tab.errors == []


def test_edit_conflict_from_another_tab_is_shown_and_overwrites_nothing(open_tab, server):
    expect = _expect()
    created = server.http.post(
        "/v1/claims",
        json={"statement": "Edit conflict claim holds", "claimant": "Edit Person"},
        headers=server.auth("reviewer"),
    ).json()
    slug = created["slug"]
    mine = open_tab(f"/claims/{slug}/edit")
    _sign_in(mine.page, server.token("editor"))
    other = open_tab(f"/claims/{slug}/edit")
    _sign_in(other.page, server.token("reviewer"))

    other.page.get_by_label("Claimant's role").fill("Deputy minister")
    other.page.get_by_label("Reason for the edit").fill("Her title changed")
    other.page.get_by_role("button", name="Save the changes").click()
    other.page.wait_for_url(f"**/claims/{slug}")
    mine.page.get_by_label("Claimant's role").fill("Minister")
    mine.page.get_by_label("Reason for the edit").fill("Title as stated in the story")
    mine.page.get_by_role("button", name="Save the changes").click()

    box = mine.page.locator("#conflict")
    expect(box).to_be_visible()
    expect(box).to_contain_text("claimant role is now: Deputy minister")
    expect(mine.page.get_by_label("Claimant's role")).to_have_value("Minister")  # kept
    assert server.claim(slug).json()["claimant_role"] == "Deputy minister"
    assert axe_violations(mine.page) == []

    box.get_by_role("link", name="Start again from the latest version").click()
    expect(mine.page.get_by_label("Claimant's role")).to_have_value("Deputy minister")
    mine.page.get_by_label("Statement").fill("Edit conflict claim holds, as amended")
    mine.page.get_by_role("button", name="Save the changes").click()
    expect(mine.page.locator("#err-reason")).to_be_visible()  # a reason is required
    assert server.claim(slug).json()["statement"] == "Edit conflict claim holds"
    mine.page.get_by_label("Reason for the edit").fill("Clearer wording")
    mine.page.get_by_role("button", name="Save the changes").click()
    mine.page.wait_for_url(f"**/claims/{slug}")
    after = server.claim(slug).json()
    assert after["statement"] == "Edit conflict claim holds, as amended"
    assert after["claimant_role"] == "Deputy minister"
    edits = [e for e in server.history(slug) if e["kind"] == "edited"]
    assert [sorted(e["changes"]) for e in edits] == [["claimant_role"], ["statement"]]
    assert [e["note"] for e in edits] == ["Her title changed", "Clearer wording"]
    assert mine.errors == []


@pytest.mark.parametrize("width", [1440, 390])
def test_claim_forms_pass_axe_and_fit_a_phone(open_tab, server, width):
    tab = open_tab("/claims/new", width=width, height=900)
    _sign_in(tab.page, server.token("reviewer"))

    assert axe_violations(tab.page) == []
    assert tab.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tab.page.goto("/claims/xi-g20-visit-fall-2026/edit")
    tab.page.locator("#claim-form").wait_for(state="visible")
    assert axe_violations(tab.page) == []
    assert tab.errors == []


def test_staff_see_notes_and_assign_a_claim_readers_do_not(open_tab, server):
    expect = _expect()
    slug = server.http.post(
        "/v1/claims",
        json={"statement": "Staff panel claim holds", "claimant": "Staff Person",
              "stated_on": "2020-01-01", "due_by": "2020-02-01"},
        headers=server.auth("reviewer"),
    ).json()["slug"]  # fmt: skip
    reader = open_tab(f"/claims/{slug}")
    expect(reader.page.locator("#staff")).to_be_hidden()
    tab = open_tab(f"/claims/{slug}")
    page = tab.page
    page.get_by_label("Token").fill(server.token("reviewer"))
    page.get_by_label("Token").press("Enter")

    expect(page.locator("#staff")).to_be_visible()
    page.get_by_label("Message for the team").fill("Waiting for the ministry's answer")
    page.get_by_role("button", name="Add to the internal notes").click()
    expect(page.locator("#staff-notes li")).to_have_count(1)
    page.get_by_role("button", name="Assign to me").click()
    expect(page.locator("#assignment")).to_contain_text("Assigned to web-reviewer")
    assert axe_violations(page) == []

    page.goto("/review")
    page.get_by_role("link", name="Assigned to me").click()
    page.wait_for_url("**/review?assignee=web-reviewer")
    expect(page.locator(f'#review-overdue tr[data-slug="{slug}"]')).to_have_count(1)
    page.goto(f"/claims/{slug}")
    expect(page.locator("#staff-notes li")).to_contain_text("Waiting for the ministry's answer")
    history = str(server.history(slug))
    assert "ministry's answer" not in history
    assert tab.errors == []
