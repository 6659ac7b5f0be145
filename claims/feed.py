"""The change feed: the changes after a seq, in order.

It reads from a Session or a bare Connection (the hot paths use one connection owned by the
event loop), and is a plain query: waiting for news is ``claims.notify``'s job.
"""

from __future__ import annotations

from typing import Any

from claims import storage
from claims.clock import iso
from claims.errors import FutureSeq

MAX_BATCH = 1000


def check_since(db: storage.Executor, since: int) -> int:
    """Return the latest seq (the horizon: ``storage.latest_seq``); raise FutureSeq if
    ``since`` lies beyond every seq handed out. A ``since`` above the horizon is a seq that may
    still commit: its reader waits, as at the head of the feed."""
    latest = storage.latest_seq(db)
    if since > latest:
        issued = storage.issued_seq(db)
        if since > issued:
            raise FutureSeq.on("since", f"{since} is beyond the latest seq {issued}")
    return latest


def latest_seq(db: storage.Executor) -> int:
    """Return the latest seq (0 on an empty database)."""
    return storage.latest_seq(db)


def change(row: Any) -> dict[str, Any]:
    """The public form of one change (SPEC section 3)."""
    return {
        "seq": row.seq,
        "claim_id": row.claim_id,
        "slug": row.slug,
        "kind": row.kind,
        "status": row.status,
        "version": row.version,
        "at": iso(row.at),
    }


def changes(
    db: storage.Executor, since: int, limit: int, *, upto: int | None = None
) -> dict[str, Any]:
    """Return ``{"changes": [...], "next": seq}``: the changes after ``since``, in order, up
    to the horizon ``upto`` (read here when not given): a later read never finds a seq below
    one this returned."""
    rows = storage.changes_since(db, since, min(limit, MAX_BATCH), upto=upto)
    items = [change(r) for r in rows]
    return {"changes": items, "next": items[-1]["seq"] if items else since}
