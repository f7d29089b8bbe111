"""ACC-PERM-1: what each role of each organization type may do, year by year.

The access guide's matrix is the year's ``access.permissions`` table; the registration rights
(``REGISTER_WEB_INTERFACE``, ``REGISTER_CAHPS``) follow the year's registration table: the
Security Official of an organization type that may register for a program that year holds
the right to register for it (REG-ELIG-3, erratum E8). Fail closed (ACC-DENY-1): anything
unknown grants nothing.

>>> import qpp_rules as qr
>>> from qpp_rules.access import permissions, Permission, Role
>>> Permission.REGISTER_WEB_INTERFACE in permissions(
...     qr.OrgType.VIRTUAL_GROUP, Role.SECURITY_OFFICIAL, qr.policy_for(2019))
True
>>> Permission.REGISTER_WEB_INTERFACE in permissions(
...     qr.OrgType.VIRTUAL_GROUP, Role.SECURITY_OFFICIAL, qr.policy_for(2018))
False
"""

from __future__ import annotations

from qpp_rules.policy.model import PolicyYear
from qpp_rules.vocabulary import OrgType, Permission, Program, Role

__all__ = ["may", "permissions"]

_REGISTER = {
    Program.WEB_INTERFACE: Permission.REGISTER_WEB_INTERFACE,
    Program.CAHPS: Permission.REGISTER_CAHPS,
}
_NOTHING: frozenset[Permission] = frozenset()


def permissions(kind: object, role: object, policy: PolicyYear) -> frozenset[Permission]:
    """The permissions of ``role`` in an organization of type ``kind`` under ``policy``
    (ACC-PERM-1). Unknown kinds or roles grant nothing (ACC-DENY-1)."""
    if not isinstance(kind, OrgType) or not isinstance(role, Role):
        return _NOTHING
    if not isinstance(policy, PolicyYear):
        return _NOTHING
    memo = policy.memo()
    key = ("permissions", kind, role)
    cached: frozenset[Permission] | None = memo.get(key)
    if cached is not None:
        return cached
    table = policy.access.permissions.get(kind)
    granted = set(table.get(role, _NOTHING)) if table is not None else set()
    if role is Role.SECURITY_OFFICIAL:
        for program, kinds in policy.registration.may_register.items():
            if kind in kinds:
                granted.add(_REGISTER[program])
    result = frozenset(granted)
    memo[key] = result
    return result


def may(kind: object, role: object, permission: object, policy: PolicyYear) -> bool:
    """Whether ``role`` in an organization of type ``kind`` holds ``permission``; fail closed.

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import Role, Permission
    >>> may(qr.OrgType.PRACTICE, Role.STAFF_USER, Permission.REGISTER_CAHPS, qr.policy_for(2019))
    False
    """
    if not isinstance(permission, Permission):
        return False
    return permission in permissions(kind, role, policy)
