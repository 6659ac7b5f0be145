"""In a real browser: the new-claim form lets an editor say a quote is the outlet's
paraphrase, and the claim's page then shows it without quotation marks."""

from __future__ import annotations

import pytest

from tests.web.test_claim_forms import _claims_of, _expect, _sign_in

pytestmark = pytest.mark.slow


def test_new_claim_with_a_reported_quote_is_recorded_and_shown_as_reported(open_tab, server):
    expect = _expect()
    tab = open_tab("/claims/new")
    page = tab.page
    _sign_in(page, server.token("reviewer"))
    page.get_by_label("Statement").fill("The ministry opens the tunnel by May")
    page.locator("#f-quote").fill("the ministry would open the tunnel by May")
    page.get_by_label("The quote is").select_option("reported")
    page.get_by_label("Claimant (required)").fill("Tunnel Minister")

    page.get_by_role("button", name="Record the claim").click()

    page.wait_for_url("**/claims/the-ministry-opens-the-tunnel-by-may")
    (made,) = _claims_of(server, "Tunnel Minister")
    assert made["quote_kind"] == "reported"
    figure = page.locator("figure.quote")
    expect(figure).to_contain_text("Reported: the ministry would open the tunnel by May")
    assert figure.locator("blockquote").count() == 0
    assert tab.errors == []
