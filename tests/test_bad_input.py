"""Regression tests for hostile and malformed input (found by trying to break the library)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import HUAWEI, build, party, transaction
from tests.thread_support import failures_in_threads
from tradecontrol import (
    Condition,
    Entity,
    InvalidInputError,
    License,
    Outcome,
    Ownership,
    Party,
    Rulebook,
    Transaction,
    Window,
    evaluate,
)
from tradecontrol.cli import main
from tradecontrol.transactions import MAX_ITEMS, MAX_PARTIES


@pytest.mark.parametrize("hidden", ["\u200b", "\u00ad", "\u200d", "\ufeff"])
def test_invisible_characters_do_not_hide_a_listed_party(hidden: str, rulebook: Rulebook) -> None:
    data = transaction("2019-06-01", parties=[party(f"Hua{hidden}wei Technologies Co., Ltd.")])
    assert evaluate(build(data), rulebook).outcome is Outcome.LICENSE_REQUIRED


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("\u200b", "must not be empty"),
        ("Cas\ud800cade", "unpaired surrogate"),
        ("a\nb  SPOOF not_restricted", "control characters"),
        ("\x1b[31mred", "control characters"),
    ],
)
def test_hostile_names_are_refused(name: str, message: str) -> None:
    data = transaction("2019-06-01", parties=[party(name)])
    with pytest.raises(InvalidInputError) as info:
        build(data)
    assert info.value.path == "parties[1].entity.name"
    assert message in info.value.message


def test_too_many_parties_or_items_is_refused() -> None:
    many = [party(HUAWEI)] * MAX_PARTIES
    with pytest.raises(InvalidInputError) as info:
        build(transaction("2019-06-01", parties=many))
    assert info.value.path == "parties"
    items = [{"eccn": "EAR99"}] * (MAX_ITEMS + 1)
    with pytest.raises(InvalidInputError) as info:
        build(transaction("2019-06-01", items=items))
    assert info.value.path == "items"


@pytest.mark.parametrize(
    ("item", "path"),
    [
        ({"quantity": 10**5000}, "items[0].quantity"),
        ({"quantity": 1e300}, "items[0].quantity"),
        ({"value": "1e999999999", "currency": "USD"}, "items[0].value"),
        ({"value": "1_000", "currency": "USD"}, "items[0].value"),
        ({"value": "\uff11\uff12", "currency": "USD"}, "items[0].value"),
        ({"eccn": "\uff13A001"}, "items[0].eccn"),
        ({"value": "1." + "0" * 18 + "1", "currency": "USD"}, "items[0].value"),
        ({"us_content_percent": "25." + "0" * 30 + "1"}, "items[0].us_content_percent"),
    ],
)
def test_numbers_and_codes_out_of_range_or_not_ascii(item: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        build(transaction("2019-06-01", items=[item]))
    assert info.value.path == path


@pytest.mark.parametrize(
    ("facts", "path"),
    [
        ({"x": float("nan")}, "facts.x"),
        ({"x": 1e100}, "facts.x"),
        ({"en_route_at": 5}, "facts.en_route_at"),
        ({"certification_on_file": 1}, "facts.certification_on_file"),
        ({"a": 1, " a ": 2}, "facts.a"),
        ({"x": [1]}, "facts.x"),
    ],
)
def test_bad_facts_name_their_path(facts: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        build(transaction("2019-06-01", facts=facts))
    assert info.value.path == path
    assert "Decimal" not in info.value.message


def test_unknown_keys_are_quoted_so_they_cannot_forge_output() -> None:
    data = {**transaction("2019-06-01"), "\x1b[31mEVIL\nfake.jsonl:9: ok": 1}
    with pytest.raises(InvalidInputError) as info:
        build(data)
    assert "\n" not in str(info.value) and "\x1b" not in str(info.value)


def test_structuring_is_thread_safe() -> None:
    entity: dict[str, Any] = {"name": "leaf"}
    for i in range(25):
        entity = {"name": f"e{i}", "owners": [{"owner": entity, "share_percent": 50}]}
    data = transaction("2019-06-01", parties=[{"role": "purchaser", "entity": entity}])

    def work() -> None:
        for _ in range(30):
            Transaction.from_dict(data)

    assert failures_in_threads(work, 8) == []


def test_deep_ownership_built_from_objects_is_refused() -> None:
    entity = Entity(name="leaf")
    with pytest.raises(InvalidInputError, match="ownership chain deeper"):
        for i in range(100):
            entity = Entity(name=f"e{i}", owners=[Ownership(owner=entity, share_percent=50)])


@pytest.mark.parametrize(
    "build_bad",
    [
        lambda: Transaction(id="x", date="2019-05-17", parties=[5]),
        lambda: Party(role="exporter", entity={"name": "A"}),  # type: ignore[arg-type]
        lambda: Rulebook.default().with_licenses([{"id": "x"}]),  # type: ignore[list-item]
    ],
)
def test_wrong_python_types_raise_library_errors(build_bad: Any) -> None:
    with pytest.raises(InvalidInputError):
        build_bad()


@pytest.mark.parametrize("zone", ["", "/etc/passwd", "localtime", "Mars/Olympus"])
def test_window_zones_are_iana_names_only(zone: str) -> None:
    with pytest.raises(InvalidInputError, match="IANA"):
        Window(zone=zone)


@pytest.mark.parametrize(
    "spec",
    [
        {"test": "fact_is", "fact": "x", "value": True, "values": ["a"], "label": "l"},
        {"test": "eccn_in", "values": ["EAR99"], "fact": "x", "label": "l"},
        {"test": "destination_in", "values": ["XX"], "label": "l"},
        {"test": "eccn_in", "values": ["3a001"], "label": "l"},
        {"test": "fact_on_or_before", "fact": "contract_date", "value": "soon", "label": "l"},
    ],
)
def test_conditions_reject_operands_they_do_not_use(spec: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        Condition(**spec)


def test_licence_value_limits_are_bounded() -> None:
    with pytest.raises(InvalidInputError):
        License.from_dict(
            {
                "id": "D1",
                "kind": "specific",
                "issuer": "US-BIS",
                "title": "t",
                "authorizes": ["ear.entity_list"],
                "versions": [{"window": {}, "value_limit": "1e999999999", "currency": "USD"}],
            }
        )


def test_cli_rejects_duplicate_keys_and_huge_integers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "in.jsonl"
    dup = '{"id": "x", "date": "2019-06-01", "id": "y"}'
    huge = '{"id": "h", "date": "2019-06-01", "items": [{"quantity": 1' + "0" * 5000 + "}]}"
    ok = json.dumps(transaction("2019-05-10", id="OK"))
    path.write_text("\n".join([dup, huge, ok]) + "\n")
    code = main(["evaluate", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "key 'id' appears twice" in err
    assert f"{path}:2:" in err
    assert json.loads(out)["transaction_id"] == "OK"


@pytest.mark.parametrize(
    "name",
    ["\u0301", "\u2026", "\u115f", "\u3164 \u3164", "---", "()", "\u200b\u0301"],
    ids=[
        "combining-mark",
        "ellipsis",
        "hangul-filler",
        "halfwidth-fillers",
        "dashes",
        "parens",
        "zero-width-and-mark",
    ],
)
def test_an_unscreenable_name_is_refused_not_cleared(name: str) -> None:
    """A party name without a letter or digit could never match a listing: refuse it."""
    from tradecontrol import Entity, InvalidInputError

    with pytest.raises(InvalidInputError, match=r"no letter or digit|must not be empty"):
        Entity(name=name)


@pytest.mark.parametrize(
    ("build", "path"),
    [
        (lambda: __import__("tradecontrol").Entity(name="x", kind="robot"), "kind"),
        (
            lambda: __import__("tradecontrol").Transaction(
                id="x", date="2020-01-01", kind="smuggle"
            ),
            "kind",
        ),
    ],
    ids=["entity-kind", "transaction-kind"],
)
def test_an_unknown_enum_value_in_a_constructor_is_invalid_input(build: Any, path: str) -> None:
    """Direct construction refuses an unknown code as from_dict does (not a bare ValueError)."""
    from tradecontrol import InvalidInputError

    with pytest.raises(InvalidInputError, match="is not one of") as info:
        build()
    assert info.value.path == path
