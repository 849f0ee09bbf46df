r"""Ownership edges as JSON lines: one :class:`~tradecontrol.ownership.OwnershipEdge` per line.

A company keeps the ownership it has established (register extracts, due-diligence
findings) this way and adds it to a rulebook with
:meth:`~tradecontrol.Rulebook.with_ownership`. Every non-blank line becomes an edge or a
:class:`~tradecontrol.lists.Problem` naming the line and the JSON path; none is dropped.

Example:
    >>> import json, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "edges.jsonl"
    >>> _ = path.write_text(json.dumps({"owned": {"name": "Gamma Industrial LLC"},
    ...     "owner": {"name": "SDN A"}, "share_percent": "30%"}) + "\n{bad\n")
    >>> edges, problems = read_ownership(path)
    >>> edges[0].share_percent, problems[0].record
    (Decimal('30'), 2)
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, cast

from tradecontrol.errors import DataError, TradeControlError
from tradecontrol.lists._core import Problem
from tradecontrol.lists._text import json_lines
from tradecontrol.ownership import OwnershipEdge

__all__ = ["read_ownership"]

MAX_LINE_BYTES = 1 << 20
"""Longest accepted line (1 MiB)."""

MAX_FILE_BYTES = 1 << 30
"""Largest accepted file (1 GiB): an endless stream such as ``/dev/zero`` is refused."""


class _Capped:
    """A binary stream that raises DataError once more than ``limit`` bytes were read."""

    def __init__(self, fh: IO[bytes], limit: int, source: str) -> None:
        self.fh, self.left, self.limit, self.source = fh, limit, limit, source

    def readline(self, size: int = -1) -> bytes:
        if self.left < 0:
            raise DataError(f"{self.source}: larger than {self.limit} bytes")
        raw = self.fh.readline(self.left + 1 if size < 0 else min(size, self.left + 1))
        self.left -= len(raw)
        if self.left < 0:
            raise DataError(f"{self.source}: larger than {self.limit} bytes")
        return raw


def read_ownership(path: str | Path) -> tuple[tuple[OwnershipEdge, ...], tuple[Problem, ...]]:
    """Read ownership edges, one JSON object per line (``OwnershipEdge.to_dict()`` form).

    Args:
        path: A JSON-lines file (UTF-8).

    Returns:
        ``(edges, problems)``: every non-blank line is one or the other.

    Raises:
        DataError: The file cannot be read.
    """
    numbered, problems = read_numbered(path)
    return tuple(edge for _, edge in numbered), problems


def read_numbered(
    path: str | Path,
) -> tuple[tuple[tuple[int, OwnershipEdge], ...], tuple[Problem, ...]]:
    r"""As :func:`read_ownership`, each edge with its 1-based line number.

    Args:
        path: A JSON-lines file (UTF-8).

    Returns:
        ``((line, edge), ...), problems``.

    Raises:
        DataError: The file cannot be read, or is larger than :data:`MAX_FILE_BYTES`.

    Example:
        >>> import json, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "edges.jsonl"
        >>> _ = path.write_text("\n" + json.dumps({"owned": {"name": "B"},
        ...     "owner": {"name": "A"}}) + "\n")
        >>> read_numbered(path)[0][0][0]
        2
    """
    source = str(path)
    edges: list[tuple[int, OwnershipEdge]] = []
    problems: list[Problem] = []
    try:
        fh = Path(path).open("rb")  # noqa: SIM115 (closed by the with below)
    except OSError as exc:
        raise DataError(f"cannot read {source}: {exc.strerror}") from None
    with fh:
        capped = cast(IO[bytes], _Capped(fh, MAX_FILE_BYTES, source))
        for number, data in json_lines(capped, MAX_LINE_BYTES):
            try:
                if isinstance(data, TradeControlError):
                    raise data
                edges.append((number, OwnershipEdge.from_dict(data)))
            except TradeControlError as exc:
                problems.append(
                    Problem(source=source, record=number, field=exc.path, reason=exc.message)
                )
    return tuple(edges), tuple(problems)
