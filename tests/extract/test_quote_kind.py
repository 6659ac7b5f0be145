"""Proposals say whose words their quote is: direct inside quotation marks, else reported;
accepting a proposal keeps that kind on the claim."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from claims import storage
from claims.extract import extract
from claims.extract.apply import apply_proposals, source_of
from claims.models import ExtractRequest

PUBLISHED = date(2026, 1, 15)
ARTICLE = (
    "City news\n"
    "Mayor Jane Doe spoke on Monday.\n"
    "“We will open the new plant in March,” Doe said.\n"
    "Doe said the city will build a new bridge by 2027.\n"
)


def kinds(text: str) -> dict[str, str]:
    return {p.quote: p.quote_kind for p in extract(text, published_on=PUBLISHED)}


def test_quote_inside_quotation_marks_is_proposed_as_direct():
    assert kinds(ARTICLE)["We will open the new plant in March"] == "direct"


def test_the_articles_own_account_of_what_was_said_is_proposed_as_reported():
    assert kinds(ARTICLE)["the city will build a new bridge by 2027"] == "reported"


def test_applied_proposals_keep_their_quote_kind(session):
    request = ExtractRequest(text=ARTICLE, published_on=PUBLISHED)
    proposals = extract(request.text, published_on=PUBLISHED)

    apply_proposals(session, proposals, source=source_of(request))

    rows = session.execute(select(storage.claim_t.c.quote, storage.claim_t.c.quote_kind))
    assert dict(rows.all()) == {p.quote: p.quote_kind for p in proposals}
