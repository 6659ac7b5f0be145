"""Claim use cases: one function per thing a person or program does to claims.

Each function is one unit of work: it opens ``storage.transaction``, checks the rules, writes
the row, its history event and its ``seq``, and commits once. Nothing else commits. Functions
that change a claim take the version the caller last saw and fail with VersionConflict if it is
no longer current (the compare-and-set lives in ``storage.update_claim``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy.engine import Row
from sqlmodel import Session

from claims import deadlines, history, quotes, refs, storage
from claims.clock import now
from claims.errors import FieldError, InvalidInput, NotFound, VersionConflict
from claims.events import new_event
from claims.models import (
    Actor,
    ClaimUpdate,
    EventKind,
    EvidenceIn,
)
from claims.refs import ClaimRef
from claims.status import Status, ensure_claim_writer, ensure_edit


@dataclass(frozen=True)
class Written:
    """What a write produced: the claim row as committed and the ``seq`` of its event.

    ``replayed`` is true when an Idempotency-Key matched an earlier create: ``claim`` is then
    the claim as that first request created it, and nothing was written.
    """

    claim: Any
    seq: int | None
    replayed: bool = False


def get_claim(session: storage.Executor, ref: ClaimRef) -> Row:
    """Return one claim by id or slug. Raises NotFound."""
    # Not ``get_claims`` with one ref: this is SQLite's cache-miss path of the polling reads,
    # and the lists and dict of the several-refs form cost it more than the rule it shares.
    return found(ref, storage.find_claim(session, ref) if refs.could_name_a_claim(ref) else None)


def get_claims(session: storage.Executor, claim_refs: Sequence[ClaimRef]) -> list[Row | NotFound]:
    """``get_claim`` for each ref, in their order: the claim, or the NotFound that says there
    is none (on PostgreSQL one statement for all: ``api.polling`` gathers concurrent reads)."""
    wanted = [ref for ref in claim_refs if refs.could_name_a_claim(ref)]
    rows = dict(zip(wanted, storage.find_claims(session, wanted), strict=True))
    outcomes: list[Row | NotFound] = []
    for ref in claim_refs:
        try:
            outcomes.append(found(ref, rows.get(ref)))
        except NotFound as exc:
            outcomes.append(exc)
    return outcomes


def found(ref: ClaimRef, row: Row | None) -> Row:
    """``row``, the claim that ``ref`` named; raises NotFound when there is none."""
    if row is None:
        raise NotFound(f"there is no claim {ref if isinstance(ref, int) else repr(ref[:120])}")
    return row


def edit_claim(
    session: Session,
    ref: ClaimRef,
    data: ClaimUpdate,
    *,
    expected_version: int,
    actor: Actor,
    today: date,
    due_soon_days: int,
) -> Written:
    """Change a claim's fields (not its status) and record before and after.

    An edit that changes nothing returns the claim as it is, without a new version or event.
    Editing a claim that carries a verdict is a correction (``status.ensure_edit``): editors
    only, with a reason, and the ``edited`` event says ``correction: true``. ``today`` is the
    newsroom's day, after which ``stated_on`` may not be moved (``check_not_future``), and with
    ``due_soon_days`` tells whether a moved deadline crosses into or out of the overdue or
    due-soon state (``deadlines.rearm``).
    Raises Forbidden, NotFound, VersionConflict, InvalidInput.
    """
    ensure_claim_writer(actor.role, "edit claims")
    with storage.transaction(session):
        current = _current(session, ref, expected_version)
        claim_id = current.id
        sent = data.changes()
        quotes.settle_edit(current, sent)
        if "certainty" in sent:
            sent["certainty"] = str(sent["certainty"])
        plain = history.plain
        diff = {k: v for k, v in sent.items() if plain(getattr(current, k)) != plain(v)}
        if not diff:
            return Written(current, None)
        correction = ensure_edit(current.status, actor.role, reason=data.reason)
        # Only a date the edit changes: a claim stored with a later stated_on (imported, or
        # written before the rule) can still have its other fields edited.
        check_not_future({"stated_on": diff.get("stated_on")}, today)
        merged = {**current._asdict(), **diff}
        check_references(session, merged, claim_id=claim_id)
        check_window(merged)
        at = now()
        # A moved deadline re-arms the deadline events (claims.deadlines).
        rearmed = deadlines.rearm(diff, current, today=today, due_soon_days=due_soon_days)
        values = {**diff, **rearmed, "updated_at": at}
        claim = _update(session, current, expected_version, values)
        changes = {k: [plain(getattr(current, k)), plain(v)] for k, v in diff.items()}
        event = new_event(
            session,
            claim_id,
            EventKind.EDITED,
            actor=actor,
            at=at,
            status=Status(current.status),
            version=current.version + 1,
            prev=current.last_hash,
            changes=changes,
            note=data.reason or None,
            correction=correction,
        )
        _record(session, current, claim, event)
    return Written(claim, event["seq"])


def add_evidence(
    session: Session,
    ref: ClaimRef,
    evidence: EvidenceIn,
    *,
    expected_version: int,
    actor: Actor,
    today: date | None = None,
) -> Written:
    """Attach one piece of evidence without changing the status; the version goes up by one.

    ``today`` is the newsroom's day: the evidence cannot have been published after it.
    Raises Forbidden, InvalidInput, NotFound, VersionConflict.
    """
    ensure_claim_writer(actor.role, "attach evidence")
    check_not_future({"published_on": evidence.published_on}, today)
    with storage.transaction(session):
        current = _current(session, ref, expected_version)
        claim_id = current.id
        at = now()
        claim = _update(session, current, expected_version, {"updated_at": at})
        event = new_event(
            session,
            claim_id,
            EventKind.EVIDENCE_ADDED,
            actor=actor,
            at=at,
            status=Status(current.status),
            version=current.version + 1,
            prev=current.last_hash,
            evidence=[evidence_json(evidence)],
        )
        _record(session, current, claim, event, evidence_rows([evidence]))
    return Written(claim, event["seq"])


def history_page(
    db: storage.Executor, claim_id: int, *, after_seq: int = 0, limit: int = 1000
) -> dict[str, Any]:
    """Return ``{"events": [...], "next_after": seq | None}``, oldest first (of a claim already
    found: see ``get_claim``)."""
    rows = storage.list_events(db, claim_id, after_seq=after_seq, limit=limit + 1)
    events = [history.public_event(e) for e in rows[:limit]]
    more = len(rows) > limit
    return {"events": events, "next_after": events[-1]["seq"] if more else None}


# ---------------------------------------------------------------------------------------------
# Helpers shared by the use cases above


def _current(session: Session, ref: ClaimRef, expected_version: int) -> Row:
    """The claim to write to, with its chain's ``last_hash``. Raises NotFound, VersionConflict."""
    row = found(
        ref, storage.find_claim_to_write(session, ref) if refs.could_name_a_claim(ref) else None
    )
    if row.version != expected_version:
        raise stale(row, expected_version)
    return row


def _update(session: Session, current: Row, expected_version: int, values: dict[str, Any]) -> Row:
    """The compare-and-set of a change, which takes its event's seq. Raises VersionConflict."""
    claim_id = current.id
    updated = storage.update_claim(session, claim_id, expected_version, values, take_seq=True)
    if updated is None:
        # Another writer committed since we read the claim: the compare-and-set caught it.
        latest = storage.find_claim(session, claim_id)
        if latest is None:
            raise NotFound(f"there is no claim {claim_id}")
        raise stale(latest, expected_version)
    return updated


def _record(
    session: Session,
    current: Row,
    updated: Row,
    event: dict[str, Any],
    evidence: list[dict[str, Any]] | None = None,
) -> None:
    """Write what a change to ``current`` records (``change_of``)."""
    storage.insert_changes(session, [change_of(current, updated, event, evidence)])


def change_of(
    current: Row, updated: Row, event: dict[str, Any], evidence: list[dict[str, Any]] | None
) -> storage.Change:
    """What a change from ``current`` to ``updated`` records after the row: its event, the
    event's evidence, and the claim's move in the tally when its status or deadline changed."""
    moves = []
    if (updated.status, updated.due_by) != (current.status, current.due_by):
        moves = [(current.status, current.due_by, -1), (updated.status, updated.due_by, +1)]
    seq = event["seq"]
    evidence_of_event = [{**e, "claim_id": current.id, "event_seq": seq} for e in evidence or []]
    return storage.Change(current.id, event, evidence_of_event, moves)


def stale(current: Row, expected: int) -> VersionConflict:
    """The VersionConflict of a write that expected version ``expected`` of ``current``."""
    return VersionConflict(
        f"claim {current.id} is at version {current.version}, not {expected}: someone changed "
        "it meanwhile; reload it and apply your change again",
        claim_id=current.id,
        current=current,
    )


def check_references(
    session: Session, values: dict[str, Any], *, claim_id: int | None
) -> Row | None:
    """The claim's source (None without one), once its ``source_id`` and
    ``condition_claim_id`` are shown to name a source and another claim. Raises InvalidInput."""
    source = None
    if values.get("source_id") is not None:
        source = storage.find_source(session, values["source_id"])
        if source is None:
            raise InvalidInput.on("source_id", f"there is no source {values['source_id']}")
    condition_id = values.get("condition_claim_id")
    if condition_id is not None:
        if condition_id == claim_id:
            raise InvalidInput.on("condition_claim_id", "a claim cannot be its own condition")
        if storage.claim_version(session, condition_id) is None:
            raise InvalidInput.on("condition_claim_id", f"there is no claim {condition_id}")
    return source


def check_window(values: dict[str, Any]) -> None:
    """Raise InvalidInput when the due window ends before it starts or before the claim was
    stated."""
    due_by, due_from, stated_on = (
        values.get("due_by"),
        values.get("due_from"),
        values.get("stated_on"),
    )
    if due_by is not None and due_from is not None and due_by < due_from:
        raise InvalidInput.on("due_by", f"{due_by} is before due_from {due_from}")
    if due_by is not None and stated_on is not None and due_by < stated_on:
        raise InvalidInput.on("due_by", f"{due_by} is before stated_on {stated_on}")


EAST_OF_THE_NEWSROOM: Final = timedelta(days=1)
"""How far past the newsroom's today a date of something that already happened may lie: a
day. Its today is the day in CLAIMS_TIMEZONE, and places east of that zone (an article
published in Beijing, read in Washington) may already be on the next day there."""


def check_not_future(dates: Mapping[str, date | None], today: date | None) -> None:
    """Raise InvalidInput naming each of ``dates`` — of something that already happened: a
    claim stated, an article published, an event that occurred — that lies in the future.

    ``today`` is the newsroom's day (``clock.today`` in CLAIMS_TIMEZONE); without one, UTC's.
    """
    day = today or now().date()
    latest = day + EAST_OF_THE_NEWSROOM
    late = [
        FieldError(name, f"must not be in the future ({value} is after today, {day})")
        for name, value in dates.items()
        if value is not None and value > latest
    ]
    if late:
        raise InvalidInput("; ".join(f"{e.field}: {e.message}" for e in late), late)


def evidence_rows(items: list[EvidenceIn]) -> list[dict[str, Any]]:
    """Evidence as the rows a change inserts (without their claim and event)."""
    return [{**e.model_dump(mode="python"), "stance": e.stance.value} for e in items]


def evidence_json(item: EvidenceIn) -> dict[str, Any]:
    """A piece of evidence as its event records it."""
    return item.model_dump(mode="json")
