"""Country Groups (15 CFR 740 Supp. 1) and the Commerce Country Chart (15 CFR 738 Supp. 1).

Chart cells and group memberships are checked against ``../shared/data/ear/*.json`` (the
eCFR of 2026-07-23), and the dated changes the facts file records on both sides of their
dates.
"""

from __future__ import annotations

import datetime
import json
import os
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED
from tradecontrol import Rulebook
from tradecontrol._reasons import CHART_COLUMNS
from tradecontrol.errors import DataError, InvalidInputError

EAR = SHARED / "data" / "ear"
if os.environ.get("CI") == "true" and not EAR.is_dir():
    raise RuntimeError(f"CI=true but the shared reference data is missing at {EAR}")
needs_shared = pytest.mark.skipif(not EAR.is_dir(), reason="../shared/data/ear is not present")

D = datetime.date
TODAY = D(2026, 7, 23)


def _source(name: str) -> Any:
    return json.loads((EAR / name).read_text(encoding="utf-8"))


# (chart row name in the source, ISO code): 40 rows × 16 columns = 640 cells compared.
CHART_ROWS = [
    ("Afghanistan", "AF"),
    ("Albania", "AL"),
    ("Australia", "AU"),
    ("Austria", "AT"),
    ("Bahamas, The", "BS"),
    ("Belarus", "BY"),
    ("Bosnia and Herzegovina", "BA"),
    ("Brazil", "BR"),
    ("Burma", "MM"),
    ("Canada", "CA"),
    ("China", "CN"),
    ("Congo (Democratic Republic of the)", "CD"),
    ("Congo (Republic of the)", "CG"),
    ("Cote d'Ivoire", "CI"),
    ("Cyprus", "CY"),
    ("Germany", "DE"),
    ("India", "IN"),
    ("Iraq", "IQ"),
    ("Israel", "IL"),
    ("Japan", "JP"),
    ("Korea, South", "KR"),
    ("Macau", "MO"),
    ("Mexico", "MX"),
    ("Pakistan", "PK"),
    ("Russia", "RU"),
    ("Saudi Arabia", "SA"),
    ("Seycheles", "SC"),
    ("Sint Maarten (the Dutch two-fifths of the island of Saint Martin)", "SX"),
    ("South Africa", "ZA"),
    ("Sudan", "SD"),
    ("Switzerland", "CH"),
    ("Taiwan", "TW"),
    ("Türkiye", "TR"),
    ("Ukraine", "UA"),
    ("United Arab Emirates", "AE"),
    ("United Kingdom", "GB"),
    ("Venezuela", "VE"),
    ("Vietnam", "VN"),
    ("Yemen", "YE"),
    ("Zimbabwe", "ZW"),
]


@needs_shared
@pytest.mark.parametrize(("name", "code"), CHART_ROWS, ids=[c for _, c in CHART_ROWS])
def test_chart_cells_match_the_source(name: str, code: str, rulebook: Rulebook) -> None:
    source = _source("country-chart.json")
    marks = {m.replace(" ", "") for m in source["countries"][name]["marks"]}
    columns = [c.replace(" ", "") for c in source["columns"]]
    assert len(columns) == 16 and "FC1" in columns
    for column in columns:
        got = rulebook.chart_reasons(code, [column], TODAY)
        assert got == ((column,) if column in marks else ()), f"{name} {column}"


@needs_shared
def test_every_chart_row_and_group_member_is_carried(rulebook: Rulebook) -> None:
    destinations = rulebook.destinations
    assert destinations is not None
    chart = _source("country-chart.json")
    groups = _source("country-groups.json")
    assert len(destinations.chart) == len(chart["countries"]) + len(chart["embargoed"])
    for group, members in groups["groups"].items():
        today = [m for m in destinations.groups if m.group == group and m.window.contains(TODAY)]
        assert len(today) == len(members), group


def test_embargoed_rows_point_to_part_746(rulebook: Rulebook) -> None:
    assert rulebook.destinations is not None
    for code in ("CU", "IR", "KP", "SY"):
        row = rulebook.destinations.chart_row(code, TODAY)
        assert row.marks == () and row.pointer is not None and "746" in row.pointer


@pytest.mark.parametrize(
    ("country", "group", "day", "expected"),
    [
        ("CU", "E:1", D(2015, 7, 21), True),
        ("CU", "E:1", D(2015, 7, 22), False),
        ("CU", "E:2", D(2015, 7, 21), False),
        ("CU", "E:2", D(2015, 7, 22), True),
        ("SD", "E:1", D(2021, 1, 13), True),
        ("SD", "E:1", D(2021, 1, 14), False),
        ("UA", "B", D(2020, 12, 27), False),
        ("UA", "B", D(2020, 12, 28), True),
        ("MX", "A:6", D(2020, 12, 27), False),
        ("MX", "A:6", D(2020, 12, 28), True),
        ("CY", "A:6", D(2020, 12, 28), True),
        ("IR", "E:1", D(2019, 5, 17), True),
        ("KP", "E:1", D(2026, 7, 23), True),
        ("SY", "E:1", D(2025, 9, 15), True),  # not removed by the Sept 2025 rule [S33b]
        ("CN", "D:1", D(2019, 5, 17), True),
        ("CN", "A:1", D(2019, 5, 17), False),
        ("RU", "D:1", D(2022, 4, 10), True),
        ("MO", "D:5", D(2024, 1, 1), False),  # Macau is not in D:5 (groups file note)
        ("UA-43", "B", D(2024, 1, 1), True),  # Crimea takes Ukraine's groups
        ("UA-14", "A:2", D(2024, 1, 1), True),
        ("HK", "D:1", D(2021, 1, 1), True),  # follows China from 2020-12-23
        ("US", "A:1", D(2024, 1, 1), True),
        ("CI", "B", D(2024, 1, 1), True),  # the source spells it "Cote d'lvoire"
    ],
)
def test_country_group_membership_by_date(
    country: str, group: str, day: datetime.date, expected: bool, rulebook: Rulebook
) -> None:
    assert rulebook.in_country_group(country, group, day) is expected


def test_hong_kong_before_december_2020_is_not_answered(rulebook: Rulebook) -> None:
    with pytest.raises(DataError, match="before 2020-12-23"):
        rulebook.in_country_group("HK", "D:1", D(2020, 12, 22))
    with pytest.raises(DataError, match="85 FR 83788"):
        rulebook.chart_reasons("HK", ["NS2"], D(2019, 6, 1))
    assert rulebook.chart_reasons("HK", ["NS2"], D(2020, 12, 23)) == ("NS2",)


def test_territories_follow_their_row(rulebook: Rulebook) -> None:
    assert rulebook.chart_reasons("LI", ["NS2", "CB2"], TODAY) == rulebook.chart_reasons(
        "CH", ["NS2", "CB2"], TODAY
    )
    assert rulebook.chart_reasons("KY", ["NS2"], TODAY) == rulebook.chart_reasons(
        "GB", ["NS2"], TODAY
    )


def test_a_destination_without_row_is_indeterminate(rulebook: Rulebook) -> None:
    with pytest.raises(DataError, match="indeterminate"):
        rulebook.chart_reasons("AQ", ["NS2"], TODAY)


def test_bad_group_and_reason_are_refused(rulebook: Rulebook) -> None:
    with pytest.raises(DataError, match="not a Country Group"):
        rulebook.in_country_group("CN", "E:3", TODAY)
    with pytest.raises(InvalidInputError, match="not a Commerce Country Chart column"):
        rulebook.chart_reasons("CN", ["NS3"], TODAY)
    with pytest.raises(InvalidInputError, match="ISO 3166"):
        rulebook.in_country_group("XX", "B", TODAY)


def test_reason_codes_accept_the_printed_spacing(rulebook: Rulebook) -> None:
    assert rulebook.chart_reasons("CN", ["NS 2", "rs2", "AT 1"], TODAY) == ("NS2", "RS2")


@pytest.mark.parametrize(
    ("country", "day", "member", "eu_law"),
    [
        ("GB", D(2020, 1, 31), True, True),
        ("GB", D(2020, 2, 1), False, True),  # transition period
        ("GB", D(2020, 12, 31), False, True),
        ("GB", D(2021, 1, 1), False, False),
        ("HR", D(2013, 6, 30), False, False),
        ("HR", D(2013, 7, 1), True, True),
        ("PL", D(2004, 4, 30), False, False),
        ("PL", D(2004, 5, 1), True, True),
        ("DE", D(2024, 1, 1), True, True),
        ("NO", D(2024, 1, 1), False, False),
    ],
)
def test_eu_membership_by_date(
    country: str, day: datetime.date, member: bool, eu_law: bool, rulebook: Rulebook
) -> None:
    assert rulebook.destinations is not None
    assert rulebook.destinations.eu_member(country, day) is member
    assert rulebook.destinations.eu_law_applies(country, day) is eu_law


@pytest.mark.parametrize("code", ["UA-43", "UA-40", "UA-14", "UA-09"])
def test_regions_the_rules_name_are_iso_subdivisions_of_ukraine(
    code: str, rulebook: Rulebook
) -> None:
    from tradecontrol import Jurisdiction

    assert Jurisdiction(code).country == Jurisdiction("UA")
    assert rulebook.destinations is not None
    assert rulebook.destinations.regions_of(code)
    assert rulebook.destinations.place_matches(code, ["UA"])
    assert not rulebook.destinations.place_matches("UA", ["crimea", "dnr", "lnr"])


@needs_shared
def test_destinations_regenerate_identically() -> None:
    from tools.gen_country_chart import OUT, render

    assert OUT.read_text(encoding="utf-8") == render(SHARED), (
        "src/tradecontrol/data/destinations.json differs from a fresh build: run "
        "python tools/gen_country_chart.py"
    )


def test_destinations_survive_the_rulebook_json_round_trip(rulebook: Rulebook) -> None:
    again = Rulebook.from_dict(json.loads(json.dumps(rulebook.to_dict())))
    assert again.destinations == rulebook.destinations
    assert again.in_country_group("CU", "E:1", D(2015, 7, 21)) is True
    assert again.chart_reasons("CN", ["NS2"], TODAY) == ("NS2",)


def test_a_bad_reason_for_control_names_the_field() -> None:
    from tradecontrol import Transaction

    with pytest.raises(InvalidInputError) as info:
        Transaction.from_dict(
            {"id": "T", "date": "2024-01-01", "items": [{"reasons_for_control": ["NS9"]}]}
        )
    assert info.value.path == "items[0].reasons_for_control"


_ROWS = [r.country for r in Rulebook.default().destinations.chart]  # type: ignore[union-attr]
_COLUMNS = list(CHART_COLUMNS)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(_ROWS),
    st.lists(st.sampled_from(_COLUMNS), max_size=16),
    st.dates(min_value=D(2021, 1, 1), max_value=D(2030, 1, 1)),
)
def test_chart_reasons_are_the_marked_subset_of_the_asked(
    country: str, reasons: list[str], day: datetime.date
) -> None:
    rb = Rulebook.default()
    got = rb.chart_reasons(country, reasons, day)
    assert set(got) <= set(reasons)
    row = rb.destinations.chart_row(country, day)  # type: ignore[union-attr]
    assert set(got) == set(reasons) & set(row.marks)
    assert list(got) == [c for c in _COLUMNS if c in got]  # chart order


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["UA-43", "UA-40", "UA-14", "UA-09"]),
    st.sampled_from(["A:1", "A:2", "A:3", "A:4", "A:5", "A:6", "B", "D:1", "D:5", "E:1"]),
    st.dates(min_value=D(2010, 1, 1), max_value=D(2030, 1, 1)),
)
def test_a_region_answers_as_its_country(code: str, group: str, day: datetime.date) -> None:
    rb = Rulebook.default()
    assert rb.in_country_group(code, group, day) == rb.in_country_group("UA", group, day)
    assert rb.chart_reasons(code, _COLUMNS, day) == rb.chart_reasons("UA", _COLUMNS, day)
