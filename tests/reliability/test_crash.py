"""Crash safety: a server killed with SIGKILL in the middle of a stream of writes loses nothing.

A real ``claims serve`` process takes writes from several threads; the test kills it with
SIGKILL (no shutdown handler runs, open transactions die with it), starts a new one on the same
database and checks that every write that was acknowledged with a 2xx is there, that
``claims verify`` passes, and that no half-written change is left (``assert_consistent``).
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from claims import storage
from claims.status import Role
from tests.conftest import EVIDENCE, claims_command
from tests.reliability.conftest import (
    ROOT,
    Servers,
    assert_consistent,
    claim_versions,
    wait_until,
)

WRITERS = 6
FLIP = {"pending": "in_progress", "in_progress": "stalled", "stalled": "in_progress"}


@dataclass
class Ledger:
    """What the clients were told: acknowledged writes, and creates whose answer never came."""

    acked: list[tuple[int, int]] = field(default_factory=list)  # (claim id, version)
    claim_ids: list[int] = field(default_factory=list)
    unanswered_creates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    cut: int = 0  # requests whose connection died under them
    lock: threading.Lock = field(default_factory=threading.Lock)


def _new_claim() -> dict[str, Any]:
    tag = uuid.uuid4().hex[:10]
    return {"statement": f"Tariff truce {tag} holds until next year", "claimant": "Li Chenggang"}


class Writer(threading.Thread):
    """Creates, edits, moves and annotates claims until the server stops answering."""

    def __init__(
        self, url: str, headers: dict[str, str], ledger: Ledger, seed: int, creates: float
    ) -> None:
        super().__init__(name=f"crash-writer-{seed}", daemon=True)
        self.url, self.headers, self.ledger, self.creates = url, headers, ledger, creates
        self.rng = random.Random(seed)
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with httpx.Client(base_url=self.url, timeout=10) as client:
                while self._write_once(client):
                    pass
        except BaseException as exc:  # reported by the test
            self.error = exc

    def _write_once(self, client: httpx.Client) -> bool:
        """Send one write; return False once the server is gone."""
        roll = self.rng.random()
        try:
            if roll < self.creates:
                return self._create(client)
            with self.ledger.lock:
                claim_id = self.rng.choice(self.ledger.claim_ids)
            current = client.get(f"/v1/claims/{claim_id}")
            headers = {**self.headers, "If-Match": current.headers["ETag"]}
            roll = self.rng.random()
            if roll < 0.5:
                body = {"status": FLIP[current.json()["status"]], "note": "news"}
                response = client.post(f"/v1/claims/{claim_id}/status", json=body, headers=headers)
            elif roll < 0.8:
                response = client.post(
                    f"/v1/claims/{claim_id}/evidence", json=EVIDENCE, headers=headers
                )
            else:
                response = client.patch(
                    f"/v1/claims/{claim_id}", json={"quote": f"q{roll}"}, headers=headers
                )
        except httpx.TransportError:
            with self.ledger.lock:
                self.ledger.cut += 1
            return False
        # 503 is a refusal the client may retry; test_races pins when it must not happen.
        assert response.status_code in (200, 412, 503), response.text
        if response.status_code == 200:
            with self.ledger.lock:
                self.ledger.acked.append((claim_id, response.json()["version"]))
        return True

    def _create(self, client: httpx.Client) -> bool:
        key, body = uuid.uuid4().hex, _new_claim()
        try:
            response = client.post(
                "/v1/claims", json=body, headers={**self.headers, "Idempotency-Key": key}
            )
        except httpx.TransportError:
            with self.ledger.lock:
                self.ledger.cut += 1
                self.ledger.unanswered_creates.append((key, body))
            return False
        assert response.status_code == 201, response.text
        with self.ledger.lock:
            self.ledger.claim_ids.append(response.json()["id"])
            self.ledger.acked.append((response.json()["id"], 1))
        return True


def _write_then_kill(
    servers: Servers, database_url: str, editor: dict, ledger: Ledger, *, creates: float = 0.15
) -> None:
    """Start a server, stream writes at it, SIGKILL it once some writes got through.

    ``creates`` is the share of the writes that create claims (with an Idempotency-Key).
    """
    server = servers.start(database_url)
    if not ledger.claim_ids:
        for _ in range(4):
            response = httpx.post(f"{server.url}/v1/claims", json=_new_claim(), headers=editor)
            ledger.claim_ids.append(response.json()["id"])
            ledger.acked.append((response.json()["id"], 1))
    acked_before = len(ledger.acked)
    writers = [Writer(server.url, editor, ledger, seed, creates) for seed in range(WRITERS)]
    for w in writers:
        w.start()
    wait_until(lambda: len(ledger.acked) - acked_before >= 150, timeout=20)

    server.kill()

    for w in writers:
        w.join(timeout=30)
    assert [w.error for w in writers] == [None] * WRITERS


@pytest.mark.slow
def test_sigkill_mid_stream_keeps_every_acknowledged_write_and_no_half_write(
    servers: Servers, settings, engine, make_token
):
    editor = make_token(Role.EDITOR, "crash-editor")
    ledger = Ledger()

    for _round in range(2):
        _write_then_kill(servers, settings.database_url, editor, ledger)
    server = servers.start(settings.database_url)

    assert ledger.cut > 0  # the kill did land in the middle of requests
    versions = claim_versions(engine)
    lost = [(c, v) for c, v in ledger.acked if versions.get(c, 0) < v]
    assert lost == []
    for claim_id, version in ledger.acked[-20:]:  # and the restarted server serves them
        assert httpx.get(f"{server.url}/v1/claims/{claim_id}").json()["version"] >= version
    verify = claims_command(settings.database_url, "verify")
    assert verify.returncode == 0, verify.stderr
    assert_consistent(engine)
    if settings.database_url.startswith("sqlite"):
        path = settings.database_url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.slow
def test_create_retried_after_sigkill_with_its_idempotency_key_is_never_doubled(
    servers: Servers, settings, engine, make_token
):
    editor = make_token(Role.EDITOR, "crash-editor")
    ledger = Ledger()
    for _round in range(3):  # until some create lost its answer in the kill (almost always)
        _write_then_kill(servers, settings.database_url, editor, ledger, creates=0.6)
        if ledger.unanswered_creates:
            break
    assert ledger.unanswered_creates, "no create was in flight when the server was killed"
    server = servers.start(settings.database_url)

    for key, body in ledger.unanswered_creates:
        retry = httpx.post(
            f"{server.url}/v1/claims", json=body, headers={**editor, "Idempotency-Key": key}
        )

        # 201 (created now, or the first attempt's answer replayed), or 409 while the key
        # taken by the killed process is not yet abandoned; never a second claim.
        assert retry.status_code in (201, 409), retry.text
        with engine.connect() as conn:
            copies = conn.execute(
                sa.select(sa.func.count())
                .select_from(storage.claim_t)
                .where(storage.claim_t.c.statement == body["statement"])
            ).scalar_one()
        assert copies == 1 if retry.status_code == 201 else copies <= 1
    assert_consistent(engine)


# Every app has a change hub whose seq poll runs in a worker thread. Stopping an app (SIGTERM,
# the end of a TestClient) must not close that poll's connection while the thread still uses
# it: on SQLite that is a segmentation fault of the whole process. Twenty hubs stopped at once,
# forty times, make the race show within seconds; the script runs in its own process so that
# a crash fails this test instead of ending the test run.
HUB_CHURN = """
import asyncio, random, sys
from claims import storage
from claims.config import Settings
from claims.notify import ChangeHub

settings = Settings(database_url=sys.argv[1], poll_interval_ms=10)
engine = storage.make_engine(settings)

async def main():
    for _ in range(40):
        hubs = [ChangeHub(settings, engine) for _ in range(20)]
        for hub in hubs:
            await hub.start()
        await asyncio.sleep(random.uniform(0.01, 0.04))
        for hub in hubs:
            await hub.stop()

asyncio.run(main())
"""


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_stopping_apps_while_their_seq_poll_runs_never_crashes_the_process(settings):
    result = subprocess.run(
        [sys.executable, "-c", HUB_CHURN, settings.database_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, f"exit {result.returncode}\n{result.stderr[-3000:]}"
