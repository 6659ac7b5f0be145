"""The admins' webhooks page in a real browser: subscriptions with their last delivery and
failures; others are told it is for admins; axe-core clean at desktop and phone widths."""

from __future__ import annotations

import pytest

from tests.web.conftest import axe_violations

pytestmark = pytest.mark.slow


def _expect():
    return pytest.importorskip("playwright.sync_api").expect


def _sign_in(page, token):
    page.get_by_label("Token").fill(token)
    page.get_by_label("Token").press("Enter")


def test_an_admin_sees_each_subscription_and_what_it_receives(open_tab, server):
    expect = _expect()
    made = server.http.post(
        "/v1/webhooks",
        json={"url": "https://cms.example/hooks/claims", "events": ["claim.status_changed"]},
        headers=server.auth("admin"),
    )
    assert made.status_code == 201, made.text
    tab = open_tab("/webhooks")
    _sign_in(tab.page, server.token("admin"))

    row = tab.page.locator(f'#hooks tr[data-id="{made.json()["id"]}"]')
    expect(row).to_contain_text("https://cms.example/hooks/claims")
    expect(row).to_contain_text("claim.status_changed")
    expect(row).to_contain_text("active")
    expect(tab.page.locator("#nav-webhooks")).to_be_visible()
    assert axe_violations(tab.page) == []
    assert tab.errors == []


def test_a_reviewer_is_told_the_page_is_for_admins(open_tab, server):
    expect = _expect()
    tab = open_tab("/webhooks", width=390)
    _sign_in(tab.page, server.token("reviewer"))

    expect(tab.page.locator("#hooks-message")).to_have_text("Only admins see the webhooks.")
    expect(tab.page.locator("#nav-webhooks")).to_be_hidden()
    assert axe_violations(tab.page) == []
    assert tab.errors == []
