"""SQLite writes on the event loop's connection (``storage.InlineWriter``).

It never waits for SQLite's write lock, and its WAL is checkpointed by a background thread
that keeps the file from growing without end under a steady stream of writes.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from claims import creates, status_changes, storage
from claims.models import Actor, ClaimCreate, StatusChange
from claims.status import Role

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

EDITOR = Actor(name="ed", role=Role.EDITOR)


@pytest.fixture
def writer(settings):
    """An inline writer on the test's SQLite database."""
    writer = storage.InlineWriter(settings)
    yield writer
    writer.close()


def test_inline_write_refuses_to_wait_for_a_lock_held_elsewhere(writer, settings):
    holder = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(storage.WriterBusy):
            writer.run(creates.create_claim, ClaimCreate(statement="A", claimant="B"), actor=EDITOR)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    written = writer.run(
        creates.create_claim, ClaimCreate(statement="A", claimant="B"), actor=EDITOR
    )
    assert written.claim.version == 1


def test_wal_stops_growing_under_a_steady_stream_of_writes(writer, settings):
    wal = Path(settings.database_url.removeprefix("sqlite:///") + "-wal")
    claim = writer.run(
        creates.create_claim, ClaimCreate(statement="A", claimant="B"), actor=EDITOR
    ).claim
    version, target, sizes = claim.version, "in_progress", []
    for n in range(2400):
        change = StatusChange(status=target, note="steady")
        while True:
            try:
                writer.run(
                    status_changes.change_status,
                    claim.id,
                    change,
                    expected_version=version,
                    actor=EDITOR,
                )
                break
            except storage.WriterBusy:  # a RESTART checkpoint holds the lock for a moment
                time.sleep(0.001)
        version += 1
        target = "stalled" if target == "in_progress" else "in_progress"
        if n % 50 == 0:
            sizes.append(wal.stat().st_size)

    first, second = max(sizes[: len(sizes) // 2]), max(sizes[len(sizes) // 2 :])
    assert second < first * 1.3, f"the WAL kept growing: {first} then {second} bytes"


# The writer's transaction is begun and ended on the driver; a statement run through the
# Session in it (not ``prepared``) makes the Session end it instead.


def _claims(settings) -> list[tuple[str, str]]:
    with sqlite3.connect(settings.database_url.removeprefix("sqlite:///")) as conn:
        return conn.execute("SELECT statement, claimant FROM claim ORDER BY id").fetchall()


def _write(session, *, statement: str, through_the_session: bool, fail: bool):
    with storage.transaction(session):
        creates.create_claim_in(
            session, ClaimCreate(statement=statement, claimant="B"), actor=EDITOR
        )
        if through_the_session:
            session.execute(storage.claim_t.update().values(claimant="C"))
        if fail:
            raise RuntimeError("the unit of work fails after its writes")


@pytest.mark.parametrize("through_the_session", [False, True])
def test_a_unit_of_work_of_the_inline_writer_commits_all_its_writes(
    writer, settings, through_the_session
):
    writer.run(_write, statement="A", through_the_session=through_the_session, fail=False)

    assert _claims(settings) == [("A", "C" if through_the_session else "B")]


@pytest.mark.parametrize("through_the_session", [False, True])
def test_a_failing_unit_of_work_of_the_inline_writer_leaves_nothing_behind(
    writer, settings, through_the_session
):
    with pytest.raises(RuntimeError):
        writer.run(_write, statement="A", through_the_session=through_the_session, fail=True)

    assert _claims(settings) == []
    writer.run(_write, statement="D", through_the_session=False, fail=False)
    assert _claims(settings) == [("D", "B")]
