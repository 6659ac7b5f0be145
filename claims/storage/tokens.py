"""Token queries (tokens are stored as hashes only)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims.errors import DuplicateSlug
from claims.storage.engine import Executor
from claims.storage.prepared import Prepared
from claims.storage.tables import token_t


def insert_token(session: Session, values: dict[str, Any]) -> None:
    """Store a new token (its hash only). Raises DuplicateSlug when the name is taken."""
    if session.execute(sa.select(token_t.c.id).where(token_t.c.name == values["name"])).first():
        raise DuplicateSlug(f"a token named {values['name']!r} already exists")
    session.execute(sa.insert(token_t).values(**values))


_TOKEN_BY_HASH = Prepared(sa.select(token_t).where(token_t.c.token_hash == sa.bindparam("h")))


def find_token_by_hash(session: Executor, token_hash: str) -> Row | None:
    """Return the token row with this hash, or None (every write looks one up)."""
    return _TOKEN_BY_HASH.first(session, {"h": token_hash})


def revoke_token(session: Session, name: str, at: datetime) -> bool:
    """Mark the named active token revoked; tell whether one was."""
    result = session.execute(
        sa.update(token_t)
        .where(token_t.c.name == name, token_t.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return result.rowcount == 1


def touch_token(session: Session, token_id: int, at: datetime) -> None:
    """Record when a token was last used."""
    session.execute(sa.update(token_t).where(token_t.c.id == token_id).values(last_used_at=at))


def list_tokens(session: Session) -> Sequence[Row]:
    """Return every token's row, oldest first."""
    return session.execute(sa.select(token_t).order_by(token_t.c.id)).all()
