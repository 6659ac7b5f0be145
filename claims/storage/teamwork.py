"""Internal notes on claims and who a claim is assigned to (not part of the public record)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims.storage.engine import Executor
from claims.storage.tables import assignment_t, note_t


def insert_note(session: Session, values: dict[str, Any]) -> Row:
    """Insert a note; return its row."""
    return session.execute(sa.insert(note_t).values(**values).returning(note_t)).one()


def list_notes(db: Executor, claim_id: int, *, limit: int) -> list[Row]:
    """A claim's notes, oldest first."""
    stmt = sa.select(note_t).where(note_t.c.claim_id == claim_id).order_by(note_t.c.id).limit(limit)
    return list(db.execute(stmt).all())


def find_assignment(db: Executor, claim_id: int) -> Row | None:
    """Who the claim is assigned to, if anyone."""
    return db.execute(sa.select(assignment_t).where(assignment_t.c.claim_id == claim_id)).first()


def set_assignment(
    session: Session, claim_id: int, assignee: str | None, *, by: str, at: datetime
) -> None:
    """Assign the claim to ``assignee``, or clear its assignment (None)."""
    session.execute(sa.delete(assignment_t).where(assignment_t.c.claim_id == claim_id))
    if assignee is not None:
        session.execute(
            sa.insert(assignment_t).values(
                claim_id=claim_id, assignee=assignee, assigned_by=by, assigned_at=at
            )
        )
