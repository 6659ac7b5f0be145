"""The change hub: knows the latest committed ``seq`` and wakes long-polls and streams.

Each server process has one hub. It learns of new changes three ways, and the change table
stays the truth whichever way the news arrives:

- writes committed in this process call it directly (``storage`` commit listeners);
- on PostgreSQL, a LISTEN connection receives the NOTIFY every writer sends on commit, from
  any process on any host;
- a cheap poll of the seq counter (every ``poll_interval`` s) catches anything missed: on
  SQLite that is how other processes' writes arrive, on PostgreSQL a lost notification
  costs at most that much latency, never a change.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import psycopg
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from claims import storage
from claims.config import Settings

log = logging.getLogger("claims.notify")


class ChangeHub:
    """Tracks the latest seq and lets coroutines wait until it passes a given value."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self._settings = settings
        self._engine = engine
        self._latest = 0
        self._event = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._streams = 0

    @property
    def latest(self) -> int:
        """The latest seq this hub knows to be committed."""
        return self._latest

    async def start(self) -> None:
        """Begin listening; call from the event loop that will serve requests."""
        self._loop = asyncio.get_running_loop()
        storage.add_commit_listener(self.published)
        reader = storage.LoopReader(storage.make_engine(self._settings, pool_size=1))
        try:
            self._advance(await asyncio.to_thread(reader.run, storage.latest_seq))
        except DBAPIError as exc:  # serve anyway; the poll catches up once the database answers
            log.warning("could not read the latest seq at start (%s)", type(exc).__name__)
        finally:
            reader.close()
        self._tasks.append(asyncio.create_task(self._poll(), name="claims-seq-poll"))
        if self._engine.dialect.name == "postgresql":
            self._tasks.append(asyncio.create_task(self._listen(), name="claims-listen"))

    async def stop(self) -> None:
        """Stop listening and polling."""
        storage.remove_commit_listener(self.published)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()

    def published(self, seq: int) -> None:
        """Record a committed seq; safe to call from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop may be shutting down
            loop.call_soon_threadsafe(self._advance, seq)

    def _advance(self, seq: int) -> None:
        if seq > self._latest:
            self._latest = seq
            woken, self._event = self._event, asyncio.Event()
            woken.set()

    async def wait_beyond(self, since: int, timeout: float) -> int:
        """Wait until a seq above ``since`` is known, or ``timeout`` s pass; return the latest."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._latest <= since:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            event = self._event
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
        return self._latest

    def open_stream(self) -> bool:
        """Take one of the configured stream slots; False when all are taken."""
        if self._streams >= self._settings.max_streams:
            return False
        self._streams += 1
        return True

    def close_stream(self) -> None:
        """Give a stream slot back."""
        self._streams = max(0, self._streams - 1)

    async def _poll(self) -> None:
        interval = self._settings.poll_interval_ms / 1000
        # Its own connection, read in a worker thread: a slow or dead database must never
        # stall the event loop that serves requests.
        reader = storage.LoopReader(storage.make_engine(self._settings, pool_size=1))
        loop = asyncio.get_running_loop()
        pending: asyncio.Future[int] | None = None
        try:
            while True:
                pending = loop.run_in_executor(None, reader.run, storage.latest_seq)
                try:
                    # Shielded: a cancelled poll must not close the connection under a read
                    # that is still running in its thread (SQLite would crash the process).
                    self._advance(await asyncio.shield(pending))
                except DBAPIError as exc:
                    log.warning("seq poll failed (%s); retrying", type(exc).__name__)
                    await asyncio.sleep(1.0)
                pending = None
                await asyncio.sleep(interval)
        finally:
            if pending is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(asyncio.shield(pending), 10)
            reader.close()

    async def _listen(self) -> None:
        while True:
            try:
                async for seq in storage.notified_seqs(self._settings):
                    self._advance(seq)
            except (psycopg.Error, OSError) as exc:
                log.warning("LISTEN connection lost (%s); reconnecting", type(exc).__name__)
                await asyncio.sleep(1.0)
