"""What dashboards poll: the change feed and the summary.

Both read from a Session or a bare Connection (the hot paths use one connection owned by the
event loop), and both are plain queries: waiting for news is ``claims.notify``'s job.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from claims import storage
from claims.clock import iso
from claims.errors import FutureSeq
from claims.listing import ClaimQuery
from claims.status import Status

MAX_BATCH = 1000


def check_since(db: storage.Executor, since: int) -> int:
    """Return the latest seq; raise FutureSeq if ``since`` lies beyond it."""
    latest = storage.latest_seq(db)
    if since > latest:
        raise FutureSeq.on("since", f"{since} is beyond the latest seq {latest}")
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


def changes(db: storage.Executor, since: int, limit: int) -> dict[str, Any]:
    """Return ``{"changes": [...], "next": seq}``: the changes after ``since``, in order."""
    rows = storage.changes_since(db, since, min(limit, MAX_BATCH))
    items = [change(r) for r in rows]
    return {"changes": items, "next": items[-1]["seq"] if items else since}


def summary(db: storage.Executor, query: ClaimQuery, *, today: date, due_soon_days: int) -> dict:
    """Return total, counts by status, overdue, due soon and the seq they were counted at."""
    seq = storage.latest_seq(db)
    f = query.to_filter(today, due_soon_days)
    soon_until = today + timedelta(days=due_soon_days)
    rows = storage.tally_counts(db, f, today, soon_until)
    if rows is None:  # filters on topic, claimant or text need the claims themselves
        rows = storage.summary_counts(db, f, today, soon_until)
    by_status = {s.value: 0 for s in Status}
    overdue = due_soon = 0
    for status, count, late, soon in rows:
        by_status[status] = int(count)
        overdue += int(late or 0)
        due_soon += int(soon or 0)
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "overdue": overdue,
        "due_soon": due_soon,
        "seq": seq,
    }
