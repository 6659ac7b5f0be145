"""The engines (SQLite with its pragmas and writer lock, PostgreSQL with its pools), and
database errors classified. The one write transaction is in ``units``.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import Session

from claims.config import Settings
from claims.errors import ClaimsError, Unavailable


class DatabaseUrlError(ClaimsError):
    """CLAIMS_DATABASE_URL cannot be used."""


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
            **_JSON,
        )
        _configure_sqlite(engine, busy)
        return engine
    engine = sa.create_engine(url, pool_size=size, max_overflow=size, **_pg_pool(settings), **_JSON)
    _ping_when_idle(engine)
    return engine


def make_async_engine(settings: Settings, *, autocommit: bool = False) -> AsyncEngine:
    """Create a PostgreSQL engine on psycopg's asyncio connection, for the event loop.

    The options of ``make_engine`` (pool timeout, the ping of idle connections, UTC sessions,
    orjson), without overflow connections. Code written for a synchronous Session or
    Connection runs on it unchanged through ``run_sync`` (each statement a non-blocking wait
    on the loop: ``runtime.PooledRuntime``). ``autocommit``: every statement commits on its
    own (the loop's reads)."""
    url = normalise_url(settings.database_url)
    size = settings.pool_size
    # The mark lets ``prepared`` run its statements on these connections' driver.
    options: dict[str, Any] = (
        {"isolation_level": "AUTOCOMMIT", "execution_options": {AUTOCOMMIT: True}}
        if autocommit
        else {}
    )
    # No overflow: on the loop a burst of requests would open (and on return close) a
    # connection each beyond the pool, a connect per request; they wait for a pooled one.
    engine = create_async_engine(
        url, pool_size=size, max_overflow=0, **_pg_pool(settings), **options, **_JSON
    )
    _ping_when_idle(engine.sync_engine)
    return engine


def _pg_pool(settings: Settings) -> dict[str, Any]:
    """The pool's options and each connection's settings, for every PostgreSQL engine."""
    # lock_timeout: a statement waiting for a lock (a table locked by a migration or by hand,
    # a row another transaction holds) is refused after CLAIMS_PG_LOCK_TIMEOUT_MS, as SQLite's
    # busy timeout refuses a writer, instead of holding its request for as long as the lock
    # lasts. It bounds lock waits only: no statement_timeout, since a large export or a
    # filtered list may rightly run longer, and the long-polls wait in the change hub, never
    # in a statement.
    options = f"-c timezone=UTC -c lock_timeout={settings.pg_lock_timeout_ms}"
    return {"pool_timeout": 10, "connect_args": {"connect_timeout": 5, "options": options}}


# A pooled PostgreSQL connection idle this long is pinged before it is handed out (it may
# have been closed by a restart or an idle timeout meanwhile). One used more recently is not:
# SQLAlchemy's pre-ping on every checkout was one round trip more per write and per read,
# ~55 µs of CPU each (bench/README.md, thirteenth session). A connection lost within this
# window fails its statement; SQLAlchemy then invalidates the whole pool, and the request
# gets a 503 it can retry.
PING_AFTER_IDLE_S = 2.0
_IDLE_SINCE = "claims_idle_since"


def _ping_when_idle(engine: Engine) -> None:
    @sa_event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @sa_event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_S:
            return  # new, or used moments ago
        try:
            cursor = dbapi_conn.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        except Exception as exc:
            # The pool drops this connection and hands out (or opens) another.
            raise sa.exc.DisconnectionError(str(exc)) from exc


def json_text(value: Any) -> str:
    """``value`` as the JSON text a JSON column stores."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


# JSON columns (a claim's topics, an event's changes and evidence, a key's stored answer) are
# written and read on every write: orjson does each in a fraction of the standard library's
# time (~25 µs of a status change's ~500). Non-string keys become strings, as json.dumps does.
_JSON: dict[str, Any] = {"json_serializer": json_text, "json_deserializer": orjson.loads}


# SQLite reads the database file through a memory map of up to this many bytes instead of a
# read() per page: a claim read by a random id misses SQLite's own page cache and cost ~11 µs
# of system time in those reads (bench/README.md, fifteenth session). The map shares the
# operating system's file cache: it reserves address space, not memory.
MMAP_BYTES = 1 << 30


def _unicode_lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


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
        cursor.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        cursor.close()
        # SQLite's lower() folds ASCII only: "Ärger" never matched "ärger". The same folding
        # as Python's, for case-insensitive filters (``listing.folded``).
        dbapi_conn.create_function("unicode_lower", 1, _unicode_lower, deterministic=True)

    @sa_event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        options = conn.get_execution_options()
        if options.get(AUTOCOMMIT, False):
            return  # each statement its own transaction, as sqlite3 runs it with no BEGIN
        if conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            return  # begun on the driver (``transaction`` on the writer's own connection)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("claims_write", False) else "BEGIN")


# An execution option: the connection runs each statement in a transaction of its own (the
# loop's reader: single-statement reads, which PostgreSQL runs in AUTOCOMMIT too).
AUTOCOMMIT = "claims_autocommit"


def autocommit(conn: sa.Connection) -> bool:
    """Tell whether each statement on ``conn`` commits on its own (no transaction to share)."""
    options = conn.get_execution_options()
    return options.get(AUTOCOMMIT, False) or options.get("isolation_level") == "AUTOCOMMIT"


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


def writer_lock(engine: Engine) -> threading.RLock | None:
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


def driver_error(
    exc: Exception, sql: str, parameters: Any, dialect: sa.Dialect, driver: Any, cursor: Any = None
) -> DBAPIError:
    """A driver's error as SQLAlchemy's (IntegrityError, OperationalError …, a lost connection
    marked so), as ``session.execute`` raises it: for statements run on the driver itself
    (``prepared``, the inline writer's BEGIN and COMMIT), so callers classify them as before."""
    return DBAPIError.instance(
        sql,
        parameters,
        exc,
        dialect.loaded_dbapi.Error,
        connection_invalidated=dialect.is_disconnect(exc, driver, cursor),
        dialect=dialect,
    )


def lost_connection(exc: DBAPIError) -> bool:
    if exc.connection_invalidated:
        return True
    # A statement refused for waiting too long was answered: its connection is fine.
    return not timed_out(exc) and isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError)


# PostgreSQL's lock_not_available (lock_timeout, CLAIMS_PG_LOCK_TIMEOUT_MS) and query_canceled
# (statement_timeout, or a cancel request): psycopg raises both as OperationalError.
_TIMED_OUT_STATES = frozenset({"55P03", "57014"})


def timed_out(exc: BaseException) -> bool:
    """Whether PostgreSQL refused a statement because it waited too long (for a lock)."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in _TIMED_OUT_STATES


def missing_schema(exc: BaseException) -> bool:
    """Whether the database answered but lacks a table or column the tracker uses (never
    migrated, or migrated by an older release, or downgraded under a running server)."""
    orig = getattr(exc, "orig", None)
    # PostgreSQL's undefined_table and undefined_column; SQLite says it in words.
    if getattr(orig, "sqlstate", None) in ("42P01", "42703"):
        return True
    return isinstance(exc, DBAPIError) and str(orig).startswith(("no such table", "no such column"))


def unavailable_from(exc: BaseException) -> Unavailable | None:
    """Classify a database exception: a lock, a timeout, a lost server or a schema this
    release does not find becomes Unavailable."""
    if isinstance(exc, PoolTimeout):
        return Unavailable("the database is busy; try again shortly", retry_after=2)
    if missing_schema(exc):
        return Unavailable(
            "the database's tables are missing or older than this release; an operator must "
            "run `claims db upgrade`",
            retry_after=30,
        )
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
