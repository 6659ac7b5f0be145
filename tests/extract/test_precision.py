"""Sentences that look forward but hold no claim to check (issue 17): one rule per test."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

from .conftest import only

THURSDAY = date(2025, 10, 30)


def none(text: str) -> None:
    assert extract(text, published_on=THURSDAY) == []


def test_a_cue_in_a_relative_clause_is_not_a_claim():
    none("The audit listed budget risks that could delay the new bridge.")


def test_a_dated_cue_in_a_relative_clause_is_still_a_claim():
    proposal = only("Officials approved a budget that will fund 40 new buses in March.", THURSDAY)

    assert proposal.due_by == date(2026, 3, 31)


def test_an_undated_description_of_a_thing_is_not_a_claim():
    none("The finished bridge will feature six lanes and a cycle path.")


def test_a_dated_description_is_a_claim():
    proposal = only("The finished bridge will feature six lanes by 2027.", THURSDAY)

    assert proposal.due_by == date(2027, 12, 31)


def test_an_indirect_question_is_not_a_claim():
    none("The plan does not spell out how the country will meet its targets.")


def test_an_undated_want_is_not_a_claim():
    none("“She wants to win,” the coach said.")


def test_due_to_a_cause_is_not_a_claim():
    none("Carver Motors said the line closed due to a strike at a supplier.")


def test_everything_we_possibly_can_is_a_stock_phrase():
    none("“We are doing everything we can,” the minister said.")


def test_a_present_is_without_a_time_is_not_a_schedule():
    none("We are happy with the bank's growth forecasts for next year, Ana Costa said.")


def test_prepared_to_is_a_commitment():
    proposal = only(
        "Ana Costa said her party is prepared to back a short extension through January 30.",
        THURSDAY,
    )

    assert proposal.due_by == date(2026, 1, 30)


def test_a_dated_to_be_launched_is_a_scheduled_event():
    proposal = only(
        "The first project is a weather satellite to be launched between January and March.",
        THURSDAY,
    )

    assert proposal.certainty == "asserted"
