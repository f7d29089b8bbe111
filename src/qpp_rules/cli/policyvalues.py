"""The policy values a reform can change, their declared types, and what differs between two
policies. The difference is read through one adapter, :func:`policy_diff`: the library's
``qr.policy_diff`` where it exists, else the same walk done here.

>>> import qpp_rules as qr
>>> "registration.web_interface_min_clinicians" in value_paths(qr.policy_for(2019))
True
>>> [c.path for c in policy_diff(qr.policy_for(2019), qr.policy_for(2019))]
[]
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from typing import Any

import attrs

import qpp_rules as qr
from qpp_rules.errors import InvalidInput
from qpp_rules.kernel.citations import Citation
from qpp_rules.policy import PolicyYear

__all__ = ["PolicyChange", "declared_type", "policy_diff", "type_name", "value_paths"]

_NOT_VALUES = frozenset({"year", "title", "citations", "errata", "amendments",
                         "known_amendments", "label", "unknowns"})


def _walk(value: Any, prefix: str) -> Iterator[tuple[str, bool]]:
    for field in attrs.fields(type(value)):
        if field.name.startswith("_") or field.name in _NOT_VALUES:
            continue
        inner = getattr(value, field.name)
        path = f"{prefix}{field.name}"
        table = attrs.has(type(inner)) and not isinstance(inner, qr.Window)
        yield path, not table
        if table:
            yield from _walk(inner, f"{path}.")


def value_paths(policy: PolicyYear, *, tables: bool = False) -> list[str]:
    """The dotted path of every policy value (a Window is one value), in table order; with
    ``tables``, the tables' own paths too (a reform can replace a whole table)."""
    return [path for path, leaf in _walk(policy, "") if leaf or tables]


def declared_type(path: str) -> Any:
    """The type a policy declares for the value at ``path``.

    >>> declared_type("registration.cahps_min_clinicians")
    <class 'int'>
    """
    kind: Any = PolicyYear
    for part in path.split("."):
        kind = typing.get_type_hints(kind)[part]
    return kind


def type_name(kind: Any) -> str:
    """A declared type as short text.

    >>> type_name(declared_type("registration.may_register"))
    'FrozenMap[Program, frozenset[OrgType]]'
    """
    if isinstance(kind, type) and not typing.get_args(kind):
        return kind.__name__
    return re.sub(r"\b(?:[a-z_][\w]*\.)+(\w+)", r"\1", str(kind)).replace("NoneType", "None")


@attrs.frozen
class PolicyChange:
    """One value that differs between two policies: its path, both values, both citations
    (None where a side does not know the value)."""

    path: str
    before: Any
    after: Any
    before_citation: Citation | None
    after_citation: Citation | None

    @property
    def rules(self) -> frozenset[str]:
        """The rule IDs either side's citation names."""
        found: set[str] = set()
        for citation in (self.before_citation, self.after_citation):
            if citation is not None:
                found.update(citation.rules)
        return frozenset(found)


def _cite(policy: PolicyYear, path: str) -> Citation | None:
    try:
        return policy.cite(path)
    except InvalidInput:
        return None


def policy_diff(before: PolicyYear, after: PolicyYear) -> tuple[PolicyChange, ...]:
    """Every policy value that differs between ``before`` and ``after``, with both values and
    both citations (the library's ``qr.policy_diff`` where it exists)."""
    library = getattr(qr, "policy_diff", None)
    if library is not None:
        return tuple(
            PolicyChange(c.path, c.before, c.after, c.before_citation, c.after_citation)
            for c in library(before, after)
        )
    changes = []
    for path in value_paths(before):
        left, right = before.value_at(path), after.value_at(path)
        if left != right:
            changes.append(
                PolicyChange(path, left, right, _cite(before, path), _cite(after, path))
            )
    return tuple(changes)
