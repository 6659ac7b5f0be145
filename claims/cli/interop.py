"""``claims export`` and ``claims import``: the lossless JSON Lines round trip (docs/interop.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from claims.cli.base import app, errors_to_exit, fail, load_settings, open_engine


@app.command("export")
@errors_to_exit
def export(
    out: Annotated[
        str, typer.Option("--out", help="File to write; '-' (the default) is standard output.")
    ] = "-",
) -> None:
    """Write every source, claim, piece of evidence and history event as JSON Lines.

    Tokens are never exported. The header carries the history log's checkpoint (signed when
    CLAIMS_LOG_KEY_FILE holds a key). A file is written beside its target and renamed into
    place once complete.
    """
    from claims import signing
    from claims.interop import export as interop_export
    from claims.interop import terminal

    engine = open_engine()
    signer = signing.load_signer(load_settings())
    with terminal.progress_bar("exporting claims") as tick:
        if out == "-":
            interop_export.export_database(engine, sys.stdout.buffer, progress=tick, signer=signer)
            sys.stdout.buffer.flush()
            return
        target = Path(out)
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("wb") as stream:
                summary = interop_export.export_database(
                    engine, stream, progress=tick, signer=signer
                )
            partial.replace(target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise fail(f"cannot write {out}: {exc.strerror or exc}", 2) from None
    counts = summary.counts
    typer.echo(
        f"exported {counts['source']} source(s), {counts['claim']} claim(s), "
        f"{counts['event']} event(s) and {counts['evidence']} evidence row(s) to {out}"
    )


@app.command("import")
@errors_to_exit
def import_(
    file: Annotated[str, typer.Argument(help="The export to load; '-' reads standard input.")],
) -> None:
    """Load an export into an empty database: same ids, slugs, seqs and hashes.

    Migrates the schema first. All or nothing: a non-empty database, an unknown format
    version, a malformed line, a broken hash chain or events that do not match the export's
    log checkpoint is refused, naming the line, and nothing is written.
    """
    from sqlmodel import Session

    from claims import migrate
    from claims.interop import importer, terminal

    engine = open_engine()
    migrate.upgrade(engine)
    try:
        with (
            terminal.open_input(file) as (stream, size),
            terminal.progress_bar("importing") as tick,
            Session(engine) as session,
        ):
            summary = importer.import_database(session, terminal.lines(stream, tick, size))
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}", 2) from None
    counts = summary.counts
    typer.echo(
        f"imported {counts['source']} source(s), {counts['claim']} claim(s), "
        f"{counts['event']} event(s) and {counts['evidence']} evidence row(s); "
        f"the last seq is {summary.seq}"
    )
