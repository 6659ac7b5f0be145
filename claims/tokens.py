"""Access tokens: issue, revoke, list, and turn a presented token into an actor.

A token is 32 random bytes (256 bits) in URL-safe base64 behind a ``ct_`` prefix; only its
SHA-256 is stored. A slow password hash would add nothing: the secret is random, not chosen.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from sqlalchemy.engine import Row
from sqlmodel import Session

from claims import actors, attribution, storage
from claims.clock import as_utc, now
from claims.errors import InvalidInput, NotFound, Unauthenticated
from claims.models import Actor
from claims.status import Role, ensure_role

MANAGER: Final = Role.ADMIN
"""The least role that issues, lists and revokes tokens."""

PREFIX = "ct_"
# Recording every use would turn each authenticated read into a write; once a minute is enough
# for "last used" to answer "is this token still in use?".
_TOUCH_EVERY = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """Return the stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# Whoever runs the ``claims`` command on the server's machine already holds the database.
OPERATOR = actors.OPERATOR


def create_token(session: Session, name: str, role: Role, *, by: Actor) -> tuple[Row, str]:
    """Issue a token; return its row and the secret, which is never shown again.

    Raises Forbidden unless ``by`` is an admin, DuplicateSlug when the name is taken.
    """
    ensure_role(by.role, MANAGER, "manage tokens")
    if name in actors.RESERVED_NAMES:
        raise InvalidInput.on("name", f"is the tracker's own name for its {name} writes")
    secret = PREFIX + secrets.token_urlsafe(32)
    with storage.transaction(session):
        storage.insert_token(
            session,
            {
                "name": name,
                "role": role.value,
                "token_hash": hash_token(secret),
                "created_at": now(),
            },
        )
    row = next(r for r in storage.list_tokens(session) if r.name == name)
    return row, secret


def revoke_token(session: Session, name: str, *, by: Actor) -> None:
    """Revoke the named token at once. Raises Forbidden, NotFound (no active token so named)."""
    ensure_role(by.role, MANAGER, "manage tokens")
    with storage.transaction(session):
        if not storage.revoke_token(session, name, now()):
            raise NotFound(f"there is no active token named {name!r}")


def list_tokens(session: Session, *, by: Actor) -> list[Row]:
    """Return every token's metadata (never the secret), oldest first. Raises Forbidden."""
    ensure_role(by.role, MANAGER, "manage tokens")
    return list(storage.list_tokens(session))


@dataclass(frozen=True, slots=True)
class Identified:
    """Who a token stands for, and the token's id when its "last used" time is due a touch."""

    actor: Actor
    touch_id: int | None


def identify(db: storage.Executor, token: str) -> Identified:
    """Look a presented token up (a read only). Raises Unauthenticated for unknown or revoked ones.

    Callers that keep "last used" up to date pass ``touch_id`` to ``touch`` when it is set.
    """
    row = storage.find_token_by_hash(db, hash_token(token))
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("the token is unknown or has been revoked")
    attribution.record_actor(row.name)
    due = row.last_used_at is None or now() - as_utc(row.last_used_at) > _TOUCH_EVERY
    return Identified(Actor(name=row.name, role=Role(row.role)), row.id if due else None)


def is_active(db: storage.Executor, token: str) -> bool:
    """Tell whether a presented token is known and not revoked (a read only)."""
    row = storage.find_token_by_hash(db, hash_token(token))
    return row is not None and row.revoked_at is None


def touch(session: Session, token_id: int) -> None:
    """Record that the token was used just now."""
    with storage.transaction(session):
        storage.touch_token(session, token_id, now())
