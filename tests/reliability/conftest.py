"""Helpers for the reliability suite: real server processes, and checks of the stored data.

``serve`` starts ``python -m claims serve`` as a real process on the test's database (the
same command an operator runs) and kills every process it started when the test ends.
``assert_consistent`` reads the tables directly and checks what "no write is ever lost, never
a half-written change" means in rows: each claim's version equals its number of events, the
seq counter equals the last event's seq, every evidence row points to an event of its claim.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from claims import storage

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServerProcess:
    """One ``claims serve`` process; its output goes to ``log``."""

    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL the server: no shutdown handler, no final commit, no flush."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def output(self) -> str:
        """What the server printed so far."""
        return self.log.read_text(errors="replace")


@dataclass
class Servers:
    """Starts ``claims serve`` processes and remembers them, to kill them all at the end."""

    tmp_path: Path
    started: list[ServerProcess] = field(default_factory=list)

    def start(
        self, database_url: str, *, port: int | None = None, workers: int = 1
    ) -> ServerProcess:
        """Start a server on ``database_url`` and wait until /healthz answers 200."""
        port = port or free_port()
        log = self.tmp_path / f"serve-{port}-{len(self.started)}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "claims",
                    "serve",
                    "--no-seed",
                    "--port",
                    str(port),
                    "--workers",
                    str(workers),
                ],
                cwd=ROOT,
                env={**os.environ, "CLAIMS_DATABASE_URL": database_url},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: a kill takes its workers too
            )
        server = ServerProcess(f"http://127.0.0.1:{port}", proc, log)
        self.started.append(server)
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"claims serve exited early:\n{server.output()}")
            try:
                if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"claims serve did not answer in 60 s:\n{server.output()}")
            time.sleep(0.1)

    def kill_all(self) -> None:
        """Kill every process this helper started (idempotent)."""
        for server in self.started:
            with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
                server.kill()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    """Start real ``claims serve`` processes; all of them are killed when the test ends."""
    helper = Servers(tmp_path)
    try:
        yield helper
    finally:
        helper.kill_all()




# ---------------------------------------------------------------------------------------------
# Checks of the stored data


def assert_consistent(engine: Engine) -> None:
    """Fail unless the database holds only whole writes (see the module docstring)."""
    with engine.connect() as conn:
        claims = conn.execute(
            sa.select(storage.claim_t.c.id, storage.claim_t.c.version, storage.claim_t.c.status)
        ).all()
        events = conn.execute(
            sa.select(
                storage.event_t.c.seq,
                storage.event_t.c.claim_id,
                storage.event_t.c.version,
                storage.event_t.c.status,
            ).order_by(storage.event_t.c.seq)
        ).all()
        evidence = conn.execute(
            sa.select(storage.evidence_t.c.claim_id, storage.evidence_t.c.event_seq)
        ).all()
        counter = storage.latest_seq(conn)
        tally = _tally_sums(conn)
        counted = _claims_counted(conn)
    by_claim: dict[int, list[Any]] = {}
    for e in events:
        by_claim.setdefault(e.claim_id, []).append(e)
    problems: list[str] = []
    for c in claims:
        chain = by_claim.pop(c.id, [])
        if [e.version for e in chain] != list(range(1, c.version + 1)):
            problems.append(
                f"claim {c.id} is at version {c.version} but its events carry versions "
                f"{[e.version for e in chain]}"
            )
        elif chain[-1].status != c.status:
            problems.append(
                f"claim {c.id} is {c.status} but its last event says {chain[-1].status}"
            )
    if by_claim:
        problems.append(f"events of claims that do not exist: {sorted(by_claim)}")
    last_seq = events[-1].seq if events else 0
    # SQLite hands out seqs under its one write lock: no gap. PostgreSQL's sequence leaves the
    # seq of a transaction that died (a kill -9 mid-write) unused (docs/design.md).
    dense = engine.dialect.name == "sqlite"
    if counter < last_seq or (dense and counter != last_seq):
        problems.append(f"the seq counter is {counter} but the last event has seq {last_seq}")
    owners = {e.seq: e.claim_id for e in events}
    for row in evidence:
        if owners.get(row.event_seq) != row.claim_id:
            problems.append(
                f"evidence of claim {row.claim_id} points to event {row.event_seq}, "
                f"which belongs to {owners.get(row.event_seq)}"
            )
    if tally != counted:
        problems.append(f"the tally says {tally} but the claims count {counted}")
    assert not problems, "\n".join(problems)


def _tally_sums(conn: sa.Connection) -> dict[tuple[str, Any], int]:
    """The summary's counts per (status, deadline): the tally rows summed over shards."""
    t = storage.tally_t.c
    rows = conn.execute(
        sa.select(t.status, t.due_key, sa.func.sum(t.count)).group_by(t.status, t.due_key)
    ).all()
    return {(r[0], r[1]): int(r[2]) for r in rows if r[2]}


def _claims_counted(conn: sa.Connection) -> dict[tuple[str, Any], int]:
    """The claims themselves counted per (status, deadline), open-ended as the tally keys them."""
    c = storage.claim_t.c
    due = sa.func.coalesce(c.due_by, sa.literal(storage.OPEN_ENDED, sa.Date()))
    rows = conn.execute(sa.select(c.status, due, sa.func.count()).group_by(c.status, due)).all()
    return {(r[0], r[1]): int(r[2]) for r in rows}


def claim_versions(engine: Engine) -> dict[int, int]:
    """Every claim's current version, by id."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(storage.claim_t.c.id, storage.claim_t.c.version)).all()
    return {r.id: r.version for r in rows}


def canonical(value: Any) -> bytes:
    """Canonical JSON as SPEC section 2 defines it, written out here independently of the app."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def recompute_chain(events: list[dict[str, Any]]) -> list[str]:
    """Recompute each event's hash from the public history; return what is wrong (empty: ok)."""
    wrong: list[str] = []
    prev: str | None = None
    for event in events:
        body = {k: v for k, v in event.items() if k != "hash"}
        if event["prev_hash"] != prev:
            wrong.append(f"seq {event['seq']}: prev_hash {event['prev_hash']} != {prev}")
        digest = hashlib.sha256((prev or "").encode("utf-8") + canonical(body)).hexdigest()
        if digest != event["hash"]:
            wrong.append(f"seq {event['seq']}: hash {event['hash']} != recomputed {digest}")
        prev = event["hash"]
    return wrong


Until = Callable[[], bool]


def wait_until(condition: Until, timeout: float, step: float = 0.05) -> bool:
    """Poll ``condition`` until it is true or ``timeout`` seconds pass; return the last answer."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(step)


@pytest.fixture
def claim(make_claim: Any) -> Any:
    """A pending claim, stated 2025-10-26, due 2025-12-31 (the hostile-input tests' target)."""
    return make_claim()
