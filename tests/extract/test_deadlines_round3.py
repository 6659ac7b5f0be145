"""Deadline rules of the third rules round (issue 17), on invented sentences: one test per
class of deadline error fixed on the development part."""

from __future__ import annotations

from datetime import date

from .conftest import quoting

WEDNESDAY = date(2025, 6, 18)


def _claim(text: str, key: str, published_on: date = WEDNESDAY):
    return quoting(text, key, published_on)


def test_the_day_a_statement_was_made_is_not_its_deadline():
    said = _claim(
        "The two airlines are planning to announce a merger, a person familiar with the talks "
        "said Tuesday.",
        "announce a merger",
    )
    vowed = _claim("Mayor Ana Ruiz vowed on Wednesday to repave the bridge.", "repave")
    assert (said.due_by, vowed.due_by) == (None, None)


def test_a_past_announcement_date_leaves_the_claims_own_date():
    claim = _claim(
        "Westland said it will suspend the controls it announced on May 9 for one year.",
        "suspend",
    )
    assert claim.due_by == date(2026, 6, 18)


def test_a_date_the_speaker_gives_after_saying_stays_the_deadline():
    claim = _claim(
        "The port said on Wednesday that the new terminal will open on Friday.", "terminal"
    )
    assert claim.due_by == date(2025, 6, 20)


def test_a_date_inside_a_plan_phrase_still_dates_the_claim():
    claim = _claim(
        "Halvorsen Motors will announce plans early next year to close a plant.", "close a plant"
    )
    assert claim.due_by == date(2026, 4, 30)


def test_the_datelines_day_is_no_deadline():
    claim = _claim(
        "OSLO, June 18 (Reuters) - Westland can cut its rates once inflation settles, the "
        "governor said.",
        "cut its rates",
    )
    assert claim.due_by is None
    assert "dateline" in (claim.due_reason or "")


def test_a_datelines_day_without_a_place_is_no_deadline():
    claim = _claim(
        "Jun 18, 2025 - Westland Power will start building the plant, the company said.",
        "start building",
    )
    assert claim.due_by is None
    assert "dateline" in (claim.due_reason or "")


def test_the_weeks_end_is_its_sunday():
    claim = _claim("The envoy said a truce will be agreed by the week's end.", "truce")
    assert claim.due_by == date(2025, 6, 22)


def test_through_the_whole_year_is_due_at_the_years_end():
    claim = _claim("The shots will be rolled out through the whole year, she said.", "rolled out")
    assert claim.due_by == date(2025, 12, 31)


def test_a_year_qualifying_an_amount_is_due_at_that_years_end():
    claim = _claim(
        "Halvorsen Oil expects to hold its 2026 output flat, a level it first reached in "
        "second-quarter 2025.",
        "hold its 2026 output",
    )
    assert claim.due_by == date(2026, 12, 31)


def test_a_year_ending_a_name_dates_nothing():
    claim = _claim(
        "The airport will open a hub under the airline's Vision 2040 growth strategy.", "hub"
    )
    assert claim.due_by is None


def test_the_week_of_a_day_is_due_on_its_sunday():
    claim = _claim("The talks are to resume the week of Aug. 25.", "resume")
    assert (claim.due_from, claim.due_by) == (date(2025, 8, 25), date(2025, 8, 31))


def test_a_month_of_this_or_next_year_is_that_month():
    this = _claim("In September of this year, the summit will take place.", "summit")
    following = _claim("The summit will take place in March of next year.", "summit")
    assert (this.due_by, following.due_by) == (date(2025, 9, 30), date(2026, 3, 31))


def test_a_day_or_month_followed_by_next_year_is_in_next_year():
    day = _claim("The host will be picked on May 17 next year.", "picked")
    month = _claim("The line will be ready by July next year.", "ready")
    assert (day.due_by, month.due_by) == (date(2026, 5, 17), date(2026, 7, 31))
    assert month.due_from is None


def test_a_clock_time_alone_is_the_publication_day():
    claim = _claim("The governor will speak at a press conference at 1530 AEDT.", "speak")
    assert claim.due_by == WEDNESDAY


def test_by_a_numeric_date_includes_that_day():
    claim = _claim("The airport plans to submit its proposal by 30-Jun-2025.", "submit")
    assert claim.due_by == date(2025, 6, 30)


def test_a_quarter_followed_by_its_year_is_that_years():
    claim = _claim("The plant will restart in the fourth quarter 2026.", "restart")
    assert claim.due_by == date(2026, 12, 31)


def test_early_next_week_runs_to_wednesday():
    claim = _claim("The deal will be signed this week or early next week, sources said.", "deal")
    assert claim.due_by == date(2025, 6, 25)


def test_an_event_before_a_date_ends_at_a_coordinated_verb():
    claim = _claim(
        "The watch will ship ahead of the holiday season and will drive a strong second half "
        "of the year, the company said.",
        "watch will ship",
    )
    assert claim.due_by == date(2025, 12, 31)


def test_before_its_scheduled_date_of_a_month_is_before_that_month():
    claim = _claim(
        "The bridge will open before its scheduled date of August 2026, the minister said.",
        "bridge",
    )
    assert claim.due_by == date(2026, 7, 31)


def test_the_current_month_of_this_year_is_due_at_its_end():
    claim = _claim("In June of this year, the council will meet again.", "council")
    assert claim.due_by == date(2025, 6, 30)


def test_an_event_named_again_keeps_the_date_given_earlier():
    text = (
        "Westland and Norland plan to sign 20 agreements during the president's visit to "
        "Norland in early July, the deputy minister said.\n"
        "He said the two leaders will sign a joint statement during the visit.\n"
    )
    claim = _claim(text, "joint statement")
    assert claim.due_by == date(2025, 7, 10)
    assert "dated earlier" in (claim.due_reason or "")


def test_before_an_event_dated_earlier_is_the_day_before_it():
    text = (
        "The summit will be held on September 12, officials said.\n"
        "The ministers will agree a text before the summit, the envoy said.\n"
    )
    claim = _claim(text, "agree a text")
    assert claim.due_by == date(2025, 9, 11)


def test_an_event_never_dated_gives_no_date():
    claim = _claim("The leaders will sign a statement during the visit, he said.", "statement")
    assert claim.due_by is None


def test_a_baseline_the_claim_is_measured_against_is_no_deadline():
    claim = _claim(
        "By the end of next year Westland Gloves expects to have 872 lines, up from 648.5 "
        "this year.",
        "872 lines",
    )
    assert claim.due_by == date(2026, 12, 31)
