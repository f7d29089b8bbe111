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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pendulum

from qpp_rules.errors import InvalidInput, NaiveDateTime, PolicyFileError, shown
from qpp_rules.kernel.convert import Converter, Style
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.model import Amendment, Citation, Erratum, PolicyYear, _problem
from qpp_rules.policy.paths import declared_type, leaf_paths
from qpp_rules.time import instant

__all__ = ["apply_changes", "load_policy_file", "load_policy_text", "reform", "type_at"]

_PLAIN_KEYS = frozenset({"year", "title"})
_LEAF_KEYS = frozenset({"value", "cite", "erratum"})
_UNKNOWN = "unknown"

TOML = Style(
    root="",
    words={
        "str": "expected str; got {got}",
        "bool": "expected bool; got {got}",
        "int": "expected int; got {got}",
        "float": "expected float; got {got}",
        "amount": "an amount as text or a whole number; got {got}",
        "not amount": "not an amount: {value}",
        "instant": "a date and time; got {got}",
        "not instant": "not a date and time: {value}",
        "enum": "{value} is not a valid {name}",
        "list": "an array; got {got}",
        "duplicate": "listed twice: {value}",
        "mapping": "a table; got {got}",
        "object": "a table with {fields_and}; got {got}",
        "unknown": "unknown key",
        "missing": "missing",
    },
    describe=lambda value: f"{type(value).__name__} {shown(value, 60)}",
    naive="eastern",
    float_money=False,
    any_iterable=False,
    duplicates=True,
    empty_is_none=True,
    keys="dot",
    unknown="each",
    outside="join",
    other="text",
)
"""How a policy data file is read: the kernel's converter (:mod:`qpp_rules.kernel.convert`)
with TOML's ways (a local date-time is Eastern time, ``{}`` is None, no float money, no
``"25"`` for 25, a set lists each item once) and the file's dotted paths in messages."""

CONVERTER = Converter(TOML)


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


def _structure(value: Any, kind: Any, source: str, path: str) -> Any:
    try:
        return CONVERTER.read(value, kind, path)
    except InvalidInput as error:
        raise PolicyFileError(source, error.field, error.message) from None


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
        kind = type_at(target)
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


def type_at(target: str) -> Any:
    """The type of the policy value at the dotted path ``target``, or None if there is none
    (the one answer for the loader, reforms and the serialization of amendments:
    :func:`qpp_rules.policy.paths.declared_type`).

    >>> type_at("registration.cahps_min_clinicians"), type_at("registration.nope")
    (int | None, None)
    """
    return declared_type(target)


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
    if top and len(changes) == 1:  # one change (a reform's value): the policy built once
        ((path, value),) = changes.items()
        try:
            return _set_path(policy, path.split("."), value, path, top)  # type: ignore[no-any-return]
        except InvalidInput:
            pass  # the step by step way below names what is wrong exactly
    result = policy
    for path, value in changes.items():
        result = _set_path(result, path.split("."), value, path)
    try:
        return attrs.evolve(result, **top)
    except (TypeError, ValueError, AttributeError) as error:
        if isinstance(error, InvalidInput):
            raise
        raise InvalidInput("policy", str(error)) from None


def _set_path(value: Any, parts: list[str], new: Any, path: str,
              top: Mapping[str, Any] | None = None) -> Any:
    """``value`` with the value at ``parts`` replaced by ``new`` (and, on ``value`` itself,
    the fields of ``top``), each level built (and validated) once."""
    head, rest = parts[0], parts[1:]
    if not attrs.has(type(value)) or head not in attrs.fields_dict(type(value)) \
            or head.startswith("_"):
        raise InvalidInput(path, "no policy value at this path")
    replacement = _set_path(getattr(value, head), rest, new, path) if rest else new
    try:
        return attrs.evolve(value, **{head: replacement, **(top or {})})
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
    from qpp_rules.policy.unknown import refuse_below_unknown

    citations = dict(policy.citations.items())
    typed: dict[str, Any] = {}
    for path, value in changes.items():
        if not isinstance(path, str):
            raise InvalidInput("changes", f"paths are text; got {type(path).__name__}")
        refuse_below_unknown(policy, path, path)  # a table the year does not know (POL-UNK-1)
        typed[path] = _reform_value(path, value)
        below = f"{path}."
        for cited in [c for c in citations if c == path or c.startswith(below)]:
            del citations[cited]  # the values below a changed table are the reform's now
        citations[path] = Citation("reform", label, (), None, f"changed by the reform {label!r}",
                                   authority="reform")
    return apply_changes(policy, typed, label=label, citations=FrozenMap(citations))


def _reform_value(path: str, value: Any) -> Any:
    """A reform's new value as the policy holds it: given as such, or in the data file's
    shape (a table for a Window, an array for a set, text or a whole number for an amount),
    structured with the loader's converter (no "25" for 25, no naive datetime)."""
    kind = type_at(path)
    if kind is None:
        raise InvalidInput(path, "no policy value at this path")
    if _problem(value, kind) is None:
        return value
    try:
        if _has_naive(value):
            raise NaiveDateTime(path, "a naive datetime has no time zone; give an aware one")
        return CONVERTER.read(value, kind, path)
    except OverflowError as error:
        raise InvalidInput(path, f"not a policy value: {error}") from None
    except RecursionError:  # a value nested thousands deep
        raise InvalidInput(path, "not a policy value: nested too deeply") from None


def _has_naive(value: Any) -> bool:
    if isinstance(value, _dt.datetime):
        try:
            instant(value, "")  # the library's one reading of an aware datetime
        except NaiveDateTime:
            return True
        except InvalidInput:  # a time zone that fails: the converter's reading says so
            return False
        return False
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
