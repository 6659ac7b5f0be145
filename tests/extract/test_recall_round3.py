"""Rules of the third rules round (issue 17: recall, certainty, precision), on invented
sentences: one test per class of error fixed on the development part."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

from .conftest import quoting

WEDNESDAY = date(2025, 6, 18)


def _proposals(text: str, published_on: date = WEDNESDAY):
    return extract(text, published_on=published_on)


def _claim(text: str, key: str, published_on: date = WEDNESDAY):
    return quoting(text, key, published_on)


def _quotes(text: str, published_on: date = WEDNESDAY) -> list[str]:
    return [p.quote for p in _proposals(text, published_on)]


# -- reported speech without a future verb -------------------------------------------------


def test_a_possibility_that_cannot_be_ruled_out_is_a_possible_claim():
    claim = _claim("A further cut in the levy cannot be ruled out, the treasurer said.", "cut")
    assert claim.certainty == "possible"


def test_a_possibility_not_ruled_out_by_a_negated_will_is_a_possible_claim():
    claim = _claim("The board will not rule out a rate rise in August, Ana Costa said.", "rise")
    assert claim.certainty == "possible"


def test_hopeful_of_doing_is_an_expected_claim():
    claim = _claim("“We are hopeful of opening the new wing,” Dr Mira Holt said.", "opening")
    assert claim.certainty == "expected"


def test_confidence_in_achieving_is_an_expected_claim():
    claim = _claim(
        "“We have great confidence in meeting our sales goals,” Tom Reyes said.", "meeting"
    )
    assert claim.certainty == "expected"


def test_a_contracted_would_like_to_is_a_possible_claim():
    claim = _claim("Lena Park said she’d like to see the line extended before 2030.", "extended")
    assert claim.certainty == "possible"
    assert claim.due_by == date(2029, 12, 31)


def test_hopefully_makes_a_possible_claim():
    claim = _claim("Crews are working to hopefully reopen the road twice a week.", "reopen")
    assert claim.certainty == "possible"


def test_a_commitment_of_doing_is_an_asserted_claim():
    claim = _claim(
        "The council renewed its commitment of planting 5,000 trees by 2030.", "planting"
    )
    assert claim.certainty == "asserted"
    assert claim.due_by == date(2030, 12, 31)


def test_a_sum_committed_is_an_asserted_claim():
    claim = _claim(
        "The mayor said the region also committed to $40 million in road repairs.", "$40 million"
    )
    assert claim.certainty == "asserted"


def test_remaining_committed_is_a_stance_not_a_claim():
    assert _quotes("The minister said the city remained committed to public transport.") == []


def test_what_a_deal_sets_is_an_asserted_claim():
    claim = _claim("The accord sets a 10% ceiling on dairy imports from both countries.", "ceiling")
    assert claim.certainty == "asserted"


def test_a_deal_locking_in_a_rate_is_a_claim_not_dated_by_the_day_it_was_struck():
    claim = _claim(
        "The two countries struck a fishing deal on Monday locking in a 12% quota cut.", "quota"
    )
    assert claim.certainty == "asserted"
    assert claim.due_by is None


def test_a_deal_that_sets_terms_is_not_dated_by_the_month_it_was_struck():
    text = "Lisbon struck a deal with Rabat in May that sets a lower duty of 5% on fruit."
    claim = _claim(text, "duty", date(2025, 7, 2))
    assert claim.due_by is None


def test_a_party_facing_a_dated_threat_is_a_possible_claim():
    claim = _claim("Norway faces a levy threat of 20 percent from September 1.", "levy")
    assert claim.certainty == "possible"
    assert claim.due_by == date(2025, 9, 1)


def test_a_party_that_would_face_a_levy_keeps_the_reported_would():
    claim = _claim("Officials said Norway would face a 20 percent levy from September 1.", "levy")
    assert claim.certainty == "asserted"


def test_an_item_due_at_a_date_is_a_claim():
    claim = _claim(
        "The lab plans a first flight in 2026, with engine tests due later this year.",
        "engine tests",
    )
    assert claim.certainty == "asserted"
    assert claim.due_by == date(2025, 12, 31)


# -- claims inside subordinate clauses -----------------------------------------------------


def test_a_would_after_reassured_is_a_reported_claim():
    claim = _claim(
        "Ana Costa reassured the committee the stadium would be ready on time.", "stadium"
    )
    assert claim.certainty == "asserted"


def test_a_month_after_a_reported_would_is_the_claims_own_date_not_history():
    # published in December: "in June" after the "would" is next June, not the month it was said
    text = (
        "Ana Costa said she was confident the stadium would be ready when the cup starts in June."
    )
    claim = _claim(text, "stadium", date(2025, 12, 3))
    assert claim.certainty == "expected"
    assert claim.due_by == date(2026, 6, 30)


# -- clause boundaries ---------------------------------------------------------------------


def test_a_double_hyphen_separates_claims_like_a_dash():
    text = (
        "Members will meet again on Friday in Vienna -- a group of 12 ministers -- which is "
        "also expected to extend the quotas."
    )
    quotes = _quotes(text)
    assert any(q.startswith("Members will meet") and "extend" not in q for q in quotes), quotes
    assert any("expected to extend" in q and "Members" not in q for q in quotes), quotes


def test_adding_that_starts_a_claim_of_its_own():
    text = (
        "The governor said a rate cut is very likely, adding that the board will also "
        "debate a larger move."
    )
    cut = _claim(text, "rate cut")
    assert "debate" not in cut.quote
    assert cut.certainty == "expected"
    assert _claim(text, "debate").certainty == "asserted"


def test_said_again_is_part_of_the_attribution():
    claim = _claim("The governor said again on Tuesday that a rate cut is very likely.", "cut")
    assert claim.quote == "a rate cut is very likely"


def test_said_with_a_bare_month_and_day_is_an_attribution():
    text = "Offshore fields will provide most of the growth, executives said Jan. 30."
    claim = _claim(text, "Offshore fields", date(2026, 1, 30))
    assert claim.claimant == "executives"


def test_a_purpose_with_its_own_date_is_a_claim_of_its_own():
    text = "The utility plans to fill the reservoir by Friday to start pumping from Sunday."
    proposals = _proposals(text, date(2025, 6, 17))
    dues = {p.quote: p.due_by for p in proposals}
    assert dues == {
        "The utility plans to fill the reservoir by Friday": date(2025, 6, 20),
        "start pumping from Sunday": date(2025, 6, 22),
    }


def test_a_with_clause_scheduling_the_next_step_is_a_claim():
    text = (
        "From 1 October, nurses can book a flu jab, with other staff getting theirs in "
        "the coming weeks."
    )
    claim = _claim(text, "other staff")
    assert claim.certainty == "asserted"


def test_a_with_clause_about_the_past_is_not_a_claim():
    text = "Sales rose 4% last year, with exports growing in the final quarter of 2024."
    assert _quotes(text) == []


# -- certainty -----------------------------------------------------------------------------


def test_a_plan_as_a_noun_does_not_hedge_a_will():
    claim = _claim(
        "“We will publish an updated plan to meet our targets,” the ministry said.", "publish"
    )
    assert claim.certainty == "asserted"


def test_countries_that_plan_to_act_still_state_a_plan():
    claim = _claim("Peru and Chile plan to sign ten agreements next month.", "sign")
    assert claim.certainty == "expected"


def test_will_seek_to_is_asserted():
    claim = _claim(
        "During the visit, Ana Costa will seek to press her hosts for a quick vote.", "press"
    )
    assert claim.certainty == "asserted"


def test_can_from_a_start_date_is_a_scheduled_permission():
    claim = _claim("From 1 September, anyone over 70 can book a booster online.", "book")
    assert claim.certainty == "asserted"


def test_can_with_a_date_alone_stays_possible():
    claim = _claim("Engineers said the crew can be ready by March.", "ready")
    assert claim.certainty == "possible"


def test_depending_on_in_an_absolute_phrase_conditions_its_noun_not_the_claim():
    text = "“A cut is very likely, the pace depending on inflation,” Ana Costa said."
    claim = _claim(text, "cut")
    assert claim.certainty == "expected"


def test_depending_on_after_the_claim_still_conditions_it():
    claim = _claim("Rates will fall in July depending on the jobs data, Ana Costa said.", "fall")
    assert claim.certainty == "conditional"


def test_a_projection_frame_makes_a_sentences_claims_expected():
    text = (
        "In new projections, officials sketched a weak picture, with growth slowing to 1% "
        "this year."
    )
    claim = _claim(text, "growth slowing")
    assert claim.certainty == "expected"


def test_under_projections_a_present_tense_with_a_date_is_a_claim():
    text = "Under the latest projections, inflation stays at 3% through 2026."
    claim = _claim(text, "inflation stays")
    assert claim.certainty == "expected"
    assert claim.due_by == date(2026, 12, 31)


def test_an_earlier_announcement_that_something_would_happen_is_history():
    # the "would" of the old announcement is not the claim's cue: the later "could" is
    text = (
        "Analysts said the bank reversed an earlier announcement that rates would rise, which "
        "they believe means it could cut in January."
    )
    claim = _claim(text, "could cut", date(2024, 12, 13))
    assert claim.certainty == "possible"


# -- precision: what is not a claim --------------------------------------------------------


def test_which_after_a_verb_of_saying_is_an_indirect_question():
    assert _quotes("The chain did not specify which stores will close next year.") == []


def test_when_after_a_verb_of_saying_is_an_indirect_question():
    assert _quotes("They have not yet said when they will be ready for talks.") == []


def test_a_denied_belief_is_not_a_claim():
    assert _quotes("Ana Costa said she did not think the strike would last long.") == []


def test_cannot_say_for_sure_is_not_a_claim():
    assert _quotes("“I can't say for sure that we will win,” Ana Costa said.") == []


def test_a_things_size_and_parts_are_a_description():
    text = (
        "The ferry will be 90 metres long. The ferry will use hydrogen fuel. "
        "The terminal will have 12 gates. The ferry will be able to carry 400 cars."
    )
    assert _quotes(text) == []


def test_people_being_able_to_do_something_is_still_a_claim():
    assert _quotes("Residents will be able to return to their homes.") != []


def test_a_schedule_verb_read_as_a_noun_is_no_cue():
    text = "Two startups this year matched that record with orbital launches of methane rockets."
    assert _quotes(text, date(2025, 8, 22)) == []


def test_an_originally_scheduled_date_is_history():
    text = "The speaker was originally scheduled to ship in December."
    assert _quotes(text, date(2025, 11, 17)) == []


def test_right_now_is_not_a_date_ahead():
    assert _quotes("Right now, the two sides are discussing the agenda.") == []


def test_as_of_dates_a_status_not_a_claim():
    text = "The bridge is being built with aid from Japan and as of January 2026, it is 55% done."
    assert _quotes(text, date(2026, 1, 30)) == []


def test_a_weekday_before_a_past_verb_dates_the_act_not_a_claim():
    text = "The election commission on Saturday decided to go ahead with the polls."
    assert _quotes(text, date(2025, 6, 22)) == []


def test_had_to_be_is_a_past_obligation():
    assert _quotes("The river had to be narrowed by May to make room for the bridge.") == []


def test_aimed_at_doing_is_not_an_aim_to_do():
    text = "The airport launched a project aimed at upgrading gates to meet its 2050 vision."
    assert _quotes(text) == []


def test_an_old_report_that_something_would_happen_is_history():
    assert _quotes("The agency had reported the bank would likely revise its forecasts.") == []


def test_an_earlier_view_in_the_past_perfect_is_history():
    text = "Previously, Ana Costa had suggested that rates should fall by 1 point next year."
    assert _quotes(text) == []


def test_to_predict_after_difficult_is_no_forecast():
    text = "Ana Costa said uncertainty makes it difficult to accurately predict the rate."
    assert _quotes(text) == []


def test_an_aim_as_a_noun_is_no_claim():
    text = "The trade deal was announced last week, with an aim to reduce barriers."
    assert _quotes(text) == []


def test_predictions_that_something_will_happen_are_nobodys_claim():
    assert _quotes("Predictions that rates will be cut further have increased.") == []


def test_may_be_to_blame_is_not_a_claim():
    assert _quotes("A lack of oversight may be partly to blame, Ana Costa said.") == []


# -- commitments and dates set -------------------------------------------------------------


def test_agreeing_on_dates_for_an_election_is_a_claim():
    text = "Party leaders agreed on Wednesday on the dates for the new election on February 23."
    claim = _claim(text, "agreed")
    assert claim.certainty == "asserted"
    assert claim.due_by == date(2026, 2, 23)


def test_undertaking_to_act_is_a_commitment():
    claim = _claim("During the truce, Westland undertakes to release 50 prisoners.", "release")
    assert claim.certainty == "asserted"


def test_a_belief_in_a_later_relative_clause_does_not_hedge_the_claim():
    text = (
        "Ana Costa said the plant will open in May, which she believes will help the town recover."
    )
    claim = _claim(text, "plant will open")
    assert claim.certainty == "asserted"


def test_a_belief_before_the_claim_still_hedges_it():
    claim = _claim("Ana Costa said she believes the plant will open in May.", "plant")
    assert claim.certainty == "expected"


def test_a_thing_described_by_what_it_is_set_to_be_used_for_is_no_claim():
    text = "A third site – the pool set to be used for training – will not open until June."
    quotes = _quotes(text)
    assert not any(q.startswith("the pool set to") for q in quotes), quotes


def test_a_finite_is_set_to_stays_a_claim():
    assert _quotes("The stadium is set to host the final.") != []
