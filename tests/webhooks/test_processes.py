"""Webhooks with real ``claims serve`` processes: a kill -9 loses no delivery, and two workers
on PostgreSQL deliver each change exactly once, in seq order per claim."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from claims import storage, tokens
from claims.config import Settings
from claims.status import Role
from tests.reliability.conftest import Servers

pytestmark = pytest.mark.slow

ENV = {
    "CLAIMS_WEBHOOKS_ALLOW_PRIVATE": "true",
    "CLAIMS_WEBHOOK_TIMEOUT_S": "1",  # a dead process's lease runs out in 2 x 1 + 5 s
    "CLAIMS_WEBHOOK_POLL_S": "0.2",
    "CLAIMS_WEBHOOK_RETRY_DELAYS": "[0.2, 0.2, 0.2]",
}
HEALTHY = "30"
"""Send timeout where the receiver is healthy: a send that times out is rightly sent again,
which the exactly-once tests would count as a double, and a starved test process (two test
processes on two busy cores) can take over a second to answer."""


@pytest.fixture
def servers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Servers]:
    """Real server processes with quick webhook settings; all killed when the test ends."""
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    helper = Servers(tmp_path)
    try:
        yield helper
    finally:
        helper.kill_all()


def _token(url: str, role: Role) -> dict[str, str]:
    engine = storage.make_engine(Settings(database_url=url), pool_size=1)
    try:
        with Session(engine) as session:
            _row, secret = tokens.create_token(session, f"{role.value}-p", role, by=tokens.OPERATOR)
    finally:
        engine.dispose()
    return {"Authorization": f"Bearer {secret}"}


def _claim(base: str, headers: dict[str, str], n: int) -> tuple[int, str]:
    body = {"statement": f"Process claim {n}", "claimant": "P", "stated_on": "2026-01-02"}
    response = httpx.post(f"{base}/v1/claims", json=body, headers=headers, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["id"], response.headers["ETag"]


def test_a_delivery_in_flight_when_the_server_is_killed_is_sent_after_a_restart(
    servers, settings, receiver
):
    receiver.hold_first = 2.0  # the first send is still waiting for an answer at the kill
    admin, reviewer = (
        _token(settings.database_url, Role.ADMIN),
        _token(settings.database_url, Role.REVIEWER),
    )
    first = servers.start(settings.database_url)
    hook = httpx.post(f"{first.url}/v1/webhooks", json={"url": receiver.url}, headers=admin)
    assert hook.status_code == 201, hook.text
    _claim(first.url, reviewer, 1)
    deadline = time.monotonic() + 10
    while receiver.arrived == 0:
        assert time.monotonic() < deadline, "the first send never arrived"
        time.sleep(0.02)

    first.kill()  # committed, sent, but its outcome never recorded
    second = servers.start(settings.database_url)

    got = receiver.wait_for(2, timeout=20)
    ids = {r.headers["webhook-id"] for r in got}
    assert len(ids) == 1  # the same message again: the receiver can de-duplicate it
    # The outcome is recorded just after the answer (a pass's outcomes are written together).
    listing = f"{second.url}/v1/webhooks/{hook.json()['id']}/deliveries"
    deadline = time.monotonic() + 5
    while (state := httpx.get(listing, headers=admin).json()["items"][0]["state"]) == "pending":
        assert time.monotonic() < deadline, "the second send's outcome was never recorded"
        time.sleep(0.05)
    assert state == "delivered"


def test_two_workers_on_postgresql_deliver_1000_changes_once_each_in_order_per_claim(
    servers, pg_database, receiver, monkeypatch
):
    monkeypatch.setenv("CLAIMS_WEBHOOK_TIMEOUT_S", HEALTHY)
    url = pg_database.url
    admin, reviewer = _token(url, Role.ADMIN), _token(url, Role.REVIEWER)
    server = servers.start(url, workers=2)
    hook = httpx.post(f"{server.url}/v1/webhooks", json={"url": receiver.url}, headers=admin)
    assert hook.status_code == 201, hook.text

    def write(first: int) -> None:  # claims first, first + 4, …: each claim by one thread
        with httpx.Client(base_url=server.url, headers=reviewer, timeout=10) as http:
            for n in range(first, 100, 4):
                body = {"statement": f"Claim {n}", "claimant": "W", "stated_on": "2026-01-02"}
                made = http.post("/v1/claims", json=body)
                claim_id, etag = made.json()["id"], made.headers["ETag"]
                for status in ["in_progress", "stalled"] * 4 + ["in_progress"]:
                    moved = http.post(
                        f"/v1/claims/{claim_id}/status",
                        json={"status": status, "note": "moved"},
                        headers={"If-Match": etag},
                    )
                    assert moved.status_code == 200, moved.text
                    etag = moved.headers["ETag"]

    with ThreadPoolExecutor(4) as pool:  # both workers write, and the burst is shorter
        list(pool.map(write, range(4)))
    got = receiver.wait_for(1000, timeout=60)
    time.sleep(0.5)

    assert len(receiver.received) == 1000
    assert len({r.headers["webhook-id"] for r in got}) == 1000
    by_claim: dict[int, list[int]] = {}
    for r in receiver.received:
        by_claim.setdefault(r.json["data"]["id"], []).append(r.json["data"]["seq"])
    assert all(seqs == sorted(seqs) for seqs in by_claim.values())


def test_two_workers_on_postgresql_note_each_overdue_claim_once_in_feed_and_webhooks(
    servers, pg_database, receiver, monkeypatch
):
    monkeypatch.setenv("CLAIMS_DEADLINE_WATCH", "true")
    monkeypatch.setenv("CLAIMS_WEBHOOK_TIMEOUT_S", HEALTHY)
    monkeypatch.setenv("CLAIMS_DEADLINE_SWEEP_S", "0.1")  # both workers race on every claim
    url = pg_database.url
    admin, reviewer = _token(url, Role.ADMIN), _token(url, Role.REVIEWER)
    server = servers.start(url, workers=2)
    hook = httpx.post(
        f"{server.url}/v1/webhooks",
        json={"url": receiver.url, "events": ["claim.overdue"]},
        headers=admin,
    )
    assert hook.status_code == 201, hook.text
    yesterday = datetime.now(UTC).date() - timedelta(days=1)  # the servers' zone is UTC
    with httpx.Client(base_url=server.url, headers=reviewer, timeout=10) as http:
        for n in range(20):
            body = {
                "statement": f"Overdue claim {n}",
                "claimant": "W",
                "stated_on": (yesterday - timedelta(days=30)).isoformat(),
                "due_by": yesterday.isoformat(),
            }
            assert http.post("/v1/claims", json=body).status_code == 201

        receiver.wait_for(20, timeout=30)
        time.sleep(1.0)  # ten more passes of each worker
        changes = http.get("/v1/changes?limit=200").json()["changes"]

    overdue = [c["claim_id"] for c in changes if c["kind"] == "overdue"]
    assert len(overdue) == len(set(overdue)) == 20
    delivered = [r.json["data"]["id"] for r in receiver.received]
    assert sorted(delivered) == sorted(overdue)
