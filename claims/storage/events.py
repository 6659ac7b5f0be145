"""History events and evidence rows, and the change feed (the seq itself: ``sequence``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims.models import EventKind
from claims.status import VERDICTS
from claims.storage.engine import Executor
from claims.storage.prepared import Prepared
from claims.storage.sequence import latest_seq
from claims.storage.tables import claim_t, event_t, evidence_t

# ---------------------------------------------------------------------------------------------
# The change feed


def changes_since(db: Executor, since: int, limit: int, *, upto: int | None = None) -> list[Row]:
    """Return the changes with ``since < seq <= upto`` in seq order (the change feed).

    ``upto`` must be a horizon (``latest_seq``, or the change hub's); by default it is read
    here, before the changes."""
    if upto is None:
        upto = latest_seq(db)
    e = event_t.c
    stmt = (
        sa.select(e.seq, e.claim_id, claim_t.c.slug, e.kind, e.status, e.version, e.at)
        .join(claim_t, claim_t.c.id == e.claim_id)
        .where(e.seq > since, e.seq <= upto)
        .order_by(e.seq)
        .limit(limit)
    )
    return list(db.execute(stmt).all())


# ---------------------------------------------------------------------------------------------
# History and evidence


def insert_event(session: Session, values: dict[str, Any]) -> None:
    """Append one history event. There is deliberately no update or delete for events."""
    keys = frozenset(values)
    insert = _INSERT_EVENT.get(keys)
    if insert is None:
        insert = _INSERT_EVENT[keys] = Prepared(sa.insert(event_t), keys=sorted(keys))
    insert.execute(session, values)


_INSERT_EVENT: dict[frozenset[str], Prepared] = {}


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
# Verdicts and status changes (the public pages)


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
