"""Source queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims.storage.engine import Executor
from claims.storage.tables import source_t


def insert_source(session: Session, values: dict[str, Any]) -> int:
    """Insert a source and return its id."""
    return session.execute(
        sa.insert(source_t).values(**values).returning(source_t.c.id)
    ).scalar_one()


def find_source(session: Executor, source_id: int) -> Row | None:
    """Return one source row, or None."""
    return session.execute(sa.select(source_t).where(source_t.c.id == source_id)).first()


def find_source_by(session: Session, *, title: str, url: str | None) -> Row | None:
    """Return the source with this URL, or None. Without a URL, the source with this title,
    one without a URL first: a story pasted without its address is still the story a source
    with that title and an address holds (the seed story's source has its URL)."""
    if url:
        stmt = sa.select(source_t).where(source_t.c.url == url).order_by(source_t.c.id)
    else:
        stmt = (
            sa.select(source_t)
            .where(source_t.c.title == title)
            .order_by(source_t.c.url.is_not(None), source_t.c.id)
        )
    return session.execute(stmt.limit(1)).first()


def list_sources(session: Executor) -> Sequence[Row]:
    """Return every source, oldest first."""
    return session.execute(sa.select(source_t).order_by(source_t.c.id)).all()
