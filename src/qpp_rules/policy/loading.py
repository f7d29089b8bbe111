"""Loading a policy year from its data file (TOML), and applying amendments and reforms.

The file puts every value beside its citation::

    [registration.web_interface_min_clinicians]
    value = 25
    cite = { source = "REG-GUIDE-2019", section = "IV step 1-2", rules = ["REG-ELIG-1"] }

A table with a ``value`` key is a *cited value* (it may also hold ``erratum``); any other
table is a section. Loading refuses unknown keys, a value without its citation, wrong types
(no ``"25"`` for 25, no ``true`` for 1, no text for an array), duplicates in a set, missing
keys and impossible values, with a :class:`~qpp_rules.errors.PolicyFileError` naming the file
and the field path as the file writes it (``[i]`` for an array item), e.g.
``py2019.toml: registration.cahps_min_clinicians: expected int; got str '2'``. Every problem
found is in the message; the first is the error's ``field``.
"""

from __future__ import annotations

import datetime as _dt
import tomllib
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs
import cattrs
import pendulum
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from qpp_rules.errors import InvalidInput, NaiveDateTime, PolicyFileError, shown
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.model import (
    Amendment,
    Citation,
    Erratum,
    PolicyYear,
    _problem,
)
from qpp_rules.policy.paths import declared_type, leaf_paths
from qpp_rules.time import EASTERN, Window

__all__ = ["apply_changes", "load_policy_file", "load_policy_text", "reform"]

_PLAIN_KEYS = frozenset({"year", "title"})
_LEAF_KEYS = frozenset({"value", "cite", "erratum"})
_UNKNOWN = "unknown"


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


def _describe(value: Any) -> str:
    """A value's type and (shortened) text, for messages."""
    return f"{type(value).__name__} {shown(value, 60)}"


def _strict(kind: type) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if type(value) is not kind:  # no "25" for 25, no true for 1
            raise TypeError(f"expected {kind.__name__}; got {_describe(value)}")
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

    def is_collection(kind: Any) -> bool:
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        return origin is frozenset or (origin is tuple and args[1:] == (...,))

    def collection_hook(kind: Any) -> Callable[[Any, Any], Any]:
        origin, element = typing.get_origin(kind), typing.get_args(kind)[0]
        inner = converter.get_structure_hook(element)

        def structure(value: Any, _: Any) -> Any:
            # a TOML array only: a string is not a list of its characters
            if not isinstance(value, list | tuple):
                raise TypeError(f"an array; got {_describe(value)}")
            items: list[Any] = []
            errors: list[Exception] = []
            for index, item in enumerate(value):
                try:
                    structured = inner(item, element)
                    if origin is frozenset and structured in items:
                        raise ValueError(f"listed twice: {shown(item)}")
                    items.append(structured)
                except Exception as error:
                    error.__notes__ = [
                        *getattr(error, "__notes__", []),
                        IterableValidationNote(f"item {index}", index, element),
                    ]
                    errors.append(error)
            if errors:
                raise IterableValidationError(f"while structuring {kind!r}", errors, kind)
            return origin(items)

        return structure

    converter.register_structure_hook_factory(is_collection, collection_hook)

    def is_value_class(kind: Any) -> bool:
        return isinstance(kind, type) and attrs.has(kind) and kind is not Window

    def value_class_hook(kind: Any) -> Callable[[Any, Any], Any]:
        inner = make_dict_structure_fn(kind, converter)

        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise TypeError(f"a table; got {_describe(value)}")
            return inner(value, kind)

        return structure

    converter.register_structure_hook_factory(is_value_class, value_class_hook)

    def is_optional_window(kind: Any) -> bool:
        return set(typing.get_args(kind)) == {Window, type(None)}

    def optional_window(value: Any, _: Any) -> Window | None:
        if value is None or (isinstance(value, Mapping) and not value):  # unknown, or none
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
        raise InvalidInput(name, "missing")
    return value[name]


CONVERTER = _make_converter()


def _split(
    table: Mapping[str, Any], source: str, prefix: str = "",
    unknowns: dict[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, Citation], dict[str, Erratum]]:
    """Split a file's tables into plain values, their citations and their errata. A table
    ``{unknown = "why"}`` is a value no source gives: None, its path and why recorded in
    ``unknowns``."""
    values: dict[str, Any] = {}
    citations: dict[str, Citation] = {}
    errata: dict[str, Erratum] = {}
    unknowns = {} if unknowns is None else unknowns
    for key, item in table.items():
        path = f"{prefix}{key}"
        if isinstance(item, Mapping) and _UNKNOWN in item:
            if set(item) != {_UNKNOWN}:
                raise PolicyFileError(source, path, "an unknown value has only 'unknown' "
                                      "(why no source gives it): no value, no citation")
            why = item[_UNKNOWN]
            if not isinstance(why, str) or not why.strip():
                raise PolicyFileError(source, f"{path}.unknown", "text: why the value is "
                                      "not known")
            values[key] = None
            unknowns[path] = why
        elif isinstance(item, Mapping) and "value" in item:
            extra = set(item) - _LEAF_KEYS
            if extra:
                raise PolicyFileError(source, path, f"unknown keys {sorted(extra)}")
            if "cite" not in item:
                raise PolicyFileError(source, path, "every value needs its citation ('cite')")
            values[key] = item["value"]
            citations[path] = _structure(item["cite"], Citation, source, f"{path}.cite")
            if "erratum" in item:
                errata[path] = _structure(item["erratum"], Erratum, source, f"{path}.erratum")
        elif isinstance(item, Mapping) and "cite" in item:
            raise PolicyFileError(source, path, "a cited value needs its 'value'")
        elif isinstance(item, Mapping):
            inner, inner_cites, inner_errata = _split(item, source, f"{path}.", unknowns)
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


def _join(path: str, part: object) -> str:
    if isinstance(part, int):
        return f"{path}[{part}]"
    name = str(getattr(part, "value", part))  # an enum key reads as the file writes it
    return f"{path}.{name}" if path else name


def _nest(path: str, field: str) -> str:
    """The path of a field named by a value's own check, below the path being structured
    (a table's checks may already name their full path, e.g. ``registration.window``)."""
    if not field or field == path or field.startswith(f"{path}."):
        return field or path
    return _join(path, field)


def _problems_of(error: BaseException, path: str = "") -> list[tuple[str, str]]:
    """Every ``(path, message)`` in a structuring error (cattrs' exception groups walked, the
    path written as the data file's dotted keys, ``[i]`` for an array item)."""
    found: list[tuple[str, str]] = []
    if isinstance(error, ClassValidationError | IterableValidationError):
        with_notes, without = error.group_exceptions()
        for inner, note in with_notes:
            part = note.index if isinstance(note, IterableValidationNote) else note.name
            found += _problems_of(inner, _join(path, part))
        for inner in without:
            found += _problems_of(inner, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        found += [(_join(path, key), "unknown key") for key in sorted(error.extra_fields)]
    elif isinstance(error, InvalidInput):
        found += [(_nest(path, field), message) for field, message in error.problems]
    elif isinstance(error, KeyError):
        found.append((path, "missing"))
    elif isinstance(error, TypeError | ValueError):
        found.append((path, str(error)))
    else:
        found.append((path, f"{type(error).__name__}: {error}"))
    return found


def _report(problems: list[tuple[str, str]]) -> tuple[str, str]:
    """The first problem's path, and a message carrying the others too."""
    field, message = problems[0]
    others = [f"{where or '(top)'}: {what}" for where, what in problems[1:]]
    if others:
        message += f" (and {len(others)} more: {'; '.join(others)})"
    return field, message


def _structure(value: Any, kind: Any, source: str, path: str) -> Any:
    try:
        return CONVERTER.structure(value, kind)
    except (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError,
            InvalidInput, TypeError, ValueError, KeyError) as error:
        field, message = _report(_problems_of(error, path))
        raise PolicyFileError(source, field, message) from None


def load_policy_text(text: str, source: str = "<text>") -> PolicyYear:
    """A policy year from the text of a data file; ``source`` names it in errors.

    >>> load_policy_text("year = 2019", "mine.toml")
    Traceback (most recent call last):
    ...
    qpp_rules.errors.PolicyFileError: mine.toml: title: missing
    """
    if not isinstance(source, str):
        raise PolicyFileError("<text>", "source", f"a name (text); got {type(source).__name__}")
    if not isinstance(text, str):
        kind = type(text).__name__
        raise PolicyFileError(source, "", f"the text of a TOML file; got {kind}")
    try:
        raw = tomllib.loads(text)
        raw_amendments = raw.pop("amendments", [])
        unknowns: dict[str, str] = {}
        values, citations, errata = _split(raw, source, "", unknowns)
    except tomllib.TOMLDecodeError as error:
        raise PolicyFileError(source, "", f"not valid TOML: {error}") from None
    except RecursionError:  # arrays or tables nested thousands deep
        raise PolicyFileError(source, "", "tables or arrays nested too deeply") from None
    for key in ("year", "title"):
        if key not in values:
            raise PolicyFileError(source, key, "missing")
    values["citations"] = citations
    values["errata"] = errata
    values["unknowns"] = unknowns
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
    unknowns = values.pop("unknowns")
    policy: PolicyYear = _structure(values, PolicyYear, source, "")
    uncited = [
        path for path in leaf_paths(policy)
        if path not in unknowns and _nearest(citations, path) is None
    ]
    if uncited:
        raise PolicyFileError(source, uncited[0], "has no citation")
    return attrs.evolve(policy, citations=FrozenMap(citations), errata=FrozenMap(errata),
                        unknowns=FrozenMap(unknowns))


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
        kind = declared_type(target)
        if kind is None:
            raise PolicyFileError(source, f"{path}.changes", f"no policy value at {target!r}")
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


def apply_changes(policy: PolicyYear, changes: Mapping[str, Any], **top: Any) -> PolicyYear:
    """A new policy with each dotted path in ``changes`` set to its value, validated whole.

    Raises ``InvalidInput`` naming the path when it does not exist or the result is invalid;
    the policy given is never changed.

    >>> import qpp_rules as qr
    >>> policy = qr.policy_for(2019)
    >>> changed = apply_changes(policy, {"registration.cahps_min_clinicians": 3})
    >>> changed.registration.cahps_min_clinicians, policy.registration.cahps_min_clinicians
    (3, 2)
    >>> apply_changes(policy, {"registration.no_such": 3})
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: registration.no_such: no policy value at this path
    """
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    if not isinstance(changes, Mapping):
        raise InvalidInput("changes", f"a mapping of dotted path to new value; got "
                           f"{type(changes).__name__}")
    for path in changes:
        if not isinstance(path, str):
            raise InvalidInput("changes", f"paths are text; got {type(path).__name__}")
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
    typed: dict[str, Any] = {}
    for path, value in changes.items():
        if not isinstance(path, str):
            raise InvalidInput("changes", f"paths are text; got {type(path).__name__}")
        typed[path] = _reform_value(path, value)
        for cited in [c for c in citations if c == path or c.startswith(f"{path}.")]:
            del citations[cited]  # the values below a changed table are the reform's now
        citations[path] = Citation("reform", label, (), None, f"changed by the reform {label!r}",
                                   authority="reform")
    return apply_changes(policy, typed, label=label, citations=FrozenMap(citations))


def _reform_value(path: str, value: Any) -> Any:
    """A reform's new value as the policy holds it: given as such, or in the data file's
    shape (a table for a Window, an array for a set, text or a whole number for an amount),
    structured with the loader's converter (no "25" for 25, no naive datetime)."""
    kind = declared_type(path)
    if kind is None:
        raise InvalidInput(path, "no policy value at this path")
    if _problem(value, kind) is None:
        return value
    try:
        if _has_naive(value):
            raise NaiveDateTime(path, "a naive datetime has no time zone; give an aware one")
        return CONVERTER.structure(value, kind)
    except (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError,
            InvalidInput, TypeError, ValueError, KeyError, OverflowError) as error:
        if isinstance(error, NaiveDateTime):
            raise
        field, message = _report(_problems_of(error, path))
        raise InvalidInput(field, message) from None
    except RecursionError:  # a value nested thousands deep
        raise InvalidInput(path, "not a policy value: nested too deeply") from None


def _has_naive(value: Any) -> bool:
    if isinstance(value, _dt.datetime):
        return value.tzinfo is None or value.tzinfo.utcoffset(value) is None
    if isinstance(value, Mapping):
        return any(_has_naive(item) for item in value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_naive(item) for item in value)
    return False


def load_policy_file(path: str | Path) -> PolicyYear:
    """A policy year from a TOML data file (published values plus known amendments).

    >>> from pathlib import Path
    >>> import qpp_rules.policy.years
    >>> data = Path(qpp_rules.policy.years.__file__).with_name("py2019.toml")
    >>> load_policy_file(data).label
    'PY2019'
    >>> load_policy_file("missing.toml")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.PolicyFileError: missing.toml: cannot be read: No such file or directory
    """
    if not isinstance(path, str | Path):
        raise PolicyFileError(shown(path), "", "a path (text or pathlib.Path) to a TOML file")
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyFileError(str(file), "", f"cannot be read: {error.strerror}") from None
    except (ValueError, UnicodeError) as error:  # a NUL or a lone surrogate in the path,
        # or a file that is not UTF-8 text
        raise PolicyFileError(shown(str(file)), "", f"cannot be read: {error}") from None
    return load_policy_text(text, str(file.name))
