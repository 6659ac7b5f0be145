"""Working together on claims: internal notes and assignment to a person.

Both are for signed-in staff (reviewers, editors, admins) and stay out of the public record:
no history event, no ``seq`` (so no change feed, stream or webhook), no export. A note is kept
as written; an assignment names a token's name and is replaced or cleared.
"""

from __future__ import annotations

from typing import Any, Final

from sqlmodel import Session

from claims import storage
from claims.clock import iso, now
from claims.models import Actor, AssignmentSet, NoteCreate
from claims.refs import ClaimRef
from claims.services import get_claim
from claims.status import Role, ensure_role

STAFF: Final = Role.REVIEWER
"""The least role that reads and writes internal notes and assigns claims."""

MAX_NOTES = 500
"""Most notes returned for one claim."""


def notes_of(session: Session, ref: ClaimRef, *, actor: Actor) -> dict[str, Any]:
    """Return a claim's notes (oldest first) and assignment. Raises Forbidden, NotFound."""
    ensure_role(actor.role, STAFF, "read internal notes")
    claim = get_claim(session, ref)
    assignment = storage.find_assignment(session, claim.id)
    return {
        "notes": [_note(r) for r in storage.list_notes(session, claim.id, limit=MAX_NOTES)],
        "assignment": _assignment(assignment) if assignment is not None else None,
    }


def add_note(session: Session, ref: ClaimRef, data: NoteCreate, *, actor: Actor) -> dict[str, Any]:
    """Add an internal note to a claim. Raises Forbidden, NotFound."""
    ensure_role(actor.role, STAFF, "write internal notes")
    with storage.transaction(session):
        claim = get_claim(session, ref)
        row = storage.insert_note(
            session,
            {
                "claim_id": claim.id,
                "body": data.body,
                "author_name": actor.name,
                "author_role": actor.role.value,
                "created_at": now(),
            },
        )
    return _note(row)


def assign(
    session: Session, ref: ClaimRef, data: AssignmentSet, *, actor: Actor
) -> dict[str, Any] | None:
    """Assign a claim to a person, or clear it; return the assignment. Raises Forbidden,
    NotFound."""
    ensure_role(actor.role, STAFF, "assign claims")
    with storage.transaction(session):
        claim = get_claim(session, ref)
        storage.set_assignment(session, claim.id, data.assignee, by=actor.name, at=now())
        row = storage.find_assignment(session, claim.id)
    return _assignment(row) if row is not None else None


def _note(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "body": row.body,
        "author": {"name": row.author_name, "role": row.author_role},
        "at": iso(row.created_at),
    }


def _assignment(row: Any) -> dict[str, Any]:
    return {"assignee": row.assignee, "assigned_by": row.assigned_by, "at": iso(row.assigned_at)}
