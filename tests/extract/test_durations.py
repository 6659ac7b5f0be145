"""Relative and duration deadlines (issue 17): each due at the end of its period, with a reason."""

from __future__ import annotations

from datetime import date

from claims.extract import dates, extract

from .conftest import only

THURSDAY = date(2025, 10, 30)


def due(phrase: str) -> tuple[date | None, date | None, str]:
    found = dates.normalise(phrase, THURSDAY)
    assert found is not None, phrase
    return found.window.start, found.window.end, found.reason


def test_within_two_weeks_ends_fourteen_days_after_publication():
    assert due("within two weeks")[:2] == (None, date(2025, 11, 13))


def test_within_this_calendar_year_ends_on_december_31():
    assert due("within this calendar year")[:2] == (None, date(2025, 12, 31))


def test_a_pause_for_a_year_is_due_at_its_end():
    start, end, reason = due("for a year")

    assert (start, end) == (None, date(2026, 10, 30))
    assert "due at its end" in reason


def test_a_pause_for_a_year_from_a_stated_day_lasts_a_year_from_that_day():
    proposal = only(
        "The ministry of Westland will lift the quota for one year starting November 10.", THURSDAY
    )

    assert proposal.due_by == date(2026, 11, 9)
    assert "from then" in (proposal.due_reason or "")


def test_over_the_next_three_years_is_due_at_the_end_of_the_period():
    assert due("over the next three years")[:2] == (None, date(2028, 10, 30))


def test_annually_for_three_years_is_due_at_the_end_of_the_third_year():
    assert due("annually for three years")[:2] == (None, date(2028, 10, 30))


def test_by_the_end_of_the_quarter_is_the_quarters_last_day():
    assert due("by the end of the quarter")[:2] == (None, date(2025, 12, 31))


def test_in_the_coming_months_has_no_date_and_says_so():
    proposal = only("Northwind Motors will name a new chief in the coming months.", THURSDAY)

    assert (proposal.due_from, proposal.due_by) == (None, None)
    assert "open-ended" in (proposal.due_reason or "")


def test_in_the_upcoming_months_is_as_open_ended_as_the_coming_months():
    proposal = only("Northwind Motors will name a new chief in the upcoming months.", THURSDAY)

    assert (proposal.due_from, proposal.due_by) == (None, None)
    assert "open-ended" in (proposal.due_reason or "")


def test_how_long_a_visit_lasts_does_not_date_it():
    proposal = only("Premier Ana Costa will visit Lisbon for three days in April.", THURSDAY)

    assert (proposal.due_from, proposal.due_by) == (date(2026, 4, 1), date(2026, 4, 30))


def test_before_an_event_dated_by_a_season_is_due_before_the_seasons_last_day():
    proposal = only(
        "Mayor Ana Costa said a vote is planned before the festival next summer.", THURSDAY
    )

    assert proposal.due_by == date(2026, 9, 21)


def test_a_range_of_days_ends_on_its_last_day():
    assert due("on Nov. 11 to 12")[:2] == (date(2025, 11, 11), date(2025, 11, 12))


def test_a_speed_is_not_a_date():
    proposal = only(
        "Ferries sailing at up to 30 knots will start service on the route this week.", THURSDAY
    )

    assert proposal.due_by == date(2025, 11, 2)


def test_effective_from_a_day_is_due_that_day():
    proposal = only("The new duty of 10% will be effective from November 5.", THURSDAY)

    assert (proposal.due_from, proposal.due_by) == (date(2025, 11, 5), date(2025, 11, 5))


def test_by_the_start_of_a_month_is_its_first_day():
    assert due("by the start of December")[:2] == (None, date(2025, 12, 1))


def test_a_meeting_planned_before_an_event_is_expected():
    proposal = extract(
        "Costa said a summit in Lisbon is expected, with talks in Porto planned "
        "before Kamara's expected visit next fall.",
        published_on=THURSDAY,
    )[1]

    assert (proposal.certainty, proposal.due_by) == ("expected", date(2026, 12, 19))


def test_a_length_written_as_a_period_ends_that_long_after_publication():
    assert due("over the next 12-month period")[:2] == (None, date(2026, 10, 30))
    assert due("over a two-year period")[:2] == (None, date(2027, 10, 30))


def test_a_deadline_fronted_before_the_attribution_dates_the_claim():
    text = "Westland Motors met its dealers.\nBy 2027, the company said it expects 900 dealers."

    assert only(text, THURSDAY).due_by == date(2027, 12, 31)


def test_a_fronted_time_of_the_statement_does_not_date_the_claim():
    text = "Earlier this week, Westland's president said the country committed to buying grain."

    assert only(text, THURSDAY).due_by is None


def test_a_day_of_the_month_in_words_is_that_day():
    assert due("on the first of July")[:2] == (date(2026, 7, 1), date(2026, 7, 1))
    assert due("the twenty-first of March 2027")[:2] == (date(2027, 3, 21), date(2027, 3, 21))
