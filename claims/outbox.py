"""What each webhook subscription is sent next, and what came of it.

The history events are the outbox: every change writes its event in its own transaction, so a
committed change has one and a rolled-back change none, and nothing else is written on a
change's path (ten subscriptions cost a write nothing). Each subscription keeps a cursor, the
last event it has been through. The process holding its lease (``claims.dispatch``) plans a
batch (``plan``: the events past the cursor that match, and stored deliveries now due), sends
it, and records it (``record``): the deliveries (a row per message, for the log and for
retries), every attempt and the cursor's move, in one transaction, refused if the lease was
lost meanwhile (the new holder sends those events itself, with the same ``webhook-id``).

Per subscription a claim's events go in seq order: a batch sends each claim's events one
after the other and stops at a failure, and a claim with a pending delivery (a retry, or one
queued behind it) has its newer events stored behind it rather than sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims import shapes, storage
from claims.clock import as_utc, iso, now, today
from claims.config import Settings
from claims.storage.webhooks import DELIVERED, FAILED, PENDING
from claims.webhook_events import event_type
from claims.webhooks import next_delay

BATCH = 100
"""Events read past a subscription's cursor per batch (and stored deliveries due per pass)."""
EXCERPT_MAX = 1000


@dataclass
class Message:
    """One message for one subscription: a new event (``row_id`` None until recorded) or a
    stored delivery (a retry, a ping, one queued behind a failure)."""

    webhook_id: int
    msg_id: str
    event_type: str
    seq: int | None
    claim_id: int | None
    payload: str
    row_id: int | None = None
    attempts: int = 0


@dataclass(frozen=True)
class Outcome:
    """What one send of a message came to."""

    status_code: int | None
    duration_ms: int
    error: str | None = None
    excerpt: str | None = None

    @property
    def ok(self) -> bool:
        """A 2xx answer: delivered."""
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass
class Batch:
    """One subscription's work for one pass: chains to send (a claim's messages, in seq order,
    each sent after the one before succeeded), messages to store unsent behind a pending one,
    and the cursor to record with them."""

    webhook_id: int
    url: str
    secret: str
    cursor: int
    chains: list[list[Message]] = field(default_factory=list)
    queued: list[Message] = field(default_factory=list)
    sent: list[tuple[Message, Outcome]] = field(default_factory=list)

    def unsent(self) -> list[Message]:
        """The messages stored without a try this pass (queued, or behind a failure)."""
        tried = {id(m) for m, _ in self.sent}
        return [m for chain in self.chains for m in chain if id(m) not in tried] + self.queued


def plan(
    session: Session, owner: str, webhook_ids: Sequence[int], settings: Settings
) -> list[Batch]:
    """The next batch of each subscription of ``webhook_ids`` that ``owner`` holds (reads
    only); a subscription with nothing to send but events past its cursor that do not match
    still gets a batch, so its cursor moves."""
    hooks = storage.held_webhooks(session, owner, webhook_ids)
    if not hooks:
        return []
    at = now()
    due = {h.id: storage.due_deliveries(session, h.id, at, BATCH) for h in hooks}
    events = {h.id: storage.events_past(session, h.cursor_seq, BATCH) for h in hooks}
    claim_ids = [e.claim_id for rows in events.values() for e in rows]
    claims = storage.claims_by_id(session, claim_ids)
    topics = storage.topics_of(session, claim_ids)
    payloads = _Payloads(claims, settings)
    batches = []
    for hook in hooks:
        batch = Batch(hook.id, hook.url, hook.secret, hook.cursor_seq)
        chains: dict[Any, list[Message]] = {}
        for row in due[hook.id]:
            # A ping (no claim) is a chain of its own.
            chains.setdefault(row.claim_id or ("ping", row.id), []).append(_stored(row))
        held = storage.waiting_claims(session, hook.id, [e.claim_id for e in events[hook.id]])
        for event in events[hook.id]:
            batch.cursor = event.seq
            kind = event_type(event.kind, correction=bool(event.correction))
            claim = claims.get(event.claim_id)
            if kind is None or claim is None:
                continue
            if not _matches(hook, kind, event.status, topics.get(event.claim_id, set())):
                continue
            message = Message(
                hook.id, f"msg_{hook.id}_{event.seq}", str(kind), event.seq, event.claim_id,
                payloads.of(event, kind),
            )  # fmt: skip
            if event.claim_id in held:
                batch.queued.append(message)
            else:
                chains.setdefault(event.claim_id, []).append(message)
        batch.chains = list(chains.values())
        if batch.chains or batch.queued or batch.cursor != hook.cursor_seq:
            batches.append(batch)
    return batches


def _stored(row: Row) -> Message:
    return Message(
        row.webhook_id, row.msg_id, row.event_type, row.seq, row.claim_id, row.payload,
        row_id=row.id, attempts=row.attempts,
    )  # fmt: skip


def _matches(hook: Row, kind: str, status: str, topics: set[str]) -> bool:
    if hook.events and kind not in hook.events:
        return False
    if hook.statuses and status not in hook.statuses:
        return False
    return not hook.topics or bool(topics.intersection(hook.topics))


class _Payloads:
    """Each event's payload, built once per pass whatever the number of subscriptions."""

    def __init__(self, claims: dict[int, Row], settings: Settings) -> None:
        self._claims = claims
        self._settings = settings
        self._day = today(settings.zone)
        self._made: dict[int, str] = {}

    def of(self, event: Row, kind: str) -> str:
        """Standard Webhooks' ``{type, timestamp, data}``. As SPEC 6a has it, ``data`` is the
        claim as the API returns it now (``GET /v1/claims/{id}``, its current ``version``
        included), with the change's ``seq``, and what the change was (its own version too,
        since a delivery can go out after later changes)."""
        if event.seq not in self._made:
            claim = self._claims[event.claim_id]
            data = shapes.claim(claim, self._day, self._settings.due_soon_days)
            data["seq"] = event.seq
            data["change"] = {
                "kind": event.kind,
                "status": event.status,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "correction": bool(event.correction),
                "note": event.note,
                "at": iso(event.at),
                "version": event.version,
            }
            payload = {"type": str(kind), "timestamp": iso(event.at), "data": data}
            self._made[event.seq] = orjson.dumps(payload).decode()
        return self._made[event.seq]


# ---------------------------------------------------------------------------------------------
# Recording


def record(session: Session, owner: str, batches: Sequence[Batch], settings: Settings) -> list[str]:
    """Record finished batches in one transaction: each subscription's cursor, its deliveries
    (delivered, pending a retry, queued, or failed for good), every attempt, and the
    subscription's failure state. A batch whose lease ``owner`` lost is left out (its new
    holder sends it again). Returns one line per delivery that was not delivered, for the log."""
    at = now()
    notes: list[str] = []
    with storage.transaction(session):
        for batch in batches:
            if storage.move_cursor(session, batch.webhook_id, owner, batch.cursor):
                notes += _record_batch(session, batch, settings, at)
    return notes


def _record_batch(session: Session, batch: Batch, settings: Settings, at: datetime) -> list[str]:
    notes = []
    new_rows: list[dict[str, Any]] = []
    new_attempts: list[dict[str, Any] | None] = []
    for message, outcome in batch.sent:
        state, values = _after(message, outcome, settings, at)
        if state != DELIVERED:
            notes.append(f"{message.msg_id}: {outcome.status_code or outcome.error} ({state})")
        attempt = _attempt(outcome, at)
        if message.row_id is None:
            new_rows.append(_row(message, at) | values)
            new_attempts.append(attempt)
        else:
            storage.finish_delivery(session, message.row_id, values)
            storage.record_attempt(session, {"delivery_id": message.row_id, **attempt})
    for message in batch.unsent():
        if message.row_id is None:  # stored pending, due now, behind its claim's earlier one
            new_rows.append(_row(message, at) | {"state": PENDING, "attempts": 0})
            new_attempts.append(None)
    ids = storage.insert_deliveries(session, new_rows)
    attempts = [
        {"delivery_id": delivery_id, **attempt}
        for delivery_id, attempt in zip(ids, new_attempts, strict=True)
        if attempt is not None
    ]
    storage.record_attempts(session, attempts)
    outcomes = [outcome for _, outcome in batch.sent]
    _keep_failure_state(session, batch.webhook_id, outcomes, settings, at)
    return notes


def _after(
    message: Message, outcome: Outcome, settings: Settings, at: datetime
) -> tuple[str, dict[str, Any]]:
    """A message's state after a try, and the delivery's fields that say so."""
    attempts = message.attempts + 1
    if outcome.ok:
        return DELIVERED, {"state": DELIVERED, "attempts": attempts, "finished_at": at}
    retry_in = next_delay(attempts, settings)
    if retry_in is None:
        return FAILED, {"state": FAILED, "attempts": attempts, "finished_at": at}
    return PENDING, {"state": PENDING, "attempts": attempts, "next_attempt_at": at + retry_in}


def _row(message: Message, at: datetime) -> dict[str, Any]:
    return {
        "webhook_id": message.webhook_id,
        "msg_id": message.msg_id,
        "event_type": message.event_type,
        "seq": message.seq,
        "claim_id": message.claim_id,
        "payload": message.payload,
        "next_attempt_at": at,
        "created_at": at,
        "finished_at": None,
    }


def _attempt(outcome: Outcome, at: datetime) -> dict[str, Any]:
    return {
        "at": at,
        "status_code": outcome.status_code,
        "duration_ms": outcome.duration_ms,
        "error": (outcome.error or None) and outcome.error[:500],
        "response_excerpt": (outcome.excerpt or None) and outcome.excerpt[:EXCERPT_MAX],
    }


def _keep_failure_state(
    session: Session, webhook_id: int, outcomes: list[Outcome], settings: Settings, at: datetime
) -> None:
    """A success clears the subscription's failing state; failing for
    ``webhook_disable_after_days`` disables it, with the reason an admin sees."""
    hook = storage.find_webhook(session, webhook_id)
    if hook is None or not outcomes:
        return
    since = as_utc(hook.failing_since) if hook.failing_since else None
    for outcome in outcomes:  # in the order the answers came
        since = None if outcome.ok else (since or at)
    values: dict[str, Any] = {}
    if since != (as_utc(hook.failing_since) if hook.failing_since else None):
        values["failing_since"] = since
    last = outcomes[-1]
    if since is not None and at - since >= timedelta(days=settings.webhook_disable_after_days):
        what = f"HTTP {last.status_code}" if last.status_code else (last.error or "error")
        reason = f"disabled {iso(at)}: every delivery failed since {iso(since)} (last: {what})"
        values.update(active=False, disabled_reason=reason[:500])
    if values:
        storage.update_webhook(session, hook.id, values)
