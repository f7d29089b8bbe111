"""The policy values a reform can change, their declared types, and what differs between two
policies: the library's own walks (``qpp_rules.policy.paths``) and ``qr.policy_diff``, named
here for the commands that read them.

>>> import qpp_rules as qr
>>> "registration.web_interface_min_clinicians" in value_paths(qr.policy_for(2019))
True
>>> [c.path for c in policy_diff(qr.policy_for(2019), qr.policy_for(2019))]
[]
"""

from __future__ import annotations

import re
import typing
from typing import Any

from qpp_rules.policy import PolicyYear
from qpp_rules.policy.diff import PolicyChange, policy_diff
from qpp_rules.policy.paths import declared_type, leaf_paths

__all__ = ["PolicyChange", "declared_type", "policy_diff", "type_name", "value_paths"]


def value_paths(policy: PolicyYear, *, tables: bool = False) -> list[str]:
    """The dotted path of every policy value (a Window is one value), in table order; with
    ``tables``, the tables' own paths too (a reform can replace a whole table)."""
    return leaf_paths(policy, tables=tables)


def type_name(kind: Any) -> str:
    """A declared type as short text.

    >>> type_name(declared_type("registration.may_register"))
    'FrozenMap[Program, frozenset[OrgType]] | None'
    """
    if isinstance(kind, type) and not typing.get_args(kind):
        return kind.__name__
    return re.sub(r"\b(?:[a-z_][\w]*\.)+(\w+)", r"\1", str(kind)).replace("NoneType", "None")
