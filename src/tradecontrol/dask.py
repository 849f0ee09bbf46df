"""Evaluate Dask bags of transactions on a cluster (extra ``tradecontrol[dask]``).

:func:`evaluate_bag` maps :func:`~tradecontrol.evaluate` over a ``dask.bag.Bag`` of
transactions (objects or canonical-JSON mappings) partition by partition. The rulebook is
sent once per worker and kept for every partition the worker runs, instead of travelling
with every task: with a ``dask.distributed`` client it is scattered to all workers when
:func:`evaluate_bag` is called (``client.scatter(..., broadcast=True)``); with a local
scheduler it is one node of the task graph. Results keep the bag's order, so
``evaluate_bag(bag, rb).compute()`` equals ``list(evaluate_many(bag.compute(), rb))``
element for element (for a bad transaction, the ``index`` of a
:class:`~tradecontrol.BadTransaction` counts within its partition).

On an existing cluster, connect a client first; the collection then runs there::

    from dask.distributed import Client
    import dask.bag as db
    from tradecontrol import Rulebook
    from tradecontrol.dask import evaluate_bag

    client = Client("tcp://scheduler:8786")
    rulebook = Rulebook.load("rulebook.json.gz")
    bag = db.read_text("s3://bucket/deals-*.jsonl").map(json.loads)
    decisions = evaluate_bag(bag, rulebook).map(lambda d: d.to_dict())
    decisions.map(json.dumps).to_textfiles("s3://bucket/decisions-*.jsonl")

Workers need ``tradecontrol`` installed (the same version as the client).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import dask.bag
from dask.delayed import delayed

from tradecontrol._time import Moment, parse_moment
from tradecontrol.batch import BadTransaction, _decide_one
from tradecontrol.decision import Decision
from tradecontrol.errors import InvalidInputError
from tradecontrol.rulebook import Rulebook

__all__ = ["evaluate_bag", "rulebook_node"]


def rulebook_node(rulebook: Rulebook) -> Any:
    """The rulebook as one ``dask.delayed`` node, named after its id and version.

    Pass the node (rather than the rulebook) to several collections to share one copy
    per worker between them.

    Args:
        rulebook: The rulebook.

    Returns:
        A ``dask.delayed.Delayed`` whose key is
        ``tradecontrol-rulebook-<sha256 of id and version, 16 hex digits>``.

    Example:
        >>> from tradecontrol import Rulebook
        >>> from tradecontrol.dask import rulebook_node
        >>> rulebook_node(Rulebook.default()).key.startswith("tradecontrol-rulebook-")
        True
    """
    digest = hashlib.sha256(f"{rulebook.id}\n{rulebook.version}".encode()).hexdigest()[:16]
    return delayed(rulebook, name=f"tradecontrol-rulebook-{digest}", pure=True)


def _evaluate_partition(
    transactions: Iterable[Any], rulebook: Rulebook, as_of: Moment | None
) -> list[Decision | BadTransaction]:
    return [_decide_one(i, data, rulebook, as_of) for i, data in enumerate(transactions)]


def evaluate_bag(
    bag: dask.bag.Bag, rulebook: Rulebook | Any, *, as_of: Moment | str | None = None
) -> dask.bag.Bag:
    """Decide every transaction of a Dask bag, lazily, with the rulebook sent once per worker.

    Args:
        bag: Elements are :class:`~tradecontrol.Transaction` objects or canonical-JSON
            mappings (e.g. ``db.read_text(...).map(json.loads)``).
        rulebook: A :class:`~tradecontrol.Rulebook`, or a node from
            :func:`rulebook_node` (or a future from ``client.scatter(rulebook,
            broadcast=True)``) to share one copy between several collections.
        as_of: Decide every transaction as of this date or aware datetime; ``None``
            decides each as of its own date.

    Returns:
        A bag with, in the same order and partitions, each transaction's
        :class:`~tradecontrol.Decision` or a :class:`~tradecontrol.BadTransaction`.

    Raises:
        InvalidInputError: ``bag`` is not a Dask bag or ``as_of`` is not a moment.

    Example:
        >>> import dask, dask.bag as db
        >>> from tradecontrol import Rulebook
        >>> from tradecontrol.dask import evaluate_bag
        >>> deals = [{"id": f"T-{i}", "date": "2019-06-10", "origin": "US",
        ...           "parties": [{"role": "end_user",
        ...                        "entity": {"name": "Huawei Technologies Co., Ltd."}}]}
        ...          for i in range(4)]
        >>> bag = evaluate_bag(db.from_sequence(deals, npartitions=2), Rulebook.default())
        >>> with dask.config.set(scheduler="sync"):
        ...     [d.outcome.value for d in bag.compute()]
        ['review_required', 'review_required', 'review_required', 'review_required']
    """
    if not isinstance(bag, dask.bag.Bag):
        raise InvalidInputError(f"expected a dask.bag.Bag, got {type(bag).__name__}", path="bag")
    try:
        moment = parse_moment(as_of) if as_of is not None else None
    except InvalidInputError as exc:
        raise InvalidInputError(exc.message, path="as_of") from None
    node = _shipped(rulebook) if isinstance(rulebook, Rulebook) else rulebook
    return bag.map_partitions(_evaluate_partition, node, moment)


def _shipped(rulebook: Rulebook) -> Any:
    """With a distributed client, scatter the rulebook to every worker now (broadcast).

    The workers then hold it before any task runs, and the scheduler never carries it in
    the task graph. Without a client (local schedulers), it is one graph node.
    """
    try:
        from distributed import default_client

        client = default_client()
    except (ImportError, ValueError):  # no distributed, or no client
        return rulebook_node(rulebook)
    return client.scatter(rulebook, broadcast=True, hash=False)
