"""Initial schema: sources, claims, topics, history events, evidence, the seq counter, tokens.

Reviewed by hand. Indexes follow what the list filters and sorts on: status, due_by,
updated_at, created_at, stated_on (each with id as the keyset tie-breaker), claimant, topic;
events are read per claim in seq order. Full-text search is FTS5 on SQLite and a GIN
expression index on PostgreSQL; neither is in the models, so env.py leaves them out of
autogenerate comparisons.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)

FULLTEXT_PG = (
    "to_tsvector('simple', coalesce(statement, '') || ' ' || coalesce(quote, '') "
    "|| ' ' || claimant)"
)


def upgrade() -> None:
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("url", sa.String(2000), nullable=True),
        sa.Column("publisher", sa.String(200), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(120), nullable=False, unique=True),
        sa.Column("statement", sa.String(500), nullable=False),
        sa.Column("quote", sa.String(2000), nullable=True),
        sa.Column("claimant", sa.String(200), nullable=False),
        sa.Column("claimant_role", sa.String(200), nullable=True),
        sa.Column("source_id", sa.Integer(), sa.ForeignKey("source.id"), nullable=True),
        sa.Column("stated_on", sa.Date(), nullable=False),
        sa.Column("certainty", sa.String(20), nullable=False),
        sa.Column("condition", sa.String(1000), nullable=True),
        sa.Column("condition_claim_id", sa.Integer(), sa.ForeignKey("claim.id"), nullable=True),
        sa.Column("due_from", sa.Date(), nullable=True),
        sa.Column("due_by", sa.Date(), nullable=True),
        sa.Column("due_text", sa.String(300), nullable=True),
        sa.Column("resolution_criteria", sa.String(2000), nullable=True),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("status_changed_at", TS, nullable=False),
    )
    op.create_index("ix_claim_source_id", "claim", ["source_id"])
    op.create_index("ix_claim_status_id", "claim", ["status", "id"])
    op.create_index("ix_claim_status_due_by_id", "claim", ["status", "due_by", "id"])
    op.create_index("ix_claim_due_by_id", "claim", ["due_by", "id"])
    op.create_index("ix_claim_updated_at_id", "claim", ["updated_at", "id"])
    op.create_index("ix_claim_created_at_id", "claim", ["created_at", "id"])
    op.create_index("ix_claim_stated_on_id", "claim", ["stated_on", "id"])
    op.create_index("ix_claim_claimant", "claim", ["claimant"])

    op.create_table(
        "claim_topic",
        sa.Column("claim_id", sa.Integer(), sa.ForeignKey("claim.id"), primary_key=True),
        sa.Column("topic", sa.String(40), primary_key=True),
    )
    op.create_index("ix_claim_topic_topic", "claim_topic", ["topic"])

    op.create_table(
        "event",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("claim_id", sa.Integer(), sa.ForeignKey("claim.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_name", sa.String(100), nullable=False),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("from_status", sa.String(30), nullable=True),
        sa.Column("to_status", sa.String(30), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("correction", sa.Boolean(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=True),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_event_claim_id_seq", "event", ["claim_id", "seq"])

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("claim_id", sa.Integer(), sa.ForeignKey("claim.id"), nullable=False),
        sa.Column("event_seq", sa.Integer(), sa.ForeignKey("event.seq"), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("publisher", sa.String(200), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("quote", sa.String(2000), nullable=True),
        sa.Column("stance", sa.String(10), nullable=False),
    )
    op.create_index("ix_evidence_claim_id", "evidence", ["claim_id"])

    seq_counter = op.create_table(
        "seq_counter",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("value", sa.Integer(), nullable=False),
    )
    op.bulk_insert(seq_counter, [{"id": 1, "value": 0}])

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_used_at", TS, nullable=True),
        sa.Column("revoked_at", TS, nullable=True),
    )

    if op.get_bind().dialect.name == "sqlite":
        _create_sqlite_fulltext()
    else:
        op.execute(f"CREATE INDEX ix_claim_fulltext ON claim USING gin ({FULLTEXT_PG})")


def _create_sqlite_fulltext() -> None:
    # External-content FTS5 table kept in step with claim by triggers (SQLite docs, section 4.4.3).
    op.execute(
        "CREATE VIRTUAL TABLE claim_fts USING fts5("
        "statement, quote, claimant, content='claim', content_rowid='id')"
    )
    op.execute(
        "CREATE TRIGGER claim_fts_insert AFTER INSERT ON claim BEGIN "
        "INSERT INTO claim_fts(rowid, statement, quote, claimant) "
        "VALUES (new.id, new.statement, new.quote, new.claimant); END"
    )
    op.execute(
        "CREATE TRIGGER claim_fts_delete AFTER DELETE ON claim BEGIN "
        "INSERT INTO claim_fts(claim_fts, rowid, statement, quote, claimant) "
        "VALUES ('delete', old.id, old.statement, old.quote, old.claimant); END"
    )
    op.execute(
        "CREATE TRIGGER claim_fts_update AFTER UPDATE OF statement, quote, claimant ON claim BEGIN "
        "INSERT INTO claim_fts(claim_fts, rowid, statement, quote, claimant) "
        "VALUES ('delete', old.id, old.statement, old.quote, old.claimant); "
        "INSERT INTO claim_fts(rowid, statement, quote, claimant) "
        "VALUES (new.id, new.statement, new.quote, new.claimant); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("claim_fts_update", "claim_fts_delete", "claim_fts_insert"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS claim_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_claim_fulltext")
    op.drop_table("api_token")
    op.drop_table("seq_counter")
    op.drop_table("evidence")
    op.drop_table("event")
    op.drop_table("claim_topic")
    op.drop_table("claim")
    op.drop_table("source")
