"""Idempotent creates: a retry with the same Idempotency-Key gets the first result again.

A key belongs to one token name and one operation. ``begin`` records the key as *running*
in its own short transaction, so a retry that arrives while the first request is still
working sees it and is told so (RequestInProgress), instead of waiting or creating twice.
``finish`` stores the result in the same transaction as the create itself. A create that
fails releases its key. A key left *running* by a crashed process is taken over after
``ABANDONED_AFTER``. Keys are kept ``KEEP_FOR`` (longer than the promised 24 hours).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from claims import storage
from claims.clock import as_utc, now
from claims.errors import InvalidInput, RequestInProgress
from claims.history import canonical_json
from claims.models import Actor, IdempotencyKey

key_t: sa.Table = IdempotencyKey.__table__  # type: ignore[attr-defined]

KEEP_FOR = timedelta(hours=48)
ABANDONED_AFTER = timedelta(seconds=60)
_KEY_CHARS = frozenset(chr(c) for c in range(0x21, 0x7F))


@dataclass(frozen=True)
class Ticket:
    """A key taken for one request; pass it to ``finish`` inside the create's transaction."""

    actor_name: str
    operation: str
    key: str


@dataclass(frozen=True)
class Replay:
    """The stored outcome of the first request with this key."""

    result_id: int
    body: dict[str, Any]


def check_key(key: str) -> str:
    """Validate a key: 1-255 visible ASCII characters. Raises InvalidInput naming the header."""
    if not 1 <= len(key) <= 255 or not set(key) <= _KEY_CHARS:
        raise InvalidInput.on(
            "Idempotency-Key", "must be 1 to 255 visible ASCII characters (a UUID is ideal)"
        )
    return key


def request_hash(body: BaseModel) -> str:
    """Fingerprint of a validated request body (field order and defaults do not matter)."""
    return hashlib.sha256(canonical_json(body.model_dump(mode="json"))).hexdigest()


def begin(
    session: Session, *, actor: Actor, operation: str, key: str, body: BaseModel
) -> Ticket | Replay:
    """Take ``key`` for this request, or return the first request's result.

    Raises InvalidInput (the key was used with another body), RequestInProgress.
    """
    check_key(key)
    digest = request_hash(body)
    at = now()
    match = sa.and_(
        key_t.c.actor_name == actor.name, key_t.c.operation == operation, key_t.c.key == key
    )
    try:
        with storage.transaction(session):
            session.execute(sa.delete(key_t).where(key_t.c.created_at < at - KEEP_FOR))
            row = session.execute(sa.select(key_t).where(match)).first()
            if row is None:
                session.execute(
                    sa.insert(key_t).values(
                        actor_name=actor.name,
                        operation=operation,
                        key=key,
                        request_hash=digest,
                        state="running",
                        created_at=at,
                        updated_at=at,
                    )
                )
            elif row.request_hash != digest:
                raise InvalidInput.on(
                    "Idempotency-Key", "was already used with a different request body"
                )
            elif row.state == "done":
                return Replay(row.result_id, row.result_body)
            elif at - as_utc(row.updated_at) < ABANDONED_AFTER:
                raise RequestInProgress(
                    "a request with this Idempotency-Key is still being processed; retry later"
                )
            else:  # left running by a process that died: take it over
                session.execute(sa.update(key_t).where(match).values(updated_at=at))
    except IntegrityError as exc:  # another request inserted the same key a moment ago
        raise RequestInProgress(
            "a request with this Idempotency-Key is still being processed; retry later"
        ) from exc
    return Ticket(actor.name, operation, key)


def finish(session: Session, ticket: Ticket, result_id: int, body: dict[str, Any]) -> None:
    """Store the result under the key; call inside the create's transaction."""
    session.execute(
        sa.update(key_t)
        .where(
            key_t.c.actor_name == ticket.actor_name,
            key_t.c.operation == ticket.operation,
            key_t.c.key == ticket.key,
        )
        .values(state="done", result_id=result_id, result_body=body, updated_at=now())
    )


def release(session: Session, ticket: Ticket) -> None:
    """Forget a key whose create failed, so the client may retry it."""
    with storage.transaction(session):
        session.execute(
            sa.delete(key_t).where(
                key_t.c.actor_name == ticket.actor_name,
                key_t.c.operation == ticket.operation,
                key_t.c.key == ticket.key,
                key_t.c.state == "running",
            )
        )
