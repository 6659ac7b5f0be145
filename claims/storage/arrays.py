"""Rows as one JSON parameter: the multi-row statements of PostgreSQL's group writes.

A statement that writes many rows takes them as one JSON array of objects, which
``json_to_recordset`` turns back into typed rows; so its text, and its prepared plan, do not
depend on how many rows it carries (``insert_changes``, ``insert_claims``, ``update_claims``,
``insert_keys``, ``finish_keys``). One JSON text, made by orjson in C, replaced an array
parameter per column, which the driver encoded element by element in Python: a fifth of a
server process's CPU under a burst of grouped creates (bench/README.md, eighteenth session).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSON
from sqlalchemy.types import TypeEngine


def as_rows(prefix: str, names: Sequence[str], rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    """The rows' ``names`` columns as the parameter of ``recordset(prefix, …)``."""
    document = [{name: row.get(name) for name in names} for row in rows]
    return {prefix + "rows": orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS).decode()}


def recordset(prefix: str, columns: Sequence[tuple[str, TypeEngine[Any]]]) -> sa.TableValuedAlias:
    """The rows of the parameter ``as_rows(prefix, …)`` makes, as a table of ``columns``
    (name, type), named ``prefix + "rows"``."""
    document = sa.cast(sa.bindparam(prefix + "rows", type_=sa.Text), JSON)
    return (
        sa.func.json_to_recordset(document)
        .table_valued(*[sa.column(name, type_) for name, type_ in columns])
        .render_derived(name=f"{prefix}rows", with_types=True)
    )


def rows_of(table: sa.Table, names: Sequence[str], prefix: str) -> sa.Select:
    """A select of ``table``'s ``names`` columns, typed as the table's, from the parameter
    ``as_rows(prefix, names, …)`` makes (for ``INSERT … FROM SELECT``)."""
    rows = recordset(prefix, [(name, table.c[name].type) for name in names])
    return sa.select(*[rows.c[name] for name in names])
