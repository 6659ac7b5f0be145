"""Two claims joined in one clause run are proposed as two (issue 17), each keeping the
speaker of the whole and taking its own cue and date."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

WEDNESDAY = date(2025, 1, 15)


def claims(text: str) -> list[tuple[str, str, str, date | None]]:
    return [
        (p.quote, p.claimant, p.certainty, p.due_by) for p in extract(text, published_on=WEDNESDAY)
    ]


def test_a_second_subject_after_and_is_a_claim_of_its_own():
    found = claims(
        "The clinic is expected to have 200 beds and construction is slated to begin in two "
        "years, the Westland Health Board said."
    )

    assert found == [
        ("The clinic is expected to have 200 beds", "Westland Health Board", "expected", None),
        (
            "construction is slated to begin in two years",
            "Westland Health Board",
            "asserted",
            date(2027, 1, 15),
        ),
    ]


def test_a_clause_after_while_is_a_claim_with_its_own_day():
    found = claims(
        "Minister Jane Doe will visit Lagos on Monday while on Tuesday she will travel to Abuja."
    )

    assert [(quote, due) for quote, _, _, due in found] == [
        ("Minister Jane Doe will visit Lagos on Monday", date(2025, 1, 20)),
        ("on Tuesday she will travel to Abuja", date(2025, 1, 21)),
    ]


def test_a_lowercase_subject_after_comma_and_opens_a_second_claim():
    found = claims(
        "Northfield United said tickets will go on sale on Monday, and buyers will receive them "
        "by the end of next week."
    )

    assert [(quote, speaker, due) for quote, speaker, _, due in found] == [
        ("tickets will go on sale on Monday", "Northfield United", date(2025, 1, 20)),
        (
            "buyers will receive them by the end of next week",
            "Northfield United",
            date(2025, 1, 26),
        ),
    ]


def test_a_subject_joined_by_and_is_not_cut():
    found = claims("Acme said the sales and marketing teams will grow next year.")

    assert [quote for quote, *_ in found] == ["the sales and marketing teams will grow next year"]


def test_two_verbs_of_one_subject_with_one_date_stay_one_event():
    found = claims(
        "Westland's envoy will travel to Ankara and will meet the president on Friday, the "
        "ministry said."
    )

    assert len(found) == 1
    assert found[0][3] == date(2025, 1, 17)


def test_a_place_described_by_where_is_no_second_claim():
    found = claims(
        "Mayor Ann Lee said the city will plant trees next year in every place where it is "
        "possible to plant one."
    )

    assert len(found) == 1
    assert found[0][2] == "asserted"


def test_a_purpose_without_a_cue_keeps_the_certainty_of_the_plan():
    found = claims(
        "The utility plans to pull out the control rods and reach criticality by Friday to start "
        "generating power from Sunday."
    )

    assert [certainty for _, _, certainty, _ in found] == ["expected", "expected"]


def test_a_clause_after_while_may_open_with_a_time_and_a_comma():
    found = claims(
        "Prime Minister Ann Lee will host a lunch for the delegation while in the evening, "
        "President Joe Bloggs will host a gala dinner."
    )

    assert [quote for quote, *_ in found] == [
        "Prime Minister Ann Lee will host a lunch for the delegation",
        "in the evening, President Joe Bloggs will host a gala dinner",
    ]
