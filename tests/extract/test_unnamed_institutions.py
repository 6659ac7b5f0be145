"""An institution named only by what it is ("the foreign ministry said") is the claimant as
written when the article names no such institution (issue 17)."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

from .conftest import only

WEDNESDAY = date(2025, 1, 15)


def test_the_foreign_ministry_closing_a_sentence_is_its_claimant():
    proposal = only(
        "The envoy will meet the president on Friday, the foreign ministry said.", WEDNESDAY
    )

    assert proposal.claimant == "foreign ministry"
    assert proposal.quote == "The envoy will meet the president on Friday"


def test_the_central_bank_closing_a_sentence_is_its_claimant():
    proposal = only("Rates will stay on hold until June, the central bank said.", WEDNESDAY)

    assert proposal.claimant == "central bank"


def test_the_foreign_ministry_covers_the_unattributed_claims_before_it_in_its_paragraph():
    proposals = extract(
        "The envoy will visit Berlin next week. He will meet the chancellor on Friday, the "
        "foreign ministry said.",
        published_on=WEDNESDAY,
    )

    assert [p.claimant for p in proposals] == ["foreign ministry", "foreign ministry"]


def test_a_bare_ministry_is_still_the_ministry_named_before():
    proposals = extract(
        "Westland's Ministry of Trade announced new quotas on Monday.\n"
        "The quotas will take effect on March 1, the ministry said.",
        published_on=WEDNESDAY,
    )

    assert [p.claimant for p in proposals] == ["Ministry of Trade"]


def test_the_secretariat_with_none_named_is_not_another_institution_nearby():
    proposal = only(
        "Caribbean Heads of Government will meet in Barbados next week, the secretariat said in "
        "a release on Friday.",
        WEDNESDAY,
    )

    assert proposal.claimant == "secretariat"


def test_the_subject_of_an_expectation_is_not_who_expects_it():
    proposal = only(
        "The Heads of Government are also expected to discuss a summit on Tuesday.", WEDNESDAY
    )

    assert proposal.claimant == "unattributed"


def test_the_subject_of_its_own_expectation_still_speaks():
    proposal = only("Acme Corp. expects to open the plant in May.", WEDNESDAY)

    assert proposal.claimant == "Acme Corp."


def test_the_ministry_of_health_with_none_named_stands_as_written():
    proposal = only(
        "An open weekend will be held on June 30, the ministry of health said.", WEDNESDAY
    )

    assert proposal.claimant == "ministry of health"
