"""What every command shares: the Typer apps, settings and engine, errors turned into exits.

The exit codes: 0 ok, 1 refused by a rule (the message says which), 2 wrong usage, 3 the
database cannot be reached or used, 4 ``verify`` found a broken history.

The CLI imports lazily: this module and the command modules import only Typer and what the
commands' signatures name, and each command imports the rest (SQLAlchemy, the storage, the
services) when it runs. Importing all of it takes about a second, which every ``claims``
process paid before doing anything, even ``claims --help``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

from claims.errors import ClaimsError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from claims.config import Settings


def command_group(**settings: Any) -> typer.Typer:
    """A Typer app whose help reads as paragraphs: docstrings and help texts are Markdown, so
    the hard line breaks of a docstring join into one paragraph in the terminal (Typer's
    default "rich" mode prints them as they stand), blank lines still part paragraphs, and
    `code` and lists render. Every app of the CLI is made here, so all commands agree."""
    return typer.Typer(rich_markup_mode="markdown", **settings)


app = command_group(
    help="Track forward-looking claims: their status, evidence and public history.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = command_group(
    help="Create, upgrade or downgrade the database schema.", no_args_is_help=True
)
token_app = command_group(help="Issue, revoke and list access tokens.", no_args_is_help=True)
app.add_typer(db_app, name="db")
webhook_app = command_group(
    help="Subscribe URLs to changes (signed webhooks), list, remove, see deliveries.",
    no_args_is_help=True,
)
app.add_typer(token_app, name="token")
app.add_typer(webhook_app, name="webhook")

EXIT_REFUSED, EXIT_DATABASE, EXIT_BROKEN_HISTORY = 1, 3, 4

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int) -> typer.Exit:
    """Print ``error: message`` on standard error; return the Exit to raise."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def errors_to_exit(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn domain and database errors into one paragraph on stderr and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except ClaimsError as exc:
            code = EXIT_DATABASE if _is_url_error(exc) else EXIT_REFUSED
            raise fail(exc.detail, code) from None
        except Exception as exc:
            if not _is_database_error(exc):
                raise
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            if _is_missing_schema(exc):
                raise fail(
                    f"the database at {safe_url()} has no tracker tables, or older ones "
                    f"({reason}): run `claims db upgrade` first.",
                    EXIT_DATABASE,
                ) from None
            raise fail(
                f"the database at {safe_url()} cannot be used: {reason}. Check "
                "CLAIMS_DATABASE_URL and that the server is running.",
                EXIT_DATABASE,
            ) from None

    return wrapper


# Only a loaded module can have raised its own errors: asking sys.modules spares a command that
# never opened the database (or failed before it did) the import of SQLAlchemy to find out.


def _is_url_error(exc: ClaimsError) -> bool:
    """Whether ``exc`` says that CLAIMS_DATABASE_URL cannot be used."""
    engine = sys.modules.get("claims.storage.engine")
    return engine is not None and isinstance(exc, engine.DatabaseUrlError)


def _is_database_error(exc: Exception) -> bool:
    """Whether ``exc`` is the database refusing or not answering (SQLAlchemy's own errors)."""
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, (sa_exc.DBAPIError, sa_exc.TimeoutError))


def _is_missing_schema(exc: Exception) -> bool:
    """Whether the database lacks the tracker's tables (``storage.missing_schema``)."""
    engine = sys.modules.get("claims.storage.engine")
    return engine is not None and engine.missing_schema(exc)


def load_settings() -> Settings:
    """The settings from the environment; exit 2 naming a bad one."""
    from pydantic import ValidationError

    from claims.config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        # By the environment variable a person sets, in one line each: not pydantic's report
        # of the model's field names.
        prefix = Settings.model_config.get("env_prefix", "")
        found = [
            f"{prefix}{str(error['loc'][0]).upper() if error['loc'] else ''}: "
            + str(error["msg"]).removeprefix("Value error, ")
            for error in exc.errors()
        ]
        raise fail("invalid setting: " + "; ".join(found), 2) from None
    except ValueError as exc:
        raise fail(f"invalid setting: {exc}", 2) from None


def safe_url() -> str:
    """The database URL without its password, for messages."""
    from claims import storage
    from claims.config import Settings

    try:
        return storage.normalise_url(Settings().database_url).render_as_string(hide_password=True)
    except (ClaimsError, ValueError):
        return "CLAIMS_DATABASE_URL"


def open_engine() -> Engine:
    """An engine on the configured database, one connection."""
    from claims import storage

    return storage.make_engine(load_settings(), pool_size=1)
