"""Access: organization types, roles, permissions, first Security Official validation and
the access-request lifecycle (RULES.md section 3, ACC-*).

>>> import qpp_rules as qr
>>> from qpp_rules.access import permissions, Role, Permission
>>> Permission.REGISTER_CAHPS in permissions(
...     qr.OrgType.PRACTICE, Role.STAFF_USER, qr.policy_for(2021))
False
"""

from __future__ import annotations

from qpp_rules.access.finding import find_organization
from qpp_rules.access.lifecycle import (
    AccessOutcome,
    decide,
    evolve,
    pending_requests,
    replay,
    role_of,
    security_officials,
)
from qpp_rules.access.model import (
    AccessEvent,
    AccessState,
    Actor,
    Approve,
    ChangeRole,
    Channel,
    Command,
    Deny,
    Evidence,
    Member,
    Notification,
    NotificationKind,
    OrganizationRecord,
    Permission,
    RemoveUser,
    Request,
    RequestDenied,
    RequestRole,
    Role,
    RoleGranted,
    RoleRequested,
)
from qpp_rules.access.organization_types import (
    Connection,
    Represents,
    TypeAdvice,
    organization_type_for,
)
from qpp_rules.access.permissions import authorize, may, permissions
from qpp_rules.access.validation import (
    ACO_VALIDATION_TINS,
    SINGLE_TIN_ACO_VALIDATION_TINS,
    VIRTUAL_GROUP_VALIDATION_TINS,
    required_evidence,
    validate_first_security_official,
)

__all__ = [
    "ACO_VALIDATION_TINS",
    "SINGLE_TIN_ACO_VALIDATION_TINS",
    "VIRTUAL_GROUP_VALIDATION_TINS",
    "AccessEvent",
    "AccessOutcome",
    "AccessState",
    "Actor",
    "Approve",
    "ChangeRole",
    "Channel",
    "Command",
    "Connection",
    "Deny",
    "Evidence",
    "Member",
    "Notification",
    "NotificationKind",
    "OrganizationRecord",
    "Permission",
    "RemoveUser",
    "Represents",
    "Request",
    "RequestDenied",
    "RequestRole",
    "Role",
    "RoleGranted",
    "RoleRequested",
    "TypeAdvice",
    "authorize",
    "decide",
    "evolve",
    "find_organization",
    "may",
    "organization_type_for",
    "pending_requests",
    "permissions",
    "replay",
    "required_evidence",
    "role_of",
    "security_officials",
    "validate_first_security_official",
]
