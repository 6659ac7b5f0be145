"""Deadline events: an open claim entering its due-soon window, or passing its deadline.

Dashboards and webhook receivers want to hear "needs review" without polling every claim
daily. The deadline watcher writes a ``due_soon`` or ``overdue`` history event, once per claim
per crossing, as a write like any other: under the claim's compare-and-set, with its own
``seq`` (so it is in ``/v1/changes``, ``/v1/stream``, the webhooks outbox and the hash chain),
and the claim's ``version`` goes up by one. It is an observation, not an edit: ``updated_at``
keeps the last change a person made (the review queue's "untouched" counts from it).

Exactly once across processes: each server process runs a watcher, and two may find the same
claim; the note is the compare-and-set on ``version`` plus the ``*_noted_on`` column it sets in
the same update, so the second finds either a newer version (and retries on its next pass, when
the claim no longer owes the event) or nothing left to note. An edit that moves ``due_by``
across a crossing (out of overdue, into or out of the due-soon window) clears both marks
(``rearm``): the new deadline gets its own events.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from claims import actors, storage
from claims.clock import now, today
from claims.config import Settings
from claims.events import new_event
from claims.models import EventKind
from claims.pass_failures import PassFailures
from claims.status import OPEN, Status, is_due_soon, is_overdue

log = logging.getLogger("claims.deadlines")

WATCHER = actors.DEADLINE_WATCHER
"""Who the events are from: the server itself, with no more rights than a reader."""

BATCH = 200
_MARKS = ("due_soon_noted_on", "overdue_noted_on")


def crossing(claim: Any, today: date, due_soon_days: int) -> EventKind | None:
    """The deadline event a claim row owes on ``today``, if any.

    ``overdue`` once its deadline has passed while open; ``due_soon`` once it is open and due
    within ``due_soon_days`` (a claim that skipped the window, created or moved straight past
    its deadline, gets only ``overdue``).
    """
    if is_overdue(claim.status, claim.due_by, today):
        return EventKind.OVERDUE if claim.overdue_noted_on is None else None
    if is_due_soon(claim.status, claim.due_by, today, due_soon_days):
        return EventKind.DUE_SOON if claim.due_soon_noted_on is None else None
    return None


def rearm(
    changed: Mapping[str, Any], current: Any, *, today: date, due_soon_days: int
) -> dict[str, Any]:
    """The columns an edit also writes: a deadline moved across a crossing re-arms both
    events. Moved within the state the claim is in (overdue before and after, or due soon
    before and after) it crosses nothing, so no event is owed again."""
    if "due_by" not in changed:
        return {}
    if current.status not in OPEN:  # no state to stay in: reopened, it owes the new deadline's
        return dict.fromkeys(_MARKS)
    before = _state(current.status, current.due_by, today, due_soon_days)
    after = _state(current.status, changed["due_by"], today, due_soon_days)
    return {} if before == after else dict.fromkeys(_MARKS)


def _state(status: str, due_by: date | None, today: date, days: int) -> EventKind | None:
    if is_overdue(status, due_by, today):
        return EventKind.OVERDUE
    return EventKind.DUE_SOON if is_due_soon(status, due_by, today, days) else None


def note_deadlines(engine: Engine, *, today: date, due_soon_days: int) -> list[int]:
    """Write every deadline event owed on ``today`` (one watcher pass); return their seqs.

    ``today`` is a parameter so tests (and a catch-up after downtime) can set the clock.
    """
    soon_until = today + timedelta(days=due_soon_days)
    written: list[int] = []
    with Session(engine) as session:
        while True:
            ids = storage.claims_owing_deadline_events(
                session, today=today, soon_until=soon_until, limit=BATCH
            )
            session.rollback()  # end the read's snapshot before the writes
            noted = [seq for i in ids if (seq := _note(session, i, today, due_soon_days))]
            written.extend(noted)
            # A full batch with nothing noted is a race with writers: the next pass retries.
            if len(ids) < BATCH or not noted:
                return written


def _note(session: Session, claim_id: int, today: date, due_soon_days: int) -> int | None:
    with storage.transaction(session):
        current = storage.find_claim_to_write(session, claim_id)
        kind = crossing(current, today, due_soon_days) if current is not None else None
        if current is None or kind is None:
            return None
        if kind is EventKind.OVERDUE:
            marks = {"overdue_noted_on": today, "due_soon_noted_on": current.due_soon_noted_on}
            note = f"The deadline ({current.due_by}) passed without a verdict."
            occurred_on = current.due_by + timedelta(days=1)
        else:
            marks = {"due_soon_noted_on": today}
            note = f"Due by {current.due_by}: within {due_soon_days} days."
            occurred_on = None
        if storage.update_claim(session, claim_id, current.version, marks, take_seq=True) is None:
            return None  # a write came first; the next pass looks again
        event = new_event(
            session,
            claim_id,
            kind,
            actor=WATCHER,
            at=now(),
            status=Status(current.status),
            version=current.version + 1,
            prev=current.last_hash,
            note=note,
            occurred_on=occurred_on,
        )
        storage.insert_change(session, claim_id, event=event)
        return event["seq"]


def next_pass_in(moment: datetime, zone: ZoneInfo, interval: float) -> float:
    """Seconds from ``moment`` to the watcher's next pass: ``interval``, or just after the next
    midnight in ``zone`` if that comes first (the day a deadline ends is the zone's day)."""
    local = moment.astimezone(zone)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone)
    # Subtract in UTC: aware datetimes sharing a tzinfo subtract as wall-clock times.
    until = (midnight.astimezone(UTC) - moment.astimezone(UTC)).total_seconds()
    return max(0.0, min(interval, until + 0.5))


class DeadlineWatcher:
    """The background task of one server process: a pass at start-up, after each midnight in
    the configured zone, and every ``deadline_sweep_s`` between (a claim created or moved past
    its deadline is noticed then)."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self._settings = settings
        self._engine = engine
        self._task: asyncio.Task[None] | None = None
        self._failures = PassFailures(log, "deadline watcher")

    async def start(self) -> None:
        """Make the start-up pass, then start the background task (on the serving loop).

        The first pass is awaited: a server answers only once what it owes is noted, so the
        first reads after a restart (or a long downtime) already see the deadline events.
        """
        await self._pass()
        self._task = asyncio.create_task(self._run(), name="claims-deadlines")

    async def stop(self) -> None:
        """Stop; a pass in its thread finishes its current claim's transaction first."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def run_once(self) -> list[int]:
        """One pass on the clock's today (blocking: call it in a thread)."""
        settings = self._settings
        return note_deadlines(
            self._engine, today=today(settings.zone), due_soon_days=settings.due_soon_days
        )

    async def _pass(self) -> None:
        try:
            written = await asyncio.to_thread(self.run_once)
            self._failures.succeeded()
            if written:
                log.info("noted %d deadline event(s)", len(written))
        except Exception as exc:  # a database outage: log once, try again on the next pass
            self._failures.failed(exc)

    async def _run(self) -> None:
        settings = self._settings
        while True:
            await asyncio.sleep(next_pass_in(now(), settings.zone, settings.deadline_sweep_s))
            await self._pass()
