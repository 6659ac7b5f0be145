"""The change hub: knows the latest ``seq`` readers may read up to, and wakes long-polls and
streams.

Each server process has one hub. Its ``latest`` is a horizon (``storage.latest_seq``): every
seq up to it has committed or never will. On SQLite writes commit in seq order, so the newest
committed seq is the horizon. On PostgreSQL they commit concurrently and may commit out of
order, so the hub moves past a seq only when every seq below it is accounted for: it keeps the
committed seqs it hears of above ``latest`` and advances over the run that follows it; a gap
that stays (a rolled-back write, or news that was lost) closes at the next poll.

It hears of changes three ways, and the change table stays the truth whichever way the news
arrives:

- writes committed in this process call it directly (``storage`` commit listeners);
- on PostgreSQL, a LISTEN connection receives the seqs every process announces after its
  commits (``storage.announce``), from any host;
- a cheap poll of the horizon (every ``poll_interval`` s) catches anything missed: on SQLite
  that is how other processes' writes arrive, on PostgreSQL a lost announcement or a
  rolled-back seq costs at most that much latency, never a change.
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
from claims.pass_failures import PassFailures

log = logging.getLogger("claims.notify")


class ChangeHub:
    """Tracks the latest seq and lets coroutines wait until it passes a given value."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self._settings = settings
        self._engine = engine
        self._latest = 0
        # Commits may arrive out of seq order only where writers commit concurrently.
        self._in_order = engine.dialect.name == "sqlite"
        self._ahead: set[int] = set()  # committed seqs above ``_latest`` (PostgreSQL)
        self._event = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._streams = 0

    @property
    def latest(self) -> int:
        """The horizon as this hub knows it: every seq up to it has committed or never will."""
        return self._latest

    @property
    def mark(self) -> str:
        """What cached answers are tagged with: it changes with every commit this hub hears
        of, even one above the horizon (a writer reading back its own write must not get the
        answer cached before it). Above a given horizon the set of commits heard only grows,
        so its size tells the states apart."""
        if self._ahead:
            return f"{self._latest}+{len(self._ahead)}"
        return str(self._latest)

    async def start(self) -> None:
        """Begin listening; call from the event loop that will serve requests."""
        self._loop = asyncio.get_running_loop()
        storage.add_commit_listener(self.published)
        reader = storage.LoopReader(storage.make_engine(self._settings, pool_size=1))
        try:
            self._reached(await asyncio.to_thread(reader.run, storage.latest_seq))
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

    def published(self, engine: Engine, seqs: list[int]) -> None:
        """Record seqs this process committed; safe to call from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed() or engine.url != self._engine.url:
            return
        with contextlib.suppress(RuntimeError):  # the loop may be shutting down
            for seq in seqs:
                loop.call_soon_threadsafe(self._committed, seq)

    def _committed(self, seq: int) -> None:
        """One seq committed: the horizon on SQLite; on PostgreSQL it may have gaps below."""
        if self._in_order:
            self._reached(seq)
        elif seq > self._latest:
            self._ahead.add(seq)
            self._reached(self._latest)

    def _reached(self, horizon: int) -> None:
        """Every seq up to ``horizon`` is accounted for (a poll, or a commit on SQLite)."""
        latest = max(self._latest, horizon)
        if self._ahead:
            if latest > self._latest:
                self._ahead = {seq for seq in self._ahead if seq > latest}
            while latest + 1 in self._ahead:
                latest += 1
                self._ahead.discard(latest)
        if latest > self._latest:
            self._latest = latest
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
        failures = PassFailures(log, "seq poll")
        try:
            while True:
                pending = loop.run_in_executor(None, reader.run, storage.latest_seq)
                try:
                    # Shielded: a cancelled poll must not close the connection under a read
                    # that is still running in its thread (SQLite would crash the process).
                    self._reached(await asyncio.shield(pending))
                    failures.succeeded()
                except DBAPIError as exc:
                    failures.failed(exc)
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
                    self._committed(seq)
            except (psycopg.Error, OSError) as exc:
                log.warning("LISTEN connection lost (%s); reconnecting", type(exc).__name__)
                await asyncio.sleep(1.0)
