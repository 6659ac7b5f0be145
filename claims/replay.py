"""Replaying a claim's history against its row: what ``claims verify`` checks beyond the chain.

Replaying a claim's events gives back its row: ``check_claim`` compares the two, and the
claim's evidence rows with the evidence its events recorded; ``check_seqs`` finds a removed
event by the gap it leaves in the global sequence (on SQLite). All of it is pure:
``claims.verify`` feeds it rows.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from claims.clock import iso
from claims.errors import with_article
from claims.history import (
    DEADLINE_KINDS,
    EVIDENCE_FIELDS,
    SNAPSHOT_FIELDS,
    BadEvent,
    EventLike,
    plain,
    verify_chain,
)
from claims.quotes import default_kind


@dataclass(frozen=True)
class ClaimCheck:
    """What checking one claim found: the first bad thing, or None, and the fields its
    history cannot vouch for (a ``created`` event written before it snapshotted every field,
    and no edit of the field since)."""

    bad: BadEvent | None
    unchecked: tuple[str, ...] = ()


@dataclass
class _Replayed:
    """A claim as its events say it is. ``fields`` maps a field to its value and the seq of the
    event that last set it; fields no event recorded are missing."""

    fields: dict[str, tuple[Any, int]] = field(default_factory=dict)
    status: str | None = None
    status_seq: int = 0
    status_at: datetime | None = None
    events: int = 0


def check_claim(claim: Any, events: Sequence[EventLike], evidence: Sequence[Any]) -> ClaimCheck:
    """Check a claim row and its evidence rows against its history (events oldest first).

    In this order: the hash chain; the events among themselves (versions counting from 1, a
    ``created`` event first, each edit's "before" and each status change's "from" equal to
    what the events before it left); the row's fields, status, version and timestamps against
    the replay; the evidence rows against the evidence their events recorded.
    """
    if not events:
        return ClaimCheck(
            BadEvent(claim.id, None, "it has no events; every claim starts with 'created'")
        )
    bad = verify_chain(events)
    if bad is not None:
        return ClaimCheck(bad)
    replayed = _Replayed()
    for position, event in enumerate(events, start=1):
        bad = _apply(replayed, position, event)
        if bad is not None:
            return ClaimCheck(bad)
    _legacy_quote_kind(replayed)
    unchecked = tuple(name for name in SNAPSHOT_FIELDS if name not in replayed.fields)
    bad = _compare_row(claim, replayed, events) or _compare_evidence(claim.id, events, evidence)
    return ClaimCheck(bad, unchecked)


def _legacy_quote_kind(replayed: _Replayed) -> None:
    """A history begun before ``quote_kind`` existed (migration 0011) never records it; that
    migration made every quote then stored direct, so the replay reads such a history the
    same way, and the field is checked like the others (docs/quotes.md)."""
    if "quote_kind" not in replayed.fields and "quote" in replayed.fields:
        quote, seq = replayed.fields["quote"]
        replayed.fields["quote_kind"] = (default_kind(quote), seq)


def _pair(value: Any) -> tuple[Any, Any] | None:
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None


def _apply(replayed: _Replayed, position: int, event: EventLike) -> BadEvent | None:
    """Apply one event to the replay; return what is wrong with it, if anything."""

    def bad(reason: str) -> BadEvent:
        return BadEvent(event.claim_id, event.seq, reason)

    if event.version != position:
        return bad(f"it says version {event.version}, but it is the claim's event {position}")
    first = position == 1
    if first != (event.kind == "created"):
        return bad("a claim's first event, and only its first, is 'created'")
    if event.kind == "created":
        if event.status != "pending":
            return bad(f"a claim is created pending, not {event.status}")
        replayed.status, replayed.status_at = event.status, event.at
        replayed.status_seq = event.seq
        for name, change in (event.changes or {}).items():
            pair = _pair(change)
            if pair is None or pair[0] is not None:
                return bad(f"the created event has {name} {_show(change)}, not [null, value]")
            replayed.fields[name] = (pair[1], event.seq)
    elif event.kind == "edited":
        for name, change in (event.changes or {}).items():
            pair = _pair(change)
            if pair is None:
                return bad(f"the edit records {name} as {_show(change)}, not [before, after]")
            known = replayed.fields.get(name)
            if known is not None and known[0] != pair[0]:
                return bad(
                    f"the edit says {name} was {_show(pair[0])}, but event seq {known[1]} set "
                    f"it to {_show(known[0])}"
                )
            replayed.fields[name] = (pair[1], event.seq)
    elif event.kind == "status_changed":
        if event.from_status != replayed.status:
            return bad(
                f"it moves the claim from {event.from_status}, but the claim was "
                f"{replayed.status} (event seq {replayed.status_seq})"
            )
        if event.to_status != event.status:
            return bad(f"it moves the claim to {event.to_status} but says {event.status}")
        replayed.status, replayed.status_at = event.to_status, event.at
        replayed.status_seq = event.seq
    elif event.kind in DEADLINE_KINDS:
        if event.changes:
            return bad(
                f"{with_article(event.kind)} event changes no field, but records "
                f"{_show(event.changes)}"
            )
    elif event.kind != "evidence_added":
        return bad(f"unknown kind of event {event.kind!r}")
    if event.status != replayed.status:
        return bad(
            f"it says the claim is {event.status}, but it was {replayed.status} (event seq "
            f"{replayed.status_seq})"
        )
    replayed.events = position
    return None


def _compare_row(claim: Any, replayed: _Replayed, events: Sequence[EventLike]) -> BadEvent | None:
    """Compare the claim row with the replay: version first (a removed event shows there)."""
    last = events[-1]
    # The deadline watcher's events are observations: updated_at is the last change by a person.
    touched = next((e for e in reversed(events) if e.kind not in DEADLINE_KINDS), events[0])

    def bad(name: str, row: Any, recorded: Any, seq: int) -> BadEvent:
        reason = f"{name} is {_show(row)} in the claim row, {_show(recorded)} in the history"
        return BadEvent(claim.id, seq, reason, name)

    if claim.version != replayed.events:
        return BadEvent(
            claim.id,
            last.seq,
            f"version is {claim.version} in the claim row, but the history has "
            f"{replayed.events} event(s): an event was removed, or the row changed",
            "version",
        )
    if claim.status != replayed.status:
        return bad("status", claim.status, replayed.status, replayed.status_seq)
    for name in SNAPSHOT_FIELDS:
        if name in replayed.fields:
            recorded, seq = replayed.fields[name]
            if plain(getattr(claim, name)) != recorded:
                return bad(name, plain(getattr(claim, name)), recorded, seq)
    assert replayed.status_at is not None
    for name, at, seq in (
        ("created_at", events[0].at, events[0].seq),
        ("updated_at", touched.at, touched.seq),
        ("status_changed_at", replayed.status_at, replayed.status_seq),
    ):
        if iso(getattr(claim, name)) != iso(at):
            return bad(name, iso(getattr(claim, name)), iso(at), seq)
    return None


def _evidence_key(piece: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(plain(piece.get(name)) for name in EVIDENCE_FIELDS)


def _compare_evidence(
    claim_id: int, events: Sequence[EventLike], rows: Sequence[Any]
) -> BadEvent | None:
    """Compare a claim's evidence rows with the evidence its events recorded, event by event."""
    seqs = {event.seq for event in events}
    by_seq: dict[int, list[Any]] = {}
    for row in rows:
        if row.event_seq not in seqs:
            return BadEvent(
                claim_id,
                row.event_seq,
                f"evidence row {row.id} points to event seq {row.event_seq}, which is not in "
                "this claim's history",
                "evidence",
            )
        by_seq.setdefault(row.event_seq, []).append(row)
    for event in events:
        recorded = [_evidence_key(piece) for piece in event.evidence or []]
        stored = by_seq.get(event.seq, [])
        unmatched = []
        for row in stored:
            key = _evidence_key(row._mapping)
            if key in recorded:
                recorded.remove(key)
            else:
                unmatched.append((row, key))
        if unmatched and recorded:
            (row, key), wanted = unmatched[0], recorded[0]
            name, have, want = next(
                (n, h, w) for n, h, w in zip(EVIDENCE_FIELDS, key, wanted, strict=True) if h != w
            )
            return BadEvent(
                claim_id,
                event.seq,
                f"evidence row {row.id}'s {name} is {_show(have)} in the evidence table, "
                f"{_show(want)} in the history",
                f"evidence.{name}",
            )
        if unmatched:
            row = unmatched[0][0]
            return BadEvent(
                claim_id,
                event.seq,
                f"evidence row {row.id} ({_show(row.url)}) is not in the evidence this event "
                "recorded",
                "evidence",
            )
        if recorded:
            return BadEvent(
                claim_id,
                event.seq,
                f"the event recorded evidence {_show(recorded[0][0])} that has no evidence row",
                "evidence",
            )
    return None


def _show(value: Any, limit: int = 80) -> str:
    """A value for a message: its JSON form, cut short."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# The database as a whole: strays and the global sequence


def orphan_event(event: EventLike) -> BadEvent:
    """What to say of an event whose claim does not exist."""
    return BadEvent(event.claim_id, event.seq, f"the event's claim {event.claim_id} does not exist")


def stray_evidence(row: Any, *, claim_exists: bool) -> BadEvent:
    """What to say of an evidence row whose claim or event does not exist."""
    if not claim_exists:
        reason = f"evidence row {row.id} belongs to claim {row.claim_id}, which does not exist"
    else:
        reason = f"evidence row {row.id} points to event seq {row.event_seq}, which does not exist"
    return BadEvent(row.claim_id, row.event_seq, reason, "evidence")


def check_seqs(
    seqs: Iterable[int],
    counter: int,
    *,
    dense: bool = True,
    skipped: Collection[int] = frozenset(),
) -> BadEvent | None:
    """Check the events' seqs (ascending) against the last seq handed out.

    ``dense`` (SQLite): they run from 1 up to the counter without a gap, since every write
    takes the next seq and adds one event, so a gap is a removed event, unless the seq is in
    ``skipped`` (the gaps of a PostgreSQL history an import brought in). Otherwise
    (PostgreSQL, where a rolled-back write leaves its seq unused) they only lie between 1 and
    the counter; a removed event is then found by its claim's chain and row, or by the
    transparency log."""
    expected = 1
    for seq in seqs:
        if seq < 1:
            return BadEvent(None, seq, "seqs start at 1")
        if seq > counter:
            return BadEvent(None, seq, f"it is above the seq counter ({counter})")
        if dense and (missing := _first_missing(expected, seq, skipped)) is not None:
            return _removed(missing, counter)
        expected = seq + 1
    if dense and (missing := _first_missing(expected, counter + 1, skipped)) is not None:
        return _removed(missing, counter)
    return None


def _first_missing(start: int, stop: int, skipped: Collection[int]) -> int | None:
    """The first seq in ``[start, stop)`` that is not a noted gap, or None."""
    return next((seq for seq in range(start, stop) if seq not in skipped), None)


def _removed(seq: int, counter: int) -> BadEvent:
    return BadEvent(
        None,
        seq,
        f"no event has this seq, but the seq counter is at {counter} and every seq up to it "
        "was given to an event: an event was removed",
    )


@dataclass(frozen=True)
class Verification:
    """What ``claims verify`` found: the first bad thing (None: everything verifies), how much
    it checked, and how many claims have fields their history cannot vouch for."""

    bad: BadEvent | None
    claims: int = 0
    events: int = 0
    unsnapshotted: int = 0
