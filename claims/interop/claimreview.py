"""schema.org ClaimReview (JSON-LD) for a claim with a verdict: what search engines and fact-check
aggregators read.

The document carries the properties Google's fact-check structured data marks required
(``claimReviewed``, ``reviewRating`` with ``alternateName``, ``url``) and the recommended ones
(``author``, ``datePublished``, ``itemReviewed`` as a ``Claim`` with its ``author``,
``datePublished`` and ``appearance``). ``claimReviewed`` is the claim's statement, never its
quote; the quote is the ``appearance``, credited to the claimant only when it is direct
(a reported quote is the outlet's words). Ratings follow ``claims.interop.labels``. Claims without
a verdict have no ClaimReview: there is nothing reviewed yet.

``claim_review`` is what a page embeds (``script_json`` makes it safe inside a ``<script>``);
the API finds the claim with ``get_reviewed_claim``, which raises NotFound without a verdict.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy.engine import Row
from sqlmodel import Session

from claims import services, storage
from claims.clock import as_utc
from claims.config import Settings
from claims.errors import NotFound
from claims.interop.labels import BEST_RATING, WORST_RATING, label
from claims.models import QuoteKind, is_http_url
from claims.status import VERDICTS, Status

CONTEXT = "https://schema.org"


def claim_page_url(settings: Settings, slug: str) -> str:
    """The public address of a claim's page."""
    return f"{settings.public_url}/claims/{slug}"


def claim_review(session: Session, claim: Row, settings: Settings) -> dict[str, Any] | None:
    """Return the ClaimReview of a claim row, or None while the claim has no verdict."""
    if claim.status not in VERDICTS:
        return None
    first = storage.first_verdict(session, claim.id)
    latest = storage.last_status_change(session, claim.id)
    source = storage.find_source(session, claim.source_id) if claim.source_id else None
    return build(claim, source, first=first, latest=latest, settings=settings)


def get_reviewed_claim(session: Session, ref: int | str) -> Row:
    """Return a claim (by id or slug) that has a verdict. Raises NotFound (no claim, no verdict)."""
    claim = services.get_claim(session, ref)
    if claim.status not in VERDICTS:
        raise NotFound(
            f"claim {claim.id} has no verdict yet ({claim.status}); a ClaimReview exists only "
            "once an editor has set one"
        )
    return claim


def build(
    claim: Row,
    source: Row | None,
    *,
    first: Row | None,
    latest: Row | None,
    settings: Settings,
) -> dict[str, Any]:
    """Assemble the JSON-LD document from the claim, its source and its verdict events."""
    status = Status(claim.status)
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": label(status).name}
    value = label(status).rating
    if value is not None:
        rating.update(ratingValue=value, bestRating=BEST_RATING, worstRating=WORST_RATING)
    if latest is not None and latest.note:
        rating["ratingExplanation"] = latest.note
    claimant: dict[str, Any] = {"@type": "Person", "name": claim.claimant}
    if claim.claimant_role:
        claimant["jobTitle"] = claim.claimant_role
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": claimant,
        "datePublished": claim.stated_on.isoformat(),
    }
    appearance = _appearance(claim, claimant, source)
    if appearance is not None:
        item["appearance"] = appearance
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": claim_page_url(settings, claim.slug),
        "claimReviewed": claim.statement,
        "itemReviewed": item,
        "reviewRating": rating,
        "author": {
            "@type": "Organization",
            "name": settings.publisher_name,
            "url": settings.public_url,
        },
    }
    if first is not None:
        review["datePublished"] = _day(first.at, settings)
    if latest is not None and first is not None and latest.seq != first.seq:
        review["dateModified"] = _day(latest.at, settings)
    return review


def _appearance(claim: Row, claimant: dict[str, Any], source: Row | None) -> dict[str, Any] | None:
    """Where the claim appeared. With a quote: the quote as a CreativeWork whose ``text`` it is
    and whose ``author`` is the claimant (direct) or the outlet (reported: its paraphrase),
    ``isPartOf`` the source. Without one: the source itself."""
    work = _source_work(source) if source is not None else None
    if not claim.quote:
        return work
    quoted: dict[str, Any] = {"@type": "CreativeWork", "text": claim.quote}
    if claim.quote_kind == QuoteKind.REPORTED:
        if work is not None and "publisher" in work:
            quoted["author"] = work["publisher"]
    else:
        quoted["author"] = claimant
    if work is not None:
        if "url" in work:
            quoted["url"] = work["url"]
        quoted["isPartOf"] = work
    return quoted


def _source_work(source: Row) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "headline": source.title}
    if is_http_url(source.url):  # rows written before the rule, or by hand, may hold others
        work["url"] = source.url
    if source.published_on:
        work["datePublished"] = source.published_on.isoformat()
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    return work


def _day(at: datetime, settings: Settings) -> str:
    day: date = as_utc(at).astimezone(settings.zone).date()
    return day.isoformat()


def script_json(document: dict[str, Any]) -> str:
    """Serialize a JSON-LD document for a ``<script type="application/ld+json">`` element.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so text such as ``</script>`` in a
    statement cannot end the element early; JSON parsers read the same values back.
    """
    text = orjson.dumps(document).decode("utf-8")
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
