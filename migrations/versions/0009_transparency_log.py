"""The transparency log: one Merkle tree over every history event in seq order (RFC 9162).

``log_leaf`` holds each event's leaf hash by its position in the log, ``log_node`` the hashes
of the perfect subtrees above them, ``log_checkpoint`` every tree head the log published. All
three are derived from the events and filled lazily, when a checkpoint is first asked for after
a write (docs/history.md): an existing database gets its whole tree then.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "log_leaf",
        sa.Column("idx", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer(), nullable=False, unique=True),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "log_node",
        sa.Column("level", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("idx", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "log_checkpoint",
        sa.Column("size", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("root_hash", sa.LargeBinary(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("log_checkpoint")
    op.drop_table("log_node")
    op.drop_table("log_leaf")
