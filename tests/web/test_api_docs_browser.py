"""`/docs` in a real browser: Swagger UI renders the API under its policy, fetching nothing
from any other origin."""

from __future__ import annotations


def test_docs_render_every_endpoint_without_policy_errors_or_other_origins(open_tab, server):
    tab = open_tab("/docs")

    tab.page.locator(".opblock").first.wait_for(state="visible")
    assert "Claim tracker" in tab.page.locator(".info .title").inner_text()
    assert tab.page.locator(".opblock").count() > 10
    assert tab.errors == []
    assert [url for url in tab.requests if not url.startswith(server.url)] == []
