"""``claims webhook``: subscribe URLs to changes, list and remove them, see their deliveries."""

from __future__ import annotations

from typing import Annotated

import typer

from claims.cli.base import errors_to_exit, fail, load_settings, open_engine
from claims.cli.base import webhook_app as app
from claims.webhook_events import EventType

_EVENTS_HELP = "Only these types (repeat): " + ", ".join(t.value for t in EventType) + "."


@app.command("add")
@errors_to_exit
def webhook_add(
    url: Annotated[str, typer.Argument(help="Where to POST each change (http or https).")],
    events: Annotated[list[str] | None, typer.Option("--events", help=_EVENTS_HELP)] = None,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="Only claims in this status (repeat).")
    ] = None,
    topic: Annotated[
        list[str] | None, typer.Option("--topic", help="Only claims with this topic (repeat).")
    ] = None,
) -> None:
    """Subscribe URL; the signing secret is printed once, alone on the last line."""
    from pydantic import ValidationError
    from sqlmodel import Session

    from claims import webhooks
    from claims.models import WebhookCreate, error_message
    from claims.tokens import OPERATOR

    try:
        data = WebhookCreate(
            url=url, events=events or [], statuses=status or [], topics=topic or []
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        # the API's words for the field, and a usage error as every bad option is
        raise fail(f"{where}: {error_message(first)}", 2) from None
    with Session(open_engine()) as session:
        row = webhooks.create(session, data, by=OPERATOR, settings=load_settings())
    typer.echo(f"webhook {row.id} → {row.url} created; its signing secret is shown only now:")
    typer.echo(row.secret)


@app.command("list")
@errors_to_exit
def webhook_list() -> None:
    """List subscriptions: id, state, URL, filters, last delivery, failed deliveries."""
    from sqlmodel import Session

    from claims import webhook_shapes, webhooks
    from claims.tokens import OPERATOR

    with Session(open_engine()) as session:
        rows = webhooks.list_all(session, by=OPERATOR)
    typer.echo(f"{'ID':<5} {'STATE':<9} {'FAILED':<7} {'LAST DELIVERED':<33} URL  (filters)")
    for r in rows:
        shown = webhook_shapes.webhook_public(r)
        state = "active" if r.active else "disabled"
        filters = ", ".join([*shown["events"], *shown["statuses"], *shown["topics"]]) or "all"
        last = shown.get("last_delivered_at") or "-"
        typer.echo(f"{r.id:<5} {state:<9} {shown.get('failed_count', 0):<7} {last:<33} "
                   f"{r.url}  ({filters})")  # fmt: skip
        if r.disabled_reason:
            typer.echo(f"      {r.disabled_reason}")


@app.command("remove")
@errors_to_exit
def webhook_remove(webhook_id: Annotated[int, typer.Argument(help="The webhook's id.")]) -> None:
    """Unsubscribe (its deliveries go too)."""
    from sqlmodel import Session

    from claims import webhooks
    from claims.tokens import OPERATOR

    with Session(open_engine()) as session:
        webhooks.delete(session, webhook_id, by=OPERATOR)
    typer.echo(f"webhook {webhook_id} removed")


@app.command("deliveries")
@errors_to_exit
def webhook_deliveries(
    webhook_id: Annotated[int, typer.Argument(help="The webhook's id.")],
    limit: Annotated[int, typer.Option(min=1, max=200, help="How many, newest first.")] = 20,
) -> None:
    """A subscription's latest deliveries and each attempt (status, time, error)."""
    from sqlmodel import Session

    from claims import webhooks
    from claims.tokens import OPERATOR

    with Session(open_engine()) as session:
        items = webhooks.deliveries(session, webhook_id, by=OPERATOR, limit=limit)["items"]
    for d in items:
        typer.echo(f"{d['id']:<6} {d['state']:<10} {d['type']:<22} seq {d['seq'] or '-':<8} "
                   f"{d['msg_id']}")  # fmt: skip
        for a in d["attempts"]:
            what = a["status_code"] or a["error"]
            typer.echo(f"         {a['at']}  {what}  {a['duration_ms']} ms")
