"""The fast structurer gives what the detailed one gives, and errors stay the detailed ones.

``_json.structure`` tries ``FAST_CONVERTER`` (no per-field error bookkeeping, attrs
converters fed the parsed value directly where that is equivalent) and falls back to
``CONVERTER`` on any exception. That is only right if, for every input, the fast one either
raises or returns exactly what the detailed one returns; these tests check it on generated
inputs (JSON values and the Python values a mapping handed to ``evaluate_many`` may hold),
field by field, for every class a Transaction is made of.
"""

from __future__ import annotations

import datetime
import json
import typing
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests._intl_lists import DATA, needs_shared
from tests.conftest import HUAWEI, party, transaction
from tradecontrol import Jurisdiction, Rulebook, Transaction
from tradecontrol import _json as j
from tradecontrol.content import DirectProduct, UsContent
from tradecontrol.entities import Address, Entity, Identifier, Ownership
from tradecontrol.errors import InvalidInputError
from tradecontrol.transactions import Item, Party, TransactionKind

CLASSES: tuple[type[Any], ...] = (Transaction, Party, Entity, Address, Identifier, Ownership)
CLASSES += (Item, UsContent, DirectProduct)

WEIRD: list[Any] = [
    *(None, True, False, 0, -1, 7, 2.5, -0.0, 1e300, float("nan"), float("inf"), 10**20),
    *("", " ", "x", "EAR99", "3a001.A", "usd", "cn", "UA-43", "EU", "ZZ", "2019-05-17"),
    *("2019-05-17T10:00:00", "2019-05-17T10:00:00+02:00", "30%", "1e2", "-5", "NS 2"),
    *("organization", "person", "export", "end_user", "a\nb", "\u200b", "1962", "circa 1962"),
    *([], ["x"], ["NS1", "AT1"], ["CN", "ru"], ["3A001", 1], [None], {}, {"x": 1}),
    # Python values (a mapping handed to evaluate_many may hold them)
    *(("x",), ("CN",), frozenset({"x"}), {"NS1"}, Decimal("12.5"), Decimal("NaN")),
    *(datetime.date(2019, 5, 17), datetime.datetime(2019, 5, 17, tzinfo=datetime.UTC)),
    *(Jurisdiction("CN"), TransactionKind.EXPORT, b"CN"),
]


def _weird() -> st.SearchStrategy[Any]:
    return st.sampled_from(WEIRD)


GOOD: dict[str, st.SearchStrategy[Any]] = {
    "eccn": st.sampled_from(["EAR99", "3A001", "5a992.C", "3E001", None]),
    "currency": st.sampled_from(["USD", "eur", None]),
    "country": st.sampled_from(["CN", "us", "UA-43", "DE", None]),
    "origin": st.sampled_from(["CN", "US", "UA-43", None]),
    "destination": st.sampled_from(["CN", "RU", "DE", None]),
    "nationalities": st.lists(st.sampled_from(["CN", "RU", "ir"]), max_size=2),
    "date": st.sampled_from(["2019-05-17", "2020-01-01T09:00:00-05:00", " 2021-03-04 "]),
    "kind": st.sampled_from(["export", "reexport", "organization", "person", "unknown"]),
    "role": st.sampled_from(["exporter", "end_user", "ultimate_consignee", "purchaser"]),
    "birth_date": st.sampled_from(["1962", "1962-01-15", "circa 1962", None]),
    "birth_dates": st.lists(st.sampled_from(["1962", "1960 to 1962"]), max_size=2),
    "reasons_for_control": st.lists(st.sampled_from(["NS1", "ns 2", "AT1"]), max_size=2),
    "of": st.lists(st.sampled_from(["3E001", "5D002"]), max_size=2),
    "plant_of": st.lists(st.sampled_from(["3B001"]), max_size=1),
    "production_started": st.sampled_from(["2019-01-01", None]),
    "value": st.sampled_from(["1200.00", 15, "0", 2.5, None]),
    "quantity": st.sampled_from([1, "3", 4.0, None]),
    "us_content_percent": st.sampled_from(["30%", 10, "0", None]),
    "percent": st.sampled_from(["30%", 10, None]),
    "share_percent": st.sampled_from(["50", 25.5, "100%", None]),
    "scheme": st.sampled_from(["DUNS", "lei"]),
    "facts": st.just({"contract_date": "2019-05-01"}),
    "licenses": st.lists(st.sampled_from(["D1", "D2"]), max_size=2),
}


def _field_strategy(cls: type[Any], field: Any, depth: int) -> st.SearchStrategy[Any]:
    """A mostly-valid value for ``field``, sometimes an odd one."""
    t = typing.get_type_hints(cls)[field.name]
    good = GOOD.get(field.name)
    if good is None:
        inner = [a for a in (t, *typing.get_args(t)) if attrs.has(a)]
        elems = [a for a in typing.get_args(t) if attrs.has(a)]
        if j._is_homogeneous_tuple(t) and elems and depth < 2:
            good = st.lists(_object(elems[0], depth + 1), max_size=2)
        elif inner and depth < 2 and not j._is_homogeneous_tuple(t):
            good = _object(inner[0], depth + 1)
        elif j._is_homogeneous_tuple(t):
            good = st.lists(st.sampled_from(["Acme", " alias ", "x"]), max_size=2)
        elif t is bool or t == (bool | None):
            good = st.booleans()
        else:
            good = st.sampled_from(["Acme Ltd", "  spaced  ", HUAWEI, "Ïvan"])
    return st.one_of(good, good, _weird())


def _object(cls: type[Any], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    fields = [f for f in attrs.fields(cls) if f.init]
    required = {
        f.name: _field_strategy(cls, f, depth) for f in fields if f.default is attrs.NOTHING
    }
    optional = {
        f.name: _field_strategy(cls, f, depth) for f in fields if f.default is not attrs.NOTHING
    }
    optional["colour"] = st.just("red")  # an unknown key now and then
    return st.fixed_dictionaries(required, optional=optional)


def _result(converter: Any, data: Any, cls: type[Any]) -> tuple[str, Any]:
    try:
        return "ok", converter.structure(data, cls)
    except Exception as exc:  # the fast one may raise anything; the detailed one words it
        return "error", type(exc)


def _same(data: Any, cls: type[Any]) -> None:
    slow = _result(j.CONVERTER, data, cls)
    fast = _result(j.FAST_CONVERTER, data, cls)
    if slow[0] == "ok":
        assert fast[0] == "ok", (data, slow)
        assert fast[1] == slow[1]
        assert json.dumps(fast[1].to_dict() if hasattr(fast[1], "to_dict") else None) == (
            json.dumps(slow[1].to_dict() if hasattr(slow[1], "to_dict") else None)
        )
    else:
        assert fast[0] == "error", (data, fast)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fast_structurer_equals_the_detailed_one(cls: type[Any], data: st.DataObject) -> None:
    _same(data.draw(_object(cls)), cls)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(WEIRD), st.sampled_from([c.__name__ for c in CLASSES]))
def test_a_value_that_is_no_object(value: Any, name: str) -> None:
    _same(value, next(c for c in CLASSES if c.__name__ == name))


def test_the_bundled_rulebook_structures_the_same() -> None:
    body = {
        k: v
        for k, v in Rulebook.default().to_dict().items()
        if k not in ("format", "format_version")
    }
    fast = j.FAST_CONVERTER.structure(body, Rulebook)
    assert fast == j.CONVERTER.structure(body, Rulebook)
    assert fast.to_dict() == Rulebook.default().to_dict()


def test_the_fast_path_hands_plain_fields_to_their_converters() -> None:
    """The saving is real: these fields are not structured twice (not a silent no-op)."""
    for cls, names in (
        (Transaction, {"id", "date", "kind", "end_use"}),
        (Item, {"description", "eccn", "value", "currency", "quantity", "producer"}),
        (Entity, {"name", "kind", "birth_date"}),
        (Party, {"role", "us_person"}),
    ):
        overridden = set(j._fast_overrides(cls, j.FAST_CONVERTER))
        assert not names & overridden, (cls, names & overridden)
    guarded = j._fast_overrides(Entity, j.FAST_CONVERTER)
    assert {"country", "aliases", "nationalities", "addresses", "owners"} <= set(guarded)


@pytest.mark.parametrize(
    "data",
    [
        transaction("2019-06-01", parties=[party("\u200b")]),
        transaction("2019-06-01", items=[{"quantity": -1}, {"eccn": 5, "colour": 1}]),
        transaction("2019-06-01", origin=Jurisdiction("CN")),
        transaction(
            "2019-06-01", parties=[{"role": "x", "entity": {"name": "A", "aliases": {"a"}}}]
        ),
        transaction("2019-06-01", facts={"contract_date": 5}),
        {"id": "T", "date": "2019-06-01", "parties": "no"},
    ],
)
def test_errors_are_those_of_the_detailed_structurer(
    data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InvalidInputError) as fast:
        Transaction.from_dict(data)
    monkeypatch.setattr(j, "FAST_CONVERTER", j.CONVERTER)  # the structurer before this change
    with pytest.raises(InvalidInputError) as before:
        Transaction.from_dict(data)
    assert str(fast.value) == str(before.value)
    assert fast.value.problems == before.value.problems  # type: ignore[attr-defined]


def _outcome(fn: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "ok", fn(*args)
    except InvalidInputError as exc:
        return "error", (str(exc), getattr(exc, "problems", None))


NESTED = st.recursive(
    st.one_of(st.none(), st.integers(), st.text(alphabet='{}[]"\\ab', max_size=4)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(NESTED, st.integers(0, 140))
def test_fewer_brackets_than_the_limit_never_nest_too_deep(value: Any, wrap: int) -> None:
    for _ in range(wrap):
        value = [value]
    text = json.dumps(value)
    if text.count("{") + text.count("[") < j.MAX_DEPTH:
        assert not j._depth_exceeds(json.loads(text), j.MAX_DEPTH)


@pytest.mark.parametrize("levels", [1, 126, 127, 128, 129, 300])
@pytest.mark.parametrize("leaf", ["[]", "1", '"{[["'])
def test_structure_json_equals_from_dict_of_parse_json(levels: int, leaf: str) -> None:
    nested = "[" * levels + leaf + "]" * levels
    for text in (
        nested,
        json.dumps(transaction("2019-06-01"))[:-1] + ', "colour": ' + nested + "}",
        json.dumps(transaction("2019-06-01", parties=[party("x" * levels)])),
        json.dumps(transaction("2019-06-01", facts={"note": "{" * levels})),
    ):
        assert _outcome(j.structure_json, text, Transaction) == _outcome(
            lambda t: Transaction.from_dict(j.parse_json(t)), text
        )


JSON_BITS = st.sampled_from(
    [
        *("{", "}", "[", "]", ",", ":", " ", '"a"', '"b"', '"\\u00e9"', '"\\ud800"', "\ufeff"),
        *("1", "-0", "0.5", "-0.0", "1e400", "-1e400", "1e-400", "1" * 4301, "2.5e3", "NaN"),
        *("Infinity", "-Infinity", "true", "null", "nul", "\n", "\t", "01", '"x\\"y"'),
    ]
)


def _json_texts() -> st.SearchStrategy[str]:
    valid = st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=3)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.sampled_from("abc"), inner, max_size=3)
        ),
        max_leaves=20,
    ).map(json.dumps)  # NaN and Infinity appear as Python writes them

    def repeat_a_key(text: str) -> str:
        return text.replace("{", '{"a": 1, "a": 2, ', 1)

    return st.one_of(valid, valid.map(repeat_a_key), st.lists(JSON_BITS, max_size=12).map("".join))


@settings(max_examples=1500, deadline=None)
@given(_json_texts())
def test_parse_json_equals_the_located_parse(text: str) -> None:
    """The C pass returns what the hooked parse returns, and errors are the hooked parse's."""
    fast, located = _outcome(j.parse_json, text), _outcome(j._parse_located, text)
    assert fast[0] == located[0]
    if fast[0] == "ok":
        assert json.dumps(fast[1]) == json.dumps(located[1])  # NaN-safe, types and order
    else:
        assert fast == located


@needs_shared
@pytest.mark.parametrize("name", ["un/UN_consolidated.xml", "ofac/watchman-bench-2021/sdn.csv"])
def test_real_listings_structure_the_same(name: str) -> None:
    """Every listing of a real list file, through its canonical JSON, both ways."""
    from tradecontrol import lists
    from tradecontrol.listings import Listing

    snapshot = lists.load(DATA / name)
    assert snapshot.listings
    for listing in snapshot.listings:
        data = listing.to_dict()
        fast = j.FAST_CONVERTER.structure(data, Listing)
        assert fast == j.CONVERTER.structure(data, Listing) == listing


# --- Adversarial lines: each named case through structure_json and the careful path --------
#
# Inputs chosen to split the fast structurer from the detailed one (type confusions, wrong
# case, padding, empty and over-long text, control and bidirectional characters, lone
# surrogates, numbers JSON refuses, repeated keys, nesting at the bracket shortcut's edge).
# The careful path is the one before the speed change: the located parse and ``CONVERTER``
# alone. Both must give the same Transaction, or the same error with the same problems.

ADVERSARIAL_BASE = transaction(
    "2019-06-01",
    parties=[
        party(HUAWEI),
        {
            "role": "end_user",
            "us_person": False,
            "entity": {
                "name": "Ivan Petrov",
                "kind": "person",
                "nationalities": ["RU"],
                "birth_date": "1962",
                "aliases": ["I. Petrov"],
                "owners": [{"owner": {"name": "Parent Co"}, "share_percent": "50"}],
            },
        },
    ],
    items=[
        {
            "description": "cables",
            "eccn": "EAR99",
            "value": "1200.00",
            "currency": "USD",
            "quantity": 3,
        },
        {"eccn": "3A001", "reasons_for_control": ["NS1"], "us_content_percent": "30%"},
    ],
)


def _set(path: str, value: Any) -> str:
    """The base transaction's JSON line with the value at dotted ``path`` replaced."""
    data = json.loads(json.dumps(ADVERSARIAL_BASE))
    *parents, last = [int(s) if s.isdigit() else s for s in path.split(".")]
    node = data
    for step in parents:
        node = node[step]
    node[last] = value
    return json.dumps(data)


def _raw(old: str, new: str) -> str:
    """The base transaction's JSON line with text ``old`` replaced once by ``new``."""
    text = json.dumps(ADVERSARIAL_BASE)
    assert old in text
    return text.replace(old, new, 1)


ADVERSARIAL_LINES = {
    "kind_wrong_case": _set("kind", "Export"),
    "kind_upper_case": _set("kind", "EXPORT"),
    "entity_kind_wrong_case": _set("parties.1.entity.kind", "Organization"),
    "role_padded": _set("parties.1.role", " end_user "),
    "quantity_text_one": _set("items.0.quantity", "1"),
    "quantity_whole_float": _set("items.0.quantity", 4.0),
    "quantity_float_text": _set("items.0.quantity", "4.0"),
    "quantity_true": _set("items.0.quantity", True),
    "quantity_negative_text": _set("items.0.quantity", "-1"),
    "value_float": _set("items.0.value", 2.5),
    "value_tiny_float": _set("items.0.value", 1e-30),
    "value_minus_zero_text": _set("items.0.value", "-0"),
    "value_false": _set("items.0.value", False),
    "value_padded_text": _set("items.0.value", " 12.5 "),
    "percent_over_100": _set("items.1.us_content_percent", "101"),
    "percent_minus_zero": _set("items.1.us_content_percent", "-0%"),
    "share_percent_float": _set("parties.2.entity.owners.0.share_percent", 25.5),
    "currency_lower": _set("items.0.currency", "usd"),
    "currency_padded": _set("items.0.currency", " USD "),
    "eccn_number": _set("items.0.eccn", 5),
    "eccn_lower": _set("items.0.eccn", "3a001.a"),
    "reasons_as_string": _set("items.1.reasons_for_control", "NS1"),
    "reasons_with_number": _set("items.1.reasons_for_control", ["NS1", 1]),
    "origin_empty": _set("origin", ""),
    "origin_padded_lower": _set("origin", " us "),
    "origin_number": _set("origin", 1),
    "origin_eu": _set("origin", "EU"),
    "destination_null": _set("destination", None),
    "country_list": _set("parties.1.entity.country", ["CN"]),
    "nationalities_lower": _set("parties.2.entity.nationalities", ["ru", " cn "]),
    "nationalities_string": _set("parties.2.entity.nationalities", "RU"),
    "nationalities_empty_code": _set("parties.2.entity.nationalities", [""]),
    "id_empty": _set("id", ""),
    "id_spaces": _set("id", "   "),
    "id_null": _set("id", None),
    "id_number": _set("id", 1),
    "id_list": _set("id", ["T"]),
    "name_4096": _set("parties.1.entity.name", "x" * 4096),
    "name_4097": _set("parties.1.entity.name", "x" * 4097),
    "name_padded_4097": _set("parties.1.entity.name", " " + "x" * 4096 + " "),
    "name_control": _set("parties.1.entity.name", "a\u0007b"),
    "name_line_break": _set("parties.1.entity.name", "a\nb"),
    "name_lone_surrogate": _set("parties.1.entity.name", "a\ud800b"),
    "name_bidi_override": _set("parties.1.entity.name", "\u202eevil"),
    "name_only_punctuation": _set("parties.1.entity.name", "..."),
    "name_zero_width": _set("parties.1.entity.name", "\u200b"),
    "name_hangul_filler": _set("parties.1.entity.name", "\u3164"),
    "aliases_string": _set("parties.2.entity.aliases", "HW"),
    "aliases_number": _set("parties.2.entity.aliases", [1]),
    "aliases_nested": _set("parties.2.entity.aliases", [["HW"]]),
    "aliases_empty_text": _set("parties.2.entity.aliases", [""]),
    "birth_date_number": _set("parties.2.entity.birth_date", 1962),
    "birth_date_padded": _set("parties.2.entity.birth_date", " 1962 "),
    "us_person_text": _set("parties.2.us_person", "true"),
    "us_person_one": _set("parties.2.us_person", 1),
    "date_naive": _set("date", "2019-06-01T10:00:00"),
    "date_compact": _set("date", "20190601"),
    "date_iso_week": _set("date", "2019-W22-6"),
    "date_padded": _set("date", " 2019-06-01 "),
    "date_number": _set("date", 20190601),
    "facts_list": _set("facts", []),
    "licenses_repeated": _set("licenses", ["D1", "D1"]),
    "extra_key": _set("parties.1.colour", "red"),
    "extra_key_odd": _raw('"name": "Huawei', '"a.b": 1, "name": "Huawei'),
    "owner_not_object": _set("parties.2.entity.owners.0.owner", "Parent Co"),
    "repeated_key": _raw('"kind": "export"', '"kind": "export", "kind": "export"'),
    "nan_value": _raw('"1200.00"', "NaN"),
    "infinite_value": _raw('"1200.00"', "1e400"),
    "integer_4301_digits": _raw('"1200.00"', "1" * 4301),
    "minus_zero_number": _raw('"1200.00"', "-0"),
    "byte_order_mark": "\ufeff" + json.dumps(ADVERSARIAL_BASE),
    "trailing_comma": _raw("}", ",}"),
    "escaped_surrogate_key": _raw('"id"', '"\\ud800"'),
    "nesting_in_a_fact": _set("facts", {"n": 1}).replace('"n": 1', '"n": ' + "[" * 120 + "]" * 120),
    "nesting_at_the_limit": json.dumps(ADVERSARIAL_BASE)[:-1]
    + ', "colour": '
    + "[" * 126
    + "1"
    + "]" * 126
    + "}",
    "nesting_one_over_the_limit": json.dumps(ADVERSARIAL_BASE)[:-1]
    + ', "colour": '
    + "[" * 127
    + "1"
    + "]" * 127
    + "}",
    "nesting_far_over_the_limit": json.dumps(ADVERSARIAL_BASE)[:-1]
    + ', "colour": '
    + "[" * 129
    + "1"
    + "]" * 129
    + "}",
}


def _careful_json(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    """The outcome of the path before the speed change: located parse, detailed converter."""
    with monkeypatch.context() as patch:
        patch.setattr(j, "FAST_CONVERTER", j.CONVERTER)
        patch.setattr(j, "parse_json", j._parse_located)
        return _outcome(lambda t: j.structure(j.parse_json(t), Transaction), text)


@pytest.mark.parametrize("name", sorted(ADVERSARIAL_LINES))
def test_adversarial_lines_give_what_the_careful_path_gives(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = ADVERSARIAL_LINES[name]
    fast = _outcome(j.structure_json, text, Transaction)
    careful = _careful_json(text, monkeypatch)
    assert fast[0] == careful[0], (fast, careful)
    if fast[0] == "ok":
        assert fast[1] == careful[1]
        assert fast[1].to_dict() == careful[1].to_dict()
    else:
        assert fast == careful


def test_the_base_of_the_adversarial_lines_is_valid() -> None:
    """The cases change one thing in a transaction both paths accept (not in a broken one)."""
    assert j.structure_json(json.dumps(ADVERSARIAL_BASE), Transaction).id == "T"
