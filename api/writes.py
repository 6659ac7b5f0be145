"""Where a write use case runs: on the event loop on SQLite, in a worker thread on PostgreSQL.

Each write is one call of a ``claims`` use case with a session. On SQLite,
``storage.InlineWriter`` runs it on the loop (writes are serialised by SQLite anyway, and the
loop spares the GIL hand-offs of a worker thread). When the write lock is taken, by a thread
of this process or by another process, the write tries again after a short non-blocking
pause, for up to CLAIMS_SQLITE_BUSY_TIMEOUT_MS, then answers 503 like a busy SQLite would.
It never falls back to a thread: writes queued in threads behind the lock made every later
write find the lock taken too, and the server stayed in that slow mode under load.
On PostgreSQL, where a write may wait on a row lock or the network, it runs in the threadpool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from claims import storage
from claims.errors import Unavailable

T = TypeVar("T")

_FIRST_PAUSE = 0.0005
_LONGEST_PAUSE = 0.01


class Writes:
    """Runs write use cases for the routes (see the module docstring)."""

    def __init__(self, engine: Engine, inline: storage.InlineWriter | None) -> None:
        self._engine = engine
        self._inline = inline
        self.busy_retries = 0  # times an SQLite write found the lock taken (for /metrics)

    async def run(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Return ``use_case(session, *args, **kwargs)``, committed.

        Raises what the use case raises, and Unavailable when SQLite stays locked too long.
        """
        inline = self._inline
        if inline is None:
            return await run_in_threadpool(self._in_thread, use_case, args, kwargs)
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

    def _in_thread(self, use_case: Callable[..., T], args: tuple, kwargs: dict) -> T:
        with Session(self._engine) as session:
            return use_case(session, *args, **kwargs)

    def close(self) -> None:
        """Close the inline writer's connection."""
        if self._inline is not None:
            self._inline.close()
