"""Access: organization types, roles, permissions, first Security Official validation and
the access-request lifecycle (RULES.md section 3, ACC-*).

>>> import qpp_rules as qr
>>> from qpp_rules.access import permissions, Role, Permission
>>> Permission.REGISTER_CAHPS in permissions(
...     qr.OrgType.PRACTICE, Role.STAFF_USER, qr.policy_for(2021))
False
"""

from __future__ import annotations

from qpp_rules.access import lifecycle as _lifecycle
from qpp_rules.access import model as _model
from qpp_rules.access import organization_types as _organization_types
from qpp_rules.access import permissions as _permissions
from qpp_rules.access import validation as _validation
from qpp_rules.access.finding import find_organization
from qpp_rules.access.lifecycle import *
from qpp_rules.access.model import *
from qpp_rules.access.organization_types import *
from qpp_rules.access.permissions import *
from qpp_rules.access.validation import *

__all__ = ["find_organization"]
__all__ += _lifecycle.__all__
__all__ += _model.__all__
__all__ += _organization_types.__all__
__all__ += _permissions.__all__
__all__ += _validation.__all__
