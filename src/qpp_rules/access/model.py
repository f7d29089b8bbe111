"""The value types of access: roles, actors, permissions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from qpp_rules.errors import InvalidInput
from qpp_rules.vocabulary import OrgType, Permission, Role

__all__ = ["Actor", "Permission", "Role"]


def _enum(kind: type, field: str) -> Callable[[Any, Any, Any], None]:
    def check(_: Any, __: Any, value: Any) -> None:
        if not isinstance(value, kind):
            raise InvalidInput(field, f"a {kind.__name__}; got {value!r}"[:200])

    return check


@attrs.frozen(cache_hash=True)
class Actor:
    """Who acts in a registration or election command: the organization type the user acts
    for and the user's role there.

    >>> from qpp_rules import OrgType, Role
    >>> Actor(OrgType.PRACTICE, Role.SECURITY_OFFICIAL)
    Actor(kind=<OrgType.PRACTICE: 'Practice'>, role=<Role.SECURITY_OFFICIAL: 'Security Official'>)
    """

    kind: OrgType = attrs.field(validator=_enum(OrgType, "actor.kind"))
    role: Role = attrs.field(validator=_enum(Role, "actor.role"))
