"""SQLite's claim cache misses share a read transaction per settled mark
(``storage/snapshots.py``): none is held while the mark moves, a new mark or the lifetime's
end begins a new one, and an idle or failed one ends."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from claims import creates, status_changes, storage
from claims.config import Settings
from claims.models import Actor, ClaimCreate, StatusChange
from claims.status import Role
from tests.conftest import on_a_loop_of_its_own

EDITOR = Actor(name="ed", role=Role.EDITOR)


@pytest.fixture
def sqlite_file(templates: dict, tmp_path: Path) -> Path:
    target = tmp_path / "claims.db"
    shutil.copy(templates["sqlite"], target)
    return target


@pytest.fixture
def settings(sqlite_file: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{sqlite_file}")


@pytest.fixture
def claim_id(settings: Settings) -> int:
    engine = storage.make_engine(settings)
    with Session(engine) as session:
        written = creates.create_claim(
            session,
            ClaimCreate(statement="The bridge reopens by March", claimant="Transport ministry"),
            actor=EDITOR,
        )
    engine.dispose()
    return written.claim.id


def _move_to(settings: Settings, claim_id: int, status: str, version: int) -> None:
    """A write the reader hears nothing of, on a connection of its own."""
    engine = storage.make_engine(settings)
    with Session(engine) as session:
        status_changes.change_status(
            session,
            claim_id,
            StatusChange(status=status, note="work began"),
            expected_version=version,
            actor=EDITOR,
        )
    engine.dispose()


def _reading(settings: Settings, scenario, *, settle: float = 0.0, lifetime: float = 60) -> None:
    """Run ``scenario(reader)`` on a loop; by default a mark settles at once and a held
    transaction outlasts the test (a loaded machine may take long between two reads)."""

    async def run() -> None:
        reader = storage.SnapshotReader(storage.make_engine(settings, pool_size=1), poll_interval=0)
        reader.settle, reader.LIFETIME = settle, lifetime
        try:
            await scenario(reader)
        finally:
            reader.close()

    on_a_loop_of_its_own(run())


def _status(reader: storage.SnapshotReader, mark: str, claim_id: int) -> str:
    return reader.run(mark, storage.find_claim, claim_id).status


def _restart_checkpoint_busy(path: Path) -> bool:
    """Whether a RESTART checkpoint finds a reader in the way (it does not wait for one)."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
        return busy == 1
    finally:
        conn.close()


def test_the_settle_time_is_two_polls_and_at_least_the_lifetime(settings: Settings):
    engine = storage.make_engine(settings, pool_size=1)
    slow = storage.SnapshotReader(engine, poll_interval=0.25)
    quick = storage.SnapshotReader(engine, poll_interval=0.01)
    try:
        assert slow.settle == 0.5
        assert quick.settle == storage.SnapshotReader.LIFETIME
    finally:
        slow.close()
        quick.close()


def test_reads_under_one_settled_mark_share_a_snapshot(settings: Settings, claim_id: int):
    async def scenario(reader: storage.SnapshotReader) -> None:
        assert _status(reader, "1", claim_id) == "pending"
        _move_to(settings, claim_id, "in_progress", 1)

        assert _status(reader, "1", claim_id) == "pending"

    _reading(settings, scenario)


def test_reads_run_in_autocommit_until_the_mark_settles(settings: Settings, claim_id: int):
    async def scenario(reader: storage.SnapshotReader) -> None:
        assert _status(reader, "1", claim_id) == "pending"
        _move_to(settings, claim_id, "in_progress", 1)

        assert _status(reader, "1", claim_id) == "in_progress"

    _reading(settings, scenario, settle=60)


def test_a_moving_mark_releases_the_held_snapshot(
    settings: Settings, sqlite_file: Path, claim_id: int
):
    async def scenario(reader: storage.SnapshotReader) -> None:
        _status(reader, "1", claim_id)  # "1" seen: it settles 0.05 s from here
        await asyncio.sleep(0.06)
        _status(reader, "1", claim_id)  # settled: this read begins a held transaction
        _move_to(settings, claim_id, "in_progress", 1)
        held = _restart_checkpoint_busy(sqlite_file)
        _status(reader, "2", claim_id)  # a write was heard of: the mark is new

        assert held
        assert not _restart_checkpoint_busy(sqlite_file)

    _reading(settings, scenario, settle=0.05)


def test_a_failed_read_ends_the_held_snapshot(settings: Settings, claim_id: int):
    def failing(_conn) -> None:
        # Not an OperationalError: the reader would take that for a lost connection
        raise sa.exc.ProgrammingError("SELECT nope", {}, Exception("no such column: nope"))

    async def scenario(reader: storage.SnapshotReader) -> None:
        _status(reader, "1", claim_id)
        with pytest.raises(sa.exc.ProgrammingError):
            reader.run("1", failing)
        _move_to(settings, claim_id, "in_progress", 1)
        reader.settle = 60  # the next mark does not settle: its reads run in autocommit

        assert _status(reader, "2", claim_id) == "in_progress"

    _reading(settings, scenario)


def test_a_new_mark_begins_a_new_snapshot(settings: Settings, claim_id: int):
    async def scenario(reader: storage.SnapshotReader) -> None:
        assert _status(reader, "1", claim_id) == "pending"
        _move_to(settings, claim_id, "in_progress", 1)

        assert _status(reader, "2", claim_id) == "in_progress"

    _reading(settings, scenario)


def test_a_snapshot_is_not_read_past_its_lifetime(settings: Settings, claim_id: int):
    async def scenario(reader: storage.SnapshotReader) -> None:
        assert _status(reader, "1", claim_id) == "pending"
        _move_to(settings, claim_id, "in_progress", 1)
        await asyncio.sleep(0.06)

        assert _status(reader, "1", claim_id) == "in_progress"

    _reading(settings, scenario, lifetime=0.05)


def test_an_idle_snapshot_ends_and_lets_the_wal_restart(
    settings: Settings, sqlite_file: Path, claim_id: int
):
    async def scenario(reader: storage.SnapshotReader) -> None:
        _status(reader, "1", claim_id)
        _move_to(settings, claim_id, "in_progress", 1)
        held = _restart_checkpoint_busy(sqlite_file)
        await asyncio.sleep(0.1)  # no read meanwhile: the timer ends the transaction

        assert held
        assert not _restart_checkpoint_busy(sqlite_file)

    _reading(settings, scenario, lifetime=0.05)
