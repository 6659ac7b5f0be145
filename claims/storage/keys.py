"""Idempotency-key queries: one row per (token name, operation, key)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims.storage.tables import key_t


def _match(actor_name: str, operation: str, key: str) -> sa.ColumnElement[bool]:
    return sa.and_(
        key_t.c.actor_name == actor_name, key_t.c.operation == operation, key_t.c.key == key
    )


def purge_keys(session: Session, before: datetime) -> None:
    """Forget every key created before ``before``."""
    session.execute(sa.delete(key_t).where(key_t.c.created_at < before))


def find_key(session: Session, actor_name: str, operation: str, key: str) -> Row | None:
    """Return the key's row, or None."""
    return session.execute(sa.select(key_t).where(_match(actor_name, operation, key))).first()


def insert_key(
    session: Session, actor_name: str, operation: str, key: str, request_hash: str, at: datetime
) -> None:
    """Record a key as running. Raises IntegrityError when another request recorded it first."""
    session.execute(
        sa.insert(key_t).values(
            actor_name=actor_name,
            operation=operation,
            key=key,
            request_hash=request_hash,
            state="running",
            created_at=at,
            updated_at=at,
        )
    )


def touch_key(session: Session, actor_name: str, operation: str, key: str, at: datetime) -> None:
    """Take over a key left running by a process that died."""
    session.execute(
        sa.update(key_t).where(_match(actor_name, operation, key)).values(updated_at=at)
    )


def finish_key(
    session: Session,
    actor_name: str,
    operation: str,
    key: str,
    *,
    result_id: int,
    body: dict[str, Any],
    at: datetime,
) -> None:
    """Store a key's result."""
    session.execute(
        sa.update(key_t)
        .where(_match(actor_name, operation, key))
        .values(state="done", result_id=result_id, result_body=body, updated_at=at)
    )

