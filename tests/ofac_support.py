"""Helpers shared by the OFAC loader tests: the reference data and the fuzz invariants."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tradecontrol import lists
from tradecontrol.errors import TradeControlError

DATA = SHARED / "data" / "ofac"

if os.environ.get("CI") == "true" and not DATA.is_dir():
    raise RuntimeError(f"CI=true but the shared reference data is missing at {DATA}")

needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason="../shared (reference data) is not beside the repo"
)


def check_invariants(snapshot: lists.ListSnapshot) -> None:
    fatal = sum(p.fatal for p in snapshot.problems)
    assert snapshot.records == len(snapshot.listings) + fatal
    ids = [x.id for x in snapshot.listings]
    assert len(ids) == len(set(ids))
    for listing in snapshot.listings:
        assert listing.authority == "US-OFAC"
        assert listing.id.startswith(("us-sdn-", "us-ofac-"))
        assert (listing.list_code == "SDN") == listing.id.startswith("us-sdn-")
        assert listing.versions[0].license_requirement is None
        assert listing.versions[0].review_policy is None
        assert type(listing).from_dict(listing.to_dict()) == listing


def load_bytes(
    data: bytes, name: str, files: dict[str, bytes] | None = None, **kw: object
) -> lists.ListSnapshot | None:
    """Load ``data`` written as ``name`` (with companion ``files``); only library errors pass."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        for other, content in (files or {}).items():
            (Path(tmp) / other).write_bytes(content)
        try:
            snapshot = lists.load(path, **kw)  # type: ignore[arg-type]
        except TradeControlError:
            return None
        check_invariants(snapshot)
        return snapshot
