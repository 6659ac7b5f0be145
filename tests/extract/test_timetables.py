"""A plan's timetable, one line a year ("2025: Start of tunnel drilling"), is a claim per line
(issue 17): dated by its year, credited to whoever the lines before quote."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

FRIDAY = date(2023, 11, 24)

ARTICLE = (
    "Westland's transport minister Ann Lee on Friday announced the Blue Line, according to a "
    "post from the ministry.\n"
    "The post also detailed the timetable for the project.\n"
    "2024: Awarding the project\n"
    "2025: Start of tunnel drilling\n"
    "2029: Official operation\n"
)


def test_each_timetable_line_is_a_claim_due_at_the_end_of_its_year():
    found = [(p.quote, p.due_by) for p in extract(ARTICLE, published_on=FRIDAY)]

    assert found == [
        ("2024: Awarding the project", date(2024, 12, 31)),
        ("2025: Start of tunnel drilling", date(2025, 12, 31)),
        ("2029: Official operation", date(2029, 12, 31)),
    ]


def test_a_timetable_line_in_the_past_is_no_claim():
    text = "The post also detailed the timetable.\n2019: Design approved\n2020: Works began\n"

    assert extract(text, published_on=FRIDAY) == []


def test_a_short_heading_that_is_no_timetable_line_is_still_a_heading():
    text = "Plans for 2025\nThe minister will open the line in 2025, Minister Ann Lee said.\n"

    assert [p.quote for p in extract(text, published_on=FRIDAY)] == [
        "The minister will open the line in 2025"
    ]


def test_a_timetable_line_is_credited_to_the_speaker_of_the_lines_before():
    assert {p.claimant for p in extract(ARTICLE, published_on=FRIDAY)} == {"Ann Lee"}
