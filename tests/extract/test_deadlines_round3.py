"""Deadline rules of the third rules round (issue 17), on invented sentences: one test per
class of deadline error fixed on the development part."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

WEDNESDAY = date(2025, 6, 18)


def _claim(text: str, key: str, published_on: date = WEDNESDAY):
    proposals = extract(text, published_on=published_on)
    found = [p for p in proposals if key in p.quote]
    assert found, [p.quote for p in proposals]
    return found[0]


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
