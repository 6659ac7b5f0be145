"""Webhook subscriptions and their deliveries: the rules (who may, what matches, when to retry).

The history events are the outbox. Every change writes its event in its own transaction, so a
committed change has one and a rolled-back change none; ``fan_out`` turns the events past a
cursor into one delivery per matching subscription and moves the cursor in the same
transaction, so each delivery is made exactly once whichever process runs it. The dispatcher
(``claims.dispatch``) sends them, signed as Standard Webhooks says, and records every attempt
here. Nothing is sent on a request's path.
"""

from __future__ import annotations

import base64
import ipaddress
import random
import secrets
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import orjson
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims import shapes, storage
from claims.clock import as_utc, iso, now, today
from claims.config import Settings
from claims.errors import InvalidInput, NotFound
from claims.models import Actor, WebhookCreate, WebhookUpdate
from claims.status import Role, ensure_role
from claims.storage.webhooks import DELIVERED, FAILED, PENDING
from claims.webhook_events import PING, event_type
from claims.webhook_shapes import delivery_public

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
FAN_OUT_BATCH = 500
EXCERPT_MAX = 1000
# Standard Webhooks' suggested schedule, about 28 hours in all; each delay gets ±20 % jitter
# so that a receiver coming back is not hit by every retry at the same instant.
RETRY_DELAYS = (5, 300, 1800, 7200, 18000, 36000, 36000)


def new_secret() -> str:
    """A signing secret in the spec's format: ``whsec_`` and 24 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


# ---------------------------------------------------------------------------------------------
# Subscriptions (admins only)


def create(session: Session, data: WebhookCreate, *, by: Actor, settings: Settings) -> Row:
    """Subscribe ``data.url``; the row holds the secret, shown to the caller this once.

    Raises Forbidden unless ``by`` is an admin, InvalidInput for a refused address.
    """
    ensure_role(by.role, Role.ADMIN, "manage webhooks")
    check_url(data.url, allow_private=settings.webhooks_allow_private)
    at = now()
    with storage.transaction(session):
        since = _start_here(session)
        webhook_id = storage.insert_webhook(
            session,
            {
                "url": data.url,
                "secret": new_secret(),
                "events": [str(e) for e in data.events],
                "statuses": [str(s) for s in data.statuses],
                "topics": list(data.topics),
                "description": data.description,
                "active": True,
                "since_seq": since,
                "created_by": by.name,
                "created_at": at,
                "updated_at": at,
            },
        )
    return get(session, webhook_id, by=by)


def get(session: Session, webhook_id: int, *, by: Actor) -> Row:
    """One subscription. Raises Forbidden, NotFound."""
    ensure_role(by.role, Role.ADMIN, "manage webhooks")
    row = storage.find_webhook(session, webhook_id)
    if row is None:
        raise NotFound(f"there is no webhook {webhook_id}")
    return row


def list_all(session: Session, *, by: Actor) -> list[Row]:
    """Every subscription with its last delivery time and its failed deliveries' count."""
    ensure_role(by.role, Role.ADMIN, "manage webhooks")
    return list(storage.list_webhooks(session))


def update(
    session: Session, webhook_id: int, data: WebhookUpdate, *, by: Actor, settings: Settings
) -> Row:
    """Change a subscription; ``active: true`` re-enables it and forgets why it was disabled."""
    ensure_role(by.role, Role.ADMIN, "manage webhooks")
    changes = data.changes()
    for name in ("url", "events", "statuses", "topics", "active"):
        if name in changes and changes[name] is None:
            raise InvalidInput.on(name, "must not be null")
    if "url" in changes:
        check_url(changes["url"], allow_private=settings.webhooks_allow_private)
    for name in ("events", "statuses"):
        if name in changes:
            changes[name] = [str(v) for v in changes[name]]
    with storage.transaction(session):
        if changes.get("active"):
            # Re-enabled: deliveries resume from now, not from when it stopped.
            changes.update(disabled_reason=None, failing_since=None, since_seq=_start_here(session))
        if not storage.update_webhook(session, webhook_id, {**changes, "updated_at": now()}):
            raise NotFound(f"there is no webhook {webhook_id}")
    return get(session, webhook_id, by=by)


def _start_here(session: Session) -> int:
    """The latest seq, for a subscription starting now. With no other active subscription the
    fan-out has been idle (it skips work then): its cursor jumps here too."""
    latest = storage.latest_seq(session)
    if not storage.any_active(session):
        storage.lock_cursor(session)
        storage.set_cursor(session, latest)
    return latest


def delete(session: Session, webhook_id: int, *, by: Actor) -> None:
    """Unsubscribe: the subscription goes, with its deliveries. Raises Forbidden, NotFound."""
    ensure_role(by.role, Role.ADMIN, "manage webhooks")
    with storage.transaction(session):
        if not storage.delete_webhook(session, webhook_id):
            raise NotFound(f"there is no webhook {webhook_id}")


def ping(session: Session, webhook_id: int, *, by: Actor) -> Row:
    """Queue a ``webhook.ping`` for the subscription (sent by the dispatcher, like any other)."""
    hook = get(session, webhook_id, by=by)
    at = now()
    payload = {"type": PING, "timestamp": iso(at), "data": {"webhook_id": hook.id}}
    with storage.transaction(session):
        storage.insert_deliveries(session, [_delivery(hook.id, PING, None, None, payload, at)])
    return storage.list_deliveries(session, hook.id, 1)[0]


def deliveries(session: Session, webhook_id: int, *, by: Actor, limit: int = 50) -> dict:
    """A subscription's latest deliveries, newest first, each with its attempts."""
    get(session, webhook_id, by=by)
    rows = storage.list_deliveries(session, webhook_id, limit)
    attempts = storage.attempts_of(session, [r.id for r in rows])
    return {"items": [delivery_public(r, attempts.get(r.id, [])) for r in rows]}


def redeliver(session: Session, webhook_id: int, delivery_id: int, *, by: Actor) -> dict:
    """Send a delivery again by hand (a failed one, usually): due now, same ``webhook-id``."""
    get(session, webhook_id, by=by)
    row = storage.find_delivery(session, webhook_id, delivery_id)
    if row is None:
        raise NotFound(f"webhook {webhook_id} has no delivery {delivery_id}")
    with storage.transaction(session):
        storage.finish_delivery(
            session, row.id, {"state": PENDING, "next_attempt_at": now(), "finished_at": None}
        )
    fresh = storage.find_delivery(session, webhook_id, delivery_id)
    return delivery_public(fresh, storage.attempts_of(session, [delivery_id]).get(delivery_id, []))


def backlog(session: Session) -> tuple[int, int]:
    """How many deliveries wait to be sent, and how many failed for good (for the metrics)."""
    return storage.pending_count(session), storage.failed_count(session)


def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse a URL whose host is, or resolves to, a loopback, private or link-local address
    (unless ``allow_private``). Raises InvalidInput naming ``url``."""
    reason = refused_address(url, allow_private=allow_private)
    if reason is not None:
        raise InvalidInput.on("url", reason)


def refused_address(url: str, *, allow_private: bool) -> str | None:
    """Why the tracker must not send to ``url``'s host now, or None (checked at send time too:
    a name can resolve elsewhere later)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "must be an http(s) URL"
    if allow_private:
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None  # not resolvable now: checked again on each send
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            return (
                f"resolves to {address}, a loopback, private or link-local address "
                "(CLAIMS_WEBHOOKS_ALLOW_PRIVATE=true allows them)"
            )
    return None


# ---------------------------------------------------------------------------------------------
# Fan-out


def fan_out(session: Session, settings: Settings, *, limit: int = FAN_OUT_BATCH) -> int:
    """Turn the events past the cursor into deliveries for the matching subscriptions, and
    move the cursor, in one transaction; return how many events were read (0: caught up).

    The rows are built from reads first; the write transaction (on SQLite, the one write lock
    every request's write also needs) only inserts them and moves the cursor, if no other
    process moved it meanwhile. With no active subscription it writes nothing."""
    if not storage.any_active(session):
        return 0
    cursor = storage.read_cursor(session)
    events = storage.events_to_fan_out(session, cursor, limit)
    if not events:
        return 0
    rows = _deliveries_for(session, events, settings)
    session.rollback()  # end the reads' snapshot: the write below starts afresh
    with storage.transaction(session):
        if storage.lock_cursor(session) != cursor:
            return 0  # another process fanned these out; the next pass goes on from there
        storage.insert_deliveries(session, rows)
        storage.set_cursor(session, events[-1].seq)
    return len(events)


def _deliveries_for(session: Session, events: Sequence[Row], settings: Settings) -> list[dict]:
    hooks = storage.active_webhooks(session)
    if not hooks:
        return []
    claim_ids = [e.claim_id for e in events]
    claims = storage.claims_by_id(session, claim_ids)
    topics = storage.topics_of(session, claim_ids)
    day, at = today(settings.zone), now()
    rows = []
    for event in events:
        kind = event_type(event.kind, correction=bool(event.correction))
        claim = claims.get(event.claim_id)
        if kind is None or claim is None:
            continue
        payload = _payload(event, kind, claim, day, settings)
        for hook in hooks:
            if event.seq > hook.since_seq and _matches(
                hook, kind, event.status, topics.get(event.claim_id, set())
            ):
                rows.append(_delivery(hook.id, kind, event.seq, claim.id, payload, at))
    return rows


def _matches(hook: Row, kind: str, status: str, topics: set[str]) -> bool:
    if hook.events and kind not in hook.events:
        return False
    if hook.statuses and status not in hook.statuses:
        return False
    return not hook.topics or bool(topics.intersection(hook.topics))


def _payload(event: Row, kind: str, claim: Row, day: Any, settings: Settings) -> dict[str, Any]:
    """Standard Webhooks' ``{type, timestamp, data}``: the claim as the API shows it now, and
    the change's seq, version and what it was."""
    return {
        "type": str(kind),
        "timestamp": iso(event.at),
        "data": {
            "claim": shapes.claim(claim, day, settings.due_soon_days),
            "seq": event.seq,
            "version": event.version,
            "change": {
                "kind": event.kind,
                "status": event.status,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "correction": bool(event.correction),
                "note": event.note,
                "at": iso(event.at),
            },
        },
    }


def _delivery(
    webhook_id: int, kind: str, seq: int | None, claim_id: int | None, payload: Any, at: datetime
) -> dict[str, Any]:
    # The message id is what receivers de-duplicate on: one per (subscription, change), the
    # same on every retry. A ping has no seq: a random id.
    msg_id = f"msg_{webhook_id}_{seq}" if seq is not None else "msg_ping_" + secrets.token_hex(8)
    return {
        "webhook_id": webhook_id,
        "msg_id": msg_id,
        "event_type": str(kind),
        "seq": seq,
        "claim_id": claim_id,
        "payload": orjson.dumps(payload).decode(),
        "state": PENDING,
        "attempts": 0,
        "next_attempt_at": at,
        "created_at": at,
    }


# ---------------------------------------------------------------------------------------------
# Outcomes


@dataclass(frozen=True)
class Outcome:
    """What one send of a delivery came to."""

    status_code: int | None
    duration_ms: int
    error: str | None = None
    excerpt: str | None = None

    @property
    def ok(self) -> bool:
        """A 2xx answer: delivered."""
        return self.status_code is not None and 200 <= self.status_code < 300


def record(
    session: Session, outcomes: Sequence[tuple[Row, Outcome]], settings: Settings
) -> list[str]:
    """Record attempts and what follows each: delivered, a retry later, or failed for good (and
    the subscription disabled when it has failed for too long), all in one transaction (the
    dispatcher records a pass's sends together). Returns each delivery's state."""
    at = now()
    states = []
    with storage.transaction(session):
        for delivery, outcome in outcomes:
            states.append(_record_one(session, delivery, outcome, settings, at))
    return states


def _record_one(
    session: Session, delivery: Row, outcome: Outcome, settings: Settings, at: datetime
) -> str:
    attempts = delivery.attempts + 1
    storage.record_attempt(
        session,
        {
            "delivery_id": delivery.id,
            "at": at,
            "status_code": outcome.status_code,
            "duration_ms": outcome.duration_ms,
            "error": (outcome.error or None) and outcome.error[:500],
            "response_excerpt": (outcome.excerpt or None) and outcome.excerpt[:EXCERPT_MAX],
        },
    )
    hook = storage.find_webhook(session, delivery.webhook_id)
    if outcome.ok:
        storage.finish_delivery(
            session, delivery.id, {"state": DELIVERED, "attempts": attempts, "finished_at": at}
        )
        if hook is not None and hook.failing_since is not None:
            storage.update_webhook(session, hook.id, {"failing_since": None})
        return DELIVERED
    retry_in = next_delay(attempts, settings)
    state = PENDING if retry_in is not None else FAILED
    values: dict[str, Any] = {"state": state, "attempts": attempts}
    if retry_in is not None:
        values["next_attempt_at"] = at + retry_in
    else:
        values["finished_at"] = at
    storage.finish_delivery(session, delivery.id, values)
    if hook is not None:
        _note_failure(session, hook, at, outcome, settings)
    return state


def next_delay(attempts: int, settings: Settings) -> timedelta | None:
    """How long after its ``attempts``-th failure a delivery is tried again; None: give up."""
    delays = settings.webhook_retry_delays or RETRY_DELAYS
    if attempts > len(delays):
        return None
    base = delays[attempts - 1]
    return timedelta(seconds=base * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not crypto


def _note_failure(
    session: Session, hook: Row, at: datetime, outcome: Outcome, settings: Settings
) -> None:
    since = hook.failing_since
    if since is None:
        storage.update_webhook(session, hook.id, {"failing_since": at})
        return
    if at - as_utc(since) >= timedelta(days=settings.webhook_disable_after_days):
        what = f"HTTP {outcome.status_code}" if outcome.status_code else (outcome.error or "error")
        reason = f"disabled {iso(at)}: every delivery failed since {iso(since)} (last: {what})"
        storage.update_webhook(session, hook.id, {"active": False, "disabled_reason": reason[:500]})
