"""``claims token``: issue, revoke and list access tokens, as the local operator."""

from __future__ import annotations

from typing import Annotated

import typer

from claims.cli.base import errors_to_exit, fail, open_engine, token_app
from claims.status import Role


@token_app.command("create")
@errors_to_exit
def token_create(
    name: Annotated[str, typer.Option(help="Who or what uses the token (unique).")],
    role: Annotated[Role, typer.Option(help="What the token may do.")],
) -> None:
    """Issue a token; it is printed once, alone on the last line."""
    from pydantic import ValidationError
    from sqlmodel import Session

    from claims import tokens
    from claims.models import TokenCreate, error_message

    try:  # the name the API's TokenCreate would take: it shows in history and feeds
        name = TokenCreate(name=name, role=role).name
    except ValidationError as exc:
        raise fail(f"--name: {error_message(exc.errors()[0])}", 2) from None
    with Session(open_engine()) as session:
        _row, secret = tokens.create_token(session, name, role, by=tokens.OPERATOR)
    typer.echo(f"token {name!r} ({role.value}) created; it is shown only now:")
    typer.echo(secret)


@token_app.command("revoke")
@errors_to_exit
def token_revoke(name: Annotated[str, typer.Option(help="The token's name.")]) -> None:
    """Revoke a token at once."""
    from sqlmodel import Session

    from claims import tokens

    with Session(open_engine()) as session:
        tokens.revoke_token(session, name, by=tokens.OPERATOR)
    typer.echo(f"token {name!r} revoked")


@token_app.command("list")
@errors_to_exit
def token_list() -> None:
    """List tokens: name, role, created, last used, revoked (never the secret)."""
    from sqlmodel import Session

    from claims import tokens
    from claims.clock import iso

    with Session(open_engine()) as session:
        rows = tokens.list_tokens(session, by=tokens.OPERATOR)
    typer.echo(f"{'NAME':<24} {'ROLE':<9} {'CREATED':<28} {'LAST USED':<28} REVOKED")
    for r in rows:
        last = iso(r.last_used_at) if r.last_used_at else "-"
        revoked = iso(r.revoked_at) if r.revoked_at else "-"
        typer.echo(f"{r.name:<24} {r.role:<9} {iso(r.created_at):<28} {last:<28} {revoked}")
