"""Status changes: one, or several in one unit of work (PostgreSQL's group commit).

Every request is checked by the same rules (``claims.status``) and written by its own
compare-and-set on the version its caller saw, whether it goes alone or with others: a request
that is refused, or loses to another writer, changes nothing and does not stop the rest.
Together they cost the database a few statements for all of them (``find_claims_to_write``,
``update_claims``, ``insert_changes``) instead of a few each, which is what lets PostgreSQL
keep up with many writers at once (``api/writes.py``; docs/design.md, "Group commit").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from claims import refs, storage
from claims.clock import now
from claims.errors import ClaimsError, NotFound, only
from claims.events import new_event
from claims.models import Actor, EventKind, StatusChange
from claims.refs import ClaimRef
from claims.services import (
    Written,
    change_of,
    check_not_future,
    evidence_json,
    evidence_rows,
    found,
    stale,
)
from claims.status import Status, ensure_claim_writer, ensure_move


@dataclass(frozen=True)
class StatusRequest:
    """One request to move a claim: which claim, to what, on which version, by whom, and on
    which day of the newsroom (its ``occurred_on`` and evidence cannot be later)."""

    ref: ClaimRef
    change: StatusChange
    expected_version: int
    actor: Actor
    today: date | None = None


def change_status(
    session: Session, ref: ClaimRef, change: StatusChange, *, expected_version: int, actor: Actor
) -> Written:
    """Move a claim to ``change.status`` under the workflow rules of ``claims.status``.

    Raises Forbidden, NotFound, SameStatus, InvalidInput (also an ``occurred_on`` or evidence
    date in the future), VersionConflict.
    """
    return only(change_statuses(session, [StatusRequest(ref, change, expected_version, actor)]))


def change_statuses(
    session: Session, requests: Sequence[StatusRequest]
) -> list[Written | ClaimsError]:
    """``change_status`` for each request, in one unit of work: for each, in order, what it
    wrote, or the error that refused it (Forbidden, NotFound, SameStatus, InvalidInput,
    VersionConflict) having written nothing.

    Two requests for one claim: the first in order is checked against the claim as it was; the
    later ones against the claim once the first has been applied, so they lose unless the first
    was refused (as they would one after the other).
    """
    outcomes: list[Written | ClaimsError | None] = [None] * len(requests)
    allowed = []
    for i, request in enumerate(requests):
        try:
            ensure_claim_writer(request.actor.role, "change a claim's status")
            check_not_future(_dates(request.change), request.today)
        except ClaimsError as exc:
            outcomes[i] = exc
            continue
        if refs.could_name_a_claim(request.ref):
            allowed.append(i)
            continue
        try:
            found(request.ref, None)
        except NotFound as exc:
            outcomes[i] = exc
    if not allowed:
        return outcomes  # type: ignore[return-value]
    with storage.transaction(session):
        rows = storage.find_claims_to_write(session, [requests[i].ref for i in allowed])
        planned, again = [], []
        claims_planned: set[int] = set()
        claim_of: dict[int, int] = {}
        for i, row in zip(allowed, rows, strict=True):
            request = requests[i]
            try:
                current = found(request.ref, row)
                if current.id in claims_planned:
                    claim_of[i] = current.id
                    again.append(i)
                    continue
                if current.version != request.expected_version:
                    raise stale(current, request.expected_version)
                move = ensure_move(
                    Status(current.status),
                    request.change.status,
                    request.actor.role,
                    note=request.change.note,
                    has_evidence=bool(request.change.evidence),
                )
            except ClaimsError as exc:
                outcomes[i] = exc
                continue
            claims_planned.add(current.id)
            claim_of[i] = current.id
            at = now()
            values = {"status": move.to_status.value, "updated_at": at, "status_changed_at": at}
            planned.append((i, current, move, values))
        updated = storage.update_claims(
            session, [(current.id, requests[i].expected_version, v) for i, current, _, v in planned]
        )
        changes = []
        for (i, current, move, values), won in zip(planned, updated, strict=True):
            if won is None:
                again.append(i)
                continue
            claim, seq = won
            change = requests[i].change
            event = new_event(
                session,
                current.id,
                EventKind.STATUS_CHANGED,
                actor=requests[i].actor,
                at=values["status_changed_at"],
                status=move.to_status,
                version=current.version + 1,
                prev=current.last_hash,
                note=change.note.strip() if change.note else None,
                from_status=move.from_status.value,
                to_status=move.to_status.value,
                occurred_on=change.occurred_on,
                correction=move.correction,
                evidence=[evidence_json(e) for e in change.evidence],
                seq=seq,
            )
            changes.append(change_of(current, claim, event, evidence_rows(change.evidence)))
            outcomes[i] = Written(claim, event["seq"])
        if changes:
            storage.insert_changes(session, changes)
        for i in again:
            # Another writer came first (in this unit or before it): the claim as it is now.
            latest = storage.find_claim(session, claim_of[i])
            if latest is None:
                outcomes[i] = NotFound(f"there is no claim {claim_of[i]}")
            else:
                outcomes[i] = stale(latest, requests[i].expected_version)
    return outcomes  # type: ignore[return-value]


def _dates(change: StatusChange) -> dict[str, date | None]:
    """The dates of a change that say when something happened, named as their fields."""
    dates = {"occurred_on": change.occurred_on}
    for n, evidence in enumerate(change.evidence):
        dates[f"evidence.{n}.published_on"] = evidence.published_on
    return dates
