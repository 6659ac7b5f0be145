"""The review queue: what needs a reviewer's or an editor's attention, most urgent first.

Three sections, each a read of the claim list (no rule of its own beyond the order):
open claims past their deadline, oldest deadline first; open claims due soon, soonest first;
open claims nobody has changed for ``review_stale_days`` (and in neither of the first two),
least recently changed first. So a claim is listed once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from claims import shapes, storage
from claims.status import OPEN

SECTION_LIMIT = 200
"""Most claims listed per section (each section's count covers them all)."""


def queue(
    db: storage.Executor,
    *,
    today: date,
    now: datetime,
    due_soon_days: int,
    stale_days: int,
    assignee: str | None = None,
) -> dict[str, Any]:
    """Return ``{"overdue", "due_soon", "stale"}`` (each ``{"items", "total"}``) and ``seq``;
    with ``assignee``, only the claims assigned to that person."""
    seq = storage.latest_seq(db)
    is_open = frozenset(OPEN)
    soon_until = today + timedelta(days=due_soon_days)
    sections = {
        "overdue": (
            storage.ClaimFilter(statuses=is_open, overdue=True, today=today, assignee=assignee),
            "due_by",
        ),
        "due_soon": (
            storage.ClaimFilter(
                statuses=is_open, due_soon_until=soon_until, today=today, assignee=assignee
            ),
            "due_by",
        ),
        "stale": (
            storage.ClaimFilter(
                statuses=is_open,
                updated_before=now - timedelta(days=stale_days),
                due_later_than=soon_until,
                today=today,
                assignee=assignee,
            ),
            "updated_at",
        ),
    }
    result: dict[str, Any] = {"seq": seq}
    for name, (f, sort) in sections.items():
        rows = storage.list_claims(db, f, sort=sort, limit=SECTION_LIMIT, after=None)
        counts = storage.summary_counts(db, f, today, soon_until)
        result[name] = {
            "items": [shapes.claim(r, today, due_soon_days) for r in rows[:SECTION_LIMIT]],
            "total": sum(int(row[1]) for row in counts),
        }
    return result
