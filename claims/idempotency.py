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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from claims import storage
from claims.clock import as_utc, now
from claims.errors import InvalidInput, RequestInProgress
from claims.history import canonical_json
from claims.models import Actor

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
    try:
        with storage.transaction(session):
            storage.purge_keys(session, at - KEEP_FOR)
            row = storage.find_key(session, actor.name, operation, key)
            if row is None:
                storage.insert_key(session, actor.name, operation, key, digest, at)
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
                storage.touch_key(session, actor.name, operation, key, at)
    except IntegrityError as exc:  # another request inserted the same key a moment ago
        raise RequestInProgress(
            "a request with this Idempotency-Key is still being processed; retry later"
        ) from exc
    return Ticket(actor.name, operation, key)


def finish(session: Session, ticket: Ticket, result_id: int, body: dict[str, Any]) -> None:
    """Store the result under the key; call inside the create's transaction."""
    storage.finish_key(
        session,
        ticket.actor_name,
        ticket.operation,
        ticket.key,
        result_id=result_id,
        body=body,
        at=now(),
    )


def release(session: Session, ticket: Ticket) -> None:
    """Forget a key whose create failed, so the client may retry it."""
    with storage.transaction(session):
        storage.delete_running_key(session, ticket.actor_name, ticket.operation, ticket.key)


def run_once(
    session: Session,
    *,
    actor: Actor,
    operation: str,
    key: str | None,
    body: BaseModel,
    table: Any,
    create: Callable[[], Any],
) -> tuple[Any, bool]:
    """Run ``create`` (a function that writes inside the open transaction, returning a row)
    once per Idempotency-Key; return the row and whether it was replayed.

    Raises what ``begin`` and ``create`` raise.
    """
    if key is None:
        with storage.transaction(session):
            return create(), False
    outcome = begin(session, actor=actor, operation=operation, key=key, body=body)
    if isinstance(outcome, Replay):
        return storage.record_row(table, outcome.body), True
    try:
        with storage.transaction(session):
            row = create()
            finish(session, outcome, row.id, storage.row_record(row))
    except BaseException:
        release(session, outcome)
        raise
    return row, False
