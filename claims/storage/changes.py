"""What a write to a claim records after its row: its history event, the event's evidence, the
claim's moves in the tally, and a new claim's topic index rows.

On PostgreSQL these go in one statement (data-modifying CTEs), for one write or for the
several of a group commit: the rows are one JSON parameter that ``json_to_recordset`` turns
back into rows (``arrays``), so the statement's text does not depend on how many it writes.
A write's cost there is its round trips: each statement costs the server process ~80 µs of CPU
in the driver and the socket alone, and a status change took seven (bench/README.md, fifteenth
session). On SQLite, where a statement is a function call, the same inserts run one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from claims.storage.arrays import as_rows, rows_of
from claims.storage.claims import (
    Move,
    TallyKey,
    add_moves,
    tally_moves,
    tally_rows,
    write_topics,
)
from claims.storage.engine import is_sqlite
from claims.storage.events import insert_event, insert_evidence
from claims.storage.prepared import Prepared
from claims.storage.tables import event_t, evidence_t, tally_t, topic_t


@dataclass(frozen=True)
class Change:
    """What one write to a claim records after its row (see ``insert_changes``)."""

    claim_id: int
    event: dict[str, Any]
    evidence: Sequence[dict[str, Any]] = ()
    moves: Sequence[Move] = ()
    topics: Sequence[str] = ()


def insert_change(
    session: Session,
    claim_id: int,
    *,
    event: dict[str, Any],
    evidence: Sequence[dict[str, Any]] = (),
    moves: Sequence[Move] = (),
    topics: Sequence[str] = (),
) -> None:
    """Insert ``event`` and its ``evidence`` rows, add ``moves`` to the tally, and insert the
    topic index rows of a new claim, once the claim's row is written (``insert_claim``, or
    the compare-and-set of ``update_claim``)."""
    insert_changes(session, [Change(claim_id, event, evidence, moves, topics)])


def insert_changes(session: Session, changes: Sequence[Change]) -> None:
    """``insert_change`` for several writes of one unit of work (each event has the same
    columns): on PostgreSQL one statement for them all, however many.

    The tally rows are the ones every writer shares. On PostgreSQL their locks are taken in
    this statement, which comes last before COMMIT; so a unit of work that calls it adds no
    tally moves of its own afterwards (``tally_moves`` would lock rows in a second order)."""
    if is_sqlite(session):
        for change in changes:
            insert_event(session, change.event)
            insert_evidence(session, list(change.evidence))
            write_topics(session, change.claim_id, list(change.topics))
            if change.moves:
                tally_moves(session, change.claim_id, list(change.moves))
        return
    pending: dict[TallyKey, int] = {}
    evidence: list[dict[str, Any]] = []
    topics: list[dict[str, Any]] = []
    for change in changes:
        add_moves(pending, session, change.claim_id, list(change.moves))
        evidence.extend(change.evidence)
        topics.extend(
            {"claim_id": change.claim_id, "topic": t} for t in dict.fromkeys(change.topics)
        )
    counts = tally_rows(pending)
    events = [change.event for change in changes]
    columns = sorted(events[0])
    stmt = _statement(tuple(columns), bool(evidence), bool(counts), bool(topics))
    params = as_rows("e_", columns, events)
    if evidence:
        params.update(as_rows("v_", _EVIDENCE, evidence))
    if counts:
        params.update(as_rows("t_", _TALLY, counts))
    if topics:
        params.update(as_rows("p_", _TOPIC, topics))
    stmt.execute(session, params)


_EVIDENCE = [c.name for c in evidence_t.c if c.name != "id"]
_TALLY = ["status", "due_key", "shard", "count"]
_TOPIC = ["claim_id", "topic"]
_STATEMENTS: dict[tuple[tuple[str, ...], bool, bool, bool], Prepared] = {}


def _statement(
    event_columns: tuple[str, ...], evidence: bool, tally: bool, topics: bool
) -> Prepared:
    key = (event_columns, evidence, tally, topics)
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        stmt = _STATEMENTS[key] = Prepared(_build(*key))
    return stmt


def _build(
    event_columns: tuple[str, ...], evidence: bool, tally: bool, topics: bool
) -> sa.Executable:
    events = rows_of(event_t, event_columns, "e_")
    stmt: Any = sa.insert(event_t).from_select(event_columns, events)
    ctes = []
    if evidence:
        # Its rows cite the events inserted beside them: foreign keys are checked at the end of
        # the statement, when the events are there.
        rows = rows_of(evidence_t, _EVIDENCE, "v_")
        ctes.append(sa.insert(evidence_t).from_select(_EVIDENCE, rows).cte("evidence_rows"))
    if tally:
        # In the order of ``tally_rows`` (sorted): two writers locking tally rows in opposite
        # orders would deadlock.
        upsert = pg_insert(tally_t).from_select(_TALLY, rows_of(tally_t, _TALLY, "t_"))
        upsert = upsert.on_conflict_do_update(
            index_elements=["status", "due_key", "shard"],
            set_={"count": tally_t.c.count + upsert.excluded.count},
        )
        ctes.append(upsert.cte("tally"))
    if topics:
        rows = rows_of(topic_t, _TOPIC, "p_")
        ctes.append(sa.insert(topic_t).from_select(_TOPIC, rows).cte("topic_rows"))
    # PostgreSQL runs every data-modifying CTE to completion, read or not.
    return stmt.add_cte(*ctes) if ctes else stmt
