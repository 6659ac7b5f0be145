"""The seqs an import from PostgreSQL brought in as gaps.

On SQLite every write takes the next seq, so ``claims verify`` reads a seq no event has as a
removed event. A PostgreSQL history has gaps (a rolled-back write leaves its seq unused); an
import of it into SQLite now notes each one in ``seq_gap``, and verify accepts exactly those.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seq_gap",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
    )


def downgrade() -> None:
    op.drop_table("seq_gap")
