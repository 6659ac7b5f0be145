"""Webhook queries: subscriptions, their leases and cursors, deliveries and attempts.

A subscription is sent to by one process at a time: the one holding its lease
(``lease_owner``, ``leased_until``, taken and renewed in short transactions, run out if its
holder dies). The holder reads the events past the subscription's ``cursor_seq``, sends them,
and records the deliveries, their attempts and the cursor's move in one transaction, refused
if it lost the lease meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims.storage.engine import Executor
from claims.storage.sequence import latest_seq
from claims.storage.tables import (
    attempt_t,
    claim_t,
    delivery_t,
    event_t,
    topic_t,
    webhook_t,
)

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


def insert_webhook(session: Session, values: dict[str, Any]) -> int:
    """Store a new subscription; return its id."""
    return session.execute(
        sa.insert(webhook_t).values(**values).returning(webhook_t.c.id)
    ).scalar_one()


def find_webhook(session: Executor, webhook_id: int) -> Row | None:
    """Return one subscription's row, or None."""
    return session.execute(sa.select(webhook_t).where(webhook_t.c.id == webhook_id)).first()


def list_webhooks(session: Executor) -> Sequence[Row]:
    """Every subscription, oldest first, with its last delivery time and failed count."""
    last = (
        sa.select(sa.func.max(delivery_t.c.finished_at))
        .where(delivery_t.c.webhook_id == webhook_t.c.id, delivery_t.c.state == DELIVERED)
        .scalar_subquery()
    )
    failed = (
        sa.select(sa.func.count())
        .where(delivery_t.c.webhook_id == webhook_t.c.id, delivery_t.c.state == FAILED)
        .scalar_subquery()
    )
    stmt = sa.select(webhook_t, last.label("last_delivered_at"), failed.label("failed_count"))
    return session.execute(stmt.order_by(webhook_t.c.id)).all()


def update_webhook(session: Session, webhook_id: int, values: dict[str, Any]) -> bool:
    """Change a subscription's fields; tell whether it exists."""
    result = session.execute(
        sa.update(webhook_t).where(webhook_t.c.id == webhook_id).values(**values)
    )
    return result.rowcount == 1


def delete_webhook(session: Session, webhook_id: int) -> bool:
    """Delete a subscription with its deliveries and their attempts; tell whether it existed."""
    ids = sa.select(delivery_t.c.id).where(delivery_t.c.webhook_id == webhook_id)
    session.execute(sa.delete(attempt_t).where(attempt_t.c.delivery_id.in_(ids)))
    session.execute(sa.delete(delivery_t).where(delivery_t.c.webhook_id == webhook_id))
    result = session.execute(sa.delete(webhook_t).where(webhook_t.c.id == webhook_id))
    return result.rowcount == 1


def active_ids(session: Executor) -> list[int]:
    """The ids of the subscriptions that receive deliveries (none: the dispatcher idles)."""
    stmt = sa.select(webhook_t.c.id).where(webhook_t.c.active == sa.true())
    return sorted(session.execute(stmt).scalars())


# ---------------------------------------------------------------------------------------------
# Leases: one sending process per subscription


def take_leases(session: Session, owner: str, now: datetime, until: datetime) -> list[int]:
    """Lease to ``owner`` until ``until`` every active subscription it holds already or nobody
    holds (free, or its holder's lease ran out); return the ids it holds now.

    One statement: on PostgreSQL a process that finds a row just leased by another waits for
    that commit, then sees it taken; on SQLite writes are one at a time anyway."""
    w = webhook_t.c
    stmt = (
        sa.update(webhook_t)
        .where(
            w.active == sa.true(),
            sa.or_(w.lease_owner == owner, w.leased_until.is_(None), w.leased_until < now),
        )
        .values(lease_owner=owner, leased_until=until)
        .returning(w.id)
    )
    return sorted(session.execute(stmt).scalars())


def release_leases(session: Session, owner: str) -> None:
    """Give up ``owner``'s leases (a server stopping: the next one need not wait them out)."""
    session.execute(
        sa.update(webhook_t)
        .where(webhook_t.c.lease_owner == owner)
        .values(lease_owner=None, leased_until=None)
    )


def held_webhooks(session: Executor, owner: str, ids: Sequence[int]) -> Sequence[Row]:
    """The subscriptions of ``ids`` that ``owner`` still holds and that are active, with their
    cursors as committed."""
    w = webhook_t.c
    stmt = sa.select(webhook_t).where(
        w.id.in_(sorted(ids)), w.lease_owner == owner, w.active == sa.true()
    )
    return session.execute(stmt.order_by(w.id)).all()


def move_cursor(session: Session, webhook_id: int, owner: str, seq: int) -> bool:
    """Move a subscription's cursor to ``seq`` if ``owner`` still holds its lease; tell whether
    it did (if not, another process took over and sends those events itself)."""
    w = webhook_t.c
    result = session.execute(
        sa.update(webhook_t)
        .where(w.id == webhook_id, w.lease_owner == owner, w.cursor_seq <= seq)
        .values(cursor_seq=seq)
    )
    return result.rowcount == 1


# ---------------------------------------------------------------------------------------------
# What a subscription is sent next


def events_past(session: Executor, seq: int, limit: int) -> Sequence[Row]:
    """Events with ``seq`` past a cursor and up to the horizon (so none can commit behind the
    cursor later), in seq order."""
    upto = latest_seq(session)
    e = event_t.c
    stmt = (
        sa.select(e.seq, e.claim_id, e.kind, e.at, e.version, e.status, e.correction)
        .add_columns(e.from_status, e.to_status, e.note)
        .where(e.seq > seq, e.seq <= upto)
        .order_by(e.seq)
        .limit(limit)
    )
    return session.execute(stmt).all()


def claims_by_id(session: Executor, ids: Sequence[int]) -> dict[int, Row]:
    """The claim rows of ``ids``, by id."""
    rows = session.execute(sa.select(claim_t).where(claim_t.c.id.in_(sorted(set(ids))))).all()
    return {r.id: r for r in rows}


def topics_of(session: Executor, ids: Sequence[int]) -> dict[int, set[str]]:
    """Each claim's topics, by claim id."""
    found: dict[int, set[str]] = {}
    stmt = sa.select(topic_t.c.claim_id, topic_t.c.topic).where(
        topic_t.c.claim_id.in_(sorted(set(ids)))
    )
    for claim_id, topic in session.execute(stmt):
        found.setdefault(claim_id, set()).add(topic)
    return found


def waiting_claims(session: Executor, webhook_id: int, claim_ids: Sequence[int]) -> set[int]:
    """Those of ``claim_ids`` with a pending delivery to the subscription: their newer events
    queue behind it."""
    d = delivery_t.c
    stmt = sa.select(d.claim_id).where(
        d.state == PENDING, d.webhook_id == webhook_id, d.claim_id.in_(sorted(set(claim_ids)))
    )
    return set(session.execute(stmt).scalars())


def due_deliveries(session: Executor, webhook_id: int, now: datetime, limit: int) -> Sequence[Row]:
    """Stored deliveries of the subscription due now (retries, pings, deliveries queued behind a
    failure), oldest seq first. A delivery waits while an earlier pending delivery of the same
    claim to the same subscription exists, so each subscription gets a claim's events in seq
    order."""
    d = delivery_t.c
    earlier = delivery_t.alias("earlier")
    blocked = sa.exists().where(
        earlier.c.webhook_id == d.webhook_id,
        earlier.c.claim_id == d.claim_id,
        earlier.c.state == PENDING,
        earlier.c.seq < d.seq,
    )
    stmt = (
        sa.select(delivery_t)
        .where(
            d.state == PENDING,
            d.next_attempt_at <= now,
            d.webhook_id == webhook_id,
            sa.not_(blocked),
        )
        .order_by(d.seq, d.id)
        .limit(limit)
    )
    return session.execute(stmt).all()


def insert_deliveries(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Store deliveries; return their ids, in the order of ``rows``."""
    if not rows:
        return []
    stmt = sa.insert(delivery_t).returning(delivery_t.c.id, sort_by_parameter_order=True)
    return list(session.execute(stmt, rows).scalars())


def record_attempt(session: Session, values: dict[str, Any]) -> None:
    """Record one try at a delivery."""
    session.execute(sa.insert(attempt_t).values(**values))


def record_attempts(session: Session, rows: list[dict[str, Any]]) -> None:
    """Record tries at several deliveries at once."""
    if rows:
        session.execute(sa.insert(attempt_t), rows)


def finish_delivery(session: Session, delivery_id: int, values: dict[str, Any]) -> None:
    """Set a delivery's state after a try (and release its lease)."""
    session.execute(sa.update(delivery_t).where(delivery_t.c.id == delivery_id).values(**values))


def find_delivery(session: Executor, webhook_id: int, delivery_id: int) -> Row | None:
    """One delivery of one subscription, or None."""
    return session.execute(
        sa.select(delivery_t).where(
            delivery_t.c.id == delivery_id, delivery_t.c.webhook_id == webhook_id
        )
    ).first()


def list_deliveries(session: Executor, webhook_id: int, limit: int) -> Sequence[Row]:
    """A subscription's latest deliveries, newest first."""
    return session.execute(
        sa.select(delivery_t)
        .where(delivery_t.c.webhook_id == webhook_id)
        .order_by(delivery_t.c.id.desc())
        .limit(limit)
    ).all()


def attempts_of(session: Executor, delivery_ids: Sequence[int]) -> dict[int, list[Row]]:
    """Each delivery's attempts, oldest first, by delivery id."""
    found: dict[int, list[Row]] = {}
    if not delivery_ids:
        return found
    stmt = (
        sa.select(attempt_t)
        .where(attempt_t.c.delivery_id.in_(sorted(set(delivery_ids))))
        .order_by(attempt_t.c.id)
    )
    for row in session.execute(stmt):
        found.setdefault(row.delivery_id, []).append(row)
    return found


def pending_count(session: Executor) -> int:
    """How many deliveries wait to be sent (the backlog): stored ones pending a retry, and the
    events past each active subscription's cursor (not yet looked at, so counted whether or
    not they match its filters)."""
    stored = sa.select(sa.func.count()).select_from(delivery_t).where(delivery_t.c.state == PENDING)
    unread = (
        sa.select(sa.func.count())
        .select_from(webhook_t)
        .join(event_t, event_t.c.seq > webhook_t.c.cursor_seq)
        .where(webhook_t.c.active == sa.true(), event_t.c.seq <= latest_seq(session))
    )
    return session.execute(stored).scalar_one() + session.execute(unread).scalar_one()


def failed_count(session: Executor) -> int:
    """How many deliveries failed every retry."""
    stmt = sa.select(sa.func.count()).select_from(delivery_t).where(delivery_t.c.state == FAILED)
    return session.execute(stmt).scalar_one()
