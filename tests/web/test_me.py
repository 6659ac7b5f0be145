"""``GET /v1/me``: who a token belongs to, so a page offers only what the role may do."""

from __future__ import annotations


def test_me_names_the_token_and_its_role(client, editor):
    response = client.get("/v1/me", headers=editor)

    assert response.status_code == 200
    assert response.json() == {"name": "ed-editor", "role": "editor"}
    assert response.headers["cache-control"] == "no-store"


def test_me_without_a_token_is_401(client):
    response = client.get("/v1/me")

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_me_with_an_unknown_token_is_401(client):
    response = client.get("/v1/me", headers={"Authorization": "Bearer nope"})

    assert response.status_code == 401
