"""Transaction JSON: round-trip, validation, and errors that name the JSON path."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from tradecontrol import (
    Entity,
    InvalidInputError,
    Item,
    Jurisdiction,
    TradeControlError,
    Transaction,
)

FULL: dict[str, Any] = {
    "id": "T-1",
    "date": "2019-06-10",
    "kind": "reexport",
    "origin": "DE",
    "destination": "CN",
    "parties": [
        {"role": "exporter", "entity": {"name": "NetSoft GmbH", "country": "DE"}},
        {
            "role": "ultimate_consignee",
            "entity": {
                "name": "Huawei Technologies Co., Ltd.",
                "country": "CN",
                "kind": "organization",
                "aliases": ["Huawei"],
                "addresses": [{"street": "Bantian", "city": "Shenzhen", "country": "CN"}],
                "identifiers": [{"scheme": "LEI", "value": "5493000"}],
                "owners": [
                    {"owner": {"name": "Holding", "country": "CN"}, "share_percent": "30%"},
                    {"owner": {"name": "Other"}, "share_percent": 70, "control": True},
                ],
            },
        },
        {
            "role": "end_user",
            "entity": {
                "name": "Ivan Petrov",
                "kind": "person",
                "birth_date": "1962-01-02",
                "nationalities": ["RU", "ua"],
            },
        },
    ],
    "items": [
        {
            "description": "security patch",
            "eccn": "5d992.C",
            "value": "1200.00",
            "currency": "usd",
            "quantity": 1,
            "origin": "US",
            "us_content_percent": "100",
        }
    ],
    "end_use": "existing-network-support",
    "facts": {
        "contract_date": "2019-04-01",
        "certification_on_file": True,
        "en_route_at": "2019-05-16T12:00-04:00",
        "custom_note": "free text",
        "custom_number": 3.5,
    },
    "licenses": ["D123456"],
}


def test_from_dict_reads_every_field() -> None:
    t = Transaction.from_dict(FULL)
    assert t.kind.value == "reexport"
    assert t.items[0].eccn == "5D992.c"
    assert t.items[0].currency == "USD"
    assert t.items[0].value == Decimal("1200.00")
    owners = t.parties[1].entity.owners
    assert owners[0].share_percent == Decimal("30")
    assert owners[1].control is True
    assert t.parties[1].entity.identifiers[0].scheme == "lei"
    assert t.parties[2].entity.nationalities == (Jurisdiction("RU"), Jurisdiction("UA"))
    assert t.fact("contract_date") == datetime.date(2019, 4, 1)
    assert t.fact("custom_number") == Decimal("3.5")
    assert t.fact("missing") is None
    assert isinstance(t.fact("en_route_at"), datetime.datetime)


def test_round_trip() -> None:
    t = Transaction.from_dict(FULL)
    again = Transaction.from_dict(t.to_dict())
    assert again == t
    assert again.to_dict() == t.to_dict()


def test_value_objects_are_frozen_and_hold_tuples() -> None:
    t = Transaction.from_dict(FULL)
    assert isinstance(t.parties, tuple)
    assert isinstance(t.parties[1].entity.aliases, tuple)
    with pytest.raises(AttributeError):
        t.id = "x"  # type: ignore[misc]
    item = Item(eccn="EAR99")
    assert item.eccn == "EAR99"


BAD: list[tuple[dict[str, Any] | Any, str, str]] = [
    ({**FULL, "colour": "red"}, "colour", "unknown field"),
    ({**FULL, "destination": "XX"}, "destination", "'XX' is not an ISO 3166 code"),
    (
        {
            **FULL,
            "parties": [
                FULL["parties"][0],
                {"role": "exporter", "entity": {"name": "A", "country": "XX"}},
            ],
        },
        "parties[1].entity.country",
        "'XX' is not an ISO 3166 code",
    ),
    ({**FULL, "date": "2019-06-10T10:00"}, "date", "has no time zone"),
    ({**FULL, "date": "2019-02-30"}, "date", "is not an ISO 8601 date"),
    ({**FULL, "kind": "smuggle"}, "kind", "is not one of"),
    ({**FULL, "items": [{"eccn": "3Z001"}]}, "items[0].eccn", "is not an ECCN"),
    ({**FULL, "items": [{"value": "abc", "currency": "USD"}]}, "items[0].value", "not a decimal"),
    ({**FULL, "items": [{"value": "10"}]}, "items[0].currency", "needs a currency"),
    ({**FULL, "items": [{"value": "-1", "currency": "USD"}]}, "items[0].value", "negative"),
    ({**FULL, "items": [{"value": "NaN", "currency": "USD"}]}, "items[0].value", "not a decimal"),
    (
        {**FULL, "items": [{"us_content_percent": "101"}]},
        "items[0].us_content_percent",
        "0 and 100",
    ),
    ({**FULL, "items": [{"currency": "XYZ"}]}, "items[0].currency", "ISO 4217"),
    ({**FULL, "items": [{"quantity": 1.5}]}, "items[0].quantity", "not a whole number"),
    (
        {**FULL, "facts": {"certification_on_file": "yes"}},
        "facts.certification_on_file",
        "true or false",
    ),
    ({**FULL, "facts": {"contract_date": "soon"}}, "facts.contract_date", "ISO 8601"),
    ({**FULL, "facts": {"x": {"nested": 1}}}, "facts.x", "a fact must be"),
    ({k: v for k, v in FULL.items() if k != "id"}, "id", "required field missing"),
    ({**FULL, "id": "  "}, "id", "must not be empty"),
    ({**FULL, "id": 7}, "id", "expected a string"),
    ({**FULL, "parties": "Huawei"}, "parties", "expected a list"),
    (
        {**FULL, "parties": [{"role": "exporter", "entity": "Huawei"}]},
        "parties[0].entity",
        "expected an object",
    ),
    ({**FULL, "licenses": ["A", "A"]}, "licenses", "duplicate licence id"),
    (
        {
            **FULL,
            "parties": [
                {
                    "role": "exporter",
                    "entity": {
                        "name": "A",
                        "owners": [
                            {"owner": {"name": "B"}, "share_percent": 70},
                            {"owner": {"name": "C"}, "share_percent": "40%"},
                        ],
                    },
                }
            ],
        },
        "parties[0].entity.owners",
        "more than 100%",
    ),
    (
        {
            **FULL,
            "parties": [
                {
                    "role": "exporter",
                    "entity": {
                        "name": "A",
                        "owners": [{"owner": {"name": "B"}, "share_percent": "abc%"}],
                    },
                }
            ],
        },
        "parties[0].entity.owners[0].share_percent",
        "not a decimal",
    ),
    (
        {
            **FULL,
            "parties": [{"role": "exporter", "entity": {"name": "A", "birth_date": "1960-01-01"}}],
        },
        "parties[0].entity",
        "for entities of kind 'person'",
    ),
    ([1, 2], "", "expected an object"),
]


@pytest.mark.parametrize(("data", "path", "message"), BAD, ids=[b[1] or "top" for b in BAD])
def test_bad_input_names_the_json_path(data: Any, path: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        Transaction.from_dict(data)
    assert info.value.path == path
    assert message in info.value.message
    assert isinstance(info.value, TradeControlError)
    assert isinstance(info.value, ValueError)


def test_every_problem_is_reported_not_only_the_first() -> None:
    data = {**FULL, "destination": "XX", "kind": "smuggle"}
    with pytest.raises(InvalidInputError) as info:
        Transaction.from_dict(data)
    paths = [p for p, _ in info.value.problems]  # type: ignore[attr-defined]
    assert "destination" in paths
    assert "kind" in paths


def test_deep_nesting_is_refused_cleanly() -> None:
    entity: dict[str, Any] = {"name": "leaf"}
    for i in range(5000):  # refused by the JSON depth limit before any object is built
        entity = {"name": f"e{i}", "owners": [{"owner": entity, "share_percent": 50}]}
    data = {"id": "T", "date": "2019-06-10", "parties": [{"role": "purchaser", "entity": entity}]}
    with pytest.raises(InvalidInputError) as info:
        Transaction.from_dict(data)
    assert "nested deeper than" in info.value.message


def test_direct_construction_validates_too() -> None:
    with pytest.raises(InvalidInputError) as info:
        Entity(name="A", country="XX")
    assert info.value.path == "country"
    with pytest.raises(InvalidInputError):
        Transaction(id="T", date="2019-06-10T10:00")


def test_error_location_formatting() -> None:
    err = InvalidInputError("'XX' is not an ISO 3166 code", path="parties[1].entity.country")
    assert str(err.located(source="in.jsonl", line=3)) == (
        "in.jsonl:3: parties[1].entity.country: 'XX' is not an ISO 3166 code"
    )
    assert str(err.located(line=3)) == (
        "line 3: parties[1].entity.country: 'XX' is not an ISO 3166 code"
    )
