"""Migrations own the schema: up, down and up again on both databases, and no drift."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import claims.models  # noqa: F401
from claims import migrate, storage
from claims.config import Settings


def tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_migrations_go_down_to_base_and_up_again(database):
    engine = storage.make_engine(Settings(database_url=database.url), pool_size=1)
    try:
        migrate.downgrade(engine, "base")
        emptied = tables(engine)
        migrate.upgrade(engine)

        assert emptied == set()
        assert {"claim", "event", "source", "evidence", "api_token", "seq_counter"} <= tables(
            engine
        )
        assert migrate.current_revision(engine) == migrate_head()
    finally:
        engine.dispose()


def migrate_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()


def test_models_do_not_drift_from_migrations(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": lambda obj, name, *_: migrate.modelled(name),
            },
        )
        diff = compare_metadata(context, SQLModel.metadata)

    assert diff == []


def test_migration_0011_makes_stored_quotes_direct_and_leaves_the_rest_null(database):
    engine = storage.make_engine(Settings(database_url=database.url), pool_size=1)
    now = "2025-10-26 00:00:00+00:00"
    try:
        migrate.downgrade(engine, "0010")
        with engine.begin() as conn:
            for n, quote in enumerate(["We will meet on Thursday", None], start=1):
                conn.execute(
                    sa.text(
                        "INSERT INTO claim (id, slug, statement, quote, claimant, stated_on, "
                        "certainty, topics, status, version, created_at, updated_at, "
                        "status_changed_at) VALUES (:id, :slug, 'They meet', :quote, 'Bessent', "
                        "'2025-10-26', 'expected', '[]', 'pending', 1, :at, :at, :at)"
                    ),
                    {"id": n, "slug": f"claim-{n}", "quote": quote, "at": now},
                )
        migrate.upgrade(engine)

        with engine.connect() as conn:
            kinds = conn.execute(sa.text("SELECT id, quote_kind FROM claim ORDER BY id")).all()
        migrate.downgrade(engine, "0010")
        columns = {c["name"] for c in sa.inspect(engine).get_columns("claim")}
    finally:
        engine.dispose()

    assert [tuple(k) for k in kinds] == [(1, "direct"), (2, None)]
    assert "quote_kind" not in columns
    assert "quote" in columns


def test_migration_0014_starts_each_subscription_where_the_old_fan_out_left_off(database):
    engine = storage.make_engine(Settings(database_url=database.url), pool_size=1)
    now = "2026-12-01 00:00:00+00:00"
    try:
        migrate.downgrade(engine, "0013")
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE webhook_cursor SET seq = 40 WHERE id = 1"))
            for n, since in enumerate([10, 55], start=1):
                conn.execute(
                    sa.text(
                        "INSERT INTO webhook (id, url, secret, events, statuses, topics, active, "
                        "since_seq, created_by, created_at, updated_at) VALUES (:id, "
                        "'https://example.org/hook', 'whsec_x', '[]', '[]', '[]', true, :since, "
                        "'admin', :at, :at)"
                    ),
                    {"id": n, "since": since, "at": now},
                )
        migrate.upgrade(engine)

        with engine.connect() as conn:
            cursors = conn.execute(sa.text("SELECT id, cursor_seq FROM webhook ORDER BY id")).all()
        migrate.downgrade(engine, "0013")
        with engine.connect() as conn:
            old = conn.execute(sa.text("SELECT seq FROM webhook_cursor")).scalar_one()
        columns = {c["name"] for c in sa.inspect(engine).get_columns("webhook")}
    finally:
        engine.dispose()

    # Events up to the old cursor were fanned out already; the later subscription starts later.
    assert [tuple(c) for c in cursors] == [(1, 40), (2, 55)]
    assert old == 55
    assert "cursor_seq" not in columns
