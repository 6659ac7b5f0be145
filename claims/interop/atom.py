"""The Atom feed of verdicts and corrections, newest first, built with feedgen (RFC 4287).

One entry per status change that sets a verdict or corrects one (changing or reopening it).
The feed's subtitle carries the history log's latest checkpoint (size, root, time, key) and a
``related`` link to its signed form, so readers who archive the feed archive it too.
An entry's id is the permanent address of that change in the claim's history
(``…/v1/claims/{id}/history#seq-{seq}``), so it never changes; corrections say so in their
title, with the verdict they replace. Entries link to the claim's page and to the evidence
the change cited (in the HTML content).
"""

from __future__ import annotations

import html

from feedgen.feed import FeedGenerator
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims import storage, transparency
from claims.clock import as_utc, now
from claims.config import Settings
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
    rows = storage.verdict_events(session, limit=limit)
    base = settings.public_url
    feed = FeedGenerator()
    feed.id(base + FEED_PATH)
    feed.title(f"{settings.publisher_name}: verdicts and corrections")
    # The log's latest checkpoint rides along, so whoever archives the feed archives it too.
    checkpoint = transparency.checkpoint(session, settings)
    feed.subtitle(
        "Claims checked by the newsroom: each verdict, and every correction of one. "
        + transparency.describe(checkpoint)
    )
    feed.author({"name": settings.publisher_name, "uri": base})
    feed.link(href=base + FEED_PATH, rel="self", type="application/atom+xml")
    feed.link(href=base + transparency.CHECKPOINT_PATH, rel="related", type="application/json")
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
    # One link only: feedgen 1.0 writes just the href of an entry's links (python-feedgen
    # issue 135), and two rel-less links would be two "alternate" links, which Atom forbids.
    # The evidence links therefore live in the HTML content.
    entry.link(href=claim_page_url(settings, row.slug))
    entry.category(term=row.to_status, label=label(row.to_status).name)
    entry.contributor({"name": row.actor_name})
    entry.summary(_summary(row))
    entry.content(_content(row), type="html")


def _summary(row: Row) -> str:
    parts = [f"Claim by {row.claimant}: {row.statement}"]
    if row.note:
        parts.append(f"Note: {row.note}")
    if row.occurred_on:
        parts.append(f"Happened on {row.occurred_on.isoformat()}.")
    return "\n".join(parts)


def _content(row: Row) -> str:
    """The entry as HTML: the summary's paragraphs, then the evidence as links."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in _summary(row).split("\n"))
    items = "".join(
        f'<li><a href="{html.escape(item["url"])}">{html.escape(item.get("title") or item["url"])}'
        f"</a> ({html.escape(item.get('stance') or 'context')})</li>"
        for item in row.evidence or []
        if item.get("url")
    )
    return paragraphs + (f"<p>Evidence:</p><ul>{items}</ul>" if items else "")
