"""Fixtures of the access-request lifecycle tests: the roles, a year, an instant, the
evidence that validates the practice's first Security Official (and evidence that does not),
a run of ``decide``, and the Hypothesis strategy of command sequences (steps that adapt to
the state so that runs go deep)."""

from __future__ import annotations

from typing import Any

import pendulum
from access_support import NPI_1, NPI_2, PTAN_1, TIN_A, TIN_B, practice, registry, virtual_group
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.access import (
    AccessState,
    Approve,
    ChangeRole,
    Deny,
    Evidence,
    RemoveUser,
    Request,
    RequestRole,
    Role,
    decide,
    pending_requests,
)

SO = Role.SECURITY_OFFICIAL
STAFF = Role.STAFF_USER
POLICY = qr.policy_for(2019)
T0 = qr.eastern(2019, 3, 1, 9)
GOOD = Evidence(tin=TIN_A, npi=NPI_1, ptan=PTAN_1)
BAD = Evidence(tin=TIN_A, npi=NPI_2, ptan=PTAN_1)


def at_minute(minutes: int) -> pendulum.DateTime:
    return T0.add(minutes=minutes)


def run(state: AccessState | None, command: Any, minutes: int = 0) -> Any:
    return decide(state, command, at=at_minute(minutes), policy=POLICY)


def with_official() -> AccessState:
    outcome = run(None, RequestRole("ann", SO, practice(), GOOD))
    assert outcome.accepted
    state: AccessState = outcome.state
    return state


def with_pending(user: str = "bob", role: Role = STAFF) -> AccessState:
    outcome = run(with_official(), RequestRole(user, role, practice()), 1)
    assert outcome.accepted
    state: AccessState = outcome.state
    return state




USERS = ("ann", "bob", "cy", "dee")
ORGS = (practice(), registry(), virtual_group())
EVIDENCES = (
    None,
    GOOD,
    BAD,
    Evidence(tin="003456789", vendor_id="1234567"),
    Evidence(tins=(TIN_A, TIN_B)),
    Evidence(tins=(TIN_A,)),
    Evidence(tin="junk", npi="1234567890"),
)
ROLES = (SO, STAFF)

REQUEST_STEP = st.builds(
    RequestRole,
    st.sampled_from(USERS),
    st.sampled_from(ROLES),
    st.sampled_from(ORGS[:1] * 6 + ORGS),
    st.sampled_from((GOOD,) * 4 + EVIDENCES),
)
NEWCOMER_STEP = st.tuples(st.just("newcomer"), st.integers(0, 3), st.sampled_from(ROLES))
ANSWER_STEP = st.tuples(
    st.sampled_from([Approve, Approve, Deny]),
    st.integers(0, 3),
    st.one_of(st.sampled_from(USERS), st.integers(0, 3), st.integers(0, 3)),
    st.sampled_from(USERS),
    st.sampled_from(ROLES),
)
HELP_DESK_STEP = st.one_of(
    st.builds(ChangeRole, st.sampled_from(USERS), st.sampled_from(ROLES),
              st.sampled_from(USERS)),
    st.builds(RemoveUser, st.sampled_from(USERS), st.sampled_from(USERS)),
)
FOUNDING_STEP = st.one_of(
    st.just(RequestRole("ann", SO, practice(), GOOD)),  # most runs start with an official
    st.just(RequestRole("ann", SO, practice(), GOOD)),
    REQUEST_STEP,
)
COMMANDS = st.builds(
    lambda first, rest: [first, *rest],
    FOUNDING_STEP,
    st.lists(
        st.one_of(REQUEST_STEP, NEWCOMER_STEP, NEWCOMER_STEP, ANSWER_STEP, ANSWER_STEP,
                  ANSWER_STEP, HELP_DESK_STEP),
        min_size=8,
        max_size=40,
    ),
)


def resolve(state: AccessState | None, step: Any) -> Any:
    """Steps that adapt to the state, so that runs go deep: a newcomer is the n-th user with
    neither a role nor a request; an answer names a pending request by position and its
    author by name or as the n-th member (so Staff Users and Security Officials alike try)."""
    if not isinstance(step, tuple):
        return step
    if step[0] == "newcomer":
        _, index, role = step
        free = [u for u in USERS if state is None or
                (state.role_of(u) is None and state.pending_for(u) is None)] or list(USERS)
        return RequestRole(free[index % len(free)], role, practice())
    kind, index, by, user, role = step
    pending = pending_requests(state)
    request = pending[index % len(pending)] if pending else Request(user, role, T0)
    if isinstance(by, int):
        members = () if state is None else state.members
        by = members[by % len(members)].user if members else user
    return kind(request, by)
