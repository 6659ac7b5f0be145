"""Run the Alembic migrations that ship inside the package (``migrations/``)."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

import migrations

_HERE = Path(migrations.__file__).resolve().parent

NOT_MODELLED = (
    "claim_fts",
    "claim_text_fts",
    "ix_claim_fulltext",
    "ix_event_note_fulltext",
    "ix_evidence_title_fulltext",
)
"""Name prefixes of what the migrations own and the models deliberately do not describe:
SQLite's full-text tables (and their shadow tables), PostgreSQL's full-text expression indexes."""


def modelled(name: str | None) -> bool:
    """Tell whether the models describe a schema object (autogenerate compares only those)."""
    return not (name and name.startswith(NOT_MODELLED))


def alembic_config(engine: Engine | None = None) -> Config:
    """Return an Alembic config for the packaged migrations, bound to ``engine`` when given."""
    config = Config(str(_HERE / "alembic.ini"))
    config.set_main_option("script_location", str(_HERE))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to ``revision``."""
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to ``revision`` (``base`` removes every table)."""
    _run(engine, command.downgrade, revision)


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at (None before the first migration)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@functools.cache
def head_revisions() -> frozenset[str]:
    """The newest revisions the packaged migrations define (read once per process)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def is_current(engine: Engine) -> bool:
    """Tell whether the database is at the newest revision. Raises what the driver raises."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return frozenset(MigrationContext.configure(conn).get_current_heads()) == head_revisions()


def _run(engine: Engine, fn, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        fn(config, revision)
