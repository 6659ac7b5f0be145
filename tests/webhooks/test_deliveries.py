"""Webhook deliveries to a real HTTP receiver, on SQLite and PostgreSQL: signed as Standard
Webhooks says, retried with the same id, in seq order per claim, never for a refused write."""

from __future__ import annotations

import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.conftest import EVIDENCE
from tests.webhooks.conftest import FAST

CLAIM = {
    "statement": "The ministry opens the bridge by June",
    "claimant": "Hook Minister",
    "stated_on": "2026-01-02",
    "due_by": "2026-06-30",
    "topics": ["infrastructure"],
}


def _claim(client, headers, **fields):
    response = client.post("/v1/claims", json={**CLAIM, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"], response.headers["ETag"]


def _status(client, headers, claim_id, etag, status, **extra):
    body = {"status": status, "note": f"now {status}", **extra}
    response = client.post(
        f"/v1/claims/{claim_id}/status", json=body, headers={**headers, "If-Match": etag}
    )
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


def _deliveries(client, admin, hook_id):
    response = client.get(f"/v1/webhooks/{hook_id}/deliveries", headers=admin)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_every_event_type_arrives_signed_and_verifies_with_the_secret(
    hooks_client, subscribe, receiver, reviewer, editor
):
    hook = subscribe(receiver.url)
    claim_id, etag = _claim(hooks_client, reviewer)
    edited = hooks_client.patch(
        f"/v1/claims/{claim_id}",
        json={"claimant_role": "Minister of Works"},
        headers={**reviewer, "If-Match": etag},
    )
    etag = edited.headers["ETag"]
    etag = _status(hooks_client, reviewer, claim_id, etag, "in_progress")
    added = hooks_client.post(
        f"/v1/claims/{claim_id}/evidence", json=EVIDENCE, headers={**reviewer, "If-Match": etag}
    )
    assert added.status_code in (200, 201), added.text
    etag = added.headers["ETag"]
    etag = _status(hooks_client, editor, claim_id, etag, "fulfilled", evidence=[EVIDENCE])
    _status(hooks_client, editor, claim_id, etag, "broken", evidence=[EVIDENCE])

    got = receiver.wait_for(6)

    got = sorted(got, key=lambda r: r.json["data"]["seq"])
    assert [r.json["type"] for r in got] == [
        "claim.created",
        "claim.edited",
        "claim.status_changed",
        "claim.evidence_added",
        "claim.status_changed",
        "claim.corrected",
    ]
    for request in got:
        assert Webhook(hook["secret"]).verify(request.body, request.headers)
    assert got[-1].json["data"]["status"] == "broken"
    arrived = [r.json["data"]["seq"] for r in receiver.received]
    assert arrived == sorted(arrived)  # one claim: in seq order


def test_a_wrong_secret_fails_verification(hooks_client, subscribe, receiver, reviewer):
    subscribe(receiver.url)
    _claim(hooks_client, reviewer)
    request = receiver.wait_for(1)[0]
    other = Webhook("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY")

    with pytest.raises(WebhookVerificationError):
        other.verify(request.body, request.headers)


def test_a_failing_receiver_gets_the_event_on_a_retry_with_the_same_id(
    hooks_client, subscribe, receiver, reviewer, admin
):
    receiver.plan = [500, 503]
    hook = subscribe(receiver.url)
    _claim(hooks_client, reviewer)

    got = receiver.wait_for(3)

    assert len({r.headers["webhook-id"] for r in got}) == 1
    deadline = time.monotonic() + 5
    while (items := _deliveries(hooks_client, admin, hook["id"]))[0]["state"] != "delivered":
        assert time.monotonic() < deadline, items
        time.sleep(0.05)
    assert [a["status_code"] for a in items[0]["attempts"]] == [500, 503, 200]


def test_a_delivery_failing_every_try_is_failed_and_can_be_sent_again_by_hand(
    hooks_client, subscribe, receiver, reviewer, admin
):
    receiver.plan = [500] * 4  # the first try and three retries
    hook = subscribe(receiver.url)
    _claim(hooks_client, reviewer)
    receiver.wait_for(4)
    deadline = time.monotonic() + 5
    while (items := _deliveries(hooks_client, admin, hook["id"]))[0]["state"] != "failed":
        assert time.monotonic() < deadline, items
        time.sleep(0.05)

    again = hooks_client.post(
        f"/v1/webhooks/{hook['id']}/deliveries/{items[0]['id']}/retry", headers=admin
    )

    assert again.status_code == 200, again.text
    got = receiver.wait_for(5)
    assert got[-1].headers["webhook-id"] == got[0].headers["webhook-id"]


def test_a_refused_write_sends_nothing(hooks_client, subscribe, receiver, reviewer):
    subscribe(receiver.url)
    claim_id, etag = _claim(hooks_client, reviewer)
    _status(hooks_client, reviewer, claim_id, etag, "in_progress")
    stale = hooks_client.post(
        f"/v1/claims/{claim_id}/status",
        json={"status": "stalled", "note": "too late"},
        headers={**reviewer, "If-Match": etag},
    )
    assert stale.status_code == 412
    marker_id, _ = _claim(hooks_client, reviewer, statement="A later claim marks the end")

    got = receiver.wait_for(3)
    time.sleep(0.3)

    in_order = sorted(got, key=lambda r: r.json["data"]["seq"])
    assert [r.json["type"] for r in in_order] == [
        "claim.created",
        "claim.status_changed",
        "claim.created",
    ]
    assert in_order[-1].json["data"]["id"] == marker_id
    assert len(receiver.received) == 3


def test_events_of_one_claim_arrive_in_seq_order_from_a_slow_receiver(
    hooks_client, subscribe, receiver, reviewer
):
    receiver.delay = 0.05
    subscribe(receiver.url, events=["claim.status_changed"])
    claim_id, etag = _claim(hooks_client, reviewer)
    for status in ["in_progress", "stalled"] * 5:
        etag = _status(hooks_client, reviewer, claim_id, etag, status)

    got = receiver.wait_for(10)

    seqs = [r.json["data"]["seq"] for r in got]
    assert seqs == sorted(seqs)
    assert [r.json["data"]["change"]["to_status"] for r in got] == ["in_progress", "stalled"] * 5


def test_subscriptions_get_only_the_events_statuses_and_topics_they_asked_for(
    hooks_client, subscribe, receiver, reviewer
):
    subscribe(receiver.url, events=["claim.status_changed"], statuses=["stalled"])
    subscribe(receiver.url + "?topic", topics=["health"])
    claim_id, etag = _claim(hooks_client, reviewer)
    etag = _status(hooks_client, reviewer, claim_id, etag, "in_progress")
    _status(hooks_client, reviewer, claim_id, etag, "stalled")
    _claim(hooks_client, reviewer, statement="Clinics open by May", topics=["health"])

    got = receiver.wait_for(2)
    time.sleep(0.3)

    assert sorted(receiver.types()) == ["claim.created", "claim.status_changed"]
    changed = next(r for r in got if r.json["type"] == "claim.status_changed")
    assert changed.json["data"]["change"]["to_status"] == "stalled"


def test_a_subscription_gets_only_changes_made_after_it_was_created(
    hooks_client, subscribe, receiver, reviewer
):
    _claim(hooks_client, reviewer, statement="Before anyone listened")
    subscribe(receiver.url)
    after_id, _ = _claim(hooks_client, reviewer, statement="After the subscription")

    got = receiver.wait_for(1)
    time.sleep(0.3)

    assert [r.json["data"]["id"] for r in receiver.received] == [after_id]
    assert got[0].json["type"] == "claim.created"


def test_a_ping_is_delivered_signed(hooks_client, subscribe, receiver, admin):
    hook = subscribe(receiver.url)

    response = hooks_client.post(f"/v1/webhooks/{hook['id']}/test", headers=admin)

    assert response.status_code == 202, response.text
    got = receiver.wait_for(1)
    assert got[0].json["type"] == "webhook.ping"
    assert Webhook(hook["secret"]).verify(got[0].body, got[0].headers)


def test_a_change_committed_while_no_dispatcher_ran_is_delivered_when_one_starts(
    make_app, receiver, admin, reviewer
):
    from fastapi.testclient import TestClient

    with TestClient(make_app(**FAST)) as client:
        hook = client.post("/v1/webhooks", json={"url": receiver.url}, headers=admin).json()
    with TestClient(make_app(**{**FAST, "webhooks": False})) as client:
        claim_id, _ = _claim(client, reviewer)
    time.sleep(0.2)
    assert receiver.received == []

    with TestClient(make_app(**FAST)):
        got = receiver.wait_for(1)

    assert got[0].json["data"]["id"] == claim_id
    assert got[0].headers["webhook-id"] == f"msg_{hook['id']}_{got[0].json['data']['seq']}"


def test_delivery_data_is_the_claim_as_the_api_returns_it_with_seq_and_the_change(
    hooks_client, subscribe, receiver, reviewer
):
    subscribe(receiver.url)
    claim_id, etag = _claim(hooks_client, reviewer)
    _status(hooks_client, reviewer, claim_id, etag, "in_progress")

    got = sorted(receiver.wait_for(2), key=lambda r: r.json["data"]["seq"])

    shown = hooks_client.get(f"/v1/claims/{claim_id}").json()
    data = got[-1].json["data"]
    assert {k: v for k, v in data.items() if k not in ("seq", "change")} == shown
    assert data["change"]["to_status"] == "in_progress"
    assert data["change"]["version"] == shown["version"]
    assert got[0].json["data"]["change"]["kind"] == "created"
    assert got[0].json["data"]["seq"] < data["seq"]


def test_a_delivery_row_is_written_with_its_first_attempt_not_with_the_change(
    hooks_client, subscribe, receiver, reviewer, admin
):
    receiver.hold_first = 1.0  # the first send waits for its answer
    hooks = [subscribe(f"{receiver.url}/{n}") for n in range(3)]
    _claim(hooks_client, reviewer)
    deadline = time.monotonic() + 5
    while receiver.arrived == 0:
        assert time.monotonic() < deadline, "nothing was sent"
        time.sleep(0.01)

    in_flight = [_deliveries(hooks_client, admin, hook["id"]) for hook in hooks]
    receiver.wait_for(3)
    deadline = time.monotonic() + 5
    while any(not _deliveries(hooks_client, admin, hook["id"]) for hook in hooks):
        assert time.monotonic() < deadline, "a delivery was never recorded"
        time.sleep(0.05)

    # The change wrote its event and nothing per subscription: no row waits to be sent.
    assert [] in in_flight
    after = [_deliveries(hooks_client, admin, hook["id"]) for hook in hooks]
    assert [[(d["state"], len(d["attempts"])) for d in items] for items in after] == [
        [("delivered", 1)]
    ] * 3


def test_two_servers_on_one_database_deliver_each_change_once(make_app, receiver, admin, reviewer):
    from fastapi.testclient import TestClient

    with TestClient(make_app(**FAST)) as one, TestClient(make_app(**FAST)) as two:
        one.post("/v1/webhooks", json={"url": receiver.url}, headers=admin)
        for n in range(20):
            _claim(one if n % 2 else two, reviewer, statement=f"Claim number {n} of twenty")
        receiver.wait_for(20)
        time.sleep(0.5)

    ids = [r.headers["webhook-id"] for r in receiver.received]
    assert len(ids) == len(set(ids)) == 20


def test_metrics_show_the_webhook_backlog(make_app, receiver, admin, reviewer):
    from fastapi.testclient import TestClient

    receiver.plan = [500] * 10
    with TestClient(make_app(**{**FAST, "metrics": True, "webhook_retry_delays": [60]})) as client:
        client.post("/v1/webhooks", json={"url": receiver.url}, headers=admin)
        _claim(client, reviewer)
        receiver.wait_for(1)
        time.sleep(0.2)

        text = client.get("/metrics").text

    assert "claims_webhook_deliveries_pending 1.0" in text
    assert "claims_webhook_deliveries_failed 0.0" in text


def test_a_subscription_failing_for_longer_than_the_setting_is_disabled_with_the_reason(
    make_app, receiver, admin, reviewer
):
    from fastapi.testclient import TestClient

    receiver.plan = [500] * 100
    # About half a second of failing counts as "days" here; retries every tenth of a second.
    settings = {
        **FAST,
        "webhook_disable_after_days": 0.5 / 86400,
        "webhook_retry_delays": [0.1] * 50,
    }
    with TestClient(make_app(**settings)) as client:
        hook = client.post("/v1/webhooks", json={"url": receiver.url}, headers=admin).json()
        _claim(client, reviewer)
        deadline = time.monotonic() + 10
        while (now := client.get(f"/v1/webhooks/{hook['id']}", headers=admin).json())["active"]:
            assert time.monotonic() < deadline, now
            time.sleep(0.05)

    assert now["failing_since"] is not None
    assert "every delivery failed since" in now["disabled_reason"]
    assert "HTTP 500" in now["disabled_reason"]
