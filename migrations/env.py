"""Alembic environment: the URL comes from the tracker's settings, never from alembic.ini.

A caller may hand over an open connection in ``config.attributes["connection"]`` (the CLI and
the tests do), so a migration runs on exactly the database the caller chose.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import claims.models  # noqa: F401  (registers every table on SQLModel.metadata)
from claims.config import Settings
from claims.migrate import modelled
from claims.storage import make_engine

config = context.config
target_metadata = SQLModel.metadata

def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    return modelled(name)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=_include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations on the caller's connection, or on the configured database."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(Settings(), pool_size=1)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run them against a database")
run_migrations_online()
