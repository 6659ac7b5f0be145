"""What a proposal asks (issue 17): a checkable statement, one claim once, draft criteria."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

from .conftest import only

THURSDAY = date(2025, 10, 30)


def test_statement_names_the_subject_instead_of_a_pronoun():
    text = "Westland's central bank said on Thursday that it will cut rates in December."

    assert only(text, THURSDAY).statement == "Westland's central bank will cut rates in December."


def test_statement_of_a_first_person_quote_names_the_speaker():
    text = "“I’ll be in Lisbon next week,” Finance Minister Ana Costa said."

    assert only(text, THURSDAY).statement == "Ana Costa will be in Lisbon next week."


def test_the_same_event_from_two_sentences_is_one_claim():
    text = (
        "Prime Minister Ana Costa and President Idris Kamara are expected to meet in Geneva "
        "next week to sign the border treaty, Foreign Minister Li Wen said.\n"
        "Costa left for a tour expected to end with a meeting with Idris Kamara in Geneva "
        "on Tuesday to sign the treaty."
    )

    proposals = extract(text, published_on=THURSDAY)

    assert len(proposals) == 1
    assert proposals[0].claimant == "Li Wen"


def test_a_merged_claim_keeps_the_date_of_its_own_sentence():
    text = (
        "Prime Minister Ana Costa and President Idris Kamara are expected to meet in Geneva "
        "next week to sign the border treaty, Foreign Minister Li Wen said.\n"
        "Costa left for a tour expected to end with a meeting with Idris Kamara in Geneva "
        "on Tuesday to sign the treaty."
    )

    proposal = extract(text, published_on=THURSDAY)[0]

    assert (proposal.due_from, proposal.due_by) == (date(2025, 11, 3), date(2025, 11, 9))


def test_claims_with_different_figures_are_not_merged():
    text = (
        "Carver Motors expects sales of 40,000 to 45,000 cars for the year.\n"
        "Carver Motors expects sales of 9,000 to 10,000 cars for the quarter."
    )

    assert len(extract(text, published_on=THURSDAY)) == 2


def test_a_nested_event_is_not_merged_into_the_claim_it_sits_in():
    text = (
        "Costa said a summit in Lisbon is planned before Kamara's expected visit to the "
        "games next summer."
    )

    assert len(extract(text, published_on=THURSDAY)) == 2


def test_resolution_criteria_are_drafted_with_the_deadline():
    proposal = only("Carver Motors will open its Ohio plant by the end of the year.", THURSDAY)

    criteria = proposal.resolution_criteria or ""
    assert "Fulfilled: Carver Motors will open its Ohio plant" in criteria
    assert "on or before 2025-12-31" in criteria
    assert "Broken: 2025-12-31 passes without it" in criteria
    assert "Void:" in criteria


def test_resolution_criteria_of_a_conditional_claim_are_void_if_the_condition_fails():
    proposal = only(
        "Carver Motors will open its Ohio plant next year if the state pays for the road.", THURSDAY
    )

    assert "the condition is not met (the state pays for the road)" in (
        proposal.resolution_criteria or ""
    )


def test_statement_of_i_with_a_present_verb_agrees_with_the_name():
    text = "“I continue to expect a rate cut in March,” Governor Ana Costa said."

    assert only(text, THURSDAY).statement == ("Ana Costa continues to expect a rate cut in March.")


def test_statement_of_a_coordinated_verb_gets_the_claimants_name():
    text = (
        "Westland's trade ministry said it would lift the quotas in December, and will "
        "review the tariffs next year."
    )

    statements = [p.statement for p in extract(text, published_on=THURSDAY)]

    assert statements[-1] == "Westland's trade ministry will review the tariffs next year."


def test_a_meeting_takes_its_date_from_its_own_sentence_only():
    text = (
        "Foreign Minister Li Wen said Ana Costa and Idris Kamara will meet in Geneva to sign "
        "the border treaty.\n"
        "Crowds gathered outside the palace.\n"
        "Kamara is expected to fly to Geneva on Tuesday for the signing, his office said."
    )

    for proposal in extract(text, published_on=THURSDAY):
        if "Tuesday" not in proposal.quote:
            assert proposal.due_by is None, proposal.quote


def test_it_in_the_speakers_own_words_is_not_the_speaker():
    text = "“I think it will be fantastic for farmers,” Finance Minister Ana Costa said."

    assert only(text, THURSDAY).statement == "It will be fantastic for farmers."


def test_resolution_criteria_of_an_undated_claim_say_there_is_no_date():
    proposal = only("Carver Motors will open a plant in Ohio, the company said.", THURSDAY)

    assert "(the text gives no date: the reviewer sets one or keeps it open)." in (
        proposal.resolution_criteria or ""
    )
