"""Webhook subscriptions and deliveries as the API and the CLI show them (never a secret,
except once, at creation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Row

from claims.clock import iso
from claims.storage.webhooks import PENDING


def webhook_public(row: Row, *, secret: bool = False) -> dict[str, Any]:
    """A subscription as the API shows it (its secret only when just created)."""
    shown = {
        "id": row.id,
        "url": row.url,
        "events": list(row.events or []),
        "statuses": list(row.statuses or []),
        "topics": list(row.topics or []),
        "description": row.description,
        "active": bool(row.active),
        "disabled_reason": row.disabled_reason,
        "failing_since": iso(row.failing_since) if row.failing_since else None,
        "created_by": row.created_by,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }
    for extra in ("last_delivered_at", "failed_count"):
        if extra in row._fields:
            value = getattr(row, extra)
            shown[extra] = iso(value) if isinstance(value, datetime) else value
    if secret:
        shown["secret"] = row.secret
    return shown


def delivery_public(row: Row, attempts: list[Row]) -> dict[str, Any]:
    """A delivery with its attempts, as the API and CLI show them."""
    return {
        "id": row.id,
        "webhook_id": row.webhook_id,
        "msg_id": row.msg_id,
        "type": row.event_type,
        "seq": row.seq,
        "claim_id": row.claim_id,
        "state": row.state,
        "attempts": [
            {
                "at": iso(a.at),
                "status_code": a.status_code,
                "duration_ms": a.duration_ms,
                "error": a.error,
                "response_excerpt": a.response_excerpt,
            }
            for a in attempts
        ],
        "next_attempt_at": iso(row.next_attempt_at) if row.state == PENDING else None,
        "created_at": iso(row.created_at),
        "finished_at": iso(row.finished_at) if row.finished_at else None,
    }
