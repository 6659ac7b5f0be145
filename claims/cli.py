"""The ``claims`` command: database, seeds, server, tokens, history checks and extraction.

Commands call services and print; they never hold rules of their own. This module is the only
place that knows exit codes: 0 ok, 1 refused by a rule (the message says which), 2 wrong usage,
3 the database cannot be reached or used, 4 ``verify`` found a broken history.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
import uvicorn
import yaml
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session

from claims import backup as backups
from claims import logs, migrate, seeding, services, storage, tokens
from claims.clock import iso, today
from claims.config import Settings
from claims.errors import ClaimsError
from claims.extract import apply as extraction
from claims.interop import export as interop_export
from claims.interop import importer, terminal
from claims.models import ExtractRequest, error_message
from claims.status import Role

app = typer.Typer(
    help="Track forward-looking claims: their status, evidence and public history.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Create, upgrade or downgrade the database schema.", no_args_is_help=True)
token_app = typer.Typer(help="Issue, revoke and list access tokens.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(token_app, name="token")

EXIT_REFUSED, EXIT_DATABASE, EXIT_BROKEN_HISTORY = 1, 3, 4

P = ParamSpec("P")
R = TypeVar("R")


def _fail(message: str, code: int) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def _errors_to_exit(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn domain and database errors into one paragraph on stderr and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except storage.DatabaseUrlError as exc:
            raise _fail(exc.detail, EXIT_DATABASE) from None
        except ClaimsError as exc:
            raise _fail(exc.detail, EXIT_REFUSED) from None
        except (DBAPIError, PoolTimeout) as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise _fail(
                f"the database at {_safe_url()} cannot be used: {reason}. Check "
                "CLAIMS_DATABASE_URL and that the server is running.",
                EXIT_DATABASE,
            ) from None

    return wrapper


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        raise _fail(f"invalid setting: {exc}", 2) from None


def _safe_url() -> str:
    try:
        return storage.normalise_url(Settings().database_url).render_as_string(hide_password=True)
    except (ClaimsError, ValueError):
        return "CLAIMS_DATABASE_URL"


def _engine() -> Engine:
    return storage.make_engine(_settings(), pool_size=1)


# ---------------------------------------------------------------------------------------------
# db


@db_app.command("upgrade")
@_errors_to_exit
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    engine = _engine()
    migrate.upgrade(engine, revision)
    typer.echo(f"database at revision {migrate.current_revision(engine)}")


@db_app.command("downgrade")
@_errors_to_exit
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision; 'base' drops every table.")],
) -> None:
    """Migrate the database down to REVISION."""
    engine = _engine()
    migrate.downgrade(engine, revision)
    typer.echo(f"database at revision {migrate.current_revision(engine) or 'base'}")


@db_app.command("current")
@_errors_to_exit
def db_current() -> None:
    """Print the revision the database is at."""
    typer.echo(migrate.current_revision(_engine()) or "base (empty database)")


# ---------------------------------------------------------------------------------------------
# seed, verify


SeedsOption = Annotated[
    Path | None, typer.Option("--file", help="Seeds file (default: the shipped seeds/claims.yaml).")
]


@app.command("seed")
@_errors_to_exit
def seed(file: SeedsOption = None) -> None:
    """Load the curated seed claims; claims already present (same slug) are left as they are."""
    seeds = seeding.load_seeds(file or seeding.default_seeds_dir() / "claims.yaml")
    engine = _engine()
    with Session(engine) as session:
        created = seeding.seed(session, seeds)
    typer.echo(f"seeded {created} new claim(s); {len(seeds.claims) - created} already present")


@app.command("verify")
@_errors_to_exit
def verify() -> None:
    """Recompute every claim's history hash chain; exit 4 naming the first bad event."""
    with Session(_engine()) as session:
        bad = services.verify_history(session)
    if bad is not None:
        raise _fail(
            f"history of claim {bad.claim_id} is broken at event seq {bad.seq}: {bad.reason}",
            EXIT_BROKEN_HISTORY,
        )
    typer.echo("every history chain verifies")


# ---------------------------------------------------------------------------------------------
# serve


@app.command("serve")
@_errors_to_exit
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
    seed_empty: Annotated[
        bool, typer.Option("--seed/--no-seed", help="Load the seed claims into an empty database.")
    ] = True,
    access_log: Annotated[
        bool,
        typer.Option(
            help="Log one line per request on standard error (CLAIMS_LOG_FORMAT: text or json)."
        ),
    ] = True,
) -> None:
    """Migrate the database, seed it if empty, and serve the API and the board.

    Behind a reverse proxy, set CLAIMS_FORWARDED_ALLOW_IPS to the proxy's address so that its
    X-Forwarded-Proto and X-Forwarded-For are believed (docs/deploy.md).
    """

    settings = _settings()
    engine = storage.make_engine(settings, pool_size=1)
    migrate.upgrade(engine)
    if seed_empty:
        with Session(engine) as session:
            if storage.count_claims(session) == 0:
                seeds = seeding.load_seeds(seeding.default_seeds_dir() / "claims.yaml")
                seeding.seed(session, seeds)
    engine.dispose()
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
    typer.echo(f"Claim tracker: open http://{shown}:{port}/  (API docs at /docs; Ctrl+C stops)")
    sys.stdout.flush()
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # ours (claims.access) replaces uvicorn's: route, token name, id
        log_config=logs.uvicorn_config(settings.log_format, access=access_log),
        log_level="warning",
        # X-Forwarded-* are judged by the app (api.forwarded) against the proxy's own address,
        # which uvicorn's proxy handling would already have replaced by the client's.
        proxy_headers=False,
        timeout_graceful_shutdown=5,
    )


# ---------------------------------------------------------------------------------------------
# tokens


@token_app.command("create")
@_errors_to_exit
def token_create(
    name: Annotated[str, typer.Option(help="Who or what uses the token (unique).")],
    role: Annotated[Role, typer.Option(help="What the token may do.")],
) -> None:
    """Issue a token; it is printed once, alone on the last line."""
    with Session(_engine()) as session:
        _row, secret = tokens.create_token(session, name, role, by=tokens.OPERATOR)
    typer.echo(f"token {name!r} ({role.value}) created; it is shown only now:")
    typer.echo(secret)


@token_app.command("revoke")
@_errors_to_exit
def token_revoke(name: Annotated[str, typer.Option(help="The token's name.")]) -> None:
    """Revoke a token at once."""
    with Session(_engine()) as session:
        tokens.revoke_token(session, name, by=tokens.OPERATOR)
    typer.echo(f"token {name!r} revoked")


@token_app.command("list")
@_errors_to_exit
def token_list() -> None:
    """List tokens: name, role, created, last used, revoked (never the secret)."""
    with Session(_engine()) as session:
        rows = tokens.list_tokens(session, by=tokens.OPERATOR)
    typer.echo(f"{'NAME':<24} {'ROLE':<9} {'CREATED':<28} {'LAST USED':<28} REVOKED")
    for r in rows:
        last = iso(r.last_used_at) if r.last_used_at else "-"
        revoked = iso(r.revoked_at) if r.revoked_at else "-"
        typer.echo(f"{r.name:<24} {r.role:<9} {iso(r.created_at):<28} {last:<28} {revoked}")


# ---------------------------------------------------------------------------------------------
# export, import (docs/interop.md)


@app.command("export")
@_errors_to_exit
def export(
    out: Annotated[
        str, typer.Option("--out", help="File to write; '-' (the default) is standard output.")
    ] = "-",
) -> None:
    """Write every source, claim, piece of evidence and history event as JSON Lines.

    Tokens are never exported. A file is written beside its target and renamed into place
    once complete.
    """
    engine = _engine()
    with terminal.progress_bar("exporting claims") as tick:
        if out == "-":
            interop_export.export_database(engine, sys.stdout.buffer, progress=tick)
            sys.stdout.buffer.flush()
            return
        target = Path(out)
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("wb") as stream:
                summary = interop_export.export_database(engine, stream, progress=tick)
            partial.replace(target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise _fail(f"cannot write {out}: {exc.strerror or exc}", 2) from None
    counts = summary.counts
    typer.echo(
        f"exported {counts['source']} source(s), {counts['claim']} claim(s), "
        f"{counts['event']} event(s) and {counts['evidence']} evidence row(s) to {out}"
    )


@app.command("import")
@_errors_to_exit
def import_(
    file: Annotated[str, typer.Argument(help="The export to load; '-' reads standard input.")],
) -> None:
    """Load an export into an empty database: same ids, slugs, seqs and hashes.

    Migrates the schema first. All or nothing: a non-empty database, an unknown format
    version, a malformed line or a broken hash chain is refused, naming the line, and
    nothing is written.
    """
    engine = _engine()
    migrate.upgrade(engine)
    try:
        with (
            terminal.open_input(file) as (stream, size),
            terminal.progress_bar("importing") as tick,
            Session(engine) as session,
        ):
            summary = importer.import_database(session, terminal.lines(stream, tick, size))
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror or exc}", 2) from None
    counts = summary.counts
    typer.echo(
        f"imported {counts['source']} source(s), {counts['claim']} claim(s), "
        f"{counts['event']} event(s) and {counts['evidence']} evidence row(s); "
        f"the last seq is {summary.seq}"
    )


# ---------------------------------------------------------------------------------------------
# backup, restore (docs/deploy.md)


@app.command("backup")
@_errors_to_exit
def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy (replaced if it exists).")],
) -> None:
    """Copy the live SQLite database consistently to FILE, while the server keeps writing.

    On PostgreSQL it refuses and names pg_dump and `claims export` instead (exit 2).
    """
    try:
        copied = backups.backup(_settings(), file)
    except backups.NotSQLite as exc:
        raise _fail(exc.detail, 2) from None
    except OSError as exc:
        raise _fail(f"cannot write {file}: {exc.strerror or exc}", 2) from None
    typer.echo(f"backed up to {file} ({copied.size} bytes) up to seq {copied.seq}")


@app.command("restore")
@_errors_to_exit
def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `claims backup`.")],
) -> None:
    """Copy a backup into the (empty) SQLite database of CLAIMS_DATABASE_URL, then migrate it.

    Refuses a database that holds anything (exit 1). Stop servers on that database first.
    """
    try:
        copied = backups.restore(_settings(), file)
    except backups.NotSQLite as exc:
        raise _fail(exc.detail, 2) from None
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror or exc}", 2) from None
    typer.echo(f"restored {file} up to seq {copied.seq}; check it with `claims verify`")


# ---------------------------------------------------------------------------------------------
# extract (docs/extraction.md)


class DraftFormat(StrEnum):
    """How ``claims extract`` writes its draft."""

    JSON = "json"
    YAML = "yaml"


_EXTRACT_OPTIONS = {"published_on": "--published-on", "title": "--title", "url": "--url"}


@app.command("extract")
@_errors_to_exit
def extract_claims(
    file: Annotated[
        str, typer.Argument(help="The article as UTF-8 plain text; '-' reads standard input.")
    ],
    published_on: Annotated[
        str | None,
        typer.Option(
            "--published-on",
            metavar="YYYY-MM-DD",
            help="The article's date, from which 'next year' or 'on Thursday' are counted. "
            "Default: today (in CLAIMS_TIMEZONE).",
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="The article's title (default: its first line).")
    ] = None,
    url: Annotated[str | None, typer.Option(help="The article's http(s) address.")] = None,
    out: Annotated[
        str, typer.Option("--out", help="File to write the draft to; '-' (the default) is stdout.")
    ] = "-",
    fmt: Annotated[
        DraftFormat, typer.Option("--format", help="Format of the draft.")
    ] = DraftFormat.JSON,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply",
            help="Also create the proposals as pending claims of the article's source (one "
            "transaction, written by the actor 'extract'); claims already present are skipped.",
        ),
    ] = False,
) -> None:
    """Propose the forward-looking claims of an article, as a draft ({source, claims}) to review.

    With --apply the proposals are also saved as pending claims, attached to the article's
    source (found by URL, else by title, or created): a proposal is skipped when a claim of
    that source already quotes the same passage or has its slug, so running it again creates
    nothing. Proposals with no named claimant are created as 'unattributed' for a reviewer to
    correct. The draft goes to standard output (or --out); the summary "created N, skipped M"
    to standard error.
    """
    settings = _settings()
    try:
        text = (
            sys.stdin.buffer.read().decode("utf-8")
            if file == "-"
            else Path(file).read_text(encoding="utf-8")
        )
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror or exc}", 2) from None
    except UnicodeDecodeError:
        raise _fail(f"cannot read {file}: it is not UTF-8 text", 2) from None
    try:
        day = date.fromisoformat(published_on) if published_on else today(settings.zone)
    except ValueError:
        raise _fail(
            f"--published-on: {published_on!r} is not a date; write it as YYYY-MM-DD", 2
        ) from None
    try:
        request = ExtractRequest(text=text, published_on=day, title=title, url=url)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else ""
        where = _EXTRACT_OPTIONS.get(field, f"the article ({file})")
        message = "is empty" if err["type"] == "string_too_short" else error_message(err)
        raise _fail(f"{where}: {message}", 2) from None
    proposals = extraction.propose(request)
    source = extraction.source_of(request)
    data = extraction.draft_of(proposals, source)
    if fmt is DraftFormat.YAML:
        rendered = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    else:
        rendered = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if out == "-":
        sys.stdout.buffer.write(rendered.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        try:
            Path(out).write_text(rendered, encoding="utf-8")
        except OSError as exc:
            raise _fail(f"cannot write {out}: {exc.strerror or exc}", 2) from None
        typer.echo(f"wrote {len(proposals)} proposed claim(s) to {out}", err=True)
    if apply:
        with Session(_engine()) as session:
            created, skipped = extraction.apply_proposals(session, proposals, source=source)
        typer.echo(f"created {created}, skipped {skipped}", err=True)


def main() -> None:
    """Entry point of the ``claims`` console script."""
    app()
