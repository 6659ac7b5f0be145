"""Webhook subscriptions and their deliveries: who may manage them, which URLs are refused,
when a failed delivery is tried again.

What each subscription is sent, and the recording of what came of it, is ``claims.outbox``;
the background sending is ``claims.dispatch``. Nothing is sent on a request's path.
"""

from __future__ import annotations

import base64
import ipaddress
import random
import secrets
import socket
from datetime import datetime, timedelta
from typing import Any, Final
from urllib.parse import urlsplit

import orjson
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims import storage
from claims.clock import iso, now
from claims.config import Settings
from claims.errors import InvalidInput, NotFound
from claims.models import Actor, WebhookCreate, WebhookUpdate
from claims.status import Role, ensure_role
from claims.storage.webhooks import PENDING
from claims.webhook_events import PING
from claims.webhook_shapes import delivery_public

MANAGER: Final = Role.ADMIN
"""The least role that manages webhook subscriptions."""

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
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
    ensure_role(by.role, MANAGER, "manage webhooks")
    check_url(data.url, allow_private=settings.webhooks_allow_private)
    at = now()
    with storage.transaction(session):
        since = storage.latest_seq(session)
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
                "cursor_seq": since,
                "created_by": by.name,
                "created_at": at,
                "updated_at": at,
            },
        )
    return get(session, webhook_id, by=by)


def get(session: Session, webhook_id: int, *, by: Actor) -> Row:
    """One subscription. Raises Forbidden, NotFound."""
    ensure_role(by.role, MANAGER, "manage webhooks")
    row = storage.find_webhook(session, webhook_id)
    if row is None:
        raise NotFound(f"there is no webhook {webhook_id}")
    return row


def list_all(session: Session, *, by: Actor) -> list[Row]:
    """Every subscription with its last delivery time and its failed deliveries' count."""
    ensure_role(by.role, MANAGER, "manage webhooks")
    return list(storage.list_webhooks(session))


def update(
    session: Session, webhook_id: int, data: WebhookUpdate, *, by: Actor, settings: Settings
) -> Row:
    """Change a subscription; ``active: true`` re-enables it and forgets why it was disabled."""
    ensure_role(by.role, MANAGER, "manage webhooks")
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
            since = storage.latest_seq(session)
            changes.update(
                disabled_reason=None, failing_since=None, since_seq=since, cursor_seq=since
            )
        if not storage.update_webhook(session, webhook_id, {**changes, "updated_at": now()}):
            raise NotFound(f"there is no webhook {webhook_id}")
    return get(session, webhook_id, by=by)


def delete(session: Session, webhook_id: int, *, by: Actor) -> None:
    """Unsubscribe: the subscription goes, with its deliveries. Raises Forbidden, NotFound."""
    ensure_role(by.role, MANAGER, "manage webhooks")
    with storage.transaction(session):
        if not storage.delete_webhook(session, webhook_id):
            raise NotFound(f"there is no webhook {webhook_id}")


def ping(session: Session, webhook_id: int, *, by: Actor) -> Row:
    """Queue a ``webhook.ping`` for the subscription (sent by the dispatcher, like any other)."""
    hook = get(session, webhook_id, by=by)
    at = now()
    payload = {"type": PING, "timestamp": iso(at), "data": {"webhook_id": hook.id}}
    with storage.transaction(session):
        storage.insert_deliveries(session, [_ping(hook.id, payload, at)])
    return storage.list_deliveries(session, hook.id, 1)[0]


def _ping(webhook_id: int, payload: dict[str, Any], at: datetime) -> dict[str, Any]:
    # A ping has no seq: a random message id (a change's is one per subscription and seq).
    return {
        "webhook_id": webhook_id,
        "msg_id": "msg_ping_" + secrets.token_hex(8),
        "event_type": PING,
        "seq": None,
        "claim_id": None,
        "payload": orjson.dumps(payload).decode(),
        "state": PENDING,
        "attempts": 0,
        "next_attempt_at": at,
        "created_at": at,
    }


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
# Retries


def next_delay(attempts: int, settings: Settings) -> timedelta | None:
    """How long after its ``attempts``-th failure a delivery is tried again; None: give up."""
    delays = settings.webhook_retry_delays or RETRY_DELAYS
    if attempts > len(delays):
        return None
    base = delays[attempts - 1]
    return timedelta(seconds=base * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not crypto
