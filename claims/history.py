"""History events: their public form, the canonical JSON, and the per-claim hash chain.

The hash of an event is ``sha256(prev_hash_or_empty + canonical_json(event_without_hash))``,
lowercase hex; the canonical JSON has sorted keys, separators ``,`` and ``:``, UTF-8 and no
ASCII escaping (docs/history.md spells it out for auditors). The event's public form is exactly
what ``GET /v1/claims/{id}/history`` shows, so anyone can recompute the chain from the API.
Nothing here writes: ``storage`` inserts events, and nothing anywhere updates or deletes them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy.engine import Row

from claims.clock import iso
from claims.models import Event

# An event as it is being written (a namespace of its columns) or as a row read back.
EventLike = Event | Row | SimpleNamespace


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
    """The first event of a chain whose stored hash does not match its content or its link."""

    claim_id: int
    seq: int
    reason: str


def verify_chain(events: Iterable[EventLike]) -> BadEvent | None:
    """Recompute one claim's chain (events oldest first); return the first bad event or None."""
    prev: str | None = None
    for event in events:
        if event.prev_hash != prev:
            return BadEvent(
                event.claim_id, event.seq, "prev_hash does not link to the event before"
            )
        if chain_hash(prev, event_body(event)) != event.hash:
            return BadEvent(event.claim_id, event.seq, "hash does not match the event's content")
        prev = event.hash
    return None
