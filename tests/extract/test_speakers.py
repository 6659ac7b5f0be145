"""Speakers that are not speakers (issue 17): date words, demonyms, generic nouns, deal terms."""

from __future__ import annotations

from datetime import date

from claims.extract import extract

from .conftest import only

THURSDAY = date(2025, 10, 30)


def test_a_weekday_opening_the_sentence_is_never_the_claimant():
    text = "Thursday. Westland Motors said it will open a plant in Ohio in 2027."

    assert only(text, THURSDAY).claimant == "Westland Motors"


def test_generic_officials_resolve_to_the_institution_of_the_paragraph_before():
    text = (
        "The Fed's policy committee met in Washington this week.\n"
        "Officials said they will cut rates again in December."
    )

    assert only(text, THURSDAY).claimant == "The Fed's policy committee"


def test_sources_resolve_to_the_institution_named_in_the_sentence():
    text = "Sources close to Nordbank AG said the lender will cut 900 jobs next year."

    assert only(text, THURSDAY).claimant == "Nordbank AG"


def test_a_bare_demonym_resolves_to_the_institution_the_text_names():
    text = (
        "China's commerce ministry published new rules on Thursday.\n"
        "The Chinese said they will resume purchases of grain next month."
    )

    assert only(text, THURSDAY).claimant == "China's commerce ministry"


def test_a_demonym_with_no_institution_near_becomes_its_country():
    text = "Chinese officials said the tariffs will be cut to 10% in November."

    assert only(text, THURSDAY).claimant == "China"


def test_an_institution_of_another_country_is_not_taken_for_a_demonym():
    text = (
        "Japan's finance ministry declined to comment.\n"
        "Chinese officials said the tariffs will be cut to 10% in November."
    )

    assert only(text, THURSDAY).claimant == "China"


def test_the_ministry_keeps_the_name_the_text_gives_it():
    text = (
        "China's commerce ministry said on Thursday that it will suspend the new export "
        "controls for a year."
    )

    assert only(text, THURSDAY).claimant == "China's commerce ministry"


def test_a_single_unnamed_official_stays_as_written():
    text = (
        "Egypt's foreign ministry hosted the talks.\n"
        "A senior official involved in the talks said a deal could be reached next week."
    )

    assert only(text, THURSDAY).claimant == "a senior official involved in the talks"


def test_reported_deal_terms_go_to_the_party_that_committed():
    text = "Under the deal, Westland will suspend its export controls for a year."

    assert only(text, THURSDAY).claimant == "Westland"


def test_a_term_of_the_agreement_goes_to_the_party_it_binds():
    text = "The agreement includes a temporary suspension of Westland's grain export quotas."

    assert only(text, THURSDAY).claimant == "Westland"


def test_it_resolves_to_the_company_that_spoke_before():
    text = (
        "Carver Motors said on Tuesday that it halted its Ohio line.\n"
        "It expects work to restart Nov. 30."
    )

    proposals = extract(text, published_on=THURSDAY)

    assert [p.claimant for p in proposals] == ["Carver Motors"]


def test_a_plain_will_goes_on_with_the_source_of_the_sentence_before():
    text = (
        "The parks agency said the planting programme would start on Nov. 3.\n"
        "The programme will include as many as 300 sites across Westland."
    )

    proposals = extract(text, published_on=THURSDAY)

    assert proposals[-1].quote.startswith("The programme will include")
    assert proposals[-1].claimant == proposals[0].claimant


def test_a_day_between_speaker_and_verb_is_not_the_speaker():
    text = "Governor Ana Costa on Tuesday said the central bank will cut rates in December."

    assert only(text, THURSDAY).claimant == "Ana Costa"


def test_a_news_agency_that_reported_is_the_claimant_without_its_acronym():
    text = (
        "Ana Costa will visit Lisbon and Porto next month, the Westland News Agency (WNA) "
        "reported Sunday."
    )

    assert only(text, THURSDAY).claimant == "Westland News Agency"


def test_a_capital_owning_an_institution_is_its_country():
    text = "Tokyo's trade ministry said it will lift the export quotas in December."

    assert only(text, THURSDAY).claimant == "Japan's trade ministry"


def test_an_institution_in_lowercase_is_the_one_named_earlier():
    text = (
        "Westland's trade ministry announced new quotas on Monday.\n"
        "Farmers protested in the capital.\n"
        "Exporters lined up at the ports.\n"
        "A trade ministry spokesperson said the quotas will be lifted in December."
    )

    assert only(text, THURSDAY).claimant == "Westland's trade ministry"


def test_a_title_without_a_period_resolves_to_the_full_name():
    text = (
        "Premier Chris Dunn opened the line on Monday.\n"
        "“The tunnel will be finished in 2027,” Mr Dunn said."
    )

    assert only(text, THURSDAY).claimant == "Chris Dunn"


def test_a_planned_visit_is_not_credited_to_the_visitor():
    text = "Preparations continue for Premier Ana Costa’s planned visit to Lisbon on Nov. 12."

    assert only(text, THURSDAY).claimant == "unattributed"


def test_the_company_with_no_name_near_is_the_organisation_the_article_names_most():
    text = (
        "Toolmaker Corvix raised its forecast on Wednesday.\n"
        "Investors bought Corvix in late trading, and analysts praised Corvix.\n"
        "The company expects revenue of $4 billion next year."
    )

    proposals = extract(text, published_on=THURSDAY)

    assert [p.claimant for p in proposals] == ["Corvix"]


def test_a_sentence_opening_with_a_named_body_credits_it():
    text = (
        "The Electoral Board (EB) has approved the decree, setting polling day for March 15, 2026."
    )

    assert only(text, THURSDAY).claimant == "Electoral Board"


def test_people_familiar_with_the_matter_report_the_named_partys_plan():
    text = "People familiar with the matter said Orbis plans to launch the device next year."

    assert only(text, THURSDAY).claimant == "Orbis"


def test_a_capitalised_first_word_is_not_a_named_subject():
    text = "Polls close at 8 p.m. on May 22, election officials said."

    assert only(text, THURSDAY).claimant == "election officials"


def test_a_spokesman_of_hers_speaks_for_the_person_named_before() -> None:
    text = (
        "Governor Ana Ruiz flew to Lisbon on Monday.\n"
        "She will open the trade fair on Thursday, her spokesman said."
    )
    assert only(text, date(2025, 3, 12)).claimant == "Ana Ruiz"


def test_a_spokesman_of_nobody_named_stays_as_written() -> None:
    text = "The bridge will reopen in May, his spokesman said."
    assert only(text, date(2025, 3, 12)).claimant == "his spokesman"


def test_according_to_him_names_the_person_the_pronoun_stands_for():
    text = (
        "Governor Tom Lund said on Thursday that growth was strong.\n"
        "According to him, inflation is expected to ease to 4 per cent by March."
    )

    assert only(text, THURSDAY).claimant == "Tom Lund"


def test_an_office_the_word_list_does_not_know_is_no_part_of_the_name():
    text = (
        "Minister of Infrastructure Brian Mason opened the site on Thursday.\n"
        "“The hospital will open in 2030,” Mason said."
    )

    assert only(text, THURSDAY).claimant == "Brian Mason"


def test_an_apposed_name_before_has_announced_is_the_speaker():
    text = (
        "Westland’s head of sales, Chia-Lin Chang, has announced that the company will "
        "launch a new phone in India in March."
    )

    assert only(text, THURSDAY).claimant == "Chia-Lin Chang"


def test_a_senior_officials_rank_is_not_taken_for_the_organisations_name():
    text = "The deal will be signed in January, a senior Treasury official said."

    assert only(text, THURSDAY).claimant == "Treasury"


def test_a_word_capitalised_only_where_it_opens_a_sentence_is_not_a_claimant():
    text = "Construction is scheduled to start in 2027."

    assert only(text, THURSDAY).claimant == "unattributed"


def test_an_institution_described_with_no_such_institution_named_stands_as_written():
    text = (
        "In its report presented in Parliament, the finance ministry said it will meet the "
        "deficit target this year."
    )

    assert only(text, THURSDAY).claimant == "finance ministry"


def test_a_company_described_as_the_subject_of_will_is_the_company_named_before():
    text = (
        "Westland Motors Inc. sold more cars in October.\n"
        "The carmaker will open a plant in Ohio in 2027."
    )

    assert only(text, THURSDAY).claimant == "Westland Motors Inc."


def test_a_role_no_one_is_titled_with_is_the_person_who_last_spoke():
    text = (
        "Deputy Foreign Minister Lin Hao told a briefing on Thursday that talks went well.\n"
        "The diplomat said that the two leaders will sign a communique in June."
    )

    assert only(text, THURSDAY).claimant == "Lin Hao"


def test_a_place_opening_the_sentence_is_never_the_claimant():
    text = (
        "The delegation arrived in London on Monday.\n"
        "In Manchester, the president will visit research centres on Thursday."
    )

    assert only(text, THURSDAY).claimant != "In Manchester"


def test_an_owner_alone_is_never_the_claimant():
    text = "Europe's biggest biotech expects its new drug to win approval in March."

    assert only(text, THURSDAY).claimant != "Europe's"


def test_an_accented_name_speaks_as_an_unaccented_one_would():
    text = (
        "Trade Commissioner Tomáš Šťastný met Economy Minister Kenji Sato on Tuesday.\n"
        "“If the pact is signed, we will cut tariffs in May,” Šťastný said."
    )

    assert only(text, THURSDAY).claimant == "Tomáš Šťastný"


def test_a_common_word_opening_the_sentence_before_lowercase_nouns_is_never_the_claimant():
    text = (
        "Nordwind and Ostkraft took the investment decision on the wind farm.\n"
        "Offshore activities are scheduled to start in 2026."
    )

    assert only(text, THURSDAY).claimant != "Offshore"


def test_a_name_before_the_people_who_act_for_it_is_the_claimant():
    text = "Nordwind executives are set to open a plant in Ohio in 2027."

    assert only(text, THURSDAY).claimant.startswith("Nordwind")


def test_who_says_it_speaks_not_the_author_of_a_plan_it_follows():
    text = (
        "The health ministry says it expects to vaccinate 70% of adults by the end of "
        "September, in line with the plan outlined by the Agency for Vaccine Supply."
    )

    assert only(text, THURSDAY).claimant == "health ministry"


def test_an_agents_name_goes_on_after_for_before_a_capital():
    text = "The schedule announced by the Centre for Disease Control will start in March."

    assert only(text, THURSDAY).claimant == "Centre for Disease Control"


def test_a_plan_announced_by_an_agent_keeps_its_subject():
    text = "The plan announced by Westland Health will start vaccinations in March."

    found = only(text, THURSDAY)
    assert found.quote == text.rstrip(".")
    assert found.claimant == "Westland Health"


def test_an_institution_named_for_two_things_keeps_its_whole_name():
    text = (
        "The bridge will reopen in December, the Westland Department of Transportation and "
        "Development said."
    )

    assert only(text, THURSDAY).claimant == "Westland Department of Transportation and Development"


def test_two_countries_after_of_are_not_one_name():
    text = "Ministers of Westland and Ostland said they will meet in June."

    assert "of" not in only(text, THURSDAY).claimant.split()


def test_a_claim_before_x_said_this_morning_is_kept():
    text = "The bridge will reopen in December, the Westland Transport Agency said this morning."

    found = only(text, THURSDAY)
    assert found.quote == "The bridge will reopen in December"
    assert found.claimant == "Westland Transport Agency"


def test_a_claim_before_x_said_and_a_few_words_is_kept():
    text = "The bridge will reopen in December, the Westland Transport Agency said separately."

    assert only(text, THURSDAY).quote == "The bridge will reopen in December"


def test_who_claims_that_a_thing_will_happen_is_its_claimant():
    text = "Westland Metro Rail claims that the extension will carry 44,000 riders a day by May."

    assert only(text, THURSDAY).claimant == "Westland Metro Rail"


def test_the_first_of_two_parties_acting_together_is_the_claimant():
    text = (
        "Nordwind shares rose on Monday after Nordwind and Ostkraft agreed on the wind farm.\n"
        "Nordwind and Ostkraft will start building the wind farm in June."
    )

    assert only(text, THURSDAY).claimant == "Nordwind"


def test_a_name_with_and_in_it_is_one_claimant():
    text = "Westland Customs and Border Protection will start collecting the duties in June."

    assert only(text, THURSDAY).claimant != "Westland Customs"


def test_a_person_opening_a_sentence_behind_a_lowercase_title_is_who_he_stands_for():
    text = (
        "ISRO chairman S Somanath met reporters on Wednesday.\n"
        "“We will launch the small rocket in February,” he said."
    )

    assert only(text, THURSDAY).claimant == "S Somanath"


def test_a_quotation_dated_but_without_a_cue_of_its_own_is_still_the_speakers():
    text = (
        "Its chairman, Lin Hao, said in Bengaluru on Wednesday that sales rose.\n"
        "“We are planning the launch by the end of February. So, this is the target,” he "
        "told reporters."
    )

    found = only(text, THURSDAY)
    assert found.claimant == "Lin Hao"
    assert found.quote_kind == "direct"


def test_a_portfolio_of_several_words_is_no_part_of_the_ministers_name():
    text = "“The tax will start in July,” confirms Minister for Climate Change Lin Hao."

    assert only(text, THURSDAY).claimant == "Lin Hao"


def test_the_place_an_office_covers_is_no_part_of_the_officials_name():
    text = (
        "Deputy Governor of Westland Province Ana Maria Costa said the results could be "
        "released on Friday."
    )

    assert only(text, THURSDAY).claimant == "Ana Maria Costa"


def test_who_estimates_that_a_thing_will_happen_is_its_claimant():
    text = (
        "The Westland Ministry of Finance expects growth of 1 percent next year.\n"
        "The Institute for Economic Research estimates that growth will be 2 percent in 2026."
    )

    claims = extract(text, published_on=THURSDAY)
    assert claims[-1].claimant == "Institute for Economic Research"
