"""Attribution structures and certainty rules of issue 17's second round, on invented sentences.

Speakers: continued quotations, a paragraph introducing a quotation, organisations described
rather than named, surnames, titles with their office, asides, passive agents, reported speech
running on, datelines. Certainty: plans and intentions, targets, confidence, hedges in reported
speech, conditions that open a sentence or follow "once".
"""

from __future__ import annotations

from datetime import date

import pytest

from claims.extract import extract

from .conftest import only, quoting

WEDNESDAY = date(2025, 3, 12)


def _claim(text: str, key: str):
    return quoting(text, key, WEDNESDAY)


@pytest.mark.parametrize(
    ("text", "key", "speaker"),
    [
        (
            "“Demand is strong,” Ingrid Solberg said on Tuesday.\n"
            "“We will open two plants next year and hire 500 workers.”",
            "open two plants",
            "Ingrid Solberg",
        ),
        (
            "Ingrid Solberg, the chief executive of Halvorsen Oil, spoke on Tuesday.\n"
            "“Demand is strong,” she said. “We will open two plants next year.”",
            "open two plants",
            "Ingrid Solberg",
        ),
        (
            "The agency issued the following statement from Kari Berg, its director:\n"
            "“We are ready to support the launch on May 19.”",
            "ready to support",
            "Kari Berg",
        ),
    ],
)
def test_a_quotation_without_attribution_continues_or_follows_its_introduction(text, key, speaker):
    assert _claim(text, key).claimant == speaker


@pytest.mark.parametrize(
    "text",
    [
        "Halvorsen Oil reported record profits on Tuesday.\n"
        "The Oslo-based company expects output to rise 4% in 2026.",
        "Halvorsen Oil reported record profits on Tuesday.\n"
        "The world's third-largest oil producer said it would open two plants next year.",
        "Halvorsen Oil reported record profits on Tuesday.\n"
        "The Norwegian oil major plans to open two plants next year.",
    ],
)
def test_an_organisation_described_not_named_is_the_one_the_article_names(text):
    assert only(text, WEDNESDAY).claimant == "Halvorsen Oil"


def test_a_bare_surname_is_the_full_name_given_earlier():
    text = 'Ingrid Solberg runs Halvorsen Oil.\n"We will open two plants next year," Solberg said.'

    assert only(text, WEDNESDAY).claimant == "Ingrid Solberg"


def test_a_title_with_its_office_names_the_person_after_the_office():
    text = (
        "Deputy Minister of Health Lena Varga said the vaccination campaign will begin next week."
    )

    assert only(text, WEDNESDAY).claimant == "Lena Varga"


def test_an_ambassador_to_a_country_is_found_again_by_role():
    text = (
        "Norwegian Ambassador to Russia Piet Hanssen said talks would resume in April.\n"
        "“A range of documents will be signed in April,” the Norwegian ambassador told reporters."
    )

    assert _claim(text, "documents will be signed").claimant == "Piet Hanssen"


def test_an_aside_between_speaker_and_verb_is_not_the_speaker():
    text = "Solberg, speaking at a conference in Oslo, said the plants would open in June."

    assert only(text, WEDNESDAY).claimant == "Solberg"


def test_the_agent_of_an_announcement_is_the_claimant():
    text = "Two plants will open next year under plans announced by Halvorsen Oil on Tuesday."

    assert only(text, WEDNESDAY).claimant == "Halvorsen Oil"


def test_a_claim_told_to_a_briefing_keeps_its_claim_and_its_speaker():
    text = "Westland and Nordland plan to sign 30 agreements in June, Piet Hanssen told a briefing."

    proposal = only(text, WEDNESDAY)

    assert (proposal.claimant, proposal.certainty) == ("Piet Hanssen", "expected")


def test_indirect_speech_runs_on_into_a_dated_sentence():
    text = (
        "Election commissioner Mara Lind said the polls would be held in four phases.\n"
        "Counting would take place on October 20."
    )

    assert _claim(text, "Counting").claimant == "Mara Lind"


def test_a_dateline_in_capitals_is_not_part_of_the_speaker():
    text = (
        "OSLO Nordland's energy minister promised on Tuesday that the grid will be finished by "
        "2027."
    )

    assert only(text, WEDNESDAY).claimant == "Nordland's energy minister"


def test_an_owner_of_the_subject_is_the_claimant_of_its_plan():
    text = "Westland Space Agency's lunar probe will launch no earlier than 2027."

    assert only(text, WEDNESDAY).claimant == "Westland Space Agency"


def test_sources_speak_for_an_institution_only_when_their_sentence_names_it():
    text = "Parliament met on Monday.\nSources said the bridge is expected to open in March 2027."

    assert only(text, WEDNESDAY).claimant == "Sources"


def test_a_sentence_opening_it_acts_for_the_organisation_named_before():
    text = "Halvorsen Oil signed the contract on Monday.\nIt will open the plants in June."

    assert _claim(text, "open the plants").claimant == "Halvorsen Oil"


@pytest.mark.parametrize(
    ("text", "certainty"),
    [
        ("Halvorsen Oil plans to open two plants next year.", "expected"),
        ("Halvorsen Oil intends to resume operation from Jan. 6.", "expected"),
        ("Halvorsen Oil is targeting June for the first cargo.", "expected"),
        ("The talks are to resume on March 20.", "asserted"),
        ("Halvorsen Oil is set to open two plants next year.", "asserted"),
        ("Solberg said the plants would likely open in June.", "expected"),
        ("Solberg said she hoped the plants would open in June.", "possible"),
        ("Solberg said she was confident the plants would be ready in June.", "expected"),
        ("“Our target is to complete the project by 2027,” Solberg said.", "expected"),
        ("A rate cut next week is very likely, Governor Mara Lind said.", "expected"),
    ],
)
def test_certainty_of_plans_targets_confidence_and_hedges(text, certainty):
    assert only(text, WEDNESDAY).certainty == certainty


@pytest.mark.parametrize(
    "text",
    [
        "If inflation cools, “we will cut rates in June,” Governor Mara Lind said.",
        "In the likely case that the vote fails, the president would then call an election "
        "within 21 days, Lind said.",
        "Westland can lower its rates in June once inflation expectations settle, Lind said.",
        "After the joint statement is signed, Westland will cut its tariffs in April.",
    ],
)
def test_a_condition_opening_the_sentence_or_after_once_makes_the_claim_conditional(text):
    assert only(text, WEDNESDAY).certainty == "conditional"


def test_once_again_is_no_condition():
    text = "Halvorsen Oil will once again open its plants in June."

    assert only(text, WEDNESDAY).certainty == "asserted"


def test_a_closing_attribution_covers_the_paragraphs_claims_before_it():
    text = (
        "Deputy minister Le Van Tam said on Monday that the first doses had arrived.\n"
        "Another batch of vaccine will be delivered in late April. The ministry has prepared "
        "storage for it, he said."
    )

    assert _claim(text, "Another batch").claimant == "Le Van Tam"


def test_the_company_is_a_company_not_the_regulator_named_before():
    text = (
        "The Nuclear Safety Commission said on Friday it was safe to restart the Norrby plant.\n"
        "Halvor said it had begun the restart. Once the first reactor is online, the company said "
        "it would restart the second in December."
    )

    proposal = _claim(text, "restart the second")

    assert (proposal.claimant, proposal.certainty) == ("Halvor", "conditional")


def test_would_with_a_date_ahead_is_a_future_not_a_hypothesis():
    text = (
        "Municipal polls are slated to start on October 1. Counting would take place on October 20."
    )

    assert _claim(text, "Counting").certainty == "asserted"


def test_would_after_a_past_verb_is_no_future():
    text = "The October rules meant exporters would need to have obtained a permit by December 1."

    assert extract(text, published_on=WEDNESDAY) == []
