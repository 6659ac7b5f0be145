"""The global change sequence: taking a seq, how far readers may read, telling other processes.

SQLite has one writer at a time, so the ``seq_counter`` row, bumped inside the write, hands
out seqs in commit order by itself.

PostgreSQL writers commit concurrently (docs/design.md, "The change sequence"): a writer takes
its seq from the sequence ``event_seq`` with ``claims_next_seq()``, which first takes a shared
advisory lock keyed by a number no higher than that seq (once per transaction). Seqs are then
handed out in one order but may commit out of it, and a rolled-back write leaves its number
unused. ``latest_seq`` is the *horizon*: every seq up to it has committed or never will, so a
reader that reads no further than the horizon never sees seq N+1 and later N. Both functions
are created by migration 0013.

Nothing here sends NOTIFY inside a write: PostgreSQL serialises the commits of notifying
transactions on one lock held through the commit's flush, the very queue this module removes.
Committed seqs are announced after the commit instead, by a thread per process that batches
them (``announce``).
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Iterable

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from claims.config import Settings
from claims.storage.engine import Executor, is_sqlite, normalise_url
from claims.storage.prepared import Prepared
from claims.storage.tables import seq_t
from claims.storage.units import RESERVED_SEQ_KEY, SEQ_KEY, add_commit_listener

NOTIFY_CHANNEL = "claims_changes"

log = logging.getLogger("claims.storage")


def next_seq(session: Session, taken: int | None = None) -> int:
    """Take the next global ``seq`` for an event of the open write transaction.

    On SQLite the counter row's lock, held until commit, orders writers; on PostgreSQL the seq
    comes from the sequence and readers stay below it until this transaction ends (the seq
    that ``update_claim(take_seq=True)`` took, if it took one; ``taken``, the one
    ``update_claims`` returned for the event's claim, if given).
    """
    seq = session.info.pop(RESERVED_SEQ_KEY, None) if taken is None else taken
    if seq is None:
        stmt = _NEXT_SEQ_SQLITE if is_sqlite(session) else _NEXT_SEQ_PG
        seq = stmt.first(session, {})[0]
    session.info.setdefault(SEQ_KEY, []).append(seq)
    return seq


_BUMP = sa.update(seq_t).where(seq_t.c.id == 1).values(value=seq_t.c.value + 1)
_NEXT_SEQ_SQLITE = Prepared(_BUMP.returning(seq_t.c.value))
_NEXT_SEQ_PG = Prepared(sa.select(sa.func.claims_next_seq()))
_COUNTER = sa.select(seq_t.c.value).where(seq_t.c.id == 1)
_HORIZON = sa.select(sa.func.claims_seq_horizon())
_ISSUED = sa.text(
    "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM event_seq"
)


def latest_seq(db: Executor) -> int:
    """Return the horizon: the highest seq such that every seq up to it is committed or never
    will be (0 on an empty database). Seqs above it may still commit, in any order.

    On PostgreSQL, read what it bounds in a later statement (a new snapshot), never inside a
    repeatable-read snapshot taken before it: a write that commits between the snapshot and
    this call would be below the horizon yet unseen.
    """
    stmt = _COUNTER if is_sqlite(db) else _HORIZON
    return db.execute(stmt).scalar_one_or_none() or 0


def issued_seq(db: Executor) -> int:
    """Return the last seq handed out, committed or not (on SQLite the same as ``latest_seq``).

    No event has a higher seq; a cursor above it names a seq that does not exist yet."""
    return db.execute(_COUNTER if is_sqlite(db) else _ISSUED).scalar_one_or_none() or 0


def lock_seq(session: Session) -> None:
    """Keep every other writer from committing until this transaction ends (an import).

    On PostgreSQL writers take no common lock any more; a share lock on the event table, which
    conflicts with their inserts, does the same."""
    if is_sqlite(session):
        session.execute(sa.update(seq_t).where(seq_t.c.id == 1).values(value=seq_t.c.value))
    else:
        session.execute(sa.text("LOCK TABLE event IN SHARE ROW EXCLUSIVE MODE"))


def set_seq(session: Session, seq: int) -> None:
    """Make ``seq`` the last one handed out (an import), so writes continue after it."""
    if is_sqlite(session):
        session.execute(sa.update(seq_t).where(seq_t.c.id == 1).values(value=seq))
    elif seq > issued_seq(session):
        # Not setval, which a rollback would not undo: a refused import must leave the
        # sequence as it found it. (RESTART also locks out nextval until this commits.)
        session.execute(sa.text(f"ALTER SEQUENCE event_seq RESTART WITH {int(seq) + 1}"))
        session.info.setdefault(SEQ_KEY, []).append(seq)


# ---------------------------------------------------------------------------------------------
# Telling the other processes (PostgreSQL)


async def notified_seqs(settings: Settings) -> AsyncIterator[int]:
    """Yield the seqs committed on this PostgreSQL database by any process, as announced
    (LISTEN). Raises psycopg.Error, OSError when the connection fails or is lost."""
    url = normalise_url(settings.database_url)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    async with await psycopg.AsyncConnection.connect(
        dsn, autocommit=True, connect_timeout=5
    ) as conn:
        await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        async for note in conn.notifies():
            for part in note.payload.split(","):
                with contextlib.suppress(ValueError):
                    yield int(part)


def announce(engine: Engine, seqs: Iterable[int]) -> None:
    """Tell every listening process that ``seqs`` committed (PostgreSQL; SQLite's processes
    poll). Returns at once: a thread of this process sends them, batched."""
    if engine.dialect.name == "sqlite":
        return
    key = engine.url.render_as_string(hide_password=False)
    with _announcers_guard:
        announcer = _announcers.get(key)
        if announcer is None:
            announcer = _announcers[key] = _Announcer(key)
        announcer.send(seqs)


# A NOTIFY payload must stay under 8000 bytes.
_PAYLOAD_MAX = 7000


class _Announcer:
    """One connection and thread that send the NOTIFYs of this process's commits to one
    database; after ``_IDLE`` seconds without a commit both go (the next commit starts anew).

    A batch is one tiny transaction committed without waiting for its flush: a notification
    lost in a crash costs a listener at most its poll interval (``ChangeHub``), never a change.
    """

    def __init__(self, key: str) -> None:
        self._key = key
        url = normalise_url(key).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._queue: collections.deque[int] = collections.deque()
        self._wake = threading.Condition()
        self._unsent = 0  # seqs queued or in a batch not yet sent
        threading.Thread(target=self._run, name="claims-announce", daemon=True).start()

    def send(self, seqs: Iterable[int]) -> None:
        with self._wake:
            before = len(self._queue)
            self._queue.extend(seqs)
            self._unsent += len(self._queue) - before
            self._wake.notify_all()

    def drain(self, timeout: float) -> bool:
        """Wait until every seq handed to ``send`` has been announced (or given up on)."""
        with self._wake:
            return self._wake.wait_for(lambda: self._unsent == 0, timeout)

    def _sent(self, count: int) -> None:
        with self._wake:
            self._unsent -= count
            self._wake.notify_all()

    def _next_batch(self) -> list[int] | None:
        """Wait for seqs; None when idle long enough to retire (then no longer in the map)."""
        with self._wake:
            if not self._queue:
                self._wake.wait(_IDLE)
            gathering = bool(self._queue)
        if gathering:
            # The commits of the next moments go in the same NOTIFY: under load one went per
            # commit or two, each a transaction of its own on the server and a thread wake-up
            # here (a third of PostgreSQL's transactions, bench/README.md, fifteenth session).
            time.sleep(_GATHER)
            with self._wake:
                seqs = list(self._queue)
                self._queue.clear()
                return seqs
        with _announcers_guard, self._wake:  # ``announce`` sends under the same guard
            if not self._queue:
                if _announcers.get(self._key) is self:
                    del _announcers[self._key]
                return None
            seqs = list(self._queue)
            self._queue.clear()
            return seqs

    def _run(self) -> None:
        conn: psycopg.Connection | None = None
        try:
            while (seqs := self._next_batch()) is not None:
                try:
                    if conn is None or conn.closed:
                        conn = psycopg.connect(self._dsn, autocommit=True, connect_timeout=5)
                    for payload in _payloads(seqs):
                        conn.execute(
                            "SELECT set_config('synchronous_commit', 'off', true), "
                            "pg_notify(%s, %s)",
                            (NOTIFY_CHANNEL, payload),
                        )
                except (psycopg.Error, OSError) as exc:  # listeners' polls catch up
                    log.warning("could not announce seqs (%s)", type(exc).__name__)
                    if conn is not None:
                        conn.close()
                    conn = None
                finally:
                    self._sent(len(seqs))
        finally:
            if conn is not None:
                conn.close()


# Seconds an announcer waits for a commit before it closes its connection and ends.
_IDLE = 30.0
# Seconds an announcer waits after a commit for more to announce with it: what a listener in
# another process may wait more for its wake-up.
_GATHER = 0.005


def _payloads(seqs: list[int]) -> Iterable[str]:
    part: list[str] = []
    size = 0
    for seq in seqs:
        text = str(seq)
        if part and size + len(text) + 1 > _PAYLOAD_MAX:
            yield ",".join(part)
            part, size = [], 0
        part.append(text)
        size += len(text) + 1
    if part:
        yield ",".join(part)


# Seconds a process that is ending waits for its last commits to be announced.
_DRAIN_AT_EXIT = 3.0


def drain_announcements(timeout: float = _DRAIN_AT_EXIT) -> None:
    """Wait until this process's committed seqs have been announced. The announcers' threads
    are daemons, so without this a short process (``claims import``, ``claims seed`` …) ended
    before they sent anything, and servers learnt of its writes only at their next poll."""
    with _announcers_guard:
        announcers = list(_announcers.values())
    for announcer in announcers:
        announcer.drain(timeout)


_announcers: dict[str, _Announcer] = {}
_announcers_guard = threading.Lock()
add_commit_listener(announce)
atexit.register(drain_announcements)
