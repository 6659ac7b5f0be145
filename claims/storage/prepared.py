"""Hot statements run on the driver's cursor, typed by SQLAlchemy's own processors.

A claim read by id is one indexed row, and a status change five short statements, yet
SQLAlchemy's execution machinery (execution context, cache key, result metadata, events, the
Session's bookkeeping) cost two to three times what the database spends on them
(bench/README.md, eighth session). ``Prepared`` keeps each statement as SQLAlchemy builds it,
compiles it once per dialect, and at run time hands the SQL to the DBAPI cursor of the
caller's connection: the same SQL, the same bind and result processors (a datetime or a JSON
column goes in and comes back exactly as through ``execute``), none of the per-call set-up.

It runs there only where that changes nothing else: on a connection in autocommit (the loop's
reader) and inside ``units.transaction``, which records its connection's driver (``bind``);
anywhere else the statement goes through SQLAlchemy as usual. Driver errors are raised as
SQLAlchemy's (IntegrityError, OperationalError …), so callers classify them as before.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Session

from claims.storage.engine import autocommit, driver_error
from claims.storage.units import DRIVER_KEY


class _Plan:
    """One statement compiled for one dialect, with its processors."""

    def __init__(self, stmt: sa.Executable, dialect: Dialect, keys: Sequence[str] | None) -> None:
        compiled = stmt.compile(dialect=dialect, column_keys=list(keys) if keys else None)
        self.sql = compiled.string
        self.names = compiled.positiontup if compiled.positional else None
        self.binds: dict[str, Callable[[Any], Any]] = {
            k: v for k, v in (compiled._bind_processors or {}).items() if v is not None
        }
        # Values the statement carries itself (a LIMIT 1 is a bound parameter too).
        self.defaults = {
            name: bind.effective_value
            for name, bind in compiled.binds.items()
            if not bind.required and bind.callable is None
        }
        columns = compiled._result_columns
        self.row = row_type([c.keyname for c in columns]) if columns else None
        self.results: list[tuple[int, Callable[[Any], Any]]] = []
        for i, column in enumerate(columns):
            process = column.type._cached_result_processor(dialect, None)
            if process is not None:
                self.results.append((i, process))

    def shape(self, row: Sequence[Any]) -> Any:
        """A driver's row as SQLAlchemy would return it: its values through the result
        processors, as a ``Row`` with the statement's column names."""
        if self.results:
            row = list(row)
            for i, process in self.results:
                row[i] = process(row[i])
        # The tuple's own constructor: ``_make`` checks the length, which the statement fixes.
        return tuple.__new__(self.row, row)  # type: ignore[type-var]

    def parameters(self, params: Mapping[str, Any]) -> Any:
        binds = self.binds
        given = {**self.defaults, **params} if self.defaults else params
        values = {k: binds[k](v) if k in binds else v for k, v in given.items()} if binds else given
        return [values[n] for n in self.names] if self.names is not None else values


def row_type(names: list[str]) -> type:
    """The class of the rows ``Prepared`` returns, for rows with these column names."""
    base = namedtuple("Row", names, rename=True)

    class Row(base):  # type: ignore[misc,valid-type]
        """A result row: attributes, ``_asdict``, ``_fields`` and ``_mapping`` like
        SQLAlchemy's."""

        __slots__ = ()

        @property
        def _mapping(self) -> dict[str, Any]:
            return self._asdict()

    return Row


class Prepared:
    """A statement run on the caller's driver connection where it may be (see the module).

    ``keys`` are the columns an INSERT or UPDATE sets, when the statement does not name them.
    """

    def __init__(self, stmt: sa.Executable, keys: Sequence[str] | None = None) -> None:
        self.statement = stmt
        self._keys = keys
        self._plans: dict[str, _Plan] = {}

    def first(self, db: Session | sa.Connection, params: Mapping[str, Any]) -> Any:
        """Run the statement and return its first row (SELECT, or RETURNING), or None."""
        driver = _driver(db)
        if driver is None:
            return db.execute(self.statement, params).first()
        connection, dialect = driver
        plan = self._plan(dialect)
        row = self._run(plan, connection, dialect, plan.parameters(params), fetch=True)
        return None if row is None else plan.shape(row)

    def all(self, db: Session | sa.Connection, params: Mapping[str, Any]) -> list[Any]:
        """Run the statement and return all its rows."""
        driver = _driver(db)
        if driver is None:
            return list(db.execute(self.statement, params).all())
        connection, dialect = driver
        plan = self._plan(dialect)
        rows = self._run(plan, connection, dialect, plan.parameters(params), fetch_all=True)
        return [plan.shape(row) for row in rows]

    def execute(self, db: Session | sa.Connection, params: Mapping[str, Any]) -> None:
        """Run the statement for its effect."""
        driver = _driver(db)
        if driver is None:
            db.execute(self.statement, params)
            return
        connection, dialect = driver
        plan = self._plan(dialect)
        self._run(plan, connection, dialect, plan.parameters(params), fetch=False)

    def execute_many(self, db: Session | sa.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run the statement once per parameter set, in one call of the driver."""
        driver = _driver(db)
        if driver is None:
            db.execute(self.statement, list(rows))
            return
        connection, dialect = driver
        plan = self._plan(dialect)
        self._run(plan, connection, dialect, [plan.parameters(r) for r in rows], many=True)

    def _plan(self, dialect: Dialect) -> _Plan:
        plan = self._plans.get(dialect.name)
        if plan is None:
            plan = self._plans[dialect.name] = _Plan(self.statement, dialect, self._keys)
        return plan

    @staticmethod
    def _run(
        plan: _Plan,
        connection: Any,
        dialect: Dialect,
        parameters: Any,
        *,
        fetch: bool = False,
        fetch_all: bool = False,
        many: bool = False,
    ) -> Any:
        cursor = connection.cursor()
        try:
            if many:
                cursor.executemany(plan.sql, parameters)
                return None
            cursor.execute(plan.sql, parameters)
            if fetch_all:
                return cursor.fetchall()
            return cursor.fetchone() if fetch else None
        except dialect.loaded_dbapi.Error as exc:
            raise driver_error(exc, plan.sql, parameters, dialect, connection, cursor) from exc
        finally:
            cursor.close()


def _driver(db: Session | sa.Connection) -> tuple[Any, Dialect] | None:
    """The driver connection and dialect to run on, or None for SQLAlchemy's way."""
    if isinstance(db, Session):
        return db.info.get(DRIVER_KEY)
    if autocommit(db):
        return db.connection.dbapi_connection, db.dialect
    return None
