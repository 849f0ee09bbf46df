"""Versions of a licence or listing must be given oldest first.

The version in force is the last one whose window holds the moment, and a licence's
first version tells whether it was issued yet: in another order, the same licence gave
another decision (a general licence renewed each year authorized a deal, and with its
versions reversed, silently did not).
"""

from __future__ import annotations

from typing import Any

import pytest

from tradecontrol import License, Listing, Rulebook
from tradecontrol.errors import InvalidInputError, TradeControlError


def _licence(windows: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "id": "GL-X",
        "kind": "general",
        "issuer": "US-BIS",
        "title": "General licence X",
        "authorizes": ["ear.entity_list"],
        "versions": [{"window": w} for w in windows],
    }


def _listing(windows: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "id": "x-1",
        "list_code": "EL",
        "authority": "US-BIS",
        "entity": {"name": "Example Widgets Ltd."},
        "versions": [{"window": w} for w in windows],
    }


Y2019 = {"start": "2019-01-01", "end": "2019-12-31"}
Y2020 = {"start": "2020-01-01"}
OPEN = {"end": "2018-12-31"}
CLOCK = {"start": "2019-12-31T12:00:00-05:00", "end": "2020-06-30"}

ORDERS = [
    # (windows, refused at)
    ([Y2019, Y2020], None),
    ([OPEN, Y2019, Y2020], None),
    ([Y2019, CLOCK], None),  # starts the day the first ends, at noon: later
    ([{"start": "2019-01-01"}, {"start": "2019-01-01"}], None),  # equal starts
    ([Y2020, Y2019], "versions[1].window.start"),
    ([Y2019, OPEN], "versions[1].window.start"),
    ([Y2019, Y2020, OPEN], "versions[2].window.start"),
    ([CLOCK, Y2019], "versions[1].window.start"),
]


@pytest.mark.parametrize("build", [_licence, _listing], ids=["licence", "listing"])
@pytest.mark.parametrize(("windows", "path"), ORDERS)
def test_versions_oldest_first(build: Any, windows: list[dict[str, str]], path: str | None) -> None:
    cls = License if build is _licence else Listing
    if path is None:
        assert len(cls.from_dict(build(windows)).versions) == len(windows)
        return
    with pytest.raises(InvalidInputError, match="oldest first") as caught:
        cls.from_dict(build(windows))
    assert caught.value.path == path


def test_a_saved_rulebook_with_reversed_licence_versions_is_refused() -> None:
    data = Rulebook.default().to_dict()
    position = next(i for i, lic in enumerate(data["licenses"]) if len(lic["versions"]) > 1)
    data["licenses"][position]["versions"].reverse()
    with pytest.raises(TradeControlError, match="oldest first") as caught:
        Rulebook.from_dict(data)
    assert f"licenses[{position}].versions[1].window.start" in str(caught.value)
