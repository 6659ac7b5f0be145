"""The public JSON shapes, built straight from database rows.

The read paths are the hot path (dashboards poll them), so they skip ORM objects and model
validation and build plain dicts here; tests check these dicts against the response models
in ``claims.models`` so the two never drift.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Row

from claims.clock import iso
from claims.status import is_due_soon, is_overdue


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def claim(row: Row, today: date, due_soon_days: int) -> dict[str, Any]:
    """Return a claim row's public form (``ClaimPublic``), with overdue and due_soon computed."""
    return {
        "id": row.id,
        "slug": row.slug,
        "statement": row.statement,
        "quote": row.quote,
        "quote_kind": row.quote_kind,
        "claimant": row.claimant,
        "claimant_role": row.claimant_role,
        "source_id": row.source_id,
        "stated_on": _day(row.stated_on),
        "certainty": row.certainty,
        "condition": row.condition,
        "condition_claim_id": row.condition_claim_id,
        "due_from": _day(row.due_from),
        "due_by": _day(row.due_by),
        "due_text": row.due_text,
        "resolution_criteria": row.resolution_criteria,
        "topics": list(row.topics or []),
        "status": row.status,
        "overdue": is_overdue(row.status, row.due_by, today),
        "due_soon": is_due_soon(row.status, row.due_by, today, due_soon_days),
        "version": row.version,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "status_changed_at": iso(row.status_changed_at),
    }


def claim_state(row: Row, today: date, due_soon_days: int) -> str:
    """Return the part of a claim's public form that changes with the calendar, as one letter."""
    if is_overdue(row.status, row.due_by, today):
        return "o"
    if is_due_soon(row.status, row.due_by, today, due_soon_days):
        return "s"
    return "n"


def source(row: Row) -> dict[str, Any]:
    """Return a source row's public form (``SourcePublic``)."""
    return {
        "id": row.id,
        "title": row.title,
        "url": row.url,
        "publisher": row.publisher,
        "published_on": _day(row.published_on),
        "text": row.text,
        "created_at": iso(row.created_at),
    }


def token(row: Row) -> dict[str, Any]:
    """Return a token row's public form (``TokenPublic``): never the secret or its hash."""
    return {
        "name": row.name,
        "role": row.role,
        "created_at": iso(row.created_at),
        "last_used_at": iso(row.last_used_at) if row.last_used_at else None,
        "revoked_at": iso(row.revoked_at) if row.revoked_at else None,
    }
