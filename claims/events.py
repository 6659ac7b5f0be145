"""Appending one history event to a claim's hash chain, with its global ``seq``.

Every writer of events uses it (the use cases of ``claims.services``, the deadline watcher of
``claims.deadlines``): one place builds the event row and its hash; ``storage.insert_change``
inserts it with what the write records beside it.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlmodel import Session

from claims import history, storage
from claims.models import Actor, EventKind
from claims.status import Status


def new_event(
    session: Session,
    claim_id: int,
    kind: EventKind,
    *,
    actor: Actor,
    at: Any,
    status: Status,
    version: int,
    note: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    occurred_on: date | None = None,
    correction: bool = False,
    evidence: list[dict[str, Any]] | None = None,
    changes: dict[str, Any] | None = None,
    prev: str | None = None,
    seq: int | None = None,
) -> dict[str, Any]:
    """Return the row of the claim's next event after ``prev`` (the hash of its latest event;
    None for the first), with its seq (``seq`` if its compare-and-set took one, else taken
    now: on SQLite its counter row stays locked until the commit) and its hash."""
    seq = storage.next_seq(session, seq)
    row = {
        "seq": seq,
        "claim_id": claim_id,
        "kind": kind.value,
        "at": at,
        "actor_name": actor.name,
        "actor_role": actor.role.value,
        "note": note,
        "from_status": from_status,
        "to_status": to_status,
        "occurred_on": occurred_on,
        "correction": correction,
        "evidence": evidence or [],
        "changes": changes or {},
        "status": status.value,
        "version": version,
        "prev_hash": prev,
    }
    row["hash"] = history.chain_hash(prev, history.event_body(SimpleNamespace(**row)))
    return row
