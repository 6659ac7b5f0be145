"""Where requests and writes run: the front door, and SQLite writes on the event loop.

The front door (``api.frontdoor``) answers every request to a declared endpoint, valid or not,
and hands everything else to FastAPI. On SQLite, writes run on the event loop and wait for a
busy write lock without blocking it.
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

from api.app import ENDPOINTS
from api.frontdoor import FrontDoor
from claims.status import Role

sqlite_only = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


class Downstream:
    """The app behind the front door, recording what reaches it."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"fastapi"})


def through(door: FrontDoor, method: str, path: str, body: bytes, headers: dict) -> tuple:
    """Send one request through the ASGI layer; return (status, body)."""
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(door(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@pytest.fixture
def door(client) -> tuple[FrontDoor, Downstream]:
    """The front door on the test app's state, in front of a recording app."""
    downstream = Downstream()
    return FrontDoor(downstream, client.app.state, ENDPOINTS), downstream


def test_well_formed_status_change_is_answered_by_the_front_door(door, make_claim, reviewer):
    layer, downstream = door
    claim = make_claim()

    status, body = through(
        layer,
        "POST",
        f"/v1/claims/{claim.id}/status",
        b'{"status": "in_progress", "note": "talks began"}',
        {**reviewer, "If-Match": claim.etag, "Content-Type": "application/json"},
    )

    assert status == 200
    assert orjson.loads(body)["status"] == "in_progress"
    assert downstream.paths == []


@pytest.mark.parametrize(
    ("path", "body", "drop", "expected"),
    [
        ("/v1/claims/{id}/status", b'{"status": "in_progress", "extra": 1}', None, 422),
        ("/v1/claims/{id}/status", b'{"status": "in_progres"}', None, 422),
        ("/v1/claims/{id}/status", b"not json", None, 400),
        ("/v1/claims/{id}/status", b'{"status": "in_progress"}', "If-Match", 428),
        ("/v1/claims/{id}/status", b'{"status": "in_progress"}', "Authorization", 401),
        ("/v1/claims/0/status", b'{"status": "in_progress", "note": "n"}', None, 404),
        ("/v1/claims/99999999999/status", b'{"status": "in_progress", "note": "n"}', None, 404),
        ("/v1/claims/x1/status", b'{"status": "in_progress", "note": "n"}', None, 404),
    ],
)
def test_the_front_door_answers_invalid_requests_to_its_endpoints_too(
    door, make_claim, reviewer, path, body, drop, expected
):
    layer, downstream = door
    claim = make_claim()
    headers = {**reviewer, "If-Match": claim.etag, "Content-Type": "application/json"}
    headers.pop(drop, None)

    status, answer = through(layer, "POST", path.format(id=claim.id), body, headers)

    assert status == expected
    assert orjson.loads(answer)["status"] == expected
    assert downstream.paths == []


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/sources"), ("DELETE", "/v1/claims/1"), ("GET", "/v1/claims/1/claimreview")],
)
def test_requests_to_other_endpoints_go_on_to_fastapi(door, method, path):
    layer, downstream = door

    status, _ = through(layer, method, path, b"", {})

    assert status == 299
    assert downstream.paths == [path]


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
