"""The place precheck of ``ear.embargo`` and ``ofac.comprehensive`` (hypothesis).

:func:`tradecontrol.rules._places.any_controls` over :func:`touched_codes` must say "no
control" exactly when no place of :func:`tradecontrol.destinations.transaction_places`
has one, so the rules' early return gives what their full loop gives.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tradecontrol import InvalidInputError, Rulebook, Transaction
from tradecontrol.destinations import transaction_places
from tradecontrol.rules import embargo, ofac_comprehensive
from tradecontrol.rules._places import EMBARGOES, OFAC_PROGRAMS, any_controls, touched_codes

RB = Rulebook.default()
DATA = RB.destinations
PLACES = st.sampled_from(
    ["US", "CN", "DE", "CU", "IR", "KP", "SY", "RU", "BY", "UA", "UA-43", "UA-14", "UA-09", "VE"]
)
PARTY = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["exporter", "purchaser", "end_user", "ultimate_consignee"]),
        "entity": st.fixed_dictionaries(
            {"name": st.sampled_from(["Acme", "Omega Trading", "Ivan"])},
            optional={
                "country": PLACES,
                "addresses": st.lists(
                    st.fixed_dictionaries({"country": PLACES}, optional={"city": st.just("X")}),
                    max_size=2,
                ),
            },
        ),
    }
)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _transaction(
    parties: list[dict[str, Any]], origin: str | None, destination: str | None
) -> Transaction:
    data: dict[str, Any] = {"id": "P", "date": "2023-03-01", "parties": parties}
    if origin is not None:
        data["origin"] = origin
    if destination is not None:
        data["destination"] = destination
    try:
        return Transaction.from_dict(data)
    except InvalidInputError:
        assume(False)
        raise


@SETTINGS
@given(st.lists(PARTY, max_size=4), st.none() | PLACES, st.none() | PLACES)
def test_the_precheck_agrees_with_the_places(
    parties: list[dict[str, Any]], origin: str | None, destination: str | None
) -> None:
    assert DATA is not None
    t = _transaction(parties, origin, destination)
    for roles, with_origin, which, look in (
        (embargo.PLACE_ROLES, False, EMBARGOES, DATA.embargoes_at),
        (None, True, OFAC_PROGRAMS, DATA.ofac_programs_at),
    ):
        places = transaction_places(t, roles=roles, origin=with_origin)
        values = None if roles is None else frozenset(r.value for r in roles)
        codes = touched_codes(t, values, origin=with_origin)
        assert set(codes) == {p.code for p in places}
        assert any_controls(RB, DATA, codes, which) == any(look(p.code) for p in places)


def test_a_transaction_touching_no_controlled_place_gets_nothing() -> None:
    t = _transaction(
        [{"role": "ultimate_consignee", "entity": {"name": "Acme", "country": "DE"}}], "US", "DE"
    )
    assert embargo.evaluate(t, RB, t.date) == ()
    assert ofac_comprehensive.evaluate(t, RB, t.date) == ()
    cuba = _transaction(
        [{"role": "ultimate_consignee", "entity": {"name": "Acme", "country": "CU"}}], "US", "DE"
    )
    assert embargo.evaluate(cuba, RB, cuba.date)  # the consignee's country counts
