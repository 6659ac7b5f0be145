"""Where writes run: the status-change fast path, and SQLite writes on the event loop.

The fast path (``api.fastwrites``) must answer exactly like the route: it handles well-formed
status changes itself and hands everything else, body intact, to the route. On SQLite, writes
run on the event loop and wait for a busy write lock without blocking it.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from typing import Any

import httpx
import orjson
import pytest

from api.fastwrites import FastStatusChanges
from claims.status import Role

sqlite_only = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


class Downstream:
    """The app behind the fast path, recording what reaches it."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        message = await receive()
        self.bodies.append(message.get("body", b""))
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"route"})


def post_through(layer: FastStatusChanges, path: str, body: bytes, headers: dict) -> tuple:
    """Send one POST through the ASGI layer; return (status, body)."""
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(layer(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@pytest.fixture
def fast(client) -> tuple[FastStatusChanges, Downstream]:
    """The fast-path layer on the test app's state, in front of a recording app."""
    downstream = Downstream()
    return FastStatusChanges(downstream, client.app.state), downstream


def test_well_formed_status_change_is_answered_without_the_route(fast, make_claim, reviewer):
    layer, downstream = fast
    claim = make_claim()

    status, body = post_through(
        layer,
        f"/v1/claims/{claim.id}/status",
        b'{"status": "in_progress", "note": "talks began"}',
        {**reviewer, "If-Match": claim.etag, "Content-Type": "application/json"},
    )

    assert status == 200
    assert orjson.loads(body)["status"] == "in_progress"
    assert downstream.bodies == []


@pytest.mark.parametrize(
    ("path", "body", "drop"),
    [
        ("/v1/claims/{id}/status", b'{"status": "in_progress", "extra": 1}', None),
        ("/v1/claims/{id}/status", b'{"status": "in_progres"}', None),
        ("/v1/claims/{id}/status", b"not json", None),
        ("/v1/claims/{id}/status", b'{"status": "in_progress"}', "If-Match"),
        ("/v1/claims/{id}/status", b'{"status": "in_progress"}', "Authorization"),
        ("/v1/claims/0/status", b'{"status": "in_progress"}', None),
        ("/v1/claims/99999999999/status", b'{"status": "in_progress"}', None),
        ("/v1/claims/x1/status", b'{"status": "in_progress"}', None),
    ],
)
def test_requests_the_fast_path_does_not_understand_reach_the_route_with_their_body(
    fast, make_claim, reviewer, path, body, drop
):
    layer, downstream = fast
    claim = make_claim()
    headers = {**reviewer, "If-Match": claim.etag, "Content-Type": "application/json"}
    headers.pop(drop, None)

    status, answer = post_through(layer, path.format(id=claim.id), body, headers)

    assert (status, answer) == (299, b"route")
    assert downstream.bodies == [body]


def test_unknown_token_reaches_the_route(fast, make_claim):
    layer, downstream = fast
    claim = make_claim()

    status, _ = post_through(
        layer,
        f"/v1/claims/{claim.id}/status",
        b'{"status": "in_progress"}',
        {"Authorization": "Bearer ct_nobody", "If-Match": claim.etag},
    )

    assert status == 299
    assert len(downstream.bodies) == 1


def test_refusal_on_the_fast_path_is_the_handlers_problem(fast, make_claim, reviewer):
    layer, downstream = fast
    claim = make_claim()

    status, body = post_through(
        layer,
        f"/v1/claims/{claim.id}/status",
        b'{"status": "fulfilled", "note": "done"}',
        {**reviewer, "If-Match": claim.etag},
    )

    assert status == 403
    assert orjson.loads(body)["type"] == "/problems/forbidden"
    assert downstream.bodies == []


def test_status_change_answers_the_claim_as_a_get_then_shows_it(client, make_claim, reviewer):
    claim = make_claim()

    changed = client.post(
        f"/v1/claims/{claim.id}/status",
        json={"status": "in_progress", "note": "talks began"},
        headers={**reviewer, "If-Match": claim.etag},
    )
    read = client.get(f"/v1/claims/{claim.id}")

    assert changed.status_code == 200
    assert changed.json() == read.json()
    assert changed.headers["etag"] == read.headers["etag"]
    assert changed.headers["content-type"] == "application/json"


# ---------------------------------------------------------------------------------------------
# SQLite writes wait for the lock without holding up the event loop


@sqlite_only
def test_write_waits_for_sqlites_lock_while_reads_go_on(live_server, settings, make_token):
    editor = make_token(Role.EDITOR, "patient-editor")
    base = live_server.url
    created = httpx.post(
        f"{base}/v1/claims", json={"statement": "Tariffs fall", "claimant": "A"}, headers=editor
    )
    claim_id, etag = created.json()["id"], created.headers["etag"]
    holder = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    result: dict[str, Any] = {}

    def write() -> None:
        result["response"] = httpx.post(
            f"{base}/v1/claims/{claim_id}/status",
            json={"status": "in_progress", "note": "moving"},
            headers={**editor, "If-Match": etag},
            timeout=10,
        )

    writer = threading.Thread(target=write)
    writer.start()
    try:
        time.sleep(0.3)
        started = time.monotonic()
        read = httpx.get(f"{base}/v1/claims/{claim_id}", timeout=5)
        read_took = time.monotonic() - started
        assert writer.is_alive(), "the write should still be waiting for the lock"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    writer.join(10)

    assert read.status_code == 200
    assert read.json()["status"] == "pending"
    assert read_took < 0.25
    assert result["response"].status_code == 200
    assert result["response"].json()["status"] == "in_progress"
