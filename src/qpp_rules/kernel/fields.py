"""One way to validate fields: shared attrs validators and converters that name the field.

Every value type of the library is a frozen attrs class whose fields are checked on
construction. The checks here build the field path themselves, from the class's prefix and
the attribute's name (``organization.tin``, ``contact.email``), so a domain writes each field
once and never a private helper per field::

    @attrs.frozen
    class Contact:
        __field_prefix__ = "contact"           # optional: the class name in snake case
        email: str = attrs.field(validator=fields.text())
        extension: str | None = attrs.field(default=None, validator=fields.text(optional=True))
        tins: tuple[TIN, ...] = attrs.field(
            default=(), converter=fields.tuple_of(TIN, convert=True)  # type: ignore[misc]
        )

Validators run after conversion and raise :class:`~qpp_rules.InvalidInput` naming the path
and showing the value masked (it may be a TIN). Converters are ``attrs.Converter`` objects
that receive the instance and the field, so their errors name the path too; mypy's attrs
plugin does not read such converters (``# type: ignore[misc]`` on the field), and then
accepts any value for the parameter, as the converter does. Hand-written checks are left for
rules across fields (in ``__attrs_post_init__``).

>>> import attrs
>>> @attrs.frozen
... class Sample:
...     count: int = attrs.field(validator=whole(minimum=0))
...     name: str = attrs.field(default="x", validator=text())
>>> Sample(-1)
Traceback (most recent call last):
  ...
qpp_rules.errors.InvalidInput: sample.count: a whole number, at least 0; got -1
>>> Sample(2, name=123)
Traceback (most recent call last):
  ...
qpp_rules.errors.InvalidInput: sample.name: text; got int 123
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from qpp_rules.errors import InvalidInput, shown

__all__ = [
    "a_or_an",
    "converted",
    "field_path",
    "flag",
    "frozenset_of",
    "instance_of",
    "moment",
    "rename",
    "sequence_of",
    "text",
    "tuple_of",
    "whole",
    "year",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")
# Acronyms said letter by letter take "an" before a letter whose name starts with a vowel
# sound (an NPI, an APM, an SSN); these are said as words (a MIPS clinician, a PTAN).
_SPOKEN = frozenset({"CAHPS", "MIPS", "PTAN", "QPP"})
_LETTER_VOWELS = "AEFHILMNORSX"
_CONSONANT_SOUND = ("uni", "use", "usu", "uti", "one", "eu")
_VOWEL_SOUND = ("hour", "honest", "honor", "heir")


def a_or_an(noun: str) -> str:
    """``noun`` after the indefinite article it takes (the one way a message writes "a X"
    for a name that varies: a type, an organization type, a role, an identifier): "an"
    before a vowel sound, "a" otherwise; an acronym said letter by letter (``NPI``, ``APM``)
    by its first letter's name.

    >>> [a_or_an(noun) for noun in ("Practice", "APM Entity", "int", "object", "OrgType",
    ...                              "TIN", "NPI", "MIPS clinician", "user", "hour")]
    ['a Practice', 'an APM Entity', 'an int', 'an object', 'an OrgType', 'a TIN', 'an NPI', \
'a MIPS clinician', 'a user', 'an hour']
    """
    text = str(noun)
    word = re.split(r"[\s\-_/,.;:()'\"]", text.strip(), maxsplit=1)[0]
    article = "a"
    if len(word) > 1 and word.isupper() and word not in _SPOKEN:
        article = "an" if word[0] in _LETTER_VOWELS else "a"
    elif word:
        lower = word.lower()
        if lower.startswith(_VOWEL_SOUND) or (
                lower[0] in "aeiou" and not lower.startswith(_CONSONANT_SOUND)):
            article = "an"
    return f"{article} {text}"


def _prefix(cls: type) -> str:
    found = getattr(cls, "__field_prefix__", None)
    if isinstance(found, str):
        return found
    return _SNAKE.sub("_", cls.__name__).lower()


def field_path(instance: object, attribute: attrs.Attribute[Any] | str) -> str:
    """The path an error names: the class's prefix (its ``__field_prefix__``, else its name in
    snake case; an empty prefix names the field alone) and the attribute's name.

    >>> import attrs
    >>> @attrs.frozen
    ... class ChangeSize:
    ...     size: int
    >>> field_path(ChangeSize(1), attrs.fields(ChangeSize).size)
    'change_size.size'
    """
    name = attribute if isinstance(attribute, str) else attribute.name
    prefix = _prefix(type(instance))
    return f"{prefix}.{name}" if prefix else name


def rename(error: InvalidInput, path: str) -> InvalidInput:
    """``error`` (an ``InvalidInput`` or subclass raised for a bare field such as ``tin``) as
    the same kind of error naming ``path`` instead; its other problems keep their paths.

    >>> from qpp_rules import TIN, InvalidIdentifier
    >>> try:
    ...     TIN("12")
    ... except InvalidIdentifier as error:
    ...     print(rename(error, "organization.tin"))
    organization.tin: a TIN has exactly 9 digits; got 2 ('**')
    """
    try:
        renamed = type(error)(path, error.message)
    except Exception:  # a subclass with another constructor
        renamed = InvalidInput(path, error.message)
    return renamed


def _names(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, type):
        return kind.__name__
    return " or ".join(k.__name__ for k in kind)


def instance_of(kind: type | tuple[type, ...], *, optional: bool = False) -> Validator:
    """A validator: the value is an instance of ``kind`` (``None`` too when ``optional``); a
    bool is never taken for a number or an enum.

    >>> import attrs, enum
    >>> class Colour(enum.Enum):
    ...     RED = "red"
    >>> @attrs.frozen
    ... class Paint:
    ...     colour: Colour = attrs.field(validator=instance_of(Colour))
    >>> Paint("red")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: paint.colour: a Colour; got str 'red'
    """

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
            return
        raise InvalidInput(
            field_path(instance, attribute),
            f"{a_or_an(_names(kind))}{' or None' if optional else ''}; "
            f"got {type(value).__name__} {shown(value, 60)}",
        )

    return check


def flag() -> Validator:
    """A validator: ``True`` or ``False``, nothing else (not 0, 1 or ``"yes"``).

    >>> import attrs
    >>> @attrs.frozen
    ... class Cancel:
    ...     confirmed: bool = attrs.field(validator=flag())
    >>> Cancel(1)
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: cancel.confirmed: True or False; got int 1
    """

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, bool):
            raise InvalidInput(
                field_path(instance, attribute),
                f"True or False; got {type(value).__name__} {shown(value, 60)}",
            )

    return check


def text(
    *, optional: bool = False, nonempty: bool = False, min_length: int = 0, limit: int = 10_000
) -> Validator:
    """A validator: text (``str``), ``None`` too when ``optional``, not blank when
    ``nonempty``, at least ``min_length`` and at most ``limit`` characters.

    >>> import attrs
    >>> @attrs.frozen
    ... class Note:
    ...     body: str = attrs.field(validator=text(nonempty=True))
    >>> Note("  ")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: note.body: text that is not blank; got '  '
    """

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            raise InvalidInput(
                field_path(instance, attribute),
                f"text{' or None' if optional else ''}; "
                f"got {type(value).__name__} {shown(value, 60)}",
            )
        if nonempty and not value.strip():
            raise InvalidInput(
                field_path(instance, attribute), f"text that is not blank; got {shown(value)}"
            )
        if len(value) < min_length:
            raise InvalidInput(
                field_path(instance, attribute),
                f"at least {min_length:,} characters; got {shown(value)}",
            )
        if len(value) > limit:
            raise InvalidInput(
                field_path(instance, attribute),
                f"at most {limit:,} characters; got {len(value):,}",
            )

    return check


def year(*, optional: bool = False) -> Validator:
    """A validator: a performance year, a whole number from 1 to 9999 (as every year the
    library reads: ``policy_for``, derived registration IDs).

    >>> import attrs
    >>> @attrs.frozen
    ... class Filed:
    ...     year: int = attrs.field(validator=year())
    >>> Filed(2021).year
    2021
    >>> Filed(10**100)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: filed.year: a whole number, at least 1, at most 9,999; got \
1000000000...
    """
    return whole(minimum=1, maximum=9999, optional=optional)


def whole(
    *, minimum: int | None = None, maximum: int | None = None, optional: bool = False
) -> Validator:
    """A validator: a whole number (not a bool, not a float) within the bounds given.

    >>> import attrs
    >>> @attrs.frozen
    ... class Band:
    ...     clinicians: int | None = attrs.field(validator=whole(minimum=2, optional=True))
    >>> Band(None).clinicians is None, Band(30).clinicians
    (True, 30)
    >>> Band(1.0)
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: band.clinicians: a whole number, at least 2, or None; got \
float 1.0
    """
    bounds = []
    if minimum is not None:
        bounds.append(f"at least {minimum:,}")
    if maximum is not None:
        bounds.append(f"at most {maximum:,}")
    wanted = ", ".join(["a whole number", *bounds]) + (", or None" if optional else "")

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or (minimum is not None and value < minimum)
            or (maximum is not None and value > maximum)
        ):
            raise InvalidInput(
                field_path(instance, attribute),
                f"{wanted}; got {type(value).__name__} {shown(value, 60)}"
                if not isinstance(value, int) or isinstance(value, bool)
                else f"{wanted}; got {shown(value, 60)}",
            )

    return check


def _items(value: Any, path: str, what: str) -> tuple[Any, ...]:
    if isinstance(value, str | bytes | dict) or not isinstance(value, Iterable):
        raise InvalidInput(path, f"{what}; got {type(value).__name__} {shown(value, 60)}")
    try:
        return tuple(value)
    except InvalidInput:
        raise
    except Exception:  # an iterable that fails while iterated
        raise InvalidInput(path, f"{what}; the value could not be read") from None


def _convert_item(
    kind: type | tuple[type, ...],
    convert: Callable[[Any], Any] | None,
    item: Any,
    path: str,
) -> Any:
    if isinstance(item, kind) and (kind in (bool, object) or not isinstance(item, bool)):
        return item
    if convert is not None:
        try:
            return convert(item)
        except InvalidInput as error:
            raise rename(error, path) from None
    raise InvalidInput(path,
                       f"{a_or_an(_names(kind))}; got {type(item).__name__} {shown(item, 60)}")


def sequence_of(value: Any, kind: type | tuple[type, ...], path: str) -> tuple[Any, ...]:
    """A function's own argument checked as :func:`tuple_of` checks a field: ``value``, any
    iterable but text or a mapping, as a tuple whose every item is a ``kind``; otherwise
    InvalidInput naming ``path`` or the item's index.

    >>> sequence_of(iter([1, 2]), int, "counts")
    (1, 2)
    >>> sequence_of([1, "2"], int, "counts")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: counts[1]: an int; got str '2'
    """
    items = _items(value, path, f"a sequence of {_names(kind)}")
    for index, item in enumerate(items):
        _convert_item(kind, None, item, f"{path}[{index}]")
    return items


def tuple_of(
    kind: type | tuple[type, ...],
    *,
    convert: Callable[[Any], Any] | None = None,
    distinct: str | None = None,
) -> Any:
    """A converter: any iterable (not text) to a tuple whose every item is a ``kind``; with
    ``convert``, an item of another type goes through ``convert`` first (e.g. ``TIN``). An
    error names the item's index. With ``distinct``, an item listed twice is refused with
    that message.

    >>> import attrs
    >>> from qpp_rules import TIN
    >>> @attrs.frozen
    ... class Group:
    ...     tins: tuple[TIN, ...] = attrs.field(
    ...         converter=tuple_of(TIN, convert=TIN))  # type: ignore[misc]
    >>> [str(t) for t in Group(["000765630"]).tins]
    ['*****5630']
    >>> Group(["000765630", "12"])
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidLength: group.tins[1]: a TIN has exactly 9 digits; got 2 ('**')
    >>> @attrs.frozen
    ... class Team:
    ...     names: tuple[str, ...] = attrs.field(
    ...         converter=tuple_of(str, distinct="a name is listed twice"))  # type: ignore[misc]
    >>> Team(["ann", "ann"])
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: team.names: a name is listed twice
    """

    def conv(value: Any, instance: Any, attribute: attrs.Attribute[Any]) -> tuple[Any, ...]:
        path = field_path(instance, attribute)
        items = _items(value, path, f"a sequence of {_names(kind)}")
        if not all(type(item) is kind for item in items):
            items = tuple(
                _convert_item(kind, convert, item, f"{path}[{index}]")
                for index, item in enumerate(items)
            )
        if distinct is not None and len(set(items)) != len(items):
            raise InvalidInput(path, distinct)
        return items

    return attrs.Converter(conv, takes_self=True, takes_field=True)


def frozenset_of(
    kind: type | tuple[type, ...], *, convert: Callable[[Any], Any] | None = None
) -> Any:
    """A converter: any iterable (not text) to a frozenset whose every item is a ``kind``
    (through ``convert`` when given).

    >>> import attrs, enum
    >>> class Program(enum.Enum):
    ...     CAHPS = "CAHPS"
    >>> @attrs.frozen
    ... class Held:
    ...     programs: frozenset[Program] = attrs.field(
    ...         converter=frozenset_of(Program, convert=Program))  # type: ignore[misc]
    >>> Held(["CAHPS"]).programs == frozenset({Program.CAHPS})
    True
    >>> Held("CAHPS")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: held.programs: a set of Program; got str 'CAHPS'
    """

    def conv(value: Any, instance: Any, attribute: attrs.Attribute[Any]) -> frozenset[Any]:
        path = field_path(instance, attribute)
        items = _items(value, path, f"a set of {_names(kind)}")
        converted = [
            _convert_item(kind, convert, item, f"{path}[{index}]")
            for index, item in enumerate(items)
        ]
        try:
            return frozenset(converted)
        except TypeError:
            raise InvalidInput(path, f"a set of {_names(kind)}; an item is unhashable") from None

    return attrs.Converter(conv, takes_self=True, takes_field=True)


def converted(
    convert: Callable[[Any], Any], *, kind: type | tuple[type, ...] | None = None,
    optional: bool = False,
) -> Any:
    """A converter: the value through ``convert`` (unless it is already a ``kind``, or None
    when ``optional``), an ``InvalidInput`` it raises renamed to this field's path.

    >>> import attrs
    >>> from qpp_rules import TIN
    >>> @attrs.frozen
    ... class Practice:
    ...     tin: TIN | None = attrs.field(default=None,
    ...         converter=converted(TIN, kind=TIN, optional=True))  # type: ignore[misc]
    >>> Practice("12")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidLength: practice.tin: a TIN has exactly 9 digits; got 2 ('**')
    """

    def conv(value: Any, instance: Any, attribute: attrs.Attribute[Any]) -> Any:
        if value is None and optional:
            return None
        if kind is not None and isinstance(value, kind):
            return value
        try:
            return convert(value)
        except InvalidInput as error:
            raise rename(error, field_path(instance, attribute)) from None

    return attrs.Converter(conv, takes_self=True, takes_field=True)


def moment(*, optional: bool = False) -> Any:
    """A converter: an aware datetime to the instant in US Eastern time
    (:func:`qpp_rules.time.instant`), naming the field; naive ones are refused.

    >>> import attrs, datetime
    >>> @attrs.frozen
    ... class Elected:
    ...     at: object = attrs.field(converter=moment())  # type: ignore[misc]
    >>> Elected(datetime.datetime(2020, 1, 2))
    Traceback (most recent call last):
      ...
    qpp_rules.errors.NaiveDateTime: elected.at: a naive datetime has no time zone; give an \
aware one
    """
    from qpp_rules.time import instant

    def conv(value: Any, instance: Any, attribute: attrs.Attribute[Any]) -> Any:
        if value is None and optional:
            return None
        return instant(value, field_path(instance, attribute))

    return attrs.Converter(conv, takes_self=True, takes_field=True)
