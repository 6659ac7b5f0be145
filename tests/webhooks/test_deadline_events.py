"""Deadline events seen from outside, from a running app's watcher: in the change feed and the
stream as kinds ``due_soon`` and ``overdue``, and as signed ``claim.due_soon`` /
``claim.overdue`` webhooks. On SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from standardwebhooks.webhooks import Webhook

from api.app import create_app
from claims.clock import today
from tests.api.test_feed import read_events
from tests.webhooks.conftest import FAST

WATCHING = {"deadline_watch": True, "deadline_sweep_s": 0.1}


@pytest.fixture
def make_app(engine, settings) -> Callable[..., Any]:
    """Apps whose deadline watcher runs, with a pass every tenth of a second."""

    def build(**overrides: Any) -> Any:
        return create_app(settings.model_copy(update={**WATCHING, **overrides}), engine=engine)

    return build


def _days_from_today(settings, days: int) -> str:
    return (today(settings.zone) + timedelta(days=days)).isoformat()


def _past_due(settings) -> dict[str, str]:
    return {
        "stated_on": _days_from_today(settings, -30),
        "due_by": _days_from_today(settings, -1),
    }


def _wait_for_kind(client, kind: str, timeout: float = 5.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        changes = client.get("/v1/changes").json()["changes"]
        if any(c["kind"] == kind for c in changes):
            return changes
        time.sleep(0.05)
    pytest.fail(f"no {kind} change within {timeout} s")


def test_a_claim_past_its_deadline_shows_in_the_feed_as_one_overdue_change(
    client, make_claim, settings
):
    claim = make_claim(**_past_due(settings))

    changes = _wait_for_kind(client, "overdue")
    time.sleep(0.3)  # three more passes: still one

    changes = client.get("/v1/changes").json()["changes"]
    assert [(c["kind"], c["version"]) for c in changes] == [("created", 1), ("overdue", 2)]
    shown = client.get(f"/v1/claims/{claim.id}").json()
    assert (shown["overdue"], shown["version"]) == (True, 2)


def test_a_claim_due_within_the_window_shows_in_the_feed_as_due_soon(client, make_claim, settings):
    make_claim(stated_on=_days_from_today(settings, -1), due_by=_days_from_today(settings, 3))

    changes = _wait_for_kind(client, "due_soon")

    assert [c["kind"] for c in changes] == ["created", "due_soon"]


def test_the_stream_sends_the_overdue_event(live_server, make_claim, settings):
    since = httpx.get(f"{live_server.url}/v1/changes").json()["next"]
    with httpx.stream("GET", f"{live_server.url}/v1/stream?since={since}", timeout=10) as response:
        make_claim(**_past_due(settings))
        events = [e for e in read_events(response, 2) if "id" in e]

    assert [e["event"] for e in events] == ["created", "overdue"]


def test_a_subscriber_gets_claim_overdue_signed(make_app, settings, admin, reviewer, receiver):
    with TestClient(make_app(**FAST), raise_server_exceptions=False) as client:
        hook = client.post(
            "/v1/webhooks",
            json={"url": receiver.url, "events": ["claim.overdue", "claim.due_soon"]},
            headers=admin,
        ).json()
        made = client.post(
            "/v1/claims",
            json={"statement": "The bridge opens", "claimant": "Works", **_past_due(settings)},
            headers=reviewer,
        )
        assert made.status_code == 201, made.text

        got = receiver.wait_for(1)
        time.sleep(0.3)

    assert [r.json["type"] for r in receiver.received] == ["claim.overdue"]
    assert Webhook(hook["secret"]).verify(got[0].body, got[0].headers)
    assert got[0].json["data"]["overdue"] is True
    assert got[0].json["data"]["version"] == 2
