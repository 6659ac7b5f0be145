"""The routes outside the front door check the token (401) and its role (403) before the
request's body: a token that may not act hears so, not what its body lacked."""

from __future__ import annotations

import pytest

WRITES = [
    ("POST", "/v1/sources", "viewer"),
    ("POST", "/v1/extract", "viewer"),
    ("POST", "/v1/intake/held", "viewer"),
    ("POST", "/v1/claims/{id}/notes", "viewer"),
    ("PUT", "/v1/claims/{id}/assignee", "viewer"),
    ("POST", "/v1/tokens", "reviewer"),
    ("POST", "/v1/webhooks", "editor"),
    ("PATCH", "/v1/webhooks/1", "editor"),
]


@pytest.mark.parametrize(("method", "path", "role"), WRITES)
def test_a_role_that_may_not_act_hears_403_before_its_body_is_read(
    client, make_claim, viewer, reviewer, editor, method, path, role
):
    claim = make_claim()
    headers = {"viewer": viewer, "reviewer": reviewer, "editor": editor}[role]

    response = client.request(
        method, path.format(id=claim.id), json={"nonsense": True}, headers=headers
    )

    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("method", "path", "role"), WRITES)
def test_no_token_hears_401_before_its_body_is_read(client, make_claim, method, path, role):
    claim = make_claim()

    response = client.request(method, path.format(id=claim.id), json={"nonsense": True})

    assert response.status_code == 401, response.text


@pytest.mark.parametrize("name", ["evil\n2026-12-07 FAKE GET /v1/admin 200", "desk/night", "a\tb"])
def test_a_token_name_with_a_line_break_tab_or_slash_is_refused(client, admin, name):
    response = client.post("/v1/tokens", json={"name": name, "role": "viewer"}, headers=admin)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert "line breaks" in response.json()["errors"][0]["message"]


def test_answers_that_carry_a_secret_are_never_stored_by_a_cache(client, admin):
    token = client.post("/v1/tokens", json={"name": "night desk", "role": "viewer"}, headers=admin)
    hook = client.post("/v1/webhooks", json={"url": "https://example.org/h"}, headers=admin)

    assert token.status_code == 201, token.text
    assert hook.status_code == 201, hook.text
    assert token.headers["cache-control"] == "no-store"
    assert hook.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/v1/tokens?foo=1", "/v1/claims/1/notes?foo=1", "/v1/me?foo=1"])
def test_no_token_hears_401_before_an_unknown_query_parameter(client, path):
    assert client.get(path).status_code == 401


def test_private_reads_ask_for_the_token_before_unknown_parameters(make_app):
    from fastapi.testclient import TestClient

    with TestClient(make_app(reads_require_token=True)) as client:
        assert client.get("/v1/sources?foo=1").status_code == 401


def test_a_token_holder_still_hears_422_for_an_unknown_parameter(client, admin):
    response = client.get("/v1/tokens?foo=1", headers=admin)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "foo"


@pytest.mark.parametrize("name", ["seed", "extract", "operator", "deadline-watcher"])
def test_a_token_may_not_take_the_trackers_own_name(client, admin, name):
    response = client.post("/v1/tokens", json={"name": name, "role": "editor"}, headers=admin)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
