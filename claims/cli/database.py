"""Database commands: schema migrations, seeds, the history check, SQLite backups."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from claims.cli import transparency as log_cli
from claims.cli.base import (
    EXIT_BROKEN_HISTORY,
    app,
    db_app,
    errors_to_exit,
    fail,
    load_settings,
    open_engine,
)


@db_app.command("upgrade")
@errors_to_exit
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    from claims import migrate

    engine = open_engine()
    with _known_revision(revision):
        migrate.upgrade(engine, revision)
    typer.echo(f"database at revision {migrate.current_revision(engine)}")


@db_app.command("downgrade")
@errors_to_exit
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision; 'base' drops every table.")],
) -> None:
    """Migrate the database down to REVISION."""
    from claims import migrate

    engine = open_engine()
    with _known_revision(revision):
        migrate.downgrade(engine, revision)
    typer.echo(f"database at revision {migrate.current_revision(engine) or 'base'}")


@contextmanager
def _known_revision(revision: str) -> Iterator[None]:
    """Turn Alembic's refusal of a revision it does not know into a usage error (exit 2)."""
    from alembic.util import CommandError

    try:
        yield
    except CommandError as exc:
        raise fail(
            f"revision {revision!r}: {exc}; `claims db current` shows where it is", 2
        ) from None


@db_app.command("current")
@errors_to_exit
def db_current() -> None:
    """Print the revision the database is at."""
    from claims import migrate

    typer.echo(migrate.current_revision(open_engine()) or "base (empty database)")


SeedsOption = Annotated[
    Path | None, typer.Option("--file", help="Seeds file (default: the shipped seeds/claims.yaml).")
]


@app.command("seed")
@errors_to_exit
def seed(file: SeedsOption = None) -> None:
    """Load the curated seed claims; claims already present (same slug) are left as they are."""
    from sqlmodel import Session

    from claims import seeding

    path = file or seeding.default_seeds_dir() / "claims.yaml"
    try:
        seeds = seeding.load_seeds(path)
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror or exc}", 2) from None
    engine = open_engine()
    with Session(engine) as session:
        created = seeding.seed(session, seeds)
    typer.echo(f"seeded {created} new claim(s); {len(seeds.claims) - created} already present")


@app.command("verify")
@errors_to_exit
def verify(
    checkpoint: log_cli.CheckpointOption = None, public_key: log_cli.PublicKeyOption = None
) -> None:
    """Check every claim, its evidence and the seqs against the history; exit 4 naming the
    first bad thing (docs/history.md says what is checked).

    With --checkpoint FILE, also check that the log still extends that saved checkpoint.
    """
    from claims import verify

    report = verify.verify_database(open_engine())
    if report.bad is not None:
        raise fail(str(report.bad), EXIT_BROKEN_HISTORY)
    typer.echo(
        f"every history chain verifies, and the {report.claims} claim(s) and their evidence "
        f"match their {report.events} event(s)"
    )
    if report.unsnapshotted:
        typer.echo(
            f"note: {report.unsnapshotted} claim(s) were created before the created event "
            "recorded every field; their fields never edited since cannot be checked"
        )
    if checkpoint is not None:
        log_cli.check_checkpoint_file(checkpoint, public_key)


@app.command("backup")
@errors_to_exit
def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy (replaced if it exists).")],
) -> None:
    """Copy the live SQLite database consistently to FILE, while the server keeps writing.

    On PostgreSQL it refuses and names pg_dump and `claims export` instead (exit 2).
    """
    from claims import backup as backups

    try:
        copied = backups.backup(load_settings(), file)
    except backups.NotSQLite as exc:
        raise fail(exc.detail, 2) from None
    except OSError as exc:
        raise fail(f"cannot write {file}: {exc.strerror or exc}", 2) from None
    typer.echo(f"backed up to {file} ({copied.size} bytes) up to seq {copied.seq}")


@app.command("restore")
@errors_to_exit
def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `claims backup`.")],
) -> None:
    """Copy a backup into the (empty) SQLite database of CLAIMS_DATABASE_URL, then migrate it.

    Refuses a database that holds anything (exit 1). Stop servers on that database first.
    """
    from claims import backup as backups

    try:
        copied = backups.restore(load_settings(), file)
    except backups.NotSQLite as exc:
        raise fail(exc.detail, 2) from None
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}", 2) from None
    typer.echo(f"restored {file} up to seq {copied.seq}; check it with `claims verify`")
