"""Saving and loading rulebooks as files (internal; see :meth:`Rulebook.save`).

The file is the documented JSON form of :meth:`Rulebook.to_dict` (``format:
tradecontrol.rulebook``, ``format_version: 1``), UTF-8, optionally gzip-compressed. It is
data only: loading it parses JSON and validates every value, and can never run code (no
pickle).
"""

from __future__ import annotations

import contextlib
import gc
import gzip
import json
import os
import secrets
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tradecontrol._json import parse_json
from tradecontrol.errors import DataError, InvalidInputError

if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

GZIP_MAGIC = b"\x1f\x8b"


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Building a rulebook allocates hundreds of thousands of objects and no cycles; the
    collector would otherwise rescan the growing heap again and again (about half the
    load time for the full CSL). Its previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


MAX_RULEBOOK_BYTES = 256 << 20
"""Largest rulebook :func:`load` reads by default: 256 MiB of JSON after decompression.

A rulebook with the full Consolidated Screening List, the UN list and OFAC's SDN list is
about 16 MiB; the limit leaves 16 times that, and stops a gzip bomb (a small file that
inflates to gigabytes) or a device such as ``/dev/zero`` from exhausting memory. Pass
``max_bytes=`` to :meth:`Rulebook.load` for a larger one.
"""

_CHUNK = 1 << 20


def save(rulebook: Rulebook, path: str | os.PathLike[str], *, compress: bool | None) -> Path:
    target = Path(_path_argument(path, "Rulebook.save"))
    if compress is None:
        compress = target.suffix == ".gz"
    text = json.dumps(rulebook.to_dict(), ensure_ascii=False, separators=(",", ":"))
    blob = text.encode("utf-8")
    if compress:
        blob = gzip.compress(blob, compresslevel=6, mtime=0)
    # write beside the target and rename, so a reader never sees half a file; the file is
    # created with mode 0666 less the umask, as any file the user writes (mkstemp's 0600
    # would make a rulebook shipped to workers unreadable to them)
    fd, tmp = _create_beside(target)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def _create_beside(target: Path) -> tuple[int, str]:
    """A new, exclusive temporary file in ``target``'s folder: ``(descriptor, path)``."""
    folder = target.parent or Path()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = str(folder / f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp  # the umask applies
        except FileExistsError:  # pragma: no cover - 48 random bits collided
            continue
    raise FileExistsError(f"cannot create a temporary file beside {target}")  # pragma: no cover


def _path_argument(path: object, where: str) -> str:
    """``path`` as a file name; anything but a str or os.PathLike is an InvalidInputError."""
    if isinstance(path, str | os.PathLike):
        name = os.fspath(path)
        if isinstance(name, str):
            if "\x00" in name:
                raise InvalidInputError(
                    f"{where}: path {name[:80]!r} contains a NUL character (no file has one)"
                )
            return name
    raise InvalidInputError(
        f"{where}: path must be a file name (str or os.PathLike), got {type(path).__name__}"
    )


def _read_capped(source: str, max_bytes: int) -> bytearray:
    """The file's bytes, gunzipped when it starts with the gzip magic, at most ``max_bytes``.

    Raises:
        DataError: Not a regular file, unreadable, corrupt gzip, or larger than
            ``max_bytes`` (after decompression).
    """
    try:
        info = os.stat(source)
        if not stat.S_ISREG(info.st_mode):
            raise DataError(
                "cannot read rulebook: not a regular file (a directory, device or pipe)",
                source=source,
            )
        with open(source, "rb") as raw:
            if not stat.S_ISREG(os.fstat(raw.fileno()).st_mode):  # replaced since the stat
                raise DataError("cannot read rulebook: not a regular file", source=source)
            compressed = raw.read(2) == GZIP_MAGIC
            if not compressed:
                raw.seek(0)
                if info.st_size > max_bytes:
                    raise _too_big(source, max_bytes, compressed=False)
                return _read_chunks(raw, source, max_bytes, keep=True)
            if info.st_size >= 6:
                # the gzip trailer states the inflated size (of the last member, modulo
                # 2**32); when it says too much, inflate without keeping anything to see
                # whether that is so (a bomb) or the file is corrupt, in constant memory
                raw.seek(-4, os.SEEK_END)
                if int.from_bytes(raw.read(4), "little") > max_bytes:
                    raw.seek(0)
                    _read_chunks(gzip.GzipFile(fileobj=raw), source, max_bytes, keep=False)
            raw.seek(0)
            return _read_chunks(gzip.GzipFile(fileobj=raw), source, max_bytes, keep=True)
    except (OSError, EOFError, zlib.error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise DataError(f"cannot read rulebook: {reason}", source=source) from None
    except MemoryError:
        raise DataError("cannot read rulebook: out of memory", source=source) from None


def _read_chunks(
    stream: IO[bytes] | gzip.GzipFile, source: str, max_bytes: int, *, keep: bool
) -> bytearray:
    """Read ``stream`` to its end in 1 MiB chunks; the bytes if ``keep`` (else empty).

    Raises:
        DataError: More than ``max_bytes``, found as soon as they are read.
    """
    blob = bytearray()
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise _too_big(source, max_bytes, compressed=isinstance(stream, gzip.GzipFile))
        if keep:
            blob += chunk
    return blob


def _too_big(source: str, max_bytes: int, *, compressed: bool) -> DataError:
    after = " after decompression" if compressed else ""
    return DataError(
        f"rulebook larger than {max_bytes:,} bytes{after} (a larger limit: "
        "Rulebook.load(path, max_bytes=...))",
        source=source,
    )


def load(
    cls: type[Rulebook], path: str | os.PathLike[str], *, max_bytes: int | None = None
) -> Rulebook:
    source = _path_argument(path, "Rulebook.load")
    if max_bytes is None:
        max_bytes = MAX_RULEBOOK_BYTES
    elif isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise InvalidInputError(
            f"Rulebook.load: max_bytes must be a positive number of bytes, got {max_bytes!r}",
            path="max_bytes",
        )
    blob = _read_capped(source, max_bytes)
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"not a rulebook JSON file (not UTF-8 at byte {exc.start})", source=source
        ) from None
    del blob
    try:
        data: Any = parse_json(text)
    except InvalidInputError as exc:
        raise DataError(
            f"not a rulebook JSON file ({exc.message})", path=exc.path, source=source
        ) from None
    del text
    try:
        with _gc_paused():
            return cls.from_dict(data)
    except DataError as exc:
        raise DataError(exc.message, path=exc.path, source=source) from None
