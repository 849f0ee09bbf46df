"""The digest's canonical JSON: byte for byte the JSON of ``Transaction.to_dict``.

The converter's sequences unstructure through one list comprehension each
(``tradecontrol._json._list_hook``) instead of cattrs' generator, and, with the ``fast``
extra, the digest's JSON is encoded by ``orjson`` (``tradecontrol.evaluation
.canonical_bytes``). A digest must never change, so the bytes are compared with the
standard library's JSON of a reference converter with cattrs' own hooks, on every example
transaction and on hypothesis-generated transactions that use every field of every value
object in a transaction (and their Decisions), with and without ``orjson``; and
``orjson``'s encoding with the standard library's on hypothesis-generated JSON values (any
text, integers, nesting).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradecontrol.evaluation as ev
from tradecontrol import Rulebook, Transaction, evaluate
from tradecontrol._json import _make_converter
from tradecontrol.evaluation import _CANONICAL, canonical_bytes, transaction_digest

REFERENCE = _make_converter(list_hooks=False)
"""The converter with cattrs' own sequence hooks (what ``to_dict`` used before)."""

ROOT = Path(__file__).resolve().parent.parent
RULEBOOK = Rulebook.default()


def _old_digest(t: Transaction, as_of: Any) -> str:
    """The digest as it was computed before (cattrs' hooks, then the standard library)."""
    parts = [_CANONICAL(REFERENCE.unstructure(t)), as_of.isoformat(), RULEBOOK.id, RULEBOOK.version]
    from tradecontrol import __version__

    blob = "\n".join([*parts, __version__]).encode("utf-8")
    return "sha256:" + hashlib.sha256(blob).hexdigest()


def _same(t: Transaction) -> None:
    expected = _CANONICAL(REFERENCE.unstructure(t))
    assert _CANONICAL(t.to_dict()) == expected
    assert json.dumps(t.to_dict()) == json.dumps(REFERENCE.unstructure(t))
    decision = evaluate(t, RULEBOOK)
    assert json.dumps(decision.to_dict(), ensure_ascii=False) == json.dumps(
        REFERENCE.unstructure(decision), ensure_ascii=False
    )
    assert canonical_bytes(t) == expected.encode("utf-8")
    assert transaction_digest(t, RULEBOOK, t.date) == _old_digest(t, t.date)
    fast = ev._fast_dumps
    try:  # the standard library's path (the core install), same bytes
        ev._fast_dumps = None
        assert canonical_bytes(t) == expected.encode("utf-8")
        assert transaction_digest(t, RULEBOOK, t.date) == _old_digest(t, t.date)
    finally:
        ev._fast_dumps = fast


def test_example_transactions_digest_as_before() -> None:
    lines = [
        line
        for name in ("huawei-2019.jsonl", "zte-telecom.jsonl")
        for line in (ROOT / "examples" / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(lines) >= 10
    for line in lines:
        _same(Transaction.from_dict(json.loads(line)))


def test_a_known_digest_is_unchanged() -> None:
    t = Transaction.from_dict(
        {
            "id": "WC-02",
            "date": "2019-05-17",
            "origin": "US",
            "destination": "CN",
            "parties": [
                {
                    "role": "ultimate_consignee",
                    "entity": {"name": "Huawei Technologies Co., Ltd.", "country": "CN"},
                }
            ],
            "items": [
                {"description": "USB cables", "eccn": "EAR99", "value": "10.50", "currency": "USD"}
            ],
        }
    )
    text = (
        '{"date":"2019-05-17","destination":"CN","id":"WC-02","items":[{"currency":"USD",'
        '"description":"USB cables","eccn":"EAR99","value":"10.50"}],"origin":"US",'
        '"parties":[{"entity":'
        '{"country":"CN","name":"Huawei Technologies Co., Ltd."},"role":"ultimate_consignee"}]}'
    )
    assert _CANONICAL(t.to_dict()) == text
    from tradecontrol import __version__

    blob = "\n".join([text, "2019-05-17", RULEBOOK.id, RULEBOOK.version, __version__]).encode(
        "utf-8"
    )
    assert transaction_digest(t, RULEBOOK, t.date) == ("sha256:" + hashlib.sha256(blob).hexdigest())


COUNTRIES = st.sampled_from(["CN", "US", "GB", "DE", "CU", "HK", "RU", "US-CA", "UA-43"])
TEXT = st.text(
    alphabet=st.characters(
        min_codepoint=32,
        max_codepoint=0x2FFF,
        blacklist_categories=["Cs", "Cc", "Cf", "Co", "Cn", "Zl", "Zp"],
    ),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() == s and s.strip())
DAYS = st.dates(min_value=datetime.date(2015, 1, 1), max_value=datetime.date(2026, 12, 31))


def _entity(owners: st.SearchStrategy[list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"name": TEXT},
        optional={
            "kind": st.sampled_from(["organization", "person", "vessel", "unknown"]),
            "country": COUNTRIES,
            "aliases": st.lists(TEXT, max_size=2),
            "weak_aliases": st.lists(TEXT, max_size=2),
            "addresses": st.lists(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "street": TEXT,
                        "city": TEXT,
                        "postal_code": TEXT,
                        "country": COUNTRIES,
                    },
                ),
                max_size=2,
            ),
            "identifiers": st.lists(
                st.fixed_dictionaries(
                    {"scheme": st.sampled_from(["lei", "duns", "passport"]), "value": TEXT},
                    optional={"country": COUNTRIES},
                ),
                max_size=2,
            ),
            "birth_dates": st.lists(DAYS.map(datetime.date.isoformat), max_size=2),
            "nationalities": st.lists(COUNTRIES, max_size=2, unique=True),
            "owners": owners,
        },
    ).map(_person_facts)


def _person_facts(entity: dict[str, Any]) -> dict[str, Any]:
    """Birth dates and nationalities are for persons (the rest of the strategy is free)."""
    if "birth_dates" in entity or "nationalities" in entity:
        return {**entity, "kind": "person"}
    return entity


OWNER = st.fixed_dictionaries(
    {"owner": _entity(st.just([]))},
    optional={
        "share_percent": st.one_of(st.integers(0, 100), st.decimals(0, 100, places=2).map(str)),
        "control": st.booleans(),
    },
)
ENTITIES = _entity(st.lists(OWNER, max_size=2))
ITEMS = st.fixed_dictionaries(
    {},
    optional={
        "description": TEXT,
        "eccn": st.sampled_from(["EAR99", "5D992.c", "3A001.a", "5A992.c", "3E001"]),
        "value": st.decimals(0, 10**7, places=2).map(str),
        "currency": st.sampled_from(["USD", "EUR"]),
        "quantity": st.integers(0, 10**6),
        "origin": COUNTRIES,
        "us_content_percent": st.decimals(0, 100, places=1).map(str),
        "producer": TEXT,
        "reasons_for_control": st.lists(st.sampled_from(["NS1", "AT1", "RS2"]), max_size=2),
        "food_or_medicine": st.booleans(),
        "us_content": st.lists(
            st.fixed_dictionaries(
                {"eccn": st.sampled_from(["5A991", "3A001"]), "percent": st.integers(0, 100)},
                optional={"license_required": st.booleans()},
            ),
            max_size=2,
        ),
        "direct_product": st.fixed_dictionaries(
            {},
            optional={
                "of": st.lists(st.sampled_from(["3E001", "5E991"]), max_size=2),
                "plant_of": st.lists(st.sampled_from(["3E001"]), max_size=1),
            },
        ),
    },
)
TRANSACTIONS = st.fixed_dictionaries(
    {
        "id": TEXT,
        "date": st.one_of(
            DAYS.map(datetime.date.isoformat),
            DAYS.map(lambda d: f"{d.isoformat()}T10:30+08:00"),
        ),
    },
    optional={
        "kind": st.sampled_from(["export", "reexport", "transfer", "import", "payment"]),
        "origin": COUNTRIES,
        "destination": COUNTRIES,
        "parties": st.lists(
            st.fixed_dictionaries(
                {
                    "role": st.sampled_from(
                        ["exporter", "purchaser", "ultimate_consignee", "end_user", "other"]
                    ),
                    "entity": ENTITIES,
                },
                optional={
                    "us_person": st.booleans(),
                    "eu_person": st.booleans(),
                    "uk_person": st.booleans(),
                },
            ),
            max_size=4,
        ),
        "items": st.lists(ITEMS, max_size=3),
        "end_use": TEXT,
        "facts": st.fixed_dictionaries(
            {},
            optional={
                "contract_date": DAYS.map(datetime.date.isoformat),
                "certification_on_file": st.booleans(),
                "units": st.integers(-5, 10**9),
                "share": st.sampled_from([0.5, 12.25, 3]),
                "note": TEXT,
            },
        ),
        "licenses": st.lists(TEXT, max_size=2, unique=True),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TRANSACTIONS)
def test_generated_transactions_digest_as_before(data: dict[str, Any]) -> None:
    try:
        t = Transaction.from_dict(data)
    except Exception:  # an input the strategy made invalid: nothing to digest
        return
    _same(t)


def test_the_strategy_makes_valid_rich_transactions() -> None:
    """The property above would pass vacuously if every generated input were invalid."""
    valid = 0
    fields: set[str] = set()

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(TRANSACTIONS)
    def count(data: dict[str, Any]) -> None:
        nonlocal valid
        try:
            t = Transaction.from_dict(data)
        except Exception:
            return
        valid += 1
        for p in t.parties:
            fields.update(k for k in p.entity.to_dict() if k != "name")
            if p.entity.owners:
                fields.add("owners")

    count()
    assert valid >= 50
    assert {"owners", "identifiers", "addresses", "nationalities"} <= fields


JSON_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | JSON_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(JSON_TEXT, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(JSON_VALUES)
def test_orjson_encodes_as_the_standard_library(value: Any) -> None:
    """What canonical_bytes hands to orjson (no floats: those go to the standard library)."""
    orjson = pytest.importorskip("orjson")
    assert orjson.dumps(value, option=orjson.OPT_SORT_KEYS) == _CANONICAL(value).encode("utf-8")


def test_refused_values_fall_back_to_the_standard_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fact holding a number, and a value orjson refuses, give the same bytes."""
    t = Transaction.from_dict(
        {"id": "T", "date": "2019-06-01", "facts": {"share": 1e-7, "units": 10**17}}
    )
    assert canonical_bytes(t) == _CANONICAL(t.to_dict()).encode("utf-8")
    assert b'"share":1e-07' in canonical_bytes(t)

    def refuse(value: Any, option: int = 0) -> bytes:
        raise TypeError("Integer exceeds 64-bit range")

    monkeypatch.setattr(ev, "_fast_dumps", refuse)
    plain = Transaction.from_dict({"id": "T", "date": "2019-06-01", "end_use": "x"})
    assert canonical_bytes(plain) == b'{"date":"2019-06-01","end_use":"x","id":"T"}'


def test_the_bundled_rulebook_saves_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value object of a rulebook (listings, licences, rules, destinations)."""
    import tradecontrol._json as j

    ours = json.dumps(RULEBOOK.to_dict(), sort_keys=True, ensure_ascii=False)
    monkeypatch.setattr(j, "CONVERTER", REFERENCE)
    assert ours == json.dumps(RULEBOOK.to_dict(), sort_keys=True, ensure_ascii=False)
