"""The webhook dispatcher: one background task per server process, never on a request's path.

It wakes when the change hub learns of a new seq (from this process, or from any process on
PostgreSQL) and every ``CLAIMS_WEBHOOK_POLL_S`` for due retries; fans events out into
deliveries (``claims.webhooks.fan_out``); leases the due ones (a lease, so two processes never
send the same delivery at once); and sends each in its own task, signed as Standard Webhooks
says, so a slow receiver holds up only its own deliveries.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session
from standardwebhooks.webhooks import Webhook

from claims import storage, webhooks
from claims.clock import now
from claims.config import Settings
from claims.notify import ChangeHub

log = logging.getLogger("claims.webhooks")

MAX_IN_FLIGHT = 32
PASS_GAP = 0.02
BODY_CAP = 4096
USER_AGENT = "claim-tracker-webhooks/1"


class Dispatcher:
    """Fans out, leases and sends webhook deliveries in the background (see the module)."""

    def __init__(self, settings: Settings, engine: Engine, hub: ChangeHub) -> None:
        self._settings = settings
        self._engine = engine
        self._hub = hub
        self._task: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None
        self._again = asyncio.Event()
        self._outcomes: list[tuple[Any, webhooks.Outcome]] = []
        self._flushing: asyncio.Task[None] | None = None
        self._subscribers = False
        self._checked_at = -1e9

    async def start(self) -> None:
        """Start the background task (on the serving loop)."""
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=self._settings.webhook_timeout_s,
            headers={"user-agent": USER_AGENT},
            trust_env=False,
        )
        self._task = asyncio.create_task(self._run(), name="claims-webhooks")

    async def stop(self) -> None:
        """Stop; deliveries being sent are cancelled (their leases run out; sent again later)."""
        for task in [self._task, *self._in_flight]:
            if task is not None:
                task.cancel()
        for task in [self._task, *self._in_flight]:
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self._flushing is not None:
            self._flushing.cancel()
        if self._outcomes:  # sends that finished: record them rather than send them again
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self._record, self._outcomes)
        if self._client is not None:
            await self._client.aclose()

    async def _run(self) -> None:
        while True:
            seen = self._hub.latest
            self._again.clear()
            try:
                await self.run_once()
            except Exception:  # a database outage: log, wait, try again
                log.exception("webhook dispatcher pass failed")
            # Until a new change (any process), a finished send, or the poll interval.
            waits = {
                asyncio.ensure_future(self._hub.wait_beyond(seen, self._settings.webhook_poll_s)),
                asyncio.ensure_future(self._again.wait()),
            }
            _done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            # A burst of writes becomes one pass every few tens of milliseconds, not one each.
            # (A tenth of a second was tried: one claim's chain of deliveries, each waiting for
            # the one before to be recorded, then took seconds per claim.)
            await asyncio.sleep(PASS_GAP)

    async def run_once(self) -> None:
        """Fan every new event out, then start sending what is due (one pass)."""
        if not await self._has_subscribers():
            return
        while await asyncio.to_thread(self._fan_out) >= webhooks.FAN_OUT_BATCH:
            pass
        room = MAX_IN_FLIGHT - len(self._in_flight)
        if room <= 0:
            return
        for delivery in await asyncio.to_thread(self._lease, room):
            task = asyncio.create_task(self._deliver(delivery))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)

    async def _has_subscribers(self) -> bool:
        # Asked at most once a poll interval: a server without subscriptions (most) then pays
        # nothing per write. A subscription made elsewhere is seen within the interval, and
        # loses nothing meanwhile: it starts at its own seq, and the cursor waits for it.
        moment = time.monotonic()
        if moment - self._checked_at >= self._settings.webhook_poll_s:
            self._subscribers = await asyncio.to_thread(self._any_active)
            self._checked_at = moment
        return self._subscribers

    def _any_active(self) -> bool:
        with Session(self._engine) as session:
            return storage.any_active(session)

    def _fan_out(self) -> int:
        with Session(self._engine) as session:
            return webhooks.fan_out(session, self._settings)

    def _lease(self, limit: int) -> list[Any]:
        at = now()
        # Long enough for a send and its recording; a process that dies lets it run out.
        until = at + timedelta(seconds=self._settings.webhook_timeout_s * 2 + 5)
        with Session(self._engine) as session:
            if not storage.any_due(session, at):  # a read: most passes have nothing to send
                return []
            with storage.transaction(session):
                return list(storage.lease_due(session, at, until, limit))

    async def _deliver(self, delivery: Any) -> None:
        outcome = await self.send(delivery)
        self._outcomes.append((delivery, outcome))
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush())

    async def _flush(self) -> None:
        # The sends that finish within a pass gap are recorded in one write transaction: one
        # per delivery took the write lock ten times per change with ten subscriptions.
        await asyncio.sleep(PASS_GAP)
        while self._outcomes:
            batch, self._outcomes = self._outcomes, []
            try:
                await asyncio.to_thread(self._record, batch)
            except Exception:  # a database outage: the leases run out and they are sent again
                log.exception("recording %d webhook attempt(s) failed", len(batch))
        # A finished delivery may unblock the next one of the same claim: look again now.
        self._again.set()

    def _record(self, batch: list[tuple[Any, webhooks.Outcome]]) -> None:
        with Session(self._engine) as session:
            states = webhooks.record(session, batch, self._settings)
        for (delivery, outcome), state in zip(batch, states, strict=True):
            if state != "delivered":
                log.warning(
                    "webhook delivery %s to subscription %s: %s (%s)",
                    delivery.msg_id,
                    delivery.webhook_id,
                    outcome.status_code or outcome.error,
                    state,
                )

    async def send(self, delivery: Any) -> webhooks.Outcome:
        """POST one delivery to its subscription's URL; what came of it (never raises)."""
        started = time.perf_counter()

        def took() -> int:
            return int((time.perf_counter() - started) * 1000)

        allow_private = self._settings.webhooks_allow_private
        refused = (
            None  # nothing to resolve: every address is allowed
            if allow_private
            else await asyncio.to_thread(
                webhooks.refused_address, delivery.url, allow_private=False
            )
        )
        if refused is not None:
            return webhooks.Outcome(None, took(), error=f"refused: the URL {refused}")
        sent_at = now()
        body = delivery.payload
        headers = {
            "content-type": "application/json",
            "webhook-id": delivery.msg_id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": Webhook(delivery.secret).sign(delivery.msg_id, sent_at, body),
        }
        assert self._client is not None
        try:
            request = self._client.build_request(
                "POST", delivery.url, content=body.encode(), headers=headers
            )
            response = await self._client.send(request, stream=True)
            try:
                excerpt = await _read_capped(response)
            finally:
                await response.aclose()
        except httpx.TimeoutException:
            return webhooks.Outcome(None, took(), error="timed out")
        except httpx.HTTPError as exc:
            return webhooks.Outcome(None, took(), error=f"{type(exc).__name__}: {exc}"[:500])
        return webhooks.Outcome(response.status_code, took(), excerpt=excerpt)


async def _read_capped(response: httpx.Response) -> str:
    """The start of a response body, never more than ``BODY_CAP`` bytes read."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= BODY_CAP:
            break
    return b"".join(chunks)[:BODY_CAP].decode("utf-8", "replace")
