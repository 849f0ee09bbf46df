"""Screening compares one listing per distinct listed entity: same matches as one per listing."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from tradecontrol import Address, Entity, Identifier, Listing, Rulebook
from tradecontrol.screening import scoring
from tradecontrol.screening.scoring import comparison_key, prepare
from tradecontrol.screening.screen import candidates

pytestmark = pytest.mark.skipif(not scoring.AVAILABLE, reason="tradecontrol[screening] absent")


def listing(lid: str, code: str, **entity: Any) -> Listing:
    return Listing.from_dict(
        {
            "id": lid,
            "list_code": code,
            "authority": "ACME",
            "entity": entity,
            "versions": [{"window": {"start": "2010-01-01"}}],
        }
    )


# the same entity on two lists, a copy that differs in what compare reads, and others
LISTINGS = (
    listing("sdn-1", "SDN", name="Orion Star Shipping Co., Ltd.", country="PA"),
    listing("csl-1", "CSL", name="Orion Star Shipping Co., Ltd.", country="PA"),
    listing("csl-2", "CSL", name="Orion Star Shipping Co., Ltd.", country="LR"),
    listing("sdn-2", "SDN", name="Orion Star Shipping Co., Ltd.", aliases=["Orion Star Maritime"]),
    listing("sdn-3", "SDN", name="Orion Star", kind="vessel"),
    listing("un-1", "UN", name="Orion Star", kind="vessel"),
    listing("un-2", "UN", name="Orion Starr", kind="person", birth_date="1970"),
    listing("un-3", "UN", name="Orion Starr", kind="person", birth_date="1971"),
)

QUERIES = [
    Entity(name="Orion Star Shiping Co Ltd"),
    Entity(name="ORION STAR SHIPPING", country="PA"),
    Entity(name="Orion Star", kind="vessel"),
    Entity(name="Orion Starr", kind="person", birth_date="1970"),
    Entity(name="Orion Star Maritime Ltd", country="LR"),
    Entity(
        name="Orion Stars Shipping",
        identifiers=[Identifier(scheme="imo", value="9123456")],
    ),
]


def test_comparison_key_tells_what_compare_reads() -> None:
    keys = [comparison_key(prepare(item.entity)) for item in LISTINGS]
    assert keys[0] == keys[1]  # the same entity on the SDN list and the CSL
    assert keys[5] == keys[4]  # the same vessel on the SDN and UN lists
    assert len(set(keys)) == len(keys) - 2  # a country, an alias or a birth date differs
    moved = Entity(
        name="Orion Star Shipping Co., Ltd.",
        country="PA",
        addresses=[Address(city="Panama City", country="PA")],
    )
    assert comparison_key(prepare(moved)) == keys[0]  # the address adds no other country


def test_the_index_compares_each_distinct_entity_once() -> None:
    rulebook = Rulebook.default().with_listings(LISTINGS)
    index = rulebook.candidate_index
    base = len(index.prepared) - len(LISTINGS)  # the default rulebook's listings come first
    assert index.same[base + 1] == base + 0 and index.same[base + 5] == base + 4
    assert index.same[base + 2] == base + 2 and index.same[base + 7] == base + 7


@pytest.mark.parametrize("query", QUERIES, ids=lambda e: e.name)
def test_matches_equal_one_comparison_per_listing(query: Entity) -> None:
    grouped = Rulebook.default().with_listings(LISTINGS)
    single = Rulebook.default().with_listings(LISTINGS)
    index = single.candidate_index  # built; each listing then stands for itself only
    single._screening._index = attrs.evolve(index, same=tuple(range(len(index.same))))
    found = candidates(query, grouped)
    assert found  # every query resembles some listing
    assert found == candidates(query, single)
    assert found == candidates(query, grouped, full_scan=True)
    # listings of one entity share the comparison, each keeps its own Match
    ids = [m.listing.id for m in found]
    assert len(ids) == len(set(ids))
