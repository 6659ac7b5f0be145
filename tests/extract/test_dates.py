"""Deadline normalisation: the news rules, holidays, windows and their reasons."""

from __future__ import annotations

from datetime import date

import pytest

from claims.extract import dates
from claims.extract.backends import backend, window_from_duckling

SUNDAY = date(2025, 10, 26)  # the seed story
FRIDAY = date(2025, 11, 14)
WEDNESDAY = date(2025, 4, 9)


def window(phrase: str, published_on: date) -> tuple[date | None, date | None]:
    found = dates.normalise(phrase, published_on)
    assert found is not None, phrase
    return found.window.start, found.window.end


def test_weekday_means_next_one_after_publication():
    assert window("on Thursday", SUNDAY) == (date(2025, 10, 30), date(2025, 10, 30))
    assert window("on Monday", FRIDAY) == (date(2025, 11, 17), date(2025, 11, 17))


def test_weekday_of_publication_day_is_that_day():
    assert window("on Friday", FRIDAY) == (None, FRIDAY)


def test_next_weekday_is_in_the_following_week():
    assert window("next Thursday", WEDNESDAY) == (date(2025, 4, 17), date(2025, 4, 17))
    assert window("next Monday", FRIDAY) == (date(2025, 11, 17), date(2025, 11, 17))


def test_ahead_of_lunar_new_year_ends_day_before():
    assert window("just ahead of the Lunar New Year", SUNDAY) == (None, date(2026, 2, 16))


def test_early_next_year_is_first_third_of_the_year():
    assert window("early next year", SUNDAY) == (date(2026, 1, 1), date(2026, 4, 30))


def test_appositive_expressions_intersect():
    found = dates.normalise("early next year, just ahead of the Lunar New Year", SUNDAY)

    assert found is not None
    assert (found.window.start, found.window.end) == (date(2026, 1, 1), date(2026, 2, 16))
    assert found.text == "early next year, just ahead of the Lunar New Year"


def test_next_fall_is_the_astronomical_fall_of_next_year():
    assert window("next fall", SUNDAY) == (date(2026, 9, 23), date(2026, 12, 20))


def test_next_summer_in_early_june_is_next_years():
    assert window("by next summer", date(2025, 6, 2)) == (None, date(2026, 9, 22))


def test_by_the_end_of_the_year_is_december_31():
    assert window("by the end of the year", FRIDAY) == (None, date(2025, 12, 31))


def test_next_month_is_the_whole_month():
    assert window("next month", FRIDAY) == (date(2025, 12, 1), date(2025, 12, 31))


def test_within_ninety_days_ends_ninety_days_after_publication():
    assert window("within 90 days", FRIDAY) == (None, date(2026, 2, 12))


def test_in_the_coming_weeks_is_open_ended():
    found = dates.normalise("in the coming weeks", FRIDAY)

    assert found is not None
    assert found.open_ended
    assert (found.window.start, found.window.end) == (None, None)


def test_before_christmas_ends_christmas_eve():
    assert window("before Christmas", FRIDAY) == (None, date(2025, 12, 24))


def test_before_an_event_dated_by_a_window_ends_the_day_before_the_window_closes():
    phrase = "before Xi’s expected visit for the G20 summit next fall"

    assert window(phrase, SUNDAY) == (None, date(2026, 12, 19))


def test_later_this_week_on_a_sunday_is_the_coming_week():
    assert window("later this week", SUNDAY) == (date(2025, 10, 27), date(2025, 11, 2))


@pytest.mark.parametrize(
    ("phrase", "published_on", "expected"),
    [
        ("by mid-2027", date(2026, 3, 3), (None, date(2027, 8, 31))),
        ("in the second half of 2026", date(2026, 1, 15), (date(2026, 7, 1), date(2026, 12, 31))),
        ("in the third quarter", date(2026, 1, 15), (date(2026, 7, 1), date(2026, 9, 30))),
        ("by Thanksgiving", date(2025, 9, 17), (None, date(2025, 11, 27))),
        ("on 24 March", date(2026, 3, 16), (date(2026, 3, 24), date(2026, 3, 24))),
        ("in time for the home opener on Sept. 7", date(2025, 8, 16), (None, date(2025, 9, 7))),
        ("as early as next week", date(2025, 6, 2), (date(2025, 6, 9), None)),
        ("past 2028", date(2025, 7, 15), (date(2029, 1, 1), None)),
        ("in the next decade", date(2025, 1, 30), (None, date(2035, 1, 30))),
        ("July 29-30", date(2025, 7, 16), (date(2025, 7, 29), date(2025, 7, 30))),
    ],
)
def test_news_expressions_normalise(phrase, published_on, expected):
    assert window(phrase, published_on) == expected


def test_every_window_says_why():
    found = dates.normalise("on Thursday", SUNDAY)

    assert found is not None
    assert found.reason == "Thursday after Sunday 2025-10-26 → 2025-10-30"


def test_capitalised_show_title_is_not_a_date():
    assert dates.find("he said to ABC News' 'This Week'.", SUNDAY) == []


def test_percentages_are_not_times():
    found = dates.find("could raise prices by 15% within two years", WEDNESDAY)

    assert [e.text for e in found] == ["within two years"]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on November 1", (date(2025, 11, 1), date(2025, 11, 1))),
        ("early next year, just ahead of the Lunar New Year", (date(2026, 1, 1),
                                                               date(2026, 2, 16))),
        ("next fall", (date(2026, 9, 23), date(2026, 12, 20))),
        ("before Christmas", (None, date(2025, 12, 24))),
        ("by Dec. 15, 2026", (None, date(2026, 12, 15))),
    ],
)
def test_fallback_backend_gives_the_same_deadlines(dateparser_backend, phrase, expected):
    assert dateparser_backend.name == "dateparser"
    assert window(phrase, SUNDAY) == expected


def test_without_any_normaliser_month_days_still_resolve(monkeypatch):
    monkeypatch.setenv("CLAIMS_EXTRACT_BACKEND", "rules")
    backend.cache_clear()
    try:
        assert backend().name == "rules only"
        assert window("on November 1", SUNDAY) == (date(2025, 11, 1), date(2025, 11, 1))
        assert window("by Feb. 2", SUNDAY) == (None, date(2026, 2, 2))
    finally:
        monkeypatch.delenv("CLAIMS_EXTRACT_BACKEND")
        backend.cache_clear()


def test_duckling_is_the_normaliser_where_its_wheel_loads():
    pytest.importorskip("duckling")

    assert backend().name == "duckling"


def test_a_duckling_value_beyond_the_year_9999_is_no_window():
    huge = {"type": "value", "value": "10000-01-01T00:00:00.000-00:00", "grain": "year"}

    assert window_from_duckling(huge) is None
