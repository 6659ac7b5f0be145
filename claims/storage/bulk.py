"""Whole-database reads and writes: the export's streamed snapshot, the import's bulk inserts.

Reads that may cover a whole database stream with ``yield_per`` (a server-side cursor on
PostgreSQL), so memory stays flat however many claims there are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, Row
from sqlmodel import Session

from claims.storage.claims import OPEN_ENDED
from claims.storage.engine import is_sqlite
from claims.storage.sequence import set_seq
from claims.storage.tables import claim_t, event_t, evidence_t, gap_t, seq_t, source_t, tally_t

STREAM_BATCH = 200
"""Rows fetched at a time by the streaming reads."""

# Tables whose integer id comes from a PostgreSQL sequence (the import sets them explicitly).
_SERIAL_TABLES = (source_t, claim_t, evidence_t)


@contextmanager
def snapshot(engine: Engine) -> Iterator[sa.Connection]:
    """Open a read-only transaction that sees one state of the database throughout.

    PostgreSQL: REPEATABLE READ, read only. SQLite (WAL): a read transaction already keeps
    the snapshot of its first read until it ends.
    """
    options: dict[str, Any] = {}
    if engine.dialect.name != "sqlite":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with engine.connect() as conn:
        conn = conn.execution_options(**options)
        with conn.begin():
            yield conn


def counts(conn: sa.Connection) -> dict[str, int]:
    """Count the rows the export writes, per kind of record."""
    tables = {"source": source_t, "claim": claim_t, "event": event_t, "evidence": evidence_t}
    return {
        kind: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for kind, table in tables.items()
    }


def _stream(conn: sa.Connection, stmt: sa.Select) -> Iterator[Row]:
    yield from conn.execute(stmt, execution_options={"yield_per": STREAM_BATCH})


def stream_sources(conn: sa.Connection) -> Iterator[Row]:
    """Every source, by id."""
    return _stream(conn, sa.select(source_t).order_by(source_t.c.id))


def stream_claims(conn: sa.Connection) -> Iterator[Row]:
    """Every claim, by id."""
    return _stream(conn, sa.select(claim_t).order_by(claim_t.c.id))


def stream_events(conn: sa.Connection) -> Iterator[Row]:
    """Every history event, by claim then seq (the order of ``ix_event_claim_id_seq``)."""
    return _stream(conn, sa.select(event_t).order_by(event_t.c.claim_id, event_t.c.seq))


def stream_evidence(conn: sa.Connection) -> Iterator[Row]:
    """Every evidence row, by claim then id."""
    return _stream(conn, sa.select(evidence_t).order_by(evidence_t.c.claim_id, evidence_t.c.id))


def is_empty(session: Session) -> bool:
    """Tell whether the database holds no source, claim or event (and, on SQLite, has handed
    out no seq; on PostgreSQL a rolled-back write uses up a seq and leaves nothing)."""
    for table in (source_t, claim_t, event_t):
        if session.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
            return False
    if not is_sqlite(session):
        return True
    return not session.execute(sa.select(seq_t.c.value).where(seq_t.c.value > 0)).first()


def insert_rows(session: Session, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows exactly as given, ids included."""
    if rows:
        session.execute(sa.insert(table), list(rows))


def set_condition(session: Session, claim_id: int, condition_claim_id: int) -> None:
    """Link a claim to the claim it is conditional on (for links to later claims)."""
    session.execute(
        sa.update(claim_t)
        .where(claim_t.c.id == claim_id)
        .values(condition_claim_id=condition_claim_id)
    )


def finish_import(session: Session, seq: int) -> None:
    """Set the seq and the claim tally; on SQLite note the seqs up to ``seq`` no imported
    event has (the source's gaps); on PostgreSQL set the id sequences, and NOTIFY."""
    set_seq(session, seq)
    _rebuild_tally(session)
    if is_sqlite(session):
        _note_gaps(session, seq)
        return  # an INTEGER PRIMARY KEY takes max(id) + 1 by itself
    for table in _SERIAL_TABLES:
        session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                f"coalesce((SELECT max(id) FROM {table.name}), 1), "
                f"(SELECT max(id) FROM {table.name}) IS NOT NULL)"
            )
        )


def _note_gaps(session: Session, upto: int) -> None:
    """Record the seqs from 1 to ``upto`` that no event has (an import into an empty database:
    every one of them was skipped by the source)."""
    gaps, expected = [], 1
    for (seq,) in session.execute(sa.select(event_t.c.seq).order_by(event_t.c.seq)):
        gaps.extend(range(expected, seq))
        expected = seq + 1
    gaps.extend(range(expected, upto + 1))
    if gaps:
        session.execute(sa.insert(gap_t), [{"seq": seq} for seq in gaps])


def seq_gaps(db: sa.Connection | Session) -> set[int]:
    """The seqs an import noted as never given to an event."""
    return set(db.execute(sa.select(gap_t.c.seq)).scalars())


def _rebuild_tally(session: Session) -> None:
    """Count the claims by status and deadline into ``claim_tally``, as the services keep it."""
    due_key = sa.func.coalesce(claim_t.c.due_by, sa.literal(OPEN_ENDED, sa.Date()))
    session.execute(sa.delete(tally_t))
    session.execute(
        sa.insert(tally_t).from_select(
            ["status", "due_key", "shard", "count"],
            sa.select(claim_t.c.status, due_key, sa.literal(0), sa.func.count()).group_by(
                claim_t.c.status, due_key
            ),
        )
    )
