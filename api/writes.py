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

Creates and status changes are committed in groups (``api.groups``): the requests that arrive
while earlier ones are being written go together, as one unit of work of the use case that
takes several (``claims.creates.create_claims``, ``claims.status_changes.change_statuses``),
each still checked on its own. A write alone goes at once; under load, each round trip and each
commit serves several requests instead of one. On PostgreSQL that saves round trips; on SQLite,
where a statement is a function call, it saves each request's BEGIN IMMEDIATE and COMMIT (the
file's locks and the WAL's frame for each): 1.7–1.9× the writes a second (docs/design.md,
"Group commit"; bench/README.md, eighteenth session).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from api.groups import Groups, Outcome
from claims import storage
from claims.errors import Unavailable

T = TypeVar("T")
R = TypeVar("R")

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
        # One unit of work in flight per process: the requests that arrive while it is written
        # all go in the next, so under load a group holds ~5–9 requests; with 2 or 4 at once
        # most went alone (1.1–2.5 a group) and writes/s fell by a quarter to a third, the
        # loop's CPU going to each statement's send (bench/README.md, seventeenth session).
        # On SQLite the unit runs inline: the requests that arrive while the loop turns go in
        # the next.
        self.groups = Groups(self.run if pooled is None else pooled.write, at_once=1)

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
        """Return ``use_case(session, [request])``'s outcome for ``request``, committed in a
        group commit with the requests of other callers.

        Raises the error that refused the request, and what ``run`` raises."""
        return await self.groups.run(use_case, request)

    def close(self) -> None:
        """Close the inline writer's connection."""
        if self._inline is not None:
            self._inline.close()
