"""One converter configuration for the library, in the cattrs "preconf" style.

:func:`configure` registers every hook the library's values need on a cattrs converter:
identifiers as their compact text, instants in US Eastern time, money as ``Decimal`` (never
through a float), enums by their value, tuples and frozensets as lists (a set's items sorted),
:class:`~qpp_rules.policy.FrozenMap` as an object, attrs classes as objects of their public
fields with unknown keys refused, a field holding one of several attrs classes tagged with
:data:`TAG`, and a :class:`~qpp_rules.kernel.citations.Citation` read as an object or as its
short text. A :class:`Style` says what differs between the two variants built on it (public
JSON serialization, :mod:`qpp_rules.serialization`; policy data files,
:mod:`qpp_rules.policy.loading`): the root of paths, the words of messages, whether a naive
date-time is a wall-clock reading in Eastern time (a TOML file) or refused (JSON).

:class:`Converter` raises one :class:`~qpp_rules.InvalidInput` for every failed structuring,
listing each failing field as a JSON path in ``.problems``, through the one error walker,
:func:`qpp_rules.kernel.reading.problems`.

>>> from qpp_rules import TIN
>>> conv = Converter(Style())
>>> conv.structure("00-0765630", TIN)
TIN('*****5630')
>>> conv.structure({"opens": "2019-04-04T10:00:00-04:00"}, __import__("qpp_rules").Window)
Traceback (most recent call last):
...
qpp_rules.errors.InvalidInput: $.closes: required field missing
"""

from __future__ import annotations

import collections.abc
import datetime as _dt
import enum
import json
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import cattrs
import pendulum
from cattrs.errors import (
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from qpp_rules.errors import InvalidInput, NaiveDateTime, shown
from qpp_rules.identifiers import NPI, Identifier
from qpp_rules.kernel.citations import Citation
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.kernel.reading import Style, _is_attrs, _name, _origin, json_type, problems, report
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.time import EASTERN, instant, utc_key
from qpp_rules.vocabulary import SizeBand

__all__ = ["TAG", "Converter", "Style", "Tagged", "configure"]

TAG = "_type"
"""The key naming an object's class where a field may hold one of several attrs classes."""

_NONE = type(None)
_SEQUENCES: dict[Any, Callable[[list[Any]], Any]] = {
    tuple: tuple,
    list: list,
    collections.abc.Sequence: tuple,
    collections.abc.MutableSequence: list,
    frozenset: frozenset,
    set: set,
    collections.abc.Set: frozenset,
    collections.abc.MutableSet: set,
}


# ---------------------------------------------------------------------------------------------
# Type predicates
# ---------------------------------------------------------------------------------------------
def _is_union(kind: Any) -> bool:
    return typing.get_origin(kind) in (typing.Union, types.UnionType)


def _is_collection(kind: Any) -> bool:
    try:
        return _origin(kind) in _SEQUENCES
    except TypeError:  # an unhashable annotation
        return False


def _is_mapping(kind: Any) -> bool:
    origin = _origin(kind)
    return isinstance(origin, type) and issubclass(origin, Mapping)


def _leaf(message: str, kind: type[InvalidInput] = InvalidInput) -> InvalidInput:
    """An error about the value at the current path (the walker adds the path)."""
    return kind("", message)


def _with_note(error: Exception, note: str) -> Exception:
    error.__notes__ = [*getattr(error, "__notes__", []), note]
    return error


class Tagged:
    """What a bare generic class's type parameters are read as (``Outcome`` as
    ``Outcome[Tagged, Tagged, Tagged]``): here any value as it is; a variant may register its
    own hooks for it (the JSON one tags each value with its class's public name).

    >>> _parametrized(__import__("qpp_rules").Outcome).__args__ == (Tagged,) * 3
    True
    """


def _parametrized(kind: Any) -> Any:
    """A generic attrs class named bare (``Outcome``) is read as ``Outcome[Tagged, ...]``."""
    parameters = getattr(kind, "__parameters__", ())
    if isinstance(kind, type) and parameters:
        return kind[tuple(Tagged for _ in parameters)]  # type: ignore[index]
    return kind


# ---------------------------------------------------------------------------------------------
# Leaf hooks: primitives, money, instants, enums, identifiers
# ---------------------------------------------------------------------------------------------
def _exact(kind: type, word: str, style: Style) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if type(value) is not kind:  # no "25" for 25, no true for 1
            raise _leaf(style.say(word, value))
        return value

    return structure


def _decimal(style: Style) -> Callable[[Any, Any], Decimal]:
    def structure(value: Any, _: Any) -> Decimal:
        if isinstance(value, Decimal):
            amount = value
        elif isinstance(value, str):
            try:
                amount = Decimal(value.strip())
            except InvalidOperation:
                raise _leaf(style.say("not amount", value)) from None
        elif isinstance(value, int) and not isinstance(value, bool):
            amount = Decimal(value)
        elif isinstance(value, float) and style.float_money:
            amount = Decimal(repr(value))  # the shortest text that reads back as this float
        else:
            raise _leaf(style.say("amount", value))
        if not amount.is_finite():
            raise _leaf(f"a finite amount; got {shown(value)}")
        return amount

    return structure


def _instant(style: Style) -> Callable[[Any, Any], pendulum.DateTime]:
    def structure(value: Any, _: Any) -> pendulum.DateTime:
        if isinstance(value, _dt.datetime):
            moment = value
        elif isinstance(value, str):
            try:
                moment = _dt.datetime.fromisoformat(value.strip())
            except ValueError:
                raise _leaf(style.say("not instant", value)) from None
        elif isinstance(value, _dt.date) and style.naive == "eastern":
            return pendulum.datetime(value.year, value.month, value.day, tz=EASTERN)
        else:
            raise _leaf(style.say("instant", value))
        try:
            return instant(moment, "")  # the library's one reading of an aware datetime
        except NaiveDateTime:
            if style.naive == "eastern":  # a wall-clock reading in ET (a TOML local time)
                return pendulum.instance(moment, tz=EASTERN)
            problem = _leaf(
                "a date and time without a UTC offset is ambiguous; add one (e.g. -04:00 or Z)",
                NaiveDateTime,
            )
        except InvalidInput as error:  # a time zone whose offset is impossible or fails
            problem = _leaf(error.message)
        raise problem

    return structure


def _unstructure_instant(value: _dt.datetime) -> str:
    try:
        utc_key(value, "")  # an aware instant whose time zone gives a valid UTC offset
    except NaiveDateTime:
        problem: InvalidInput = NaiveDateTime(
            "", "a naive datetime cannot be written: its time zone is unknown"
        )
    except InvalidInput as error:
        problem = error
    else:
        return value.isoformat()
    raise problem


def _date(value: Any, kind: Any) -> _dt.date:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        day = value
    elif isinstance(value, str):
        try:
            day = _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise _leaf("an ISO 8601 date, e.g. 2019-07-01") from None
    else:
        raise _leaf(f"an ISO 8601 date (text); got {json_type(value)}")
    if isinstance(kind, type) and issubclass(kind, pendulum.Date):
        return pendulum.date(day.year, day.month, day.day)
    return day


def _enum(style: Style) -> Callable[[Any, Any], Any]:
    def structure(value: Any, kind: Any) -> Any:
        if isinstance(value, kind):
            return value
        if issubclass(kind, SizeBand) and isinstance(value, str):
            try:
                return SizeBand.parse(value)
            except InvalidInput:
                pass
        try:
            return kind(value)
        except (ValueError, TypeError):
            allowed = ", ".join(repr(member.value) for member in kind)
            raise _leaf(style.say("enum", value, allowed=allowed, name=kind.__name__)) from None

    return structure


def _identifier(npi_check_digit: bool) -> Callable[[Any, Any], Identifier]:
    def structure(value: Any, kind: Any) -> Identifier:
        if isinstance(value, kind):
            return typing.cast(Identifier, value)
        if kind is Identifier:
            raise _leaf("a specific identifier type (TIN, NPI, ...), not Identifier")
        try:
            if issubclass(kind, NPI):
                return typing.cast(Identifier, kind(value, check_digit=npi_check_digit))
            return typing.cast(Identifier, kind(value))
        except InvalidInput as error:
            raise type(error)("", error.message) from None

    return structure


# ---------------------------------------------------------------------------------------------
# Collections and mappings
# ---------------------------------------------------------------------------------------------
def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _sorted_list(items: Iterable[Any]) -> list[Any]:
    """A set's unstructured items, sorted so that equal sets give equal JSON."""
    listed = list(items)
    try:
        return sorted(listed)
    except TypeError:
        return sorted(listed, key=_canonical)


def _built(kind: Any, errors: list[Exception], build: Callable[[Any], Any], items: Any) -> Any:
    """The collection built from its items, or every item's error in one group."""
    if errors:
        raise IterableValidationError(f"While structuring {_name(kind)}", errors, kind)
    return build(items)


def _collection(conv: Converter, kind: Any) -> Callable[[Any, Any], Any]:
    style = conv.style
    origin = _origin(kind)
    build = _SEQUENCES[origin]
    unique = origin in (frozenset, set, collections.abc.Set, collections.abc.MutableSet)
    args = typing.get_args(kind)
    fixed: tuple[Any, ...] | None = None
    if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
        fixed = () if args == ((),) else args
    element = args[0] if args else Any

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, str | bytes | Mapping) or not isinstance(
            value, Iterable if style.any_iterable else list | tuple
        ):
            raise _leaf(style.say("list", value))
        items = list(value)
        if fixed is not None and len(items) != len(fixed):
            raise _leaf(f"a list of exactly {len(fixed)} items; got {len(items)}")
        result: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(items):
            item_type = fixed[index] if fixed is not None else element
            try:
                structured = conv.get_structure_hook(item_type)(item, item_type)
                if unique and style.duplicates and structured in result:
                    raise _leaf(style.say("duplicate", item))
                result.append(structured)
            except Exception as error:
                note = IterableValidationNote(f"item {index}", index, item_type)
                errors.append(_with_note(error, note))
        return _built(kind, errors, build, result)

    return structure


def _mapping_types(kind: Any) -> tuple[Any, Any]:
    """The key and value types of a mapping type, also of a subclass of ``FrozenMap[K, V]``."""
    args = typing.get_args(kind)
    if len(args) == 2:
        return args[0], args[1]
    for base in getattr(_origin(kind), "__orig_bases__", ()):
        if len(typing.get_args(base)) == 2 and _is_mapping(base):
            return _mapping_types(base)
    return Any, Any


def _mapping(conv: Converter, kind: Any) -> Callable[[Any, Any], Any]:
    style = conv.style
    origin = _origin(kind)
    build: Callable[[dict[Any, Any]], Any] = FrozenMap
    if origin is dict or (isinstance(origin, type) and issubclass(origin, FrozenMap)):
        build = origin
    key_type, value_type = _mapping_types(kind)
    key_hook = conv.get_structure_hook(key_type)
    value_hook = conv.get_structure_hook(value_type)

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, Mapping):
            pairs = list(value.items())
        elif style.any_iterable and isinstance(value, list | tuple) and all(
            isinstance(pair, list | tuple) and len(pair) == 2 for pair in value
        ):
            pairs = [(pair[0], pair[1]) for pair in value]
        else:
            raise _leaf(style.say("mapping", value))
        result: dict[Any, Any] = {}
        errors: list[Exception] = []
        for index, (key, item) in enumerate(pairs):
            where: Any = key if isinstance(key, str) else index
            try:
                if key_type is int and isinstance(key, str) and key.lstrip("-").isdigit():
                    key = int(key)
                structured_key = key_hook(key, key_type)
                where = structured_key if isinstance(structured_key, enum.Enum) else where
            except Exception as error:
                note = IterableValidationNote(f"key {where!r}", where, key_type)
                errors.append(_with_note(error, note))
                continue
            try:
                result[structured_key] = value_hook(item, value_type)
            except Exception as error:
                note = IterableValidationNote(f"value {where!r}", where, value_type)
                errors.append(_with_note(error, note))
        return _built(kind, errors, build, result)

    return structure


def _mapping_unstructure(conv: Converter, kind: Any) -> Callable[[Any], Any]:
    key_type, value_type = _mapping_types(kind)
    key_hook = conv.get_unstructure_hook(key_type)
    value_hook = conv.get_unstructure_hook(value_type)

    def unstructure(value: Mapping[Any, Any]) -> Any:
        pairs = [(key_hook(key), value_hook(item)) for key, item in value.items()]
        if all(isinstance(key, str) for key, _ in pairs):
            return dict(sorted(pairs, key=lambda pair: pair[0]))
        return [[key, item] for key, item in sorted(pairs, key=lambda p: _canonical(p[0]))]

    return unstructure


# ---------------------------------------------------------------------------------------------
# attrs classes and unions of them
# ---------------------------------------------------------------------------------------------
def _any_fields(conv: Converter, origin: type, *, structure: bool) -> dict[str, Any]:
    """A field declared ``Any`` holds any value: it is read and written as :class:`Tagged`,
    as a generic parameter is (the hook looked up at each use, so a variant's own counts)."""
    try:
        hints = typing.get_type_hints(origin)
    except Exception:  # an annotation that does not resolve: cattrs reports it
        return {}
    names = [field.name for field in attrs.fields(origin) if hints.get(field.name) is Any]
    if structure:
        hook = override(struct_hook=lambda value, _: conv.get_structure_hook(Tagged)(
            value, Tagged))
    else:
        hook = override(unstruct_hook=lambda value: conv.get_unstructure_hook(Tagged)(value))
    return dict.fromkeys(names, hook)


def _attrs(conv: Converter, kind: Any) -> Callable[[Any, Any], Any]:
    style = conv.style
    origin = _origin(kind)
    kind = _parametrized(kind)
    inner = make_dict_structure_fn(kind, conv, **_any_fields(conv, origin, structure=True))
    names = [field.name for field in attrs.fields(origin) if field.init]
    listed = ", ".join(names) or "(none)"
    spoken = " and ".join(", ".join(names).rsplit(", ", 1)) or "(none)"

    after_read = getattr(origin, "_after_read", None)  # a check of the whole value read

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, origin):
            return value
        if not isinstance(value, Mapping):
            raise _leaf(style.say("object", value, fields=listed, fields_and=spoken))
        if TAG in value:  # the class's name, or its public name (``election.Elected``)
            tag = value[TAG]
            if not isinstance(tag, str) or re.split(r"[.:]", tag)[-1] != origin.__name__:
                raise _leaf(f"{TAG} names {origin.__name__} here")
            value = {key: item for key, item in value.items() if key != TAG}
        read = inner(value, kind)
        if after_read is not None:
            after_read(read)
        return read

    return structure


def _attrs_unstructure(conv: Converter, kind: Any) -> Callable[[Any], Any]:
    origin = _origin(kind)
    private: dict[str, Any] = {  # caches, memos: private and outside eq (or __init__)
        field.name: override(omit=True)
        for field in attrs.fields(origin)
        if field.name.startswith("_") and (not field.init or not field.eq)
    }
    private.update(_any_fields(conv, origin, structure=False))
    inner = make_dict_unstructure_fn(_parametrized(kind), conv, **private)

    def unstructure(value: Any) -> Any:
        if type(value) is not origin and attrs.has(type(value)):
            return conv.unstructure(value, unstructure_as=type(value))  # a subclass
        return inner(value)

    return unstructure


def _attrs_members(kind: Any) -> list[Any]:
    return [member for member in typing.get_args(kind) if _is_attrs(member)]


def _union(conv: Converter, kind: Any) -> Callable[[Any, Any], Any]:
    """A union: None for an optional one, an attrs class chosen by its :data:`TAG`, else the
    first member that reads the value. Hand-written rather than cattrs'
    ``configure_tagged_union``, which neither takes None nor names an unknown tag."""
    members = [member for member in typing.get_args(kind) if member is not _NONE]
    optional = len(members) < len(typing.get_args(kind))
    classes = {_origin(member).__name__: member for member in _attrs_members(kind)}
    others = [member for member in members if not _is_attrs(member)]
    names = " or ".join(_name(member) for member in members)
    style = conv.style

    def structure(value: Any, _: Any) -> Any:
        if value is None or (optional and style.empty_is_none and classes and value == {}):
            if optional:
                return None
            raise _leaf(f"a value ({names}); got null")
        if len(members) == 1:
            return conv.get_structure_hook(members[0])(value, members[0])
        if classes and isinstance(value, Mapping):
            if len(classes) == 1:
                (only,) = classes.values()
                return conv.get_structure_hook(only)(value, only)
            tag = value.get(TAG)
            chosen = classes.get(tag) if isinstance(tag, str) else None
            if chosen is None:
                raise _leaf(f"an object whose {TAG!r} is one of {', '.join(sorted(classes))}")
            return conv.get_structure_hook(chosen)(value, chosen)
        for member in others:
            try:
                return conv.get_structure_hook(member)(value, member)
            except Exception:  # try the next member of the union
                continue
        raise _leaf(f"{names}; got {style.describe(value)}")

    return structure


def _tagged_unstructure(conv: Converter, kind: Any) -> Callable[[Any], Any]:
    def unstructure(value: Any) -> Any:
        if attrs.has(type(value)):
            data = conv.unstructure(value, unstructure_as=type(value))
            return {TAG: type(value).__name__, **data}
        return conv.unstructure(value)

    return unstructure


def _citation(conv: Converter) -> Callable[[Any, Any], Citation]:
    """A citation is written as an object (its fields, defaults left out); its short text
    (what a ``Reason`` held before citations were structured) is read too."""
    inner = _attrs(conv, Citation)

    def structure(value: Any, _: Any) -> Citation:
        if isinstance(value, str):
            return Citation.parse(value)
        return typing.cast(Citation, inner(value, Citation))

    return structure


# ---------------------------------------------------------------------------------------------
# The converter
# ---------------------------------------------------------------------------------------------
class Converter(cattrs.Converter):
    """A cattrs ``Converter`` with a :class:`Style`, whose ``structure`` raises one
    :class:`~qpp_rules.InvalidInput` (every failing field path in ``.problems``) instead of
    cattrs' exception groups; :func:`configure` gives it the library's hooks.

    >>> Converter(Style()).structure("x", int)
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: $: a whole number; got text
    """

    def __init__(self, style: Style, *, npi_check_digit: bool = False) -> None:
        super().__init__(forbid_extra_keys=True, unstruct_collection_overrides={
            collections.abc.Set: _sorted_list, collections.abc.Sequence: list})
        self.style = style
        configure(self, npi_check_digit=npi_check_digit)

    def structure(self, obj: Any, cl: Any) -> Any:
        return self.read(obj, cl)

    def read(self, obj: Any, cl: Any, path: str | None = None) -> Any:
        """``structure``, with the failing paths under ``path`` (the style's root if None)."""
        try:
            return super().structure(obj, cl)
        except (BaseValidationError, InvalidInput, TypeError, ValueError, KeyError,
                AttributeError, ForbiddenExtraKeysError) as error:
            found = problems(error, cl, self.style, self.style.root if path is None else path)
            classes = {type(exc) for exc, _, _ in found}
            cls = classes.pop() if len(classes) == 1 else InvalidInput
            field, message = report([(where, text) for _, where, text in found])
            raise cls(field, message, problems=tuple((w, t) for _, w, t in found)) from None
        except cattrs.errors.StructureHandlerNotFoundError:
            raise InvalidInput("type", f"no way to read {a_or_an(_name(cl))} from data") from None


def configure(conv: Converter, *, npi_check_digit: bool = False) -> Converter:
    """Register the library's hooks on ``conv`` (the "preconf" step both variants share).

    ``npi_check_digit=True`` refuses an NPI whose check digit fails while reading.

    >>> from decimal import Decimal
    >>> conv = Converter(Style())
    >>> configure(conv) is conv, conv.unstructure(Decimal("90000.50"))
    (True, '90000.50')
    """
    style = conv.style
    for kind, structure in (
        (str, _exact(str, "str", style)),
        (bool, _exact(bool, "bool", style)),
        (int, _exact(int, "int", style)),
        (float, _exact(float, "float", style)),
        (Decimal, _decimal(style)),
        (_dt.datetime, _instant(style)),
        (_dt.date, _date),
        (enum.Enum, _enum(style)),
        (Identifier, _identifier(npi_check_digit)),
    ):
        conv.register_structure_hook(kind, structure)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(_dt.datetime, _unstructure_instant)
    conv.register_unstructure_hook(_dt.date, _dt.date.isoformat)
    conv.register_unstructure_hook(enum.Enum, lambda value: value.value)
    conv.register_unstructure_hook(Identifier, lambda value: value.value)
    conv.register_structure_hook_factory(_is_attrs, lambda kind: _attrs(conv, kind))
    conv.register_unstructure_hook_factory(_is_attrs, lambda kind: _attrs_unstructure(conv, kind))
    conv.register_structure_hook_factory(_is_collection, lambda kind: _collection(conv, kind))
    conv.register_structure_hook_factory(_is_mapping, lambda kind: _mapping(conv, kind))
    conv.register_unstructure_hook_factory(
        _is_mapping, lambda kind: _mapping_unstructure(conv, kind)
    )
    conv.register_structure_hook_factory(_is_union, lambda kind: _union(conv, kind))
    conv.register_unstructure_hook_factory(
        lambda kind: _is_union(kind) and len(_attrs_members(kind)) > 1,
        lambda kind: _tagged_unstructure(conv, kind),
    )
    generic = lambda kind: kind is Tagged or isinstance(kind, typing.TypeVar)  # noqa: E731
    conv.register_structure_hook_func(generic, lambda value, _: value)
    conv.register_unstructure_hook_func(generic, conv.unstructure)
    conv.register_structure_hook(Citation, _citation(conv))
    conv.register_unstructure_hook(
        Citation, make_dict_unstructure_fn(Citation, conv, _cattrs_omit_if_default=True)
    )
    return conv
