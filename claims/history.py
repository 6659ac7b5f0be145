"""History events: their public form, the canonical JSON, and the per-claim hash chain.

The hash of an event is ``sha256(prev_hash_or_empty + canonical_json(event_without_hash))``,
lowercase hex; the canonical JSON has sorted keys, separators ``,`` and ``:``, UTF-8 and no
ASCII escaping (docs/history.md spells it out for auditors). The event's public form is exactly
what ``GET /v1/claims/{id}/history`` shows, so anyone can recompute the chain from the API.
Nothing here writes: ``storage`` inserts events, and nothing anywhere updates or deletes them.

A ``created`` event snapshots every field of the claim (``snapshot``), so replaying a claim's
events gives back its row (``claims.replay``, what ``claims verify`` checks).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any, Final

from sqlalchemy.engine import Row

from claims.clock import iso
from claims.models import Event

# An event as it is being written (a namespace of its columns) or as a row read back.
EventLike = Event | Row | SimpleNamespace

DEADLINE_KINDS: Final = frozenset({"due_soon", "overdue"})
"""Events the deadline watcher writes (claims.deadlines): a version each, no field changed."""

SNAPSHOT_FIELDS: Final = (
    "slug",
    "statement",
    "quote",
    "quote_kind",
    "claimant",
    "claimant_role",
    "source_id",
    "stated_on",
    "certainty",
    "condition",
    "condition_claim_id",
    "due_from",
    "due_by",
    "due_text",
    "resolution_criteria",
    "topics",
)
"""A claim's own fields: a ``created`` event records them all, ``edited`` events change them.

The rest of a claim row is the history's to say: ``status`` and ``version`` are the last
event's, ``created_at`` the first event's ``at``, ``updated_at`` the last event's ``at``,
``status_changed_at`` the ``at`` of the last status change (else of the creation)."""

EVIDENCE_FIELDS: Final = ("url", "title", "publisher", "published_on", "quote", "stance")
"""What an evidence row holds of the piece an event recorded."""


def canonical_json(value: Any) -> bytes:
    """Serialize to the canonical form that hashes are computed over."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def chain_hash(prev_hash: str | None, body: Mapping[str, Any]) -> str:
    """Return the hash of an event body (without ``hash``) chained to ``prev_hash``."""
    digest = hashlib.sha256()
    digest.update((prev_hash or "").encode("ascii"))
    digest.update(canonical_json(body))
    return digest.hexdigest()


def plain(value: Any) -> Any:
    """Make a field value JSON-ready, as events record it (dates as ISO text, enums as text)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return list(value)
    return value.value if hasattr(value, "value") else value


def snapshot(values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Return the ``changes`` of a ``created`` event: ``{field: [null, value]}`` for every
    field of SNAPSHOT_FIELDS, null values included (a null is recorded, not left out)."""
    return {name: [None, plain(values[name])] for name in SNAPSHOT_FIELDS}


def _date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def public_event(event: EventLike) -> dict[str, Any]:
    """Return an event's public form (SPEC section 3 "history event"), hash included."""
    body = event_body(event)
    body["hash"] = event.hash
    return body


def event_body(event: EventLike) -> dict[str, Any]:
    """Return the event's public form without ``hash``: the bytes its hash covers."""
    return {
        "seq": event.seq,
        "claim_id": event.claim_id,
        "kind": event.kind,
        "at": iso(event.at),
        "actor": {"name": event.actor_name, "role": event.actor_role},
        "note": event.note,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "occurred_on": _date(event.occurred_on),
        "correction": bool(event.correction),
        "evidence": list(event.evidence or []),
        "changes": dict(event.changes or {}),
        "status": event.status,
        "version": event.version,
        "prev_hash": event.prev_hash,
    }


@dataclass(frozen=True)
class BadEvent:
    """The first thing that does not verify: where (claim, event ``seq``, field) and why.

    ``claim_id`` is None for a fault of the global sequence, ``seq`` None for a fault of a
    whole claim; ``field`` names the claim field (or ``evidence.<field>``) that disagrees
    with the history, and is None when the history itself is broken.
    """

    claim_id: int | None
    seq: int | None
    reason: str
    field: str | None = None

    def __str__(self) -> str:
        at = f" at event seq {self.seq}" if self.seq is not None else ""
        if self.claim_id is None:
            return f"the history is broken{at}: {self.reason}"
        if self.field is not None:
            return f"claim {self.claim_id} does not match its history{at}: {self.reason}"
        return f"history of claim {self.claim_id} is broken{at}: {self.reason}"


def verify_chain(events: Iterable[EventLike]) -> BadEvent | None:
    """Recompute one claim's chain (events oldest first); return the first bad event or None."""
    prev: str | None = None
    for position, event in enumerate(events, start=1):
        if event.prev_hash != prev:
            reason = "prev_hash does not link to the event before"
            if isinstance(event.version, int) and event.version > position:
                reason += f" (the claim's event {position} is missing: this one is {event.version})"
            return BadEvent(event.claim_id, event.seq, reason)
        if chain_hash(prev, event_body(event)) != event.hash:
            return BadEvent(event.claim_id, event.seq, "hash does not match the event's content")
        prev = event.hash
    return None


# ---------------------------------------------------------------------------------------------
# The claim row and its evidence rows against the replay of the claim's events
