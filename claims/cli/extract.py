"""``claims extract``: propose an article's forward-looking claims (docs/extraction.md)."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from claims.cli.base import app, errors_to_exit, fail, load_settings, open_engine


class DraftFormat(StrEnum):
    """How ``claims extract`` writes its draft."""

    JSON = "json"
    YAML = "yaml"


_EXTRACT_OPTIONS = {"published_on": "--published-on", "title": "--title", "url": "--url"}


@app.command("extract")
@errors_to_exit
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
            "Default: today (in CLAIMS_TIMEZONE); not in the future.",
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
    to standard error. An article whose extraction takes longer than CLAIMS_EXTRACT_TIMEOUT_S
    seconds is refused (exit 1).
    """
    import yaml
    from pydantic import ValidationError
    from sqlmodel import Session

    from claims.clock import today
    from claims.errors import InvalidInput
    from claims.extract import apply as extraction
    from claims.models import ExtractRequest, error_message

    settings = load_settings()
    try:
        text = (
            sys.stdin.buffer.read().decode("utf-8")
            if file == "-"
            else Path(file).read_text(encoding="utf-8")
        )
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}", 2) from None
    except UnicodeDecodeError:
        raise fail(f"cannot read {file}: it is not UTF-8 text", 2) from None
    newsroom_day = today(settings.zone)
    try:
        day = date.fromisoformat(published_on) if published_on else newsroom_day
    except ValueError:
        raise fail(
            f"--published-on: {published_on!r} is not a date; write it as YYYY-MM-DD", 2
        ) from None
    try:
        request = ExtractRequest(text=text, published_on=day, title=title, url=url)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else ""
        where = _EXTRACT_OPTIONS.get(field, f"the article ({file})")
        message = "is empty" if err["type"] == "string_too_short" else error_message(err)
        raise fail(f"{where}: {message}", 2) from None
    try:
        source = extraction.source_of(request, today=newsroom_day)
    except InvalidInput as exc:
        # The option's name, as for a malformed date: a usage error, not a rule of the data.
        raise fail(f"--published-on: {exc.errors[0].message}", 2) from None
    proposals = extraction.propose(request, timeout=settings.extract_timeout_s)
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
            raise fail(f"cannot write {out}: {exc.strerror or exc}", 2) from None
        typer.echo(f"wrote {len(proposals)} proposed claim(s) to {out}", err=True)
    if apply:
        with Session(open_engine()) as session:
            created, skipped = extraction.apply_proposals(
                session, proposals, source=source, today=newsroom_day
            )
        typer.echo(f"created {created}, skipped {skipped}", err=True)
