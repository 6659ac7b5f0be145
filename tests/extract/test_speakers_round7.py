"""Speakers found on a seventh and eighth fresh batch (issue 17): names with a lowercase
particle, a place before "-based", a participle opening a sentence."""

from __future__ import annotations

from datetime import date

from .conftest import only

MONDAY = date(2018, 5, 21)


def test_a_name_with_a_lowercase_particle_is_one_name():
    proposal = only(
        "The Bangko Sentral ng Pilipinas said it might cut its policy rate in August.", MONDAY
    )

    assert proposal.claimant == "Bangko Sentral ng Pilipinas"


def test_a_portuguese_name_with_do_is_one_name():
    assert only("Banco do Brasil said it will raise rates in August.", MONDAY).claimant == (
        "Banco do Brasil"
    )


def test_where_an_organisation_is_based_is_no_part_of_its_name():
    proposal = only("Glasgow-based CYBG said it will trim its branch network by 2019.", MONDAY)

    assert proposal.claimant == "CYBG"


def test_a_participle_opening_a_sentence_is_no_claimant():
    proposal = only("Scheduled to be completed in 2026, the line will be linked to Line 2.", MONDAY)

    assert proposal.claimant == "unattributed"


def test_a_name_before_a_long_description_speaks_not_a_name_inside_the_description():
    proposal = only(
        "Kenya, East Africa's largest economy and the last holdout alongside Uganda and "
        "Tanzania, announced this week that it would sign the deal on Sunday.",
        MONDAY,
    )

    assert proposal.claimant == "Kenya"


def test_a_person_before_a_company_role_in_two_places_speaks():
    proposal = only(
        "Hiroshi Kawano, Acme Corp.’s chief of the game business in Japan and Asia, said the "
        "console will go on sale Feb. 22.",
        MONDAY,
    )

    assert proposal.claimant == "Hiroshi Kawano"


def test_whose_official_a_person_is_is_no_part_of_the_name():
    proposal = only(
        "The federation will host the event by June, FEDFOOT’s Jean Happi said.", MONDAY
    )

    assert proposal.claimant == "Jean Happi"


def test_a_portfolio_before_a_comma_is_no_part_of_the_name():
    proposal = only(
        "Minister of Communications, Electronics and Information Technology Ann Lee said 5G "
        "will be launched by October.",
        MONDAY,
    )

    assert proposal.claimant == "Ann Lee"
