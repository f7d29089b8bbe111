"""Serialization: every public value to JSON and back, through one cattrs ``Converter``.

The JSON form of a value is plain and stable:

- identifiers are their compact text (a TIN's full value leaves the library only here, on
  purpose: a caller that writes JSON asked for it);
- enums are their value, the guides' own wording (``"CMS Web Interface"``);
- instants are ISO 8601 text with their UTC offset, read back as ``pendulum.DateTime`` in US
  Eastern time; text without an offset is refused with :class:`~qpp_rules.NaiveDateTime`;
- money (``Decimal``) is text, so that no amount passes through a float;
- tuples and frozensets are lists (a frozenset's items sorted, so equal values give equal
  JSON); a :class:`~qpp_rules.policy.FrozenMap` is an object (a list of ``[key, value]``
  pairs when its keys are not text);
- attrs classes are objects of their public fields (private attributes, such as a policy's
  memo, are left out); where a field may hold one of several attrs classes, the object names
  its class under ``"_type"``.

Reading is strict: unknown fields, wrong JSON types and malformed values are refused with one
:class:`~qpp_rules.InvalidInput` that lists every failing field path in ``.problems``.

>>> import qpp_rules as qr
>>> from qpp_rules.serialization import from_json, to_json
>>> window = qr.policy_for(2019).registration.window
>>> to_json(window)
'{"opens": "2019-04-04T10:00:00-04:00", "closes": "2019-07-01T17:00:00-04:00"}'
>>> from_json(to_json(window), qr.Window) == window
True
>>> from_json('{"opens": "2019-04-04T10:00:00", "closes": "2019-07-01T17:00:00-04:00"}',
...           qr.Window)
Traceback (most recent call last):
...
qpp_rules.errors.NaiveDateTime: $.opens: a date and time without a UTC offset is ambiguous; \
add one (e.g. -04:00 or Z)
"""

from __future__ import annotations

import collections.abc
import datetime as _dt
import enum
import importlib
import json
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import cattrs
import pendulum
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from qpp_rules.errors import InvalidInput, NaiveDateTime
from qpp_rules.identifiers import NPI, Identifier
from qpp_rules.kernel.citations import Citation
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.model import Amendment, PolicyYear
from qpp_rules.time import EASTERN
from qpp_rules.vocabulary import SizeBand

if TYPE_CHECKING:  # loaded on first use at run time (see __getattr__)
    from qpp_rules.election.payload import EligibilityRecord, read_eligibility_payload

__all__ = [
    "TAG",
    "Converter",
    "EligibilityRecord",
    "converter",
    "from_dict",
    "from_json",
    "make_converter",
    "read_eligibility_payload",
    "to_dict",
    "to_json",
]

T = TypeVar("T")

TAG = "_type"
"""The key naming an object's class where a field may hold one of several attrs classes."""

_LAZY = {
    "read_eligibility_payload": "qpp_rules.election.payload",
    "EligibilityRecord": "qpp_rules.election.payload",
}


def __getattr__(name: str) -> Any:
    """The names re-exported from modules that load on first use: the Eligibility API
    reader :func:`read_eligibility_payload` and its :class:`EligibilityRecord` live in
    :mod:`qpp_rules.election.payload`.

    >>> from qpp_rules import serialization
    >>> serialization.read_eligibility_payload.__module__
    'qpp_rules.election.payload'
    """
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


# ---------------------------------------------------------------------------------------------
# Type predicates
# ---------------------------------------------------------------------------------------------
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
_MAPPINGS = (FrozenMap, collections.abc.Mapping)


def _origin(kind: Any) -> Any:
    return typing.get_origin(kind) or kind


def _is_union(kind: Any) -> bool:
    return typing.get_origin(kind) in (typing.Union, types.UnionType)


def _is_attrs(kind: Any) -> bool:
    origin = _origin(kind)
    return isinstance(origin, type) and attrs.has(origin)


def _is_collection(kind: Any) -> bool:
    try:
        return _origin(kind) in _SEQUENCES
    except TypeError:  # an unhashable annotation
        return False


def _is_mapping(kind: Any) -> bool:
    try:
        return _origin(kind) in _MAPPINGS
    except TypeError:  # an unhashable annotation
        return False


def _name(kind: Any) -> str:
    return getattr(kind, "__name__", None) or repr(kind)


def _json_type(value: Any) -> str:
    """The JSON-ish name of a value's type, for messages (never the value: it may be a TIN)."""
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


def _leaf(message: str, kind: type[InvalidInput] = InvalidInput) -> InvalidInput:
    """An error about the value at the current path (the path is added by the caller)."""
    return kind("", message)


# ---------------------------------------------------------------------------------------------
# Leaf hooks: primitives, identifiers, enums, instants, money
# ---------------------------------------------------------------------------------------------
def _structure_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise _leaf(f"text; got {_json_type(value)}")
    return value


def _structure_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise _leaf(f"true or false; got {_json_type(value)}")
    return value


def _structure_int(value: Any, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _leaf(f"a whole number; got {_json_type(value)}")
    return value


def _structure_float(value: Any, _: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _leaf(f"a number; got {_json_type(value)}")
    return float(value)


def _structure_decimal(value: Any, _: Any) -> Decimal:
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise _leaf('an amount as text, e.g. "90000" or "90000.50"') from None
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))  # the shortest text that reads back as this float
    else:
        raise _leaf(f'an amount as text, e.g. "90000"; got {_json_type(value)}')
    if not amount.is_finite():
        raise _leaf("a finite amount")
    return amount


def _unstructure_decimal(value: Decimal) -> str:
    return str(value)


def _structure_identifier(strict_npi: bool) -> Callable[[Any, Any], Identifier]:
    def structure(value: Any, kind: Any) -> Identifier:
        if isinstance(value, kind):
            return typing.cast(Identifier, value)
        if kind is Identifier:
            raise _leaf("a specific identifier type (TIN, NPI, ...), not Identifier")
        try:
            if issubclass(kind, NPI):
                return typing.cast(Identifier, kind(value, check_digit=strict_npi))
            return typing.cast(Identifier, kind(value))
        except InvalidInput as error:
            raise type(error)("", error.message) from None

    return structure


def _unstructure_identifier(value: Identifier) -> str:
    return value.value


def _structure_enum(value: Any, kind: Any) -> Any:
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
        raise _leaf(f"one of {allowed}; got {_json_type(value)} that is none of them") from None


def _unstructure_enum(value: enum.Enum) -> Any:
    return value.value


def _structure_datetime(value: Any, _: Any) -> pendulum.DateTime:
    if isinstance(value, _dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = _dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise _leaf(
                "an ISO 8601 date and time with its UTC offset, e.g. 2019-07-01T17:00:00-04:00"
            ) from None
    else:
        raise _leaf(f"an ISO 8601 date and time (text); got {_json_type(value)}")
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise _leaf(
            "a date and time without a UTC offset is ambiguous; add one (e.g. -04:00 or Z)",
            NaiveDateTime,
        )
    return pendulum.instance(moment).in_timezone(EASTERN)


def _unstructure_datetime(value: _dt.datetime) -> str:
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDateTime("", "a naive datetime cannot be written: its time zone is unknown")
    return value.isoformat()


def _structure_date(value: Any, kind: Any) -> _dt.date:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        day = value
    elif isinstance(value, str):
        try:
            day = _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise _leaf("an ISO 8601 date, e.g. 2019-07-01") from None
    else:
        raise _leaf(f"an ISO 8601 date (text); got {_json_type(value)}")
    if isinstance(kind, type) and issubclass(kind, pendulum.Date):
        return pendulum.date(day.year, day.month, day.day)
    return day


def _unstructure_date(value: _dt.date) -> str:
    return value.isoformat()


# ---------------------------------------------------------------------------------------------
# Collections
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


def _with_note(error: Exception, note: str) -> Exception:
    error.__notes__ = [*getattr(error, "__notes__", []), note]
    return error


class Converter(cattrs.Converter):
    """A cattrs ``Converter`` whose ``structure`` raises :class:`~qpp_rules.InvalidInput`
    (listing every failing field path in ``.problems``) instead of cattrs' exception groups.

    >>> from qpp_rules import TIN
    >>> make_converter().structure("00-0765630", TIN)
    TIN('*****5630')
    """

    def structure(self, obj: Any, cl: Any) -> Any:
        try:
            return super().structure(obj, cl)
        except (BaseValidationError, InvalidInput, TypeError, ValueError, KeyError,
                AttributeError, ForbiddenExtraKeysError) as error:
            raise _translate(error, cl) from None
        except cattrs.errors.StructureHandlerNotFoundError:
            raise InvalidInput("type", f"no way to read a {_name(cl)} from JSON") from None


def make_converter(*, npi_check_digit: bool = False) -> Converter:
    """A new converter configured as :data:`converter` is.

    ``npi_check_digit=True`` refuses an NPI whose check digit fails while reading; the default
    reads it (CMS's own payloads carry such NPIs) and leaves the check to the rules that need
    it (``NPI.has_valid_check_digit``), so that every NPI the library can hold round-trips.

    >>> from qpp_rules import NPI
    >>> make_converter().structure("1234567890", NPI).has_valid_check_digit
    False
    >>> make_converter(npi_check_digit=True).structure("1234567890", NPI)
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidChecksum: $: the NPI check digit does not match ('******7890')
    """
    conv = Converter(
        forbid_extra_keys=True,
        unstruct_collection_overrides={
            collections.abc.Set: _sorted_list,
            collections.abc.Sequence: list,
        },
    )
    for kind, structure in (
        (str, _structure_str),
        (bool, _structure_bool),
        (int, _structure_int),
        (float, _structure_float),
        (Decimal, _structure_decimal),
        (_dt.datetime, _structure_datetime),
        (_dt.date, _structure_date),
        (enum.Enum, _structure_enum),
        (Identifier, _structure_identifier(npi_check_digit)),
    ):
        conv.register_structure_hook(kind, structure)
    conv.register_unstructure_hook(Decimal, _unstructure_decimal)
    conv.register_unstructure_hook(_dt.datetime, _unstructure_datetime)
    conv.register_unstructure_hook(_dt.date, _unstructure_date)
    conv.register_unstructure_hook(enum.Enum, _unstructure_enum)
    conv.register_unstructure_hook(Identifier, _unstructure_identifier)

    conv.register_structure_hook_factory(_is_attrs, lambda kind: _attrs_structure(conv, kind))
    conv.register_unstructure_hook_factory(
        _is_attrs, lambda kind: _attrs_unstructure(conv, kind)
    )
    conv.register_structure_hook_factory(
        _is_collection, lambda kind: _collection_structure(conv, kind)
    )
    conv.register_structure_hook_factory(_is_mapping, lambda kind: _mapping_structure(conv, kind))
    conv.register_unstructure_hook_factory(
        _is_mapping, lambda kind: _mapping_unstructure(conv, kind)
    )
    conv.register_structure_hook_factory(_is_union, lambda kind: _union_structure(conv, kind))
    conv.register_unstructure_hook_factory(
        lambda kind: _is_union(kind) and len(_attrs_members(kind)) > 1,
        lambda kind: _tagged_unstructure(conv, kind),
    )
    conv.register_structure_hook(PolicyYear, _policy_structure(conv))
    conv.register_structure_hook(Citation, _citation_structure(conv))
    conv.register_unstructure_hook(
        Citation,
        make_dict_unstructure_fn(Citation, conv, _cattrs_omit_if_default=True),
    )
    conv.register_structure_hook_func(
        lambda kind: isinstance(kind, TypeVar), lambda value, _: value
    )
    return conv


def _citation_structure(conv: Converter, kind: Any = None) -> Callable[[Any, Any], Any]:
    """A citation is written as an object (its fields, defaults left out); its short text
    (what a ``Reason`` held before citations were structured) is read too."""
    inner = _attrs_structure(conv, Citation)

    def structure(value: Any, _: Any) -> Citation:
        if isinstance(value, str):
            return Citation.parse(value)
        return typing.cast(Citation, inner(value, Citation))

    return structure


def _collection_structure(conv: Converter, kind: Any) -> Callable[[Any, Any], Any]:
    origin = _origin(kind)
    build = _SEQUENCES[origin]
    args = typing.get_args(kind)
    if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
        if args == ((),):  # tuple[()]
            args = ()
        item_types: Callable[[int], Any] | None = None
        fixed: tuple[Any, ...] | None = args
    else:
        fixed = None
        element = args[0] if args else Any
        item_types = lambda _: element  # noqa: E731
    hooks: dict[Any, Callable[[Any, Any], Any]] = {}

    def hook(item_type: Any) -> Callable[[Any, Any], Any]:
        found = hooks.get(item_type)
        if found is None:
            found = hooks[item_type] = conv.get_structure_hook(item_type)
        return found

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
            raise _leaf(f"a list; got {_json_type(value)}")
        items = list(value)
        if fixed is not None and len(items) != len(fixed):
            raise _leaf(f"a list of exactly {len(fixed)} items; got {len(items)}")
        result: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(items):
            item_type = fixed[index] if fixed is not None else item_types(index)  # type: ignore[misc]
            try:
                result.append(hook(item_type)(item, item_type))
            except Exception as error:
                note = IterableValidationNote(
                    f"Structuring {_name(kind)} @ index {index}", index, item_type
                )
                errors.append(_with_note(error, note))
        if errors:
            raise IterableValidationError(f"While structuring {_name(kind)}", errors, kind)
        return build(result)

    return structure


def _mapping_types(kind: Any) -> tuple[Any, Any]:
    args = typing.get_args(kind)
    return (args[0], args[1]) if len(args) == 2 else (Any, Any)


def _mapping_structure(conv: Converter, kind: Any) -> Callable[[Any, Any], Any]:
    key_type, value_type = _mapping_types(kind)
    key_hook = conv.get_structure_hook(key_type)
    value_hook = conv.get_structure_hook(value_type)

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, Mapping):
            pairs = list(value.items())
        elif isinstance(value, list | tuple) and all(
            isinstance(pair, list | tuple) and len(pair) == 2 for pair in value
        ):
            pairs = [(pair[0], pair[1]) for pair in value]
        else:
            raise _leaf(f"an object (or a list of [key, value] pairs); got {_json_type(value)}")
        result: dict[Any, Any] = {}
        errors: list[Exception] = []
        for index, (key, item) in enumerate(pairs):
            where = key if isinstance(key, str) else index
            try:
                if key_type is int and isinstance(key, str) and key.lstrip("-").isdigit():
                    key = int(key)
                structured_key = key_hook(key, key_type)
            except Exception as error:
                note = IterableValidationNote(f"Structuring key {where!r}", where, key_type)
                errors.append(_with_note(error, note))
                continue
            try:
                result[structured_key] = value_hook(item, value_type)
            except Exception as error:
                note = IterableValidationNote(f"Structuring value {where!r}", where, value_type)
                errors.append(_with_note(error, note))
        if errors:
            raise IterableValidationError(f"While structuring {_name(kind)}", errors, kind)
        return FrozenMap(result)

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
def _parametrized(kind: Any) -> Any:
    """A generic attrs class named bare (``Outcome``) is read as ``Outcome[Any, ...]``."""
    parameters = getattr(kind, "__parameters__", ())
    if isinstance(kind, type) and parameters:
        return kind[tuple(Any for _ in parameters)]  # type: ignore[index]
    return kind


def _attrs_structure(conv: Converter, kind: Any) -> Callable[[Any, Any], Any]:
    origin = _origin(kind)
    kind = _parametrized(kind)
    inner = make_dict_structure_fn(kind, conv)
    names = [field.name for field in attrs.fields(origin) if field.init]

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, origin):
            return value
        if not isinstance(value, Mapping):
            raise _leaf(
                f"an object with the fields {', '.join(names) or '(none)'}; "
                f"got {_json_type(value)}"
            )
        if TAG in value:
            if value[TAG] != origin.__name__:
                raise _leaf(f"{TAG} names {origin.__name__} here")
            value = {key: item for key, item in value.items() if key != TAG}
        return inner(value, kind)

    return structure


def _attrs_unstructure(conv: Converter, kind: Any) -> Callable[[Any], Any]:
    origin = _origin(kind)
    private: dict[str, Any] = {  # caches, memos: private and outside eq (or __init__)
        field.name: override(omit=True)
        for field in attrs.fields(origin)
        if field.name.startswith("_") and (not field.init or not field.eq)
    }
    inner = make_dict_unstructure_fn(kind, conv, **private)

    def unstructure(value: Any) -> Any:
        if type(value) is not origin and attrs.has(type(value)):
            return conv.unstructure(value, unstructure_as=type(value))  # a subclass
        return inner(value)

    return unstructure


def _attrs_members(kind: Any) -> list[Any]:
    return [member for member in typing.get_args(kind) if _is_attrs(member)]


def _union_structure(conv: Converter, kind: Any) -> Callable[[Any, Any], Any]:
    members = [member for member in typing.get_args(kind) if member is not _NONE]
    optional = len(members) < len(typing.get_args(kind))
    classes = {_origin(member).__name__: member for member in _attrs_members(kind)}
    others = [member for member in members if not _is_attrs(member)]
    names = " or ".join(_name(member) for member in members)

    def structure(value: Any, _: Any) -> Any:
        if value is None:
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
        raise _leaf(f"{names}; got {_json_type(value)}")

    return structure


def _tagged_unstructure(conv: Converter, kind: Any) -> Callable[[Any], Any]:
    def unstructure(value: Any) -> Any:
        if attrs.has(type(value)):
            data = conv.unstructure(value, unstructure_as=type(value))
            return {TAG: type(value).__name__, **data}
        return conv.unstructure(value)

    return unstructure


# ---------------------------------------------------------------------------------------------
# PolicyYear: amendments hold values of the types found at their paths
# ---------------------------------------------------------------------------------------------
def _type_at(path: str) -> Any:
    kind: Any = PolicyYear
    for part in path.split("."):
        if not _is_attrs(kind):
            raise InvalidInput("", f"no policy value at {path!r}")
        hints = typing.get_type_hints(_origin(kind))
        if part not in hints or part.startswith("_"):
            raise InvalidInput("", f"no policy value at {path!r}")
        kind = hints[part]
        if _is_union(kind):
            members = [member for member in typing.get_args(kind) if member is not _NONE]
            if len(members) == 1:
                kind = members[0]
    return kind


def _policy_structure(conv: Converter) -> Callable[[Any, Any], PolicyYear]:
    generic = _attrs_structure(conv, PolicyYear)

    def amended(amendment: Amendment, where: str) -> Amendment:
        changes: dict[str, Any] = {}
        errors: list[Exception] = []
        for path, value in amendment.changes.items():
            try:
                kind = _type_at(path)
                changes[path] = conv.get_structure_hook(kind)(value, kind)
            except Exception as error:
                errors.append(_with_note(error, IterableValidationNote(path, path, Any)))
        if errors:
            inner = IterableValidationError("changes", errors, FrozenMap)
            note = AttributeValidationNote("changes", "changes", FrozenMap)
            raise ClassValidationError(where, [_with_note(inner, note)], Amendment)
        return attrs.evolve(amendment, changes=FrozenMap(changes))

    def structure(value: Any, kind: Any) -> PolicyYear:
        policy: PolicyYear = generic(value, kind)
        if isinstance(value, PolicyYear):
            return policy
        errors: list[Exception] = []
        fixed: dict[str, tuple[Amendment, ...]] = {}
        for name in ("amendments", "known_amendments"):
            items: list[Amendment] = []
            group: list[Exception] = []
            for index, amendment in enumerate(getattr(policy, name)):
                try:
                    items.append(amended(amendment, f"{name}[{index}]"))
                except Exception as error:
                    note = IterableValidationNote(name, index, Amendment)
                    group.append(_with_note(error, note))
            if group:
                inner = IterableValidationError(name, group, tuple)
                errors.append(_with_note(inner, AttributeValidationNote(name, name, tuple)))
            fixed[name] = tuple(items)
        if errors:
            raise ClassValidationError("While structuring PolicyYear", errors, PolicyYear)
        return attrs.evolve(policy, **fixed)  # type: ignore[arg-type]

    return structure


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------
def _last_segment(path: str) -> str:
    tail = path.rpartition(".")[2]
    return tail.partition("[")[0]


def _locate(path: str, error: BaseException, kind: Any) -> tuple[str, str]:
    """The JSON path and the message of one failure."""
    if isinstance(error, InvalidInput):
        field = error.field
        if field.startswith("$"):  # already a path (a nested converter call)
            return path + field[1:], error.message
        if not field:
            return path, error.message
        if _is_attrs(kind):
            parts = field.split(".")
            if len(parts) > 1 and parts[0] == _last_segment(path):
                parts = parts[1:]
            if parts[0] in attrs.fields_dict(_origin(kind)):
                return f"{path}.{'.'.join(parts)}", error.message
        return path, f"{field}: {error.message}"
    if isinstance(error, TypeError) and len(error.args) >= 3 and isinstance(
        error.args[1], attrs.Attribute
    ):  # an attrs validator (instance_of): name the field, never echo the value
        attribute = error.args[1]
        return f"{path}.{attribute.name}", f"must be {_name(error.args[2])}"
    if isinstance(error, ForbiddenExtraKeysError):
        return path, f"unknown fields: {', '.join(sorted(error.extra_fields))}"
    if isinstance(error, KeyError):
        return path, "required field missing"
    return path, cattrs.v.format_exception(error, kind)


def _translate(error: BaseException, kind: Any) -> InvalidInput:
    """One ``InvalidInput`` for a failed structuring, listing every failing path."""
    seen: list[tuple[BaseException, Any]] = []

    def describe(exc: BaseException, exc_type: Any) -> str:
        seen.append((exc, exc_type))
        return "-"

    lines = cattrs.transform_error(error, path="$", format_exception=describe)
    problems: list[tuple[str, str]] = []
    classes: set[type[InvalidInput]] = set()
    for line, (exc, exc_type) in zip(lines, seen, strict=True):
        path = line.rpartition(" @ ")[2]
        if exc_type is None and path == "$":
            exc_type = kind
        if isinstance(exc, InvalidInput) and len(exc.problems) > 1 and exc.field.startswith("$"):
            for inner_path, message in exc.problems:
                problems.append((path + inner_path[1:], message))
        else:
            problems.append(_locate(path, exc, exc_type))
        classes.add(type(exc) if isinstance(exc, InvalidInput) else InvalidInput)
    cls = classes.pop() if len(classes) == 1 else InvalidInput
    field, message = problems[0]
    if len(problems) > 1:
        others = "; ".join(f"{path}: {text}" for path, text in problems[1:])
        message = f"{message} (and {len(problems) - 1} more: {others})"
    return cls(field, message, problems=tuple(problems))


# ---------------------------------------------------------------------------------------------
# The converter and the conveniences
# ---------------------------------------------------------------------------------------------
converter: Converter = make_converter()
"""The converter for every public value: ``converter.unstructure(value)`` gives plain data
(what :func:`to_json` writes), ``converter.structure(data, Type)`` reads it back.

>>> from qpp_rules import Reason
>>> converter.unstructure(Reason("X-1", "Closed.", "REG-GUIDE-2019, III"))
{'rule_id': 'X-1', 'message': 'Closed.', 'citation': {'source': 'REG-GUIDE-2019', 'section': 'III'}}
"""


def to_dict(value: Any, *, as_type: Any = None) -> Any:
    """The plain-data form of ``value`` (dicts, lists, text, numbers, booleans, None), ready
    for ``json.dumps``; ``as_type`` unstructures it as that declared type (e.g. a union).

    >>> from decimal import Decimal
    >>> from qpp_rules import LowVolumeThreshold
    >>> to_dict(LowVolumeThreshold(Decimal("90000"), 200, 200))
    {'allowed_charges': '90000', 'patients': 200, 'covered_services': 200}
    """
    return converter.unstructure(value, unstructure_as=as_type)


def from_dict(data: Any, kind: type[T]) -> T:
    """A value of type ``kind`` from its plain-data form; ``InvalidInput`` listing every
    failing field path otherwise.

    >>> from qpp_rules import Reason
    >>> from_dict({"rule_id": "X-1", "message": "m", "citation": "c"}, Reason).rule_id
    'X-1'
    >>> from_dict({"rule_id": 1, "message": "m"}, Reason)
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: $.rule_id: text; got a number (and 1 more: $.citation: \
required field missing)
    """
    return typing.cast(T, converter.structure(data, kind))


def to_json(value: Any, *, indent: int | None = None, as_type: Any = None) -> str:
    """``value`` as JSON text (fields in declaration order, sets sorted).

    >>> from qpp_rules import TIN, OrgType
    >>> to_json([TIN("00-0765630"), OrgType.VIRTUAL_GROUP])
    '["000765630", "Virtual Group"]'
    """
    data = to_dict(value, as_type=as_type)
    try:
        return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        raise InvalidInput(
            "value", f"a {type(value).__name__} cannot be written as JSON"
        ) from None


def from_json(text: str | bytes, kind: type[T]) -> T:
    """A value of type ``kind`` from JSON text; ``InvalidInput`` for text that is not JSON or
    data that does not fit ``kind`` (every failing field path in ``.problems``).

    >>> from qpp_rules import Decision
    >>> text = '{"allowed": false, "reasons": [{"rule_id": "X-1", "message": "No.", '
    >>> text += '"citation": "here"}]}'
    >>> print(from_json(text, Decision).explain())
    refused
      - [X-1] No. (here)
    >>> from_json("{", Decision)
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: $: not valid JSON: Expecting property name enclosed in \
double quotes: line 1 column 2 (char 1)
    """
    if not isinstance(text, str | bytes | bytearray):
        raise InvalidInput("text", f"JSON text; got {type(text).__name__}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput("$", f"not valid JSON: {error}") from None
    except UnicodeDecodeError:
        raise InvalidInput("$", "not valid JSON: the bytes are not UTF-8") from None
    return from_dict(data, kind)
