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

import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "ImpossibleEvent",
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
    "UnknownPolicyValue",
    "UnknownPolicyYear",
    "mask",
    "mask_tins",
    "masked_repr",
    "shown",
]

_T = TypeVar("_T")


def _characters(name: str, count: object, least: int) -> None:
    if isinstance(count, bool) or not isinstance(count, int) or count < least:
        raise InvalidInput(name, f"a whole number of characters, at least {least}; got "
                           f"{type(count).__name__}")


def _rendered(value: object, render: Callable[[object], str]) -> str:
    """``render(value)``, or the value's type where rendering fails (RecursionError, an int
    too long to print, a broken ``__str__``/``__repr__``)."""
    try:
        return render(value)
    except Exception:
        return f"<{type(value).__name__}>"


def mask(text: object, *, keep: int = 4) -> str:
    """Mask a value that may be a TIN (or a Social Security number): only the last ``keep``
    characters stay visible, every other character becomes ``*``.

    >>> mask("000765630")
    '*****5630'
    >>> mask("12")
    '**'
    """
    _characters("keep", keep, 0)
    shown = _rendered(text, str)
    if len(shown) <= keep:
        return "*" * len(shown)
    return "*" * (len(shown) - keep) + shown[-keep:]


# Nine digits (any script's digits, each perhaps with combining marks), written in any layout
# the TIN type accepts (NNNNNNNNN, NN-NNNNNNN, the Social Security layout NNN-NN-NNNN or
# NNN NN NNNN, or any other grouping by spaces and hyphens), not part of a longer number: what
# may be a TIN in a message. A run of digits groups joined by separators is a *chain*; any
# consecutive groups of a chain holding nine digits in all may be a TIN (a year written
# before a TIN, "2019 000765630", does not hide it), while one group of ten or more digits (an
# NPI) is a longer number.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff"
_SEPARATOR = r"[\s\-\u2010-\u2015\u2212\ufe63\uff0d]"
_DIGIT = rf"\d[{_MARKS}]*"
_CHAIN = re.compile(rf"{_DIGIT}(?:{_SEPARATOR}*{_DIGIT}){{8,}}")
_GROUP = re.compile(rf"(?:{_DIGIT})+")
_MARK = re.compile(rf"[{_MARKS}]")


def _mask_chain(match: re.Match[str]) -> str:
    chain = match.group(0)
    groups = [(found.start(), found.end(), len(_MARK.sub("", found.group(0))))
              for found in _GROUP.finditer(chain)]
    spans: list[list[int]] = []
    for first in range(len(groups)):
        digits = 0
        for last in range(first, len(groups)):
            digits += groups[last][2]
            if digits >= 9:
                break
        if digits == 9:
            start, end = groups[first][0], groups[last][1]
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(end, spans[-1][1])
            else:
                spans.append([start, end])
    if not spans:
        return chain
    parts, done = [], 0
    for start, end in spans:
        parts += [chain[done:start], mask(chain[start:end])]
        done = end
    return "".join(parts) + chain[done:]


def mask_tins(text: str) -> str:
    """``text`` with everything shaped like a TIN masked to its last four characters: nine
    digits in any layout the :class:`~qpp_rules.TIN` type accepts (``000765630``,
    ``00-0765630``, the Social Security layouts ``123-45-6789`` and ``123 45 6789``), in any
    script's digits. Every error message, ``Reason`` and free-text repr goes through it, so
    that a TIN typed in the wrong place never shows in one.

    >>> mask_tins("got '00-0765630' and 000765630; NPI 1234567893 stays")
    "got '******5630' and *****5630; NPI 1234567893 stays"
    >>> mask_tins("SSN 123-45-6789, or 123 45 6789; PY 2019 000765630")
    'SSN *******6789, or *******6789; PY 2019 *****5630'
    """
    if not isinstance(text, str):
        raise InvalidInput("text", f"text to mask; got {type(text).__name__}")
    return _CHAIN.sub(_mask_chain, text)


def shown(value: object, limit: int = 80) -> str:
    """A value as a message may show it: its ``repr`` with anything shaped like a TIN masked,
    shortened to about ``limit`` characters. Never raises on any value: one whose ``repr`` fails (a
    list nested past the recursion limit, a whole number too long to print) shows as its
    type.

    >>> shown("000765630"), shown(10**5000), shown("x" * 100, limit=10)
    ("'*****5630'", '<int>', "'xxxxxx...")
    """
    _characters("limit", limit, 1)
    text = mask_tins(_rendered(value, repr))
    return text if len(text) <= limit else text[: max(limit - 3, 1)] + "..."


def masked_repr(cls: type[_T]) -> type[_T]:
    """Class decorator: the ``repr`` (and the ``str``, when the class writes its own) of a
    value holding free text a caller typed (an organization or contact name, an address, a
    user) with everything shaped like a TIN masked (:func:`mask_tins`). The value keeps the
    caller's text; only its rendering is masked. With :func:`mask_tins` in the library's
    other renderings (``Reason`` messages, summaries, errors), the one way free text shows.

    >>> import attrs
    >>> @masked_repr
    ... @attrs.frozen
    ... class Clinic:
    ...     name: str
    >>> clinic = Clinic("Dr Lee 123-45-6789")
    >>> clinic, str(clinic), clinic.name
    (Clinic(name='Dr Lee *******6789'), "Clinic(name='Dr Lee *******6789')", 'Dr Lee 123-45-6789')
    """
    if not isinstance(cls, type):
        raise InvalidInput("cls", f"a class to decorate; got {type(cls).__name__}")
    try:
        for name in ("__repr__", "__str__"):
            if name == "__repr__" or name in vars(cls):
                setattr(cls, name, _masking(getattr(cls, name), f"{cls.__qualname__}.{name}"))
    except TypeError:  # a built-in or otherwise immutable type
        raise InvalidInput("cls", f"a class of your own; {cls.__name__} cannot be changed") \
            from None
    return cls


def _masking(render: Callable[[Any], str], qualname: str) -> Callable[[Any], str]:
    def masked(self: Any) -> str:
        return mask_tins(render(self))

    masked.__qualname__ = masked.__name__ = qualname
    return masked


_CONTEXT: Any = vars(BaseException)["__context__"]  # the slot Python fills on raise


class QppRulesError(Exception):
    """The root of every error this library raises on purpose. Its text never shows a TIN
    unmasked (:func:`mask_tins`).

    Nor does its chain: raised while another exception was being handled (a ``ValueError``
    whose text quotes the caller's value), it does not keep that exception as its
    ``__context__`` (only another ``QppRulesError``, whose text is masked too), and the
    traceback printer never shows it.

    >>> str(QppRulesError("TIN 000765630 refused"))
    'TIN *****5630 refused'
    >>> issubclass(InvalidInput, QppRulesError), issubclass(PolicyError, QppRulesError)
    (True, True)
    >>> try:
    ...     try:
    ...         int("123-45-6789")
    ...     except ValueError:
    ...         raise QppRulesError("not a number")
    ... except QppRulesError as error:
    ...     print(error.__context__)
    None
    """

    def __init__(self, *args: object) -> None:
        super().__init__(*(mask_tins(arg) if isinstance(arg, str) else arg for arg in args))
        handled = sys.exc_info()[1]
        if handled is not None and not isinstance(handled, QppRulesError):
            self.__suppress_context__ = True  # what Python's own printer honours

    @property
    def __context__(self) -> BaseException | None:
        """The exception being handled when this one was raised, if it is a QppRulesError;
        any other is dropped (its text may hold the caller's raw value)."""
        context = _CONTEXT.__get__(self)
        if context is None or isinstance(context, QppRulesError):
            return context
        _CONTEXT.__set__(self, None)
        return None

    @__context__.setter
    def __context__(self, value: BaseException | None) -> None:
        _CONTEXT.__set__(self, value)


class InvalidInput(QppRulesError, ValueError):
    """Input that is malformed: the message names the field (a path) and what was wrong.

    ``field`` is the path of the offending field (``"organization.tin"``, ``"$.data.npi"``).
    ``problems`` lists every failing ``(path, message)`` when several fields failed at once.

    >>> error = InvalidInput("organization.tin", "not a TIN: 000765630")
    >>> error.field, str(error)
    ('organization.tin', 'organization.tin: not a TIN: *****5630')
    >>> error.problems
    (('organization.tin', 'not a TIN: *****5630'),)
    >>> isinstance(error, ValueError)
    True
    """

    def __init__(
        self,
        field: str,
        message: str,
        *,
        problems: tuple[tuple[str, str], ...] = (),
    ) -> None:
        if isinstance(field, str):
            field = mask_tins(field)
        if isinstance(message, str):
            message = mask_tins(message)
        self.field = field
        self.message = message
        self.problems = tuple(
            (mask_tins(where), mask_tins(what)) if isinstance(where, str) and
            isinstance(what, str) else (where, what)
            for where, what in problems
        ) or ((field, message),)
        super().__init__(f"{field}: {message}" if field else message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.field, self.message), self.__dict__)


class InvalidIdentifier(InvalidInput):
    """An identifier (TIN, NPI, PTAN, ...) that is not valid.

    >>> from qpp_rules import NPI
    >>> try:
    ...     NPI("123")
    ... except InvalidIdentifier as error:
    ...     print(type(error).__name__, error.field)
    InvalidLength npi
    """


class InvalidFormat(InvalidIdentifier):
    """The identifier holds characters it may not hold.

    >>> from qpp_rules import TIN
    >>> TIN("12-34a6789")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidFormat: tin: a TIN has digits only ('*****6789')
    """


class InvalidLength(InvalidIdentifier):
    """The identifier has the wrong number of characters.

    >>> from qpp_rules import TIN
    >>> TIN("12345")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidLength: tin: a TIN has exactly 9 digits; got 5 ('*2345')
    """


class InvalidChecksum(InvalidIdentifier):
    """The identifier's check digit does not match (an NPI's Luhn digit).

    >>> from qpp_rules import NPI
    >>> NPI.is_valid("1234567890"), NPI.is_valid("1234567893")
    (False, True)
    >>> NPI("1234567890")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidChecksum: npi: the NPI check digit does not match ('******7890')
    """


class NaiveDateTime(InvalidInput):
    """A datetime without a time zone: the rules decide on instants, never on wall-clock
    readings whose zone is unknown.

    >>> import datetime
    >>> from qpp_rules.time import instant
    >>> try:
    ...     instant(datetime.datetime(2019, 4, 1), "opens")
    ... except NaiveDateTime as error:
    ...     print(error.field)
    opens
    """


class ImpossibleEvent(InvalidInput):
    """An event that the domain's ``decide`` could not have produced from the state it is
    applied to (a forged or corrupted event log): ``evolve`` and ``replay`` refuse it, naming
    the event's field and the rule it breaks. The state is left as it was.

    >>> issubclass(ImpossibleEvent, InvalidInput)
    True
    >>> print(ImpossibleEvent("event.by", "nobody approves their own request (ACC-SO-2)"))
    event.by: nobody approves their own request (ACC-SO-2)
    """


class PolicyError(QppRulesError):
    """A policy year that cannot be had: unknown, provided twice, or not loadable.

    >>> from qpp_rules import policy_for
    >>> try:
    ...     policy_for(1999)
    ... except PolicyError as error:
    ...     print(type(error).__name__)
    UnknownPolicyYear
    """


class UnknownPolicyYear(PolicyError, LookupError):
    """No installed provider knows this performance year.

    >>> from qpp_rules import policy_for
    >>> try:
    ...     policy_for(1999)
    ... except UnknownPolicyYear as error:
    ...     print(error.year, isinstance(error, LookupError))
    1999 True
    """

    def __init__(self, year: object, known: tuple[int, ...], detail: str = "") -> None:
        self.year = year
        self.known = known
        self.detail = detail
        text = f"no policy for performance year {shown(year)}; known years: " + ", ".join(
            map(str, known)
        )
        super().__init__(text + (f"; {detail}" if detail else ""))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.year, self.known, self.detail), self.__dict__)


class PolicyConflict(PolicyError):
    """Two providers offer the same performance year: an error, never a silent override.

    >>> print(PolicyConflict(2019, ("builtin", "acme")))
    performance year 2019 is provided by more than one plug-in: builtin and acme
    """

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
    """A policy data file (or plug-in) that does not load: names the file and the field.

    >>> error = PolicyFileError("py2019.toml", "registration.cahps_min_clinicians", "expected int")
    >>> error.source, error.field
    ('py2019.toml', 'registration.cahps_min_clinicians')
    >>> print(error)
    py2019.toml: registration.cahps_min_clinicians: expected int
    """

    def __init__(self, source: str, field: str, message: str) -> None:
        source, field, message = (
            mask_tins(text) if isinstance(text, str) else text for text in (source, field, message)
        )
        self.source = source
        self.field = field
        self.message = message
        super().__init__(f"{source}: {field}: {message}" if field else f"{source}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source, self.field, self.message), self.__dict__)


class UnknownPolicyValue(PolicyError, LookupError):
    """A rule needs a policy value that no public source read gives for the year: the
    value is unknown (``None`` in the year's table), never borrowed from another year.
    ``year``, ``path`` (the value's dotted path) and ``rule`` (the rule that needs it).

    >>> error = UnknownPolicyValue(2022, "registration.window", "REG-WIN-1")
    >>> print(error)
    PY2022: registration.window is not known (no public source read gives it); REG-WIN-1 \
needs it, so this is not decided
    >>> error.path, error.rule
    ('registration.window', 'REG-WIN-1')
    """

    def __init__(self, year: int, path: str, rule: str) -> None:
        self.year = year
        self.path = path
        self.rule = rule
        super().__init__(
            f"PY{year}: {path} is not known (no public source read gives it); {rule} needs "
            "it, so this is not decided"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.year, self.path, self.rule), self.__dict__)
