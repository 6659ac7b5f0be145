"""Rules of the second rules round (rules19), on invented sentences: one test per class of
error fixed on the development part (docs/extraction.md, *Second rules round*)."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

WEDNESDAY = date(2025, 6, 18)


def _claim(text: str, key: str, published_on: date = WEDNESDAY):
    proposals = extract(text, published_on=published_on)
    found = [p for p in proposals if key in p.quote]
    assert found, [p.quote for p in proposals]
    return found[0]


def test_a_lead_role_description_is_the_person_who_speaks_next():
    text = (
        "The new terminal will open in March, the region's top transport official said on "
        "Tuesday.\n"
        "Work on the runway is on schedule, Karin Holmqvist told reporters at the site.\n"
    )
    claim = _claim(text, "terminal will open")
    assert claim.claimant == "Karin Holmqvist"


def test_a_role_description_after_a_named_speaker_stays_as_written():
    # somebody spoke before: the description may be anybody's, so nobody is guessed
    text = (
        "Karin Holmqvist said the runway was on schedule.\n"
        "The new terminal will open in March, the region's top transport official said.\n"
        "Lars Berg said the budget was fine.\n"
    )
    claim = _claim(text, "terminal will open")
    assert claim.claimant != "Lars Berg"


def test_a_spaced_hyphen_dateline_is_not_part_of_the_speaker():
    text = (
        "Oslo, Norway, Jan. 16, 2026 (Agency) - Norway's transport minister said trains will "
        "start running at the end of the year.\n"
    )
    claim = _claim(text, "trains will start", date(2026, 1, 16))
    assert claim.claimant == "Norway's transport minister"


def test_a_possessive_does_not_hide_a_full_name():
    text = (
        "Ryo Tanaka’s comments came after the talks ended.\n"
        "“We will sign the deal next week,” Tanaka said.\n"
    )
    claim = _claim(text, "sign the deal")
    assert claim.claimant == "Ryo Tanaka"


def test_a_surname_with_particles_is_a_person_not_an_organisation():
    text = (
        "Von der Leyen, who flew in to meet him, said: “We will sign the deal next week.”\n"
        "Halvorsen Oil said it will also open a plant in July.\n"
    )
    claim = _claim(text, "sign the deal")
    assert claim.claimant.endswith("der Leyen")
