"""The transparency log's tables: leaves, perfect subtree nodes, published checkpoints.

All three are derived from the ``event`` table (``claims.transparency`` appends to them when a
checkpoint is asked for) and, like events, are only ever inserted into.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims.storage.engine import Executor, is_sqlite
from claims.storage.tables import event_t, log_checkpoint_t, log_leaf_t, log_node_t

STREAM_BATCH = 1000
"""Events read at a time when the tree is extended or recomputed."""

# Any constant will do: it names the log's lock among PostgreSQL's advisory locks.
_LOG_LOCK = 0x636C61696D736C67  # "claimslg"


def lock_log(session: Session) -> None:
    """Make appends to the log one at a time (until the transaction ends).

    SQLite's write transaction (``BEGIN IMMEDIATE``) already excludes every other writer; on
    PostgreSQL an advisory lock does, without holding up the claim writes (which never take it).
    """
    if not is_sqlite(session):
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOG_LOCK)))


def log_head(db: Executor) -> tuple[int, int]:
    """Return ``(size, seq of the last leaf)`` of the stored tree; ``(0, 0)`` when empty."""
    row = db.execute(
        sa.select(log_leaf_t.c.idx, log_leaf_t.c.seq).order_by(log_leaf_t.c.idx.desc()).limit(1)
    ).first()
    return (row.idx + 1, row.seq) if row is not None else (0, 0)


def last_event_seq(db: Executor) -> int:
    """Return the ``seq`` of the latest history event (0 when there is none)."""
    return db.execute(sa.select(sa.func.max(event_t.c.seq))).scalar_one_or_none() or 0


def events_after(db: Executor, seq: int, limit: int, *, upto: int) -> list[Row]:
    """Return up to ``limit`` history events with ``seq < seq' <= upto``, in seq order
    (``upto``: a horizon, ``latest_seq``, so that no event can later commit between them)."""
    stmt = (
        sa.select(event_t)
        .where(event_t.c.seq > seq, event_t.c.seq <= upto)
        .order_by(event_t.c.seq)
        .limit(limit)
    )
    return list(db.execute(stmt).all())


def read_nodes(db: Executor, nodes: Collection[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Return the stored hashes of perfect nodes ``(level, idx)`` (level 0: leaves); a node
    not stored is missing from the result."""
    found: dict[tuple[int, int], bytes] = {}
    leaves = [idx for level, idx in nodes if level == 0]
    inner = [(level, idx) for level, idx in nodes if level > 0]
    if leaves:
        stmt = sa.select(log_leaf_t.c.idx, log_leaf_t.c.hash).where(log_leaf_t.c.idx.in_(leaves))
        found.update({(0, row.idx): bytes(row.hash) for row in db.execute(stmt)})
    if inner:
        n = log_node_t.c
        stmt = sa.select(n.level, n.idx, n.hash).where(sa.tuple_(n.level, n.idx).in_(inner))
        found.update({(row.level, row.idx): bytes(row.hash) for row in db.execute(stmt)})
    return found


def insert_log_nodes(
    session: Session, nodes: Sequence[tuple[int, int, bytes]], seqs: dict[int, int]
) -> None:
    """Insert new perfect nodes; leaves (level 0) go in with the seq of their event."""
    leaves = [{"idx": i, "seq": seqs[i], "hash": h} for level, i, h in nodes if level == 0]
    inner = [{"level": level, "idx": i, "hash": h} for level, i, h in nodes if level > 0]
    if leaves:
        session.execute(sa.insert(log_leaf_t), leaves)
    if inner:
        session.execute(sa.insert(log_node_t), inner)


def find_leaf(db: Executor, seq: int) -> Row | None:
    """Return the leaf (``idx``, ``hash``) of the event ``seq``, or None."""
    return db.execute(
        sa.select(log_leaf_t.c.idx, log_leaf_t.c.hash).where(log_leaf_t.c.seq == seq)
    ).first()


def find_event(db: Executor, seq: int) -> Row | None:
    """Return the history event ``seq``, or None."""
    return db.execute(sa.select(event_t).where(event_t.c.seq == seq)).first()


def find_checkpoint(db: Executor, size: int) -> Row | None:
    """Return the published checkpoint of ``size`` leaves, or None."""
    return db.execute(sa.select(log_checkpoint_t).where(log_checkpoint_t.c.size == size)).first()


def latest_checkpoint(db: Executor, *, at_most: int | None = None) -> Row | None:
    """Return the largest published checkpoint (of at most ``at_most`` leaves), or None."""
    stmt = sa.select(log_checkpoint_t).order_by(log_checkpoint_t.c.size.desc()).limit(1)
    if at_most is not None:
        stmt = stmt.where(log_checkpoint_t.c.size <= at_most)
    return db.execute(stmt).first()


def list_checkpoints(db: Executor) -> list[Row]:
    """Return every published checkpoint, smallest first."""
    return list(db.execute(sa.select(log_checkpoint_t).order_by(log_checkpoint_t.c.size)).all())


def insert_checkpoint(session: Session, size: int, root_hash: bytes, made_at: datetime) -> None:
    """Record a published checkpoint."""
    session.execute(
        sa.insert(log_checkpoint_t).values(size=size, root_hash=root_hash, made_at=made_at)
    )


def stream_log(db: Executor) -> Iterator[Row]:
    """Every history event in seq order, each with the leaf stored for its seq (``leaf_idx``,
    ``leaf_hash``; None when none is), streamed (for ``claims verify --checkpoint``)."""
    stmt = (
        sa.select(
            event_t,
            log_leaf_t.c.idx.label("leaf_idx"),
            log_leaf_t.c.hash.label("leaf_hash"),
        )
        .outerjoin(log_leaf_t, log_leaf_t.c.seq == event_t.c.seq)
        .order_by(event_t.c.seq)
    )
    yield from db.execute(stmt, execution_options={"yield_per": STREAM_BATCH})
