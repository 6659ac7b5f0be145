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

from claims.storage.arrays import as_rows, rows_of
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


# A key of ``insert_keys``: (actor name, operation, key, request hash).
KeyAsk = tuple[str, str, str, str]
# A key's result for ``finish_keys``: (actor name, operation, key, result id, result body).
KeyResult = tuple[str, str, str, int, dict[str, Any]]
_KEY_ROW = ["actor_name", "operation", "key"]
_INSERT_MANY = Prepared(
    pg_insert(key_t)
    .from_select(_KEY_COLUMNS, rows_of(key_t, _KEY_COLUMNS, "k_"))
    .on_conflict_do_nothing()
    .returning(*[key_t.c[c] for c in _KEY_ROW])
)
_FINISHED = ["actor_name", "operation", "key", "result_id", "result_body"]


def _finish_many() -> sa.Executable:
    w = rows_of(key_t, _FINISHED, "f_").subquery("w")
    return (
        sa.update(key_t)
        .where(*[key_t.c[c] == w.c[c] for c in _KEY_ROW])
        .values(
            state="done",
            result_id=w.c.result_id,
            result_body=w.c.result_body,
            updated_at=sa.bindparam("at", type_=key_t.c.updated_at.type),
        )
    )


_FINISH_MANY = Prepared(_finish_many())


def insert_keys(session: Session, asks: list[KeyAsk], at: datetime) -> list[bool]:
    """``insert_key`` for each ask, in order (on PostgreSQL one statement for several): True
    where the key was recorded, False where it was there. The asks name distinct keys."""
    if len(asks) <= 1 or is_sqlite(session):
        return [insert_key(session, *ask, at) for ask in asks]
    # In one order for every writer: two units of work waiting on each other's keys in
    # opposite orders would deadlock.
    ordered = sorted(asks)
    rows = [dict(zip(_KEY_COLUMNS, (*ask, "running", at, at), strict=True)) for ask in ordered]
    recorded = {tuple(row) for row in _INSERT_MANY.all(session, as_rows("k_", _KEY_COLUMNS, rows))}
    return [ask[:3] in recorded for ask in asks]


def finish_keys(session: Session, results: list[KeyResult], at: datetime) -> None:
    """``finish_key`` for each result (on PostgreSQL one statement for several)."""
    if len(results) <= 1 or is_sqlite(session):
        for name, operation, key, result_id, body in results:
            finish_key(session, name, operation, key, result_id=result_id, body=body, at=at)
        return
    rows = [dict(zip(_FINISHED, result, strict=True)) for result in sorted(results)]
    _FINISH_MANY.execute(session, {**as_rows("f_", _FINISHED, rows), "at": at})


_FORGET = Prepared(sa.delete(key_t).where(_MATCH))


def forget_key(session: Session, actor_name: str, operation: str, key: str) -> None:
    """Delete a key recorded in this unit of work whose request was then refused."""
    _FORGET.execute(session, {"actor_name": actor_name, "operation": operation, "key": key})
