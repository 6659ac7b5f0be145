"""PostgreSQL: seqs from a sequence, readers held below the oldest writer still in flight.

Until now every writer took the one ``seq_counter`` row lock and held it through its commit,
so writes committed one at a time. From here on, on PostgreSQL, a writer takes its seq from
the sequence ``event_seq`` (``claims_next_seq()``), first taking a shared advisory lock keyed
by a number no higher than that seq; readers ask ``claims_seq_horizon()`` for the highest seq
below which nothing can still appear, and read no further (docs/design.md, "The change
sequence"). SQLite keeps its counter row: it has one writer at a time anyway.

On PostgreSQL ``seq_counter`` stays, unused, for the way down.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The writers' advisory locks take two int4 keys: 1936027937 (0x73657121, "seq!") and the seq
# floor. Other advisory locks of the tracker use the one-bigint form, which PostgreSQL keeps
# apart (``objsubid`` 1, not 2).

NEXT_SEQ = """
CREATE FUNCTION claims_next_seq() RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    floor_seq bigint;
BEGIN
    -- Once per transaction, before the first seq is taken: a shared lock keyed by a number no
    -- higher than any seq this transaction will take. It is visible to every session at once
    -- and goes with the transaction (or the savepoint that took it, with the setting below).
    IF coalesce(current_setting('claims.seq_floor', true), '') = '' THEN
        SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END
          INTO floor_seq FROM event_seq;
        PERFORM pg_advisory_xact_lock_shared(1936027937, floor_seq::integer);
        PERFORM set_config('claims.seq_floor', floor_seq::text, true);
    END IF;
    RETURN nextval('event_seq');
END
$$
"""

HORIZON = """
CREATE FUNCTION claims_seq_horizon() RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    issued bigint;
    lowest bigint;
BEGIN
    -- First the last seq handed out, then the writers' locks: a writer not yet locked when
    -- the locks are read takes its seq after both reads, so above ``issued``.
    SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END
      INTO issued FROM event_seq;
    SELECT min(objid::bigint) INTO lowest FROM pg_locks
     WHERE locktype = 'advisory' AND classid = 1936027937 AND objsubid = 2
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database());
    RETURN least(issued, lowest - 1);
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("CREATE SEQUENCE event_seq AS integer MINVALUE 1 START 1 CACHE 1")
    op.execute("SELECT setval('event_seq', value) FROM seq_counter WHERE id = 1 AND value > 0")
    op.execute(NEXT_SEQ)
    op.execute(HORIZON)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(
        "UPDATE seq_counter SET value = (SELECT CASE WHEN is_called THEN last_value "
        "ELSE last_value - 1 END FROM event_seq) WHERE id = 1"
    )
    op.execute("DROP FUNCTION claims_seq_horizon()")
    op.execute("DROP FUNCTION claims_next_seq()")
    op.execute("DROP SEQUENCE event_seq")
