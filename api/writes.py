"""Where a write use case runs: on the event loop, inline on SQLite, on asyncio connections
on PostgreSQL.

Each write is one call of a ``claims`` use case with a session. On SQLite,
``storage.InlineWriter`` runs it on the loop (writes are serialised by SQLite anyway, and the
loop spares the GIL hand-offs of a worker thread). When the write lock is taken, by a thread
of this process or by another process, the write tries again after a short non-blocking
pause, for up to CLAIMS_SQLITE_BUSY_TIMEOUT_MS, then answers 503 like a busy SQLite would.
It never falls back to a thread: writes queued in threads behind the lock made every later
write find the lock taken too, and the server stayed in that slow mode under load.
On PostgreSQL, where a write may wait on a row lock or the network, it runs on the loop over
psycopg's asyncio connections (``storage.PooledRuntime``): each of its round trips is a wait
that lets the loop serve other requests.

Status changes on PostgreSQL are committed in groups (``GroupCommit``): the requests that
arrive while earlier ones are being written go together, as one unit of work of the use case
that takes several (``claims.status_changes.change_statuses``), each still checked and
compare-and-set on its own. A write alone goes at once; under load, each round trip and each
commit serves several requests instead of one (docs/design.md, "Group commit").
"""

from __future__ import annotations

import asyncio
import collections
import weakref
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from claims import storage
from claims.errors import Unavailable

T = TypeVar("T")
R = TypeVar("R")
# What a use case over several requests returns for each: its result, or the error that
# refused it (``claims.status_changes.change_statuses``).
Outcome = Any

_FIRST_PAUSE = 0.0005
_LONGEST_PAUSE = 0.01


class Writes:
    """Runs write use cases for the routes (see the module docstring)."""

    def __init__(
        self,
        *,
        inline: storage.InlineWriter | None = None,
        pooled: storage.PooledRuntime | None = None,
    ) -> None:
        if (inline is None) == (pooled is None):
            raise ValueError("writes run either inline (SQLite) or pooled (PostgreSQL)")
        self._inline = inline
        self._pooled = pooled
        self.busy_retries = 0  # times an SQLite write found the lock taken (for /metrics)
        self._groups: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[Callable[..., Any], GroupCommit]
        ] = weakref.WeakKeyDictionary()

    async def run(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Return ``use_case(session, *args, **kwargs)``, committed.

        Raises what the use case raises, and Unavailable when SQLite stays locked too long.
        """
        inline = self._inline
        if inline is None:
            return await self._pooled.write(use_case, *args, **kwargs)  # type: ignore[union-attr]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + inline.patience
        pause = _FIRST_PAUSE
        while True:
            try:
                return inline.run(use_case, *args, **kwargs)
            except storage.WriterBusy:
                self.busy_retries += 1
                if loop.time() + pause > deadline:
                    raise Unavailable(
                        "the database is busy; try again shortly", retry_after=1
                    ) from None
            await asyncio.sleep(pause)
            pause = min(pause * 2, _LONGEST_PAUSE)

    async def run_grouped(
        self, use_case: Callable[[Any, Sequence[R]], list[Outcome]], request: R
    ) -> Any:
        """Return ``use_case(session, [request])``'s outcome for ``request``, committed: on
        PostgreSQL in a group commit with the requests of other callers, on SQLite alone.

        Raises the error that refused the request, and what ``run`` raises."""
        if self._pooled is None:
            [outcome] = await self.run(use_case, [request])
        else:
            # Per loop, as the connections are: an app served by several loops in turn (a test
            # client's portals) must not leave a group waiting on a loop that has ended.
            groups = self._groups.setdefault(asyncio.get_running_loop(), {})
            group = groups.get(use_case)
            if group is None:
                group = groups[use_case] = GroupCommit(self._pooled, use_case)
            outcome = await group.submit(request)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def close(self) -> None:
        """Close the inline writer's connection."""
        if self._inline is not None:
            self._inline.close()


class GroupCommit:
    """Requests for one use case over several (``use_case(session, requests)``) on
    PostgreSQL, written in groups: at most ``AT_ONCE`` units of work run at a time, and the
    requests that arrive meanwhile wait and go together in the next (up to ``MOST``).

    A request alone waits for nothing. A unit of work that fails as a whole (a lost connection,
    a deadlock with another process, a bug) is retried one request at a time, so that each
    request gets its own answer and no request fails for another's sake. A request whose
    caller goes away is still written, as it would be if its answer were lost on the way.
    """

    # Units of work in flight per process. One: the requests that arrive while it is written
    # all go in the next, so under load a group holds ~5–9 requests; with 2 or 4 at once most
    # went alone (1.1–2.5 a group) and writes/s fell by a quarter to a third, the loop's CPU
    # going to each statement's send (bench/README.md, seventeenth session).
    AT_ONCE = 1
    # Requests per unit of work at most: the statements' arrays grow with it, and a unit that
    # fails is retried request by request.
    MOST = 64

    def __init__(
        self, pooled: storage.PooledRuntime, use_case: Callable[[Any, Sequence[Any]], list[Any]]
    ) -> None:
        self._pooled = pooled
        self._use_case = use_case
        self._waiting: collections.deque[tuple[Any, asyncio.Future[Outcome]]] = collections.deque()
        self._running = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self.groups = 0  # units of work started, for the requests submitted
        self.requests = 0

    async def submit(self, request: Any) -> Outcome:
        """Return the request's outcome once the unit of work it went in has committed."""
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._waiting.append((request, future))
        self._start()
        return await future

    def _start(self) -> None:
        while self._waiting and self._running < self.AT_ONCE:
            group = []
            while self._waiting and len(group) < self.MOST:
                request, future = self._waiting.popleft()
                if not future.cancelled():
                    group.append((request, future))
            if not group:
                return
            self._running += 1
            self.groups += 1
            self.requests += len(group)
            task = asyncio.get_running_loop().create_task(self._write(group))
            self._tasks.add(task)  # a running task must be referenced, or it may be collected
            task.add_done_callback(self._tasks.discard)

    async def _write(self, group: list[tuple[Any, asyncio.Future[Outcome]]]) -> None:
        try:
            requests = [request for request, _ in group]
            try:
                outcomes = await self._pooled.write(self._use_case, requests)
            except Exception as exc:
                if len(group) == 1:
                    outcomes = [exc]
                else:
                    outcomes = [await self._alone(request) for request in requests]
            for (_, future), outcome in zip(group, outcomes, strict=True):
                if not future.done():
                    future.set_result(outcome)
        except BaseException as exc:  # cancelled at shutdown: nobody is left hanging
            for _, future in group:
                if not future.done():
                    if isinstance(exc, asyncio.CancelledError):
                        future.cancel()
                    else:
                        future.set_exception(exc)
            raise
        finally:
            self._running -= 1
            self._start()

    async def _alone(self, request: Any) -> Outcome:
        try:
            [outcome] = await self._pooled.write(self._use_case, [request])
        except Exception as exc:
            return exc
        return outcome
