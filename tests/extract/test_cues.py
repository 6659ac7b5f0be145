"""What counts as forward-looking, and how sure the claimant was."""

from __future__ import annotations

from datetime import date

import pytest

from claims.extract import extract

from .conftest import only

PUBLISHED = date(2020, 11, 18)

PUB = date(2025, 11, 14)


@pytest.mark.parametrize(
    "text",
    [
        "The bank will not raise rates again this year, she added.",
        "“There won’t be a fare increase,” Mayor Elena Ortiz said.",
        "The authority has no plans to close the Harbor Street depot, a spokeswoman said.",
        "He said he did not expect a final treaty this year.",
        "Nobody should expect miracles, said the envoy, Carlos Mendes.",
    ],
)
def test_negated_future_is_not_proposed(text):
    assert extract(text, published_on=PUB) == []


@pytest.mark.parametrize(
    "text",
    [
        "Mayor Elena Ortiz had promised last spring that the line would open in October.",
        "The transit authority said last year it would replace its diesel fleet.",
        "In 2023, the department promised to open 50 clinics, a goal it met a year later.",
        "Northwind had promised in 2023 to sell only electric vehicles by 2030.",
        "Natarajan was going to announce the plan last week but postponed.",
        "Talks broke down in January after Britain said it would close the fishing grounds.",
        "The company previously said it would keep the plant open until 2040.",
    ],
)
def test_past_promise_is_not_forward_looking(text):
    assert extract(text, published_on=date(2026, 3, 16)) == []


def test_indirect_question_is_not_a_claim():
    text = "Governor Amara Chen did not say whether the bank would also slow its bond purchases."

    assert extract(text, published_on=PUB) == []


def test_question_is_not_a_claim():
    assert extract("Will the rally continue into next week?", published_on=PUB) == []


def test_stock_phrase_is_not_a_claim():
    text = "“I’ll believe it when I see it,” said Dana Brooks, a nurse."

    assert extract(text, published_on=PUB) == []


def test_if_clause_makes_a_conditional_claim_with_its_condition():
    text = "If the state releases its grant, the city will add a second route, Ortiz said."

    proposal = only(text, PUB)

    assert proposal.certainty == "conditional"
    assert proposal.condition == "the state releases its grant"


def test_unless_keeps_its_marker_in_the_condition():
    text = "“Unless demand recovers, we will idle the Toledo line,” Laura Simmons said."

    proposal = only(text, PUB)

    assert proposal.certainty == "conditional"
    assert proposal.condition == "Unless demand recovers"  # verbatim, marker kept


def test_trailing_if_clause_is_the_condition():
    text = "Tariffs are set to take effect on November 1 if Beijing restricts exports."

    assert only(text, date(2025, 10, 26)).condition == "Beijing restricts exports"


def test_a_hearing_set_for_a_day_is_a_claim_dated_that_day_and_not_a_condition():
    proposal = only("Judge Ana Ruiz set another hearing in the case for June 18.", PUB)

    assert (proposal.due_by, proposal.certainty) == (date(2026, 6, 18), "asserted")


def test_a_dated_plan_with_a_thing_for_object_is_an_expected_claim():
    proposal = only("Westland Motors also plans 17 new models in China this year.", PUB)

    assert (proposal.due_by, proposal.certainty) == (date(2025, 12, 31), "expected")


def test_calling_for_an_election_on_a_day_is_a_claim_dated_that_day():
    proposal = only("Premier Ana Costa on Tuesday called for a snap election on June 8.", PUB)

    assert proposal.due_by == date(2026, 6, 8)


@pytest.mark.parametrize(
    ("text", "certainty"),
    [
        ("The city will open the line on Monday, Mayor Elena Ortiz said.", "asserted"),
        ("Mayor Elena Ortiz said the authority plans to publish a fare table.", "expected"),
        ("Trump and Xi are expected to meet later this week, Scott Bessent said.", "expected"),
        ("“I think we’re going to have a deal with China,” Donald Trump said.", "expected"),
        ("Scott Bessent said Trump could visit Beijing early next year.", "possible"),
        ("Officials said the shares may recover by the summer.", "possible"),
        ("It’s also possible the city will open the line on Monday.", "possible"),
        ("We are looking at the possibility of a summit in July, Ana Ruiz said.", "possible"),
        (
            "The city will plant trees next year, to reach a goal of a tree in every place "
            "where it is possible to plant one, the mayor said.",
            "asserted",
        ),
    ],
)
def test_certainty_class_follows_the_cue_and_its_hedge(text, certainty):
    assert only(text, date(2025, 10, 26)).certainty == certainty


def test_reported_would_is_a_future():
    text = "Governor Greg Fowler said the city would break ground on the library on Monday."

    proposal = only(text, date(2026, 5, 8))

    assert proposal.certainty == "asserted"
    assert proposal.due_by == date(2026, 5, 11)


def test_present_tense_schedule_with_a_future_date_is_a_claim():
    proposal = only("Polls close at 8 p.m. on May 22, election officials said.", date(2026, 5, 8))

    assert proposal.due_by == date(2026, 5, 22)
    assert proposal.claimant == "election officials"


def test_past_narrative_with_a_date_is_not_a_claim():
    text = "Petrova and Kamara were supposed to meet in December, but the meeting was cancelled."

    assert extract(text, published_on=date(2026, 2, 4)) == []


def test_a_forecast_predicted_by_an_institution_is_a_claim_of_its_own():
    text = "According to the data, the Westland ministry predicts zero growth for this year."

    found = extract(text, published_on=date(2025, 9, 19))

    assert [p.quote for p in found] == [text.rstrip(".")]


def test_a_ban_from_a_future_year_is_a_claim_about_when_it_starts():
    proposal = only(
        "New petrol cars will not be sold in Westland from 2030, Prime Minister Ann Lee has said.",
        PUBLISHED,
    )

    assert proposal.quote == "New petrol cars will not be sold in Westland from 2030"
    assert proposal.due_by == date(2030, 12, 31)


def test_a_plain_denial_is_still_no_claim():
    assert extract("The plant will not reopen, Acme said on Monday.", published_on=PUBLISHED) == []


def test_is_planning_a_named_thing_with_a_date_is_an_expected_plan():
    proposal = only("Acme Corp. is planning the X200, debuting Nov. 22.", PUBLISHED)

    assert proposal.certainty == "expected"


def test_expressing_confidence_that_caps_the_claim_at_expected():
    proposal = only(
        "Agency chief Ann Lee hailed the test, expressing confidence that a launch date would be "
        "announced in March.",
        PUBLISHED,
    )

    assert proposal.certainty == "expected"


def test_a_claim_that_something_would_be_announced_in_a_month_ahead_is_a_claim():
    proposal = only(
        "Acme Corp. said the results of the review would be announced in March.", PUBLISHED
    )

    assert proposal.due_by == date(2021, 3, 31)


def test_a_promise_announced_in_a_past_month_is_history():
    text = "Acme Corp. announced in March that it would build a plant."

    assert extract(text, published_on=PUBLISHED) == []


def test_it_appears_there_will_caps_the_claim_at_expected():
    proposal = only(
        "Minister Ann Lee said it appears there will be a delay until March.", PUBLISHED
    )

    assert proposal.certainty == "expected"


def test_striving_to_reach_a_dated_goal_is_an_expected_claim():
    proposal = only(
        "Director Ann Lee said the contractors are striving to begin operation by next year.",
        PUBLISHED,
    )

    assert (proposal.certainty, proposal.due_by) == ("expected", date(2021, 12, 31))


def test_close_to_being_launched_by_a_date_is_an_expected_claim():
    proposal = only(
        "Secretary Ann Lee said e-passports were close to being launched, by the end of 2021.",
        PUBLISHED,
    )

    assert (proposal.certainty, proposal.due_by) == ("expected", date(2021, 12, 31))


def test_a_completion_date_set_for_a_thing_is_a_claim():
    proposal = only(
        "Organiser Ann Lee said the completion date for the rest of the stadiums is October 2021.",
        PUBLISHED,
    )

    assert proposal.due_by == date(2021, 10, 31)


def test_seeing_a_dated_trend_is_an_expected_forecast():
    proposal = only(
        "We do see inflation moderating in the first quarter of 2021, governor Ann Lee said.",
        PUBLISHED,
    )

    assert (proposal.claimant, proposal.certainty) == ("Ann Lee", "expected")


def test_a_time_limit_given_until_a_month_is_a_claim():
    proposal = only(
        "Defence attorneys have until March to file their grounds of appeal, Judge Ann Lee said.",
        PUBLISHED,
    )

    assert (proposal.certainty, proposal.due_by) == ("asserted", date(2021, 3, 31))


def test_being_within_the_schedule_to_finish_by_a_date_is_asserted():
    proposal = only(
        "Minister Ann Lee said we are within the schedule to complete it by the end of the year.",
        PUBLISHED,
    )

    assert (proposal.certainty, proposal.due_by) == ("asserted", date(2020, 12, 31))


def test_a_dated_event_put_in_the_calendar_is_a_claim():
    proposal = only(
        "The Westland Electoral Commission has scheduled the runoff on 28 November.", PUBLISHED
    )

    assert (proposal.claimant, proposal.due_by) == (
        "Westland Electoral Commission",
        date(2020, 11, 28),
    )


def test_a_forecast_raised_for_the_year_is_an_expected_claim_of_its_maker():
    proposal = only(
        "The Westland Reserve Bank sharply raised its growth projection for next year to 1.1 "
        "percent from 0.3 percent.",
        PUBLISHED,
    )

    assert (proposal.claimant, proposal.certainty, proposal.due_by) == (
        "Westland Reserve Bank",
        "expected",
        date(2021, 12, 31),
    )


def test_a_forecast_for_a_year_trimmed_to_a_figure_is_a_claim():
    proposal = only(
        "The growth forecast for 2021 was trimmed slightly to 1.7 percent from 1.9 percent.",
        PUBLISHED,
    )

    assert (proposal.certainty, proposal.due_by) == ("expected", date(2021, 12, 31))


def test_a_year_before_an_outlook_dates_it():
    proposal = only(
        "The Westland Reserve Bank downgraded its 2021 inflation outlook to 3.1 percent.", PUBLISHED
    )

    assert proposal.due_by == date(2021, 12, 31)
