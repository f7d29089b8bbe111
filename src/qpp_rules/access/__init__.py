"""Access: organization types, roles, permissions, first Security Official validation and
the access-request lifecycle (RULES.md section 3, ACC-*)."""

from __future__ import annotations

from qpp_rules.access.model import Actor, Permission, Role
from qpp_rules.access.permissions import may, permissions

__all__ = ["Actor", "Permission", "Role", "may", "permissions"]
