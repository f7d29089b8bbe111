"""What differs between two policy years (or a year and a reform): every value, both sides,
both citations.

>>> import qpp_rules as qr
>>> changes = qr.policy_diff(qr.policy_for(2024), qr.policy_for(2025))
>>> [c.path for c in changes if c.path.startswith("registration.web_interface")]
['registration.web_interface_carry_over', 'registration.web_interface_offered']
>>> offered = changes[[c.path for c in changes].index("registration.web_interface_offered")]
>>> offered.before, offered.after, offered.after_citation.authority
(True, False, 'cms')
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
import pendulum

from qpp_rules.errors import InvalidInput
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.model import Citation, PolicyYear, _check_fields
from qpp_rules.policy.paths import leaf_paths
from qpp_rules.time import Window

__all__ = ["PolicyChange", "policy_diff", "shown_value"]

_SKIP = frozenset({"year", "title", "citations", "errata", "amendments", "known_amendments",
                   "label", "unknowns", "_answers"})


@attrs.frozen
class PolicyChange:
    """One value that differs: its dotted ``path``, the value ``before`` (in the first policy)
    and ``after`` (in the second; ``None`` where a year does not know it), and the citation
    of each side (``None`` for an unknown value).

    >>> import qpp_rules as qr
    >>> (change,) = [c for c in qr.policy_diff(qr.policy_for(2017), qr.policy_for(2018))
    ...              if c.path == "election.low_volume.allowed_charges"]
    >>> change.before, change.after
    (Decimal('30000'), Decimal('90000'))
    """

    path: str
    before: Any
    after: Any
    before_citation: Citation | None
    after_citation: Citation | None

    def __attrs_post_init__(self) -> None:
        _check_fields(self)

    @property
    def rules(self) -> frozenset[str]:
        """The rule IDs either side's citation names.

        >>> import qpp_rules as qr
        >>> r = qr.reform(qr.policy_for(2019), {"registration.cahps_min_clinicians": 3}, label="3")
        >>> sorted(qr.policy_diff(qr.policy_for(2019), r)[0].rules)
        ['REG-ELIG-2']
        """
        found: set[str] = set()
        for citation in (self.before_citation, self.after_citation):
            if citation is not None:
                found.update(citation.rules)
        return frozenset(found)


def _cited(policy: PolicyYear, path: str) -> Citation | None:
    if path in policy.unknown_values():
        return None
    try:
        return policy.cite(path)
    except InvalidInput:
        return None


def _walk(before: Any, after: Any, prefix: str) -> Iterator[tuple[str, Any, Any]]:
    for field in attrs.fields(type(before)):
        if field.name in _SKIP:
            continue
        left, right = getattr(before, field.name), getattr(after, field.name)
        path = f"{prefix}{field.name}"
        tables = (attrs.has(type(left)) and not isinstance(left, Window)
                  and type(left) is type(right))
        if tables:
            yield from _walk(left, right, f"{path}.")
        elif left != right:
            yield path, left, right


def policy_diff(before: PolicyYear, after: PolicyYear) -> tuple[PolicyChange, ...]:
    """Every policy value that differs between ``before`` and ``after`` (two years, or a year
    and a reform), in table order, each with both values and both citations. A value one side
    does not know differs from a known one; two unknowns do not differ.

    >>> import qpp_rules as qr
    >>> qr.policy_diff(qr.policy_for(2019), qr.policy_for(2019))
    ()
    >>> r = qr.reform(qr.policy_for(2019), {"registration.cahps_min_clinicians": 3}, label="3")
    >>> (change,) = qr.policy_diff(qr.policy_for(2019), r)
    >>> change.path, change.before, change.after, change.after_citation.source
    ('registration.cahps_min_clinicians', 2, 3, 'reform')
    """
    for name, value in (("before", before), ("after", after)):
        if not isinstance(value, PolicyYear):
            raise InvalidInput(name, f"a PolicyYear; got {type(value).__name__}")
    return tuple(
        PolicyChange(path, left, right, _cited(before, path), _cited(after, path))
        for path, left, right in _walk(before, after, "")
    )


def shown_value(value: Any) -> str:
    """A policy value as the docs show it: a window in ET, a set sorted, an amount in dollars.

    >>> import qpp_rules as qr
    >>> shown_value(qr.policy_for(2024).registration.may_register)
    'CMS Web Interface: none'
    >>> shown_value(qr.policy_for(2024).election.low_volume)
    '$90,000 / 200 / 200'
    """
    if value is None:
        return "not known"
    if isinstance(value, Window):
        return value.describe()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return f"${value:,}"
    if isinstance(value, pendulum.DateTime):
        return value.format("YYYY-MM-DD HH:mm zz")
    if isinstance(value, FrozenMap):
        return "; ".join(f"{shown_value(k)}: {shown_value(v)}" for k, v in value.items()) \
            or "none"
    if isinstance(value, frozenset | tuple):
        items = [shown_value(item) for item in value]
        return ", ".join(items if isinstance(value, tuple) else sorted(items)) or "none"
    if attrs.has(type(value)) and type(value).__name__ == "LowVolumeThreshold":
        return " / ".join(shown_value(getattr(value, name)) if name == "allowed_charges"
                          else str(getattr(value, name)) for name in value.elements)
    if attrs.has(type(value)):
        return "; ".join(f"{path}: {shown_value(_at(value, path))}"
                         for path in leaf_paths(value))
    return str(value)


def _at(value: Any, path: str) -> Any:
    for part in path.split("."):
        value = getattr(value, part)
    return value
