"""Format detection reads an XML head's prolog in one forward pass.

The earlier prolog pattern backtracked exponentially on runs of processing instructions,
comments or DOCTYPEs (a 144-byte file took 9 s, 240 bytes would take days) and
quadratically on an unclosed tag. These heads must come back at once: with the old
pattern, this module would never finish.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tradecontrol import lists
from tradecontrol.errors import DataError
from tradecontrol.lists._intl_common import xml_root

HOSTILE = [
    b"<?x ?>" * 400,
    b"<!---->" * 400,
    b"<!DOCTYPE a [ ] >" * 400,
    b"<" + b"a" * 65535,
    b"<?xml version='1.0'?>" + b"<!-- -->" * 300 + b"<a " + b"b" * 60000,
]


@pytest.mark.parametrize("head", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_heads_are_not_a_root(head: bytes, tmp_path: Path) -> None:
    assert xml_root(head) is None
    path = tmp_path / "hostile.xml"
    path.write_bytes(head)
    with pytest.raises(DataError, match="not a list format"):
        lists.load(path)


@pytest.mark.parametrize(
    ("head", "root"),
    [
        (b'<?xml version="1.0"?>\n<sdnList xmlns="u">', ("sdnList", ' xmlns="u"')),
        (b"\xef\xbb\xbf<!-- c --> <export a='1'>", ("export", " a='1'")),
        (b'<!DOCTYPE x [ <!ENTITY a "b"> ]>\n<x:Root xmlns:x="n">', ("x:Root", ' xmlns:x="n"')),
        (b"<!DOCTYPE html>\n<html lang=en>", ("html", " lang=en")),
        (b"\xff\xfe" + "<?xml?><a>".encode("utf-16-le"), ("a", "")),
        (b"<?xml version='1.0'", None),
        (b"<!-- open", None),
        (b"<!DOCTYPE x [ <!ENTITY a 'b'>", None),
        (b"no xml", None),
    ],
)
def test_prolog_is_skipped(head: bytes, root: tuple[str, str] | None) -> None:
    found = xml_root(head)
    assert (found[:2] if found else None) == root
