"""Name scoring (issue 4 items 3 and 8): one named test per matching rule, and the regressions."""

from __future__ import annotations

import os
import pickle
from typing import Any

import pytest

from tests.conftest import SHARED
from tradecontrol import Entity
from tradecontrol.entities import Identifier
from tradecontrol.screening import scoring
from tradecontrol.screening.scoring import (
    CANDIDATE_FLOOR,
    DEFAULT_MATCH,
    DEFAULT_REVIEW,
    Comparison,
    compare,
    prepare,
)

pytestmark = pytest.mark.skipif(not scoring.AVAILABLE, reason="tradecontrol[screening] absent")

if os.environ.get("CI") == "true" and not (SHARED / "data").is_dir():
    raise RuntimeError(f"CI=true but the shared reference data is missing at {SHARED}")

needs_shared = pytest.mark.skipif(
    not (SHARED / "data").is_dir(), reason="../shared (reference data) is not beside the repo"
)


def ent(name: str, kind: str = "unknown", **fields: Any) -> Entity:
    return Entity(name=name, kind=kind, **fields)


def cmp(query: Entity, listed: Entity) -> Comparison:
    result = compare(prepare(query), prepare(listed))
    q, lst = prepare(query), prepare(listed)
    if result.score >= CANDIDATE_FLOOR:  # the key contract of the candidate index
        assert q.probes & lst.keys
    return result


def names(c: Comparison) -> list[str]:
    return [f.name for f in c.features]


def is_match(c: Comparison) -> bool:
    return c.score >= DEFAULT_MATCH


def test_thresholds_are_ordered() -> None:
    assert 0 < CANDIDATE_FLOOR <= DEFAULT_REVIEW < DEFAULT_MATCH <= 1


# --- item 8: the ten regression inputs -------------------------------------------------


def test_regression_acme_co_ltd() -> None:
    c = cmp(ent("Acme Trading Co., Ltd."), ent("ACME TRADING COMPANY LIMITED", "organization"))
    assert is_match(c)
    assert "legal_form_equivalent" in names(c)


def test_regression_lukoil_comp() -> None:
    assert is_match(cmp(ent("LUKOIL OIL COMP"), ent("LUKOIL OIL COMPANY", "organization")))


def test_regression_belletech_vs_11420_corp() -> None:
    c = cmp(ent("BELLETECH CORP"), ent("11420 CORP.", "organization"))
    assert c.score < DEFAULT_REVIEW


def test_regression_sidorov_cyrillic_with_birth_year() -> None:
    listed = ent("Ivan Petrovich SIDOROV", "person", birth_date="1961-04-02")
    c = cmp(ent("Сидоров Иван Петрович", "person", birth_date="1961"), listed)
    assert is_match(c)
    assert "birth_date_match" in names(c)


def test_regression_sidorov_other_birth_year_is_review_with_reason() -> None:
    listed = ent("Ivan Petrovich SIDOROV", "person", birth_date="1961-04-02")
    c = cmp(ent("Сидоров Иван Петрович", "person", birth_date="1975"), listed)
    assert not is_match(c)
    mismatch = [f for f in c.features if f.name == "birth_date_mismatch"]
    assert mismatch and mismatch[0].effect < 0 and "14 year" in mismatch[0].detail


@pytest.mark.parametrize("query", ["Petro Kovalenko", "KOVALENKO Petro"])
def test_regression_kovalenko_token_order_and_missing_patronymic(query: str) -> None:
    assert is_match(cmp(ent(query, "person"), ent("KOVALENKO, Petro Ivanovych", "person")))


def _nwm() -> Entity:
    return ent(
        "NEW WORLD MARITIME HOLDINGS LIMITED",
        "organization",
        aliases=["NWM SHIPPING"],
        weak_aliases=["NWMS"],
    )


def test_regression_nwm_shipping_matches_strong_alias() -> None:
    c = cmp(ent("NWM Shipping"), _nwm())
    assert is_match(c)
    assert c.matched_name == "NWM SHIPPING"


def test_regression_weak_alias_alone_is_no_automatic_match() -> None:
    c = cmp(ent("NWMS"), _nwm())
    assert c.matched_name == "NWMS"
    assert not is_match(c)
    assert "weak_alias" in names(c)


def test_regression_person_does_not_match_llc() -> None:
    c = cmp(ent("Emma Daniels", "person"), ent("EMMA LLC", "organization"))
    assert c.score == 0.0
    assert names(c) == ["kind_mismatch"]


def test_regression_emma_unknown_kind_still_no_match() -> None:
    assert cmp(ent("Emma Daniels"), ent("EMMA LLC")).score < DEFAULT_REVIEW


def test_regression_jscargument() -> None:
    c = cmp(ent("JSCARGUMENT"), ent("JSC ARGUMENT", "organization"))
    assert is_match(c)
    assert "joined_tokens" in names(c)


def test_regression_orion_star_numbers_discriminate() -> None:
    c = cmp(ent("ORION STAR 8", "vessel"), ent("ORION STAR 7", "vessel"))
    assert c.score < DEFAULT_REVIEW
    assert "number_mismatch" in names(c)


def test_regression_orion_star_same_imo_matches() -> None:
    c = cmp(
        ent("ORION STAR 8", "vessel", identifiers=[Identifier(scheme="imo", value="IMO 9123456")]),
        ent("ORION STAR 7", "vessel", identifiers=[Identifier(scheme="imo", value="9123456")]),
    )
    assert is_match(c)
    assert "identifier_match" in names(c)


def test_prepared_hashes_and_compares_whatever_a_query_remembered() -> None:
    used, fresh = prepare(ent("Acme Trading Ltd")), prepare(ent("Acme Trading Ltd"))
    compare(used, prepare(ent("Acme Trading Co", "organization")))  # fills used's memos
    assert used == fresh
    assert hash(used) == hash(fresh)


def test_prepared_is_picklable() -> None:
    p = prepare(_nwm())
    assert pickle.loads(pickle.dumps(p)) == p


# --- item 3: one named test per matching rule -------------------------------------------


def test_rule_unicode_case_diacritics_punctuation_spacing() -> None:
    c = cmp(ent("  société   GÉNÉRALE,  s.a. "), ent("Societe Generale SA", "organization"))
    assert c.score == 1.0
    assert c.query_form == c.listed_form == "societe generale sa"


def test_rule_invisible_characters_and_nfkc() -> None:
    # zero-width space and full-width letters fold away
    assert cmp(ent("ＡＣＭＥ\u200b Ltd"), ent("ACME LIMITED", "organization")).score == 1.0


def test_rule_concatenated_tokens() -> None:
    c = cmp(ent("SiemensAG"), ent("Siemens AG", "organization"))
    assert is_match(c)
    assert "joined_tokens" in names(c)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Acme Co., Ltd.", "Acme Company Limited"),
        ("Acme LLC", "Acme Limited Liability Company"),
        ("Acme GmbH", "Acme Gesellschaft mit beschränkter Haftung"),
        ("Acme AG", "Acme Aktiengesellschaft"),
        ("Acme S.A.", "Acme Sociedad Anónima"),
        ("ООО Ромашка", "OOO Romashka"),
        ("АО Ромашка", "JSC Romashka"),
        ("PAO Romashka", "Public Joint Stock Company Romashka"),
        ("LUKOIL OIL COMP", "LUKOIL OIL COMPANY"),
        ("Siemens Aktiengeselschaft", "Siemens AG"),  # misspelt legal form
    ],
)
def test_rule_legal_forms_in_many_languages(query: str, listed: str) -> None:
    c = cmp(ent(query), ent(listed, "organization"))
    assert is_match(c), (query, listed, c)


def test_rule_legal_forms_are_not_distinctive_words() -> None:
    # the legal forms differ but equal names with different forms still match ...
    c = cmp(ent("Romashka LLC"), ent("Romashka JSC", "organization"))
    assert is_match(c)
    assert "legal_form_mismatch" in names(c)
    # ... and a shared legal form never makes two different names match
    assert cmp(ent("Volkswagen AG"), ent("Siemens AG", "organization")).score < DEFAULT_REVIEW


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Сергей Лавров", "Sergey LAVROV"),  # Cyrillic
        ("Σωκράτης Παπαδόπουλος", "Sokratis Papadopoulos"),  # Greek
        ("محمد حسن", "Mhmd Hsn"),  # Arabic (abjad: consonants only)
        ("Володимир Зеленський", "Volodymyr ZELENSKYY"),  # Ukrainian transliteration
    ],
)
def test_rule_cross_script_transliteration(query: str, listed: str) -> None:
    assert is_match(cmp(ent(query, "person"), ent(listed, "person")))


def test_rule_person_token_order_and_surname_comma_given() -> None:
    a = cmp(ent("Ivan Sidorov", "person"), ent("SIDOROV, Ivan", "person"))
    b = cmp(ent("Sidorov Ivan", "person"), ent("SIDOROV, Ivan", "person"))
    assert a.score == b.score == 1.0


def test_rule_missing_middle_name_costs_little() -> None:
    full = cmp(ent("Ivan Petrovich Sidorov", "person"), ent("Ivan Petrovich Sidorov", "person"))
    short = cmp(ent("Ivan Sidorov", "person"), ent("Ivan Petrovich Sidorov", "person"))
    assert full.score == 1.0
    assert is_match(short)
    assert 1.0 - short.score < 0.1


def test_rule_different_middle_names_cost_more_than_a_missing_one() -> None:
    missing = cmp(ent("Ivan Sidorov", "person"), ent("Ivan Petrovich Sidorov", "person"))
    other = cmp(ent("Ivan Nikolaevich Sidorov", "person"), ent("Ivan Petrovich Sidorov", "person"))
    assert other.score < missing.score


def test_rule_numbers_discriminate() -> None:
    different = cmp(ent("ORION STAR 8", "vessel"), ent("ORION STAR 7", "vessel"))
    same = cmp(ent("ORION STAR 7", "vessel"), ent("ORION STAR 7", "vessel"))
    assert same.score == 1.0
    assert different.score < DEFAULT_REVIEW
    assert "number_mismatch" in names(different)


def test_rule_generic_words_alone_never_match() -> None:
    c = cmp(
        ent("Global Trading International Ltd"), ent("Global Trading Group Ltd", "organization")
    )
    assert c.score < DEFAULT_REVIEW


def test_rule_one_token_listed_name_does_not_swallow_a_longer_name() -> None:
    c = cmp(ent("Emma Daniels Consulting"), ent("EMMA", "organization"))
    assert c.score < CANDIDATE_FLOOR


def test_rule_common_given_name_and_surname_need_a_third_agreeing_part() -> None:
    # Stephen and Smith are common (1990 US Census): the missing middle name is not cheap
    c = cmp(ent("Stephen Smith", "person"), ent("STEPHEN EDWARD SMITH", "person"))
    assert not is_match(c)
    assert c.score >= DEFAULT_REVIEW  # still a candidate for review
    # a rare surname agreeing makes the missing patronymic cheap, as before
    rare = cmp(ent("Petro Kovalenko", "person"), ent("KOVALENKO, Petro Ivanovych", "person"))
    assert is_match(rare)
    # the same common names in full still match
    assert is_match(cmp(ent("Stephen Smith", "person"), ent("SMITH, Stephen", "person")))


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("AHMAD BIN HASAN AL-UBAIDI", "HASAN BIN AHMAD AL-UBAIDI"),
        ("Salman ibn Muhammad al-Rawi", "MUHAMMAD BIN SALMAN AL-RAWI"),
        ("Fatima bint Ali", "ALI BIN FATIMA"),
    ],
)
def test_rule_nasab_own_and_father_names_do_not_swap(query: str, listed: str) -> None:
    # the name after bin/ibn/bint is the father's: swapped, it is another person
    swapped = cmp(ent(query, "person"), ent(listed, "person"))
    assert swapped.score < DEFAULT_REVIEW
    assert is_match(cmp(ent(query, "person"), ent(query.upper(), "person")))


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Agriculture Bank of China Limited", "Agricultural Bank of China Limited"),
        ("Trafalgura Group Pte. Ltd.", "Trafigura Group Pte. Ltd."),
    ],
)
def test_rule_near_miss_of_the_only_distinctive_word_is_scored(query: str, listed: str) -> None:
    # two letters apart: no typo key agrees, the skeleton less one consonant does
    c = cmp(ent(query, "organization"), ent(listed, "organization"))
    assert is_match(c)
    assert prepare(ent(query, "organization")).probes & prepare(ent(listed, "organization")).keys


def test_rule_near_miss_below_strong_similarity_is_no_evidence() -> None:
    # Mortars/Motors meet through the skeleton key but pair at 0.77: generic words decide nothing
    c = cmp(ent("General Mortars Company", "organization"), ent("General Motors Company"))
    assert c.score <= 0.3
    assert "no_distinctive_match" in names(c)


def test_rule_legal_form_cut_at_a_field_length() -> None:
    cut = "TACTICAL MISSILES CORPORATION JOINT STOCK COMPAN"
    c = cmp(ent(cut, "organization"), ent(cut + "Y", "organization"))
    assert is_match(c)
    org = prepare(ent(cut, "organization")).names[0].org
    assert org is not None and "jsc" in org.legal
    one_word = cmp(ent("LUKOIL OIL COMPA", "organization"), ent("LUKOIL OIL COMPANY"))
    assert is_match(one_word)
    # a cut word that is not the last stays a word
    inside = prepare(ent("JOINT STOCK COMPAN TRADING", "organization")).names[0].org
    assert inside is not None and "compan" in inside.texts


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Ted Doe", "Theodore Doe"),
        ("Bill Gates", "GATES, William"),
        ("Peggy Kowalski", "Margaret Kowalski"),
    ],
)
def test_rule_nicknames_agree_with_the_given_name(query: str, listed: str) -> None:
    # PyPI nicknames (Apache-2.0) via tools/gen_name_terms.py; Bill meets William's keys too
    c = cmp(ent(query, "person"), ent(listed, "person"))
    assert is_match(c)


def test_rule_nicknames_are_not_transitive_and_only_for_persons() -> None:
    # Ted is a nickname of Theodore and of Edward; Theodore and Edward stay different
    assert not is_match(cmp(ent("Theodore Doe", "person"), ent("Edward Doe", "person")))
    assert cmp(ent("Bill Holdings", "organization"), ent("William Holdings")).score < DEFAULT_REVIEW


def test_rule_nasab_needs_a_name_after_the_particle_and_the_written_order() -> None:
    # no father named after the particle, or SURNAME, Given order: tokens pair freely
    trailing = cmp(ent("Salman Mohammed bin", "person"), ent("Mohammed bin Salman", "person"))
    inverted = cmp(ent("AL-UBAIDI, Ahmad bin Hasan", "person"), ent("Ahmad bin Hasan", "person"))
    assert trailing.score >= DEFAULT_REVIEW
    assert is_match(inverted)


@pytest.mark.parametrize(
    ("query", "listed"),
    [("George Miller", "George Miles"), ("Xavier Gonzales", "Javier Gonzalez")],
)
def test_rule_two_different_common_names_are_not_one_misspelt(query: str, listed: str) -> None:
    assert not is_match(cmp(ent(query, "person"), ent(listed, "person")))


def test_rule_near_miss_of_common_name_parts_counts_less() -> None:
    c = cmp(ent("成 朱", "person"), ent("CHEN, Zhu", "person"))  # every Han syllable is common
    assert not is_match(c)


def test_rule_contradicting_name_parts_cost_more_than_missing_ones() -> None:
    contradicted = cmp(
        ent("Mohammed Qasim Abdul Rahim", "person"), ent("Mohammed Qasim Wali Rahim", "person")
    )
    missing = cmp(ent("Mohammed Qasim Rahim", "person"), ent("Mohammed Qasim Wali Rahim", "person"))
    assert not is_match(contradicted)
    assert contradicted.score < missing.score


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Brigade Forty-Four", "Brigade 44"),
        ("1st International Bank", "First International Bank"),
        ("Three Percenters", "3 Percenters"),
    ],
)
def test_rule_number_words_read_as_numbers(query: str, listed: str) -> None:
    assert is_match(cmp(ent(query, "organization"), ent(listed, "organization")))
    assert not is_match(cmp(ent("Brigade Forty-Five"), ent("Brigade 44", "organization")))


def test_rule_names_equal_outside_brackets_are_not_equal() -> None:
    c = cmp(
        ent("Bowne Global Solutions (Spain), S.L."),
        ent("Bowne Global Solutions (Netherlands), B.V.", "organization"),
    )
    assert not is_match(c)
    short = cmp(ent("Huawei"), ent("Huawei Technologies Co., Ltd. (Huawei)", "organization"))
    assert is_match(short)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Bank of Chima Limited", "Bank of China Limited"),  # one distinctive word vs several
        ("Deutsche Bank's AG", "Deutsche Bank AG"),
    ],
)
def test_rule_one_token_and_several_token_organisation_names_meet(query: str, listed: str) -> None:
    q, lst = prepare(ent(query, "organization")), prepare(ent(listed, "organization"))
    assert q.keys.isdisjoint(lst.keys)  # filed under different kinds of key ...
    assert q.probes & lst.keys and lst.probes & q.keys  # ... but each looks the other up
    assert is_match(cmp(ent(query, "organization"), ent(listed, "organization")))


def test_index_finds_one_word_organisation_names_through_probes() -> None:
    from tradecontrol import Listing, ListingVersion, Window
    from tradecontrol.screening.index import CandidateIndex

    names = ["Bank of China Limited", "Deutsche Bank AG", "Emma Daniels Consulting LLC"]
    listings = tuple(
        Listing(
            id=f"x-{i}",
            list_code="INTERNAL",
            authority="ACME",
            entity=Entity(name=name, kind="organization"),
            versions=[ListingVersion(window=Window(start="2020-01-01"))],
        )
        for i, name in enumerate(names)
    )
    index = CandidateIndex.build(listings)
    for query, expected in [("Bank of Chima Limited", 0), ("Deutsche Bank's AG", 1)]:
        q = prepare(ent(query, "organization"))
        assert expected in index.candidates(q)
        # the index finds exactly what scoring every listing finds at the floor
        full = [p for p, lst in enumerate(index.prepared) if compare(q, lst).score >= 0.5]
        assert set(full) <= set(index.candidates(q))
    assert index.candidates(prepare(ent("EMMA", "organization"))) == ()


def test_rule_truncated_and_many_missing_names_are_not_cheap() -> None:
    long_name = "FAZEEL-A-TUL SHAYKH ABU MOHAMMED AMEEN AL-PESHAWARI"
    assert not is_match(cmp(ent("FAZEEL AL-PESHAWARI", "person"), ent(long_name, "person")))


def test_rule_stopwords_never_become_distinctive() -> None:
    assert is_match(cmp(ent("The World Bank"), ent("World Bank", "organization")))


def test_rule_entity_kinds_must_be_compatible() -> None:
    c = cmp(ent("ORION STAR", "person"), ent("ORION STAR", "vessel"))
    assert c.score == 0.0
    assert names(c) == ["kind_mismatch"]
    # unknown is compatible with everything
    assert cmp(ent("ORION STAR"), ent("ORION STAR", "vessel")).score == 1.0


def test_rule_weak_alias_only_supports_other_evidence() -> None:
    listed = ent("Ivan Petrovich SIDOROV", "person", weak_aliases=["Vanya"], birth_date="1961")
    alone = cmp(ent("Vanya", "person"), listed)
    supported = cmp(ent("Vanya", "person", birth_date="1961-04-02"), listed)
    assert not is_match(alone)
    assert "weak_alias" in names(alone)
    assert is_match(supported)


def test_rule_identifiers_decide_when_both_sides_have_them() -> None:
    lei = [Identifier(scheme="lei", value="5493001KJTIIGC8Y1R12")]
    other = [Identifier(scheme="lei", value="529900T8BM49AURSDO55")]
    same = cmp(ent("Acme Holdings", identifiers=lei), ent("Zenith Ltd", identifiers=lei))
    differ = cmp(ent("Acme Ltd", identifiers=lei), ent("Acme Ltd", identifiers=other))
    assert same.score == 1.0 and "identifier_match" in names(same)
    assert differ.score < DEFAULT_REVIEW and "identifier_mismatch" in names(differ)


def test_rule_non_identifying_schemes_are_ignored() -> None:
    gender = [Identifier(scheme="gender", value="Male")]
    c = cmp(
        ent("Ivan Ivanov", "person", identifiers=gender),
        ent("Petr Petrov", "person", identifiers=gender),
    )
    assert c.score < CANDIDATE_FLOOR


def test_rule_passports_match_but_a_different_passport_proves_nothing() -> None:
    p1 = [Identifier(scheme="passport", value="A1234567")]
    p2 = [Identifier(scheme="passport", value="B7654321")]
    c = cmp(
        ent("Ivan Sidorov", "person", identifiers=p1), ent("Ivan Sidorov", "person", identifiers=p2)
    )
    assert c.score == 1.0


@pytest.mark.parametrize(
    ("query_birth", "listed_birth", "lowered"),
    [
        ("1961", "1961-04-02", False),
        ("1961-04-02", "1961-04-02", False),
        ("circa 1960", "1961", False),
        ("1960 to 1962", "1961-04-02", False),
        ("1962", "1961-04-02", True),
        ("1975", "1961-04-02", True),
        ("1961-05-01", "1961-04-02", True),
    ],
)
def test_rule_birth_date_disagreement_lowers(
    query_birth: str, listed_birth: str, lowered: bool
) -> None:
    listed = ent("Ivan SIDOROV", "person", birth_date=listed_birth)
    c = cmp(ent("Ivan Sidorov", "person", birth_date=query_birth), listed)
    assert (c.score < 1.0) is lowered
    assert ("birth_date_mismatch" in names(c)) is lowered


def test_rule_absent_birth_date_or_country_never_raises() -> None:
    base = cmp(ent("Ivan Sidorow", "person"), ent("Ivan SIDOROV", "person"))
    with_data = cmp(
        ent("Ivan Sidorow", "person"),
        ent("Ivan SIDOROV", "person", birth_date="1961", country="RU"),
    )
    assert with_data.score == base.score


def test_rule_country_disagreement_lowers() -> None:
    same = cmp(ent("Acme Ltd", country="CN"), ent("Acme Ltd", country="CN"))
    other = cmp(ent("Acme Ltd", country="CN"), ent("Acme Ltd", country="US"))
    assert same.score == 1.0
    assert other.score < same.score
    assert "country_mismatch" in names(other)


def test_features_add_up_to_the_score() -> None:
    listed = ent("Ivan Petrovich SIDOROV", "person", birth_date="1961-04-02", country="RU")
    c = cmp(ent("Sidorov Ivan", "person", birth_date="1975", country="UA"), listed)
    assert sum(f.effect for f in c.features) == pytest.approx(c.score)
    assert all(f.detail for f in c.features)


# --- fallback without the extra ---------------------------------------------------------


def test_fallback_is_exact_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scoring, "AVAILABLE", False)
    exact = cmp(ent("ACME TRADING CO LTD"), ent("Acme Trading Company Limited"))
    fuzzy = cmp(ent("ACME TRADNG CO LTD"), ent("Acme Trading Company Limited"))
    assert exact.score == 1.0 and names(exact) == ["exact_normalised"]
    assert fuzzy.score == 0.0


# --- key contract on real data ----------------------------------------------------------


@needs_shared
def test_key_contract_on_un_sample() -> None:
    from tradecontrol.lists import load

    listings = load(SHARED / "data/un/UN_consolidated.xml").listings[:300]
    prepared = [prepare(x.entity) for x in listings]
    queries = [prepare(x.entity) for x in listings[::15]] + [
        prepare(ent("Mohammad Hasan Akhund", "person")),
        prepare(ent("Korea Mining Development Trading Corp")),
    ]
    for q in queries:
        for listed in prepared:
            if compare(q, listed).score >= CANDIDATE_FLOOR:
                assert q.probes & listed.keys


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Banc Rossiya", "BANK ROSSIYA"),
        ("Huawei Technolgies Co Ltd", "Huawei Technologies Co., Ltd."),
        ("Huawei Tecnologies Co Ltd", "Huawei Technologies Co., Ltd."),
        ("Huawei Technologys Co Ltd", "Huawei Technologies Co., Ltd."),
    ],
)
def test_rule_a_misspelt_generic_word_still_meets_the_listed_name(query: str, listed: str) -> None:
    """A typo in a generic word made it a distinctive one: other keys, never compared (0.0)."""
    q = prepare(Entity(name=query))
    listing = prepare(Entity(name=listed, kind="organization"))
    assert q.probes & listing.keys  # the index hands it over
    assert compare(q, listing).score >= DEFAULT_MATCH


def test_rule_a_country_is_no_misspelt_generic_word() -> None:
    """``iraq`` is one letter from the generic ``iran`` but a country of its own."""
    from tradecontrol.screening.scoring import _near_generic

    assert _near_generic("iraq") is None
    assert _near_generic("banc") == "bank"
