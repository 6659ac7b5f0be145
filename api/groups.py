"""Requests gathered into groups for PostgreSQL: many callers, one round trip per step.

A use case over several requests (``use_case(db, requests)``: ``claims.status_changes.
change_statuses`` for status changes, ``claims.services.get_claims`` for claim reads) answers
each request on its own, but costs the database and this process a few statements for all of
them. ``Group`` feeds it: while one unit of work is in flight, the requests that arrive wait and
go together in the next. A request alone waits for nothing; under load each round trip and each
commit serves several requests instead of one (docs/design.md, "Group commit").
"""

from __future__ import annotations

import asyncio
import collections
import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from claims.errors import Unavailable

# What a use case over several requests returns for each: its result, or the error that
# refused it.
Outcome = Any
# How a unit of work runs: ``run(use_case, requests)`` (``storage.PooledRuntime.write`` commits,
# ``.read`` runs in autocommit).
Runner = Callable[..., Awaitable[list[Outcome]]]
UseCase = Callable[[Any, Sequence[Any]], list[Outcome]]


class Group:
    """Requests for one use case over several, run in groups: at most ``at_once`` units of
    work at a time, and the requests that arrive meanwhile go together in the next (up to
    ``MOST``).

    A unit of work that fails as a whole (a lost connection, a deadlock with another process,
    a bug) is retried one request at a time, so that each request gets its own answer and no
    request fails for another's sake; one refused as Unavailable (the database busy or
    unreachable) gives every request that answer at once. A request whose caller goes away
    still runs, as it would if its answer were lost on the way.
    """

    # Requests per unit of work at most: the statements' arrays grow with it, and a unit that
    # fails is retried request by request.
    MOST = 64

    def __init__(self, run: Runner, use_case: UseCase, *, at_once: int) -> None:
        self._run = run
        self._use_case = use_case
        self._at_once = at_once
        self._waiting: collections.deque[tuple[Any, asyncio.Future[Outcome]]] = collections.deque()
        self._running = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self.groups = 0  # units of work started, for the requests submitted
        self.requests = 0
        self.alone = 0  # requests tried again alone after their group failed as a whole

    async def submit(self, request: Any) -> Outcome:
        """Return the request's outcome once the unit of work it went in has finished."""
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._waiting.append((request, future))
        self._start()
        return await future

    def _start(self) -> None:
        while self._waiting and self._running < self._at_once:
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
            task = asyncio.get_running_loop().create_task(self._unit(group))
            self._tasks.add(task)  # a running task must be referenced, or it may be collected
            task.add_done_callback(self._tasks.discard)

    async def _unit(self, group: list[tuple[Any, asyncio.Future[Outcome]]]) -> None:
        try:
            requests = [request for request, _ in group]
            try:
                outcomes = await self._run(self._use_case, requests)
            except Unavailable as exc:
                # The database is busy or unreachable: each request alone would wait as long
                # again, one after the other.
                outcomes = [exc] * len(group)
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
        self.alone += 1
        try:
            [outcome] = await self._run(self._use_case, [request])
        except Exception as exc:
            return exc
        return outcome


class Groups:
    """One ``Group`` per use case and event loop, all run by ``run``."""

    def __init__(self, run: Runner, *, at_once: int) -> None:
        self._run = run
        self._at_once = at_once
        # Per loop, as the connections are: an app served by several loops in turn (a test
        # client's portals) must not leave a group waiting on a loop that has ended.
        self._groups: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[UseCase, Group]] = (
            weakref.WeakKeyDictionary()
        )

    def of(self, use_case: UseCase) -> Group:
        """The running loop's group for ``use_case``."""
        groups = self._groups.setdefault(asyncio.get_running_loop(), {})
        group = groups.get(use_case)
        if group is None:
            group = groups[use_case] = Group(self._run, use_case, at_once=self._at_once)
        return group

    def totals(self) -> tuple[int, int]:
        """Units of work started and requests submitted so far, over every loop and use case."""
        groups = [g for per_loop in list(self._groups.values()) for g in per_loop.values()]
        return sum(g.groups for g in groups), sum(g.requests for g in groups)

    async def run(self, use_case: UseCase, request: Any) -> Any:
        """Return ``use_case(db, [request])``'s outcome for ``request``, run in a group with
        the concurrent requests of other callers; raise it if it is an error."""
        outcome = await self.of(use_case).submit(request)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome
