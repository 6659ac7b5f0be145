"""The proposals as a whole: verbatim quotes, offsets, slugs, topics and the model."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from claims.extract import Proposal, draft, extract
from claims.extract.evaluate import load

DATA = Path(__file__).resolve().parents[1] / "data"
ARTICLES = sorted(DATA.glob("*.yaml"))


@pytest.fixture(params=ARTICLES, ids=lambda p: p.stem)
def article(request):
    return load(request.param)


def test_quote_is_verbatim_substring(article):
    for proposal in extract(article.text, published_on=article.published_on):
        assert article.text[proposal.quote_start : proposal.quote_end] == proposal.quote
        assert proposal.sentence_start <= proposal.quote_start < proposal.quote_end
        assert proposal.quote_end <= proposal.sentence_end


def test_slugs_are_unique_lowercase_hyphenated_and_short(article):
    slugs = [p.slug for p in extract(article.text, published_on=article.published_on)]

    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", s) and len(s) <= 80 for s in slugs)


def test_stated_on_is_the_publication_date(article):
    proposals = extract(article.text, published_on=article.published_on)

    assert {p.stated_on for p in proposals} == {article.published_on}


def test_headings_are_never_proposed():
    text = "Trump and Xi to meet next week\nThe talks ended on Sunday."

    assert extract(text, published_on=date(2025, 10, 26)) == []


def test_the_last_line_is_prose_even_without_its_full_stop():
    text = (
        "Westland Audio is getting ready to launch a speaker.\n"
        "The speaker will sell for about $300 and debut in March"
    )

    (proposal,) = extract(text, published_on=date(2025, 10, 26))

    assert proposal.quote.startswith("The speaker will sell")


def test_an_adverb_before_a_dated_target_keeps_the_target():
    text = "Westland Audio is conditionally targeting March 8 to unveil a new speaker."

    (proposal,) = extract(text, published_on=date(2025, 10, 26))

    assert (proposal.due_by, proposal.certainty) == (date(2026, 3, 8), "expected")


def test_topics_are_guessed_from_keywords():
    text = "Bessent said China will buy soybeans and defer rare earth export controls next month."

    (proposal,) = extract(text, published_on=date(2025, 10, 26))

    assert {"agriculture", "rare-earths"} <= set(proposal.topics)


def test_statement_drops_the_hedge_and_reads_as_a_sentence():
    text = "“I think we’re going to have a deal with China,” Donald Trump said."

    (proposal,) = extract(text, published_on=date(2025, 10, 26))

    assert proposal.statement == "We’re going to have a deal with China."


def test_proposal_round_trips_through_json():
    (proposal,) = extract("Bessent said Trump will visit Beijing next fall.",
                          published_on=date(2025, 10, 26))

    again = Proposal.model_validate_json(proposal.model_dump_json())

    assert again == proposal
    assert again.due_reason


def test_one_sentence_can_hold_several_claims():
    text = (
        "Bessent said Trump could visit Beijing early next year, just ahead of the Lunar New "
        "Year, with a reciprocal meeting in Washington planned before Xi’s expected visit for "
        "the G20 summit next fall."
    )

    proposals = extract(text, published_on=date(2025, 10, 26))

    assert [(p.due_from, p.due_by) for p in proposals] == [
        (date(2026, 1, 1), date(2026, 2, 16)),
        (None, date(2026, 12, 19)),  # before the visit, which may fall on Dec 20
        (date(2026, 9, 23), date(2026, 12, 20)),
    ]


def test_coordinated_goals_with_their_own_dates_are_separate_claims():
    text = ("Front Range Power will close its last coal plant by 2032 and reach net-zero "
            "emissions by 2050, chief executive Hannah Cole said Thursday.")

    proposals = extract(text, published_on=date(2025, 1, 30))

    assert [p.due_by for p in proposals] == [date(2032, 12, 31), date(2050, 12, 31)]


def test_extract_is_deterministic(article):
    first = extract(article.text, published_on=article.published_on)

    assert extract(article.text, published_on=article.published_on) == first


def test_draft_holds_the_source_and_json_ready_claims():
    text = "Bessent said Trump will visit Beijing next fall."
    proposals = extract(text, published_on=date(2025, 10, 26))

    result = draft(proposals, published_on=date(2025, 10, 26), title="T", url="https://x.test/a")

    assert result["source"] == {"title": "T", "url": "https://x.test/a",
                                "published_on": "2025-10-26"}
    assert result["claims"][0]["due_from"] == "2026-09-23"


def test_a_slug_of_figures_alone_still_has_a_letter():
    text = "Finance Minister Jane Roe said on Monday: “It will be 100 by 2027.”"

    slugs = [p.slug for p in extract(text, published_on=date(2026, 12, 1))]

    assert slugs
    assert all(re.search(r"[a-z]", slug) for slug in slugs)
