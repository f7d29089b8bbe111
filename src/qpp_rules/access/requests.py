"""The access-request lifecycle of one organization: ``decide(state, command, *, at, policy)
-> Outcome`` and ``evolve(state, event) -> state`` (RULES.md section 3).

- The first request for an organization may only be for the Security Official role
  (ACC-ROLE-2); it is approved automatically when the evidence passes validation (ACC-SO-1).
- Later requests (Staff Users, more Security Officials) wait until a Security Official of the
  organization approves or denies them (ACC-SO-2). Nobody approves their own request; a
  request for a role already held or already pending is refused; a denied user may ask again.
- Changing a role and removing a user are help-desk actions (ACC-SO-3): ``ChangeRole`` and
  ``RemoveUser`` are always refused, saying so.
- A request names one organization (ACC-ROLE-3): the state is one organization's, and a
  request naming another is refused.
- A CPC+ Practice Site accepts connections only from the year's
  ``access.cpc_plus_connections_open`` (ACC-DATE-1).
- The requester is told on screen and by email when the request is made (the first Security
  Official that it was approved automatically); Staff Users and additional Security Officials
  are emailed when it is approved (ACC-SO-2). The guide names no message for a denial, so none
  is sent (design).

Readings taken (design): a user holds one role per organization and has one pending request
at most; asking for the other role while holding one is a role change (ACC-SO-3). An approver
must hold the Security Official role and its ``approve or deny access requests`` permission
in the year's table (ACC-PERM-1).

>>> import qpp_rules as qr
>>> from qpp_rules.access import (OrganizationRecord, Evidence, RequestRole, Approve, Role,
...                               decide, role_of, pending_requests)
>>> policy = qr.policy_for(2019)
>>> practice = OrganizationRecord(qr.OrgType.PRACTICE, tins=["000765630"],
...                               clinicians=[("1234567893", "AB1234")])
>>> evidence = Evidence(tin="000765630", npi="1234567893", ptan="AB1234")
>>> first = decide(None, RequestRole("ann", Role.SECURITY_OFFICIAL, practice, evidence),
...                at=qr.eastern(2019, 3, 1, 9), policy=policy)
>>> role_of(first.state, "ann")
<Role.SECURITY_OFFICIAL: 'Security Official'>
>>> asked = decide(first.state, RequestRole("bob", Role.STAFF_USER, practice),
...                at=qr.eastern(2019, 3, 1, 10), policy=policy)
>>> role_of(asked.state, "bob"), [r.user for r in pending_requests(asked.state)]
(None, ['bob'])
>>> done = decide(asked.state, Approve(pending_requests(asked.state)[0], by="ann"),
...               at=qr.eastern(2019, 3, 1, 11), policy=policy)
>>> role_of(done.state, "bob"), [str(n) for n in done.notifications]
(<Role.STAFF_USER: 'Staff User'>, ['email to bob: Staff User role: your request was approved'])
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import attrs
import pendulum

from qpp_rules.access.model import (
    AccessEvent,
    AccessState,
    Approve,
    ChangeRole,
    Channel,
    Deny,
    Member,
    Notification,
    NotificationKind,
    OrganizationRecord,
    RemoveUser,
    Request,
    RequestDenied,
    RequestRole,
    RoleGranted,
    RoleRequested,
)
from qpp_rules.access.permissions import may
from qpp_rules.access.validation import validate_first_security_official
from qpp_rules.decisions import Decision, Outcome, Reason
from qpp_rules.errors import InvalidInput
from qpp_rules.policy.model import PolicyYear
from qpp_rules.policy.unknown import unknown_reason
from qpp_rules.time import instant, utc_key
from qpp_rules.vocabulary import ApmModel, OrgType, Permission, Role

__all__ = [
    "AccessOutcome",
    "decide",
    "evolve",
    "pending_requests",
    "role_of",
    "security_officials",
]

AccessOutcome = Outcome[AccessState | None, AccessEvent, Notification]
"""What an access command did: events, notifications and the state after, or a refusal."""

_ROLES = "ACCESS-GUIDE, Which Role Do I Choose?"
_APPROVE = "ACCESS-GUIDE, Next Steps; FAQs 'Who do I contact to approve my pending role request?'"
_HELP_DESK = "ACCESS-GUIDE, FAQs 'How can I change my role for an organization?'"
_ONE_ORG = "ACCESS-GUIDE, Getting Started; Connect to a Practice, Step 1 NOTE"


@functools.lru_cache(maxsize=256)
def _refusal(rule_id: str, message: str, citation: str) -> Decision:
    return Decision.refuse(Reason(rule_id, message, citation))


def _policy_refusal(policy: PolicyYear, rule_id: str, message: str, path: str) -> Decision:
    key = ("access-refusal", rule_id, message, path)
    memo = policy.memo()
    cached: Decision | None = memo.get(key)
    if cached is None:
        cached = Decision.refuse(Reason(rule_id, message, str(policy.cite(path))))
        memo[key] = cached
    return cached


def _fold(state: AccessState | None, events: Iterable[AccessEvent]) -> AccessState | None:
    for event in events:
        state = evolve(state, event)
    return state


def _accept(
    state: AccessState | None,
    events: tuple[AccessEvent, ...],
    notifications: tuple[Notification, ...],
) -> AccessOutcome:
    return Outcome(True, _fold(state, events), events, notifications, None)


def _is_cpc_plus(organization: OrganizationRecord) -> bool:
    return organization.kind is OrgType.APM_ENTITY and organization.apm_model is ApmModel.CPC_PLUS


def _request_role(
    state: AccessState | None, command: RequestRole, at: pendulum.DateTime, policy: PolicyYear
) -> AccessOutcome:
    organization = command.organization
    if state is not None and organization != state.organization:
        return Outcome.refused(state, _refusal(
            "ACC-ROLE-3",
            "A request names one organization; this one is another organization's: make a "
            "separate request for it.",
            _ONE_ORG,
        ))
    if _is_cpc_plus(organization) and policy.access.cpc_plus_connections_open is None:
        return Outcome.refused(state, Decision.refuse(unknown_reason(
            policy, "access.cpc_plus_connections_open", "ACC-DATE-1")))
    opens = policy.access.cpc_plus_connections_open
    if _is_cpc_plus(organization) and opens is not None and utc_key(at) < utc_key(opens):
        return Outcome.refused(state, _policy_refusal(
            policy,
            "ACC-DATE-1",
            "Connecting to a CPC+ Practice Site is possible from "
            f"{opens.format('YYYY-MM-DD HH:mm zz')}.",
            "access.cpc_plus_connections_open",
        ))
    user, role = command.user, command.role
    request = Request(user, role, at)
    held = None if state is None else state.role_of(user)
    if held is role:
        return Outcome.refused(state, _refusal(
            "ACC-SO-2",
            f"The user already holds the {role.value} role in this organization.",
            _APPROVE,
        ))
    if held is not None:
        return Outcome.refused(state, _refusal(
            "ACC-SO-3",
            f"The user holds the {held.value} role; changing a role is not self-service: "
            "contact the Quality Payment Program.",
            _HELP_DESK,
        ))
    if state is not None and state.pending_for(user) is not None:
        return Outcome.refused(state, _refusal(
            "ACC-SO-2",
            "The user already has a request pending for this organization; a Security "
            "Official approves or denies it.",
            _APPROVE,
        ))
    if state is None or not state.has_security_official:
        if role is not Role.SECURITY_OFFICIAL:
            return Outcome.refused(state, _refusal(
                "ACC-ROLE-2",
                "The organization has no Security Official yet: the first person to connect "
                "may only request the Security Official role.",
                _ROLES,
            ))
        validation = validate_first_security_official(organization, command.evidence)
        if not validation:
            return Outcome.refused(state, validation)
        events: tuple[AccessEvent, ...] = (
            RoleRequested(request, organization),
            RoleGranted(request, None, at),
        )
        told = tuple(
            Notification(user, channel, NotificationKind.APPROVED_AUTOMATICALLY, role, "ACC-SO-1")
            for channel in (Channel.SCREEN, Channel.EMAIL)
        )
        return _accept(state, events, told)
    told = tuple(
        Notification(user, channel, NotificationKind.PENDING, role)
        for channel in (Channel.SCREEN, Channel.EMAIL)
    )
    return _accept(state, (RoleRequested(request, organization),), told)


def _answer(
    state: AccessState | None,
    command: Approve | Deny,
    at: pendulum.DateTime,
    policy: PolicyYear,
) -> AccessOutcome:
    verb = "approve" if isinstance(command, Approve) else "deny"
    wanted = command.request
    pending = None if state is None else state.pending_for(wanted.user)
    if state is None or pending is None or pending.role is not wanted.role:
        return Outcome.refused(state, _refusal(
            "ACC-SO-2",
            f"There is no such pending request to {verb} in this organization.",
            _APPROVE,
        ))
    if command.by == wanted.user:
        return Outcome.refused(state, _refusal(
            "ACC-SO-2", "Nobody approves or denies their own request.", _APPROVE
        ))
    if state.role_of(command.by) is not Role.SECURITY_OFFICIAL:
        return Outcome.refused(state, _refusal(
            "ACC-SO-2",
            f"Only a Security Official of this organization may {verb} its requests.",
            _APPROVE,
        ))
    kind = state.organization.kind
    if not may(kind, Role.SECURITY_OFFICIAL, Permission.APPROVE_ACCESS_REQUESTS, policy):
        return Outcome.refused(state, _policy_refusal(
            policy,
            "ACC-PERM-1",
            f"In {policy.label} the Security Official of this {kind.value} may not approve or "
            "deny access requests.",
            "access.permissions",
        ))
    if isinstance(command, Approve):
        told = (Notification(pending.user, Channel.EMAIL, NotificationKind.APPROVED, pending.role),)
        return _accept(state, (RoleGranted(pending, command.by, at),), told)
    return _accept(state, (RequestDenied(pending, command.by, at),), ())


def decide(
    state: AccessState | None, command: object, *, at: object, policy: PolicyYear
) -> AccessOutcome:
    """Decide one access command for one organization (``state`` is None before anyone has
    connected). Returns an Outcome: the events, the notifications and the state after, or a
    refusal (a Decision with rule IDs) and the state unchanged.

    Raises ``InvalidInput`` (``NaiveDateTime``) for a command, state, instant or policy that
    is malformed; a refusal is never an exception.

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import OrganizationRecord, RequestRole, Role
    >>> registry = OrganizationRecord(qr.OrgType.REGISTRY, tins=["000765630"],
    ...                               vendor_id="1234567")
    >>> out = decide(None, RequestRole("bob", Role.STAFF_USER, registry),
    ...              at=qr.eastern(2019, 3, 1), policy=qr.policy_for(2019))
    >>> out.accepted, out.refusal.rule_ids, out.state
    (False, ('ACC-ROLE-2',), None)
    """
    if state is not None and not isinstance(state, AccessState):
        raise InvalidInput("state", f"an AccessState or None; got {type(state).__name__}")
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    moment = instant(at, "at")
    if isinstance(command, RequestRole):
        return _request_role(state, command, moment, policy)
    if isinstance(command, Approve | Deny):
        return _answer(state, command, moment, policy)
    if isinstance(command, ChangeRole):
        return Outcome.refused(state, _refusal(
            "ACC-SO-3",
            "Changing a user's role (Security Official or Staff User) is not self-service: "
            "contact the Quality Payment Program.",
            _HELP_DESK,
        ))
    if isinstance(command, RemoveUser):
        return Outcome.refused(state, _refusal(
            "ACC-SO-3",
            "Removing a user (e.g. a Security Official who has left) is not self-service: "
            "contact the Quality Payment Program.",
            "ACCESS-GUIDE, FAQs 'What do I do if a Security Official has left my organization?'",
        ))
    raise InvalidInput("command", f"an access command; got {type(command).__name__}")


def evolve(state: AccessState | None, event: object) -> AccessState | None:
    """The state after ``event``. ``InvalidInput`` for an event that cannot follow ``state``
    (a grant without its request, an event for another organization).

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import OrganizationRecord, Request, Role, RoleRequested
    >>> org = OrganizationRecord(qr.OrgType.VIRTUAL_GROUP)
    >>> s = evolve(None, RoleRequested(Request("ann", Role.SECURITY_OFFICIAL,
    ...                                        qr.eastern(2019, 1, 2)), org))
    >>> [r.user for r in s.pending]
    ['ann']
    """
    if state is not None and not isinstance(state, AccessState):
        raise InvalidInput("state", f"an AccessState or None; got {type(state).__name__}")
    if isinstance(event, RoleRequested):
        if state is None:
            return AccessState(event.organization, (), (event.request,))
        if event.organization != state.organization:
            raise InvalidInput("event.organization", "the event is another organization's")
        user = event.request.user
        if state.role_of(user) is not None or state.pending_for(user) is not None:
            raise InvalidInput("event.request", "the user already holds a role or waits")
        return attrs.evolve(state, pending=(*state.pending, event.request))
    if isinstance(event, RoleGranted | RequestDenied):
        if state is None:
            raise InvalidInput("event", "no request was made in this organization")
        request = state.pending_for(event.request.user)
        if request is None or request.role is not event.request.role:
            raise InvalidInput("event.request", "the request is not pending")
        pending = tuple(r for r in state.pending if r.user != request.user)
        if isinstance(event, RequestDenied):
            return attrs.evolve(state, pending=pending)
        members = (*state.members, Member(request.user, request.role))
        return attrs.evolve(state, members=members, pending=pending)
    raise InvalidInput("event", f"an access event; got {type(event).__name__}")


def _state(state: object) -> AccessState | None:
    if state is not None and not isinstance(state, AccessState):
        raise InvalidInput("state", f"an AccessState or None; got {type(state).__name__}")
    return state


def role_of(state: AccessState | None, user: object) -> Role | None:
    """The role ``user`` holds in the organization, or None (also before anyone connected).

    >>> role_of(None, "ann") is None
    True
    """
    checked = _state(state)
    if not isinstance(user, str):
        raise InvalidInput("user", f"a user is text; got {type(user).__name__}")
    return None if checked is None else checked.role_of(user)


def pending_requests(state: AccessState | None) -> tuple[Request, ...]:
    """The requests waiting for a Security Official, oldest first.

    >>> pending_requests(None)
    ()
    """
    checked = _state(state)
    return () if checked is None else checked.pending


def security_officials(state: AccessState | None) -> tuple[str, ...]:
    """The users holding the Security Official role, in order.

    >>> security_officials(None)
    ()
    """
    checked = _state(state)
    if checked is None:
        return ()
    return tuple(m.user for m in checked.members if m.role is Role.SECURITY_OFFICIAL)
