"""``apply_proposals``: proposals become pending claims of one source, once (both databases)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from claims import creates, services, storage
from claims.errors import InvalidInput
from claims.extract import extract
from claims.extract.apply import apply_proposals, source_of
from claims.models import Actor, ClaimCreate, ClaimUpdate, ExtractRequest
from claims.status import Role
from tests.conftest import write_marks

PUBLISHED = date(2026, 1, 15)
ARTICLE = "City hall news\nThe museum will reopen next month.\n"


def _request(text: str = ARTICLE, **fields) -> ExtractRequest:
    return ExtractRequest(text=text, published_on=PUBLISHED, **fields)


def _claims(session) -> list:
    return list(session.execute(select(storage.claim_t).order_by(storage.claim_t.c.id)))


def test_apply_creates_unattributed_proposals_with_that_claimant(session):
    request = _request()
    proposals = extract(request.text, published_on=PUBLISHED)

    created, skipped = apply_proposals(session, proposals, source=source_of(request))

    assert (created, skipped) == (1, 0)
    assert [(c.claimant, c.status) for c in _claims(session)] == [("unattributed", "pending")]


def test_apply_takes_the_source_title_from_the_first_line(session):
    request = _request()

    apply_proposals(
        session, extract(request.text, published_on=PUBLISHED), source=source_of(request)
    )

    assert [s.title for s in storage.list_sources(session)] == ["City hall news"]


def test_apply_reuses_the_source_with_the_same_url(session):
    request = _request(url="https://example.org/museum")
    first = extract(request.text, published_on=PUBLISHED)
    apply_proposals(session, first, source=source_of(request))
    other = _request(
        "City hall news\nThe library will close next month.\n",
        url="https://example.org/museum",
        title="Another title",
    )

    apply_proposals(session, extract(other.text, published_on=PUBLISHED), source=source_of(other))

    assert len(storage.list_sources(session)) == 1
    assert len({c.source_id for c in _claims(session)}) == 1


def test_apply_gives_a_slug_taken_by_an_unrelated_claim_the_next_free_one(session):
    proposals = extract(ARTICLE, published_on=PUBLISHED)
    creates.create_claim(
        session,
        ClaimCreate(slug=proposals[0].slug, statement="Another claim", claimant="Someone"),
        actor=Actor(name="desk", role=Role.REVIEWER),
    )

    created, skipped = apply_proposals(session, proposals, source=source_of(_request()))

    assert (created, skipped) == (1, 0)
    assert _claims(session)[-1].slug == f"{proposals[0].slug}-2"


def test_apply_skips_a_claim_whose_quote_was_edited_but_slug_kept(session, engine):
    request = _request()
    proposals = extract(ARTICLE, published_on=PUBLISHED)
    apply_proposals(session, proposals, source=source_of(request))
    services.edit_claim(
        session,
        _claims(session)[0].id,
        ClaimUpdate(quote="A quotation the reviewer corrected"),
        expected_version=1,
        actor=Actor(name="desk", role=Role.REVIEWER),
        today=PUBLISHED,
        due_soon_days=14,
    )
    marks = write_marks(engine)

    created, skipped = apply_proposals(session, proposals, source=source_of(request))

    assert (created, skipped) == (0, 1)
    assert write_marks(engine) == marks


def test_apply_refuses_an_invalid_proposal_and_writes_nothing(session, engine):
    proposals = extract(ARTICLE, published_on=PUBLISHED)
    too_long = proposals[0].model_copy(update={"quote": "x" * 2001})
    marks = write_marks(engine)

    with pytest.raises(InvalidInput, match="not a valid claim"):
        apply_proposals(session, [*proposals, too_long], source=source_of(_request()))

    assert write_marks(engine) == marks
    assert storage.list_sources(session) == []


def test_an_article_published_in_the_future_has_no_source():
    request = ExtractRequest(text=ARTICLE, published_on=date(2099, 1, 1))

    with pytest.raises(InvalidInput, match="published_on: must not be in the future"):
        source_of(request)


def test_apply_refuses_proposals_stated_in_the_future_and_writes_nothing(session, engine):
    proposals = extract(ARTICLE, published_on=date(2099, 1, 1))
    marks = write_marks(engine)

    with pytest.raises(InvalidInput, match="stated_on: must not be in the future"):
        apply_proposals(session, proposals, source=source_of(_request()), today=PUBLISHED)

    assert write_marks(engine) == marks
    assert storage.list_sources(session) == []


def test_apply_refuses_a_source_published_after_the_newsrooms_day(session):
    proposals = extract(ARTICLE, published_on=PUBLISHED)
    source = source_of(_request())

    with pytest.raises(InvalidInput, match="published_on: must not be in the future"):
        apply_proposals(session, proposals, source=source, today=date(2026, 1, 13))

    assert storage.list_sources(session) == []
