"""Claims in reported speech without a future verb (issue 17): decisions and deal terms."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

from .conftest import only

THURSDAY = date(2025, 10, 30)


def test_a_decision_for_a_dated_action_is_a_claim():
    proposal = only("The cartel decided to raise output by 137,000 barrels a day in December.",
                    THURSDAY)

    assert (proposal.certainty, proposal.due_by) == ("asserted", date(2025, 12, 31))


def test_a_decision_without_a_future_date_is_not_a_claim():
    assert extract("In 2019 the board decided to close the plant.", published_on=THURSDAY) == []


def test_a_term_of_an_agreement_is_a_claim():
    proposal = only("The agreement includes a temporary suspension of Westland's grain quotas.",
                    THURSDAY)

    assert proposal.certainty == "asserted"
    assert proposal.quote.startswith("The agreement includes")


def test_a_framework_calling_for_purchases_is_dated_by_its_period():
    proposal = only("The framework calls for purchases of farm goods by Westland worth $50 "
                    "billion over two years.", THURSDAY)

    assert proposal.due_by == date(2027, 10, 30)


def test_a_purpose_clause_does_not_hedge_the_claim():
    proposal = only("Premier Ana Costa said she would call a vote on December 11, so that an "
                    "election can be held in February.", THURSDAY)

    assert proposal.certainty == "asserted"


def test_being_subject_to_a_tariff_is_not_a_condition():
    proposal = only("Steel exports will be subject to 18% tariffs from next month.", THURSDAY)

    assert (proposal.certainty, proposal.condition) == ("asserted", None)


def test_for_as_long_as_necessary_is_not_a_condition():
    proposal = only("Ana Costa said the city will keep the shelters open for as long as "
                    "necessary this winter.", THURSDAY)

    assert proposal.condition is None
