"""Claims in reported speech without a future verb (issue 17): decisions and deal terms."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

from .conftest import only

THURSDAY = date(2025, 10, 30)


def test_a_decision_for_a_dated_action_is_a_claim():
    proposal = only(
        "The producers' group decided to raise output by 50,000 barrels a day in December.",
        THURSDAY,
    )

    assert (proposal.certainty, proposal.due_by) == ("asserted", date(2025, 12, 31))


def test_a_decision_without_a_future_date_is_not_a_claim():
    assert extract("In 2019 the board decided to close the plant.", published_on=THURSDAY) == []


def test_a_term_of_an_agreement_is_a_claim():
    proposal = only(
        "The agreement includes a temporary suspension of Westland's grain quotas.", THURSDAY
    )

    assert proposal.certainty == "asserted"
    assert proposal.quote.startswith("The agreement includes")


def test_a_framework_calling_for_purchases_is_dated_by_its_period():
    proposal = only(
        "The framework calls for purchases of farm goods by Westland worth $50 "
        "billion over two years.",
        THURSDAY,
    )

    assert proposal.due_by == date(2027, 10, 30)


def test_a_purpose_clause_does_not_hedge_the_claim():
    proposal = only(
        "Mayor Ana Costa said she would call a council vote on December 4, so that the "
        "works can start in March.",
        THURSDAY,
    )

    assert proposal.certainty == "asserted"


def test_being_subject_to_a_tariff_is_not_a_condition():
    proposal = only("Steel exports will be subject to 18% tariffs from next month.", THURSDAY)

    assert (proposal.certainty, proposal.condition) == ("asserted", None)


def test_for_as_long_as_necessary_is_not_a_condition():
    proposal = only(
        "Ana Costa said the city will keep the shelters open for as long as necessary this winter.",
        THURSDAY,
    )

    assert proposal.condition is None


def test_calling_an_election_for_a_date_is_a_claim_of_the_caller():
    proposal = only("Prime Minister Ana Costa has called a snap election on 28 November.", THURSDAY)

    assert (proposal.claimant, proposal.due_by) == ("Ana Costa", date(2025, 11, 28))


def test_setting_polling_day_is_a_claim():
    proposal = only(
        "The election board met on Monday, setting polling day for March 15, 2026.", THURSDAY
    )

    assert proposal.due_by == date(2026, 3, 15)


def test_i_see_with_a_date_is_a_forecast():
    proposal = only(
        "“I still see one more cut before the end of the year,” Governor Ana Costa said.",
        THURSDAY,
    )

    assert (proposal.certainty, proposal.due_by) == ("expected", date(2025, 12, 31))


def test_a_commitment_to_doing_is_a_claim():
    proposal = only(
        "Housing minister Ana Costa confirmed the city's commitment to building 900 homes by 2029.",
        THURSDAY,
    )

    assert proposal.due_by == date(2029, 12, 31)


def test_it_includes_opening_a_sentence_states_deal_terms():
    text = (
        "Westland and Ostria signed the trade accord on Monday.\n"
        "It includes lower tariffs on cars and the end of steel quotas by March."
    )

    assert only(text, THURSDAY).certainty == "asserted"


def test_not_expected_until_a_date_is_a_claim_about_when():
    proposal = only(
        "Mayor Ana Costa confirmed on Monday that the tunnel was not expected to "
        "reopen until the second half of next year.",
        THURSDAY,
    )

    assert proposal.due_by == date(2026, 12, 31)


def test_a_relative_clause_aside_does_not_hedge_the_claim():
    proposal = only(
        "The phone, which may be called Fold X, will be released before the end of the year.",
        THURSDAY,
    )

    assert proposal.certainty == "asserted"


def test_a_participle_clause_after_a_comma_is_a_claim_of_its_own():
    text = (
        "Premier Ana Costa will call an election on 28 November, opening "
        "a race that is widely expected to turn on housing."
    )

    assert len(extract(text, published_on=THURSDAY)) == 2


def test_the_day_of_the_news_does_not_date_a_later_event():
    proposal = only(
        "Party leaders agreed on Thursday that the election will be held on May 3.", THURSDAY
    )

    assert proposal.due_by == date(2026, 5, 3)


def test_a_later_can_does_not_weaken_a_will():
    proposal = only(
        "From 12 November, any resident over 70 will be able to apply for a permit online "
        "or can call the office.",
        THURSDAY,
    )

    assert proposal.certainty == "asserted"


def test_a_sentence_opening_when_clause_is_a_condition():
    proposal = only(
        "When the truce holds, both sides will swap their remaining detainees by March.",
        THURSDAY,
    )

    assert (proposal.certainty, proposal.condition) == ("conditional", "the truce holds")


def test_a_dated_goal_after_as_it_is_a_claim_of_its_own_with_its_own_date():
    text = (
        "Carver Power plans to spend $2 billion in 2026, as it works toward reaching 5 "
        "GW of wind capacity in 2030."
    )

    proposals = extract(text, published_on=THURSDAY)

    assert [(p.claimant, p.due_by) for p in proposals] == [
        ("Carver Power", date(2026, 12, 31)),
        ("Carver Power", date(2030, 12, 31)),
    ]


def test_a_dated_promise_reported_after_an_event_is_still_a_claim():
    text = (
        "Orbis said on Monday it had a record quarter.\n"
        "Orbis shares rose after Orbis said it would buy back $2 billion of stock over the next "
        "two years.\n"
        "Analysts praised Orbis."
    )

    proposals = extract(text, published_on=THURSDAY)

    assert [p.claimant for p in proposals] == ["Orbis"]
