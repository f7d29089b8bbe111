"""The exception tree of ``qpp_rules``.

Exceptions are for input that is malformed: a bad identifier, a naive datetime, an unknown
year, a policy file that does not load. A refusal by a rule is a value (a
:class:`~qpp_rules.decisions.Decision`), never an exception.

Every error names the field it is about (``.field``, a dotted or JSON path) and never carries
a TIN unmasked: callers build messages with :func:`mask` for anything that may be a TIN.

>>> from qpp_rules import TIN, InvalidIdentifier
>>> try:
...     TIN("12-3456789012")
... except InvalidIdentifier as error:
...     print(error)
tin: a TIN has exactly 9 digits; got 12 ('********9012')
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "InvalidChecksum",
    "InvalidFormat",
    "InvalidIdentifier",
    "InvalidInput",
    "InvalidLength",
    "NaiveDateTime",
    "PolicyConflict",
    "PolicyError",
    "PolicyFileError",
    "QppRulesError",
    "UnknownPolicyYear",
    "mask",
]


def mask(text: object, *, keep: int = 4) -> str:
    """Mask a value that may be a TIN (or a Social Security number): only the last ``keep``
    characters stay visible, every other character becomes ``*``.

    >>> mask("000765630")
    '*****5630'
    >>> mask("12")
    '**'
    """
    shown = str(text)
    if len(shown) <= keep:
        return "*" * len(shown)
    return "*" * (len(shown) - keep) + shown[-keep:]


class QppRulesError(Exception):
    """The root of every error this library raises on purpose."""


class InvalidInput(QppRulesError, ValueError):
    """Input that is malformed: the message names the field (a path) and what was wrong.

    ``field`` is the path of the offending field (``"organization.tin"``, ``"$.data.npi"``).
    ``problems`` lists every failing ``(path, message)`` when several fields failed at once.
    """

    def __init__(
        self,
        field: str,
        message: str,
        *,
        problems: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.field = field
        self.message = message
        self.problems = problems or ((field, message),)
        super().__init__(f"{field}: {message}" if field else message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.field, self.message), self.__dict__)


class InvalidIdentifier(InvalidInput):
    """An identifier (TIN, NPI, PTAN, ...) that is not valid."""


class InvalidFormat(InvalidIdentifier):
    """The identifier holds characters it may not hold."""


class InvalidLength(InvalidIdentifier):
    """The identifier has the wrong number of characters."""


class InvalidChecksum(InvalidIdentifier):
    """The identifier's check digit does not match (an NPI's Luhn digit)."""


class NaiveDateTime(InvalidInput):
    """A datetime without a time zone: the rules decide on instants, never on wall-clock
    readings whose zone is unknown."""


class PolicyError(QppRulesError):
    """A policy year that cannot be had: unknown, provided twice, or not loadable."""


class UnknownPolicyYear(PolicyError, LookupError):
    """No installed provider knows this performance year."""

    def __init__(self, year: object, known: tuple[int, ...], detail: str = "") -> None:
        self.year = year
        self.known = known
        self.detail = detail
        text = f"no policy for performance year {year!r}; known years: {', '.join(map(str, known))}"
        super().__init__(text + (f"; {detail}" if detail else ""))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.year, self.known, self.detail), self.__dict__)


class PolicyConflict(PolicyError):
    """Two providers offer the same performance year: an error, never a silent override."""

    def __init__(self, year: int, providers: tuple[str, ...]) -> None:
        self.year = year
        self.providers = providers
        super().__init__(
            f"performance year {year} is provided by more than one plug-in: "
            + " and ".join(providers)
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.year, self.providers), self.__dict__)


class PolicyFileError(PolicyError):
    """A policy data file (or plug-in) that does not load: names the file and the field."""

    def __init__(self, source: str, field: str, message: str) -> None:
        self.source = source
        self.field = field
        self.message = message
        super().__init__(f"{source}: {field}: {message}" if field else f"{source}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source, self.field, self.message), self.__dict__)
