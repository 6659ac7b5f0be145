"""Claims grouped by who made them, by topic and by story, with a scorecard for each group.

Read-only use cases behind the claimant, topic and story pages: find the group from its slug,
list its claims, count them per status. The scorecard's "share kept" is only given when enough
claims have a verdict (``MIN_VERDICTS``): one broken promise out of one is not a record.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from claims import history, refs, shapes, storage
from claims.errors import NotFound
from claims.status import Status

MIN_VERDICTS = 5
"""Fewest judged claims (fulfilled, partially fulfilled or broken) before a share kept is shown."""

MAX_CLAIMS = 1000
"""Most claims a group's page lists (the scorecard always counts them all)."""

MAX_UPDATES = 100
"""Most status changes a story's page lists."""

JUDGED = (Status.FULFILLED.value, Status.PARTIALLY_FULFILLED.value, Status.BROKEN.value)


def claimant_names(db: storage.Executor, slug: str) -> tuple[str, ...]:
    """Return every spelling of the claimant whose name slugifies to ``slug`` ("Scott Bessent",
    "SCOTT  BESSENT"), the one with the most claims first (the page's title), then by name.
    Raises NotFound."""
    words = slug.split("-")
    candidates = storage.claimants_like(db, words, 50) or storage.distinct_claimants(db, 5000)
    names = [name for name in candidates if refs.slugify(name) == slug]
    if not names:
        raise NotFound(f"no claim was made by a claimant {slug!r}")
    if len(names) > 1:
        counts = storage.claims_per_claimant(db, names)
        names.sort(key=lambda name: (-counts.get(name, 0), name))
    return tuple(names)


def claimant_slug(name: str) -> str:
    """Return the slug of a claimant's page (``Scott Bessent`` → ``scott-bessent``)."""
    return refs.slugify(name)


def topic_name(db: storage.Executor, slug: str) -> str:
    """Return ``slug`` when some claim has that topic. Raises NotFound."""
    f = storage.ClaimFilter(topics=(slug,))
    # limit=0 reads at most one row (a page reads one more than its limit to know of a next).
    if not storage.list_claims(db, f, sort="id", limit=0, after=None):
        raise NotFound(f"no claim has the topic {slug!r}")
    return slug


def claimant_filter(names: tuple[str, ...]) -> storage.ClaimFilter:
    """The filter of one claimant's claims (every spelling of the name, exactly)."""
    return storage.ClaimFilter(claimant_names=names)


def topic_filter(topic: str) -> storage.ClaimFilter:
    """The filter of one topic's claims."""
    return storage.ClaimFilter(topics=(topic,))


def source_filter(source_id: int) -> storage.ClaimFilter:
    """The filter of one story's claims."""
    return storage.ClaimFilter(source_id=source_id)


def group(
    db: storage.Executor,
    f: storage.ClaimFilter,
    *,
    today: date,
    due_soon_days: int,
    sort: str = "due_by",
) -> dict[str, Any]:
    """Return ``{"items", "more", "scorecard", "seq"}`` for the claims under ``f``."""
    seq = storage.latest_seq(db)
    f = replace(f, today=today)
    rows = storage.list_claims(db, f, sort=sort, limit=MAX_CLAIMS, after=None)
    counts = storage.summary_counts(db, f, today, today + timedelta(days=due_soon_days))
    return {
        "items": [shapes.claim(r, today, due_soon_days) for r in rows[:MAX_CLAIMS]],
        "more": len(rows) > MAX_CLAIMS,
        "scorecard": scorecard(counts),
        "seq": seq,
    }


def scorecard(counts: list[Any]) -> dict[str, Any]:
    """Count per status, overdue, due soon, and the share kept when enough are judged.

    ``counts`` are ``(status, count, overdue, due_soon)`` rows. Judged claims are those with a
    verdict other than ``void`` (which means the claim could not be judged); the share kept is
    fulfilled / judged and the share partly kept partially_fulfilled / judged, each a whole
    percentage, both None below ``MIN_VERDICTS`` judged claims.
    """
    by_status = {s.value: 0 for s in Status}
    overdue = due_soon = 0
    for status, count, late, soon in counts:
        by_status[status] = int(count)
        overdue += int(late or 0)
        due_soon += int(soon or 0)
    judged = sum(by_status[s] for s in JUDGED)
    enough = judged >= MIN_VERDICTS
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "overdue": overdue,
        "due_soon": due_soon,
        "judged": judged,
        "min_verdicts": MIN_VERDICTS,
        "kept_percent": _percent(by_status[Status.FULFILLED.value], judged) if enough else None,
        "partly_percent": _percent(by_status[Status.PARTIALLY_FULFILLED.value], judged)
        if enough
        else None,
    }


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole)


def source_updates(db: storage.Executor, source_id: int) -> list[dict[str, Any]]:
    """Return the status changes of a story's claims, newest first, each with its claim."""
    return [
        {**history.public_event(row), "slug": row.slug, "statement": row.statement}
        for row in storage.source_status_changes(db, source_id, limit=MAX_UPDATES)
    ]
