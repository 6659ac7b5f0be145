"""Deadline events: the days the deadline watcher noted a claim due soon and overdue.

The watcher writes a ``due_soon`` or ``overdue`` history event once per claim per crossing;
these columns say the crossing was noted (an edit that moves the deadline clears them).
Existing claims start un-noted: the first watcher pass after the upgrade notes the open claims
already inside their window or past their deadline, once.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("claim", sa.Column("due_soon_noted_on", sa.Date(), nullable=True))
    op.add_column("claim", sa.Column("overdue_noted_on", sa.Date(), nullable=True))


def downgrade() -> None:
    # The due_soon / overdue events stay in the history (an append-only log): older code
    # shows them as unknown kinds, and `claims verify` of older code would reject them.
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35 has it): a batch copy of ``claim`` would
    # trip the foreign keys that point at it.
    op.execute("ALTER TABLE claim DROP COLUMN overdue_noted_on")
    op.execute("ALTER TABLE claim DROP COLUMN due_soon_noted_on")
