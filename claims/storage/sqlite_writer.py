"""SQLite's writes on the event loop: run inline when the write lock is free, else refused at
once (``WriterBusy``) so the caller retries without blocking the loop; and the WAL checkpoints
those writes would otherwise stall on, run in a thread of their own.

Nothing here builds SQL for the domain (see docs/design.md, "Writes").
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlmodel import Session

from claims.config import Settings
from claims.storage.engine import make_engine, writer_lock

T = TypeVar("T")


class WriterBusy(Exception):
    """The write lock was not free at once; run the write where it may wait for it."""


class InlineWriter:
    """Runs write use cases on the calling thread, on SQLite, when the write lock is free now.

    SQLite takes one writer at a time, so writes gain nothing from threads; a write run in a
    worker thread while the event loop works hands the GIL back and forth at every SQLite call,
    which stretched each ~0.5 ms write to ~2 ms under load (bench/README.md). Run on the event
    loop instead, a write must never wait: when another thread or process holds the lock,
    ``run`` raises WriterBusy at once (its connection has no busy timeout), having changed
    nothing, and the caller tries again a little later without blocking the loop.
    """

    def __init__(self, settings: Settings) -> None:
        self.engine = make_engine(settings, pool_size=1, busy_timeout_ms=0)
        # A checkpoint (copying the WAL back into the database file, then fsync) would stall
        # the loop for milliseconds every ~100 writes; a thread of its own does it instead.
        sa_event.listen(self.engine, "connect", _no_autocheckpoint)
        self.patience = settings.sqlite_busy_timeout_ms / 1000
        self._lock = writer_lock(self.engine)
        self._checkpoints = _Checkpointer(settings)
        # One connection for the writer's life: a pool checkout and its reset on return cost
        # about as much as SQLite's commit, on every write.
        self._conn: sa.Connection | None = None

    def run(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Return ``use_case(session, *args, **kwargs)``; raise WriterBusy if it would wait."""
        lock = self._lock
        if lock is None or not lock.acquire(blocking=False):
            raise WriterBusy
        try:
            conn = self._conn
            if conn is None or conn.closed or conn.invalidated:
                conn = self._conn = self.engine.connect()
            with Session(bind=conn) as session:
                result = use_case(session, *args, **kwargs)
            self._checkpoints.wrote()
            return result
        except sa.exc.OperationalError as exc:
            # The transaction was rolled back (``transaction``), so trying again is safe.
            if "locked" in str(exc.orig) or "busy" in str(exc.orig):
                raise WriterBusy from exc
            raise
        finally:
            lock.release()

    def close(self) -> None:
        """Close the writer's connection and stop its checkpoints."""
        self._checkpoints.close()
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None
        self.engine.dispose()


def _no_autocheckpoint(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")


class _Checkpointer:
    """Checkpoints the WAL in a background thread, every ``EVERY`` inline writes.

    PASSIVE: it copies pages while writers go on. A passive checkpoint never catches up with a
    steady stream of writes, though, and the WAL would grow without end; so every
    ``RESTART_EVERY``-th one is followed by a RESTART, holding this process's writer lock so
    that the next write starts the WAL afresh. Only the pages written during the passive pass
    are left to copy by then (and the fsync), so writers, which meanwhile find the lock taken
    and retry, wait only briefly (19–27 ms instead of 32–41 ms at 100k claims, bench/README.md,
    sixteenth session); readers go on.
    """

    EVERY = 250
    RESTART_EVERY = 4

    def __init__(self, settings: Settings) -> None:
        # No busy timeout: when another process reads or writes, RESTART does what PASSIVE
        # would and returns at once, instead of holding the writer lock while it waits.
        self._engine = make_engine(settings, pool_size=1, busy_timeout_ms=0)
        self._lock = writer_lock(self._engine)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claims-checkpoint")
        self._writes = 0
        self._rounds = 0
        self._running: Future[None] | None = None

    def wrote(self) -> None:
        """Count one committed write; start a checkpoint when enough have piled up."""
        self._writes += 1
        if self._writes >= self.EVERY and (self._running is None or self._running.done()):
            self._writes = 0
            self._rounds += 1
            restart = self._rounds % self.RESTART_EVERY == 0
            self._running = self._pool.submit(self._checkpoint, restart)

    def _checkpoint(self, restart: bool) -> None:
        with self._engine.connect() as conn:
            # Copy what is there while writers go on; the RESTART under the writer lock then
            # has only the last moments' pages to copy (its fsync stays).
            conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
            if restart:
                with self._lock if self._lock is not None else contextlib.nullcontext():
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(RESTART)")

    def close(self) -> None:
        """Finish a running checkpoint and release the connection."""
        self._pool.shutdown(wait=True)
        self._engine.dispose()
