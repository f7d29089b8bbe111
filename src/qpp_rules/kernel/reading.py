"""How a converter reads and reports: a :class:`Style` (what the JSON and the policy-file
variants of :mod:`qpp_rules.kernel.convert` do differently) and the one error walker,
:func:`problems`, turning cattrs' exception groups into ``(path, message)`` pairs.

>>> [(where, text) for _, where, text in problems(KeyError("x"), int, Style(), "$.x")]
[('$.x', 'required field missing')]
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Literal

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from qpp_rules.errors import InvalidInput, shown

__all__ = ["Style", "json_type", "problems", "report"]


def json_type(value: Any) -> str:
    """The JSON name of a value's type, for messages (never the value: it may be a TIN).

    >>> json_type(None), json_type(True), json_type(2.5), json_type("x"), json_type({})
    ('null', 'a boolean', 'a number', 'text', 'an object')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple | set | frozenset):
        return "a list"
    return type(value).__name__


_JSON_WORDS: Mapping[str, str] = {
    "str": "text; got {got}",
    "bool": "true or false; got {got}",
    "int": "a whole number; got {got}",
    "float": "a number; got {got}",
    "amount": 'an amount as text, e.g. "90000"; got {got}',
    "not amount": 'an amount as text, e.g. "90000" or "90000.50"',
    "instant": "an ISO 8601 date and time (text); got {got}",
    "not instant": "an ISO 8601 date and time with its UTC offset, e.g. 2019-07-01T17:00:00-04:00",
    "enum": "one of {allowed}; got {got} that is none of them",
    "list": "a list; got {got}",
    "duplicate": "listed twice: {value}",
    "mapping": "an object (or a list of [key, value] pairs); got {got}",
    "object": "an object with the fields {fields}; got {got}",
    "unknown": "unknown fields: {keys}",
    "missing": "required field missing",
}


@attrs.frozen
class Style:
    """What differs between the variants built on :func:`configure`: where paths start
    (``root``), the words of messages (``words``, templates by kind of mismatch), how a value
    is described in them (``describe``), whether a naive date-time is read as Eastern wall-clock
    time (``naive="eastern"``, a TOML file's local date-time) or refused (``"refuse"``),
    whether money may come as a float, a collection from any iterable or only a list, a set
    refuses an item listed twice, an empty table reads as None for an optional object (TOML
    has no null), a mapping key is written ``['key']`` (JSON) or ``.key`` (a data file), an
    unknown key is reported per key (``unknown="each"``) and a field an error names outside
    the object is joined to the path (``"join"``) or kept in the message (``"message"``), and
    any other error is told in cattrs' words (``other="cattrs"``) or its own.

    >>> Style().root, Style(root="").root
    ('$', '')
    """

    root: str = "$"
    words: Mapping[str, str] = _JSON_WORDS
    describe: Callable[[Any], str] = json_type
    naive: Literal["refuse", "eastern"] = "refuse"
    float_money: bool = True
    any_iterable: bool = True
    duplicates: bool = False
    empty_is_none: bool = False
    keys: Literal["bracket", "dot"] = "bracket"
    unknown: Literal["all", "each"] = "all"
    outside: Literal["message", "join"] = "message"
    other: Literal["cattrs", "text"] = "cattrs"

    def say(self, word: str, value: Any = None, **extra: Any) -> str:
        """The message for a mismatch of kind ``word`` about ``value``."""
        return self.words[word].format(got=self.describe(value), value=shown(value), **extra)

    def join(self, path: str, part: Any, attribute: bool) -> str:
        """``path`` extended by an attribute name, an index or a mapping key."""
        if isinstance(part, int) and not isinstance(part, bool):
            return f"{path}[{part}]"
        name = str(getattr(part, "value", part))  # an enum key as the data writes it
        if attribute or self.keys == "dot":
            return f"{path}.{name}" if path else name
        return f"{path}[{name!r}]"


def _origin(kind: Any) -> Any:
    return typing.get_origin(kind) or kind


def _is_attrs(kind: Any) -> bool:
    origin = _origin(kind)
    return isinstance(origin, type) and attrs.has(origin)


def _name(kind: Any) -> str:
    return getattr(kind, "__name__", None) or repr(kind)


# ---------------------------------------------------------------------------------------------
# The one error walker
# ---------------------------------------------------------------------------------------------
def _locate(path: str, field: str, kind: Any, style: Style) -> tuple[str, str | None]:
    """The path of a field an error names while ``path`` (of type ``kind``) is built; the
    field is kept for the message when it is not below ``path``."""
    if not field or field == path:
        return path, None
    if field.startswith("$"):  # already a path (a nested converter call)
        return path + field[1:], None
    if path and field.startswith(f"{path}."):  # a check naming its full path
        return field, None
    if _is_attrs(kind):
        parts = field.split(".")
        tail = path.rpartition(".")[2].partition("[")[0]
        if len(parts) > 1 and parts[0] == tail:  # the class's own prefix
            parts = parts[1:]
        if parts[0] in attrs.fields_dict(_origin(kind)):
            return ".".join([path, *parts]) if path else ".".join(parts), None
    if style.outside == "join":
        return style.join(path, field, attribute=True), None
    return path, field


def problems(error: BaseException, kind: Any, style: Style,
             path: str = "$") -> list[tuple[InvalidInput, str, str]]:
    """Every failure in a structuring error, walked through cattrs' exception groups: the
    error (an ``InvalidInput`` for each), its path as ``style`` writes it, its message.

    >>> found = problems(KeyError("x"), int, Style(), "$.x")
    >>> [(where, text) for _, where, text in found]
    [('$.x', 'required field missing')]
    """
    if isinstance(error, ClassValidationError | IterableValidationError):
        found: list[tuple[InvalidInput, str, str]] = []
        with_notes, without = error.group_exceptions()
        for inner, note in with_notes:
            attribute = isinstance(note, AttributeValidationNote)
            part = note.name if isinstance(note, AttributeValidationNote) else note.index
            found += problems(inner, note.type, style, style.join(path, part, attribute))
        for inner in without:
            found += problems(inner, kind, style, path)
        return found
    plain = InvalidInput("", "")
    if isinstance(error, ForbiddenExtraKeysError):
        keys = sorted(error.extra_fields)
        if style.unknown == "each":
            return [(plain, style.join(path, key, True), style.say("unknown")) for key in keys]
        return [(plain, path, style.say("unknown", keys=", ".join(keys)))]
    if isinstance(error, InvalidInput):
        located = []
        for field, message in error.problems:
            where, outside = _locate(path, field, kind, style)
            located.append((error, where, f"{outside}: {message}" if outside else message))
        return located
    if isinstance(error, TypeError) and len(error.args) >= 3 and isinstance(
        error.args[1], attrs.Attribute
    ):  # an attrs validator (instance_of): name the field, never echo the value
        where = style.join(path, error.args[1].name, True)
        return [(plain, where, f"must be {_name(error.args[2])}")]
    if isinstance(error, KeyError):
        return [(plain, path, style.say("missing"))]
    if style.other == "text" and isinstance(error, TypeError | ValueError):
        return [(plain, path, str(error))]
    return [(plain, path, cattrs.v.format_exception(error, kind))]


def report(found: list[tuple[str, str]]) -> tuple[str, str]:
    """The first problem's path, and a message carrying the others too.

    >>> report([("$.a", "missing"), ("$.b", "text")])
    ('$.a', 'missing (and 1 more: $.b: text)')
    """
    field, message = found[0]
    others = [f"{where or '(top)'}: {what}" for where, what in found[1:]]
    if others:
        message += f" (and {len(others)} more: {'; '.join(others)})"
    return field, message
