"""The polling reads (list, claim, history, summary, changes), answered from seq-tagged caches.

Dashboards poll these often and many at once, so their answers come from memory whenever
nothing changed: every write this process hears of moves the change hub's mark (its latest
``seq``; on PostgreSQL also the writes heard above it), and each cached body is tagged with the
mark (and calendar day) it was built at, so a hit is never older than what the process has
heard and an unchanged poll costs no query at all. The endpoints of ``api.routes.claims`` and
``api.routes.feed`` call these methods.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from api import etags
from api.answers import NO_CACHE, Answer, conditional, not_modified
from api.groups import Groups
from claims import feed, listing, services, shapes, summary
from claims.clock import today
from claims.config import Settings
from claims.notify import ChangeHub
from claims.queries import ChangesQuery, ClaimQuery, HistoryQuery
from claims.refs import ClaimRef
from claims.storage import LoopReads, PooledRuntime, SnapshotReader, make_engine


@dataclass(slots=True)  # not frozen: one is made per cache miss, and a frozen init costs twice
class _Cached:
    seq: str  # the hub's mark when it was built
    day: date
    etag: str
    body: bytes


class _LRU:
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[str, _Cached] = OrderedDict()

    def get(self, key: str) -> _Cached | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def put(self, key: str, item: _Cached) -> None:
        self._items[key] = item
        self._items.move_to_end(key)
        if len(self._items) > self._size:
            self._items.popitem(last=False)


class PollingReads:
    """Answers to the polling reads, from the hub's latest seq and a few small caches."""

    # Grouped claim reads in flight at a time, per process (PostgreSQL).
    READS_AT_ONCE = 2

    def __init__(
        self, settings: Settings, reader: LoopReads, hub: ChangeHub, engine: Engine
    ) -> None:
        self.settings = settings
        self.reader = reader
        self.hub = hub
        self.engine = engine
        self._zone = settings.zone  # a ZoneInfo look-up on every read otherwise
        self._pages = _LRU(512)
        self._claims = _LRU(4096)
        self._running: dict[str, asyncio.Future[bytes]] = {}
        # On PostgreSQL the claims read by id or slug at the same moment (dashboards opening
        # claims, a crowd of random ids past the cache) share one statement and round trip:
        # 1.6–1.7× the random-id reads a second at 100k (bench/README.md, eighteenth session).
        # On SQLite a read is a call into the file, cheaper than gathering.
        self.groups: Groups | None = None
        self.snapshots: SnapshotReader | None = None
        if isinstance(reader, PooledRuntime):
            self.groups = Groups(reader.read, at_once=self.READS_AT_ONCE)
        else:
            # On SQLite the misses share a read transaction while the mark stays: each read
            # in a transaction of its own cost a fifth more CPU (storage/snapshots.py).
            self.snapshots = SnapshotReader(
                make_engine(settings, pool_size=1), poll_interval=settings.poll_interval_ms / 1000
            )

    def close(self) -> None:
        """Release the connection of the claim reads (SQLite)."""
        if self.snapshots is not None:
            self.snapshots.close()

    def _day(self) -> date:
        return today(self._zone)

    async def claims_page(self, query: ClaimQuery, if_none_match: str | None) -> Answer:
        """One page of the claim list. Raises InvalidInput (a bad cursor)."""
        return await self._collection("L", query, if_none_match, paged=True)

    async def summary(self, query: ClaimQuery, if_none_match: str | None) -> Answer:
        """The dashboard summary under the list's filters."""
        return await self._collection("S", query, if_none_match, paged=False)

    async def _collection(
        self, kind: str, query: ClaimQuery, if_none_match: str | None, *, paged: bool
    ) -> Answer:
        seq, day, days = self.hub.mark, self._day(), self.settings.due_soon_days
        etag = etags.quoted(kind + query.fingerprint(seq, day, days, paged=paged))
        headers = {"ETag": etag, "Cache-Control": NO_CACHE}
        if etags.none_match(if_none_match, etag):
            return Answer(304, b"", headers, None)
        cached = self._pages.get(etag)
        if cached is not None:
            return Answer(200, cached.body, headers)
        compute = listing.claim_page if paged else summary.summary
        body = await self._once(etag, compute, query, today=day, due_soon_days=days)
        self._pages.put(etag, _Cached(seq, day, etag, body))
        return Answer(200, body, headers)

    async def _once(self, key: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> bytes:
        """Compute a body in a worker thread, once for all requests waiting on the same key.

        A filtered page or summary of a large table can take tens of milliseconds: in a
        thread it cannot stall the event loop, and a crowd of pollers shares one query.
        """
        running = self._running.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._running[key] = future
        try:
            body = await run_in_threadpool(self._query, fn, *args, **kwargs)
            future.set_result(body)
            return body
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved here: waiters re-raise it, nobody logs it as lost
            raise
        finally:
            del self._running[key]

    def _query(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> bytes:
        with self.engine.connect() as conn:
            return orjson.dumps(fn(conn, *args, **kwargs))

    async def claim(self, ref: ClaimRef, if_none_match: str | None) -> Answer:
        """One claim by id or slug. Raises NotFound."""
        seq, day = self.hub.mark, self._day()
        cached = self._claims.get(ref)
        if cached is None or cached.seq != seq or cached.day != day:
            if self.snapshots is not None:
                row = self.snapshots.run(seq, services.get_claim, ref)
            else:
                row = await self.groups.run(services.get_claims, ref)  # type: ignore[union-attr]
            body = orjson.dumps(shapes.claim(row, day, self.settings.due_soon_days))
            cached = _Cached(seq, day, etags.for_claim(row, self.settings, day), body)
            self._claims.put(ref, cached)
        return conditional(cached.etag, if_none_match, lambda: cached.body)

    async def history(
        self, ref: ClaimRef, query: HistoryQuery, if_none_match: str | None
    ) -> Answer:
        """A page of a claim's history. Raises NotFound."""
        row = await self.reader.read(services.get_claim, ref)
        # Every event bumps the claim's version, so the version alone tags the whole history.
        tag = etags.quoted(f"H{row.id}.{row.version}.{query.after}.{query.limit}")
        if etags.none_match(if_none_match, tag):
            return not_modified(tag)
        page = await self.reader.read(
            services.history_page, row.id, after_seq=query.after, limit=query.limit
        )
        return conditional(tag, None, lambda: orjson.dumps(page))

    async def changes(self, query: ChangesQuery) -> Answer:
        """The changes after ``since``; with ``wait``, long-poll until one commits. Raises
        FutureSeq."""
        since, limit, wait = query.since, query.limit, query.wait
        latest = self.hub.latest
        if since > latest:
            # The hub may not have heard of another process's write yet: ask the database.
            latest = await self.reader.read(feed.check_since, since)
        if since >= latest and wait > 0:
            latest = await self.hub.wait_beyond(since, wait)
        if since >= latest:
            body = {"changes": [], "next": since}
        else:
            body = await self.reader.read(feed.changes, since, limit, upto=latest)
        return Answer(200, orjson.dumps(body), {"Cache-Control": "no-store"})
