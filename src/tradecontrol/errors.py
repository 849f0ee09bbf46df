"""Exception hierarchy.

Every error the library raises derives from :class:`TradeControlError`. Errors about input
carry the JSON path of the offending field (``parties[1].entity.country``) and, when the
input came from a file, the file name and line number.

Example:
    >>> from tradecontrol.errors import InvalidInputError
    >>> err = InvalidInputError("'XX' is not an ISO 3166 code", path="parties[1].entity.country")
    >>> str(err)
    "parties[1].entity.country: 'XX' is not an ISO 3166 code"
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "InvalidInputError",
    "TradeControlError",
    "UnknownLicenseError",
]


class TradeControlError(Exception):
    """Base class of every error raised by tradecontrol.

    Args:
        message: What is wrong, in one sentence.
        path: JSON path of the offending field (``items[0].eccn``), or ``""``.
        source: File name (or ``"-"`` for standard input) the input came from, or ``""``.
        line: 1-based line number in ``source``, or ``None``.

    Example:
        >>> from tradecontrol import Jurisdiction
        >>> try:
        ...     Jurisdiction("XX")
        ... except TradeControlError as exc:
        ...     print(exc)
        'XX' is not an ISO 3166 code
    """

    def __init__(
        self, message: str, *, path: str = "", source: str = "", line: int | None = None
    ) -> None:
        self.message = message
        self.path = path
        self.source = source
        self.line = line
        super().__init__(str(self))

    def located(self, *, source: str = "", line: int | None = None) -> TradeControlError:
        """Return a copy of this error that also names the file and line.

        Args:
            source: File name, ``"-"`` for standard input.
            line: 1-based line number.

        Returns:
            A new error of the same class.
        """
        return type(self)(self.message, path=self.path, source=source, line=line)

    def __str__(self) -> str:
        where = ""
        if self.source:
            where = f"{self.source}:"
        if self.line is not None:
            where += f"line {self.line}: " if not self.source else f"{self.line}: "
        elif where:
            where += " "
        field = f"{self.path}: " if self.path else ""
        return f"{where}{field}{self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.message, self.path, self.source, self.line))


def _rebuild(
    cls: type[TradeControlError], message: str, path: str, source: str, line: int | None
) -> TradeControlError:
    return cls(message, path=path, source=source, line=line)


class InvalidInputError(TradeControlError, ValueError):
    """A transaction, licence, listing or option is malformed (bad type, code, date, key).

    Example:
        >>> from tradecontrol import Transaction
        >>> try:
        ...     Transaction.from_dict({"id": "T", "date": "2019-05-17T10:00"})
        ... except InvalidInputError as exc:
        ...     print(exc.path, "|", exc.message)
        date | '2019-05-17T10:00' has no time zone; give a date or a datetime with an offset
    """


class DataError(TradeControlError, ValueError):
    """Bundled or loaded rulebook data is malformed or inconsistent.

    Example:
        >>> from tradecontrol import Rulebook
        >>> try:
        ...     Rulebook.from_dict({"format": "pickle"})
        ... except DataError as exc:
        ...     print(exc)
        not a rulebook: 'format' must be 'tradecontrol.rulebook'
    """


class UnknownLicenseError(TradeControlError, KeyError):
    """A transaction names a licence id that the rulebook does not hold.

    Example:
        >>> from tradecontrol import Rulebook
        >>> try:
        ...     Rulebook.default().license("D999")
        ... except UnknownLicenseError as exc:
        ...     print(exc)
        no licence 'D999' in rulebook tradecontrol-default
    """

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return TradeControlError.__str__(self)
