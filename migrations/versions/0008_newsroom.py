"""Newsroom work: internal notes on claims and assignment of a claim to a person.

Both are internal (signed-in staff only): they are not part of a claim's public record, its
hash-chained history, the change feed or the export.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("claim_id", sa.Integer(), sa.ForeignKey("claim.id"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_name", sa.String(100), nullable=False),
        sa.Column("author_role", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_claim_note_claim_id_id", "claim_note", ["claim_id", "id"])
    op.create_table(
        "claim_assignment",
        sa.Column(
            "claim_id", sa.Integer(), sa.ForeignKey("claim.id"), primary_key=True, nullable=False
        ),
        sa.Column("assignee", sa.String(100), nullable=False),
        sa.Column("assigned_by", sa.String(100), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_claim_assignment_assignee", "claim_assignment", ["assignee"])


def downgrade() -> None:
    op.drop_index("ix_claim_assignment_assignee", table_name="claim_assignment")
    op.drop_table("claim_assignment")
    op.drop_index("ix_claim_note_claim_id_id", table_name="claim_note")
    op.drop_table("claim_note")
