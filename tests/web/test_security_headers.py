"""Security headers over HTTP (no browser): every page has a policy without inline script and
refuses to be framed; API answers may run nothing; only the claim card may be framed."""

from __future__ import annotations

import pytest

SLUG_PAGES = ["/claims/{slug}", "/claims/{slug}/edit"]
PAGES = [
    "/",
    "/?screen=wall",
    "/claims/new",
    "/review",
    "/intake",
    "/webhooks",
]


def _page_paths(client, make_claim, reviewer) -> list[str]:
    story = {"title": "Trade framework agreed", "published_on": "2025-10-26", "text": "Story."}
    source = client.post("/v1/sources", json=story, headers=reviewer).json()
    claim = make_claim(source_id=source["id"])
    return [
        *PAGES,
        *(p.format(slug=claim.slug) for p in SLUG_PAGES),
        "/claimants/scott-bessent",
        "/topics/agriculture",
        f"/sources/{source['id']}",
    ]


def _directives(csp: str) -> dict[str, str]:
    return {d.split(" ", 1)[0]: d.partition(" ")[2] for d in (x.strip() for x in csp.split(";"))}


def test_every_page_has_a_policy_without_inline_script_and_is_never_framed(
    client, make_claim, reviewer
):
    for path in _page_paths(client, make_claim, reviewer):
        response = client.get(path)
        assert response.headers["content-type"].startswith("text/html"), path
        policy = _directives(response.headers["content-security-policy"])
        assert policy["script-src"] == "'self'", path
        assert "unsafe-inline" not in response.headers["content-security-policy"], path
        assert policy["frame-ancestors"] == "'none'", path
        assert response.headers["x-frame-options"] == "DENY", path
        assert response.headers["x-content-type-options"] == "nosniff", path


@pytest.mark.parametrize("path", ["/v1/claims", "/v1/summary", "/v1/changes", "/v1/claims/0"])
def test_api_answers_let_nothing_run_and_are_never_framed(client, path):
    response = client.get(path)

    policy = response.headers["content-security-policy"]
    assert policy == "default-src 'none'; frame-ancestors 'none'"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_head_carries_the_same_security_headers_as_get(client):
    get, head = client.get("/"), client.head("/")

    for name in ("content-security-policy", "x-frame-options", "x-content-type-options"):
        assert head.headers[name] == get.headers[name]


def test_the_claim_card_keeps_its_own_policy_and_may_be_framed(client, make_claim):
    claim = make_claim()
    response = client.get(f"/claims/{claim.slug}/embed")

    assert _directives(response.headers["content-security-policy"])["frame-ancestors"] == "*"
    assert "x-frame-options" not in response.headers


def test_a_missing_claims_card_is_an_ordinary_answer_never_framed(client):
    response = client.get("/claims/no-such-claim/embed")

    assert response.status_code == 404
    assert _directives(response.headers["content-security-policy"])["frame-ancestors"] == "'none'"
    assert response.headers["x-frame-options"] == "DENY"


def test_the_claim_card_names_its_icon_so_no_favicon_request_fails(client, make_claim):
    claim = make_claim()

    assert '<link rel="icon" href="data:,">' in client.get(f"/claims/{claim.slug}/embed").text
