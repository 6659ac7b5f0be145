"""The Atom feed of verdicts and corrections, newest first, built with feedgen (RFC 4287).

One entry per status change that sets a verdict or corrects one (changing or reopening it).
An entry's id is the permanent address of that change in the claim's history
(``…/v1/claims/{id}/history#seq-{seq}``), so it never changes; corrections say so in their
title, with the verdict they replace. Entries link to the claim's page and to the evidence
the change cited.
"""

from __future__ import annotations

from typing import Any

from feedgen.feed import FeedGenerator
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims import storage
from claims.clock import as_utc, now
from claims.config import Settings
from claims.interop import queries
from claims.interop.claimreview import claim_page_url
from claims.interop.labels import label
from claims.status import VERDICTS

FEED_PATH = "/v1/feeds/verdicts.atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"


def fingerprint(session: Session, limit: int) -> str:
    """A tag that changes whenever the feed may have: the latest seq (every write bumps it)."""
    return f"{storage.latest_seq(session)}-{limit}"


def verdict_feed(session: Session, settings: Settings, *, limit: int = 100) -> bytes:
    """Return the feed of the latest ``limit`` verdicts and corrections, as Atom XML bytes."""
    rows = queries.verdict_events(session, limit=limit)
    base = settings.public_url
    feed = FeedGenerator()
    feed.id(base + FEED_PATH)
    feed.title(f"{settings.publisher_name}: verdicts and corrections")
    feed.subtitle("Claims checked by the newsroom: each verdict, and every correction of one.")
    feed.author({"name": settings.publisher_name, "uri": base})
    feed.link(href=base + FEED_PATH, rel="self", type="application/atom+xml")
    feed.link(href=base + "/", rel="alternate", type="text/html")
    feed.language("en")
    feed.updated(as_utc(rows[0].at) if rows else now())
    for row in rows:
        _add_entry(feed, row, settings)
    return feed.atom_str(pretty=True)


def entry_title(row: Row) -> str:
    """Say what the change did: the verdict, or the correction and what it replaced."""
    to_status = label(row.to_status).name
    if not row.correction:
        return f"{to_status}: {row.statement}"
    before = label(row.from_status).name if row.from_status else "unknown"
    if row.to_status in VERDICTS:
        return f"Correction: {to_status} (was {before}): {row.statement}"
    return f"Correction: reopened as {to_status} (was {before}): {row.statement}"


def _add_entry(feed: FeedGenerator, row: Row, settings: Settings) -> None:
    at = as_utc(row.at)
    entry = feed.add_entry(order="append")
    entry.id(f"{settings.public_url}/v1/claims/{row.claim_id}/history#seq-{row.seq}")
    entry.title(entry_title(row))
    entry.published(at)
    entry.updated(at)
    entry.link(href=claim_page_url(settings, row.slug), rel="alternate", type="text/html")
    seen: set[str] = set()
    for item in row.evidence or []:
        url = item.get("url")
        if url and url not in seen:
            seen.add(url)
            entry.link(href=url, rel="related", title=item.get("title") or url)
    entry.category(term=row.to_status, label=label(row.to_status).name)
    entry.contributor({"name": row.actor_name})
    entry.summary(_summary(row))


def _summary(row: Row) -> str:
    parts: list[str] = [f"Claim by {row.claimant}: {row.statement}"]
    if row.note:
        parts.append(f"Note: {row.note}")
    if row.occurred_on:
        parts.append(f"Happened on {row.occurred_on.isoformat()}.")
    titles: list[Any] = [item.get("title") for item in row.evidence or [] if item.get("title")]
    if titles:
        parts.append("Evidence: " + "; ".join(titles))
    return "\n".join(parts)
