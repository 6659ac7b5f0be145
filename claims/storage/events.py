"""The global change sequence, history events and evidence rows, and the change feed.

On PostgreSQL the single ``seq_counter`` row, locked by ``UPDATE … RETURNING`` as the last step
before commit, hands out ``seq`` values in commit order across every process.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims.config import Settings
from claims.models import EventKind
from claims.status import VERDICTS
from claims.storage.engine import SEQ_KEY, Executor, is_sqlite, normalise_url
from claims.storage.tables import claim_t, event_t, evidence_t, seq_t

NOTIFY_CHANNEL = "claims_changes"


def next_seq(session: Session) -> int:
    """Take the next global ``seq``; the row lock it holds until commit orders writers.

    On PostgreSQL the same statement queues a NOTIFY, delivered to every listening server
    process when (and only if) the transaction commits.
    """
    stmt = _NEXT_SEQ_SQLITE if is_sqlite(session) else _NEXT_SEQ_PG
    seq = session.execute(stmt).first()[0]
    session.info[SEQ_KEY] = seq
    return seq


_BUMP = sa.update(seq_t).where(seq_t.c.id == 1).values(value=seq_t.c.value + 1)
_NEXT_SEQ_SQLITE = _BUMP.returning(seq_t.c.value)
_NEXT_SEQ_PG = _BUMP.returning(
    seq_t.c.value, sa.func.pg_notify(NOTIFY_CHANNEL, sa.cast(seq_t.c.value, sa.Text))
)
_LATEST_SEQ = sa.select(seq_t.c.value).where(seq_t.c.id == 1)


def latest_seq(session: Executor) -> int:
    """Return the last ``seq`` handed out (0 on an empty database)."""
    return session.execute(_LATEST_SEQ).scalar_one_or_none() or 0


# ---------------------------------------------------------------------------------------------
# Rows as JSON records (to store a result and give it back later, as idempotent creates do)


def changes_since(db: Executor, since: int, limit: int) -> list[Row]:
    """Return the changes with ``seq > since`` in seq order (the change feed)."""
    e = event_t.c
    stmt = (
        sa.select(e.seq, e.claim_id, claim_t.c.slug, e.kind, e.status, e.version, e.at)
        .join(claim_t, claim_t.c.id == e.claim_id)
        .where(e.seq > since)
        .order_by(e.seq)
        .limit(limit)
    )
    return list(db.execute(stmt).all())


# ---------------------------------------------------------------------------------------------
# History and evidence

def insert_event(session: Session, values: dict[str, Any]) -> None:
    """Append one history event. There is deliberately no update or delete for events."""
    session.execute(_INSERT_EVENT, values)


_INSERT_EVENT = sa.insert(event_t)


def insert_evidence(session: Session, rows: list[dict[str, Any]]) -> None:
    """Attach evidence rows (each names its claim and the event that cited it)."""
    if rows:
        session.execute(sa.insert(evidence_t), rows)


def list_events(
    session: Executor, claim_id: int, *, after_seq: int = 0, limit: int | None = None
) -> list[Row]:
    """Return a claim's event rows with ``seq > after_seq``, oldest first."""
    stmt = (
        sa.select(event_t)
        .where(event_t.c.claim_id == claim_id, event_t.c.seq > after_seq)
        .order_by(event_t.c.seq)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.execute(stmt).all())


def iter_chains(session: Session) -> Iterator[list[Row]]:
    """Yield every claim's events, one claim at a time, oldest first (for ``claims verify``)."""
    ids = session.execute(sa.select(claim_t.c.id).order_by(claim_t.c.id)).scalars().all()
    for claim_id in ids:
        yield list_events(session, claim_id)
    orphans = session.execute(
        sa.select(event_t.c.seq).where(event_t.c.claim_id.not_in(sa.select(claim_t.c.id))).limit(1)
    ).first()
    if orphans is not None:  # pragma: no cover - foreign keys prevent it; verify reports it anyway
        yield list(session.execute(sa.select(event_t).where(event_t.c.seq == orphans[0])).all())


# ---------------------------------------------------------------------------------------------


async def notified_seqs(settings: Settings) -> AsyncIterator[int]:
    """Yield the seq of every write committed on this PostgreSQL database, by any process
    (LISTEN on the channel ``next_seq`` notifies). Raises psycopg.Error, OSError when the
    connection fails or is lost."""
    url = normalise_url(settings.database_url)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    async with await psycopg.AsyncConnection.connect(
        dsn, autocommit=True, connect_timeout=5
    ) as conn:
        await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        async for note in conn.notifies():
            with contextlib.suppress(ValueError):
                yield int(note.payload)


def lock_seq(session: Session) -> None:
    """Take the ``seq_counter`` row lock every writer takes, so none commits meanwhile."""
    session.execute(sa.update(seq_t).where(seq_t.c.id == 1).values(value=seq_t.c.value))


def set_seq(session: Session, seq: int) -> None:
    """Set the counter (an import); on PostgreSQL wake listening servers on commit, as
    ``next_seq`` does."""
    session.execute(sa.update(seq_t).where(seq_t.c.id == 1).values(value=seq))
    if not is_sqlite(session):
        session.execute(sa.select(sa.func.pg_notify(NOTIFY_CHANNEL, str(seq))))


def first_verdict(session: Executor, claim_id: int) -> Row | None:
    """The claim's first status change to a verdict (when the fact check was published)."""
    return session.execute(
        sa.select(event_t)
        .where(
            event_t.c.claim_id == claim_id,
            event_t.c.kind == EventKind.STATUS_CHANGED.value,
            event_t.c.to_status.in_(sorted(VERDICTS)),
        )
        .order_by(event_t.c.seq)
        .limit(1)
    ).first()


def last_status_change(session: Executor, claim_id: int) -> Row | None:
    """The claim's latest status change (the one that set its current status)."""
    return session.execute(
        sa.select(event_t)
        .where(event_t.c.claim_id == claim_id, event_t.c.kind == EventKind.STATUS_CHANGED.value)
        .order_by(event_t.c.seq.desc())
        .limit(1)
    ).first()


def verdict_events(session: Executor, *, limit: int) -> Sequence[Row]:
    """The latest verdicts and corrections (of a verdict, or of the words under one), newest
    first, with their claim's slug and statement."""
    stmt = (
        sa.select(event_t, claim_t.c.slug, claim_t.c.statement, claim_t.c.claimant)
        .join(claim_t, claim_t.c.id == event_t.c.claim_id)
        .where(
            sa.or_(
                sa.and_(
                    event_t.c.kind == EventKind.STATUS_CHANGED.value,
                    event_t.c.to_status.in_(sorted(VERDICTS)),
                ),
                event_t.c.correction == sa.true(),
            )
        )
        .order_by(event_t.c.seq.desc())
        .limit(limit)
    )
    return session.execute(stmt).all()


def source_status_changes(session: Executor, source_id: int, *, limit: int) -> Sequence[Row]:
    """The status changes of one source's claims, newest first, with the claim's slug and
    statement (a story's page: its dated updates)."""
    stmt = (
        sa.select(event_t, claim_t.c.slug, claim_t.c.statement)
        .join(claim_t, claim_t.c.id == event_t.c.claim_id)
        .where(claim_t.c.source_id == source_id, event_t.c.kind == EventKind.STATUS_CHANGED.value)
        .order_by(event_t.c.seq.desc())
        .limit(limit)
    )
    return session.execute(stmt).all()
