"""tradecontrol.dask on a LocalCluster with two worker processes."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import HUAWEI, party, transaction
from tradecontrol import BadTransaction, Decision, InvalidInputError, Rulebook, evaluate_many

dask = pytest.importorskip("dask")
db = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("dask.distributed")

from tradecontrol.dask import evaluate_bag, rulebook_node  # noqa: E402


def _deals(count: int) -> list[Any]:
    names = [HUAWEI, "Acme Widgets Ltd.", "HiSilicon Technologies Co., Ltd."]
    dates = ["2019-05-10", "2019-05-17", "2019-06-10"]
    out: list[Any] = [
        transaction(dates[i % 3], id=f"T-{i}", parties=[party(names[i % 3])]) for i in range(count)
    ]
    out[7] = {"id": "BAD", "date": "2019-06-10", "origin": "XX"}
    return out


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def test_the_rulebook_is_one_node_of_the_graph() -> None:
    rb = Rulebook.default()
    bag = evaluate_bag(db.from_sequence(_deals(20), npartitions=4), rb)
    graph = dict(bag.__dask_graph__())
    keys = [k for k in graph if str(k).startswith("tradecontrol-rulebook-")]
    assert keys == [rulebook_node(rb).key]
    # no other task carries its own copy of the rulebook
    size = len(pickle.dumps(rb))
    assert all(len(pickle.dumps(v)) < size / 10 for k, v in graph.items() if k not in keys)


def test_as_of_and_bad_arguments() -> None:
    deals = _deals(9)
    with dask.config.set(scheduler="sync"):
        got = evaluate_bag(db.from_sequence(deals), Rulebook.default(), as_of="2019-05-01")
        assert {r.outcome.value for r in got.compute() if isinstance(r, Decision)} == {
            "not_restricted"
        }
    with pytest.raises(InvalidInputError) as info:
        evaluate_bag(deals, Rulebook.default())  # type: ignore[arg-type]
    assert info.value.path == "bag"
    with pytest.raises(InvalidInputError) as info:
        evaluate_bag(db.from_sequence(deals), Rulebook.default(), as_of="2019-13-01")
    assert info.value.path == "as_of"


def test_local_cluster_equals_evaluate_many_line_for_line(client: Any) -> None:
    rb = Rulebook.default()
    deals = _deals(60)
    bag = db.from_sequence(deals, partition_size=10)  # 6 partitions over 2 workers
    decided = evaluate_bag(bag, rb)  # scatters the rulebook to both workers now
    got = decided.compute()
    want = list(evaluate_many(deals, rb))
    assert len(got) == len(want) == 60
    for g, w in zip(got, want, strict=True):
        if isinstance(w, BadTransaction):
            assert isinstance(g, BadTransaction)
            assert (g.transaction_id, g.error.path, g.index) == ("BAD", "origin", 7)
        else:
            assert g == w
    assert sum(isinstance(g, Decision) and g.outcome.value == "license_required" for g in got)
    # both workers took part, and each holds the rulebook (scattered once, broadcast)
    workers = client.scheduler_info()["workers"]
    assert len(workers) == 2
    held = client.run(
        lambda dask_worker: sum(isinstance(v, Rulebook) for v in dask_worker.data.values())
    )
    assert sorted(held.values()) == [1, 1]
