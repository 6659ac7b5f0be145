"""Rules from the opened second held-out part (round 4), on invented sentences.

Each test states one behaviour; the sentences are made up for it, never copied from the data.
"""

from __future__ import annotations

from datetime import date

from .conftest import quoting

WEDNESDAY = date(2025, 3, 12)


def _claim(text: str, key: str, published_on: date = WEDNESDAY):
    return quoting(text, key, published_on)


def test_a_day_after_said_later_on_is_the_day_of_the_statement() -> None:
    text = "The deputy minister said later on Tuesday that the envoy will tour three ports."
    assert _claim(text, "tour three ports").due_by is None


def test_during_an_event_dated_by_a_range_is_due_at_its_end() -> None:
    text = (
        "The prime minister will make the visit from April 2 to 6, the ministry said.\n"
        "Contracts signed during the visit will cover shipping and farming."
    )
    assert _claim(text, "Contracts signed").due_by == date(2025, 4, 6)


def test_an_undated_activity_of_a_dated_visit_is_due_at_its_end() -> None:
    text = (
        "The prime minister will make the visit from April 2 to 6, the ministry said.\n"
        "She will also meet the speaker of the assembly, an aide said."
    )
    assert _claim(text, "meet the speaker").due_by == date(2025, 4, 6)


def test_an_activity_does_not_inherit_a_long_period() -> None:
    text = (
        "The prime minister will visit the region in 2026, the ministry said.\n"
        "She will also meet the speaker of the assembly, an aide said."
    )
    assert _claim(text, "meet the speaker").due_by is None


def test_the_first_visit_in_a_decade_does_not_date_the_visit() -> None:
    text = (
        "This will be the first visit by a foreign minister in a decade.\n"
        "The envoy will meet farmers during the visit, an aide said."
    )
    assert _claim(text, "meet farmers").due_by is None


def test_a_speakers_own_confidence_stands_as_asserted() -> None:
    text = "“We’re confident the ferry terminal will reopen by June,” Mara Olsen said."
    assert _claim(text, "ferry terminal").certainty == "asserted"


def test_a_reported_confidence_stays_expected() -> None:
    text = "Mara Olsen said she was confident the ferry terminal would reopen by June."
    assert _claim(text, "ferry terminal").certainty == "expected"


def test_barring_states_the_other_case_as_a_condition() -> None:
    text = "The ferry operator will resume crossings on May 2, barring storms, an official said."
    claim = _claim(text, "resume crossings")
    assert claim.certainty == "conditional"
    assert claim.condition == "barring storms"


def test_a_when_clause_with_its_own_date_is_a_time_not_a_condition() -> None:
    text = "When the mill reaches full output in 2027, it will ship 9,000 tonnes, Lena Park said."
    assert _claim(text, "ship 9,000 tonnes").certainty == "asserted"


def test_there_is_a_chance_that_makes_a_claim_possible() -> None:
    text = "Lena Park said there is a chance that the mill will ship steel to Chile next year."
    assert _claim(text, "ship steel").certainty == "possible"
