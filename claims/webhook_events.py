"""The webhook event types (Standard Webhooks' ``type``), and which history event is which."""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    """What a subscription can ask for."""

    CREATED = "claim.created"
    EDITED = "claim.edited"
    STATUS_CHANGED = "claim.status_changed"
    EVIDENCE_ADDED = "claim.evidence_added"
    CORRECTED = "claim.corrected"
    DUE_SOON = "claim.due_soon"
    OVERDUE = "claim.overdue"


PING = "webhook.ping"
"""The type of the message ``POST /v1/webhooks/{id}/test`` sends (always delivered)."""

_BY_KIND = {
    "created": EventType.CREATED,
    "edited": EventType.EDITED,
    "status_changed": EventType.STATUS_CHANGED,
    "evidence_added": EventType.EVIDENCE_ADDED,
    "due_soon": EventType.DUE_SOON,
    "overdue": EventType.OVERDUE,
}


def event_type(kind: str, *, correction: bool) -> EventType | None:
    """The webhook type of a history event of ``kind`` (a changed verdict is a correction)."""
    if kind == "status_changed" and correction:
        return EventType.CORRECTED
    return _BY_KIND.get(kind)
