"""Serialization: every public value to JSON and back, through one cattrs ``Converter``, the
JSON variant of the library's one converter configuration (:mod:`qpp_rules.kernel.convert`).

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
  its class under ``"_type"``;
- a value in a generic field (an ``Outcome``'s state, events, notifications and counts)
  names its class's public name under ``"_type"`` (``"registration.Registered"``), so that
  ``from_json(to_json(outcome), type(outcome)) == outcome``.

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

import importlib
import json
import pkgutil
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)

from qpp_rules.errors import InvalidInput
from qpp_rules.kernel.cache import SHARED
from qpp_rules.kernel.convert import TAG, Converter, Style, Tagged
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.loading import type_at
from qpp_rules.policy.model import Amendment

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
    "public_class",
    "public_name",
    "read_eligibility_payload",
    "to_dict",
    "to_json",
]

T = TypeVar("T")

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
# Values in a generic field (an Outcome's state, events, notifications, counts): tagged with
# their public name, so that the plain type reads them back
# ---------------------------------------------------------------------------------------------
_NATIVE = (str, int, float, bool, type(None), list, dict)


def _homes() -> tuple[str, ...]:
    """The packages a public class is exported from: ``qpp_rules`` and each sub-package."""
    import qpp_rules

    def find() -> tuple[str, ...]:
        found = pkgutil.iter_modules(qpp_rules.__path__)
        return ("", *sorted(info.name for info in found if info.ispkg))

    homes: tuple[str, ...] = SHARED.answer((_homes,), find)
    return homes


def _module(home: str) -> Any:
    return importlib.import_module(f"qpp_rules.{home}" if home else "qpp_rules")


def public_name(kind: type) -> str:
    """The name a class is exported under, as :data:`TAG` writes it in a generic field:
    ``Name`` from ``qpp_rules``, ``package.Name`` from a sub-package (the first that exports
    it), else ``module:QualifiedName``.

    >>> from qpp_rules.registration import Registered
    >>> import qpp_rules as qr
    >>> public_name(Registered), public_name(qr.Decision)
    ('registration.Registered', 'Decision')
    """
    name: str = SHARED.answer((public_name, kind), lambda: _public_name(kind))
    return name


def _public_name(kind: type) -> str:
    for home in _homes():
        module = _module(home)
        if getattr(module, kind.__name__, None) is kind and kind.__name__ in getattr(
            module, "__all__", ()
        ):
            return f"{home}.{kind.__name__}" if home else kind.__name__
    return f"{kind.__module__}:{kind.__qualname__}"


def public_class(name: str) -> type | None:
    """The class :func:`public_name` gave ``name``, or None (a module is imported only when
    it is one of the library's packages, or already loaded).

    >>> public_class("registration.Registered").__name__, public_class("os.system")
    ('Registered', None)
    """
    import sys

    home, _, attribute = name.rpartition(":") if ":" in name else name.rpartition(".")
    if ":" in name:
        module = sys.modules.get(home)
        found = module
        for part in attribute.split("."):
            found = getattr(found, part, None)
    elif home in _homes():
        module = _module(home)
        exported = attribute in getattr(module, "__all__", ())
        found = getattr(module, attribute, None) if exported else None
    else:
        return None
    return found if isinstance(found, type) else None


def _unstructure_any(conv: Converter) -> Callable[[Any], Any]:
    def unstructure(value: Any) -> Any:
        if isinstance(value, _NATIVE):
            return conv.unstructure(value)
        if isinstance(value, tuple):
            return [unstructure(item) for item in value]
        data = conv.unstructure(value, unstructure_as=type(value))
        name = public_name(typing.cast(type, type(value)))
        return {TAG: name, **data} if attrs.has(type(value)) else {TAG: name, "value": data}

    return unstructure


def _structure_any(conv: Converter) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping) or not isinstance(value.get(TAG), str):
            return value
        kind = public_class(value[TAG])
        if kind is None:
            raise InvalidInput("", f"{TAG} names no class of the library: {value[TAG]!r}")
        rest = {key: item for key, item in value.items() if key != TAG}
        if attrs.has(kind):
            return conv.get_structure_hook(kind)(rest, kind)
        if set(rest) != {"value"}:
            raise InvalidInput("", f"an object with {TAG} and value for {a_or_an(kind.__name__)}")
        return conv.get_structure_hook(kind)(rest["value"], kind)

    return structure


# ---------------------------------------------------------------------------------------------
# Amendments hold values of the types found at their paths
# ---------------------------------------------------------------------------------------------
def _amendment(conv: Converter) -> Callable[[Any, Any], Amendment]:
    generic = conv.get_structure_hook(Amendment)

    def structure(value: Any, _: Any) -> Amendment:
        amendment: Amendment = generic(value, Amendment)
        if isinstance(value, Amendment):
            return amendment
        changes: dict[str, Any] = {}
        errors: list[Exception] = []
        for path, item in amendment.changes.items():
            try:
                kind = type_at(path)
                if kind is None:
                    raise InvalidInput("", f"no policy value at {path!r}")
                changes[path] = conv.get_structure_hook(kind)(item, kind)
            except Exception as error:
                error.__notes__ = [IterableValidationNote(path, path, Any)]
                errors.append(error)
        if errors:
            inner = IterableValidationError("changes", errors, FrozenMap)
            inner.__notes__ = [AttributeValidationNote("changes", "changes", FrozenMap)]
            raise ClassValidationError("While structuring Amendment", [inner], Amendment)
        return attrs.evolve(amendment, changes=FrozenMap(changes))

    return structure


def make_converter(*, npi_check_digit: bool = False) -> Converter:
    """A new converter configured as :data:`converter` is: the kernel's hooks
    (:func:`qpp_rules.kernel.convert.configure`) for JSON, plus the public names of the values
    in generic fields and the typed values of amendments.

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
    conv = Converter(Style(), npi_check_digit=npi_check_digit)
    conv.register_structure_hook_func(lambda kind: kind is Tagged, _structure_any(conv))
    conv.register_unstructure_hook_func(lambda kind: kind is Tagged, _unstructure_any(conv))
    conv.register_structure_hook(Amendment, _amendment(conv))
    return conv


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
            "value", f"{a_or_an(type(value).__name__)} cannot be written as JSON"
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
    except ValueError:  # a number of more digits than Python converts (sys.int_info)
        raise InvalidInput("$", "a number too long to read (thousands of digits)") from None
    except RecursionError:
        data = _TOO_DEEP
    if data is not _TOO_DEEP:
        try:
            return from_dict(data, kind)
        except RecursionError:
            pass
    raise InvalidInput("$", "JSON nested deeper than this library reads (arrays or objects "
                       "inside one another hundreds of levels deep)")


_TOO_DEEP = object()
