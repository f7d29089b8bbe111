"""Strategies for lifecycle states and outcomes reached by command sequences through each
domain's decider (registration ``decide``, access ``decide``, election ``elect`` and
``elect_batch``): accepted and refused commands alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.access import Actor
from qpp_rules.decisions import Outcome
from qpp_rules.policy.unknown import known
from qpp_rules.vocabulary import OrgType, Role, SizeBand

if TYPE_CHECKING:
    from qpp_rules.access import AccessState
    from qpp_rules.election import ElectionLedger
    from qpp_rules.registration import Contact, Registration

__all__ = [
    "access_outcomes",
    "contacts",
    "election_ledgers",
    "election_outcomes",
    "registration_outcomes",
    "registration_states",
]

_NAMES = st.sampled_from(["Jane", "John", "Ana", "Li", "Omar", "Ruth", "Kofi", "Mei"])
_DIGITS = "0123456789"


def contacts() -> st.SearchStrategy[Contact]:
    """Complete registration contacts (first and last name, email, 10-digit phone)."""
    from qpp_rules.registration import Contact

    return st.builds(
        lambda first, last, n: Contact(first, last, f"{first.lower()}{n}@example.org",
                                       f"410555{n:04d}"),
        _NAMES, _NAMES, st.integers(0, 9999),
    )


def _instant_in(window: qr.Window) -> st.SearchStrategy[Any]:
    span = int((window.closes - window.opens).total_seconds())
    return st.integers(0, span - 1).map(lambda s: window.opens.add(seconds=s))


def _years(policy: qr.PolicyYear | None) -> st.SearchStrategy[qr.PolicyYear]:
    if policy is not None:
        return st.just(policy)
    return st.sampled_from([qr.policy_for(y) for y in (2018, 2019, 2021)])


@st.composite
def _registration_run(draw: st.DrawFn, policy: qr.PolicyYear | None) -> list[Outcome[Any, Any,
                                                                                       Any]]:
    from qpp_rules.registration import (
        AddContact,
        Address,
        Cancel,
        ChangeSize,
        DeleteContact,
        EditContact,
        Organization,
        Program,
        Register,
        UpdateOrganization,
        decide,
        options,
    )

    year = draw(_years(policy))
    kinds = sorted({k for ks in known(year, "registration.may_register", "REG-ELIG-3").values()
                    for k in ks},
                   key=lambda k: k.value)
    kind = draw(st.sampled_from(kinds))
    size = draw(st.sampled_from(list(SizeBand)))
    fields: dict[str, Any] = {"name": "Generated Health", "address": Address(
        "1 Main Street", "Baltimore", "MD", "21239")}
    if kind is OrgType.PRACTICE:
        fields["tin"] = draw(st.text(_DIGITS, min_size=9, max_size=9))
    elif kind is OrgType.VIRTUAL_GROUP:
        fields["virtual_group_id"] = f"VG-{draw(st.integers(1000, 9999))}"
    else:
        fields["apm_entity_id"] = f"A{draw(st.integers(1000, 9999))}"
        fields["apm_model"] = qr.ApmModel.NEXT_GENERATION_ACO
    org = Organization(kind, size, **fields)
    offered = [p for p in Program if options(org, year)[p].allowed] or [Program.CAHPS]
    actor = Actor(kind, Role.SECURITY_OFFICIAL)
    at = draw(_instant_in(known(year, "registration.window", "REG-WIN-1")))
    first = Register(draw(st.sampled_from(offered)), org,
                     tuple(draw(st.lists(contacts(), min_size=1, max_size=3, unique=True))))
    outcomes = [decide(None, first, at=at, policy=year, actor=actor)]
    for _ in range(draw(st.integers(0, 6))):
        state = outcomes[-1].state
        if state is None:
            break
        choice = draw(st.integers(0, 6))
        people = state.contacts
        command: Any
        if choice == 0:
            command = AddContact(draw(contacts()))
        elif choice == 1:
            command = DeleteContact(draw(st.sampled_from(people)))
        elif choice == 2:
            command = EditContact(draw(st.sampled_from(people)), draw(contacts()))
        elif choice == 3:
            command = ChangeSize(draw(st.sampled_from(list(SizeBand))), draw(st.booleans()))
        elif choice == 4:
            command = Cancel(draw(st.sampled_from(list(Program))), draw(st.booleans()))
        elif choice == 5:
            command = Register(draw(st.sampled_from(list(Program))), state.organization,
                               state.contacts)
        else:
            command = UpdateOrganization(name="Renamed Health", address=state.organization.address)
        outcomes.append(decide(state, command, at=at, policy=year, actor=actor))
    return outcomes


def registration_states(policy: qr.PolicyYear | None = None) -> st.SearchStrategy[Registration]:
    """Registration records reached by legal command sequences inside the year's window."""
    def last_state(outcomes: list[Outcome[Any, Any, Any]]) -> Any:
        return next(o.state for o in reversed(outcomes) if o.state is not None)

    return _registration_run(policy).filter(
        lambda outcomes: any(o.state is not None for o in outcomes)
    ).map(last_state)


def registration_outcomes(
    policy: qr.PolicyYear | None = None,
) -> st.SearchStrategy[Outcome[Registration | None, Any, Any]]:
    """Outcomes of registration ``decide`` along a command sequence (a first registration,
    then contacts, size changes, cancels, re-registrations), accepted or refused.

    >>> from qpp_rules.testing import examples
    >>> all(outcome.accepted == (outcome.refusal is None)
    ...     for outcome in examples(registration_outcomes(), 5))
    True
    """
    return _registration_run(policy).flatmap(st.sampled_from)


@st.composite
def _access_run(draw: st.DrawFn, policy: qr.PolicyYear | None) -> list[Outcome[Any, Any, Any]]:
    from qpp_rules.access import (
        Approve,
        ChangeRole,
        Deny,
        Evidence,
        OrganizationRecord,
        RemoveUser,
        RequestRole,
        decide,
        pending_requests,
    )

    year = draw(_years(policy))
    tin = draw(st.text(_DIGITS, min_size=9, max_size=9))
    ptan = draw(st.from_regex(r"\A[A-Z]{2}[0-9]{4}\Z"))
    practice = OrganizationRecord(OrgType.PRACTICE, tins=[tin],
                                  clinicians=[("1234567893", ptan)])
    right = draw(st.booleans())
    evidence = Evidence(tin=tin, npi="1234567893", ptan=ptan if right else "ZZ0000")
    users = st.sampled_from(["ann", "bob", "cy", "dee"])
    at = qr.eastern(year.year, 3, 1, 9)
    outcomes = [decide(None, RequestRole("ann", Role.SECURITY_OFFICIAL, practice, evidence),
                       at=at, policy=year)]
    state: AccessState | None = outcomes[0].state
    for step in range(draw(st.integers(0, 5))):
        choice = draw(st.integers(0, 4))
        pending = pending_requests(state)
        command: Any
        if choice in (0, 1) or not pending:
            role = draw(st.sampled_from(list(Role)))
            command = RequestRole(draw(users), role, practice,
                                  evidence if role is Role.SECURITY_OFFICIAL else None)
        elif choice == 2:
            command = Approve(draw(st.sampled_from(pending)), by=draw(users))
        elif choice == 3:
            command = Deny(draw(st.sampled_from(pending)), by=draw(users))
        else:
            command = draw(st.sampled_from([ChangeRole(draw(users), Role.STAFF_USER, by="ann"),
                                            RemoveUser(draw(users), by="ann")]))
        outcome = decide(state, command, at=at.add(hours=step + 1), policy=year)
        outcomes.append(outcome)
        state = outcome.state
    return outcomes


def access_outcomes(
    policy: qr.PolicyYear | None = None,
) -> st.SearchStrategy[Outcome[AccessState | None, Any, Any]]:
    """Outcomes of access ``decide`` along a command sequence for one practice (the first
    Security Official with right or wrong evidence, then requests, approvals, denials, role
    changes and removals), accepted or refused.

    >>> from qpp_rules.testing import examples
    >>> refused = [o for o in examples(access_outcomes(), 20) if not o.accepted]
    >>> all(o.refusal is not None and not o.events for o in refused)  # nothing half-applied
    True
    """
    return _access_run(policy).flatmap(st.sampled_from)


@st.composite
def _election_run(draw: st.DrawFn, policy: qr.PolicyYear | None,
                  at_least_one: bool = False) -> list[Any]:
    from qpp_rules.election import Choice, OptInStatus, Participant, elect, elect_batch

    year = policy or qr.policy_for(2019)
    window = year.election.window
    if window is None:
        raise qr.InvalidInput("policy", f"{year.label} has no election window")
    actor = Actor(OrgType.PRACTICE, Role.SECURITY_OFFICIAL)
    tins = draw(st.lists(st.text(_DIGITS, min_size=9, max_size=9), min_size=int(at_least_one),
                         max_size=5, unique=True))
    ledger: ElectionLedger | None = None
    results: list[Any] = []
    for index, tin in enumerate(tins):
        sure = index == 0 and at_least_one  # the first one is accepted
        confirmed = sure or draw(st.booleans())
        eligible = sure or draw(st.booleans())
        result = elect(ledger, Participant(tin), draw(st.sampled_from(
            [Choice.OPT_IN, Choice.VOLUNTARY])), at=draw(_instant_in(window)), policy=year,
            confirmation="CONFIRM" if confirmed else None, actor=actor,
            status=OptInStatus.OPT_IN_ELIGIBLE if eligible else OptInStatus.EXEMPT)
        results.append(result)
        if result.accepted:
            ledger = result.state
    if draw(st.booleans()):
        rows = draw(st.lists(st.tuples(st.text(_DIGITS, min_size=9, max_size=9),
                                       st.sampled_from(list(Choice))),
                             min_size=1, max_size=4, unique_by=lambda row: row[0]))
        choices = {Participant(tin): choice for tin, choice in rows}
        registry = Actor(OrgType.REGISTRY, Role.SECURITY_OFFICIAL)
        results.append(elect_batch(
            ledger, choices, at=draw(_instant_in(window)), policy=year,
            confirmation="CONFIRM", actor=registry,
            statuses=dict.fromkeys(choices, OptInStatus.OPT_IN_ELIGIBLE)))
    return results


def election_outcomes(
    policy: qr.PolicyYear | None = None,
) -> st.SearchStrategy[Outcome[ElectionLedger | None, Any, Any]]:
    """What ``elect`` and ``elect_batch`` return along a sequence of elections and a
    registry upload (PY2019 by default), accepted or refused.

    >>> from qpp_rules.testing import examples
    >>> drawn = examples(election_outcomes(), 20)
    >>> sorted({o.accepted for o in drawn})  # both come up
    [False, True]
    >>> all(o.accepted == (o.refusal is None) for o in drawn)
    True
    """
    return _election_run(policy).filter(lambda results: len(results) > 0).flatmap(
        st.sampled_from)


def election_ledgers(policy: qr.PolicyYear | None = None, *,
                     allow_none: bool = False) -> st.SearchStrategy[ElectionLedger | None]:
    """Election ledgers holding one or more accepted, confirmed elections; None (no election
    yet) too only with ``allow_none=True``."""
    def ledger(results: list[Any]) -> ElectionLedger | None:
        accepted = [result.state for result in results if result.accepted]
        return accepted[-1] if accepted else None

    ledgers = _election_run(policy, at_least_one=True).map(ledger).filter(
        lambda found: found is not None)
    return st.one_of(st.none(), ledgers) if allow_none else ledgers
