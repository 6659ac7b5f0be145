"""Source use cases: the articles and documents claims come from (immutable once stored)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Row
from sqlmodel import Session

from claims import idempotency, storage
from claims.clock import now
from claims.errors import NotFound
from claims.models import Actor, SourceCreate
from claims.services import check_not_future
from claims.status import CLAIM_WRITER, ensure_role


def add_source(
    session: Session,
    data: SourceCreate,
    *,
    actor: Actor,
    idempotency_key: str | None = None,
    today: date | None = None,
) -> Any:
    """Store a new source document (once per Idempotency-Key). Raises Forbidden, InvalidInput
    (published after ``today``, the newsroom's day)."""
    row, _replayed = idempotency.run_once(
        session,
        actor=actor,
        operation="add_source",
        key=idempotency_key,
        body=data,
        table=storage.source_t,
        create=lambda: add_source_in(session, data, actor=actor, today=today),
    )
    return row


def add_source_in(
    session: Session, data: SourceCreate, *, actor: Actor, today: date | None = None
) -> Row:
    """Store a source inside the caller's open transaction. Raises Forbidden, InvalidInput
    (published after ``today``, the newsroom's day)."""
    ensure_role(actor.role, CLAIM_WRITER, "add sources")
    check_not_future({"published_on": data.published_on}, today)
    source_id = storage.insert_source(session, {**data.model_dump(), "created_at": now()})
    return get_source(session, source_id)


def list_sources(session: Session) -> list[Row]:
    """Return every source, oldest first."""
    return list(storage.list_sources(session))


def get_source(session: Session, source_id: int) -> Row:
    """Return one source. Raises NotFound."""
    row = storage.find_source(session, source_id)
    if row is None:
        raise NotFound(f"there is no source {source_id}")
    return row
