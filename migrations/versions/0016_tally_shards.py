"""claim_tally: a shard in the key, so concurrent writers of one status and deadline do not
queue on one row.

Every claim with one status and deadline shared a tally row, and on PostgreSQL each writer
held its lock until it committed: a burst of creates with one deadline ran one at a time. A
write now moves the counts of the shard its claim's id picks (``claims.storage.claims``); the
summary sums the rows as it did. A shard's count may go below zero (a claim counted in shard 0
before this migration, moved later from its own shard); only the sums mean anything.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild(*, sharded: bool, rows: str) -> None:
    """Replace claim_tally by a table with (or without) the shard in its key, filled by the
    SELECT ``rows`` over the old one (status, due_key[, shard], count)."""
    op.create_table(
        "claim_tally_next",
        sa.Column("status", sa.String(30), primary_key=True),
        sa.Column("due_key", sa.Date(), primary_key=True),
        *([sa.Column("shard", sa.Integer(), primary_key=True, autoincrement=False)]
          if sharded else []),
        sa.Column("count", sa.Integer(), nullable=False),
    )  # fmt: skip
    columns = "status, due_key, shard, count" if sharded else "status, due_key, count"
    op.execute(f"INSERT INTO claim_tally_next ({columns}) {rows}")
    op.drop_table("claim_tally")
    op.rename_table("claim_tally_next", "claim_tally")


def upgrade() -> None:
    _rebuild(sharded=True, rows="SELECT status, due_key, 0, count FROM claim_tally")


def downgrade() -> None:
    _rebuild(
        sharded=False,
        rows="SELECT status, due_key, sum(count) FROM claim_tally GROUP BY status, due_key",
    )
