"""The claim list: one page of results for a ``ClaimQuery``, and the board's filter choices."""

from __future__ import annotations

from datetime import date
from typing import Any

from claims import shapes, storage
from claims.queries import ClaimQuery

CHOICES_LIMIT = 500
"""Most topics, and most claimants, offered as filter choices."""


def claim_page(
    db: storage.Executor, query: ClaimQuery, *, today: date, due_soon_days: int
) -> dict[str, Any]:
    """Return one page: ``{"items": [...], "next_cursor": ...}``. Raises InvalidInput."""
    after = storage.decode_cursor(query.cursor, query.sort) if query.cursor else None
    rows = storage.list_claims(
        db,
        query.to_filter(today, due_soon_days),
        sort=query.sort,
        limit=query.limit,
        after=after,
    )
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    next_cursor = None
    if more:
        last = rows[-1]
        column = storage.SORTS[query.sort][0]
        next_cursor = storage.encode_cursor(query.sort, getattr(last, column), last.id)
    return {
        "items": [shapes.claim(r, today, due_soon_days) for r in rows],
        "next_cursor": next_cursor,
    }


def fingerprint(
    db: storage.Executor, query: ClaimQuery, today: date, due_soon_days: int, *, paged: bool = True
) -> str:
    """Fingerprint of a list query's answer from the database's latest seq (no list query)."""
    return query.fingerprint(storage.latest_seq(db), today, due_soon_days, paged=paged)


def filter_choices(db: storage.Executor) -> dict[str, list[str]]:
    """Every topic and claimant in use (up to ``CHOICES_LIMIT`` each), in order, for filters.

    Read by skipping through the indexes, one step per distinct value, so the cost grows with
    the number of topics and claimants, not of claims.
    """
    return {
        "topics": storage.distinct_topics(db, CHOICES_LIMIT),
        "claimants": storage.distinct_claimants(db, CHOICES_LIMIT),
    }
