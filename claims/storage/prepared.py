"""Hot single-row SELECTs run on the driver's cursor, typed by SQLAlchemy's own processors.

A claim read by id is one indexed row, yet SQLAlchemy's execution machinery (execution
context, cache key, result metadata, events) cost three times what SQLite spends finding the
row (bench/README.md, eighth session). ``Prepared`` keeps the statement as SQLAlchemy builds
it, compiles it once per dialect, and at run time hands the SQL to the DBAPI cursor of the
caller's connection: the same SQL, the same bind and result processors (so a datetime or a
JSON column comes back exactly as through ``Connection.execute``), none of the per-call
set-up. Driver errors are raised as SQLAlchemy's, so callers classify them as before.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class _Plan:
    """One statement compiled for one dialect, with its processors."""

    def __init__(self, stmt: sa.Select, dialect: Dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.sql = compiled.string
        self.names = compiled.positiontup if compiled.positional else None
        self.binds: dict[str, Callable[[Any], Any]] = {
            k: v for k, v in (compiled._bind_processors or {}).items() if v is not None
        }
        columns = compiled._result_columns
        self.row = _row_class([c.keyname for c in columns])
        self.results: list[tuple[int, Callable[[Any], Any]]] = []
        for i, column in enumerate(columns):
            process = column.type._cached_result_processor(dialect, None)
            if process is not None:
                self.results.append((i, process))

    def parameters(self, params: Mapping[str, Any]) -> Any:
        binds = self.binds
        values = {k: binds[k](v) if k in binds else v for k, v in params.items()}
        return [values[n] for n in self.names] if self.names is not None else values


def _row_class(names: list[str]) -> type:
    base = namedtuple("Row", names)

    class Row(base):  # type: ignore[misc,valid-type]
        """A result row: attributes, ``_asdict``, ``_fields`` and ``_mapping`` like
        SQLAlchemy's."""

        __slots__ = ()

        @property
        def _mapping(self) -> dict[str, Any]:
            return self._asdict()

    return Row


class Prepared:
    """A SELECT of at most one row, run on the connection's driver cursor (see the module)."""

    def __init__(self, stmt: sa.Select) -> None:
        self._stmt = stmt
        self._plans: dict[str, _Plan] = {}

    def first(self, conn: sa.Connection, params: Mapping[str, Any]) -> Any:
        """Run the statement on ``conn`` and return its first row, or None."""
        dialect = conn.dialect
        plan = self._plans.get(dialect.name)
        if plan is None:
            plan = self._plans[dialect.name] = _Plan(self._stmt, dialect)
        driver = conn.connection.dbapi_connection
        assert driver is not None
        cursor = driver.cursor()
        parameters = plan.parameters(params)
        try:
            cursor.execute(plan.sql, parameters)
            row = cursor.fetchone()
        except dialect.loaded_dbapi.Error as exc:
            raise sa.exc.DBAPIError.instance(
                plan.sql,
                parameters,
                exc,
                dialect.loaded_dbapi.Error,
                connection_invalidated=dialect.is_disconnect(exc, driver, cursor),
                dialect=dialect,
            ) from exc
        finally:
            cursor.close()
        if row is None:
            return None
        if plan.results:
            row = list(row)
            for i, process in plan.results:
                row[i] = process(row[i])
        return plan.row._make(row)
