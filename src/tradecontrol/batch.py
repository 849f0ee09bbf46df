"""Batch evaluation: many transactions, in order, in bounded memory, on several cores.

:func:`evaluate_many` decides a stream of transactions (objects or canonical-JSON mappings)
and yields one result per input, in input order. It reads its input lazily and keeps at
most a fixed window of transactions in flight, so memory does not grow with the number of
transactions. With ``jobs > 1`` the work is spread over worker processes that each receive
the rulebook once, when they start (a pool initializer), not with every transaction.

A bad transaction never stops the batch (DESIGN.md §6): in its place the iterator yields a
:class:`BadTransaction` naming its position, its id when one could be read, and the error
with its JSON path. Nothing is dropped, so results stay aligned with the input line for
line.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date, datetime
from typing import Any, TypeVar

import attrs

from tradecontrol._time import Moment, parse_moment
from tradecontrol.decision import Decision
from tradecontrol.errors import InvalidInputError, TradeControlError
from tradecontrol.evaluation import evaluate
from tradecontrol.rulebook import Rulebook
from tradecontrol.transactions import Transaction

__all__ = ["DEFAULT_CHUNK_SIZE", "BadTransaction", "evaluate_many"]

DEFAULT_CHUNK_SIZE = 256
"""Transactions sent to a worker process at a time."""

IN_FLIGHT_PER_JOB = 2
"""Chunks in flight per worker process: enough to keep each busy, few enough to bound memory."""

T = TypeVar("T")
R = TypeVar("R")


@attrs.frozen(kw_only=True, slots=True)
class BadTransaction:
    """Stands in a batch's output for a transaction that could not be decided.

    Args:
        index: 0-based position of the transaction in the input.
        transaction_id: Its ``id`` when one could be read, else ``None``.
        error: What was wrong and where (``error.path`` is the JSON path, e.g.
            ``parties[1].entity.country``).

    Example:
        >>> from tradecontrol import Rulebook, evaluate_many
        >>> bad = {"id": "T-2", "date": "2019-06-10",
        ...        "parties": [{"role": "buyer", "entity": {"name": "Acme"}}]}
        >>> [r] = evaluate_many([bad], Rulebook.default())
        >>> r.index, r.transaction_id, r.error.path
        (0, 'T-2', 'parties[0].role')
    """

    index: int
    transaction_id: str | None
    error: TradeControlError

    @property
    def message(self) -> str:
        """``[index] path: message``, one line."""
        return f"[{self.index}] {self.error}"


def _transaction_id(data: object) -> str | None:
    if isinstance(data, Transaction):
        return data.id
    if isinstance(data, Mapping):
        value = data.get("id")
        return value if isinstance(value, str) else None
    return None


def _decide_one(
    index: int, data: object, rulebook: Rulebook, as_of: Moment | None
) -> Decision | BadTransaction:
    try:
        transaction = data if isinstance(data, Transaction) else Transaction.from_dict(data)
        return evaluate(transaction, rulebook, as_of=as_of)
    except TradeControlError as exc:
        return BadTransaction(index=index, transaction_id=_transaction_id(data), error=exc)


# Worker-process state, set once per process by the pool initializer (never in the parent,
# where chunks run with their state passed explicitly).
_WORKER: dict[str, Any] = {}


def _init_worker(state: dict[str, Any]) -> None:
    """Pool initializer: keep the rulebook (and options) for every chunk this process runs."""
    _WORKER.clear()
    _WORKER.update(state)


def _in_worker(fn: Callable[[dict[str, Any], list[T]], list[R]], chunk: list[T]) -> list[R]:
    return fn(_WORKER, chunk)


def _decide_chunk(
    state: dict[str, Any], chunk: list[tuple[int, Any]]
) -> list[Decision | BadTransaction]:
    rulebook, as_of = state["rulebook"], state["as_of"]
    return [_decide_one(index, data, rulebook, as_of) for index, data in chunk]


def _build_indexes(state: dict[str, Any]) -> None:
    """Build each rulebook's screening index here, before the pool starts its workers.

    Only for a rulebook that screens (not :attr:`~tradecontrol.plan.Plan.exact`).

    Forked workers (the default on Linux) inherit the built index instead of each building
    its own (about ten CPU seconds for the CSL + UN + SDN rulebook); with other start
    methods the index is not pickled and each worker builds it, as before (nothing is
    built here then).
    """
    if multiprocessing.get_start_method() != "fork":
        return  # the workers would not inherit it
    for value in state.values():
        if isinstance(value, Rulebook) and not value.plan.exact:
            # exact matching reads the name index, never the screening index: building
            # the latter here cost an exact batch about 15 s of start-up for nothing
            value.candidate_index  # noqa: B018 - built on first access


def ordered_map(
    fn: Callable[[dict[str, Any], list[T]], list[R]],
    items: Iterable[T],
    *,
    jobs: int,
    chunk_size: int,
    state: dict[str, Any],
    on_chunk: Callable[[list[T], list[R]], None] | None = None,
) -> Iterator[R]:
    """Apply ``fn(state, chunk)`` to chunks of ``items`` in ``jobs`` processes, in order.

    ``state`` (e.g. the rulebook) is sent once to each worker process by the pool
    initializer. At most ``jobs * IN_FLIGHT_PER_JOB`` chunks are in flight, and ``items``
    is read only as fast as results are consumed, so memory stays bounded. With
    ``jobs == 1`` the work runs in this process.

    Args:
        fn: Maps ``(state, chunk)`` to one result per element (module level, picklable).
        items: The input, read lazily.
        jobs: Worker processes (1 runs inline).
        chunk_size: Elements per chunk.
        state: Picklable state every chunk needs.
        on_chunk: Called in this process with each chunk and its results, in order
            (e.g. to advance a progress bar).

    Yields:
        ``fn``'s results, in input order.
    """
    iterator = iter(items)
    chunks = iter(lambda: list(itertools.islice(iterator, chunk_size)), [])
    if jobs == 1:
        for chunk in chunks:
            results = fn(state, chunk)
            if on_chunk is not None:
                on_chunk(chunk, results)
            yield from results
        return
    _build_indexes(state)
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(state,)) as pool:
        pending: deque[tuple[list[T], Future[list[R]]]] = deque()
        try:
            for chunk in chunks:
                pending.append((chunk, pool.submit(_in_worker, fn, chunk)))
                if len(pending) < jobs * IN_FLIGHT_PER_JOB:
                    continue
                done, future = pending.popleft()
                results = future.result()
                if on_chunk is not None:
                    on_chunk(done, results)
                yield from results
            while pending:
                done, future = pending.popleft()
                results = future.result()
                if on_chunk is not None:
                    on_chunk(done, results)
                yield from results
        finally:
            for _, future in pending:
                future.cancel()


def max_jobs() -> int:
    """Most worker processes accepted: 4 per CPU core, at most 256.

    More processes than that only add forking and memory (each holds the rulebook); a huge
    number (``jobs=100000``) would hang the machine forking.
    """
    return min(256, 4 * (os.cpu_count() or 1))


def check_jobs(jobs: object) -> int:
    """``jobs`` as a positive int; ``0`` means one per CPU core.

    Raises:
        InvalidInputError: Not a whole number of at least 0, or more than :func:`max_jobs`.
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
        raise InvalidInputError(f"must be a whole number of processes, got {jobs!r}", path="jobs")
    limit = max_jobs()
    if jobs > limit:
        raise InvalidInputError(
            f"{jobs} processes is more than the limit of {limit} (4 per CPU core, at most 256)",
            path="jobs",
        )
    return jobs or (os.cpu_count() or 1)


def evaluate_many(
    transactions: Iterable[Transaction | Mapping[str, Any]],
    rulebook: Rulebook,
    *,
    as_of: Moment | str | None = None,
    jobs: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[Decision | BadTransaction]:
    """Decide each transaction, streaming, in input order, optionally on several cores.

    Each result is exactly what :func:`~tradecontrol.evaluate` returns for that
    transaction, whatever ``jobs`` is.

    Args:
        transactions: :class:`~tradecontrol.Transaction` objects or canonical-JSON mappings
            (DESIGN.md §4), read lazily; a generator over a huge file is fine. Mappings are
            parsed in the worker processes.
        rulebook: The rulebook, sent to each worker process once (it is picklable).
        as_of: Decide every transaction as of this date or aware datetime (ISO text
            accepted); ``None`` decides each as of its own ``date``.
        jobs: Worker processes; 1 (default) works in this process, 0 uses one per core.
        chunk_size: Transactions handed to a worker at a time; at most
            ``2 * jobs * chunk_size`` transactions are in flight.

    Yields:
        For each input, in order, its :class:`~tradecontrol.Decision`, or a
        :class:`BadTransaction` when it is not a valid transaction (the batch goes on).

    Raises:
        InvalidInputError: ``transactions`` is not iterable, or ``rulebook``, ``as_of``,
            ``jobs`` or ``chunk_size`` is invalid (raised at the call, before any
            transaction is read).

    Example:
        >>> from tradecontrol import Rulebook, evaluate_many
        >>> deals = [
        ...     {"id": "T-1", "date": "2019-06-10", "origin": "US",
        ...      "parties": [{"role": "end_user",
        ...                   "entity": {"name": "Huawei Technologies Co., Ltd."}}],
        ...      "items": [{"description": "cables", "eccn": "EAR99"}]},
        ...     {"id": "T-2", "date": "2019-06-10", "origin": "XX"},
        ... ]
        >>> [getattr(r, "outcome", r).__class__.__name__ for r in
        ...  evaluate_many(deals, Rulebook.default())]
        ['Outcome', 'BadTransaction']
        >>> [r.outcome.value for r in evaluate_many(deals[:1], Rulebook.default(),
        ...                                         as_of="2019-05-01")]
        ['not_restricted']
    """
    if not isinstance(rulebook, Rulebook):
        raise InvalidInputError(
            f"expected a Rulebook, got {type(rulebook).__name__}; use Rulebook.default()",
            path="rulebook",
        )
    try:
        moment = parse_moment(as_of) if isinstance(as_of, str) else as_of
    except InvalidInputError as exc:
        raise InvalidInputError(exc.message, path="as_of") from None
    if moment is not None and (
        not isinstance(moment, date)
        or (isinstance(moment, datetime) and moment.utcoffset() is None)
    ):
        raise InvalidInputError("must be a date or an aware datetime", path="as_of")
    workers = check_jobs(jobs)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InvalidInputError(
            f"must be a positive whole number, got {chunk_size!r}", path="chunk_size"
        )
    try:
        stream = iter(transactions)
    except TypeError:
        raise InvalidInputError(
            "expected an iterable of transactions (Transaction objects or their canonical "
            f"JSON dicts), got {type(transactions).__name__}",
            path="transactions",
        ) from None
    return ordered_map(
        _decide_chunk,
        enumerate(stream),
        jobs=workers,
        chunk_size=chunk_size,
        state={"rulebook": rulebook, "as_of": moment},
    )
