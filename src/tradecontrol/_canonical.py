"""The canonical-JSON mixin shared by the public value objects (internal)."""

from __future__ import annotations

from typing import Any, Self


class CanonicalJSON:
    """Adds :meth:`from_dict` and :meth:`to_dict` (canonical JSON, DESIGN.md §4)."""

    __slots__ = ()

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Build from a canonical JSON object (as parsed by :func:`json.loads`).

        Unknown keys are an error; decimals may be strings or numbers; percentages 0–100.

        Raises:
            InvalidInputError: Naming the JSON path of the first bad field
                (``parties[1].entity.country: 'XX' is not an ISO 3166 code``); its
                ``problems`` attribute lists every ``(path, message)`` found.
        """
        from tradecontrol._json import structure

        return structure(data, cls)

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON object; defaults and empty lists are left out.

        ``from_dict(x.to_dict()) == x`` for every value object.
        """
        from tradecontrol._json import unstructure

        out: dict[str, Any] = unstructure(self)
        return out
