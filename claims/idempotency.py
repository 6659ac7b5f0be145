"""Idempotent creates: a retry with the same Idempotency-Key gets the first result again.

A key belongs to one token name and one operation. It is recorded in the create's own
transaction, with the result, so the key and the create commit or vanish together: a create
that fails, or never gets the database's write lock, leaves nothing behind and a retry runs
afresh. (Recording the key first, in a transaction of its own, left it *running* when the
write lock was taken between the two: the release failed too, and every retry met 409 for a
minute.) A second request with the same key waits for the first on the key's unique index
(PostgreSQL) or on the write lock (SQLite), then gets the first result.

Rows in state *running* are only written by earlier versions (a rolling upgrade may meet
them): a fresh one is answered RequestInProgress, one older than ``ABANDONED_AFTER`` is taken
over. Keys are kept ``KEEP_FOR`` (longer than the promised 24 hours); a process forgets the
older ones at most every ``PURGE_EVERY``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from claims import storage
from claims.clock import as_utc, now
from claims.errors import ClaimsError, InvalidInput, RequestInProgress
from claims.history import canonical_json
from claims.models import Actor

KEEP_FOR = timedelta(hours=48)
# A purge on every create was a statement of its every create, and a round trip on PostgreSQL.
PURGE_EVERY = timedelta(minutes=5)
ABANDONED_AFTER = timedelta(seconds=60)
_KEY_CHARS = frozenset(chr(c) for c in range(0x21, 0x7F))
LOOKS = 3  # times a create looks again after another one took its key meanwhile


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


class KeyTaken(Exception):
    """The key was there a moment ago and is gone (purged meanwhile): roll back, look again."""


# The claims clock's time of this process's last purge, per database.
_purged_at: dict[str, datetime] = {}


def _purge_now_and_then(session: Session, at: datetime) -> None:
    """Forget keys older than ``KEEP_FOR`` if this process has not for ``PURGE_EVERY`` (or the
    clock went back)."""
    bind = session.get_bind()
    database = str(getattr(bind, "engine", bind).url)
    last = _purged_at.get(database)
    if last is None or not timedelta(0) <= at - last < PURGE_EVERY:
        storage.purge_keys(session, at - KEEP_FOR)
        _purged_at[database] = at


def _take(
    session: Session, *, actor: Actor, operation: str, key: str, digest: str
) -> Replay | None:
    """Record ``key`` inside the open transaction, or return the first request's result.

    Raises InvalidInput (the key was used with another body), RequestInProgress (a process of
    an earlier version left the key running, moments ago), KeyTaken.
    """
    [taken] = take_keys(session, operation, [(actor, key, digest)])
    if isinstance(taken, ClaimsError):
        raise taken
    return taken


def take_keys(
    session: Session, operation: str, asks: Sequence[tuple[Actor, str, str]]
) -> list[Replay | ClaimsError | None]:
    """For each ``(actor, key, request hash)`` (distinct keys), in order: None when the key is
    now recorded inside the open transaction (the request runs), the first request's result,
    or the error that refuses the request (InvalidInput: the key was used with another body;
    RequestInProgress: a process of an earlier version left the key running, moments ago).

    Raises KeyTaken (the transaction must be rolled back and the requests tried again).
    """
    if not asks:
        return []
    at = now()
    _purge_now_and_then(session, at)
    recorded = storage.insert_keys(
        session, [(actor.name, operation, key, digest) for actor, key, digest in asks], at
    )
    taken: list[Replay | ClaimsError | None] = []
    for (actor, key, digest), new in zip(asks, recorded, strict=True):
        try:
            taken.append(None if new else _earlier(session, actor, operation, key, digest, at))
        except ClaimsError as exc:
            taken.append(exc)
    return taken


def _earlier(
    session: Session, actor: Actor, operation: str, key: str, digest: str, at: datetime
) -> Replay | None:
    """What a key that was there says of a request with it (see ``take_keys``)."""
    row = storage.find_key(session, actor.name, operation, key)
    if row is None:
        raise KeyTaken
    if row.request_hash != digest:
        raise InvalidInput.on("Idempotency-Key", "was already used with a different request body")
    elif row.state == "done":
        return Replay(row.result_id, row.result_body)
    elif at - as_utc(row.updated_at) < ABANDONED_AFTER:
        raise RequestInProgress(
            "a request with this Idempotency-Key is still being processed; retry later"
        )
    else:  # left running by a process that died: take it over
        storage.touch_key(session, actor.name, operation, key, at)
    return None


def finish_keys(
    session: Session, operation: str, results: Sequence[tuple[Actor, str, Any]]
) -> None:
    """Store each ``(actor, key, row)``: the key's request created ``row``."""
    storage.finish_keys(
        session,
        [
            (actor.name, operation, key, row.id, storage.row_record(row))
            for actor, key, row in results
        ],
        now(),
    )


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

    Raises InvalidInput (a malformed key, or one used with another body), RequestInProgress,
    and what ``create`` raises.
    """
    if key is None:
        with storage.transaction(session):
            return create(), False
    check_key(key)
    digest = request_hash(body)
    for _attempt in range(LOOKS):
        try:
            with storage.transaction(session):
                replay = _take(session, actor=actor, operation=operation, key=key, digest=digest)
                if replay is not None:
                    return storage.record_row(table, replay.body), True
                row = create()
                finish_keys(session, operation, [(actor, key, row)])
        except KeyTaken:
            continue
        return row, False
    raise RequestInProgress(
        "a request with this Idempotency-Key is still being processed; retry later"
    )
