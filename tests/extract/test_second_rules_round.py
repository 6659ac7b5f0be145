"""Rules of the second rules round (rules19), on invented sentences: one test per class of
error fixed on the development part (docs/extraction.md, *Second rules round*)."""

from __future__ import annotations

from datetime import date

from .conftest import quoting

WEDNESDAY = date(2025, 6, 18)


def _claim(text: str, key: str, published_on: date = WEDNESDAY):
    return quoting(text, key, published_on)


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


def test_a_range_of_counts_is_due_at_its_upper_end():
    soon = _claim("The two sides are expected to sign the deal in 4-5 days.", "sign the deal")
    later = _claim(
        "She said the bank will cut rates within the next 12 to 18 months.", "cut rates"
    )
    assert soon.due_by == date(2025, 6, 23)
    assert later.due_by == date(2026, 12, 18)


def test_taking_n_days_is_due_that_long_after_publication():
    claim = _claim("It is expected to take about 10 days to restart both units.", "take about")
    assert claim.due_by == date(2025, 6, 28)


def test_a_range_or_list_of_days_is_due_on_the_last():
    ranged = _claim("The polls would be held in four phases from October 1 to October 5.",
                    "polls would")
    listed = _claim("Polling will be held on October 8, 10, 13 and 16.", "Polling will")
    quarters = _claim("The award will move from Q3 2026 to Q4 2026, the board said.", "award")
    assert (ranged.due_by, listed.due_by, quarters.due_by) == (
        date(2025, 10, 5), date(2025, 10, 16), date(2026, 12, 31))


def test_alternative_dates_are_due_at_the_later():
    latest = _claim(
        "The agreement will be signed this week, or at the latest next week, sources said.",
        "agreement will be signed",
    )
    slashed = _claim("The rules will be presented at a meeting in September/October 2025.",
                     "rules will")
    assert latest.due_by == date(2025, 6, 29)
    assert slashed.due_by == date(2025, 10, 31)


def test_the_next_day_follows_the_day_named_before_it():
    claim = _claim(
        "The winner of the July 3 election will be sworn in the following day.", "sworn in"
    )
    assert claim.due_by == date(2025, 7, 4)


def test_a_statement_as_speaker_is_the_institution_that_issued_it():
    text = (
        "Westland’s Ministry of Trade said on Thursday that it will lift the export ban.\n"
        "According to the ministry’s written statement, the ban ends in July. The statement "
        "added that Westland will review its tariffs next month.\n"
    )
    claim = _claim(text, "review its tariffs")
    assert claim.claimant != "The statement"
    assert "Ministry of Trade" in claim.claimant


def test_its_sources_are_the_organisation_they_belong_to():
    text = (
        "A truce will be signed in the coming days. This was reported by the Northgate News "
        "Agency, which is close to the talks.\n"
        "According to its sources, “the truce will be signed this week.”\n"
    )
    reported = _claim(text, "truce will be signed in the coming days")
    sourced = _claim(text, "truce will be signed this week")
    assert reported.claimant == "Northgate News Agency"
    assert sourced.claimant == "Northgate News Agency"


def test_the_terms_of_a_proposal_not_yet_agreed_are_conditional():
    framed = (
        "Under the latest proposal presented at the talks in Oslo, the rebels will free ten "
        "prisoners in July. During the same period, the government will lift the curfew.\n"
    )
    first = _claim(framed, "rebels will free")
    second = _claim(framed, "government will lift")
    inline = _claim("Lund said ten prisoners will be freed under the proposed agreement.",
                    "prisoners will be freed")
    adopted = _claim("Under the agreement signed on Monday, the rebels will free ten "
                     "prisoners in July.", "rebels will free")
    assert (first.certainty, second.certainty, inline.certainty) == ("conditional",) * 3
    assert adopted.certainty == "asserted"
