"""tradecontrol's own list format: JSON lines, one ``Listing.to_dict()`` object per line.

A company keeps an internal list this way. Each line holds one listing (see
:class:`tradecontrol.Listing` for the fields); blank lines are skipped; a line that is not
valid JSON or not a valid listing becomes a :class:`~tradecontrol.lists.Problem` naming
the line and the JSON path.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tradecontrol.errors import TradeControlError
from tradecontrol.listings import Listing
from tradecontrol.lists._core import Problem, Record
from tradecontrol.lists._text import json_lines

NAME = "tradecontrol-jsonl"

MAX_LINE_BYTES = 1 << 20


def sniff(head: bytes, path: Path) -> bool:
    """A JSON object on the first non-blank line with ``list_code`` and ``versions`` keys."""
    for line in head.lstrip(b"\xef\xbb\xbf").splitlines():
        if line.strip():
            text = line.strip()
            return text.startswith(b"{") and b'"list_code"' in text and b'"versions"' in text
    return path.suffix == ".jsonl"


def read(path: Path) -> Iterator[Record]:
    """Yield a listing or a problem for every non-blank line."""
    source = str(path)
    with path.open("rb") as fh:
        for number, data in json_lines(fh, MAX_LINE_BYTES):
            try:
                if isinstance(data, TradeControlError):
                    raise data
                yield Listing.from_dict(data)
            except TradeControlError as exc:
                record_id = data.get("id") if isinstance(data, dict) else None
                yield Problem(
                    source=source,
                    record=number,
                    field=exc.path,
                    reason=exc.message,
                    record_id=record_id if isinstance(record_id, str) else None,
                )
