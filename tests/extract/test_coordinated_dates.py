"""Dates joined in one claim (issue 17): a second goal that leaves its verb out is a claim of its
own; a stretch from one day to another is one claim; a tally is no date."""

from __future__ import annotations

from datetime import date

from claims.extract import dates, extract

MONDAY = date(2013, 9, 9)


def dues(text: str, published_on: date = MONDAY) -> list[tuple[str, date | None]]:
    return [(p.quote, p.due_by) for p in extract(text, published_on=published_on)]


def test_a_second_date_after_comma_and_with_its_verb_left_out_is_a_second_claim():
    found = dues(
        "Westland Games said the console is going on sale Nov. 15 in the US and Canada, and "
        "Nov. 29 in Europe."
    )

    assert found == [
        ("the console is going on sale Nov. 15 in the US and Canada", date(2013, 11, 15)),
        ("Nov. 29 in Europe", date(2013, 11, 29)),
    ]


def test_a_second_target_after_comma_and_is_due_at_its_own_date():
    found = dues(
        "The network would reach 13,000 km by 2014, and 16,000 km by 2016, Minister Jane Doe said."
    )

    assert [due for _, due in found] == [date(2014, 12, 31), date(2016, 12, 31)]


def test_a_stretch_starting_on_one_day_and_ending_on_another_is_one_claim():
    found = dues(
        "The Westland Electoral Commission said nominations will be held for two days, starting "
        "on October 3 and ending on October 4."
    )

    assert len(found) == 1
    assert found[0][1] == date(2013, 10, 4)


def test_a_second_claim_with_a_verb_of_its_own_is_not_an_ellipsis():
    found = dues("The airport will open on May 3, and Minister Jane Doe will visit it on June 1.")

    assert [due for _, due in found] == [date(2014, 5, 3), date(2014, 6, 1)]


def test_a_tally_or_a_layout_is_no_date():
    assert dates.find("the seating will be in a 2-3-2 three-row layout", MONDAY) == []
    assert [e.window.end for e in dates.find("a 7-2 vote on May 3", MONDAY)] == [date(2014, 5, 3)]


def test_a_numeric_date_with_its_year_is_still_a_date():
    found = dates.find("the vote will be held on 3-4-2014", MONDAY)

    assert [e.window.end for e in found] == [date(2014, 3, 4)]


def test_two_days_side_by_side_are_one_stretch_due_on_the_later():
    found = dues("An open weekend will be held on June 30 and July 1, Minister Ann Lee said.")

    assert [due for _, due in found] == [date(2014, 7, 1)]


def test_two_dates_joined_by_to_are_one_stretch():
    found = dues("Chair Ann Lee said the campaign will run the 12th May to 11 August.")

    assert [due for _, due in found] == [date(2014, 8, 11)]
