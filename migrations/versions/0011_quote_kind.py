"""A claim's quote is direct (the claimant's own words) or reported (the outlet's paraphrase).

Every quote stored before this revision was entered as "the verbatim words of the claimant"
(SPEC section 2), so existing quotes become ``direct`` and claims without a quote stay null;
``claims verify`` reads a history written before the field existed the same way
(docs/quotes.md).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("claim", sa.Column("quote_kind", sa.String(10), nullable=True))
    op.execute("UPDATE claim SET quote_kind = 'direct' WHERE quote IS NOT NULL")


def downgrade() -> None:
    # Not batch mode: its copy of the table would lose the full-text triggers on ``claim``;
    # SQLite 3.35+ drops a column in place.
    op.drop_column("claim", "quote_kind")
