"""The value types of access (RULES.md section 3): roles, actors, permissions, the
organization records validation checks against, the evidence a first Security Official gives,
and the values of the access-request lifecycle (requests, state, commands, events,
notifications).

Every value is a frozen attrs class validated on construction. A TIN never appears unmasked
in a ``repr``: identifiers mask themselves, and evidence that is not a valid identifier is
shown masked too.

>>> from qpp_rules import OrgType
>>> record = OrganizationRecord(OrgType.PRACTICE, name="Main Street Clinic", tins=["00-0765630"])
>>> record.tins
frozenset({TIN('*****5630')})
>>> evidence = Evidence(tin="00-0765630", npi="12345")
>>> evidence.tin, evidence.npi   # a valid TIN; an NPI that is not one, kept as typed
(TIN('*****5630'), '12345')
>>> "0765630" in repr(Evidence(tin="000765630", tins=["00076563"]))
False
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import attrs
import pendulum

from qpp_rules.errors import InvalidInput, mask
from qpp_rules.identifiers import (
    NPI,
    PTAN,
    TIN,
    ApmEntityId,
    Identifier,
    PracticeSiteId,
    VendorId,
    VirtualGroupId,
)
from qpp_rules.time import instant, utc_key
from qpp_rules.vocabulary import ApmModel, OrgType, Permission, Role

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

IdT = TypeVar("IdT", bound=Identifier)


def _enum(kind: type, field: str) -> Callable[[Any, Any, Any], None]:
    def check(_: Any, __: Any, value: Any) -> None:
        if not isinstance(value, kind):
            raise InvalidInput(field, f"a {kind.__name__}; got {type(value).__name__}")

    return check


def _optional_enum(kind: type, field: str) -> Callable[[Any, Any, Any], None]:
    def check(_: Any, __: Any, value: Any) -> None:
        if value is not None and not isinstance(value, kind):
            raise InvalidInput(field, f"a {kind.__name__} or None; got {type(value).__name__}")

    return check


def _bool(field: str) -> Callable[[Any, Any, Any], None]:
    def check(_: Any, __: Any, value: Any) -> None:
        if not isinstance(value, bool):
            raise InvalidInput(field, f"True or False; got {type(value).__name__}")

    return check


def _user(field: str) -> Callable[[Any, Any, Any], None]:
    def check(_: Any, __: Any, value: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(field, f"a user is non-empty text; got {type(value).__name__}")

    return check


def _at(value: object) -> pendulum.DateTime:
    return instant(value, "at")


def _optional_at(value: object) -> pendulum.DateTime | None:
    return None if value is None else instant(value, "at")


def _instant_key(value: pendulum.DateTime | None) -> object:
    """What an instant field compares and hashes by: the instant itself (two readings of
    November's repeated hour are different instants though Python finds them equal)."""
    return None if value is None else utc_key(value)


def _optional_user(value: object) -> str | None:
    if value is not None:
        _user("event.by")(None, None, value)
    return value  # type: ignore[return-value]


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


# -- the organization's records -------------------------------------------------------------


def _identifier(kind: type[IdT], field: str, value: object) -> IdT | None:
    if value is None or isinstance(value, kind):
        return value
    if isinstance(value, Identifier):
        raise InvalidInput(field, f"a {kind.label}; got a {value.label}")
    if isinstance(value, str | int) and not isinstance(value, bool):
        parsed = kind(value)
        return parsed
    raise InvalidInput(field, f"a {kind.label} or its text; got {type(value).__name__}")


def _items(value: object, field: str) -> tuple[object, ...]:
    if value is None:
        return ()
    if isinstance(value, str | Identifier):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, bytes | dict):
        return tuple(value)
    raise InvalidInput(field, f"a collection; got {type(value).__name__}")


def _record_tins(value: object) -> frozenset[TIN]:
    items = _items(value, "organization.tins")
    return frozenset(_need(_identifier(TIN, "organization.tins", item), "organization.tins")
                     for item in items)


def _need(value: IdT | None, field: str) -> IdT:
    if value is None:
        raise InvalidInput(field, "an identifier, not None")
    return value


def _pair(value: object, field: str) -> tuple[object, object]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput(field, f"a pair; got {type(value).__name__}")
    pair = tuple(value)
    if len(pair) != 2:
        raise InvalidInput(field, f"a pair of two identifiers; got {len(pair)} items")
    return pair[0], pair[1]


def _npi(value: object, field: str) -> NPI:
    if isinstance(value, NPI):  # a record may carry an NPI read without its check digit
        return value
    return _need(_identifier(NPI, field, value), field)


def _record_clinicians(value: object) -> frozenset[tuple[NPI, PTAN]]:
    field = "organization.clinicians"
    pairs = set()
    for item in _items(value, field):
        npi, ptan = _pair(item, field)
        pairs.add((_npi(npi, field), _need(_identifier(PTAN, field, ptan), field)))
    return frozenset(pairs)


def _record_tin_npis(value: object) -> frozenset[tuple[TIN, NPI]]:
    field = "organization.tin_npis"
    pairs = set()
    for item in _items(value, field):
        tin, npi = _pair(item, field)
        pairs.add((_need(_identifier(TIN, field, tin), field), _npi(npi, field)))
    return frozenset(pairs)


def _apm_entity_id(value: object) -> ApmEntityId | None:
    return _identifier(ApmEntityId, "organization.apm_entity_id", value)


def _practice_site_id(value: object) -> PracticeSiteId | None:
    return _identifier(PracticeSiteId, "organization.practice_site_id", value)


def _vendor_id(value: object) -> VendorId | None:
    return _identifier(VendorId, "organization.vendor_id", value)


def _virtual_group_id(value: object) -> VirtualGroupId | None:
    return _identifier(VirtualGroupId, "organization.virtual_group_id", value)


def _name(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("organization.name", "a legal business name is non-empty text")
    return " ".join(value.split())


def _masked_pairs(value: frozenset[tuple[Any, Any]]) -> str:
    if not value:
        return "frozenset()"
    return "frozenset({" + ", ".join(sorted(f"({a!r}, {b!r})" for a, b in value)) + "})"


_APM_LABELS: dict[ApmModel | None, str] = {
    ApmModel.SHARED_SAVINGS_PROGRAM: "Shared Savings Program ACO",
    ApmModel.NEXT_GENERATION_ACO: "Next Generation ACO",
    ApmModel.CPC_PLUS: "CPC+ Practice Site",
    None: "APM Entity",
}


@attrs.frozen(cache_hash=True)
class OrganizationRecord:
    """What CMS knows of one organization: the facts a first Security Official's evidence is
    checked against (ACC-SO-1) and a directory is searched over (ACC-FIND-1). The caller
    supplies them; the library never fetches anything.

    - ``kind``: the organization type (ACC-TYPE-1); ``apm_model`` for an APM Entity.
    - ``name``: the legal business name (the APM Entity name for an APM Entity).
    - ``apm_entity_id``: an ACO's APM Entity ID (ACO ID); ``practice_site_id``: a CPC+
      Practice Site ID; ``vendor_id``: a registry's Vendor ID; ``virtual_group_id``.
    - ``tins``: a Practice's or Registry's own TIN (one at most); the TINs of the practices
      participating in an ACO or a virtual group; the TINs of a CPC+ Practice Site.
    - ``clinicians``: a Practice's clinicians as (NPI, PTAN) pairs.
    - ``tin_npis``: a CPC+ Practice Site's (TIN, NPI) pairs.
    - ``single_tin_aco``: the organization is on CMS's list of single-TIN ACOs
      (ACC-TIN-ACO-1); an ACO's APM Entity then validates with one TIN.

    Identifiers may be given as text; they are validated strictly (``InvalidIdentifier``).
    The positional order is API.md's: ``kind, apm_model, apm_entity_id, practice_site_id,
    vendor_id, tins, clinicians, tin_npis, single_tin_aco``, then ``name`` and
    ``virtual_group_id`` (best given by keyword).

    >>> from qpp_rules import OrgType, ApmModel
    >>> aco = OrganizationRecord(OrgType.APM_ENTITY, apm_model=ApmModel.SHARED_SAVINGS_PROGRAM,
    ...                          apm_entity_id="A1234", tins=["000765630", "001234567"])
    >>> aco.apm_entity_id, len(aco.tins)
    (ApmEntityId('A1234'), 2)
    >>> OrganizationRecord(OrgType.APM_ENTITY, ApmModel.SHARED_SAVINGS_PROGRAM, "A1234").label
    'Shared Savings Program ACO'
    """

    # API.md's fields first, in API.md's order (they may be given positionally), then extras
    kind: OrgType = attrs.field(validator=_enum(OrgType, "organization.kind"))
    apm_model: ApmModel | None = attrs.field(
        default=None, validator=_optional_enum(ApmModel, "organization.apm_model")
    )
    apm_entity_id: ApmEntityId | None = attrs.field(default=None, converter=_apm_entity_id)
    practice_site_id: PracticeSiteId | None = attrs.field(
        default=None, converter=_practice_site_id
    )
    vendor_id: VendorId | None = attrs.field(default=None, converter=_vendor_id)
    tins: frozenset[TIN] = attrs.field(factory=frozenset, converter=_record_tins)
    clinicians: frozenset[tuple[NPI, PTAN]] = attrs.field(
        factory=frozenset, converter=_record_clinicians, repr=_masked_pairs
    )
    tin_npis: frozenset[tuple[TIN, NPI]] = attrs.field(
        factory=frozenset, converter=_record_tin_npis, repr=_masked_pairs
    )
    single_tin_aco: bool = attrs.field(
        default=False, validator=_bool("organization.single_tin_aco")
    )
    name: str | None = attrs.field(default=None, converter=_name)
    virtual_group_id: VirtualGroupId | None = attrs.field(
        default=None, converter=_virtual_group_id
    )

    def __attrs_post_init__(self) -> None:
        if self.apm_model is not None and self.kind is not OrgType.APM_ENTITY:
            raise InvalidInput(
                "organization.apm_model",
                f"only an APM Entity has an APM model; this is a {self.kind.value} (ACC-TYPE-1)",
            )
        if self.kind in (OrgType.PRACTICE, OrgType.REGISTRY) and len(self.tins) > 1:
            raise InvalidInput(
                "organization.tins",
                f"a {self.kind.value} is identified by a single TIN; got {len(self.tins)} "
                "(ACC-TYPE-1)",
            )
        if self.single_tin_aco and not self.may_be_single_tin_aco:
            raise InvalidInput(
                "organization.single_tin_aco",
                "only a Practice or a Shared Savings Program or Next Generation ACO's APM "
                "Entity can be a single-TIN ACO (ACC-TIN-ACO-1)",
            )

    @property
    def may_be_single_tin_aco(self) -> bool:
        """Whether the flag ``single_tin_aco`` makes sense for this kind (and model)."""
        if self.kind is OrgType.PRACTICE:
            return True
        return self.kind is OrgType.APM_ENTITY and self.apm_model is not ApmModel.CPC_PLUS

    @property
    def site_tins(self) -> frozenset[TIN]:
        """Every TIN the record knows: ``tins`` and the TINs of ``tin_npis``."""
        return self.tins | frozenset(tin for tin, _ in self.tin_npis)

    @property
    def label(self) -> str:
        """The organization's type as the access guide names it ("CPC+ Practice Site", ...).

        >>> from qpp_rules import OrgType
        >>> OrganizationRecord(OrgType.REGISTRY).label
        'Registry'
        """
        if self.kind is OrgType.APM_ENTITY:
            return _APM_LABELS[self.apm_model]
        return str(self.kind.value)


# -- the first Security Official's evidence -------------------------------------------------


def _offered(kind: type[IdT], field: str, value: object) -> IdT | str | None:
    """Evidence as given: a valid identifier, the raw text when it is not one (validation
    then names it as malformed), or None when missing or blank."""
    if value is None:
        return None
    if isinstance(value, Identifier):
        strict = not (isinstance(value, NPI) and not value.has_valid_check_digit)
        if isinstance(value, kind) and type(value) is kind and strict:
            return value
        value = value.value
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidInput(
            field, f"text, a {kind.label} or None; got {type(value).__name__}"
        )
    if isinstance(value, int) and not -(10**40) < value < 10**40:
        return "(a whole number too long for any identifier)"  # str() would refuse it
    text = str(value)
    if not text.strip():
        return None
    try:
        return kind(text)
    except Exception:  # malformed evidence is a validation failure, never an exception
        return text


def _ev_tin(value: object) -> TIN | str | None:
    return _offered(TIN, "evidence.tin", value)


def _ev_npi(value: object) -> NPI | str | None:
    return _offered(NPI, "evidence.npi", value)


def _ev_ptan(value: object) -> PTAN | str | None:
    return _offered(PTAN, "evidence.ptan", value)


def _ev_apm_entity_id(value: object) -> ApmEntityId | str | None:
    return _offered(ApmEntityId, "evidence.apm_entity_id", value)


def _ev_practice_site_id(value: object) -> PracticeSiteId | str | None:
    return _offered(PracticeSiteId, "evidence.practice_site_id", value)


def _ev_vendor_id(value: object) -> VendorId | str | None:
    return _offered(VendorId, "evidence.vendor_id", value)


def _ev_tins(value: object) -> tuple[TIN | str, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int | Identifier) and not isinstance(value, bool):
        items: tuple[object, ...] = (value,)
    elif isinstance(value, Iterable) and not isinstance(value, bytes | dict):
        items = tuple(value)
    else:
        raise InvalidInput("evidence.tins", f"a collection of TINs; got {type(value).__name__}")
    offered = (_offered(TIN, f"evidence.tins[{i}]", item) for i, item in enumerate(items))
    return tuple(tin for tin in offered if tin is not None)


def _shown(value: object) -> str:
    """Evidence is what a person typed, and any field may hold a TIN typed in the wrong box:
    every value is shown masked."""
    if value is None:
        return "None"
    if isinstance(value, Identifier):
        return f"{type(value).__name__}({mask(value.value)!r})"
    return repr(mask(value))


def _shown_all(value: tuple[object, ...]) -> str:
    inner = ", ".join(_shown(item) for item in value)
    return f"({inner},)" if len(value) == 1 else f"({inner})"


@attrs.frozen(cache_hash=True)
class Evidence:
    """What the first Security Official of an organization supplies for validation (ACC-SO-1).

    Every field is optional and may be given as text: text that is a valid identifier is kept
    as that identifier; text that is not (a bad NPI check digit, a 10-digit "TIN") is kept as
    given so that validation names it as malformed. Building evidence never fails on what a
    person typed; only a wrong Python type (a list for ``tin``) raises ``InvalidInput``.
    Blank text counts as missing. ``tin`` and ``tins`` together are the TINs offered.

    The ``repr`` masks every value (a TIN typed in the wrong box is still a TIN).

    >>> Evidence(tins=("00-0765630", "  ")).tins
    (TIN('*****5630'),)
    >>> Evidence(npi="1234567890").npi   # the check digit fails: kept as text, shown masked
    '1234567890'
    """

    tin: TIN | str | None = attrs.field(default=None, converter=_ev_tin, repr=_shown)
    npi: NPI | str | None = attrs.field(default=None, converter=_ev_npi, repr=_shown)
    ptan: PTAN | str | None = attrs.field(default=None, converter=_ev_ptan, repr=_shown)
    tins: tuple[TIN | str, ...] = attrs.field(default=(), converter=_ev_tins, repr=_shown_all)
    apm_entity_id: ApmEntityId | str | None = attrs.field(
        default=None, converter=_ev_apm_entity_id, repr=_shown
    )
    practice_site_id: PracticeSiteId | str | None = attrs.field(
        default=None, converter=_ev_practice_site_id, repr=_shown
    )
    vendor_id: VendorId | str | None = attrs.field(
        default=None, converter=_ev_vendor_id, repr=_shown
    )

    @property
    def offered_tins(self) -> tuple[TIN | str, ...]:
        """``tin`` (when given) followed by ``tins``."""
        return ((self.tin,) if self.tin is not None else ()) + self.tins


# -- the access-request lifecycle -----------------------------------------------------------


@attrs.frozen(cache_hash=True)
class Request:
    """A user's request for a role in the organization, made at instant ``at``. Requests
    compare and hash by the instant: two readings of November's repeated hour differ.

    >>> from qpp_rules import eastern
    >>> r = Request("pat@example.org", Role.STAFF_USER, eastern(2019, 3, 1, 9))
    >>> r.user, r.role.value
    ('pat@example.org', 'Staff User')
    """

    user: str = attrs.field(validator=_user("request.user"))
    role: Role = attrs.field(validator=_enum(Role, "request.role"))
    at: pendulum.DateTime = attrs.field(converter=_at, eq=_instant_key)

    def __str__(self) -> str:
        return f"{self.user} requests the {self.role.value} role"


@attrs.frozen(cache_hash=True)
class Member:
    """A user holding a role in the organization.

    >>> Member("ann", Role.SECURITY_OFFICIAL).role.value
    'Security Official'
    """

    user: str = attrs.field(validator=_user("member.user"))
    role: Role = attrs.field(validator=_enum(Role, "member.role"))


def _members(value: object) -> tuple[Member, ...]:
    members: list[Member] = []
    for item in _items(value, "state.members"):
        if not isinstance(item, Member):
            raise InvalidInput("state.members", f"each is a Member; got {type(item).__name__}")
        members.append(item)
    return tuple(sorted(members, key=lambda member: member.user))


def _pending(value: object) -> tuple[Request, ...]:
    requests: list[Request] = []
    for item in _items(value, "state.pending"):
        if not isinstance(item, Request):
            raise InvalidInput("state.pending", f"each is a Request; got {type(item).__name__}")
        requests.append(item)
    return tuple(requests)


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

    organization: OrganizationRecord = attrs.field(
        validator=_enum(OrganizationRecord, "state.organization")
    )
    members: tuple[Member, ...] = attrs.field(default=(), converter=_members)
    pending: tuple[Request, ...] = attrs.field(default=(), converter=_pending)

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


def _organization(value: object) -> OrganizationRecord:
    if isinstance(value, OrganizationRecord):
        return value
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        raise InvalidInput(
            "command.organization",
            "a request names one organization; make one request for each (ACC-ROLE-3)",
        )
    raise InvalidInput(
        "command.organization", f"an OrganizationRecord; got {type(value).__name__}"
    )


def _evidence(value: object) -> Evidence | None:
    if value is None or isinstance(value, Evidence):
        return value
    raise InvalidInput("command.evidence", f"an Evidence or None; got {type(value).__name__}")


@attrs.frozen
class RequestRole:
    """``user`` asks for ``role`` in one ``organization`` (ACC-ROLE-3); the first Security
    Official adds the ``evidence`` validation needs (ACC-SO-1).

    >>> from qpp_rules import OrgType
    >>> RequestRole("bob", Role.STAFF_USER, OrganizationRecord(OrgType.VIRTUAL_GROUP)).evidence
    """

    user: str = attrs.field(validator=_user("command.user"))
    role: Role = attrs.field(validator=_enum(Role, "command.role"))
    organization: OrganizationRecord = attrs.field(converter=_organization)
    evidence: Evidence | None = attrs.field(default=None, converter=_evidence)


@attrs.frozen
class Approve:
    """Security Official ``by`` approves a pending ``request`` (ACC-SO-2).

    >>> from qpp_rules import eastern
    >>> Approve(Request("bob", Role.STAFF_USER, eastern(2019, 3, 1)), by="ann").by
    'ann'
    """

    request: Request = attrs.field(validator=_enum(Request, "command.request"))
    by: str = attrs.field(validator=_user("command.by"))


@attrs.frozen
class Deny:
    """Security Official ``by`` denies a pending ``request`` (ACC-SO-2).

    >>> from qpp_rules import eastern
    >>> Deny(Request("bob", Role.STAFF_USER, eastern(2019, 3, 1)), by="ann").request.user
    'bob'
    """

    request: Request = attrs.field(validator=_enum(Request, "command.request"))
    by: str = attrs.field(validator=_user("command.by"))


@attrs.frozen
class ChangeRole:
    """Change ``user``'s role to ``role``: a help-desk action, always refused here (ACC-SO-3).

    >>> ChangeRole("bob", Role.SECURITY_OFFICIAL, by="ann").role.value
    'Security Official'
    """

    user: str = attrs.field(validator=_user("command.user"))
    role: Role = attrs.field(validator=_enum(Role, "command.role"))
    by: str = attrs.field(validator=_user("command.by"))


@attrs.frozen
class RemoveUser:
    """Remove ``user`` (e.g. a Security Official who left): a help-desk action, always
    refused here (ACC-SO-3).

    >>> RemoveUser("carl", by="ann").user
    'carl'
    """

    user: str = attrs.field(validator=_user("command.user"))
    by: str = attrs.field(validator=_user("command.by"))


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

    request: Request = attrs.field(validator=_enum(Request, "event.request"))
    organization: OrganizationRecord = attrs.field(
        validator=_enum(OrganizationRecord, "event.organization")
    )

    def __str__(self) -> str:
        return f"requested: {self.request}"


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

    request: Request = attrs.field(validator=_enum(Request, "event.request"))
    by: str | None = attrs.field(default=None, converter=_optional_user)
    at: pendulum.DateTime | None = attrs.field(
        default=None, converter=_optional_at, eq=_instant_key
    )
    evidence: Evidence | None = attrs.field(
        default=None, validator=_optional_enum(Evidence, "event.evidence")
    )

    def __str__(self) -> str:
        how = "automatically after validation" if self.by is None else f"by {self.by}"
        return f"granted {how}: {self.request}"


@attrs.frozen(cache_hash=True)
class RequestDenied:
    """A request was denied by Security Official ``by``; the user may ask again (ACC-SO-2).

    >>> from qpp_rules import eastern
    >>> str(RequestDenied(Request("bob", Role.STAFF_USER, eastern(2019, 3, 1)), "ann"))
    'denied by ann: bob requests the Staff User role'
    """

    request: Request = attrs.field(validator=_enum(Request, "event.request"))
    by: str = attrs.field(validator=_user("event.by"))
    at: pendulum.DateTime | None = attrs.field(
        default=None, converter=_optional_at, eq=_instant_key
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


@attrs.frozen(cache_hash=True)
class Notification:
    """A message to a user about their request (ACC-SO-2).

    >>> n = Notification("pat", Channel.EMAIL, NotificationKind.APPROVED, Role.STAFF_USER)
    >>> n.message
    'Staff User role: your request was approved'
    """

    to: str = attrs.field(validator=_user("notification.to"))
    channel: Channel = attrs.field(validator=_enum(Channel, "notification.channel"))
    kind: NotificationKind = attrs.field(validator=_enum(NotificationKind, "notification.kind"))
    role: Role = attrs.field(validator=_enum(Role, "notification.role"))
    rule_id: str = attrs.field(default="ACC-SO-2", validator=_user("notification.rule_id"))

    @property
    def message(self) -> str:
        """The text: the role and what happened (never an identifier of the organization)."""
        return f"{self.role.value} role: {self.kind.value}"

    def __str__(self) -> str:
        return f"{self.channel.value} to {self.to}: {self.message}"
