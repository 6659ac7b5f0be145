"""Rows as JSON records: to store a result and give it back later, as idempotent creates do."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row


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
