"""``claims serve``: migrate, seed an empty database, serve the API and the pages."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from claims.cli.base import app, errors_to_exit, load_settings


@app.command("serve")
@errors_to_exit
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
    import uvicorn
    from sqlmodel import Session

    from claims import logs, migrate, seeding, storage
    from claims.config import unknown_variables

    settings = load_settings()
    for unknown in unknown_variables(os.environ):
        typer.secho(f"warning: not a setting, ignored: {unknown}", err=True, fg=typer.colors.YELLOW)
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
        # No "server: uvicorn" on every answer: it tells a scanner what runs here, and each
        # header costs every answer uvicorn's checks of its name and value.
        server_header=False,
        # uvicorn's HTTP/1.1, with its answer to an unparseable request in problem+json.
        http="api.protocol:ProblemProtocol",
    )
