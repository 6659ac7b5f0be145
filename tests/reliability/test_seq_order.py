"""The change sequence on PostgreSQL: writers commit concurrently, readers never skip a seq.

Writers in several processes take seqs and commit out of seq order (each waits a few random
milliseconds between taking its seq and committing). Readers poll the change feed, through the
storage read and through ``/v1/changes`` of a live server: each must see seqs in increasing
order only, and in the end every committed seq, so that whenever it saw seq N it had seen every
committed seq below N. A write that rolls back holds readers back only while it is in flight
(docs/design.md, "The change sequence").
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from claims import creates, feed, storage, transparency
from claims.config import Settings
from tests.conftest import Database, LiveServer, _fresh_database
from tests.reliability.seq_writers import ACTOR, claim, write_claims

WRITERS, WRITES_EACH = 3, 30


@pytest.fixture
def database(templates: dict, tmp_path: Path) -> Iterator[Database]:
    """PostgreSQL only: SQLite has one writer at a time, so its seqs commit in order."""
    yield from _fresh_database("postgresql", templates, tmp_path)


def _start_writers(url: str) -> list[multiprocessing.process.BaseProcess]:
    """Starts the writer processes and returns once they are all ready, writing together."""
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(WRITERS + 1)
    writers = [
        spawn.Process(target=write_claims, args=(url, w, WRITES_EACH, start))
        for w in range(WRITERS)
    ]
    for process in writers:
        process.start()
    start.wait(60)
    return writers


def _all_seqs(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(storage.event_t.c.seq).order_by("seq")).scalars())


class LateCommits:
    """Watches the event table without a horizon: tells whether a seq ever committed after a
    higher one was visible (else the race under test did not happen)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._visible: set[int] = set()
        self.seen = False

    def look(self) -> None:
        now = set(_all_seqs(self._engine))
        if self._visible and any(s < max(self._visible) for s in now - self._visible):
            self.seen = True
        self._visible = now


def _storage_reader(engine: Engine) -> Callable[[int], list[int]]:
    conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    return lambda since: [c["seq"] for c in feed.changes(conn, since, 1000)["changes"]]


def _http_reader(server: LiveServer) -> Callable[[int], list[int]]:
    client = httpx.Client(base_url=server.url, timeout=10)

    def read(since: int) -> list[int]:
        response = client.get("/v1/changes", params={"since": since, "limit": 1000, "wait": 0.05})
        assert response.status_code == 200, response.text
        return [c["seq"] for c in response.json()["changes"]]

    return read


@pytest.mark.parametrize("door", ["storage", "http"])
def test_readers_see_every_seq_in_order_while_writers_in_three_processes_commit_out_of_order(
    door: str, engine: Engine, settings: Settings, live_server: LiveServer
):
    read = _storage_reader(engine) if door == "storage" else _http_reader(live_server)
    late = LateCommits(engine)
    writers = _start_writers(settings.database_url)
    seen: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        writing = any(p.is_alive() for p in writers)
        late.look()
        seen += read(seen[-1] if seen else 0)
        if not writing and len(seen) >= WRITERS * WRITES_EACH:
            break
    for process in writers:
        process.join(timeout=10)

    assert all(p.exitcode == 0 for p in writers)
    assert late.seen, "no seq committed behind a higher one: the race did not happen"
    assert seen == sorted(set(seen)), "a seq came after a higher one, or twice"
    assert seen == _all_seqs(engine), "a committed seq was never seen"


class InFlight:
    """A write that has taken its seq and waits, in another thread, to be let go."""

    class Abandon(Exception):
        pass

    def __init__(self, engine: Engine, *, commit: bool) -> None:
        self.seq = 0
        self._taken, self._go = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._write, args=(engine, commit))
        self._thread.start()
        assert self._taken.wait(10)

    def _write(self, engine: Engine, commit: bool) -> None:
        with Session(engine) as session:
            try:
                with storage.transaction(session):
                    self.seq = creates.create_claim_in(
                        session, claim("In flight", due_in=1), actor=ACTOR
                    ).seq
                    self._taken.set()
                    self._go.wait(10)
                    if not commit:
                        raise InFlight.Abandon
            except InFlight.Abandon:
                pass

    def finish(self) -> None:
        self._go.set()
        self._thread.join(10)


def _commit_one(engine: Engine, label: str) -> int:
    with Session(engine) as session, storage.transaction(session):
        seq = creates.create_claim_in(session, claim(label), actor=ACTOR).seq
    assert seq is not None
    return seq


def test_a_writer_commits_without_waiting_for_one_in_flight_below_it(engine: Engine):
    below = InFlight(engine, commit=True)
    try:
        started = time.monotonic()
        above = _commit_one(engine, "Committed above")
        took = time.monotonic() - started
    finally:
        below.finish()

    assert above > below.seq
    assert took < 5, "the second writer waited for the first one's commit"


def test_readers_stop_below_a_write_in_flight_and_go_on_when_it_commits(engine: Engine):
    below = InFlight(engine, commit=True)
    above = _commit_one(engine, "Committed above")
    read = _storage_reader(engine)
    with Session(engine) as session:
        held_back = (storage.latest_seq(session), read(0))
    below.finish()
    with Session(engine) as session:
        let_go = (storage.latest_seq(session), read(0))

    assert held_back == (below.seq - 1, list(range(1, below.seq)))
    assert let_go == (above, list(range(1, above + 1)))


def test_a_rolled_back_write_does_not_stall_the_feed(engine: Engine, live_server: LiveServer):
    below = InFlight(engine, commit=False)
    above = _commit_one(engine, "Committed above")
    held = httpx.get(f"{live_server.url}/v1/changes", params={"since": 0, "wait": 0.3})
    below.finish()
    started = time.monotonic()
    after = httpx.get(
        f"{live_server.url}/v1/changes", params={"since": below.seq - 1, "wait": 10}, timeout=15
    )
    took = time.monotonic() - started

    assert above not in [c["seq"] for c in held.json()["changes"]]
    assert [c["seq"] for c in after.json()["changes"]] == [above]
    assert took < 2, "the reader waited on the rolled-back seq"


def test_webhook_fan_out_and_the_transparency_log_stop_below_a_write_in_flight(engine: Engine):
    below = InFlight(engine, commit=True)
    above = _commit_one(engine, "Committed above")
    with Session(engine) as session:
        held = [e.seq for e in storage.events_past(session, 0, 100)]
        held_log = transparency.current_checkpoint(session).size
    below.finish()
    with Session(engine) as session:
        after = [e.seq for e in storage.events_past(session, 0, 100)]
        after_log = transparency.current_checkpoint(session).size

    assert held == list(range(1, below.seq))
    assert held_log == below.seq - 1
    assert after == list(range(1, above + 1))
    assert after_log == above


def test_a_since_above_the_horizon_but_handed_out_is_not_a_future_seq(engine: Engine):
    below = InFlight(engine, commit=True)
    above = _commit_one(engine, "Committed above")
    try:
        with Session(engine) as session:
            latest = feed.check_since(session, above)
    finally:
        below.finish()

    assert latest == below.seq - 1


def test_a_writer_reads_its_own_write_back_while_a_write_below_it_is_in_flight(
    client, engine: Engine, reviewer
):
    body = {"statement": "Talks resume before the summit", "claimant": "Scott Bessent"}
    made = client.post("/v1/claims", json=body, headers=reviewer)
    path = f"/v1/claims/{made.json()['id']}"
    assert client.get(path).status_code == client.get("/v1/claims").status_code == 200  # cached
    below = InFlight(engine, commit=True)
    try:
        moved = client.post(
            f"{path}/status",
            json={"status": "in_progress", "note": "talks"},
            headers={**reviewer, "If-Match": made.headers["ETag"]},
        )
        read_back, listed = client.get(path), client.get("/v1/claims")
    finally:
        below.finish()

    assert moved.status_code == 200, moved.text
    assert (read_back.headers["ETag"], read_back.json()["status"]) == (
        moved.headers["ETag"],
        "in_progress",
    )
    assert [c["status"] for c in listed.json()["items"] if c["id"] == made.json()["id"]] == [
        "in_progress"
    ]
