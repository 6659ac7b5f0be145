"""Search also covers resolution criteria, status-change notes and evidence titles.

SQLite: ``claim_fts`` is rebuilt with ``resolution_criteria``; a second FTS5 table,
``claim_text_fts``, indexes every note and evidence title under its claim's id, filled by
triggers (events and evidence are append-only, so inserts are all it needs). PostgreSQL: the
claim's GIN expression index gains ``resolution_criteria``; notes and evidence titles get GIN
expression indexes of their own. None of these are in the models (env.py skips them).

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_CLAIM_PG = (
    "to_tsvector('simple', coalesce(statement, '') || ' ' || coalesce(quote, '') "
    "|| ' ' || claimant)"
)
CLAIM_PG = (
    "to_tsvector('simple', coalesce(statement, '') || ' ' || coalesce(quote, '') "
    "|| ' ' || claimant || ' ' || coalesce(resolution_criteria, ''))"
)
NOTE_PG = "to_tsvector('simple', coalesce(note, ''))"
TITLE_PG = "to_tsvector('simple', title)"

_COLUMNS = ("statement", "quote", "claimant", "resolution_criteria")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP INDEX IF EXISTS ix_claim_fulltext")
        op.execute(f"CREATE INDEX ix_claim_fulltext ON claim USING gin ({CLAIM_PG})")
        op.execute(f"CREATE INDEX ix_event_note_fulltext ON event USING gin ({NOTE_PG})")
        op.execute(f"CREATE INDEX ix_evidence_title_fulltext ON evidence USING gin ({TITLE_PG})")
        return
    _drop_claim_fts()
    _create_claim_fts(_COLUMNS)
    op.execute("CREATE VIRTUAL TABLE claim_text_fts USING fts5(body, claim_id UNINDEXED)")
    op.execute(
        "CREATE TRIGGER claim_text_fts_note AFTER INSERT ON event WHEN new.note IS NOT NULL "
        "BEGIN INSERT INTO claim_text_fts(body, claim_id) VALUES (new.note, new.claim_id); END"
    )
    op.execute(
        "CREATE TRIGGER claim_text_fts_title AFTER INSERT ON evidence "
        "BEGIN INSERT INTO claim_text_fts(body, claim_id) VALUES (new.title, new.claim_id); END"
    )
    op.execute(
        "INSERT INTO claim_text_fts(body, claim_id) "
        "SELECT note, claim_id FROM event WHERE note IS NOT NULL"
    )
    op.execute("INSERT INTO claim_text_fts(body, claim_id) SELECT title, claim_id FROM evidence")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP INDEX IF EXISTS ix_evidence_title_fulltext")
        op.execute("DROP INDEX IF EXISTS ix_event_note_fulltext")
        op.execute("DROP INDEX IF EXISTS ix_claim_fulltext")
        op.execute(f"CREATE INDEX ix_claim_fulltext ON claim USING gin ({OLD_CLAIM_PG})")
        return
    for trigger in ("claim_text_fts_note", "claim_text_fts_title"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS claim_text_fts")
    _drop_claim_fts()
    _create_claim_fts(_COLUMNS[:3])


def _drop_claim_fts() -> None:
    for trigger in ("claim_fts_update", "claim_fts_delete", "claim_fts_insert"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS claim_fts")


def _create_claim_fts(columns: Sequence[str]) -> None:
    # External-content FTS5 table kept in step with claim by triggers (SQLite docs, 4.4.3).
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    # Column names are this module's constants, never input.
    op.execute(
        f"CREATE VIRTUAL TABLE claim_fts USING fts5({names}, content='claim', content_rowid='id')"
    )
    op.execute(
        f"CREATE TRIGGER claim_fts_insert AFTER INSERT ON claim BEGIN "  # noqa: S608
        f"INSERT INTO claim_fts(rowid, {names}) VALUES (new.id, {new}); END"
    )
    op.execute(
        f"CREATE TRIGGER claim_fts_delete AFTER DELETE ON claim BEGIN "  # noqa: S608
        f"INSERT INTO claim_fts(claim_fts, rowid, {names}) VALUES ('delete', old.id, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER claim_fts_update AFTER UPDATE OF {names} ON claim BEGIN "  # noqa: S608
        f"INSERT INTO claim_fts(claim_fts, rowid, {names}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO claim_fts(rowid, {names}) VALUES (new.id, {new}); END"
    )
    op.execute("INSERT INTO claim_fts(claim_fts) VALUES ('rebuild')")
