"""A claim's page in a real browser against a real ``claims serve``: the record, signing in,
what each role is offered, setting a verdict, attaching evidence, and stale-page conflicts."""

from __future__ import annotations

import pytest

from claims.status import OPEN, VERDICTS
from tests.web.conftest import SCREENSHOTS, sign_in

pytestmark = pytest.mark.slow


def _expect():
    return pytest.importorskip("playwright.sync_api").expect


def _offered(page) -> set[str]:
    values = page.locator("#s-status option").evaluate_all("els => els.map(e => e.value)")
    return {v for v in values if v}


def test_claim_page_shows_the_record(open_tab, server):
    slug = "trump-beijing-visit-before-lunar-new-year"
    claim = server.claim(slug).json()

    tab = open_tab(f"/claims/{slug}")

    page = tab.page
    assert page.locator("h1").inner_text() == claim["statement"]
    quote = page.locator(".quote")
    # The article's own account of what Bessent said: shown as reported, not in quotation marks.
    assert claim["quote_kind"] == "reported"
    assert f"Reported: {claim['quote']}" in quote.inner_text()
    assert quote.locator("blockquote").count() == 0
    caption = page.locator(".quote figcaption").inner_text()
    assert claim["claimant"] in caption
    assert claim["claimant_role"] in caption
    facts = page.locator(".facts").inner_text()
    assert "Possible" in facts  # certainty
    assert claim["due_text"] in facts
    assert "Between 1 Jan 2026 and 16 Feb 2026" in facts
    assert "Treasury Secretary Scott Bessent" in facts  # the source's title
    assert claim["resolution_criteria"][:60] in page.locator(".criteria").inner_text()
    assert "Claim recorded" in page.locator("#timeline").inner_text()
    assert page.locator("#current-status .badge").inner_text() == "Pending"
    assert tab.errors == []


def test_editor_signs_in_sets_a_verdict_with_evidence_and_the_timeline_shows_it(open_tab, server):
    expect = _expect()
    slug = "trump-xi-meet-in-south-korea-thursday"
    tab = open_tab(f"/claims/{slug}")
    page = tab.page
    sign_in(page, server.token("editor"))
    expect(page.locator("#session")).to_contain_text("web-editor (editor)")
    assert _offered(page) == (OPEN | VERDICTS) - {"pending"}

    page.get_by_label("New status").select_option("fulfilled")
    page.get_by_label("Note").fill("Trump and Xi met in Busan on 30 October.")
    page.get_by_label("Date it happened").fill("2025-10-30")
    page.get_by_label("Link (URL)").first.fill("https://example.org/busan-meeting")
    page.get_by_label("Title").first.fill("Trump and Xi meet in Busan")
    page.get_by_label("Stance").first.select_option("supports")
    page.get_by_role("button", name="Change status").click()

    expect(page.locator("#current-status .badge")).to_have_text("Fulfilled")
    last = page.locator("#timeline > li").last
    expect(last).to_contain_text("Status changed")
    expect(last).to_contain_text("Fulfilled")
    expect(last).to_contain_text("Trump and Xi met in Busan on 30 October.")
    expect(last).to_contain_text("happened on 30 Oct 2025")
    expect(last).to_contain_text("web-editor (editor)")
    link = last.get_by_role("link", name="Trump and Xi meet in Busan")
    expect(link).to_have_attribute("href", "https://example.org/busan-meeting")
    expect(last.locator(".stance")).to_have_text("Supports")
    expect(page.locator("#desk-message")).to_contain_text("Status changed to Fulfilled")
    # Now a verdict: what the editor is offered next is a correction, and says so.
    expect(page.locator("#status-form-h")).to_have_text("Correct the verdict")
    assert server.claim(slug).json()["status"] == "fulfilled"
    event = server.history(slug)[-1]
    assert (event["to_status"], event["occurred_on"], event["actor"]["name"]) == (
        "fulfilled",
        "2025-10-30",
        "web-editor",
    )
    assert event["evidence"][0]["url"] == "https://example.org/busan-meeting"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "claim.png"), full_page=True)
    assert tab.errors == []


def test_token_is_kept_for_the_tab_only(open_tab, server):
    expect = _expect()
    slug = "trump-xi-meet-in-south-korea-thursday"
    tab = open_tab(f"/claims/{slug}")
    sign_in(tab.page, server.token("reviewer"))

    tab.page.reload()
    other = tab.page.context.new_page()
    other.goto(f"/claims/{slug}")

    expect(tab.page.locator("#session")).to_be_visible()
    expect(other.get_by_label("Token")).to_be_visible()
    expect(other.locator("#session")).to_be_hidden()
    tab.page.get_by_role("button", name="Sign out").click()
    expect(tab.page.get_by_label("Token")).to_be_visible()
    assert tab.page.evaluate("sessionStorage.length") == 0


def test_unknown_token_is_refused_at_sign_in(open_tab):
    expect = _expect()
    tab = open_tab("/claims/xi-g20-visit-fall-2026")

    tab.page.get_by_label("Token").fill("not-a-real-token")
    tab.page.get_by_role("button", name="Sign in").click()

    expect(tab.page.locator("#sign-in-error")).to_contain_text("unknown or has been revoked")
    expect(tab.page.locator("#status-form")).to_be_hidden()


def test_reviewer_is_not_offered_verdicts_but_may_attach_evidence(open_tab, server):
    expect = _expect()
    slug = "xi-g20-visit-fall-2026"
    tab = open_tab(f"/claims/{slug}")
    page = tab.page

    sign_in(page, server.token("reviewer"))

    expect(page.locator("#status-form")).to_be_visible()
    offered = _offered(page)
    assert offered == OPEN - {server.claim(slug).json()["status"]}
    assert not offered & VERDICTS
    assert page.locator("#correction-warning").is_hidden()
    form = page.locator("#evidence-form")
    form.get_by_label("Link (URL)").fill("https://example.org/g20-host-city")
    form.get_by_label("Title").fill("G20 2026 host city confirmed")
    form.get_by_label("Stance").select_option("context")
    form.get_by_role("button", name="Attach evidence").click()
    last = page.locator("#timeline > li").last
    expect(last).to_contain_text("Evidence added")
    expect(last.get_by_role("link", name="G20 2026 host city confirmed")).to_be_visible()
    expect(last.locator(".stance")).to_have_text("Context")
    assert server.history(slug)[-1]["kind"] == "evidence_added"


def test_viewer_is_offered_no_changes(open_tab, server):
    expect = _expect()
    tab = open_tab("/claims/xi-g20-visit-fall-2026")

    sign_in(tab.page, server.token("viewer"))

    expect(tab.page.locator("#desk-readonly")).to_be_visible()
    expect(tab.page.locator("#status-form")).to_be_hidden()
    expect(tab.page.locator("#evidence-form")).to_be_hidden()


def test_reviewer_is_not_offered_to_reopen_a_verdict(open_tab, server):
    expect = _expect()
    slug = "us-100-percent-tariffs-nov-1-averted"
    if server.claim(slug).json()["status"] not in VERDICTS:
        server.set_status(
            slug,
            "editor",
            "fulfilled",
            "Tariffs not imposed on 1 November",
            evidence=[{"url": "https://example.org/t", "title": "No tariff", "stance": "supports"}],
        )
    tab = open_tab(f"/claims/{slug}")

    sign_in(tab.page, server.token("reviewer"))

    expect(tab.page.locator("#status-form")).to_be_hidden()
    expect(tab.page.locator("#evidence-form")).to_be_visible()


def test_verdict_without_evidence_names_the_field_and_changes_nothing(open_tab, server):
    expect = _expect()
    slug = "xi-reciprocal-washington-meeting-before-g20"
    before = server.claim(slug).json()
    tab = open_tab(f"/claims/{slug}")
    page = tab.page
    sign_in(page, server.token("editor"))
    page.get_by_label("New status").select_option("broken")
    page.get_by_label("Note").fill("No meeting")
    # The browser itself asks for the evidence a verdict needs: switch that off to reach the API.
    page.locator("#status-form").evaluate("form => form.noValidate = true")

    page.get_by_role("button", name="Change status").click()

    errors = page.locator("#status-form .form-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("evidence")
    expect(page.locator("#s-url")).to_have_attribute("aria-invalid", "true")
    # The message also stands under its field, and is read out with it.
    expect(page.locator("#s-url + .field-error, #err-s-url")).to_contain_text("evidence")
    expect(page.locator("#s-url")).to_have_attribute("aria-describedby", "err-s-url")
    assert server.claim(slug).json()["version"] == before["version"]


def test_a_date_it_happened_in_the_future_is_named_under_its_field_and_changes_nothing(
    open_tab, server
):
    expect = _expect()
    slug = "xi-reciprocal-washington-meeting-before-g20"
    before = server.claim(slug).json()
    tab = open_tab(f"/claims/{slug}")
    page = tab.page
    sign_in(page, server.token("reviewer"))
    page.get_by_label("New status").select_option("in_progress")
    page.get_by_label("Note").fill("Dates for the visit announced")
    page.get_by_label("Date it happened").fill("2099-01-01")

    page.get_by_role("button", name="Change status").click()

    expect(page.locator("#err-s-occurred")).to_contain_text("must not be in the future")
    expect(page.locator("#s-occurred")).to_have_attribute("aria-invalid", "true")
    assert server.claim(slug).json()["version"] == before["version"]


def test_a_refused_evidence_link_is_named_under_its_field_and_cleared_on_the_next_try(
    open_tab, server
):
    expect = _expect()
    slug = "trump-expects-us-china-deal"
    tab = open_tab(f"/claims/{slug}")
    page = tab.page
    sign_in(page, server.token("reviewer"))
    page.locator("#evidence-form").evaluate("form => form.noValidate = true")
    page.locator("#e-url").fill("javascript:alert(1)")
    page.locator("#e-title").fill("A link that is not one")

    page.get_by_role("button", name="Attach evidence").click()

    under = page.locator("#err-e-url")
    expect(under).to_be_visible()
    expect(page.locator("#e-url")).to_have_attribute("aria-invalid", "true")
    page.locator("#e-url").fill("https://example.org/deal")
    page.get_by_role("button", name="Attach evidence").click()
    expect(under).to_have_count(0)
    expect(page.locator("#e-url")).not_to_have_attribute("aria-invalid", "true")
    assert tab.errors == []


def test_stale_page_conflict_is_shown_and_nothing_is_overwritten(open_tab, server):
    expect = _expect()
    slug = "china-defers-rare-earth-export-controls"
    tab = open_tab(f"/claims/{slug}")
    page = tab.page
    sign_in(page, server.token("editor"))
    page.get_by_label("New status").select_option("broken")
    page.get_by_label("Note").fill("No deferral was announced by 1 November.")
    page.get_by_label("Link (URL)").first.fill("https://example.org/no-deferral")
    page.get_by_label("Title").first.fill("No word on rare earths")
    page.get_by_label("Stance").first.select_option("refutes")
    # Meanwhile a reviewer moves the claim through the API.
    server.set_status(slug, "reviewer", "stalled", "Beijing says the controls are under review")
    events_before = len(server.history(slug))
    expect(page.locator("#changed-notice")).to_be_visible(timeout=5_000)

    page.get_by_role("button", name="Change status").click()

    conflict = page.locator("#conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Someone else changed this claim")
    expect(conflict.locator(".badge")).to_have_text("Stalled")
    expect(conflict).to_contain_text("Beijing says the controls are under review")
    expect(conflict).to_contain_text("not saved")
    expect(page.get_by_label("Note")).to_have_value("No deferral was announced by 1 November.")
    assert server.claim(slug).json()["status"] == "stalled"
    assert len(server.history(slug)) == events_before
    assert "No deferral" not in page.locator("#timeline").inner_text()

    # Looking at the latest version and sending again is a deliberate second write.
    conflict.get_by_role("button", name="Show the latest version").click()
    expect(page.locator("#current-status .badge")).to_have_text("Stalled")
    expect(conflict).to_be_hidden()
    page.get_by_role("button", name="Change status").click()
    expect(page.locator("#current-status .badge")).to_have_text("Broken")
    assert server.history(slug)[-1]["from_status"] == "stalled"
    assert tab.errors == []


def test_claim_page_reads_on_a_phone_and_labels_every_field(open_tab, server):
    tab = open_tab("/claims/trump-beijing-visit-before-lunar-new-year", width=390, height=844)
    page = tab.page
    sign_in(page, server.token("editor"))

    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
             .filter(el => el.labels.length === 0).map(el => el.id)"""
    )

    assert overflow <= 0
    assert unlabelled == []
    assert all(url.startswith(server.url) or url.startswith("data:") for url in tab.requests)
