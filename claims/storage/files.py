"""SQLite files as wholes: the online backup copy, integrity checks, "is there a schema at all".

Used by ``claims.backup``; plain ``sqlite3`` connections, since SQLite's backup API copies
pages between two connections and has no SQLAlchemy counterpart.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

HEADER = b"SQLite format 3\x00"


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def copy_sqlite(source: Path, target: Path, *, busy_timeout_ms: int, journal_mode: str) -> None:
    """Copy every page of ``source`` over ``target`` in one step, i.e. from one snapshot.

    In WAL mode the copy reads one snapshot while writers go on; ``journal_mode`` is then set
    on the copy (DELETE: one self-contained file; WAL: ready to serve).
    """
    with _connect(source) as src, _connect(target) as dst:
        src.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        src.backup(dst)  # pages=-1: all at once, so never restarted by a concurrent write
        dst.execute(f"PRAGMA journal_mode={journal_mode}")


def looks_like_sqlite(path: Path) -> bool:
    """Tell whether the file starts with SQLite's header."""
    with path.open("rb") as f:
        return f.read(len(HEADER)) == HEADER


def integrity_problem(path: Path) -> str | None:
    """SQLite's quick check of a file: None when it is sound, else what it found."""
    with _connect(path) as conn:
        found = conn.execute("PRAGMA quick_check").fetchone()
    return None if found and found[0] == "ok" else str(found[0] if found else "no answer")


def has_schema_version(path: Path) -> bool:
    """Tell whether the file holds Alembic's version table (a tracker database does)."""
    with _connect(path) as conn:
        return bool(
            conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
        )


def has_tables(session: Session) -> bool:
    """Tell whether the database has any table at all."""
    return bool(sa.inspect(session.connection()).get_table_names())
