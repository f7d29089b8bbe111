"""The value types of access (RULES.md section 3): roles, actors, permissions, and the values
of the access-request lifecycle (requests, state, commands, events, notifications). The
records validation reads (:class:`OrganizationRecord`, :class:`Evidence`) live in
``qpp_rules.access.records`` and are re-exported here.

Every value is a frozen attrs class validated on construction by the shared field checks
(``qpp_rules.kernel.fields``), whose errors name the field's path (``command.user``,
``event.by``, ``state.members[1]``). A TIN never appears unmasked in a ``repr``.

>>> from qpp_rules import OrgType
>>> record = OrganizationRecord(OrgType.PRACTICE, name="Main Street Clinic", tins=["00-0765630"])
>>> record.tins
frozenset({TIN('*****5630')})
>>> "0765630" in repr(Evidence(tin="000765630", tins=["00076563"]))
False
>>> RequestRole("", Role.STAFF_USER, record)
Traceback (most recent call last):
  ...
qpp_rules.errors.InvalidInput: command.user: text that is not blank; got ''
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from qpp_rules.access.records import Evidence, OrganizationRecord
from qpp_rules.errors import InvalidInput, masked_repr
from qpp_rules.kernel import fields
from qpp_rules.time import utc_key
from qpp_rules.vocabulary import OrgType, Permission, Role

__all__ = [
    "AccessEvent",
    "AccessState",
    "Actor",
    "Approve",
    "ChangeRole",
    "Channel",
    "Command",
    "Deny",
    "Evidence",
    "Member",
    "Notification",
    "NotificationKind",
    "OrganizationRecord",
    "Permission",
    "RemoveUser",
    "Request",
    "RequestDenied",
    "RequestRole",
    "Role",
    "RoleGranted",
    "RoleRequested",
]

def _instant_key(value: pendulum.DateTime | None) -> object:
    """What an instant field compares and hashes by: the instant itself (two readings of
    November's repeated hour are different instants though Python finds them equal)."""
    return None if value is None else utc_key(value)


_USER = fields.text(nonempty=True)
"""A user (and a rule ID) is text that is not blank."""


@attrs.frozen(cache_hash=True)
class Actor:
    """Who acts in a registration or election command: the organization type the user acts
    for and the user's role there.

    >>> from qpp_rules import OrgType, Role
    >>> Actor(OrgType.PRACTICE, Role.SECURITY_OFFICIAL)
    Actor(kind=<OrgType.PRACTICE: 'Practice'>, role=<Role.SECURITY_OFFICIAL: 'Security Official'>)
    """

    kind: OrgType = attrs.field(validator=fields.instance_of(OrgType))
    role: Role = attrs.field(validator=fields.instance_of(Role))


# -- the access-request lifecycle -----------------------------------------------------------


@masked_repr
@attrs.frozen(cache_hash=True)
class Request:
    """A user's request for a role in the organization, made at instant ``at``. Requests
    compare and hash by the instant: two readings of November's repeated hour differ.

    >>> from qpp_rules import eastern
    >>> r = Request("pat@example.org", Role.STAFF_USER, eastern(2019, 3, 1, 9))
    >>> r.user, r.role.value
    ('pat@example.org', 'Staff User')
    """

    user: str = attrs.field(validator=_USER)
    role: Role = attrs.field(validator=fields.instance_of(Role))
    at: pendulum.DateTime = attrs.field(
        converter=fields.moment(), eq=_instant_key  # type: ignore[misc]
    )

    def __str__(self) -> str:
        return f"{self.user} requests the {self.role.value} role"


@masked_repr
@attrs.frozen(cache_hash=True)
class Member:
    """A user holding a role in the organization.

    >>> Member("ann", Role.SECURITY_OFFICIAL).role.value
    'Security Official'
    """

    user: str = attrs.field(validator=_USER)
    role: Role = attrs.field(validator=fields.instance_of(Role))


def _by_user(members: tuple[Member, ...]) -> tuple[Member, ...]:
    return tuple(sorted(members, key=lambda member: member.user))


@attrs.frozen(cache_hash=True)
class AccessState:
    """Who holds which role in one organization, and the requests waiting for a Security
    Official's answer. ``None`` stands for an organization nobody has connected to yet.

    A user holds at most one role and has at most one pending request, never both.

    >>> from qpp_rules import OrgType
    >>> ann = Member("ann", Role.SECURITY_OFFICIAL)
    >>> s = AccessState(OrganizationRecord(OrgType.REGISTRY), (ann,))
    >>> s.role_of("ann"), s.role_of("bob")
    (<Role.SECURITY_OFFICIAL: 'Security Official'>, None)
    """

    __field_prefix__ = "state"

    organization: OrganizationRecord = attrs.field(
        validator=fields.instance_of(OrganizationRecord)
    )
    members: tuple[Member, ...] = attrs.field(
        default=(), converter=attrs.converters.pipe(fields.tuple_of(Member), _by_user)  # type: ignore[misc]
    )
    pending: tuple[Request, ...] = attrs.field(
        default=(), converter=fields.tuple_of(Request)  # type: ignore[misc]
    )

    def __attrs_post_init__(self) -> None:
        users = [member.user for member in self.members]
        if len(set(users)) != len(users):
            raise InvalidInput("state.members", "a user holds one role in an organization")
        waiting = [request.user for request in self.pending]
        if len(set(waiting)) != len(waiting):
            raise InvalidInput("state.pending", "a user has one pending request at most")
        if set(users) & set(waiting):
            raise InvalidInput("state.pending", "a user holding a role has no pending request")

    def role_of(self, user: str) -> Role | None:
        """The role ``user`` holds, or None."""
        for member in self.members:
            if member.user == user:
                return member.role
        return None

    def pending_for(self, user: str) -> Request | None:
        """The request ``user`` is waiting on, or None."""
        for request in self.pending:
            if request.user == user:
                return request
        return None

    @property
    def has_security_official(self) -> bool:
        """Whether someone holds the Security Official role (ACC-ROLE-2)."""
        return any(member.role is Role.SECURITY_OFFICIAL for member in self.members)


def _one_organization(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        raise InvalidInput(
            fields.field_path(instance, attribute),
            "a request names one organization; make one request for each (ACC-ROLE-3)",
        )


@masked_repr
@attrs.frozen
class RequestRole:
    """``user`` asks for ``role`` in one ``organization`` (ACC-ROLE-3); the first Security
    Official adds the ``evidence`` validation needs (ACC-SO-1).

    >>> from qpp_rules import OrgType
    >>> RequestRole("bob", Role.STAFF_USER, OrganizationRecord(OrgType.VIRTUAL_GROUP)).evidence
    """

    __field_prefix__ = "command"

    user: str = attrs.field(validator=_USER)
    role: Role = attrs.field(validator=fields.instance_of(Role))
    organization: OrganizationRecord = attrs.field(
        validator=[_one_organization, fields.instance_of(OrganizationRecord)]
    )
    evidence: Evidence | None = attrs.field(
        default=None, validator=fields.instance_of(Evidence, optional=True)
    )


@attrs.frozen
class _Answer:
    """A Security Official's answer to a pending request: the ``request`` and who answers it
    (``by``), ACC-SO-2."""

    __field_prefix__ = "command"

    request: Request = attrs.field(validator=fields.instance_of(Request))
    by: str = attrs.field(validator=_USER)


@masked_repr
@attrs.frozen
class Approve(_Answer):
    """Security Official ``by`` approves a pending ``request`` (ACC-SO-2).

    >>> from qpp_rules import eastern
    >>> Approve(Request("bob", Role.STAFF_USER, eastern(2019, 3, 1)), by="ann").by
    'ann'
    """


@masked_repr
@attrs.frozen
class Deny(_Answer):
    """Security Official ``by`` denies a pending ``request`` (ACC-SO-2).

    >>> from qpp_rules import eastern
    >>> Deny(Request("bob", Role.STAFF_USER, eastern(2019, 3, 1)), by="ann").request.user
    'bob'
    """


@masked_repr
@attrs.frozen
class ChangeRole:
    """Change ``user``'s role to ``role``: a help-desk action, always refused here (ACC-SO-3).

    >>> ChangeRole("bob", Role.SECURITY_OFFICIAL, by="ann").role.value
    'Security Official'
    """

    __field_prefix__ = "command"

    user: str = attrs.field(validator=_USER)
    role: Role = attrs.field(validator=fields.instance_of(Role))
    by: str = attrs.field(validator=_USER)


@masked_repr
@attrs.frozen
class RemoveUser:
    """Remove ``user`` (e.g. a Security Official who left): a help-desk action, always
    refused here (ACC-SO-3).

    >>> RemoveUser("carl", by="ann").user
    'carl'
    """

    __field_prefix__ = "command"

    user: str = attrs.field(validator=_USER)
    by: str = attrs.field(validator=_USER)


Command = RequestRole | Approve | Deny | ChangeRole | RemoveUser
"""The commands of the access-request lifecycle."""


@attrs.frozen(cache_hash=True)
class RoleRequested:
    """A request was made for the organization.

    >>> from qpp_rules import OrgType, eastern
    >>> str(RoleRequested(Request("bob", Role.STAFF_USER, eastern(2019, 3, 1)),
    ...                   OrganizationRecord(OrgType.REGISTRY)))
    'requested: bob requests the Staff User role'
    """

    __field_prefix__ = "event"

    request: Request = attrs.field(validator=fields.instance_of(Request))
    organization: OrganizationRecord = attrs.field(
        validator=fields.instance_of(OrganizationRecord)
    )

    def __str__(self) -> str:
        return f"requested: {self.request}"


@masked_repr
@attrs.frozen(cache_hash=True)
class RoleGranted:
    """A request was approved: by Security Official ``by``, or (``by`` None) automatically
    after the first Security Official's ``evidence`` passed validation (ACC-SO-1). The
    automatic grant records the evidence it was validated on, so that ``evolve`` can check it
    again against the organization's records; an approval by a Security Official records none.

    >>> from qpp_rules import eastern
    >>> str(RoleGranted(Request("ann", Role.SECURITY_OFFICIAL, eastern(2019, 3, 1))))
    'granted automatically after validation: ann requests the Security Official role'
    """

    __field_prefix__ = "event"

    request: Request = attrs.field(validator=fields.instance_of(Request))
    by: str | None = attrs.field(default=None, validator=fields.text(optional=True, nonempty=True))
    at: pendulum.DateTime | None = attrs.field(
        default=None, converter=fields.moment(optional=True), eq=_instant_key  # type: ignore[misc]
    )
    evidence: Evidence | None = attrs.field(
        default=None, validator=fields.instance_of(Evidence, optional=True)
    )

    def __str__(self) -> str:
        how = "automatically after validation" if self.by is None else f"by {self.by}"
        return f"granted {how}: {self.request}"


@masked_repr
@attrs.frozen(cache_hash=True)
class RequestDenied:
    """A request was denied by Security Official ``by``; the user may ask again (ACC-SO-2).

    >>> from qpp_rules import eastern
    >>> str(RequestDenied(Request("bob", Role.STAFF_USER, eastern(2019, 3, 1)), "ann"))
    'denied by ann: bob requests the Staff User role'
    """

    __field_prefix__ = "event"

    request: Request = attrs.field(validator=fields.instance_of(Request))
    by: str = attrs.field(validator=_USER)
    at: pendulum.DateTime | None = attrs.field(
        default=None, converter=fields.moment(optional=True), eq=_instant_key  # type: ignore[misc]
    )

    def __str__(self) -> str:
        return f"denied by {self.by}: {self.request}"


AccessEvent = RoleRequested | RoleGranted | RequestDenied
"""The events of the access-request lifecycle."""


class Channel(enum.Enum):
    """How a user is told (ACC-SO-2).

    >>> Channel.EMAIL.value
    'email'
    """

    SCREEN = "on screen"
    EMAIL = "email"


class NotificationKind(enum.Enum):
    """What a user is told (ACC-SO-2).

    >>> NotificationKind.PENDING.value
    "your request is pending a Security Official's approval"
    """

    APPROVED_AUTOMATICALLY = "approved automatically after validation"
    PENDING = "your request is pending a Security Official's approval"
    APPROVED = "your request was approved"


@masked_repr
@attrs.frozen(cache_hash=True)
class Notification:
    """A message to a user about their request (ACC-SO-2).

    >>> n = Notification("pat", Channel.EMAIL, NotificationKind.APPROVED, Role.STAFF_USER)
    >>> n.message
    'Staff User role: your request was approved'
    """

    to: str = attrs.field(validator=_USER)
    channel: Channel = attrs.field(validator=fields.instance_of(Channel))
    kind: NotificationKind = attrs.field(validator=fields.instance_of(NotificationKind))
    role: Role = attrs.field(validator=fields.instance_of(Role))
    rule_id: str = attrs.field(default="ACC-SO-2", validator=_USER)

    @property
    def message(self) -> str:
        """The text: the role and what happened (never an identifier of the organization)."""
        return f"{self.role.value} role: {self.kind.value}"

    def __str__(self) -> str:
        return f"{self.channel.value} to {self.to}: {self.message}"
