"""Loading a policy year from its data file (TOML), and applying amendments and reforms.

The file puts every value beside its citation::

    [registration.web_interface_min_clinicians]
    value = 25
    cite = { source = "REG-GUIDE-2019", section = "IV step 1-2", rules = ["REG-ELIG-1"] }

A table with a ``value`` key is a *cited value* (it may also hold ``erratum``); any other
table is a section. Loading refuses unknown keys, a value without its citation, wrong types
and impossible values, with a :class:`~qpp_rules.errors.PolicyFileError` naming the file and
the field.
"""

from __future__ import annotations

import datetime as _dt
import tomllib
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs
import cattrs
import pendulum
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError

from qpp_rules.errors import InvalidInput, PolicyFileError
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.model import Amendment, Citation, Erratum, PolicyYear
from qpp_rules.time import EASTERN, Window

__all__ = ["apply_changes", "load_policy_file", "load_policy_text", "reform"]

_PLAIN_KEYS = frozenset({"year", "title"})
_LEAF_KEYS = frozenset({"value", "cite", "erratum"})


def _as_eastern(value: Any, _: Any = None) -> pendulum.DateTime:
    if isinstance(value, str):
        parsed = pendulum.parse(value, tz=EASTERN)
        if not isinstance(parsed, pendulum.DateTime):
            raise ValueError(f"not a date and time: {value!r}")
        return parsed.in_timezone(EASTERN)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:  # a TOML local date-time: a wall-clock reading in ET
            return pendulum.instance(value, tz=EASTERN)
        return pendulum.instance(value).in_timezone(EASTERN)
    if isinstance(value, _dt.date):
        return pendulum.datetime(value.year, value.month, value.day, tz=EASTERN)
    raise TypeError(f"a date and time; got {type(value).__name__}")


def _decimal(value: Any, _: Any = None) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise TypeError(f"an amount as text or a whole number; got {type(value).__name__}")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return amount


def _strict(kind: type) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(f"expected {kind.__name__}; got {type(value).__name__}")
        return value

    return structure


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(pendulum.DateTime, _as_eastern)
    converter.register_structure_hook(Decimal, _decimal)
    for kind in (int, str, bool):
        converter.register_structure_hook(kind, _strict(kind))
    converter.register_structure_hook(
        Window,
        lambda value, _: Window(
            _as_eastern(_field(value, "opens")), _as_eastern(_field(value, "closes"))
        ),
    )

    def is_frozenmap(kind: Any) -> bool:
        return typing.get_origin(kind) is FrozenMap

    def frozenmap_hook(kind: Any) -> Callable[[Any, Any], Any]:
        key_type, value_type = typing.get_args(kind)
        inner = converter.get_structure_hook(dict[key_type, value_type])  # type: ignore[valid-type]

        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise TypeError(f"a table; got {type(value).__name__}")
            return FrozenMap(inner(value, dict))

        return structure

    converter.register_structure_hook_factory(is_frozenmap, frozenmap_hook)

    def is_optional_window(kind: Any) -> bool:
        return set(typing.get_args(kind)) == {Window, type(None)}

    def optional_window(value: Any, _: Any) -> Window | None:
        if isinstance(value, Mapping) and not value:  # TOML has no null: {} means unknown
            return None
        return converter.structure(value, Window)

    converter.register_structure_hook_func(is_optional_window, optional_window)
    converter.register_structure_hook(Any, lambda value, _: value)
    return converter


def _field(value: Any, name: str) -> Any:
    if not isinstance(value, Mapping):
        raise TypeError(f"a table with opens and closes; got {type(value).__name__}")
    extra = set(value) - {"opens", "closes"}
    if extra:
        raise ForbiddenExtraKeysError("", Window, extra)
    if name not in value:
        raise KeyError(name)
    return value[name]


CONVERTER = _make_converter()


def _split(
    table: Mapping[str, Any], source: str, prefix: str = ""
) -> tuple[dict[str, Any], dict[str, Citation], dict[str, Erratum]]:
    """Split a file's tables into plain values, their citations and their errata."""
    values: dict[str, Any] = {}
    citations: dict[str, Citation] = {}
    errata: dict[str, Erratum] = {}
    for key, item in table.items():
        path = f"{prefix}{key}"
        if isinstance(item, Mapping) and "value" in item:
            extra = set(item) - _LEAF_KEYS
            if extra:
                raise PolicyFileError(source, path, f"unknown keys {sorted(extra)}")
            if "cite" not in item:
                raise PolicyFileError(source, path, "every value needs its citation ('cite')")
            values[key] = item["value"]
            citations[path] = _structure(item["cite"], Citation, source, f"{path}.cite")
            if "erratum" in item:
                errata[path] = _structure(item["erratum"], Erratum, source, f"{path}.erratum")
        elif isinstance(item, Mapping):
            inner, inner_cites, inner_errata = _split(item, source, f"{path}.")
            values[key] = inner
            citations.update(inner_cites)
            errata.update(inner_errata)
        elif not prefix and key in _PLAIN_KEYS:
            values[key] = item
        else:
            raise PolicyFileError(
                source, path, "a value must be a table with 'value' and 'cite'"
            )
    return values, citations, errata


def _structure(value: Any, kind: Any, source: str, path: str) -> Any:
    try:
        return CONVERTER.structure(value, kind)
    except ClassValidationError as group:
        messages = cattrs.transform_error(group, path=path or "$")
        raise PolicyFileError(source, "", "; ".join(messages)) from None
    except (InvalidInput, TypeError, ValueError, KeyError) as error:
        detail = str(error)
        if isinstance(error, InvalidInput):
            where = f"{path}.{error.field}" if path else error.field
            raise PolicyFileError(source, where, error.message) from None
        raise PolicyFileError(source, path, detail) from None


def load_policy_text(text: str, source: str = "<text>") -> PolicyYear:
    """A policy year from the text of a data file; ``source`` names it in errors."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyFileError(source, "", f"not valid TOML: {error}") from None
    raw_amendments = raw.pop("amendments", [])
    values, citations, errata = _split(raw, source)
    for key in ("year", "title"):
        if key not in values:
            raise PolicyFileError(source, key, "missing")
    values["citations"] = citations
    values["errata"] = errata
    published: PolicyYear = _structure_policy(values, source)
    if not isinstance(raw_amendments, list):
        raise PolicyFileError(source, "amendments", "an array of tables ([[amendments]])")
    amendments = tuple(
        _amendment(published, item, source, f"amendments[{index}]")
        for index, item in enumerate(raw_amendments)
    )
    return attrs.evolve(published, known_amendments=amendments)


def _structure_policy(values: dict[str, Any], source: str) -> PolicyYear:
    citations = values.pop("citations")
    errata = values.pop("errata")
    policy: PolicyYear = _structure(values, PolicyYear, source, "")
    uncited = [path for path in _leaf_paths(policy) if _nearest(citations, path) is None]
    if uncited:
        raise PolicyFileError(source, uncited[0], "has no citation")
    return attrs.evolve(policy, citations=FrozenMap(citations), errata=FrozenMap(errata))


def _leaf_paths(value: Any, prefix: str = "") -> list[str]:
    paths: list[str] = []
    for field in attrs.fields(type(value)):
        if field.name in {"year", "title", "citations", "errata", "amendments",
                          "known_amendments", "label", "_memo"}:
            continue
        inner = getattr(value, field.name)
        path = f"{prefix}{field.name}"
        if attrs.has(type(inner)) and not isinstance(inner, Window):
            paths.extend(_leaf_paths(inner, f"{path}."))
        else:
            paths.append(path)
    return paths


def _nearest(citations: Mapping[str, Citation], path: str) -> Citation | None:
    probe = path
    while probe:
        if probe in citations:
            return citations[probe]
        probe = probe.rpartition(".")[0]
    return None


def _amendment(policy: PolicyYear, item: Any, source: str, path: str) -> Amendment:
    if not isinstance(item, Mapping):
        raise PolicyFileError(source, path, "a table")
    extra = set(item) - {"id", "announced", "summary", "cite", "changes"}
    if extra:
        raise PolicyFileError(source, path, f"unknown keys {sorted(extra)}")
    for key in ("id", "announced", "summary", "cite", "changes"):
        if key not in item:
            raise PolicyFileError(source, f"{path}.{key}", "missing")
    changes_raw = item["changes"]
    if not isinstance(changes_raw, Mapping) or not changes_raw:
        raise PolicyFileError(source, f"{path}.changes", "a table of path = new value")
    changes: dict[str, Any] = {}
    for target, raw_value in changes_raw.items():
        kind = _type_at(policy, target, source, f"{path}.changes")
        changes[target] = _structure(raw_value, kind, source, f"{path}.changes.{target}")
    amendment = Amendment(
        id=_structure(item["id"], str, source, f"{path}.id"),
        announced=_structure(item["announced"], pendulum.DateTime, source, f"{path}.announced"),
        summary=_structure(item["summary"], str, source, f"{path}.summary"),
        citation=_structure(item["cite"], Citation, source, f"{path}.cite"),
        changes=FrozenMap(changes),
    )
    try:
        apply_changes(policy, amendment.changes)
    except InvalidInput as error:
        raise PolicyFileError(source, f"{path}.changes", error.message) from None
    return amendment


def _type_at(policy: PolicyYear, target: str, source: str, where: str) -> Any:
    kind: Any = PolicyYear
    for part in target.split("."):
        hints = typing.get_type_hints(kind) if attrs.has(kind) else {}
        if part not in hints or part in {"citations", "errata", "amendments", "known_amendments"}:
            raise PolicyFileError(source, where, f"no policy value at {target!r}")
        kind = hints[part]
        args = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        if typing.get_origin(kind) in (typing.Union, types.UnionType) and len(args) == 1:
            kind = args[0]
    return kind


def apply_changes(policy: PolicyYear, changes: Mapping[str, Any], **top: Any) -> PolicyYear:
    """A new policy with each dotted path in ``changes`` set to its value, validated whole.

    Raises ``InvalidInput`` naming the path when it does not exist or the result is invalid;
    the policy given is never changed.
    """
    result = policy
    for path, value in changes.items():
        result = _set_path(result, path.split("."), value, path)
    try:
        return attrs.evolve(result, **top)
    except (TypeError, ValueError, AttributeError) as error:
        if isinstance(error, InvalidInput):
            raise
        raise InvalidInput("policy", str(error)) from None


def _set_path(value: Any, parts: list[str], new: Any, path: str) -> Any:
    head, rest = parts[0], parts[1:]
    if not attrs.has(type(value)) or head not in attrs.fields_dict(type(value)) \
            or head.startswith("_"):
        raise InvalidInput(path, "no policy value at this path")
    replacement = _set_path(getattr(value, head), rest, new, path) if rest else new
    try:
        return attrs.evolve(value, **{head: replacement})
    except InvalidInput as error:
        raise InvalidInput(path, error.message) from None
    except (TypeError, ValueError, AttributeError) as error:
        raise InvalidInput(path, f"not a valid value here: {error}") from None


def reform(policy: PolicyYear, changes: Mapping[str, Any], *, label: str) -> PolicyYear:
    """A reform: ``policy`` with the values at the given paths changed, validated whole
    before it is returned, and labelled for comparisons.

    >>> import qpp_rules as qr
    >>> r = qr.reform(qr.policy_for(2019), {"registration.web_interface_min_clinicians": 15},
    ...               label="WI at 15")
    >>> r.registration.web_interface_min_clinicians, r.label
    (15, 'WI at 15')
    """
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    if not isinstance(changes, Mapping):
        raise InvalidInput("changes", "a mapping of dotted path to new value")
    if not isinstance(label, str) or not label:
        raise InvalidInput("label", "a non-empty name for the reform")
    citations = dict(policy.citations)
    for path in changes:
        if not isinstance(path, str):
            raise InvalidInput("changes", f"paths are text; got {type(path).__name__}")
        citations[path] = Citation("reform", label, (), None, f"changed by the reform {label!r}")
    return apply_changes(policy, changes, label=label, citations=FrozenMap(citations))


def load_policy_file(path: str | Path) -> PolicyYear:
    """A policy year from a TOML data file (published values plus known amendments)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyFileError(str(file), "", f"cannot be read: {error.strerror}") from None
    return load_policy_text(text, str(file.name))
