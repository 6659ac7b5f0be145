"""The unit of work: ``transaction(session)``, the one place that commits.

On SQLite a write transaction starts with ``BEGIN IMMEDIATE`` so writers queue instead of
failing on a lock upgrade (the threads of one process on a lock of their own, other
processes on the busy timeout). What a unit keeps until it commits (its seqs, its driver
connection, the writes it leaves for last) and who hears of its commit live here too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from claims.storage.engine import driver_error, writer_lock

# Where a write transaction keeps the seqs it took (``sequence.next_seq``) until it commits.
SEQ_KEY = "claims_seq"
# Where it keeps a seq taken ahead for its next ``next_seq`` (``update_claim(take_seq=True)``).
RESERVED_SEQ_KEY = "claims_reserved_seq"
# Where it keeps its connection's driver connection and dialect (``prepared``).
DRIVER_KEY = "claims_driver"
# Where it keeps what runs just before it commits (``before_commit``).
BEFORE_COMMIT_KEY = "claims_before_commit"


# Called with the engine and the seqs of each write transaction this process commits: the
# change hub, and ``sequence.announce`` which tells the other processes.
_commit_listeners: list[Callable[[Engine, list[int]], None]] = []


def add_commit_listener(listener: Callable[[Engine, list[int]], None]) -> None:
    """Call ``listener(engine, seqs)`` after each write transaction of this process that took
    seqs commits (``seqs`` in the order taken)."""
    _commit_listeners.append(listener)


def remove_commit_listener(listener: Callable[[Engine, list[int]], None]) -> None:
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
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, sa.Connection) else bind
    lock = writer_lock(engine)  # type: ignore[arg-type]
    with lock if lock is not None else contextlib.nullcontext():
        if isinstance(bind, sa.Connection) and lock is not None and not bind.in_transaction():
            unit = _on_the_driver(session, bind)
        else:
            unit = _in_the_session(session)
        with unit:
            yield session
    seqs = session.info.pop(SEQ_KEY, None)
    if seqs:
        for listener in list(_commit_listeners):
            listener(engine, seqs)  # type: ignore[arg-type]


@contextmanager
def _in_the_session(session: Session) -> Iterator[None]:
    conn = session.connection(execution_options={"claims_write": True})
    # The hot statements of the unit of work run on this driver connection (``prepared``).
    session.info[DRIVER_KEY] = (conn.connection.dbapi_connection, conn.dialect)
    try:
        yield
        _before_commit(session)
        session.commit()
    except BaseException:
        session.info.pop(SEQ_KEY, None)
        session.rollback()
        raise
    finally:
        session.info.pop(DRIVER_KEY, None)
        session.info.pop(BEFORE_COMMIT_KEY, None)
        session.info.pop(RESERVED_SEQ_KEY, None)


@contextmanager
def _on_the_driver(session: Session, conn: sa.Connection) -> Iterator[None]:
    """The transaction of SQLite's inline writer, on its own connection, begun and ended on
    the driver: the Session's and the Connection's bookkeeping for a begin and a commit cost
    a status change about as much as SQLite's own commit (bench/README.md, twelfth session).
    A statement run through the Session meanwhile (not ``prepared``) makes it begin its own
    transaction over this one (``_on_begin`` sends no second BEGIN); it is then ended
    through the Session, which commits or rolls back the driver's."""
    driver, dialect = conn.connection.dbapi_connection, conn.dialect
    _driver_sql(driver, dialect, "BEGIN IMMEDIATE")
    session.info[DRIVER_KEY] = (driver, dialect)
    try:
        yield
        _before_commit(session)
        if session.in_transaction():
            session.commit()
        else:
            _driver_sql(driver, dialect, "COMMIT")
    except BaseException:
        session.info.pop(SEQ_KEY, None)
        if session.in_transaction():
            session.rollback()
        elif driver.in_transaction:  # type: ignore[union-attr]
            _driver_sql(driver, dialect, "ROLLBACK")
        raise
    finally:
        session.info.pop(DRIVER_KEY, None)
        session.info.pop(BEFORE_COMMIT_KEY, None)
        session.info.pop(RESERVED_SEQ_KEY, None)


W = TypeVar("W", bound=Callable[[Session], None])


def before_commit(session: Session, key: str, make: Callable[[], W]) -> W:
    """The writer registered under ``key`` in the open unit of work, made by ``make()`` on
    first use; each is called with the session at the end of the unit, just before it commits
    (its last statements), and dropped with the unit whether it commits or not.

    For the rows every writer shares (the tally): a row lock taken last is held for the
    commit alone, not for the round trips of the rest of the unit."""
    if DRIVER_KEY not in session.info:
        raise RuntimeError("a write for the end of a unit of work, outside one (transaction)")
    writers = session.info.setdefault(BEFORE_COMMIT_KEY, {})
    writer = writers.get(key)
    if writer is None:
        writer = writers[key] = make()
    return writer


def _before_commit(session: Session) -> None:
    for write in session.info.pop(BEFORE_COMMIT_KEY, {}).values():
        write(session)


def _driver_sql(driver: Any, dialect: sa.Dialect, sql: str) -> None:
    """Run ``sql`` on the driver connection; its errors raised as SQLAlchemy's."""
    try:
        driver.execute(sql)
    except dialect.loaded_dbapi.Error as exc:
        raise driver_error(exc, sql, (), dialect, driver) from exc
