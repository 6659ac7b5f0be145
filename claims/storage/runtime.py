"""The event-loop runtime: the loop's reads (SQLite's one connection, PostgreSQL's pools) and
PostgreSQL's writes on asyncio connections. SQLite's inline writes are ``sqlite_writer``'s.

Nothing here builds SQL for the domain; it runs the queries of this package where they cost
least (see docs/design.md, "Writes").
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import time
import weakref
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlmodel import Session

from claims.config import Settings
from claims.errors import Unavailable
from claims.storage.engine import (
    AUTOCOMMIT,
    lost_connection,
    make_async_engine,
    timed_out,
)

T = TypeVar("T")

# A database that stops answering (a frozen server, a stalled network path) raises no error:
# a statement sent to it waits for ever, and with it every request of its group. The loop's
# reads on PostgreSQL give up on it this long after CLAIMS_PG_LOCK_TIMEOUT_MS, by which
# PostgreSQL itself refuses a statement waiting on a lock: a lock is reported by the server,
# and the connection kept.
ANSWER_GRACE_S = 1.0


class LoopReader:
    """One long-lived connection for the hot read paths, used from one thread at a time.

    The event loop runs short reads on it inline: a pool checkout and a thread hop would cost
    more than the query. It runs in autocommit: each statement sees the latest commit and no
    transaction stays open, so a read that takes several statements (the change feed, a
    token's check) must not need them to share a snapshot. After a failure the connection is
    dropped and, for one second, reads fail fast with Unavailable instead of stalling the loop
    on reconnects.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: sa.Connection | None = None
        self._down_until = 0.0

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``fn(connection, *args, **kwargs)`` and return its result."""
        conn = self._conn
        if conn is None:
            if time.monotonic() < self._down_until:
                raise Unavailable("the database is unreachable; try again shortly")
            try:
                conn = self.engine.connect()
                if conn.dialect.name == "sqlite":
                    conn = conn.execution_options(**{AUTOCOMMIT: True})
                else:
                    conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            except DBAPIError:
                self._down_until = time.monotonic() + 1.0
                raise
            self._conn = conn
        try:
            # No rollback after a read: in autocommit there is no transaction to end (on
            # SQLite a BEGIN and a ROLLBACK around every read were two thirds of its calls).
            return fn(conn, *args, **kwargs)
        except DBAPIError as exc:
            if lost_connection(exc):
                self._drop()
            else:
                conn.rollback()
            raise
        except BaseException:
            conn.rollback()
            raise

    def engines(self) -> list[Engine]:
        """The engines this reads through."""
        return [self.engine]

    async def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``run`` for the event loop (SQLite: inline, a read is shorter than a thread hop)."""
        return self.run(fn, *args, **kwargs)

    async def aclose(self) -> None:
        """``close``, for the event loop."""
        self.close()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        self._down_until = time.monotonic() + 1.0
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.invalidate()
                conn.close()

    def close(self) -> None:
        """Close the connection and the engine's pool."""
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None
        self.engine.dispose()


class PooledRuntime:
    """PostgreSQL on the event loop: reads and write use cases on psycopg's asyncio
    connections, so that no round trip blocks the loop.

    The functions it runs are the synchronous ones every other caller runs (use cases taking
    a Session, reads taking a Connection): SQLAlchemy's ``run_sync`` runs each in a greenlet
    whose every driver call awaits its connection, so while one write waits on a row lock or
    the network the loop serves the others. Writes used to run in worker threads (a thread
    hop and the GIL handed back and forth at each of a write's round trips) and reads on one
    connection that blocked the loop for each round trip (bench/README.md, thirteenth
    session).

    Reads run in autocommit, as ``LoopReader``'s do. Once ``keep_connections`` is called (the
    app's start-up), they run on up to CLAIMS_POOL_SIZE connections kept open and lent to one
    read at a time: a checkout from SQLAlchemy's pool and its reset on return cost a short
    read more than half again its CPU. On any other loop (an app driven without its lifespan,
    or from a loop of its own, as some tests do) each read checks a connection out of the
    pool and returns it, so none is left open on a loop that has ended. After a lost
    connection, reads fail fast with Unavailable for one second instead of queueing on
    reconnects.

    A read or write that waited CLAIMS_PG_LOCK_TIMEOUT_MS for a lock raises Unavailable; so
    does a read that got no answer for a second longer (``ANSWER_GRACE_S``), treated as a lost
    connection, its work, cancelled, ending in the background.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        # An asyncio connection belongs to the loop that opened it; an app driven on several
        # loops (tests) gets engines for each, dropped with its loop.
        self._engines: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[AsyncEngine, AsyncEngine]
        ] = weakref.WeakKeyDictionary()
        self._down_until = 0.0
        # The connections kept open, on the loop of ``keep_connections`` only:
        self._idle: list[AsyncConnection] = []  # open and free
        self._open = 0  # open, free or lent
        self._waiting: collections.deque[asyncio.Future[AsyncConnection | None]] = (
            collections.deque()
        )
        self._keep_on: asyncio.AbstractEventLoop | None = None
        self._patience = settings.pg_lock_timeout_ms / 1000 + ANSWER_GRACE_S
        # Work given up on, still ending (referenced, or the loop might collect it mid-way).
        self._abandoned: set[asyncio.Task[Any]] = set()

    def keep_connections(self) -> None:
        """Keep read connections open between reads, on the running loop (until ``aclose``)."""
        self._keep_on = asyncio.get_running_loop()

    def _engines_of_this_loop(self) -> tuple[AsyncEngine, AsyncEngine]:
        loop = asyncio.get_running_loop()
        engines = self._engines.get(loop)
        if engines is None:
            engines = self._engines[loop] = (
                make_async_engine(self._settings, autocommit=True),
                make_async_engine(self._settings),
            )
        return engines

    def engines(self) -> list[Engine]:
        """The engines this reads and writes through."""
        return [e.sync_engine for pair in list(self._engines.values()) for e in pair]

    async def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Return ``fn(connection, *args, **kwargs)``, run in autocommit. Raises Unavailable
        (unreachable, a lock held too long, no answer), DBAPIError (a lost connection)."""
        if time.monotonic() < self._down_until:
            raise Unavailable("the database is unreachable; try again shortly")
        try:
            return await self._answered(self._read(fn, *args, **kwargs))
        except DBAPIError as exc:
            if timed_out(exc):
                raise Unavailable("the database is busy; try again shortly") from exc
            raise

    async def _read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self._keep_on is not asyncio.get_running_loop():
            reads, _ = self._engines_of_this_loop()
            try:
                async with reads.connect() as conn:
                    return await conn.run_sync(fn, *args, **kwargs)
            except DBAPIError as exc:
                if lost_connection(exc):
                    self._down_until = time.monotonic() + 1.0
                    await self._forget_connections()
                raise
        conn = await self._lend()
        try:
            result = await conn.run_sync(fn, *args, **kwargs)
        except DBAPIError as exc:
            if not lost_connection(exc):
                self._give_back(conn)
                raise
            self._down_until = time.monotonic() + 1.0
            await self._close(conn)
            await self._forget_connections()
            raise
        except BaseException:
            # Cancelled or failed mid-statement: the connection's state is unknown.
            await self._close(conn)
            raise
        self._give_back(conn)
        return result

    async def _lend(self) -> AsyncConnection:
        reads, _ = self._engines_of_this_loop()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while True:
            if self._idle:
                return self._idle.pop()
            if self._open < self._settings.pool_size:
                self._open += 1
                try:
                    return await reads.connect()
                except BaseException as exc:
                    self._open -= 1
                    if isinstance(exc, DBAPIError):
                        # Unreachable: fail fast for a second, as after a lost connection.
                        # Else each read of a group that failed (retried alone) would wait
                        # for a connection as long again, one after the other.
                        self._down_until = time.monotonic() + 1.0
                    raise
            waiter: asyncio.Future[AsyncConnection | None] = loop.create_future()
            self._waiting.append(waiter)
            try:
                conn = await asyncio.wait_for(waiter, max(0.0, deadline - loop.time()))
            except TimeoutError:
                busy = "the database is busy; try again shortly"
                raise Unavailable(busy, retry_after=2) from None
            except asyncio.CancelledError:
                # Handed a connection just as this request went away: pass it on.
                if waiter.done() and not waiter.cancelled() and waiter.result() is not None:
                    self._give_back(waiter.result())  # type: ignore[arg-type]
                raise
            if conn is not None:
                return conn
            # None: a connection was closed, so there is room to open another.

    def _give_back(self, conn: AsyncConnection | None) -> None:
        """Lend ``conn`` to the first waiting read, or keep it; None wakes one to open one."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return
        if conn is not None:
            self._idle.append(conn)

    async def _close(self, conn: AsyncConnection) -> None:
        self._open -= 1
        self._give_back(None)
        with contextlib.suppress(Exception):
            await conn.invalidate()
            await conn.close()

    async def write(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Return ``use_case(session, *args, **kwargs)``; the use case commits its own work.
        Raises what it raises, and Unavailable (a lock held too long).

        Unlike a read, a write is never walked away from: one whose answer is late may yet
        commit, and a 503 would tell its client it had not (a retry without Idempotency-Key
        would write it twice). A lock wait ends at CLAIMS_PG_LOCK_TIMEOUT_MS."""
        try:
            return await self._write(use_case, *args, **kwargs)
        except DBAPIError as exc:
            if timed_out(exc):  # rolled back by the unit of work: nothing was written
                raise Unavailable("the database is busy; try again shortly") from exc
            raise

    async def _write(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        _, writes = self._engines_of_this_loop()
        try:
            async with AsyncSession(writes, sync_session_class=Session) as session:
                return await session.run_sync(use_case, *args, **kwargs)
        except DBAPIError as exc:
            if lost_connection(exc):
                await self._forget_connections()
            raise

    async def _answered(self, work: Coroutine[Any, Any, T]) -> T:
        """Return what ``work`` returns, or raise Unavailable once the database has kept it
        waiting ``_patience`` s.

        The work runs as a task of its own so that the request need not wait for it to end:
        cancelled, psycopg asks the server to cancel the statement and waits for that, for up
        to ~10 s, before it closes the connection (``AsyncConnection.wait``). Meanwhile the
        work's own error handling closes its connection, which is never lent again."""
        loop = asyncio.get_running_loop()
        task = loop.create_task(work)
        # What asyncio.wait does, without its bookkeeping: ~8 µs less CPU per read.
        settled = loop.create_future()

        def settle(_: object = None) -> None:
            if not settled.done():
                settled.set_result(None)

        task.add_done_callback(settle)
        timer = loop.call_later(self._patience, settle)
        try:
            await settled
        except asyncio.CancelledError:  # the caller went away (shutdown): so does the work
            self._abandon(task)
            raise
        finally:
            timer.cancel()
            task.remove_done_callback(settle)
        if task.done():
            return task.result()
        self._abandon(task)
        # As after a lost connection: the other connections to the server are likely stuck
        # too, and reads fail fast for a second instead of each waiting as long.
        self._down_until = time.monotonic() + 1.0
        await self._forget_connections()
        raise Unavailable("the database does not answer; try again shortly")

    def _abandon(self, task: asyncio.Task[Any]) -> None:
        task.cancel()
        self._abandoned.add(task)
        task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[Any]) -> None:
        self._abandoned.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: nobody waits for it, and its error is expected

    async def _forget_connections(self) -> None:
        # One connection lost, the others (opened before the same outage or restart) are
        # likely gone too, and a connection used moments ago is handed out without a ping
        # (``engine.PING_AFTER_IDLE_S``): open new ones for the next requests instead.
        if self._keep_on is asyncio.get_running_loop():
            idle, self._idle = self._idle, []
            for conn in idle:
                await self._close(conn)
        for engine in self._engines_of_this_loop():
            await engine.dispose(close=False)

    async def aclose(self) -> None:
        """Close the connections of the running loop's engines."""
        loop = asyncio.get_running_loop()
        abandoned = [task for task in self._abandoned if task.get_loop() is loop]
        for task in abandoned:
            # Cancelled again, psycopg stops waiting for the server and closes at once.
            task.cancel()
        if abandoned:
            await asyncio.wait(abandoned, timeout=1.0)
        if self._keep_on is loop:
            idle, self._idle, self._open, self._keep_on = self._idle, [], 0, None
            for conn in idle:
                with contextlib.suppress(Exception):
                    await conn.close()
        for engine in self._engines.pop(loop, ()):
            with contextlib.suppress(Exception):
                await engine.dispose()


# What the event loop reads through: SQLite's one inline connection or PostgreSQL's pool.
LoopReads = LoopReader | PooledRuntime
