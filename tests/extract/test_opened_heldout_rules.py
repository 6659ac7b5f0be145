"""Rules from reading the misses of the first held-out part (opened 2026-12-06), on invented
sentences: one test per class of error (docs/extraction.md, *What the first held-out part
showed*)."""

from __future__ import annotations

from datetime import date

from claims.extract.dates import find

from .conftest import quoting

WEDNESDAY = date(2025, 6, 18)


def _claim(text: str, key: str):
    return quoting(text, key, WEDNESDAY)


def test_fall_after_to_or_a_modal_is_the_verb_not_autumn():
    assert [e.text for e in find("Prices are likely to fall this year.", WEDNESDAY)] == [
        "this year"
    ]
    assert [e.text for e in find("Inflation will fall back from April.", WEDNESDAY)] == [
        "from April"
    ]
    # the season stays a season
    assert find("The plant opens this fall.", WEDNESDAY)[0].window.end == date(2025, 12, 20)
    # (a range since rules19: "from spring to fall" is one stretch, ending with fall)
    ranged = find("It runs from spring to fall.", WEDNESDAY)[-1]
    assert ranged.text.endswith("fall")
    assert ranged.window.end == date(2025, 12, 20)

    claim = _claim("Analysts said rates are still likely to fall this year.", "fall this year")
    assert claim.due_by == date(2025, 12, 31)


def test_a_forecast_verb_framing_the_claim_makes_it_expected():
    suggested = _claim(
        "Chief executive Ana Lund has strongly suggested that the new plant will open next week.",
        "plant will open",
    )
    projected = _claim(
        "“Staff project that inflation will ease to 2% by June 2026,” the committee said.",
        "inflation will ease",
    )
    plain = _claim("Ana Lund said that the new plant will open next week.", "plant will open")

    assert (suggested.certainty, projected.certainty) == ("expected", "expected")
    assert plain.certainty == "asserted"


def test_it_is_hoped_that_makes_the_claim_possible():
    claim = _claim("It is hoped that construction will begin in late 2025.", "construction")

    assert claim.certainty == "possible"


def test_a_hedge_word_in_scare_quotes_still_hedges():
    claim = _claim(
        'Envoy Ana Lund said on Tuesday that she is "hopeful" that a truce will be agreed by '
        "the end of the week.",
        "truce will be agreed",
    )

    assert claim.certainty == "expected"


def test_an_envoy_to_a_place_the_lists_do_not_know_is_the_person_after_the_place():
    claim = _claim(
        "The president’s Special Envoy to the Middle East Ana Lund said Tuesday that talks "
        "will resume next week.",
        "talks will resume",
    )

    assert claim.claimant == "Ana Lund"


def test_a_subject_with_an_appositive_before_said_is_the_speaker():
    claim = _claim(
        "Norwegian shipping firm Halvorsen Lines said on Monday it plans to add ships.\n"
        "The company, one of the few operators that run the route, said it will open a new "
        "terminal by the end of 2026.",
        "open a new terminal",
    )

    assert claim.claimant == "Halvorsen Lines"


def test_a_claim_before_a_spokesperson_aside_is_not_taken_for_a_subject():
    claim = _claim("Rates will rise next month, a spokesperson for the bank said.", "Rates")

    assert claim.claimant != "Rates will rise next month"
