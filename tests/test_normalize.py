"""Exact-match name normalisation."""

from __future__ import annotations

import pytest

from tradecontrol.screening import name_keys, normalize_name

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
    )


def test_punctuation_only_names_have_no_key() -> None:
    assert name_keys("...") == ()
