"""The dashboard summary: total, counts by status, overdue, due soon, under the list's filters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from claims import storage
from claims.queries import ClaimQuery
from claims.status import Status


def summary(
    db: storage.Executor, query: ClaimQuery, *, today: date, due_soon_days: int
) -> dict[str, Any]:
    """Return total, counts by status, overdue, due soon and the seq they were counted at."""
    seq = storage.latest_seq(db)
    f = query.to_filter(today, due_soon_days)
    soon_until = today + timedelta(days=due_soon_days)
    rows = storage.tally_counts(db, f, today, soon_until)
    if rows is None:  # filters on topic, claimant, source or text need the claims themselves
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
