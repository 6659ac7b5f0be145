"""claim_tally: claims counted by (status, due date), so the summary is flat at any size.

The summary's total, counts by status, overdue and due-soon numbers are sums over at most
(statuses × distinct deadlines) rows instead of a scan of every claim. Open-ended claims are
counted under the sentinel date 9999-12-31. Services keep it in step in the same transaction
as every create, status change and deadline edit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_tally",
        sa.Column("status", sa.String(30), primary_key=True),
        sa.Column("due_key", sa.Date(), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.execute(
        "INSERT INTO claim_tally (status, due_key, count) "
        "SELECT status, coalesce(due_by, DATE '9999-12-31'), count(*) FROM claim "
        "GROUP BY status, coalesce(due_by, DATE '9999-12-31')"
        if op.get_bind().dialect.name != "sqlite"
        else "INSERT INTO claim_tally (status, due_key, count) "
        "SELECT status, coalesce(due_by, '9999-12-31'), count(*) FROM claim "
        "GROUP BY status, coalesce(due_by, '9999-12-31')"
    )


def downgrade() -> None:
    op.drop_table("claim_tally")
