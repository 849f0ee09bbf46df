"""Safe XML streaming and ZIP members for the XML list loaders (internal).

XML is read only through ``defusedxml`` (entity declarations and external references are
refused), element by element with ``iterparse``; finished elements are cleared so memory stays
flat on large files. A ZIP archive holding one ``.xml`` member is streamed from that member
with caps on the uncompressed size (``MAX_UNCOMPRESSED``, 1 GiB) and the compression ratio
(``MAX_RATIO``, 100:1), checked both on the sizes the archive declares and on the bytes actually
inflated, so a zip bomb is refused before it fills memory or disk.
"""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

import attrs

from tradecontrol.errors import DataError

__all__ = [
    "MAX_RATIO",
    "MAX_UNCOMPRESSED",
    "Broken",
    "ChunkedReads",
    "Stray",
    "child_text",
    "elements",
    "local",
    "open_xml",
    "root_name",
    "xml_head",
]

MAX_UNCOMPRESSED = 1 << 30
"""Largest uncompressed ZIP member read (1 GiB)."""

MAX_RATIO = 100
"""Largest compression ratio accepted for a ZIP member (uncompressed : compressed)."""

_RATIO_FLOOR = 1 << 20  # ratios are checked once this many bytes have been inflated

XML_CHUNK = 1 << 16
"""Bytes handed to the XML parser at a time (``iterparse`` asks for 16 KiB), at first."""

MAX_XML_CHUNK = 1 << 24
"""The most bytes handed to the XML parser at a time (see :class:`ChunkedReads`)."""


class ChunkedReads:
    """A stream read :data:`XML_CHUNK` bytes at a time, more while no tag starts.

    Expat before 2.6 scans an unfinished token (an attribute value, a start tag) from its
    start again at every chunk it is fed: one hostile 16 MiB attribute took 7 s in
    ``iterparse``'s 16 KiB chunks, 60 MiB 100 s. A chunk without ``<`` (no tag starts
    in it: such a token, or long text) doubles the next read, up to
    :data:`MAX_XML_CHUNK`; a chunk with one brings it back to :data:`XML_CHUNK`, so the
    elements built before the loader clears them stay few.
    """

    def __init__(self, stream: IO[bytes] | _Capped) -> None:
        self._stream = stream
        self._size = XML_CHUNK

    def read(self, size: int = -1) -> bytes:
        if size < 0:  # (the rest of the stream, as a file's read() gives it)
            return self._stream.read()
        data = self._stream.read(max(size, self._size))
        if b"<" in data:
            self._size = XML_CHUNK
        else:
            self._size = min(self._size * 2, MAX_XML_CHUNK)
        return data


_ZIP_MAGIC = b"PK\x03\x04"
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]")


def _defused() -> Any:
    try:
        from defusedxml import ElementTree
    except ImportError:  # pragma: no cover - the test extra installs it
        raise DataError(
            "XML lists need the lists extra: pip install 'tradecontrol[lists]' "
            "(from a clone: pip install '.[lists]')"
        ) from None
    return ElementTree


def xml_head(head: bytes) -> bytes:
    """The first bytes of the XML: ``head`` itself, or the start of a ZIP's first member.

    Only the first member is looked at (sniffing must be cheap); it must be named ``*.xml``.
    """
    if not head.startswith(_ZIP_MAGIC):
        return head
    if len(head) < 30:
        return b""
    _, _, flags, method, _, _, _, _, _, name_len, extra_len = struct.unpack(
        "<IHHHHHIIIHH", head[:30]
    )
    name = head[30 : 30 + name_len]
    if flags & 1 or not name.lower().endswith(b".xml"):
        return b""
    data = head[30 + name_len + extra_len :]
    if method == 0:
        return data
    if method == 8:
        try:
            return zlib.decompressobj(-15).decompress(data, 1 << 16)
        except zlib.error:
            return b""
    return b""


def root_name(head: bytes) -> str | None:
    """The local name of the root element in the first bytes of an XML document.

    UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are read.
    """
    text = _utf8(xml_head(head)).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"<"):
        return None
    pos = 0
    while True:  # skip the declaration, comments and the doctype
        if text.startswith(b"<?", pos):
            pos = text.find(b"?>", pos)
        elif text.startswith(b"<!--", pos):
            pos = text.find(b"-->", pos)
        elif text.startswith(b"<!", pos):
            pos = text.find(b">", pos)
        else:
            break
        if pos < 0:
            return None
        pos = text.find(b"<", pos)
        if pos < 0:
            return None
    match = _ROOT.match(text, pos)
    return match.group(1).decode("ascii", "replace") if match else None


def _utf8(head: bytes) -> bytes:
    """UTF-16 bytes that start with a byte-order mark, re-encoded as UTF-8 (others as is)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="replace").encode()
    return head


class _Capped:
    """A read-only stream that refuses to inflate more than the caps allow."""

    def __init__(self, stream: IO[bytes], compressed: int, source: str) -> None:
        self._stream = stream
        self._compressed = max(compressed, 1)
        self._source = source
        self._count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size if size is not None and size >= 0 else 1 << 16)
        self._count += len(data)
        if self._count > MAX_UNCOMPRESSED:
            raise DataError(
                f"refused: the ZIP member inflates beyond {MAX_UNCOMPRESSED} bytes",
                source=self._source,
            )
        if self._count > _RATIO_FLOOR and self._count > MAX_RATIO * self._compressed:
            raise DataError(
                f"refused: the ZIP member inflates more than {MAX_RATIO} times its "
                "compressed size (a zip bomb?)",
                source=self._source,
            )
        return data


@contextmanager
def open_xml(path: Path) -> Iterator[IO[bytes] | _Capped]:
    """Open an XML file, or the one ``.xml`` member of a ZIP archive, for streaming.

    Raises:
        DataError: Unreadable file; a ZIP that is corrupt, encrypted, holds no or several
            XML members, or exceeds the size or ratio caps.
    """
    source = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", source=source) from None
    with fh:
        if fh.read(4) != _ZIP_MAGIC:
            fh.seek(0)
            yield fh
            return
        fh.seek(0)
        try:
            archive = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise DataError(f"not a readable ZIP archive: {exc}", source=source) from None
        with archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and info.filename.lower().endswith(".xml")
            ]
            if len(members) != 1:
                raise DataError(
                    f"the ZIP archive holds {len(members)} XML files; expected one",
                    source=source,
                )
            info = members[0]
            if info.flag_bits & 1:
                raise DataError(f"{info.filename} is encrypted", source=source)
            if info.file_size > MAX_UNCOMPRESSED:
                raise DataError(
                    f"refused: {info.filename} declares {info.file_size} bytes uncompressed; "
                    f"the limit is {MAX_UNCOMPRESSED}",
                    source=source,
                )
            if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise DataError(
                    f"refused: {info.filename} declares a compression ratio above {MAX_RATIO}:1 "
                    "(a zip bomb?)",
                    source=source,
                )
            try:
                member = archive.open(info)
            except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError) as exc:
                raise DataError(f"cannot open {info.filename}: {exc}", source=source) from None
            with member:
                yield _Capped(member, info.compress_size, source)


@attrs.frozen
class Broken:
    """The XML stopped being readable (not well-formed, truncated, corrupt archive)."""

    reason: str


@attrs.frozen
class Stray:
    """An element where records stand that the format does not define there.

    A misspelled record tag (``<sdnEntri>``), a record at an unexpected depth, or an
    unknown element among the records: the loaders report each as a fatal problem (a record
    that could not be read), so no record vanishes silently.

    Args:
        path: The element's path from the root, by local names (``sdnList/sdnEntri``).
        reason: What is wrong.
    """

    path: str
    reason: str


class StrayWatch:
    """Finds :class:`Stray` elements while a document streams past (internal).

    Args:
        records: Local names of the record elements and their depth (root = 0).
        structure: Other elements the format puts at or above the records' depth, with
            their depth (``INDIVIDUALS``: 1 in the UN list; ``publshInformation``: 1).

    Outside the records, an element at depth 1 to the records' depth whose name and depth
    are neither a record's nor in ``structure`` is a stray, and so is an element named
    like a record at any other depth. A stray that holds record-named elements is
    reported through them (one per record); otherwise it is reported itself.
    """

    def __init__(self, records: dict[str, int], structure: dict[str, int]) -> None:
        self._records = records
        self._structure = structure
        self._deepest = max(records.values(), default=0)
        self._open = 0  # depth inside the current stray (0: not in one)
        self._found = 0  # record-named elements reported inside it

    @property
    def inside(self) -> bool:
        """Whether the stream is inside a stray element."""
        return self._open > 0

    def start(self, depth: int, name: str) -> bool:
        """At a start tag outside the records: True when it opens (or is inside) a stray."""
        if self._open:
            self._open += 1
            return True
        if depth < 1 or self._records.get(name) == depth:
            return False
        if name in self._records or (depth <= self._deepest and self._structure.get(name) != depth):
            self._open, self._found = 1, 0
            return True
        return False

    def end(self, names: list[str], name: str) -> Stray | None:
        """At an end tag inside a stray (``names``: the open ancestors): its report, if any."""
        self._open -= 1
        depth = len(names)
        path = "/".join([*names, name])
        if name in self._records:
            self._found += 1
            return Stray(
                path,
                f"<{name}> at depth {depth}, where this format has it at depth "
                f"{self._records[name]}: the record was not read",
            )
        if not self._open and not self._found:
            expected = ", ".join(f"<{n}>" for n, d in self._records.items() if d == depth)
            return Stray(
                path,
                f"unexpected element <{name}> where the records stand"
                + (f" (expected {expected}; a misspelled tag?)" if expected else "")
                + ": not read",
            )
        return None


def local(tag: object) -> str:
    """An element's tag without its namespace (``{ns}sdnEntry`` -> ``sdnEntry``)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def child_text(elem: Element, name: str) -> str | None:
    """Text of the first child named ``name`` (any namespace), stripped; None when empty."""
    for child in elem:
        if local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def elements(
    stream: IO[bytes] | _Capped,
    wanted: dict[str, int],
    source: str,
    *,
    structure: dict[str, int] | None = None,
) -> Iterator[tuple[str, Element] | Broken | Stray]:
    """Yield ``(local name, element)`` for each finished element named in ``wanted``.

    Args:
        stream: The XML bytes.
        wanted: Local element names and the depth they must stand at (the root is depth 0).
        source: File name for errors.
        structure: When given, the other elements the format puts at or above the wanted
            elements' depth; every other element there (and every wanted name at another
            depth) is yielded as a :class:`Stray` (see :class:`StrayWatch`).

    Yields:
        Each wanted element once complete (it is cleared after the consumer resumes), each
        :class:`Stray` when ``structure`` is given, then a :class:`Broken` if the document
        turns out not to be well-formed.

    Raises:
        DataError: The document declares entities or external references (refused).
    """
    tree = _defused()
    from defusedxml.common import DefusedXmlException

    stack: list[Element] = []
    watch = StrayWatch(wanted, structure) if structure is not None else None
    inside = 0  # depth inside a wanted element (its descendants are never strays)
    try:
        for event, elem in tree.iterparse(
            ChunkedReads(stream), events=("start", "end"), forbid_dtd=True
        ):
            if event == "start":
                if watch is not None:
                    if inside:
                        inside += 1
                    elif not watch.start(len(stack), local(elem.tag)):
                        inside = 1 if wanted.get(local(elem.tag)) == len(stack) else 0
                stack.append(elem)
                continue
            stack.pop()
            name = local(elem.tag)
            depth = len(stack)
            if watch is not None and not inside and watch.inside:
                stray = watch.end([local(e.tag) for e in stack], name)
                if stray is not None:
                    yield stray
                if watch.inside or depth != 1:
                    continue
            elif inside:
                inside -= 1
                if inside:
                    continue
            if wanted.get(name) == depth:
                yield name, elem
            elif depth != 1:
                continue
            elem.clear()
            if stack:  # detach finished siblings so memory stays flat (iterparse reads ahead)
                del stack[-1][:]
    except DefusedXmlException as exc:
        raise DataError(
            f"refused: the XML uses {type(exc).__name__.removesuffix('Forbidden').lower()} "
            "declarations (entity expansion and external references are not read)",
            source=source,
        ) from None
    except ParseError as exc:
        yield Broken(f"not well-formed XML: {exc}")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        yield Broken(f"the file could not be read to its end: {exc}")
