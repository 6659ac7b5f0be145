"""Idempotency-Key on creates: a retry replays the first response and creates nothing."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy import orm
from sqlmodel import Session

from claims import idempotency, storage
from claims.clock import now
from claims.idempotency import ABANDONED_AFTER, KEEP_FOR, request_hash
from claims.models import ClaimCreate
from claims.status import Role
from tests.conftest import Database, write_marks

BODY = {"statement": "China resumes soybean purchases", "claimant": "Scott Bessent"}


def test_retry_with_same_key_and_body_replays_the_first_response(client, reviewer, engine):
    first = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-1"})
    after_first = write_marks(engine)

    retry = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-1"})

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["ETag"] == first.headers["ETag"]
    assert write_marks(engine) == after_first


def test_replay_returns_the_first_body_even_after_an_edit(client, reviewer, editor):
    first = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-2"})
    client.patch(
        first.headers["Location"],
        json={"quote": "new"},
        headers={**editor, "If-Match": first.headers["ETag"]},
    )

    retry = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-2"})

    assert retry.json() == first.json()


def test_same_key_with_another_body_is_422_and_writes_nothing(client, reviewer, engine):
    client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-3"})
    before = write_marks(engine)

    response = client.post(
        "/v1/claims",
        json={**BODY, "statement": "Something else"},
        headers={**reviewer, "Idempotency-Key": "k-3"},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert write_marks(engine) == before


def test_key_left_running_by_an_earlier_version_is_409(client, reviewer, engine):
    # Earlier versions recorded a key as running before the create; during a rolling upgrade
    # such a request may still be working.
    with Session(engine) as session, storage.transaction(session):
        digest = request_hash(ClaimCreate(**BODY))
        storage.insert_key(session, "rita-reviewer", "create_claim", "k-4", digest, now())
    before = write_marks(engine)

    response = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-4"})

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert write_marks(engine) == before


def test_key_left_running_longer_than_a_minute_is_taken_over(client, reviewer, engine):
    # A process that died after recording the key (earlier versions did so before the create).
    with Session(engine) as session, storage.transaction(session):
        digest = request_hash(ClaimCreate(**BODY))
        long_ago = now() - ABANDONED_AFTER - timedelta(seconds=5)
        storage.insert_key(session, "rita-reviewer", "create_claim", "k-8", digest, long_ago)

    first = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-8"})
    retry = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-8"})

    assert first.status_code == 201, first.text
    assert retry.status_code == 201
    assert retry.json() == first.json()


def test_keys_older_than_they_are_kept_are_forgotten(client, reviewer, engine):
    with Session(engine) as session, storage.transaction(session):
        digest = request_hash(ClaimCreate(**BODY))
        stale = now() - KEEP_FOR - timedelta(minutes=1)
        storage.insert_key(session, "rita-reviewer", "create_claim", "k-9", digest, stale)

    client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-10"})

    with Session(engine) as session:
        assert storage.find_key(session, "rita-reviewer", "create_claim", "k-9") is None
        assert storage.find_key(session, "rita-reviewer", "create_claim", "k-10") is not None


def test_write_lock_taken_right_after_the_key_is_recorded_never_sticks_at_409(
    client, reviewer, database
):
    holder = WriteLock(database, hold_for=0.5)

    with holder.taken_after_the_key_is_recorded():
        first = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-7"})
    holder.released.wait(timeout=10)
    retry = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-7"})

    assert holder.held.is_set()
    assert first.status_code in (201, 503), first.text
    assert retry.status_code == 201, retry.text
    if first.status_code == 201:
        assert retry.json() == first.json()
    assert len(client.get("/v1/claims").json()["items"]) == 1


def test_keys_belong_to_one_token(client, make_token, reviewer):
    other = make_token(Role.REVIEWER, "other-reviewer")
    first = client.post("/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": "k-5"})

    second = client.post("/v1/claims", json=BODY, headers={**other, "Idempotency-Key": "k-5"})

    assert second.status_code == 201
    assert second.json()["id"] != first.json()["id"]


def test_failed_create_releases_the_key(client, reviewer):
    bad = client.post(
        "/v1/claims",
        json={**BODY, "source_id": 999},
        headers={**reviewer, "Idempotency-Key": "k-6"},
    )

    fixed = client.post(
        "/v1/claims",
        json={**BODY, "source_id": None},
        headers={**reviewer, "Idempotency-Key": "k-6"},
    )

    assert bad.status_code == 422
    assert fixed.status_code == 201


def test_source_create_is_idempotent_too(client, reviewer):
    body = {"title": "Meet the Press, 26 October 2025"}

    first = client.post("/v1/sources", json=body, headers={**reviewer, "Idempotency-Key": "s-1"})
    retry = client.post("/v1/sources", json=body, headers={**reviewer, "Idempotency-Key": "s-1"})

    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert len(client.get("/v1/sources").json()["items"]) == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "tab\there", "ünïcode"])
def test_malformed_key_is_422_naming_the_header(client, reviewer, engine, key):
    before = write_marks(engine)

    response = client.post(
        "/v1/claims", json=BODY, headers={**reviewer, "Idempotency-Key": key.encode("utf-8")}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert write_marks(engine) == before


class WriteLock:
    """A second connection that takes the database's write lock for ``hold_for`` seconds.

    SQLite: ``BEGIN IMMEDIATE`` on the same file; PostgreSQL: the claim and key tables locked
    against writers. It is taken the moment the first transaction that recorded an
    Idempotency-Key commits: the narrowest window a busy database can hit.
    """

    def __init__(self, database: Database, *, hold_for: float) -> None:
        self.database = database
        self.hold_for = hold_for
        self.held = threading.Event()
        self.released = threading.Event()

    @contextlib.contextmanager
    def taken_after_the_key_is_recorded(self) -> Iterator[None]:
        """Arm the lock for the requests made inside the block."""

        # The key's insert runs on the driver's cursor (``Prepared``) and SQLite's writer
        # commits on the driver, past the ORM's events: the transaction that records a key is
        # marked by wrapping the storage function, and its commit heard as every write's is.
        record = storage.insert_keys
        recorded_key = threading.Event()

        def recording(session: orm.Session, *args: Any) -> list[bool]:
            recorded = record(session, *args)
            recorded_key.set()
            return recorded

        def committed(_engine: Any, _seqs: list[int]) -> None:
            if recorded_key.is_set() and not self.held.is_set():
                threading.Thread(target=self._hold, daemon=True).start()
                self.held.wait(timeout=5)

        storage.insert_keys = recording
        storage.add_commit_listener(committed)
        try:
            yield
        finally:
            storage.insert_keys = record
            storage.remove_commit_listener(committed)

    def _hold(self) -> None:
        conn: Any
        if self.database.backend == "sqlite":
            path = self.database.url.removeprefix("sqlite:///")
            conn = sqlite3.connect(path, isolation_level=None, timeout=5)
            conn.execute("BEGIN IMMEDIATE")
        else:
            conn = psycopg.connect(self.database.url.replace("+psycopg", "", 1))
            conn.execute("LOCK TABLE claim, idempotency_key IN EXCLUSIVE MODE")
        self.held.set()
        time.sleep(self.hold_for)
        conn.execute("ROLLBACK")
        conn.close()
        self.released.set()


def _stale_key(engine: Any, key: str) -> None:
    with Session(engine) as session, storage.transaction(session):
        digest = request_hash(ClaimCreate(**BODY))
        stale = now() - KEEP_FOR - timedelta(minutes=1)
        storage.insert_key(session, "rita-reviewer", "create_claim", key, digest, stale)


def _create(client: Any, reviewer: dict[str, str], key: str, statement: str) -> None:
    body = {**BODY, "statement": statement}
    response = client.post("/v1/claims", json=body, headers={**reviewer, "Idempotency-Key": key})
    assert response.status_code == 201, response.text


def _kept(engine: Any, key: str) -> bool:
    with Session(engine) as session:
        return storage.find_key(session, "rita-reviewer", "create_claim", key) is not None


def test_old_keys_are_purged_at_most_every_few_minutes(client, reviewer, engine, monkeypatch):
    started = now()
    _create(client, reviewer, "k-11", "First of three creates")  # purges: the first here
    _stale_key(engine, "k-12")

    monkeypatch.setattr(idempotency, "now", lambda: started + timedelta(minutes=1))
    _create(client, reviewer, "k-13", "Second of three creates")
    kept_a_minute_later = _kept(engine, "k-12")
    later = started + idempotency.PURGE_EVERY + timedelta(seconds=1)
    monkeypatch.setattr(idempotency, "now", lambda: later)
    _create(client, reviewer, "k-14", "Third of three creates")

    assert kept_a_minute_later
    assert not _kept(engine, "k-12")
