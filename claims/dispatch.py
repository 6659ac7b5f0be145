"""The webhook dispatcher: one background task per server process, never on a request's path.

It wakes when the change hub learns of a new seq (from this process, or from any process on
PostgreSQL), when a batch has been recorded, and every ``CLAIMS_WEBHOOK_POLL_S`` (due retries,
pings, subscriptions made elsewhere). Each pass it takes or renews the leases of the
subscriptions no live process sends to, plans a batch for each one it holds that has none in
flight (``claims.outbox.plan``), and sends each batch in its own task: a claim's messages one
after the other, different claims side by side, at most ``MAX_IN_FLIGHT`` sends at once in
the process and ``PER_SUBSCRIPTION`` to one subscription, so a slow receiver holds up only
its own deliveries. Finished batches are
recorded together, a pass gap apart (``claims.outbox.record``).

During a burst of writes the sends give way to them (``Pace``): the API's writes keep their
speed, and the deliveries fall behind the burst and catch up after it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import secrets
import socket
import ssl
import time
from datetime import timedelta

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session
from standardwebhooks.webhooks import Webhook

from claims import outbox, storage, webhooks
from claims.clock import now
from claims.config import Settings
from claims.notify import ChangeHub
from claims.outbox import Batch, Message, Outcome
from claims.pass_failures import PassFailures

log = logging.getLogger("claims.webhooks")

MAX_IN_FLIGHT = 32
PER_SUBSCRIPTION = 8
"""Sends in flight to one subscription: a receiver that times out holds a quarter of the slots
at most, the others' deliveries go on."""
PASS_GAP = 0.02
BODY_CAP = 4096
USER_AGENT = "claim-tracker-webhooks/1"
BUSY_WRITES = 20
"""Changes a second, seen by this process, that make a burst (a newsroom makes a few a minute;
a bulk intake or a script makes hundreds)."""
BURST_SENDS = 10
"""Sends a second this process starts while a burst lasts (unlimited otherwise). Each send
costs the process about two milliseconds of CPU (HTTP client, signing, recording) that the
API's writes also need: 10 a second is about 2 % of a core (25 a second, 5 %, cost the writes
up to a tenth of their rate on the benchmark machine: bench/README.md, "Webhooks")."""


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The TLS settings every dispatcher of the process verifies receivers with (httpx's
    defaults: certifi's CAs). Built once: loading the CA bundle takes ~35 ms, which every app
    start paid (a process builds one app, the test suite thousands)."""
    return httpx.create_ssl_context()


class Pace:
    """Lets sends go at once, except while this process sees a burst of writes: then at most
    ``BURST_SENDS`` a second, so that deliveries never take the API's place."""

    def __init__(self, hub: ChangeHub) -> None:
        self._hub = hub
        self._mark = (time.monotonic(), hub.latest)
        self._busy = False
        self._next = 0.0
        self._queue = asyncio.Lock()

    def busy(self) -> bool:
        """Whether the writes of the last half second or so came faster than ``BUSY_WRITES``."""
        at, seq = time.monotonic(), self._hub.latest
        then, seq_then = self._mark
        if at - then >= 0.5:
            self._busy = (seq - seq_then) / (at - then) > BUSY_WRITES
            self._mark = (at, seq)
        return self._busy

    async def turn(self) -> None:
        """Wait until a send may start. During a burst the waiters queue on a lock, one
        sleeping at a time (a thousand chains each polling the clock cost the API more than
        the sends did)."""
        if not self.busy():
            return
        async with self._queue:
            wait = self._next - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next = time.monotonic() + 1 / BURST_SENDS


class Dispatcher:
    """Leases subscriptions, then plans, sends and records their batches (see the module)."""

    def __init__(self, settings: Settings, engine: Engine, hub: ChangeHub) -> None:
        self._settings = settings
        self._engine = engine
        self._hub = hub
        self._owner = f"{socket.gethostname()[:50]}:{os.getpid()}:{secrets.token_hex(4)}"
        self._task: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None
        self._again = asyncio.Event()
        self._pace = Pace(hub)
        self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._lease_s = settings.webhook_timeout_s * 2 + 5
        self._held: list[int] = []
        self._active: list[int] = []
        self._failures = PassFailures(log, "webhook dispatcher")
        self._leased_at = self._checked_at = -1e9
        self._working: set[int] = set()  # subscriptions with a batch not yet recorded
        self._sending: set[asyncio.Task[None]] = set()
        self._finished: list[Batch] = []
        self._flushing: asyncio.Task[None] | None = None
        self._stopping = False

    async def start(self) -> None:
        """Start the background task (on the serving loop)."""
        self._client = httpx.AsyncClient(
            verify=_tls_context(),
            follow_redirects=False,
            timeout=self._settings.webhook_timeout_s,
            headers={"user-agent": USER_AGENT},
            trust_env=False,
        )
        self._task = asyncio.create_task(self._run(), name="claims-webhooks")

    async def stop(self) -> None:
        """Stop. What was sent is recorded; the rest of each batch is stored to be sent by
        whichever process holds the subscription next (at once: the leases are released)."""
        self._stopping = True
        for task in [self._task, self._flushing, *self._sending]:
            if task is not None:
                task.cancel()
        for task in [self._task, self._flushing, *self._sending]:
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        with contextlib.suppress(Exception):
            if self._finished:
                await asyncio.to_thread(self._record, self._finished)
            if self._held:  # nothing to give up (and no SQL) when it held no subscription
                await asyncio.to_thread(self._release)
        if self._client is not None:
            await self._client.aclose()

    async def _run(self) -> None:
        while True:
            seen = self._hub.latest
            self._again.clear()
            try:
                await self.run_once()
                self._failures.succeeded()
            except Exception as exc:  # a database outage: log once, wait, try again
                self._failures.failed(exc)
            # Until a new change (any process), a recorded batch, or the poll interval.
            waits = {
                asyncio.ensure_future(self._hub.wait_beyond(seen, self._settings.webhook_poll_s)),
                asyncio.ensure_future(self._again.wait()),
            }
            _done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            # A burst of writes becomes one pass every few tens of milliseconds, not one each.
            await asyncio.sleep(PASS_GAP)

    async def run_once(self) -> None:
        """Renew the leases when due, then start a batch for each held subscription that has
        none in flight (one pass)."""
        held = await self._leases()
        free = [webhook_id for webhook_id in held if webhook_id not in self._working]
        if not free:
            return
        for batch in await asyncio.to_thread(self._plan, free):
            self._working.add(batch.webhook_id)
            task = asyncio.create_task(self._send_batch(batch))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    async def _leases(self) -> list[int]:
        # The active subscriptions are read once a poll interval (a server without any, most,
        # then does nothing per write); the leases are written when one of them is not held
        # yet, and renewed when a third of their time has gone.
        moment = time.monotonic()
        if moment - self._checked_at >= self._settings.webhook_poll_s:
            self._active = await asyncio.to_thread(self._active_ids)
            self._checked_at = moment
            if set(self._active) - set(self._held):
                self._leased_at = -1e9
        if not self._active:
            self._held = []
        elif moment - self._leased_at >= self._lease_s / 3:
            self._held = await asyncio.to_thread(self._take_leases)
            self._leased_at = moment
        return self._held

    def _active_ids(self) -> list[int]:
        with Session(self._engine) as session:
            return storage.active_ids(session)

    def _take_leases(self) -> list[int]:
        at = now()
        with Session(self._engine) as session, storage.transaction(session):
            until = at + timedelta(seconds=self._lease_s)
            return storage.take_leases(session, self._owner, at, until)

    def _release(self) -> None:
        with Session(self._engine) as session, storage.transaction(session):
            storage.release_leases(session, self._owner)

    def _plan(self, webhook_ids: list[int]) -> list[Batch]:
        with Session(self._engine) as session:
            return outbox.plan(session, self._owner, webhook_ids, self._settings)

    async def _send_batch(self, batch: Batch) -> None:
        try:
            own = asyncio.Semaphore(PER_SUBSCRIPTION)
            await asyncio.gather(*(self._send_chain(batch, chain, own) for chain in batch.chains))
        finally:  # cancelled too: what was sent is recorded, the rest stored to go again
            self._finished.append(batch)
            # While stopping, ``stop`` records what is finished, once.
            if not self._stopping and (self._flushing is None or self._flushing.done()):
                self._flushing = asyncio.create_task(self._flush())

    async def _send_chain(self, batch: Batch, chain: list[Message], own: asyncio.Semaphore) -> None:
        for message in chain:
            async with own:
                await self._pace.turn()
                async with self._slots:
                    outcome = await self.send(batch.url, batch.secret, message)
            batch.sent.append((message, outcome))
            if not outcome.ok:
                return  # the claim's later messages wait behind this one

    async def _flush(self) -> None:
        # The batches that finish within a pass gap are recorded in one write transaction.
        await asyncio.sleep(PASS_GAP)
        while self._finished:
            batches, self._finished = self._finished, []
            try:
                await asyncio.to_thread(self._record, batches)
            except Exception:  # a database outage: the cursors did not move; sent again later
                log.exception("recording %d webhook batch(es) failed", len(batches))
            self._working.difference_update(b.webhook_id for b in batches)
        self._again.set()  # the next batches can start now

    def _record(self, batches: list[Batch]) -> None:
        with Session(self._engine) as session:
            notes = outbox.record(session, self._owner, batches, self._settings)
        for note in notes:
            log.warning("webhook delivery %s", note)

    async def send(self, url: str, secret: str, message: Message) -> Outcome:
        """POST one message to ``url``, signed with ``secret``; what came of it (never raises)."""
        started = time.perf_counter()

        def took() -> int:
            return int((time.perf_counter() - started) * 1000)

        refused = (
            None  # nothing to resolve: every address is allowed
            if self._settings.webhooks_allow_private
            else await asyncio.to_thread(webhooks.refused_address, url, allow_private=False)
        )
        if refused is not None:
            return Outcome(None, took(), error=f"refused: the URL {refused}")
        sent_at = now()
        body = message.payload
        headers = {
            "content-type": "application/json",
            "webhook-id": message.msg_id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": Webhook(secret).sign(message.msg_id, sent_at, body),
        }
        assert self._client is not None
        try:
            request = self._client.build_request(
                "POST", url, content=body.encode(), headers=headers
            )
            response = await self._client.send(request, stream=True)
            try:
                excerpt = await _read_capped(response)
            finally:
                await response.aclose()
        except httpx.TimeoutException:
            return Outcome(None, took(), error="timed out")
        except httpx.HTTPError as exc:
            return Outcome(None, took(), error=f"{type(exc).__name__}: {exc}"[:500])
        return Outcome(response.status_code, took(), excerpt=excerpt)


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
