"""Rows as arrays: the multi-row statements of PostgreSQL's group writes.

A statement that writes or reads many rows takes each column as one array parameter, which
``unnest`` turns back into rows; so its text, and its prepared plan, do not depend on how many
rows it carries (``insert_changes``, ``insert_claims``, ``insert_keys``, ``finish_keys``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from claims.storage.engine import json_text


def json_columns(table: sa.Table) -> frozenset[str]:
    """The names of ``table``'s JSON columns."""
    return frozenset(c.name for c in table.c if isinstance(c.type, sa.JSON))


def as_arrays(
    table: sa.Table, prefix: str, names: Sequence[str], rows: Sequence[dict[str, Any]]
) -> dict[str, list[Any]]:
    """The rows as one array per column (``unnested``'s parameters), named ``prefix + column``;
    JSON values as their text (see ``unnested``)."""
    json = json_columns(table)
    arrays = {prefix + name: [row.get(name) for row in rows] for name in names}
    for name in names:
        if name in json:
            arrays[prefix + name] = [json_text(v) for v in arrays[prefix + name]]
    return arrays


def unnested(table: sa.Table, names: Sequence[str], prefix: str) -> sa.Select:
    """The rows of ``table``'s ``names`` columns, given as one array parameter per column.

    A JSON column's array is of text, each cast to JSON in the select: the driver writes a
    list of JSON values as an array literal PostgreSQL cannot read."""
    json = json_columns(table)
    types = {c: sa.Text() if c in json else table.c[c].type for c in names}
    arrays = sa.func.unnest(
        *[sa.bindparam(prefix + c, type_=ARRAY(types[c])) for c in names]
    ).table_valued(*[sa.column(c, types[c]) for c in names])
    rows = arrays.render_derived(name=f"{prefix}rows")
    return sa.select(
        *[sa.cast(rows.c[c], table.c[c].type).label(c) if c in json else rows.c[c] for c in names]
    )
