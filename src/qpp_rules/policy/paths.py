"""The dotted paths of a policy year's values, their declared types, and which of them a year
may not know.

>>> import qpp_rules as qr
>>> leaf_paths(qr.policy_for(2019))[:2]
['registration.window', 'registration.web_interface_min_clinicians']
>>> "registration.window" in UNKNOWABLE
True
"""

from __future__ import annotations

import types
import typing
from typing import Any

import attrs

from qpp_rules.kernel.cache import SHARED
from qpp_rules.time import Window

__all__ = ["UNKNOWABLE", "declared_type", "leaf_paths"]


# Values whose None means "not known for the year" (elsewhere None has a meaning of its own:
# no election window in a year without opt-in, no unattestable activity, no third element).
UNKNOWABLE = frozenset({
    "registration.window", "registration.web_interface_min_clinicians",
    "registration.cahps_min_clinicians", "registration.may_register",
    "registration.registered_by_cms",
    "registration.web_interface_carry_over", "registration.ssp_aco_automatic",
    "registration.editable_fields", "registration.notified_events",
    "registration.other_submission_types", "registration.no_registration_needed",
    "registration.sampling", "registration.cahps_required_under_app",
    "registration.cahps_traditional_mips_credit", "registration.web_interface_offered",
    "election.opt_in", "election.low_volume", "election.payment_year_offset",
    "election.public_reporting_preview_days", "election.may_elect",
    "election.confirmation_word", "access.permissions", "access.apm_feedback_models",
    "access.cpc_plus_connections_open",
})

_NOT_VALUES = frozenset({"year", "title", "citations", "errata", "amendments",
                         "known_amendments", "label", "unknowns", "_answers"})


def leaf_paths(value: Any, prefix: str = "", *, tables: bool = False) -> list[str]:
    """The dotted path of every policy value below ``value`` (a table's values, and with
    ``tables`` the table's own path before them; a Window is one value), in declaration
    order. A table a year does not know (None) is one value.

    >>> import qpp_rules as qr
    >>> leaf_paths(qr.policy_for(2019).election.low_volume)
    ['allowed_charges', 'patients', 'covered_services']
    >>> [p for p in leaf_paths(qr.policy_for(2019).election, tables=True) if "low" in p][:2]
    ['low_volume', 'low_volume.allowed_charges']
    """
    paths: list[str] = []
    for field in attrs.fields(type(value)):
        if field.name in _NOT_VALUES:
            continue
        inner = getattr(value, field.name)
        path = f"{prefix}{field.name}"
        if attrs.has(type(inner)) and not isinstance(inner, Window):
            if tables:
                paths.append(path)
            paths.extend(leaf_paths(inner, f"{path}.", tables=tables))
        else:
            paths.append(path)
    return paths


def declared_type(path: str) -> Any:
    """The type a policy declares for the value at the dotted ``path`` (walking into a value
    that may be unknown, ``X | None``), or None where no policy value is there.

    >>> declared_type("registration.cahps_min_clinicians")
    int | None
    >>> declared_type("election.low_volume.patients")
    <class 'int'>
    >>> declared_type("registration.nothing") is None
    True
    """
    if not isinstance(path, str):
        return None
    return SHARED.answer((declared_type, path), lambda: _declared_type(path))


def _declared_type(path: str) -> Any:
    from qpp_rules.policy.model import PolicyYear

    kind: Any = PolicyYear
    for part in path.split("."):
        arms = [arm for arm in typing.get_args(kind) if arm is not type(None)]
        if typing.get_origin(kind) in (typing.Union, types.UnionType) and len(arms) == 1:
            kind = arms[0]  # a value that may be unknown: walk into the value's type
        hints = typing.get_type_hints(kind) if attrs.has(kind) else {}
        if part not in hints or part in _NOT_VALUES:
            return None
        kind = hints[part]
    return kind
