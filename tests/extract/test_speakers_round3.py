"""Speakers, third round (issue 17): names cut short or dressed up, and who a plain
description of a plan belongs to. Invented sentences, one behaviour each."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

from .conftest import only

THURSDAY = date(2025, 10, 30)


def claimant_of(text: str, quote_start: str) -> str:
    """Return the claimant of the proposal whose quote opens with ``quote_start``."""
    found = [p for p in extract(text, published_on=THURSDAY) if p.quote.startswith(quote_start)]
    assert len(found) == 1, [p.quote for p in extract(text, published_on=THURSDAY)]
    return found[0].claimant


def test_a_stock_ticker_is_no_part_of_a_company_name():
    text = "Nordhavn Shipping Ltd NSL.OL said it will open a terminal in Bergen in 2027."

    assert only(text, THURSDAY).claimant == "Nordhavn Shipping Ltd."


def test_a_corporate_abbreviation_keeps_its_period_at_a_sentence_end():
    text = "The terminal will open in Bergen in 2027, said Nordhavn Shipping Inc."

    assert only(text, THURSDAY).claimant == "Nordhavn Shipping Inc."


def test_an_institution_cut_to_its_head_word_takes_the_full_name_given_before():
    text = (
        "The Bank of Westland kept its rate at 4% on Thursday.\n"
        "Governor Ana Lund spoke to reporters afterwards.\n"
        "The central bank said inflation is expected to fall to 2% by June."
    )

    assert only(text, THURSDAY).claimant == "Bank of Westland"


def test_a_dateline_city_is_no_part_of_an_institution_name():
    text = (
        "OSLO\n"
        "The Reserve Bank of Westland said on Thursday it would hold rates.\n"
        "The Reserve board said it expects inflation to ease by June."
    )

    assert claimant_of(text, "it expects") == "Reserve Bank of Westland"


def test_the_ministry_is_the_ministry_named_before_not_a_nearer_institution():
    text = (
        "Westland's foreign ministry announced the minister's tour on Thursday.\n"
        "Ana Lund will then address the Nordic Trade Council in Oslo on November 12, according "
        "to the ministry."
    )

    assert only(text, THURSDAY).claimant == "Westland's foreign ministry"


def test_a_statement_of_an_institution_written_as_a_modifier_is_the_institution_s():
    text = (
        "Ana Lund will visit Oslo on November 12, according to a separate foreign ministry "
        "statement."
    )

    assert only(text, THURSDAY).claimant == "foreign ministry"


def test_news_copy_in_the_present_tense_attributes():
    text = "The Westland Rail Agency notes that the bridge will open on November 12."

    assert only(text, THURSDAY).claimant == "Westland Rail Agency"


def test_the_agency_is_the_news_agency_described_before():
    text = (
        "This was first reported by the Nordpress news agency.\n"
        "The agency did not rule out that the talks could resume on November 12."
    )

    assert only(text, THURSDAY).claimant == "Nordpress news agency"


def test_a_speech_verb_in_the_passive_before_a_quotation_is_no_attribution():
    text = (
        "The Nordpress news agency reported the talks on Thursday.\n"
        "The agency did not rule out that a Westland truce could be announced “as early as "
        "Sunday, if all the details are finalized.”"
    )

    assert claimant_of(text, "a Westland truce") == "Nordpress news agency"


def test_a_progressive_intention_is_its_subject_s():
    text = "The drug was approved last year. Nordhavn is aiming to sell it in Norway next year."

    assert only(text, THURSDAY).claimant == "Nordhavn"


def test_a_participle_setting_a_date_belongs_to_the_institution_the_sentence_opens_with():
    text = (
        "The Electoral Board of Westland (EBW) on Monday approved a plan for the vote, "
        "setting polling day for March 8, 2026."
    )

    assert only(text, THURSDAY).claimant == "Electoral Board of Westland"


def test_an_adverb_between_subject_and_verb_is_no_part_of_the_subject():
    text = "Economists at Nordbank still anticipate two rate cuts next year."

    assert only(text, THURSDAY).claimant == "Nordbank"


def test_his_plan_is_the_plan_of_the_man_named_before():
    text = (
        "Foreign Minister Ana Lund met her Nordic counterparts in Oslo.\n"
        "Her plan, aimed at closer ties, is set to take shape next year."
    )

    assert only(text, THURSDAY).claimant == "Ana Lund"


def test_the_speaker_of_a_second_clause_is_its_own_subject():
    text = (
        "The Westland Central Bank held rates on Wednesday and policymakers signaled "
        "rates are likely to fall next year."
    )

    assert only(text, THURSDAY).claimant == "Westland Central Bank"


def test_a_quantifier_is_never_a_speaker():
    text = "Both countries also agreed to ease tariffs on steel by the end of next year."

    assert only(text, THURSDAY).claimant == "unattributed"


def test_a_country_s_government_keeps_its_name():
    text = (
        "Foreign Minister Ana Lund will visit London on Thursday, the British government confirmed."
    )

    assert only(text, THURSDAY).claimant == "British government"


def test_insiders_named_after_their_institution_speak_for_it():
    text = "Most U.S. central bank officials foresee only two rate cuts next year."

    assert only(text, THURSDAY).claimant == "U.S. central bank"


def test_the_report_is_the_outlet_that_reported_before():
    text = (
        "Nordhavn is building a new ferry, the Westland Courier reported on Thursday.\n"
        "The ferry is expected to enter service in May 2026, the report said."
    )

    assert claimant_of(text, "The ferry") == "Westland Courier"


def test_a_body_described_by_a_lowercase_owner_is_the_organisation_the_article_is_about():
    text = (
        "OSLO — The first Nordic Cup of the NSF will be held in Oslo in 2027, world skiing's "
        "governing body said on Friday.\n"
        "The NSF confirmed the plan in March. The NSF has 40 members."
    )

    assert only(text, THURSDAY).claimant == "NSF"


def test_the_details_of_a_project_belong_to_who_the_paragraph_opens_with():
    text = (
        "Bergen Ferry Terminal, Norway, has launched a NOK 900 million expansion. "
        "It adds new berths. The north pier will expand by 4,000 m2 by 2027."
    )

    assert claimant_of(text, "The north pier") == "Bergen Ferry Terminal"


def test_a_role_opening_a_paragraph_is_its_holder():
    text = (
        "Westland is studying President Ana Lund’s new tariff order.\n"
        "The President signed the order on Wednesday. The duty of 10% will be effective "
        "from November 5."
    )

    assert claimant_of(text, "The duty") == "Ana Lund"


def test_a_sentence_opening_with_a_bare_the_names_no_subject():
    text = "The 2026 games will open in Oslo on May 4."

    assert only(text, THURSDAY).claimant == "unattributed"


def test_he_said_after_a_long_paraphrase_is_the_person_who_last_spoke():
    text = (
        "Health Minister Ana Lund said the first doses arrived on Monday.\n"
        "The doses were checked by the Westland Vaccine Institute. It approved them. "
        "Clinics were told. Nurses were trained. Vans were hired. Stores were cleaned.\n"
        "Another batch will be delivered in late November. The ministry has prepared "
        "storage, he said."
    )

    assert claimant_of(text, "Another batch") == "Ana Lund"


def test_a_plan_in_a_clause_of_its_own_is_its_subject_s_not_the_speaker_s():
    text = (
        "Lund warned of consequences for Nordland after Prime Minister Erik Dahl announced "
        "plans to hold a referendum in May."
    )

    assert only(text, THURSDAY).claimant == "Erik Dahl"
