"""The access-request lifecycle of one organization, in the shape every domain shares:
``decide(state, command, *, at, policy) -> Outcome``, ``evolve(state, event) -> state`` and
``replay(events) -> state`` (RULES.md section 3). An access command names its own user (the
requester, or the Security Official ``by`` who answers).

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
from qpp_rules.decisions import Outcome, Reason, accept, refuse
from qpp_rules.errors import ImpossibleEvent, InvalidInput
from qpp_rules.kernel.citations import cite
from qpp_rules.kernel.folding import fold
from qpp_rules.policy.model import PolicyYear
from qpp_rules.policy.unknown import unknown_reason
from qpp_rules.time import instant, utc_key
from qpp_rules.vocabulary import ApmModel, OrgType, Permission, Role

__all__ = [
    "AccessOutcome",
    "decide",
    "evolve",
    "pending_requests",
    "replay",
    "role_of",
    "security_officials",
]

AccessOutcome = Outcome[AccessState | None, AccessEvent, Notification]
"""What an access command did: events, notifications and the state after, or a refusal."""


def _refused(state: AccessState | None, rule_id: str, message: str) -> AccessOutcome:
    return refuse(state, Reason(rule_id, message, cite(rule_id, "ACCESS-GUIDE")))


def _policy_refused(
    state: AccessState | None, policy: PolicyYear, rule_id: str, message: str, path: str
) -> AccessOutcome:
    return refuse(state, Reason(rule_id, message, policy.cite(path)))


def _is_cpc_plus(organization: OrganizationRecord) -> bool:
    return organization.kind is OrgType.APM_ENTITY and organization.apm_model is ApmModel.CPC_PLUS


def _request_role(
    state: AccessState | None, command: RequestRole, at: pendulum.DateTime, policy: PolicyYear
) -> AccessOutcome:
    organization = command.organization
    if state is not None and organization != state.organization:
        return _refused(
            state, "ACC-ROLE-3",
            "A request names one organization; this one is another organization's: make a "
            "separate request for it.",
        )
    opens = policy.access.cpc_plus_connections_open
    if _is_cpc_plus(organization) and opens is None:
        return refuse(state, unknown_reason(
            policy, "access.cpc_plus_connections_open", "ACC-DATE-1"))
    if _is_cpc_plus(organization) and opens is not None and utc_key(at) < utc_key(opens):
        return _policy_refused(
            state, policy,
            "ACC-DATE-1",
            "Connecting to a CPC+ Practice Site is possible from "
            f"{opens.format('YYYY-MM-DD HH:mm zz')}.",
            "access.cpc_plus_connections_open",
        )
    user, role = command.user, command.role
    request = Request(user, role, at)
    held = None if state is None else state.role_of(user)
    if held is role:
        return _refused(
            state, "ACC-SO-2",
            f"The user already holds the {role.value} role in this organization.",
        )
    if held is not None:
        return _refused(
            state, "ACC-SO-3",
            f"The user holds the {held.value} role; changing a role is not self-service: "
            "contact the Quality Payment Program.",
        )
    if state is not None and state.pending_for(user) is not None:
        return _refused(
            state, "ACC-SO-2",
            "The user already has a request pending for this organization; a Security "
            "Official approves or denies it.",
        )
    if state is None or not state.has_security_official:
        if role is not Role.SECURITY_OFFICIAL:
            return _refused(
                state, "ACC-ROLE-2",
                "The organization has no Security Official yet: the first person to connect "
                "may only request the Security Official role.",
            )
        validation = validate_first_security_official(organization, command.evidence)
        if not validation:
            return Outcome.refused(state, validation)
        granted = RoleGranted(request, None, at, command.evidence)
        return accept(state, (RoleRequested(request, organization), granted), evolve, _notify)
    return accept(state, (RoleRequested(request, organization),), evolve, _notify)


_TOLD = (Channel.SCREEN, Channel.EMAIL)


def _notify(after: AccessState | None, event: AccessEvent) -> tuple[Notification, ...]:
    """Who is told of ``event`` (ACC-SO-1, ACC-SO-2): a request that waits, on screen and by
    email; the first Security Official's automatic approval, on screen and by email; an
    approval, by email; a denial, nobody (the guide names no message: design)."""
    request = event.request
    if isinstance(event, RoleRequested):
        if after is None or not after.has_security_official:
            return ()  # the first Security Official: told of the approval that follows
        kind = NotificationKind.PENDING
        return tuple(Notification(request.user, c, kind, request.role) for c in _TOLD)
    if isinstance(event, RoleGranted) and event.by is None:
        kind = NotificationKind.APPROVED_AUTOMATICALLY
        return tuple(
            Notification(request.user, c, kind, request.role, "ACC-SO-1") for c in _TOLD
        )
    if isinstance(event, RoleGranted):
        return (Notification(request.user, Channel.EMAIL, NotificationKind.APPROVED, request.role),)
    return ()


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
        return _refused(
            state, "ACC-SO-2",
            f"There is no such pending request to {verb} in this organization.",
        )
    if command.by == wanted.user:
        return _refused(
            state, "ACC-SO-2", "Nobody approves or denies their own request."
        )
    if state.role_of(command.by) is not Role.SECURITY_OFFICIAL:
        return _refused(
            state, "ACC-SO-2",
            f"Only a Security Official of this organization may {verb} its requests.",
        )
    kind = state.organization.kind
    if not may(kind, Role.SECURITY_OFFICIAL, Permission.APPROVE_ACCESS_REQUESTS, policy):
        return _policy_refused(
            state, policy,
            "ACC-PERM-1",
            f"In {policy.label} the Security Official of this {kind.value} may not approve or "
            "deny access requests.",
            "access.permissions",
        )
    if isinstance(command, Approve):
        return accept(state, (RoleGranted(pending, command.by, at),), evolve, _notify)
    return accept(state, (RequestDenied(pending, command.by, at),), evolve, _notify)


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
    state = _state(state)
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    moment = instant(at, "at")
    if isinstance(command, RequestRole):
        return _request_role(state, command, moment, policy)
    if isinstance(command, Approve | Deny):
        return _answer(state, command, moment, policy)
    if isinstance(command, ChangeRole):
        return _refused(
            state, "ACC-SO-3",
            "Changing a user's role (Security Official or Staff User) is not self-service: "
            "contact the Quality Payment Program.",
        )
    if isinstance(command, RemoveUser):
        return _refused(
            state, "ACC-SO-3",
            "Removing a user (e.g. a Security Official who has left) is not self-service: "
            "contact the Quality Payment Program.",
        )
    raise InvalidInput("command", f"an access command; got {type(command).__name__}")


def evolve(state: AccessState | None, event: object) -> AccessState | None:
    """The state after ``event``. An event that :func:`decide` could not have produced from
    ``state`` raises :class:`~qpp_rules.ImpossibleEvent` (an ``InvalidInput``) naming the
    field and the rule it breaks, so that a forged or corrupted event log never builds a
    state the rules forbid:

    - a request: not for another organization (ACC-ROLE-3), not by a user who holds a role or
      waits (ACC-SO-2), and for the Security Official role while the organization has none
      (ACC-ROLE-2);
    - a grant or a denial: of the request pending for that user, exactly as it was made
      (ACC-SO-2), at a recorded instant;
    - an automatic grant (``by`` None): only of the Security Official role, only while the
      organization has no Security Official, at the instant of the request, carrying evidence
      that passes :func:`validate_first_security_official` against the organization's record
      in the state (ACC-SO-1);
    - an approval or denial: by a Security Official of this organization who is not the
      requester (ACC-SO-2), recording no evidence.

    What ``evolve`` cannot check, holding only the state: that the organization's record (and
    so the evidence that matched it) was CMS's at the time; the year's permission table
    (ACC-PERM-1) and the CPC+ connection date (ACC-DATE-1), which need the policy; that an
    answer came after the request in time; that the events of one command arrived together.

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import OrganizationRecord, Request, Role, RoleRequested
    >>> org = OrganizationRecord(qr.OrgType.VIRTUAL_GROUP)
    >>> s = evolve(None, RoleRequested(Request("ann", Role.SECURITY_OFFICIAL,
    ...                                        qr.eastern(2019, 1, 2)), org))
    >>> [r.user for r in s.pending]
    ['ann']
    >>> evolve(s, RoleGranted(s.pending[0], by="ann", at=qr.eastern(2019, 1, 2)))
    Traceback (most recent call last):
      ...
    qpp_rules.errors.ImpossibleEvent: event.by: nobody approves or denies their own request \
(ACC-SO-2)
    """
    checked = _state(state)
    if isinstance(event, RoleRequested):
        return _requested(checked, event)
    if isinstance(event, RoleGranted | RequestDenied):
        return _answered(checked, event)
    raise InvalidInput("event", f"an access event; got {type(event).__name__}")


def replay(
    events: Iterable[AccessEvent], state: AccessState | None = None
) -> AccessState | None:
    """The state an organization's events build over ``state`` (None: nobody connected yet);
    each event is checked as :func:`evolve` checks it (``ImpossibleEvent`` for one ``decide``
    could not have produced).

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import OrganizationRecord, Evidence, RequestRole, Role
    >>> practice = OrganizationRecord(qr.OrgType.PRACTICE, tins=["000765630"],
    ...                               clinicians=[("1234567893", "AB1234")])
    >>> evidence = Evidence(tin="000765630", npi="1234567893", ptan="AB1234")
    >>> first = decide(None, RequestRole("ann", Role.SECURITY_OFFICIAL, practice, evidence),
    ...                at=qr.eastern(2019, 3, 1, 9), policy=qr.policy_for(2019))
    >>> replay(first.events) == first.state, replay((), first.state) == first.state
    (True, True)
    """
    return fold(evolve, events, state, "access events")


def _requested(state: AccessState | None, event: RoleRequested) -> AccessState:
    request = event.request
    if state is not None and event.organization != state.organization:
        raise ImpossibleEvent(
            "event.organization", "the event is another organization's (ACC-ROLE-3)"
        )
    if state is not None and (
        state.role_of(request.user) is not None or state.pending_for(request.user) is not None
    ):
        raise ImpossibleEvent(
            "event.request", "the user already holds a role or waits on a request (ACC-SO-2)"
        )
    if (state is None or not state.has_security_official) and (
        request.role is not Role.SECURITY_OFFICIAL
    ):
        raise ImpossibleEvent(
            "event.request.role",
            "the organization has no Security Official: only that role may be requested "
            "(ACC-ROLE-2)",
        )
    if state is None:
        return AccessState(event.organization, (), (request,))
    return attrs.evolve(state, pending=(*state.pending, request))


def _answered(state: AccessState | None, event: RoleGranted | RequestDenied) -> AccessState:
    if state is None:
        raise ImpossibleEvent("event", "no request was made in this organization (ACC-SO-2)")
    request = state.pending_for(event.request.user)
    if request is None or request != event.request:
        raise ImpossibleEvent("event.request", "the request is not pending (ACC-SO-2)")
    if event.at is None:
        raise ImpossibleEvent("event.at", "an answer records when it was given (ACC-SO-2)")
    if isinstance(event, RoleGranted) and event.by is None:
        _check_automatic(state, event)
    else:
        if event.by == request.user:
            raise ImpossibleEvent(
                "event.by", "nobody approves or denies their own request (ACC-SO-2)"
            )
        if state.role_of(str(event.by)) is not Role.SECURITY_OFFICIAL:
            raise ImpossibleEvent(
                "event.by",
                "only a Security Official of this organization approves or denies its "
                "requests (ACC-SO-2)",
            )
        if isinstance(event, RoleGranted) and event.evidence is not None:
            raise ImpossibleEvent(
                "event.evidence",
                "an approval by a Security Official records no validation evidence (ACC-SO-2)",
            )
    pending = tuple(r for r in state.pending if r.user != request.user)
    if isinstance(event, RequestDenied):
        return attrs.evolve(state, pending=pending)
    members = (*state.members, Member(request.user, request.role))
    return attrs.evolve(state, members=members, pending=pending)


def _check_automatic(state: AccessState, event: RoleGranted) -> None:
    """An automatic grant is the first Security Official's, validated (ACC-SO-1)."""
    if state.has_security_official or event.request.role is not Role.SECURITY_OFFICIAL:
        raise ImpossibleEvent(
            "event.by",
            "only the organization's first Security Official is approved automatically; "
            "this request needs a Security Official's approval (ACC-SO-1, ACC-SO-2)",
        )
    if event.at is not None and utc_key(event.at) != utc_key(event.request.at):
        raise ImpossibleEvent(
            "event.at", "an automatic approval happens when the request is made (ACC-SO-1)"
        )
    if event.evidence is None or not validate_first_security_official(
        state.organization, event.evidence
    ):
        raise ImpossibleEvent(
            "event.evidence",
            "an automatic approval records evidence that validates against the "
            "organization's records (ACC-SO-1)",
        )


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
