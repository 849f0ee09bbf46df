"""Exact-match name normalisation."""

from __future__ import annotations

import pytest

from tradecontrol.screening import name_keys, normalize_name
from tradecontrol.screening.normalize import name_variants

SAME = [
    ("Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES COMPANY LIMITED"),
    ("Huawei Technologies Co., Ltd.", "huawei technologies co ltd"),
    ("Huawei Technologies Co. Ltd.", "Huawei  Technologies, Co., Ltd"),
    ("Huawei Technologies Japan K.K.", "Huawei Technologies Japan Kabushiki Kaisha"),
    ("Huawei do Brasil Telecomunicações Ltda", "HUAWEI DO BRASIL TELECOMUNICACOES LIMITADA"),
    ("Société Générale S.A.", "Societe Generale SA"),
    ("Huawei Technologies (Bolivia) S.R.L.", "Huawei Technologies Bolivia SRL"),
    ("ACME CORPORATION", "Acme Corp."),
    ("Acme Incorporated", "ACME INC"),
]
DIFFERENT = [
    ("Huawei Technologies Co., Ltd.", "Huawei Technologies Co., Ltd., Beijing Research Institute"),
    ("ORION STAR 7", "ORION STAR 8"),
    ("Huawei Device Co., Ltd.", "Huawei Technologies Co., Ltd."),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_after_normalisation(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_after_normalisation(a: str, b: str) -> None:
    assert normalize_name(a) != normalize_name(b)


def test_parenthesised_short_name_is_a_key() -> None:
    assert name_keys("Huawei Technologies Co., Ltd. (Huawei)") == (
        "huawei technologies co ltd huawei",
        "huawei technologies co ltd",
        "huawei",
    )
    assert name_keys("Huawei Technologies (Bolivia) S.R.L.") == ("huawei technologies bolivia srl",)


def test_short_name_followed_by_a_place() -> None:
    assert name_keys("HiSilicon Technologies Co., Ltd (HiSilicon), Bantian Longgang District") == (
        "hisilicon technologies co ltd hisilicon bantian longgang district",
        "hisilicon technologies co ltd",
        "hisilicon",
    )
    assert name_keys("Huawei Device (Hong Kong) Co., Limited, Tsim Sha Tsui") == (
        "huawei device hong kong co ltd tsim sha tsui",
        "huawei device hong kong co ltd",  # the legal name without the place after it
    )


def test_punctuation_only_names_have_no_key() -> None:
    assert name_keys("...") == ()


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        (
            "Hua Ying Management Co. Limited, Tsim Sha Tsui",
            ("Hua Ying Management Co. Limited, Tsim Sha Tsui", "Hua Ying Management Co. Limited"),
        ),
        (  # the comma inside "Co., Ltd." is no cut: the rest still holds a legal form
            "Xi'an Ruixin Investment Co., Ltd., Xi'an, Shaanxi",
            (
                "Xi'an Ruixin Investment Co., Ltd., Xi'an, Shaanxi",
                "Xi'an Ruixin Investment Co., Ltd.",
            ),
        ),
        ("Huawei Technologies Co., Ltd.", ("Huawei Technologies Co., Ltd.",)),
        ("SMITH, John", ("SMITH, John",)),  # no legal form: a person's name stays whole
        ("Bank X, Ltd.", ("Bank X, Ltd.",)),  # the legal form after the comma belongs to it
        ("Co., Ltd., Beijing", ("Co., Ltd., Beijing",)),  # a legal form alone is no name
    ],
)
def test_name_variants_cut_a_place_after_the_legal_form(
    name: str, variants: tuple[str, ...]
) -> None:
    assert name_variants(name) == variants


@pytest.mark.parametrize(
    "query", ["Hua Ying Management Co. Limited", "Xi'an Ruixin Investment Co., Ltd."]
)
def test_listed_legal_name_matches_an_entry_that_carries_its_place(query: str) -> None:
    """Bundled Entity List rows whose CSL name field ends with the place still match."""
    from tradecontrol import Rulebook

    assert [m.listing.list_code for m in Rulebook.default().match_entity_name(query)] == ["EL"]


def test_a_cut_name_never_claims_a_name_listed_as_such() -> None:
    """``Huawei Technologies Co., Ltd.`` is listed as such: entries of the form ``Huawei
    Technologies Co., Ltd., <place or institute>`` are not exact hits for it."""
    from tradecontrol import Rulebook

    hits = Rulebook.default().match_entity_name("Huawei Technologies Co., Ltd.")
    assert hits and all(
        "," not in m.matched_name.removeprefix("Huawei Technologies Co.,") for m in hits
    )
