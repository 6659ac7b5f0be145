"""``claims backup`` and ``claims restore``: a consistent copy of a live SQLite database, and back.

A backup is taken with SQLite's online backup API in a single step: it reads one snapshot
(WAL mode lets writers go on meanwhile), so the copy holds exactly the writes committed up to
one seq, history hashes included. It is written beside its target, checked, switched out of
WAL into one self-contained file, and renamed into place. Tokens and idempotency keys are in
it too: it is the whole database.

``restore`` copies a backup into the database of CLAIMS_DATABASE_URL, only when that one is
empty (no claim, source, event, seq or token), then migrates it to the newest schema. No
server may be using that database meanwhile. On PostgreSQL both refuse and name the right
tools: ``pg_dump`` / ``pg_restore``, or the portable ``claims export`` / ``claims import``.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from claims import migrate, storage
from claims.config import Settings
from claims.errors import ClaimsError
from claims.storage import files


class BackupRefused(ClaimsError):
    """A backup or restore that cannot be done as asked (the detail says why and what instead)."""


class NotSQLite(BackupRefused):
    """The configured database is not SQLite: use PostgreSQL's own tools."""


@dataclass(frozen=True)
class Copied:
    """What a backup or restore copied: the last seq it holds and its size in bytes."""

    seq: int
    size: int


def sqlite_path(settings: Settings) -> Path:
    """The file of the configured SQLite database. Raises NotSQLite."""
    url = storage.normalise_url(settings.database_url)
    if url.get_backend_name() != "sqlite":
        raise NotSQLite(
            "claims backup and claims restore copy SQLite files; this database is PostgreSQL. "
            "Back it up with pg_dump (pg_dump -Fc -f claims.dump DBNAME; restore with "
            "pg_restore -d DBNAME claims.dump), or take a portable copy with "
            "`claims export --out FILE` and load it with `claims import FILE`."
        )
    return Path(url.database or "")


def backup(settings: Settings, target: Path) -> Copied:
    """Copy the live SQLite database to ``target`` consistently. Raises NotSQLite, BackupRefused."""
    source = sqlite_path(settings)
    if not source.is_file():
        raise BackupRefused(f"there is no database file at {source}")
    if target.exists() and target.resolve() == source.resolve():
        raise BackupRefused("the backup must go to another file than the database itself")
    if not target.parent.is_dir():  # SQLite would say only "unable to open database file"
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(target.parent))
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        files.copy_sqlite(
            source,
            partial,
            busy_timeout_ms=settings.sqlite_busy_timeout_ms,
            journal_mode="DELETE",
        )
        problem = files.integrity_problem(partial)
        if problem is not None:
            raise BackupRefused(f"the copy failed SQLite's integrity check: {problem}")
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Copied(_seq_of(target), target.stat().st_size)


def restore(settings: Settings, source: Path) -> Copied:
    """Copy the backup ``source`` into the configured, empty database and migrate it.

    Raises NotSQLite, FileNotFoundError, BackupRefused (not a tracker backup, or the database
    is not empty).
    """
    target = sqlite_path(settings)
    if not source.is_file():
        raise FileNotFoundError(errno.ENOENT, "no such file", str(source))
    if not files.looks_like_sqlite(source):
        raise BackupRefused(f"{source} is not an SQLite database")
    if target.exists() and target.resolve() == source.resolve():
        raise BackupRefused("the backup and the database are the same file")
    problem = files.integrity_problem(source)
    if problem is not None:
        raise BackupRefused(f"{source} failed SQLite's integrity check: {problem}")
    if not files.has_schema_version(source):
        raise BackupRefused(f"{source} is not a claim tracker database (no schema version)")
    _ensure_empty(settings, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    files.copy_sqlite(
        source, target, busy_timeout_ms=settings.sqlite_busy_timeout_ms, journal_mode="WAL"
    )
    engine = storage.make_engine(settings, pool_size=1)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    return Copied(_seq_of(target), target.stat().st_size)


def _ensure_empty(settings: Settings, target: Path) -> None:
    if not target.exists() or target.stat().st_size == 0:
        return
    engine = storage.make_engine(settings, pool_size=1)
    try:
        with Session(engine) as session:
            if not files.has_tables(session):
                return
            if (
                migrate.current_revision(engine) is not None
                and storage.is_empty(session)
                and not storage.list_tokens(session)
            ):
                return
    finally:
        engine.dispose()
    raise BackupRefused(
        f"the database at {target} is not empty; restore only into an empty database "
        "(point CLAIMS_DATABASE_URL at a new file)"
    )


def _seq_of(path: Path) -> int:
    engine = storage.make_engine(Settings(database_url=f"sqlite:///{path}"), pool_size=1)
    try:
        with Session(engine) as session:
            return storage.latest_seq(session)
    finally:
        engine.dispose()
