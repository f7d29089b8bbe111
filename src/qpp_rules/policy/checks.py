"""The check of a policy value's fields against their declared types: the one check every
policy table (and the analysis values built like them) runs on construction, so that
``attrs.evolve`` (a reform) is re-validated.

>>> import qpp_rules as qr
>>> _problem(True, int)
'expected int; got bool True'
>>> _check_fields(qr.policy_for(2019)) is None
True
"""

from __future__ import annotations

import re
import types
import typing
from functools import partial
from typing import Any

import attrs
import pendulum

from qpp_rules.errors import InvalidInput, shown
from qpp_rules.kernel.cache import SHARED
from qpp_rules.policy.frozenmap import FrozenMap

__all__: list[str] = []


def _short(hint: Any) -> str:
    """A type as a person reads it: ``frozenset[OrgType]``, not the module path."""
    if isinstance(hint, type) and not typing.get_args(hint):
        return hint.__name__
    return re.sub(r"\b(?:[A-Za-z_]\w*\.)+([A-Za-z_]\w*)", r"\1", repr(hint))


def _exact(hint: Any) -> tuple[type, ...]:
    """:func:`_exact_types` of ``hint``, worked out once (in the one answer cache)."""
    key = (_exact_types, hint)
    try:
        found: tuple[type, ...] | None = SHARED.get(key)
    except TypeError:  # a hint that cannot be hashed: always the full check
        return ()
    if found is None:
        found = SHARED.answer(key, partial(_exact_types, hint))
    return found


def _exact_types(hint: Any) -> tuple[type, ...]:
    """The types whose every value fits ``hint`` by its type alone (nothing inside to look
    at, no time zone): the fast acceptance of :func:`_problem`."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return tuple(kind for arm in typing.get_args(hint) for kind in _exact_types(arm))
    if typing.get_origin(hint) is not None or not isinstance(hint, type) \
            or hint is pendulum.DateTime:
        return ()
    return (hint,)  # bool is bool, int is never bool (type(True) is bool), None is NoneType



def _problem(value: Any, hint: Any) -> str | None:
    """What is wrong with ``value`` as a ``hint`` (None when it fits). Types this check does
    not know are accepted: the class's own checks still run."""
    if type(value) in _exact(hint):
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return None
    if origin in (typing.Union, types.UnionType):
        if any(_problem(value, arm) is None for arm in args):
            return None
    elif hint is type(None):
        if value is None:
            return None
    elif origin in (tuple, frozenset):
        if isinstance(value, origin):
            items = list(value)
            kinds = [args[0]] * len(items) if origin is frozenset or args[1:] == (...,) else args
            for index, (item, kind) in enumerate(zip(items, kinds, strict=False)):
                inner = _problem(item, kind)
                if inner is not None:
                    return f"item {index}: {inner}"
            return None
    elif origin is FrozenMap:
        if isinstance(value, FrozenMap):
            key_types, item_types = _exact(args[0]), _exact(args[1])
            for key, item in value.items():
                if type(key) in key_types and type(item) in item_types:
                    continue
                inner = _problem(key, args[0]) or _problem(item, args[1])
                if inner is not None:
                    return f"at {getattr(key, 'value', key)!s}: {inner}"
            return None
    elif origin is typing.Literal:
        if any(type(value) is type(arm) and value == arm for arm in args):
            return None
    elif origin is not None:
        return None if isinstance(value, origin) else f"expected {_short(hint)}"
    elif hint is bool:
        if type(value) is bool:
            return None
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return None
    elif hint is pendulum.DateTime:
        if isinstance(value, pendulum.DateTime):
            return None if value.tzinfo is not None else "expected an aware date and time"
    elif isinstance(hint, type):
        if isinstance(value, hint):
            return None
    else:
        return None
    return f"expected {_short(hint)}; got {type(value).__name__} {shown(value, 60)}"


def _checked(value: Any, hint: Any) -> str:
    return _problem(value, hint) or ""


def _checked_once(value: Any, hint: Any, token: object) -> str | None:
    """An immutable table's check, answered once (a reform re-checks only what it changed;
    "" is "no problem"; ``token`` is the field's type); one holding something unhashable is
    checked every time."""
    key = (_problem, value, token)
    try:
        found: str | None = SHARED.get(key)
    except TypeError:  # an item cannot be hashed (e.g. a list in an amendment's changes)
        return _problem(value, hint)
    if found is None:
        found = SHARED.answer(key, partial(_checked, value, hint))
    return found or None


def _plan(cls: type) -> tuple[tuple[str, Any, tuple[type, ...], object], ...]:
    """What :func:`_check_fields` checks of ``cls``: each field's name, type, the types that
    fit it by themselves, and the type's token."""
    hints = typing.get_type_hints(cls)
    return tuple((field.name, hints[field.name], _exact(hints[field.name]),
                  hints[field.name])
                 for field in attrs.fields(cls) if field.init and field.name in hints)


def _check_fields(instance: Any, prefix: str = "") -> None:
    """Check every field of an attrs value against its annotation (``attrs.evolve`` runs this
    too), raising ``InvalidInput`` naming ``prefix`` + the field."""
    cls = type(instance)
    plan: tuple[tuple[str, Any, tuple[type, ...], object], ...] | None = SHARED.get(
        (_check_fields, cls))
    if plan is None:
        plan = SHARED.answer((_check_fields, cls), partial(_plan, cls))
    for name, hint, exact, token in plan:
        value = getattr(instance, name)
        if type(value) in exact:  # fits by its type alone (the common case)
            continue
        problem = _problem(value, hint) if not isinstance(value, FrozenMap | frozenset | tuple) \
            else _checked_once(value, hint, token)
        if problem is not None:
            raise InvalidInput(f"{prefix}{name}", problem)
