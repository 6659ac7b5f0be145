"""SQLite reads that share one read transaction while nothing changes: the claim cache misses.

A dashboard opening claims by id across a large table misses the body cache on nearly every
read. In autocommit each of those reads is a read transaction of its own: SQLite takes and
drops its WAL read lock (two ``fcntl``), checks the file's size (``fstat``) and the schema,
and with cold CPU caches between requests that cost about a fifth of the server's CPU per
read (bench/README.md, twentieth session). ``SnapshotReader`` keeps one read transaction open
across such reads instead, on a connection of its own, once the process has heard of no write
for a while:

- it holds one only after the caller's mark has stayed the same for ``settle`` seconds (two
  of the hub's polls, and at least ``LIFETIME``). While writes go on, a held read
  transaction keeps SQLite from restarting the WAL (a restart needs every reader off it):
  under a steady mix of reads and writes the WAL grew by 40 MB a second (1.2 GB in 30 s,
  against a steady 135 MB in autocommit). So while the mark moves, reads run in autocommit;
- ``api.polling`` passes the change hub's mark, which moves with every write the process
  hears of: a read never sees less than an answer cached under the same mark would, and a
  writer reads its own write back at once;
- a held transaction lasts at most ``LIFETIME`` seconds: another process's write that the hub
  has not heard of yet is seen within that time, sooner than the hub's poll
  (``CLAIMS_POLL_INTERVAL_MS``) brings it to the caches. A timer ends an idle one.

Only reads whose answers are cached under the mark belong here; reads that must see the
latest commit (a token's check, the change feed's horizon) stay on ``LoopReader``'s
autocommit.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from claims.errors import Unavailable
from claims.storage.runtime import LoopReader

T = TypeVar("T")


def _begin(conn: sa.Connection) -> None:
    """End the connection's read transaction, if any, and begin the next (SQLite's BEGIN is
    deferred: the snapshot is taken by the first read in it)."""
    driver = conn.connection.dbapi_connection
    if driver.in_transaction:  # type: ignore[union-attr]
        driver.commit()  # type: ignore[union-attr]
    driver.execute("BEGIN")  # type: ignore[union-attr]


def _end(conn: sa.Connection) -> None:
    driver = conn.connection.dbapi_connection
    if driver.in_transaction:  # type: ignore[union-attr]
        driver.commit()  # type: ignore[union-attr]


class SnapshotReader:
    """Reads on the event loop that share a read transaction per settled mark (see the
    module); ``poll_interval`` is the change hub's, in seconds."""

    LIFETIME = 0.1

    def __init__(self, engine: Engine, *, poll_interval: float) -> None:
        self._reader = LoopReader(engine)
        self.settle = max(self.LIFETIME, 2 * poll_interval)
        self._seen: object = None  # the latest mark, and since when
        self._seen_at = 0.0
        self._mark: object = None  # the held transaction's mark; None: none held
        self._until = 0.0
        self._timer: asyncio.TimerHandle | None = None

    def run(self, mark: object, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``fn(connection, *args, **kwargs)``: in the held transaction of ``mark`` once
        the mark has settled, else in autocommit. Call it on the event loop."""
        now = time.monotonic()
        if mark != self._seen:
            self._seen, self._seen_at = mark, now
        if mark != self._mark or now >= self._until:
            if now - self._seen_at < self.settle:
                if self._mark is not None:
                    self._release()
            else:
                self._reader.run(_begin)
                self._mark, self._until = mark, now + self.LIFETIME
                if self._timer is None:
                    loop = asyncio.get_running_loop()
                    self._timer = loop.call_later(self.LIFETIME, self._expire)
        try:
            return self._reader.run(fn, *args, **kwargs)
        except DBAPIError:
            # A failed statement leaves SQLite's transaction open (only SQLAlchemy's would be
            # rolled back): end it, or the next read in autocommit would still run in it.
            self._release()
            raise

    def _expire(self) -> None:
        self._timer = None
        left = self._until - time.monotonic()
        if left > 0:
            self._timer = asyncio.get_running_loop().call_later(left, self._expire)
            return
        self._release()

    def _release(self) -> None:
        """End the held transaction: reads run in autocommit until one is begun again."""
        self._mark = None
        with contextlib.suppress(DBAPIError, Unavailable):  # a lost connection holds nothing
            self._reader.run(_end)

    def close(self) -> None:
        """End the transaction and close the connection."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._mark = None
        self._reader.close()
