"""Rules of the third rules round (issue 17: recall, certainty, precision), on invented
sentences: one test per class of error fixed on the development part."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

WEDNESDAY = date(2025, 6, 18)


def _proposals(text: str, published_on: date = WEDNESDAY):
    return extract(text, published_on=published_on)


def _claim(text: str, key: str, published_on: date = WEDNESDAY):
    proposals = _proposals(text, published_on)
    found = [p for p in proposals if key in p.quote]
    assert found, [p.quote for p in proposals]
    return found[0]


def _quotes(text: str, published_on: date = WEDNESDAY) -> list[str]:
    return [p.quote for p in _proposals(text, published_on)]


# -- reported speech without a future verb -------------------------------------------------


def test_a_possibility_that_cannot_be_ruled_out_is_a_possible_claim():
    claim = _claim("A further cut in the levy cannot be ruled out, the treasurer said.", "cut")
    assert claim.certainty == "possible"


def test_a_possibility_not_ruled_out_by_a_negated_will_is_a_possible_claim():
    claim = _claim("The board will not rule out a rate rise in August, Ana Costa said.", "rise")
    assert claim.certainty == "possible"


def test_hopeful_of_doing_is_an_expected_claim():
    claim = _claim("“We are hopeful of opening the new wing,” Dr Mira Holt said.", "opening")
    assert claim.certainty == "expected"


def test_confidence_in_achieving_is_an_expected_claim():
    claim = _claim(
        "“We have great confidence in meeting our sales goals,” Tom Reyes said.", "meeting"
    )
    assert claim.certainty == "expected"


def test_a_contracted_would_like_to_is_a_possible_claim():
    claim = _claim("Lena Park said she’d like to see the line extended before 2030.", "extended")
    assert claim.certainty == "possible"
    assert claim.due_by == date(2029, 12, 31)


def test_hopefully_makes_a_possible_claim():
    claim = _claim("Crews are working to hopefully reopen the road twice a week.", "reopen")
    assert claim.certainty == "possible"


def test_a_commitment_of_doing_is_an_asserted_claim():
    claim = _claim(
        "The council renewed its commitment of planting 5,000 trees by 2030.", "planting"
    )
    assert claim.certainty == "asserted"
    assert claim.due_by == date(2030, 12, 31)


def test_a_sum_committed_is_an_asserted_claim():
    claim = _claim(
        "The mayor said the region also committed to $40 million in road repairs.", "$40 million"
    )
    assert claim.certainty == "asserted"


def test_remaining_committed_is_a_stance_not_a_claim():
    assert _quotes("The minister said the city remained committed to public transport.") == []


def test_what_a_deal_sets_is_an_asserted_claim():
    claim = _claim("The accord sets a 10% ceiling on dairy imports from both countries.", "ceiling")
    assert claim.certainty == "asserted"


def test_a_deal_locking_in_a_rate_is_a_claim_not_dated_by_the_day_it_was_struck():
    claim = _claim(
        "The two countries struck a fishing deal on Monday locking in a 12% quota cut.", "quota"
    )
    assert claim.certainty == "asserted"
    assert claim.due_by is None


def test_a_deal_that_sets_terms_is_not_dated_by_the_month_it_was_struck():
    text = "Lisbon struck a deal with Rabat in May that sets a lower duty of 5% on fruit."
    claim = _claim(text, "duty", date(2025, 7, 2))
    assert claim.due_by is None


def test_a_party_facing_a_dated_threat_is_a_possible_claim():
    claim = _claim("Norway faces a levy threat of 20 percent from September 1.", "levy")
    assert claim.certainty == "possible"
    assert claim.due_by == date(2025, 9, 1)


def test_a_party_that_would_face_a_levy_keeps_the_reported_would():
    claim = _claim("Officials said Norway would face a 20 percent levy from September 1.", "levy")
    assert claim.certainty == "asserted"


def test_an_item_due_at_a_date_is_a_claim():
    claim = _claim(
        "The lab plans a first flight in 2026, with engine tests due later this year.",
        "engine tests",
    )
    assert claim.certainty == "asserted"
    assert claim.due_by == date(2025, 12, 31)


# -- claims inside subordinate clauses -----------------------------------------------------


def test_a_would_after_reassured_is_a_reported_claim():
    claim = _claim(
        "Ana Costa reassured the committee the stadium would be ready on time.", "stadium"
    )
    assert claim.certainty == "asserted"


def test_a_month_after_a_reported_would_is_the_claims_own_date_not_history():
    # published in December: "in June" after the "would" is next June, not the month it was said
    text = (
        "Ana Costa said she was confident the stadium would be ready when the cup starts in June."
    )
    claim = _claim(text, "stadium", date(2025, 12, 3))
    assert claim.certainty == "expected"
    assert claim.due_by == date(2026, 6, 30)
