"""Managing subscriptions over the API: admins only, secret shown once, addresses checked."""

from __future__ import annotations


def test_only_admins_manage_webhooks(hooks_client, editor):
    body = {"url": "https://example.org/h"}
    response = hooks_client.post("/v1/webhooks", json=body, headers=editor)

    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"].startswith("an editor may not manage webhooks")


def test_the_secret_is_shown_at_creation_and_never_again(hooks_client, subscribe, admin):
    hook = subscribe("https://example.org/hook")

    assert hook["secret"].startswith("whsec_")
    listed = hooks_client.get("/v1/webhooks", headers=admin).json()["items"]
    one = hooks_client.get(f"/v1/webhooks/{hook['id']}", headers=admin).json()
    assert "secret" not in listed[0]
    assert "secret" not in one
    assert hook["secret"] not in str(listed) + str(one)


def test_a_loopback_subscription_is_refused_by_default(client, admin):
    response = client.post("/v1/webhooks", json={"url": "http://127.0.0.1:8080/h"}, headers=admin)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "url"


def test_a_private_address_is_refused_by_default(client, admin):
    response = client.post("/v1/webhooks", json={"url": "http://10.1.2.3/h"}, headers=admin)

    assert response.status_code == 422
    assert "private" in response.json()["errors"][0]["message"]


def test_a_loopback_subscription_is_allowed_when_the_setting_says_so(hooks_client, admin):
    response = hooks_client.post(
        "/v1/webhooks", json={"url": "http://127.0.0.1:8080/h"}, headers=admin
    )

    assert response.status_code == 201, response.text


def test_only_http_urls_and_known_event_types_are_accepted(hooks_client, admin):
    bad_url = hooks_client.post("/v1/webhooks", json={"url": "ftp://example.org/h"}, headers=admin)
    bad_type = hooks_client.post(
        "/v1/webhooks",
        json={"url": "https://example.org/h", "events": ["claim.exploded"]},
        headers=admin,
    )

    assert bad_url.status_code == 422
    assert bad_type.status_code == 422
    assert bad_type.json()["errors"][0]["field"].startswith("events")


def test_a_subscription_is_changed_disabled_and_deleted(hooks_client, subscribe, admin):
    hook = subscribe("https://example.org/hook")

    off = hooks_client.patch(f"/v1/webhooks/{hook['id']}", json={"active": False}, headers=admin)
    gone = hooks_client.delete(f"/v1/webhooks/{hook['id']}", headers=admin)

    assert off.status_code == 200
    assert off.json()["active"] is False
    assert gone.status_code == 204
    assert hooks_client.get(f"/v1/webhooks/{hook['id']}", headers=admin).status_code == 404
