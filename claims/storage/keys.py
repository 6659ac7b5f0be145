"""Idempotency-key queries: one row per (token name, operation, key).

Every create with a key runs two of them (record, finish; a look-up when the key was there,
a purge now and then), so they are ``Prepared``: built and compiled once, run on the write's
driver connection.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims.storage.engine import is_sqlite
from claims.storage.prepared import Prepared
from claims.storage.tables import key_t

_MATCH = sa.and_(
    key_t.c.actor_name == sa.bindparam("actor_name"),
    key_t.c.operation == sa.bindparam("operation"),
    key_t.c.key == sa.bindparam("key"),
)
_PURGE = Prepared(sa.delete(key_t).where(key_t.c.created_at < sa.bindparam("before")))
_FIND = Prepared(sa.select(key_t).where(_MATCH))
_KEY_COLUMNS = [
    "actor_name",
    "operation",
    "key",
    "request_hash",
    "state",
    "created_at",
    "updated_at",
]
# A key that is there inserts nothing (after waiting for the transaction that inserted it, on
# PostgreSQL): no failed statement, which would abort a PostgreSQL transaction.
_INSERT = {
    dialect: Prepared(
        insert(key_t).on_conflict_do_nothing().returning(key_t.c.id), keys=_KEY_COLUMNS
    )
    for dialect, insert in (("sqlite", sqlite_insert), ("postgresql", pg_insert))
}
_TOUCH = Prepared(
    sa.update(key_t)
    .where(_MATCH)
    .values(updated_at=sa.bindparam("at", type_=key_t.c.updated_at.type))
)
_FINISH = Prepared(
    sa.update(key_t)
    .where(_MATCH)
    .values(
        state="done",
        result_id=sa.bindparam("result_id", type_=key_t.c.result_id.type),
        result_body=sa.bindparam("result_body", type_=key_t.c.result_body.type),
        updated_at=sa.bindparam("at", type_=key_t.c.updated_at.type),
    )
)


def purge_keys(session: Session, before: datetime) -> None:
    """Forget every key created before ``before``."""
    _PURGE.execute(session, {"before": before})


def find_key(session: Session, actor_name: str, operation: str, key: str) -> Row | None:
    """Return the key's row, or None."""
    return _FIND.first(session, {"actor_name": actor_name, "operation": operation, "key": key})


def insert_key(
    session: Session, actor_name: str, operation: str, key: str, request_hash: str, at: datetime
) -> bool:
    """Record a key as running; False when it was there (then nothing is written)."""
    insert = _INSERT["sqlite" if is_sqlite(session) else "postgresql"]
    row = insert.first(
        session,
        {
            "actor_name": actor_name,
            "operation": operation,
            "key": key,
            "request_hash": request_hash,
            "state": "running",
            "created_at": at,
            "updated_at": at,
        },
    )
    return row is not None


def touch_key(session: Session, actor_name: str, operation: str, key: str, at: datetime) -> None:
    """Take over a key left running by a process that died."""
    _TOUCH.execute(
        session, {"actor_name": actor_name, "operation": operation, "key": key, "at": at}
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
    _FINISH.execute(
        session,
        {
            "actor_name": actor_name,
            "operation": operation,
            "key": key,
            "result_id": result_id,
            "result_body": body,
            "at": at,
        },
    )
