"""Text and date clean-up shared by the list loaders (internal)."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import IO, Any

from tradecontrol._json import parse_json
from tradecontrol.errors import InvalidInputError

__all__ = [
    "CONTROLS_REMOVED",
    "MAX_LINE_BYTES",
    "OVERLONG",
    "bounded_lines",
    "clean",
    "controls_removed",
    "fr_citation_parts",
    "partial_date",
    "without_controls",
]

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
_DMY = re.compile(r"^(?P<d>\d{1,2}) (?P<m>[A-Za-z]{3})[a-z]* (?P<y>\d{4})$")
_MY = re.compile(r"^(?P<m>[A-Za-z]{3})[a-z]* (?P<y>\d{4})$")
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MDY = re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})$")


def _c1(ch: str) -> str:
    r"""A C1 control character that is really a Windows-1252 byte (``\x92`` is ``’``)."""
    try:
        return bytes([ord(ch)]).decode("cp1252")
    except UnicodeDecodeError:
        return " "


_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidirectional embedding, override and isolate characters: invisible, refused in every
text of a listing (``_validators.text``), so :func:`clean` removes them."""


def clean(text: str | None) -> str:
    r"""Collapse white space, turn non-breaking spaces into spaces, repair C1 mojibake.

    Other control characters become spaces, bidirectional embedding, override and
    isolate characters (U+202A-U+202E, U+2066-U+2069) are removed, and text without a
    visible character gives ``""`` (see :func:`visible`); visible mojibake
    (``Co”peratief``) is kept as the source writes it. ``None`` and ``""`` give ``""``.

    Example:
        >>> clean(" CAST Xi\x92an  Engine\u00a0Factory ")
        'CAST Xi’an Engine Factory'
    """
    if not text:
        return ""
    if text.isascii() and text.isprintable():  # fast path: the only white space is " "
        if text[0] != " " and text[-1] != " " and "  " not in text:
            return text  # already clean
        return " ".join(text.split())
    out = []
    for ch in text:
        if "\x80" <= ch <= "\x9f":
            out.append(_c1(ch))
        elif unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u00a0\u2028\u2029":
            out.append(" ")
        elif ch in _BIDI:  # (invisible: removed, not spaced)
            pass
        else:
            out.append(ch)
    return visible(re.sub(r"\s+", " ", "".join(out)).strip())


_INVISIBLE = frozenset(("Cf", "Zs", "Zl", "Zp"))


def visible(text: str) -> str:
    r"""``text``, or ``""`` when it has no visible character (only ``\u200b``, ``\ufeff``...).

    Such a value says nothing, and a listing refuses it ("must not be empty"): it is read
    as an empty cell, not as a reason to refuse the record.

    Example:
        >>> visible("\ufeff\u200b"), visible("Ali\u200c Reza")
        ('', 'Ali\u200c Reza')
    """
    if text.isprintable() or any(unicodedata.category(ch) not in _INVISIBLE for ch in text):
        return text
    return ""


def csv_error(exc: Exception) -> str:
    r"""The message of a ``csv.Error`` for a user, in our words where the module's mislead.

    The ``csv`` module reports a file whose lines end in a lone carriage return (old Mac
    line ends) as a "new-line character seen in unquoted field", with advice about Python's
    universal-newline mode.

    Example:
        >>> import csv
        >>> try:
        ...     next(csv.reader(["a,b\rc,d"]))
        ... except csv.Error as exc:
        ...     print(csv_error(exc)[:44])
        a line ends in a lone carriage return (CR, o
    """
    text = str(exc)
    if "new-line character seen in unquoted field" in text:
        return (
            "a line ends in a lone carriage return (CR, old Mac line ends), which is not "
            "read: save the file with LF or CRLF line ends"
        )
    return text


CONTROLS_REMOVED = "control characters or invalid code points removed"
"""The reason of the non-fatal problem a loader records for a field :func:`clean` removed
characters from (the wording of the UN, EU, UK and Denied Persons List loaders)."""

_REMOVED = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f\x81\x8d\x8f\x90\x9d\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)  # what clean() turns into a space though it is no white space: the Cc characters that
# are not white space (tab, line breaks, \x1c-\x1f and \x85 are), minus the C1 characters
# it repairs as Windows-1252 bytes, and the surrogates (Cs); and the bidirectional
# embedding, override and isolate characters it removes (_BIDI), which a listing refuses


def controls_removed(text: str) -> bool:
    r"""Whether :func:`clean` removes characters from ``text`` (NUL, BEL, ESC, DEL...).

    White space (tab, line breaks) is not removed but squashed, and C1 characters that
    are Windows-1252 bytes are repaired (``\x92`` is ``’``): neither counts. A loader
    records a :data:`CONTROLS_REMOVED` problem for a field where this is true.

    Example:
        >>> controls_removed("CUB\x00A"), controls_removed("CUB\tA"), controls_removed("Xi\x92an")
        (True, False, False)
    """
    return _REMOVED.search(text) is not None


def without_controls(text: str) -> str:
    r"""``text`` without the characters :func:`controls_removed` looks for, stripped.

    For values where a space would be wrong (a URL): ``clean`` puts a space instead.

    Example:
        >>> without_controls(" http://bit.ly/1Qi\x005heF ")
        'http://bit.ly/1Qi5heF'
    """
    return _REMOVED.sub("", text).strip()


_FR_HEAD = re.compile(
    r"(?<![A-Za-z0-9])(?:(?P<volume>[0-9]{1,3})\s*\.?\s*)?"
    r"(?:F\.?\s?R(?![A-Za-z])|Fed\.?\s?Reg(?![A-Za-z]))\.?\s*",
    re.IGNORECASE,
)
"""Where a Federal Register citation starts: ``81 F.R. 45276``, ``81 F.R.45276``,
``83F.R. 28801``, ``81.F.R. 22576``, ``81 FR45276``, ``81 Fed. Reg. 45276``, ``F.R. 30823``."""
_FR_EDGES = " ,;"


def fr_citation_parts(text: str) -> list[str]:
    r"""The Federal Register citations of a Denied Persons List citation text.

    ``text`` is already cleaned (single spaces). It is split at each citation head
    (:data:`_FR_HEAD`: ``<volume> F.R.`` whatever the spacing and dots, ``FR``, ``Fed.
    Reg.``), and a head followed by a page is written in the Federal Register's own form,
    ``<volume> FR <page>``; the rest of each part (dates, further pages of the notice) is
    kept as written, without separators or a trailing "and" at its ends. Text before the
    first head stays with the first citation; a head without a page (``F.R. NOTICE TO BE
    PUBLISHED SOON``) and a text without a head are kept as written.

    Example:
        >>> fr_citation_parts("80 F.R. 30435 5/28/15, 81 F.R.45276 7/13/2016 and 83F.R. 1")
        ['80 FR 30435 5/28/15', '81 FR 45276 7/13/2016', '83 FR 1']
    """
    found = list(_FR_HEAD.finditer(text))
    if not found:
        whole = text.strip(_FR_EDGES)
        return [whole] if whole else []
    prefix = text[: found[0].start()].strip(_FR_EDGES)  # text before the first citation
    bounds = [m.start() for m in found[1:]] + [len(text)]
    out = []
    for head, end in zip(found, bounds, strict=True):
        rest = re.sub(r"\s+and$", "", text[head.end() : end].strip(_FR_EDGES)).strip(_FR_EDGES)
        if rest[:1].isdigit():  # "<volume> FR <page>": the Federal Register's form
            part = " ".join(filter(None, [prefix, head.group("volume"), "FR", rest]))
        else:  # no page ("F.R. NOTICE TO BE PUBLISHED"): kept as written
            written = text[head.start() : end].strip(_FR_EDGES)
            part = " ".join(filter(None, [prefix, re.sub(r"\s+and$", "", written)]))
        prefix = ""  # (kept with the first citation only)
        out.append(part)
    return out


def partial_date(text: str) -> str | None:
    """A source date in tradecontrol's partial-date form, or ``None`` when unreadable.

    Reads ``1962``, ``1962-01``, ``1962-01-15``, ``15 Jan 1962``, ``Jan 1962``,
    ``01/15/1962`` (U.S. order), each optionally after ``circa`` or ``approximately``, and
    ranges ``1960 to 1962`` / ``1960 - 1962``. The precision is kept: never padded to a day.

    Example:
        >>> partial_date("circa 07 Jul 1966"), partial_date("Sep 1938")
        ('circa 1966-07-07', '1938-09')
    """
    raw = clean(text)
    prefix = ""
    for word in ("circa ", "approximately ", "approx. ", "ca. "):
        if raw.lower().startswith(word):
            prefix, raw = "circa ", raw[len(word) :].strip()
    for sep in (" to ", " - "):
        if sep in raw:
            a, b = (partial_date(x) for x in raw.split(sep, 1))
            return f"{prefix}{a} to {b}" if a and b and "circa" not in a + b else None
    out = None
    if _ISO.match(raw):
        out = raw
    elif match := _DMY.match(raw):
        out = _ymd(match.group("y"), match.group("m"), match.group("d"))
    elif match := _MY.match(raw):
        month = _MONTHS.get(match.group("m").lower())
        out = f"{match.group('y')}-{month:02d}" if month else None
    elif match := _MDY.match(raw):
        out = _ymd(match.group("y"), match.group("m"), match.group("d"))
    if out is None:
        return None
    return prefix + out


def _ymd(year: str, month: str, day: str) -> str | None:
    number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
    if number is None:
        return None
    try:
        return datetime.date(int(year), number, int(day)).isoformat()
    except ValueError:
        return None


MAX_LINE_BYTES = 1 << 20
"""Longest physical line a text loader reads (1 MiB); longer lines are problems."""

OVERLONG = "\x00overlong line"
"""The stand-in line :func:`bounded_lines` yields for a line over the limit."""


def bounded_lines(fh: IO[bytes], limit: int = MAX_LINE_BYTES) -> Iterator[bytes]:
    """The lines of a binary stream, never holding more than ``limit`` bytes of one.

    A longer line is skipped to its end and replaced by ``OVERLONG`` (plus a newline), which
    parses as a one-field CSV row the loaders report as a problem.
    """
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = fh.readline(limit)
            yield OVERLONG.encode() + b"\n"
            continue
        yield raw


READ_BLOCK = 1 << 17
"""Bytes :func:`line_blocks` reads at a time (whole lines are cut from them).

128 KiB: a block's text, lines and parsed rows stay in the processor's caches while
they are read (1 MiB blocks read the 2021 OFAC files about a tenth slower)."""


def line_blocks(
    fh: IO[bytes], decode: Callable[[bytes], str], limit: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, list[str | None]]]:
    r"""The lines of a binary stream in blocks: ``(number of the first line, texts)``.

    The same lines, numbers and texts as reading line by line with ``readline`` (a line
    is cut at ``\n``; its text is ``decode(line).rstrip("\r\n")``), but
    :data:`READ_BLOCK` bytes at a time: a block that is valid UTF-8 is decoded at once
    (decoding its lines one by one gives the same text), other blocks line by line with
    ``decode``. A line longer than ``limit`` bytes (its ``\n`` not counted) is ``None``
    and never held whole in memory.

    Example:
        >>> import io
        >>> list(line_blocks(io.BytesIO(b"a,b\r\n\nc"), bytes.decode))
        [(1, ['a,b', '']), (3, ['c'])]
    """
    number = 1
    rest = b""  # what was read past the last line end (may hold whole lines after a skip)
    while True:
        chunk = fh.read(READ_BLOCK)
        data = rest + chunk if rest else chunk
        if not data:
            return
        cut = data.rfind(b"\n") + 1
        if cut == 0:  # no line ends in what was read
            if not chunk:  # the end of the stream: the last line, without a line end
                yield number, [None if len(data) > limit else decode(data).rstrip("\r\n")]
                return
            if len(data) > limit:  # an over-long line: skip to its end
                yield number, [None]
                number += 1
                rest = _skip_line(fh)
            else:
                rest = data
            continue
        block, rest = data[:cut], data[cut:]
        if len(rest) > limit:  # the unfinished line at the end is already over-long
            lines = block.split(b"\n")
            lines[-1] = rest  # (in place of the empty piece after the last line end)
            rest = _skip_line(fh)
            texts = _decoded_lines(lines, decode, limit)
        else:
            texts = _decoded_block(block, decode, limit)
        yield number, texts
        number += len(texts)


def _skip_line(fh: IO[bytes]) -> bytes:
    """Read past the end of the current line; return what follows it in the chunk read."""
    while True:
        chunk = fh.read(READ_BLOCK)
        if not chunk:
            return b""
        end = chunk.find(b"\n")
        if end >= 0:
            return chunk[end + 1 :]


def _decoded_block(block: bytes, decode: Callable[[bytes], str], limit: int) -> list[str | None]:
    r"""The texts of a block's lines (``block`` ends with ``\n``), as :func:`_decoded_lines`.

    A block that is valid UTF-8 is decoded at once. When its line ends are all ``\n`` or
    all ``\r\n`` (no other ``\r``), one split gives every text; when it is ASCII, the
    longest text tells whether a line is over ``limit`` bytes (a character is a byte,
    plus the ``\r``), so the bytes are not split too.
    """
    try:
        text: str | None = block.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        out: list[str | None] | None = None
        if "\r" not in text:
            out, extra = text.split("\n"), 0  # type: ignore[assignment]
        else:  # each \r\n holds one \r and one \n: no other one when the counts match
            pieces: list[str | None] = text.split("\r\n")  # type: ignore[assignment]
            ends = len(pieces) - 1
            if text.count("\n") == ends and text.count("\r") == ends:
                out, extra = pieces, 1  # every line ends with \r\n
        if out is not None:
            out.pop()  # the empty piece after the block's last line end
            if len(block) <= limit or (
                text.isascii() and max(map(len, out), default=0) + extra <= limit  # type: ignore[arg-type]
            ):
                return out
    lines = block.split(b"\n")
    lines.pop()
    if text is not None and max(map(len, lines), default=0) <= limit:
        return [t.rstrip("\r\n") for t in text.split("\n")[:-1]]
    return _decoded_lines(lines, decode, limit)


def _decoded_lines(
    lines: list[bytes], decode: Callable[[bytes], str], limit: int
) -> list[str | None]:
    r"""Each line alone: ``decode(line).rstrip("\r\n")``, or ``None`` when over ``limit`` bytes."""
    return [None if len(raw) > limit else decode(raw).rstrip("\r\n") for raw in lines]


def unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """``json.loads`` ``object_pairs_hook``: refuse an object that repeats a key.

    Raises:
        ValueError: A key appears twice (the loaders report it as a problem).
    """
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"key {key!r} appears twice in one object")
        out[key] = value
    return out


def json_lines(fh: IO[bytes], limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, Any]]:
    """``(line number, JSON value)`` for every non-blank line of a JSON-lines stream.

    A line that is longer than ``limit`` bytes, not UTF-8 (a BOM is allowed on line 1), not
    JSON, or repeats a key in one object gives an :class:`InvalidInputError` in place of
    its value, so every loader reports it as a problem of that line and none is dropped.

    Example:
        >>> import io
        >>> lines = io.BytesIO(b'{"a": 1}' + bytes([10, 10]) + b'{"a": 1, "a": 2}')
        >>> [(n, str(v)) for n, v in json_lines(lines)]
        [(1, "{'a': 1}"), (3, "a: key 'a' appears twice in one object")]
    """
    for number, raw in enumerate(bounded_lines(fh, limit), start=1):
        if raw.startswith(OVERLONG.encode()):
            yield number, InvalidInputError(f"line longer than {limit} bytes")
            continue
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield number, InvalidInputError(f"not UTF-8 (byte {exc.start})")
            continue
        if number > 1 and text.startswith("\ufeff"):
            yield (
                number,
                InvalidInputError(
                    "starts with a UTF-8 byte order mark (BOM); only the first line of a file may"
                ),
            )
            continue
        try:  # repeated keys, huge integers, 1e400 and NaN refused with their JSON path
            yield number, parse_json(text)
        except InvalidInputError as exc:
            yield number, exc
