"""Webhooks: a cursor and a lease per subscription instead of one fan-out cursor.

Until now the dispatcher turned every event into one ``webhook_delivery`` row per matching
subscription as soon as it was committed, on the one write lock every request's write also
needs: ten subscriptions cost each change ten row inserts. From here on each subscription
keeps its own ``cursor_seq`` (the last event it has been through), and a process sends a
subscription's events only while it holds that subscription's lease (``lease_owner``,
``leased_until``). Delivery rows are written with their first attempt, in the transaction
that moves the cursor.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (a batch copy of ``webhook`` would trip the deliveries' foreign key).
    op.add_column(
        "webhook",
        sa.Column("cursor_seq", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    op.add_column("webhook", sa.Column("lease_owner", sa.String(80), nullable=True))
    op.add_column("webhook", sa.Column("leased_until", sa.DateTime(timezone=True), nullable=True))
    # Events up to the old cursor already have their delivery rows: each subscription goes on
    # from there, or from its own start if that is later.
    op.execute(
        "UPDATE webhook SET cursor_seq = COALESCE("
        "(SELECT MAX(seq) FROM webhook_cursor WHERE seq > webhook.since_seq), since_seq)"
    )
    op.drop_table("webhook_cursor")
    # Deliveries are no longer leased one by one (their subscription is).
    op.execute("ALTER TABLE webhook_delivery DROP COLUMN leased_until")


def downgrade() -> None:
    op.create_table(
        "webhook_cursor",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
    )
    # The old fan-out goes on from the subscription furthest ahead: from any earlier seq it
    # would insert delivery rows that exist already (and fail on their unique key). A
    # subscription that lagged behind it skips the events in between.
    op.execute(
        "INSERT INTO webhook_cursor (id, seq) "
        "SELECT 1, COALESCE((SELECT MAX(cursor_seq) FROM webhook), "
        "(SELECT COALESCE(MAX(seq), 0) FROM event))"
    )
    op.add_column(
        "webhook_delivery",
        sa.Column("leased_until", sa.DateTime(timezone=True), nullable=True),
    )
    for column in ("leased_until", "lease_owner", "cursor_seq"):
        op.execute(f"ALTER TABLE webhook DROP COLUMN {column}")
