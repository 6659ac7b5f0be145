"""Storage: the engine, transactions, and every query the tracker runs.

Only this module writes SQL. Services call it inside ``transaction(session)``, which is the one
place that commits. On SQLite a write transaction starts with ``BEGIN IMMEDIATE`` so writers
queue instead of failing on a lock upgrade (the threads of one process on a lock of their own,
other processes on the busy timeout); on PostgreSQL the single
``seq_counter`` row, locked by ``UPDATE … RETURNING`` as the last step before commit, hands out
``seq`` values in commit order across every process.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, TypeVar

import orjson
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine, Row, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session

from claims.config import Settings
from claims.errors import ClaimsError, DuplicateSlug, FieldError, InvalidInput, Unavailable
from claims.models import (
    ApiToken,
    Claim,
    ClaimTally,
    ClaimTopic,
    Event,
    Evidence,
    SeqCounter,
    Source,
)
from claims.status import OPEN

claim_t: sa.Table = Claim.__table__  # type: ignore[attr-defined]
topic_t: sa.Table = ClaimTopic.__table__  # type: ignore[attr-defined]
event_t: sa.Table = Event.__table__  # type: ignore[attr-defined]
evidence_t: sa.Table = Evidence.__table__  # type: ignore[attr-defined]
seq_t: sa.Table = SeqCounter.__table__  # type: ignore[attr-defined]
tally_t: sa.Table = ClaimTally.__table__  # type: ignore[attr-defined]
source_t: sa.Table = Source.__table__  # type: ignore[attr-defined]
token_t: sa.Table = ApiToken.__table__  # type: ignore[attr-defined]


T = TypeVar("T")


class DatabaseUrlError(ClaimsError):
    """CLAIMS_DATABASE_URL cannot be used."""


# ---------------------------------------------------------------------------------------------
# Engine and transactions


def normalise_url(url: str) -> sa.URL:
    """Parse a database URL (plain ``postgresql://`` means psycopg 3). Raises DatabaseUrlError."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUrlError(
            f"CLAIMS_DATABASE_URL is not a database URL: {url!r}. Use sqlite:///FILE or "
            "postgresql+psycopg://USER@HOST:PORT/DATABASE."
        ) from exc
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        if not parsed.database or parsed.database == ":memory:":
            raise DatabaseUrlError(
                "CLAIMS_DATABASE_URL must name an SQLite file (sqlite:///claims.db): an "
                "in-memory database would vanish between the migration and the server."
            )
        return parsed
    raise DatabaseUrlError(
        f"CLAIMS_DATABASE_URL uses {parsed.drivername!r}; the tracker runs on sqlite:/// "
        "or postgresql+psycopg://."
    )


def make_engine(
    settings: Settings, *, pool_size: int | None = None, busy_timeout_ms: int | None = None
) -> Engine:
    """Create the engine for the configured database, with the SQLite pragmas set per connection.

    ``busy_timeout_ms`` overrides CLAIMS_SQLITE_BUSY_TIMEOUT_MS (``InlineWriter`` uses 0).
    """
    url = normalise_url(settings.database_url)
    size = pool_size or settings.pool_size
    if url.get_backend_name() == "sqlite":
        busy = settings.sqlite_busy_timeout_ms if busy_timeout_ms is None else busy_timeout_ms
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": busy / 1000},
            pool_size=size,
            max_overflow=size,
            pool_timeout=10,
        )
        _configure_sqlite(engine, busy)
        return engine
    return sa.create_engine(
        url,
        pool_size=size,
        max_overflow=size,
        pool_timeout=10,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5, "options": "-c timezone=UTC"},
    )


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN is ours to choose.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get("claims_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# SQLite admits one writer at a time. Left to its busy handler, writers that find the lock
# taken sleep with back-off (up to 100 ms a try) and wake late; so the writers of this process
# take this lock first: threads (token routes, CLI) queue on it, the event loop's InlineWriter
# only tries it, and SQLite's own lock is then contended by other processes alone. One lock
# per database file, shared by the engines on it.
_sqlite_writer_locks: dict[str, threading.RLock] = {}
_engine_writer_locks: weakref.WeakKeyDictionary[Engine, threading.RLock] = (
    weakref.WeakKeyDictionary()
)
_writer_locks_guard = threading.Lock()


def _writer_lock(engine: Engine) -> threading.RLock | None:
    if engine.dialect.name != "sqlite":
        return None
    lock = _engine_writer_locks.get(engine)
    if lock is None:
        path = os.path.realpath(engine.url.database or "")
        with _writer_locks_guard:
            lock = _sqlite_writer_locks.setdefault(path, threading.RLock())
            _engine_writer_locks[engine] = lock
    return lock


# Reads run on a Session (use cases) or on a bare Connection (the hot read paths).
Executor = Session | sa.Connection


def is_sqlite(db: Executor) -> bool:
    """Tell whether the session or connection talks to SQLite."""
    dialect = db.dialect if isinstance(db, sa.Connection) else db.get_bind().dialect
    return dialect.name == "sqlite"


# Called with the seq of every write this process commits (the change hub listens here).
_commit_listeners: list[Callable[[int], None]] = []


def add_commit_listener(listener: Callable[[int], None]) -> None:
    """Call ``listener(seq)`` after each write transaction of this process commits."""
    _commit_listeners.append(listener)


def remove_commit_listener(listener: Callable[[int], None]) -> None:
    """Stop calling ``listener``."""
    if listener in _commit_listeners:
        _commit_listeners.remove(listener)


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Run one unit of work: begin a write transaction, commit at the end, roll back on error."""
    if session.in_transaction():
        # Only reads (token look-ups) can have run on this session; end their snapshot so the
        # write sees the latest data and, on SQLite, starts with BEGIN IMMEDIATE.
        session.rollback()
    lock = _writer_lock(session.get_bind())  # type: ignore[arg-type]
    with lock if lock is not None else contextlib.nullcontext():
        session.connection(execution_options={"claims_write": True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.info.pop(_SEQ_KEY, None)
            session.rollback()
            raise
    seq = session.info.pop(_SEQ_KEY, None)
    if seq is not None:
        for listener in list(_commit_listeners):
            listener(seq)


class LoopReader:
    """One long-lived connection for the hot read paths, used from one thread at a time.

    The event loop runs short reads on it inline: a pool checkout and a thread hop would cost
    more than the query. Each read ends its transaction at once (no stale snapshot, no idle
    transaction). After a failure the connection is dropped and, for one second, reads fail
    fast with Unavailable instead of stalling the loop on reconnects.
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
                if conn.dialect.name != "sqlite":
                    conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            except DBAPIError:
                self._down_until = time.monotonic() + 1.0
                raise
            self._conn = conn
        try:
            result = fn(conn, *args, **kwargs)
            conn.rollback()
        except DBAPIError as exc:
            if _lost_connection(exc):
                self._drop()
            else:
                conn.rollback()
            raise
        except BaseException:
            conn.rollback()
            raise
        return result

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
        self._lock = _writer_lock(self.engine)
        self._checkpoints = _Checkpointer(settings)

    def run(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Return ``use_case(session, *args, **kwargs)``; raise WriterBusy if it would wait."""
        lock = self._lock
        if lock is None or not lock.acquire(blocking=False):
            raise WriterBusy
        try:
            with Session(self.engine) as session:
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
        self.engine.dispose()


def _no_autocheckpoint(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")


class _Checkpointer:
    """Checkpoints the WAL in a background thread, every ``EVERY`` inline writes.

    Mostly PASSIVE: it copies pages while writers go on. A passive checkpoint never catches up
    with a steady stream of writes, though, and the WAL would grow without end; so every
    ``RESTART_EVERY``-th one is a RESTART, holding this process's writer lock so that the next
    write starts the WAL afresh. Little is left to copy by then, so writers, which meanwhile
    find the lock taken and retry, wait only briefly; readers go on.
    """

    EVERY = 250
    RESTART_EVERY = 4

    def __init__(self, settings: Settings) -> None:
        # No busy timeout: when another process reads or writes, RESTART does what PASSIVE
        # would and returns at once, instead of holding the writer lock while it waits.
        self._engine = make_engine(settings, pool_size=1, busy_timeout_ms=0)
        self._lock = _writer_lock(self._engine)
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
        with contextlib.ExitStack() as stack:
            if restart and self._lock is not None:
                stack.enter_context(self._lock)
            conn = stack.enter_context(self._engine.connect())
            conn.exec_driver_sql(f"PRAGMA wal_checkpoint({'RESTART' if restart else 'PASSIVE'})")

    def close(self) -> None:
        """Finish a running checkpoint and release the connection."""
        self._pool.shutdown(wait=True)
        self._engine.dispose()


def _lost_connection(exc: DBAPIError) -> bool:
    return exc.connection_invalidated or isinstance(
        exc, sa.exc.OperationalError | sa.exc.InterfaceError
    )


def unavailable_from(exc: BaseException) -> Unavailable | None:
    """Classify a database exception: a lock, a timeout or a lost server becomes Unavailable."""
    if isinstance(exc, PoolTimeout):
        return Unavailable("the database is busy; try again shortly", retry_after=2)
    if isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError):
        text = str(exc.orig).lower() if exc.orig is not None else ""
        if (
            exc.connection_invalidated
            or isinstance(exc, sa.exc.OperationalError)
            or any(
                word in text
                for word in ("locked", "busy", "connection", "server closed", "timeout")
            )
        ):
            return Unavailable("the database is busy or unreachable; try again shortly")
    return None


def check_database(engine: Engine) -> bool:
    """Tell whether the database answers a trivial query."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except (DBAPIError, PoolTimeout):
        return False
    return True


# ---------------------------------------------------------------------------------------------
# The global change sequence


_SEQ_KEY = "claims_seq"
NOTIFY_CHANNEL = "claims_changes"


def next_seq(session: Session) -> int:
    """Take the next global ``seq``; the row lock it holds until commit orders writers.

    On PostgreSQL the same statement queues a NOTIFY, delivered to every listening server
    process when (and only if) the transaction commits.
    """
    stmt = _NEXT_SEQ_SQLITE if is_sqlite(session) else _NEXT_SEQ_PG
    seq = session.execute(stmt).first()[0]
    session.info[_SEQ_KEY] = seq
    return seq


_BUMP = sa.update(seq_t).where(seq_t.c.id == 1).values(value=seq_t.c.value + 1)
_NEXT_SEQ_SQLITE = _BUMP.returning(seq_t.c.value)
_NEXT_SEQ_PG = _BUMP.returning(
    seq_t.c.value, sa.func.pg_notify(NOTIFY_CHANNEL, sa.cast(seq_t.c.value, sa.Text))
)
_LATEST_SEQ = sa.select(seq_t.c.value).where(seq_t.c.id == 1)


def latest_seq(session: Executor) -> int:
    """Return the last ``seq`` handed out (0 on an empty database)."""
    return session.execute(_LATEST_SEQ).scalar_one_or_none() or 0


# ---------------------------------------------------------------------------------------------
# Rows as JSON records (to store a result and give it back later, as idempotent creates do)


def row_record(row: Row) -> dict[str, Any]:
    """Turn a row into a JSON-ready dict (dates and times as ISO strings)."""
    return {
        k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in row._asdict().items()
    }


def record_row(table: sa.Table, record: dict[str, Any]) -> SimpleNamespace:
    """Turn a stored record back into a row-like object with typed dates and times."""
    values = dict(record)
    for column in table.columns:
        value = values.get(column.name)
        if isinstance(value, str) and isinstance(column.type, sa.DateTime):
            values[column.name] = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(column.type, sa.Date):
            values[column.name] = date.fromisoformat(value)
    return SimpleNamespace(**values)


# ---------------------------------------------------------------------------------------------
# Sources


def insert_source(session: Session, values: dict[str, Any]) -> int:
    """Insert a source and return its id."""
    return session.execute(
        sa.insert(source_t).values(**values).returning(source_t.c.id)
    ).scalar_one()


def find_source(session: Executor, source_id: int) -> Row | None:
    """Return one source row, or None."""
    return session.execute(sa.select(source_t).where(source_t.c.id == source_id)).first()


def find_source_by(session: Session, *, title: str, url: str | None) -> Row | None:
    """Return the source with this URL (or, without a URL, this title), or None."""
    cond = (
        source_t.c.url == url
        if url
        else sa.and_(source_t.c.url.is_(None), source_t.c.title == title)
    )
    return session.execute(sa.select(source_t).where(cond).order_by(source_t.c.id).limit(1)).first()


def list_sources(session: Executor) -> Sequence[Row]:
    """Return every source, oldest first."""
    return session.execute(sa.select(source_t).order_by(source_t.c.id)).all()


# ---------------------------------------------------------------------------------------------
# Claims: rows


# Statements on the hot paths are built once: SQLAlchemy then reuses their compiled form
# without rebuilding the expression and its cache key on every call.
_CLAIM_BY_ID = sa.select(claim_t).where(claim_t.c.id == sa.bindparam("ref"))
_CLAIM_BY_SLUG = sa.select(claim_t).where(claim_t.c.slug == sa.bindparam("ref"))


def find_claim(session: Executor, id_or_slug: int | str) -> Row | None:
    """Return one claim row by id or slug, or None."""
    stmt = _CLAIM_BY_ID if isinstance(id_or_slug, int) else _CLAIM_BY_SLUG
    return session.execute(stmt, {"ref": id_or_slug}).first()


def claim_version(session: Executor, claim_id: int) -> int | None:
    """Return a claim's current version, or None if there is no such claim."""
    return session.execute(
        sa.select(claim_t.c.version).where(claim_t.c.id == claim_id)
    ).scalar_one_or_none()


def slug_taken(session: Session, slug: str) -> bool:
    """Tell whether a claim already has this slug."""
    return (
        session.execute(sa.select(claim_t.c.id).where(claim_t.c.slug == slug)).first() is not None
    )


def quotes_of_source(session: Session, source_id: int) -> list[str]:
    """Return the quotes of a source's claims (claims without a quote are left out)."""
    return list(
        session.execute(
            sa.select(claim_t.c.quote).where(
                claim_t.c.source_id == source_id, claim_t.c.quote.is_not(None)
            )
        ).scalars()
    )


def insert_claim(session: Session, values: dict[str, Any]) -> int:
    """Insert a claim and its topic index rows; return the id. Raises DuplicateSlug."""
    try:
        with session.begin_nested():
            claim_id = session.execute(
                sa.insert(claim_t).values(**values).returning(claim_t.c.id)
            ).scalar_one()
    except IntegrityError as exc:
        if slug_taken(session, values["slug"]):
            raise DuplicateSlug(
                f"the slug {values['slug']!r} is taken", [FieldError("slug", "is already taken")]
            ) from exc
        raise
    _write_topics(session, claim_id, values.get("topics") or [])
    tally(session, values["status"], values.get("due_by"), +1)
    return claim_id


_CAS: dict[frozenset[str], sa.Update] = {}


def _cas_statement(columns: frozenset[str]) -> sa.Update:
    stmt = _CAS.get(columns)
    if stmt is None:
        stmt = (
            sa.update(claim_t)
            .where(claim_t.c.id == sa.bindparam("_id"), claim_t.c.version == sa.bindparam("_v"))
            .values({c: sa.bindparam(c, type_=claim_t.c[c].type) for c in sorted(columns)})
            .values(version=claim_t.c.version + 1)
            .returning(*claim_t.c)
        )
        _CAS[columns] = stmt
    return stmt


def update_claim(
    session: Session, claim_id: int, expected_version: int, values: dict[str, Any]
) -> Row | None:
    """Compare-and-set: apply ``values`` and bump the version, only if it is still
    ``expected_version``; return the updated row, or None when another write came first."""
    stmt = _cas_statement(frozenset(values))
    row = session.execute(stmt, {**values, "_id": claim_id, "_v": expected_version}).first()
    if row is None:
        return None
    if "topics" in values:
        session.execute(sa.delete(topic_t).where(topic_t.c.claim_id == claim_id))
        _write_topics(session, claim_id, values["topics"])
    return row


OPEN_ENDED = date(9999, 12, 31)


def _tally_statement(insert: Any) -> Any:
    stmt = insert(tally_t).values(
        status=sa.bindparam("status"), due_key=sa.bindparam("due_key"), count=sa.bindparam("n")
    )
    return stmt.on_conflict_do_update(
        index_elements=["status", "due_key"],
        set_={"count": tally_t.c.count + stmt.excluded.count},
    )


_TALLY = {"sqlite": _tally_statement(sqlite_insert), "postgresql": _tally_statement(pg_insert)}


def tally(session: Session, status: str, due_by: date | None, delta: int) -> None:
    """Add ``delta`` to the count of claims with this status and deadline."""
    stmt = _TALLY["sqlite" if is_sqlite(session) else "postgresql"]
    session.execute(stmt, {"status": status, "due_key": due_by or OPEN_ENDED, "n": delta})


def _write_topics(session: Session, claim_id: int, topics: list[str]) -> None:
    if topics:
        session.execute(
            sa.insert(topic_t), [{"claim_id": claim_id, "topic": t} for t in dict.fromkeys(topics)]
        )


def count_claims(session: Session) -> int:
    """Return how many claims there are."""
    return session.execute(sa.select(sa.func.count()).select_from(claim_t)).scalar_one()


# ---------------------------------------------------------------------------------------------
# Claims: the list


SORTS: dict[str, tuple[str, bool]] = {
    "due_by": ("due_by", False),
    "-due_by": ("due_by", True),
    "stated_on": ("stated_on", False),
    "-stated_on": ("stated_on", True),
    "created_at": ("created_at", False),
    "-created_at": ("created_at", True),
    "updated_at": ("updated_at", False),
    "-updated_at": ("updated_at", True),
    "status_changed_at": ("status_changed_at", False),
    "-status_changed_at": ("status_changed_at", True),
    "id": ("id", False),
    "-id": ("id", True),
}


@dataclass(frozen=True)
class ClaimFilter:
    """The list's filters, already validated (see ``claims.listing``)."""

    statuses: frozenset[str] | None = None
    topics: tuple[str, ...] = ()
    claimant: str | None = None
    overdue: bool | None = None
    due_soon_until: date | None = None
    due_before: date | None = None
    due_after: date | None = None
    words: tuple[str, ...] | None = None
    today: date | None = None


def _filter_conditions(session: Executor, f: ClaimFilter) -> list[sa.ColumnElement[bool]]:
    conds: list[sa.ColumnElement[bool]] = []
    c = claim_t.c
    if f.statuses is not None:
        conds.append(c.status.in_(sorted(f.statuses)))
    if f.topics:
        conds.append(c.id.in_(sa.select(topic_t.c.claim_id).where(topic_t.c.topic.in_(f.topics))))
    if f.claimant is not None:
        conds.append(c.claimant == f.claimant)
    if f.overdue is not None and f.today is not None:
        late = sa.and_(c.due_by < f.today, c.status.in_(sorted(OPEN)))
        conds.append(late if f.overdue else sa.not_(late))
    if f.due_soon_until is not None and f.today is not None:
        conds.append(
            sa.and_(c.due_by >= f.today, c.due_by <= f.due_soon_until, c.status.in_(sorted(OPEN)))
        )
    if f.due_before is not None:
        conds.append(c.due_by <= f.due_before)
    if f.due_after is not None:
        conds.append(c.due_by >= f.due_after)
    if f.words is not None:
        conds.append(_text_match(session, f.words))
    return conds


def _text_match(session: Executor, words: tuple[str, ...]) -> sa.ColumnElement[bool]:
    if not words:
        return sa.false()
    if is_sqlite(session):
        # FTS5 prefix query: every word must start a token in statement, quote or claimant.
        match = " ".join('"' + w.replace('"', '""') + '"*' for w in words)
        return claim_t.c.id.in_(
            sa.select(sa.column("rowid"))
            .select_from(sa.table("claim_fts"))
            .where(sa.text("claim_fts MATCH :match").bindparams(match=match))
        )
    query = " & ".join(re.sub(r"[^\w]", "", w) + ":*" for w in words)
    return sa.text(
        "to_tsvector('simple', coalesce(claim.statement, '') || ' ' || coalesce(claim.quote, '')"
        " || ' ' || claim.claimant) @@ to_tsquery('simple', :tsq)"
    ).bindparams(tsq=query)


def list_claims(
    session: Executor, f: ClaimFilter, *, sort: str, limit: int, after: tuple[Any, int] | None
) -> Sequence[Row]:
    """Return up to ``limit`` + 1 claim rows after the keyset position ``after`` (value, id).

    Rows whose sort value is null (an open-ended ``due_by``) always come last. They are read
    in a second, separate query: "nulls last" as one ORDER BY expression would defeat the
    (column, id) indexes and sort the whole table for every page.
    """
    column_name, descending = SORTS[sort]
    col, ident = claim_t.c[column_name], claim_t.c.id
    conds = _filter_conditions(session, f)
    value, last_id = after if after is not None else (None, None)

    def page(extra: list[sa.ColumnElement[bool]], order: list[Any], n: int) -> list[Row]:
        stmt = sa.select(claim_t).where(*conds, *extra).order_by(*order).limit(n)
        return list(session.execute(stmt).all())

    id_order = ident.desc() if descending else ident.asc()
    if column_name == "id":
        extra = [] if last_id is None else [ident < last_id if descending else ident > last_id]
        return page(extra, [id_order], limit + 1)
    rows: list[Row] = []
    if after is None or value is not None:
        extra = [col.is_not(None)]
        if after is not None:
            position = sa.tuple_(col, ident)
            extra.append(
                position < sa.tuple_(value, last_id)
                if descending
                else position > sa.tuple_(value, last_id)
            )
        rows = page(extra, [col.desc() if descending else col.asc(), id_order], limit + 1)
    if len(rows) <= limit and col.nullable:
        extra = [col.is_(None)]
        if after is not None and value is None:
            extra.append(ident < last_id if descending else ident > last_id)
        rows += page(extra, [id_order], limit + 1 - len(rows))
    return rows


def encode_cursor(sort: str, value: Any, claim_id: int) -> str:
    """Make the opaque keyset cursor for the position after a row."""
    if isinstance(value, datetime | date):
        value = value.isoformat()
    raw = orjson.dumps([sort, value, claim_id])
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    """Read a cursor back into (sort value, id). Raises InvalidInput naming ``cursor``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, value, claim_id = orjson.loads(raw)
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise InvalidInput.on("cursor", "is not a cursor this server issued") from exc
    if kind != sort:
        raise InvalidInput.on("cursor", f"was issued for sort={kind}, not sort={sort}")
    if not isinstance(claim_id, int) or (value is not None and not isinstance(value, str | int)):
        raise InvalidInput.on("cursor", "is not a cursor this server issued")
    column_name = SORTS[sort][0]
    if value is not None and column_name in ("due_by", "stated_on"):
        try:
            value = date.fromisoformat(value)
        except (TypeError, ValueError) as exc:
            raise InvalidInput.on("cursor", "is not a cursor this server issued") from exc
    elif value is not None and column_name != "id":
        try:
            value = datetime.fromisoformat(value)
        except (TypeError, ValueError) as exc:
            raise InvalidInput.on("cursor", "is not a cursor this server issued") from exc
    return value, claim_id


def summary_counts(db: Executor, f: ClaimFilter, today: date, soon_until: date) -> list[Row]:
    """Per status: how many claims, how many overdue, how many due soon (under the filter)."""
    c = claim_t.c
    is_open = c.status.in_(sorted(OPEN))
    overdue = sa.case((sa.and_(is_open, c.due_by < today), 1), else_=0)
    soon = sa.case((sa.and_(is_open, c.due_by >= today, c.due_by <= soon_until), 1), else_=0)
    stmt = (
        sa.select(c.status, sa.func.count(), sa.func.sum(overdue), sa.func.sum(soon))
        .where(*_filter_conditions(db, f))
        .group_by(c.status)
    )
    return list(db.execute(stmt).all())


def tally_counts(db: Executor, f: ClaimFilter, today: date, soon_until: date) -> list[Row] | None:
    """``summary_counts`` from the tally, or None when the filter needs the claims themselves."""
    if f.topics or f.claimant is not None or f.words is not None:
        return None
    t = tally_t.c
    is_open = t.status.in_(sorted(OPEN))
    real = t.due_key != OPEN_ENDED
    conds: list[sa.ColumnElement[bool]] = [t.count != 0]
    if f.statuses is not None:
        conds.append(t.status.in_(sorted(f.statuses)))
    if f.overdue is not None:
        late = sa.and_(is_open, real, t.due_key < today)
        conds.append(late if f.overdue else sa.not_(late))
    if f.due_soon_until is not None:
        conds += [is_open, t.due_key >= today, t.due_key <= f.due_soon_until]
    if f.due_before is not None:
        conds += [real, t.due_key <= f.due_before]
    if f.due_after is not None:
        conds += [real, t.due_key >= f.due_after]
    late_n = sa.case((sa.and_(is_open, real, t.due_key < today), t.count), else_=0)
    soon_n = sa.case(
        (sa.and_(is_open, t.due_key >= today, t.due_key <= soon_until), t.count), else_=0
    )
    stmt = (
        sa.select(t.status, sa.func.sum(t.count), sa.func.sum(late_n), sa.func.sum(soon_n))
        .where(*conds)
        .group_by(t.status)
    )
    return list(db.execute(stmt).all())


def changes_since(db: Executor, since: int, limit: int) -> list[Row]:
    """Return the changes with ``seq > since`` in seq order (the change feed)."""
    e = event_t.c
    stmt = (
        sa.select(e.seq, e.claim_id, claim_t.c.slug, e.kind, e.status, e.version, e.at)
        .join(claim_t, claim_t.c.id == e.claim_id)
        .where(e.seq > since)
        .order_by(e.seq)
        .limit(limit)
    )
    return list(db.execute(stmt).all())


# ---------------------------------------------------------------------------------------------
# History and evidence


_LAST_HASH = (
    sa.select(event_t.c.hash)
    .where(event_t.c.claim_id == sa.bindparam("claim_id"))
    .order_by(event_t.c.seq.desc())
    .limit(1)
)


def last_hash(session: Session, claim_id: int) -> str | None:
    """Return the hash of a claim's latest event (None before its first)."""
    return session.execute(_LAST_HASH, {"claim_id": claim_id}).scalar_one_or_none()


def insert_event(session: Session, values: dict[str, Any]) -> None:
    """Append one history event. There is deliberately no update or delete for events."""
    session.execute(_INSERT_EVENT, values)


_INSERT_EVENT = sa.insert(event_t)


def insert_evidence(session: Session, rows: list[dict[str, Any]]) -> None:
    """Attach evidence rows (each names its claim and the event that cited it)."""
    if rows:
        session.execute(sa.insert(evidence_t), rows)


def list_events(
    session: Executor, claim_id: int, *, after_seq: int = 0, limit: int | None = None
) -> list[Row]:
    """Return a claim's event rows with ``seq > after_seq``, oldest first."""
    stmt = (
        sa.select(event_t)
        .where(event_t.c.claim_id == claim_id, event_t.c.seq > after_seq)
        .order_by(event_t.c.seq)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.execute(stmt).all())


def iter_chains(session: Session) -> Iterator[list[Row]]:
    """Yield every claim's events, one claim at a time, oldest first (for ``claims verify``)."""
    ids = session.execute(sa.select(claim_t.c.id).order_by(claim_t.c.id)).scalars().all()
    for claim_id in ids:
        yield list_events(session, claim_id)
    orphans = session.execute(
        sa.select(event_t.c.seq).where(event_t.c.claim_id.not_in(sa.select(claim_t.c.id))).limit(1)
    ).first()
    if orphans is not None:  # pragma: no cover - foreign keys prevent it; verify reports it anyway
        yield list(session.execute(sa.select(event_t).where(event_t.c.seq == orphans[0])).all())


# ---------------------------------------------------------------------------------------------
# Tokens


def insert_token(session: Session, values: dict[str, Any]) -> None:
    """Store a new token (its hash only). Raises DuplicateSlug when the name is taken."""
    if session.execute(sa.select(token_t.c.id).where(token_t.c.name == values["name"])).first():
        raise DuplicateSlug(f"a token named {values['name']!r} already exists")
    session.execute(sa.insert(token_t).values(**values))


_TOKEN_BY_HASH = sa.select(token_t).where(token_t.c.token_hash == sa.bindparam("h"))


def find_token_by_hash(session: Executor, token_hash: str) -> Row | None:
    """Return the token row with this hash, or None (every write looks one up)."""
    return session.execute(_TOKEN_BY_HASH, {"h": token_hash}).first()


def revoke_token(session: Session, name: str, at: datetime) -> bool:
    """Mark the named active token revoked; tell whether one was."""
    result = session.execute(
        sa.update(token_t)
        .where(token_t.c.name == name, token_t.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return result.rowcount == 1


def touch_token(session: Session, token_id: int, at: datetime) -> None:
    """Record when a token was last used."""
    session.execute(sa.update(token_t).where(token_t.c.id == token_id).values(last_used_at=at))


def list_tokens(session: Session) -> Sequence[Row]:
    """Return every token's row, oldest first."""
    return session.execute(sa.select(token_t).order_by(token_t.c.id)).all()
