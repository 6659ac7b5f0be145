"""The ``claims`` command: database, seeds, server, tokens, history checks, export, extraction.

Commands call services and print; they never hold rules of their own. ``base`` is the only
place that knows exit codes: 0 ok, 1 refused by a rule (the message says which), 2 wrong
usage, 3 the database cannot be reached or used, 4 ``verify`` found a broken history.

    base.py       the Typer apps, settings, engine, errors turned into exit codes
    database.py   db upgrade / downgrade / current, seed, verify, backup, restore
    server.py     serve
    tokens.py     token create / revoke / list
    interop.py    export, import
    extract.py    extract
    transparency.py  keys init / show; the --checkpoint check of verify
    webhooks.py   webhook add / list / remove / deliveries
"""

from __future__ import annotations

# Importing the command modules registers their commands on ``app``.
from claims.cli import database, extract, interop, server, tokens, transparency, webhooks
from claims.cli.base import app

__all__ = [
    "app",
    "database",
    "extract",
    "interop",
    "main",
    "server",
    "tokens",
    "transparency",
    "webhooks",
]


def main() -> None:
    """Entry point of the ``claims`` console script."""
    app()
