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
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradecontrol.errors import DataError

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


def save(rulebook: Rulebook, path: str | os.PathLike[str], *, compress: bool | None) -> Path:
    target = Path(path)
    if compress is None:
        compress = target.suffix == ".gz"
    text = json.dumps(rulebook.to_dict(), ensure_ascii=False, separators=(",", ":"))
    blob = text.encode("utf-8")
    if compress:
        blob = gzip.compress(blob, compresslevel=6, mtime=0)
    # write beside the target and rename, so a reader never sees half a file
    fd, tmp = tempfile.mkstemp(dir=target.parent or Path(), prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def load(cls: type[Rulebook], path: str | os.PathLike[str]) -> Rulebook:
    source = os.fspath(path)
    try:
        with open(source, "rb") as raw:
            head = raw.read(2)
            raw.seek(0)
            blob = gzip.GzipFile(fileobj=raw).read() if head == GZIP_MAGIC else raw.read()
    except (OSError, EOFError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise DataError(f"cannot read rulebook: {reason}", source=source) from None
    try:
        data: Any = json.loads(blob)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"not a rulebook JSON file ({exc})", source=source) from None
    except RecursionError:
        raise DataError("not a rulebook JSON file (nested too deeply)", source=source) from None
    del blob
    try:
        with _gc_paused():
            return cls.from_dict(data)
    except DataError as exc:
        raise DataError(exc.message, path=exc.path, source=source) from None
