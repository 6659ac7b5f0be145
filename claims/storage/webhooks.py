"""Webhook queries: subscriptions, deliveries, attempts and the fan-out cursor.

Deliveries are leased, not locked for the length of a send: a process takes due deliveries
by setting ``leased_until`` in a short transaction (on PostgreSQL with ``FOR UPDATE SKIP
LOCKED``, so two processes never take the same one), sends them, then records the outcome.
A process that dies mid-send leaves a lease that simply runs out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims.storage.engine import Executor, is_sqlite
from claims.storage.sequence import latest_seq
from claims.storage.tables import (
    attempt_t,
    claim_t,
    cursor_t,
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


def any_active(session: Executor) -> bool:
    """Whether any subscription receives deliveries (else the fan-out has nothing to do)."""
    stmt = sa.select(webhook_t.c.id).where(webhook_t.c.active == sa.true()).limit(1)
    return session.execute(stmt).first() is not None


def any_due(session: Executor, now: datetime) -> bool:
    """Whether a pending delivery is due and not leased (else the lease has nothing to take)."""
    d = delivery_t.c
    stmt = (
        sa.select(d.id)
        .where(
            d.state == PENDING,
            d.next_attempt_at <= now,
            sa.or_(d.leased_until.is_(None), d.leased_until < now),
        )
        .limit(1)
    )
    return session.execute(stmt).first() is not None


def active_webhooks(session: Executor) -> Sequence[Row]:
    """The subscriptions that receive deliveries."""
    return session.execute(sa.select(webhook_t).where(webhook_t.c.active == sa.true())).all()


# ---------------------------------------------------------------------------------------------
# Fan-out: events past the cursor become deliveries


def lock_cursor(session: Session) -> int:
    """Take the fan-out cursor's row lock (one fan-out at a time); return its seq."""
    stmt = sa.update(cursor_t).where(cursor_t.c.id == 1).values(seq=cursor_t.c.seq)
    session.execute(stmt)
    return session.execute(sa.select(cursor_t.c.seq).where(cursor_t.c.id == 1)).scalar_one()


def read_cursor(db: Executor) -> int:
    """The fan-out cursor's seq, without a lock (fan-out prepares its rows before it locks)."""
    return db.execute(sa.select(cursor_t.c.seq).where(cursor_t.c.id == 1)).scalar_one()


def set_cursor(session: Session, seq: int) -> None:
    """Move the fan-out cursor (in the transaction that wrote the deliveries up to ``seq``)."""
    session.execute(sa.update(cursor_t).where(cursor_t.c.id == 1).values(seq=seq))


def events_to_fan_out(session: Executor, seq: int, limit: int) -> Sequence[Row]:
    """Events with ``seq`` past the cursor and up to the horizon (so none can commit behind
    the cursor later), in seq order, with their claim's current row fields (status and topics
    for the subscriptions' filters)."""
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


def insert_deliveries(session: Session, rows: list[dict[str, Any]]) -> None:
    """Queue deliveries (pending, due at once unless ``next_attempt_at`` says otherwise)."""
    if rows:
        session.execute(sa.insert(delivery_t), rows)


# ---------------------------------------------------------------------------------------------
# Sending: lease, record


def lease_due(session: Session, now: datetime, until: datetime, limit: int) -> Sequence[Row]:
    """Lease up to ``limit`` due deliveries (pending, due, not leased by a live process) and
    return them with their subscription's URL and secret.

    A delivery waits while an earlier pending delivery of the same claim to the same
    subscription exists, so each subscription gets a claim's events in seq order.
    """
    d = delivery_t.c
    earlier = delivery_t.alias("earlier")
    blocked = sa.exists().where(
        earlier.c.webhook_id == d.webhook_id,
        earlier.c.claim_id == d.claim_id,
        earlier.c.state == PENDING,
        earlier.c.seq < d.seq,
    )
    due = (
        sa.select(d.id)
        .where(
            d.state == PENDING,
            d.next_attempt_at <= now,
            sa.or_(d.leased_until.is_(None), d.leased_until < now),
            sa.not_(blocked),
        )
        .order_by(d.seq, d.id)
        .limit(limit)
    )
    if not is_sqlite(session):
        due = due.with_for_update(skip_locked=True, of=delivery_t)
    ids = list(session.execute(due).scalars())
    if not ids:
        return []
    session.execute(sa.update(delivery_t).where(d.id.in_(ids)).values(leased_until=until))
    stmt = (
        sa.select(delivery_t, webhook_t.c.url, webhook_t.c.secret)
        .join(webhook_t, webhook_t.c.id == d.webhook_id)
        .where(d.id.in_(ids), webhook_t.c.active == sa.true())
        .order_by(d.seq, d.id)
    )
    return session.execute(stmt).all()


def record_attempt(session: Session, values: dict[str, Any]) -> None:
    """Record one try at a delivery."""
    session.execute(sa.insert(attempt_t).values(**values))


def finish_delivery(session: Session, delivery_id: int, values: dict[str, Any]) -> None:
    """Set a delivery's state after a try (and release its lease)."""
    session.execute(
        sa.update(delivery_t)
        .where(delivery_t.c.id == delivery_id)
        .values(leased_until=None, **values)
    )


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
    """How many deliveries wait to be sent (the backlog)."""
    stmt = sa.select(sa.func.count()).select_from(delivery_t).where(delivery_t.c.state == PENDING)
    return session.execute(stmt).scalar_one()


def failed_count(session: Executor) -> int:
    """How many deliveries failed every retry."""
    stmt = sa.select(sa.func.count()).select_from(delivery_t).where(delivery_t.c.state == FAILED)
    return session.execute(stmt).scalar_one()
