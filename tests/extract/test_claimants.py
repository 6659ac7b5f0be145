"""Who a claim is credited to."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

from .conftest import only

PUB = date(2025, 10, 26)


def test_claimant_from_said_attribution():
    proposal = only("Bessent said Trump could visit Beijing early next year.", PUB)

    assert proposal.claimant == "Bessent"
    assert proposal.quote == "Trump could visit Beijing early next year"


def test_claimant_takes_full_name_and_role_from_title():
    text = (
        "Treasury Secretary Scott Bessent spoke on Sunday.\n"
        "Bessent said Trump could visit Beijing early next year."
    )

    proposal = only(text, PUB)

    assert (proposal.claimant, proposal.claimant_role) == ("Scott Bessent", "Treasury Secretary")


def test_claimant_from_said_after_the_claim():
    text = "“We will open the line Monday morning,” said Mayor Elena Ortiz."

    assert only(text, date(2025, 11, 14)).claimant == "Elena Ortiz"


def test_claimant_from_according_to_with_apposition():
    text = (
        "According to Belmont’s foreign minister, Idris Kamara, a joint commission will present "
        "a draft agreement early next year."
    )

    proposal = only(text, date(2026, 2, 4))

    assert proposal.claimant == "Idris Kamara"
    assert proposal.quote == "a joint commission will present a draft agreement early next year"


def test_pronoun_resolves_to_last_named_speaker():
    text = (
        "“I think we will be able to discuss the crisis,” Treasury Secretary Scott Bessent said.\n"
        "“I think we are going to be able to discuss soybean purchases,” he added."
    )

    proposals = extract(text, published_on=PUB)

    assert [p.claimant for p in proposals] == ["Scott Bessent", "Scott Bessent"]


def test_pronoun_resolves_to_named_subject_of_previous_sentence():
    text = (
        "President Donald Trump met Bessent in Malaysia.\n"
        "President Trump sounded optimistic after the talks.\n"
        "He said, “I think we’re going to have a deal with China.”"
    )

    assert only(text, PUB).claimant == "Donald Trump"


def test_tweet_handle_resolves_to_the_named_person():
    text = (
        "Treasury Secretary Scott Bessent spoke on Sunday.\n"
        '.@SecScottBessent: "I think it will be fantastic for U.S. farmers." '
        "pic.twitter.com/0DpRyk45Js"
    )

    assert only(text, PUB).claimant == "Scott Bessent"


def test_role_alone_resolves_to_the_person_with_that_role():
    text = (
        "Governor Rosa Delgado signed the order on Wednesday.\n"
        "The governor also said the state will hire 300 inspectors by the end of 2026."
    )

    assert only(text, date(2025, 4, 9)).claimant == "Rosa Delgado"


def test_possessive_threat_credits_its_author():
    text = (
        "President Donald Trump arrived in Malaysia.\n"
        "The talks come ahead of Trump’s threatened 100% tariffs, set to take effect on "
        "November 1 if Beijing restricts exports."
    )

    proposal = only(text, PUB)

    assert (proposal.claimant, proposal.claimant_role) == ("Donald Trump", "President")


def test_quotation_over_two_sentences_is_credited_to_its_speaker():
    text = (
        "“We are going to reopen the crossing before the harvest festival on March 20. "
        "Farmers have waited long enough,” Foreign Minister Nadia Petrova said."
    )

    proposal = only(text, date(2026, 2, 4))

    assert proposal.claimant == "Nadia Petrova"
    assert proposal.due_by == date(2026, 3, 19)


def test_the_company_is_the_organisation_the_story_is_about():
    text = (
        "Northwind Motors to cut jobs\n"
        "Northwind Motors will cut 1,200 jobs by the end of March, the company said on Thursday."
    )

    assert only(text, date(2026, 1, 15)).claimant == "Northwind Motors"


def test_analysts_at_a_firm_are_credited_to_the_firm():
    text = "Analysts at Brookfield Research said the shares may recover by the summer."

    assert only(text, date(2026, 1, 15)).claimant == "Brookfield Research"


def test_nobody_named_is_unattributed():
    text = "A report on vaccination rates will be published in the coming months."

    assert only(text, date(2025, 9, 17)).claimant == "unattributed"
