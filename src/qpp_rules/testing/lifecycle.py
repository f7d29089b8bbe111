"""Strategies for lifecycle states reached by legal command sequences."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.access import Actor
from qpp_rules.policy.unknown import known
from qpp_rules.vocabulary import OrgType, Role, SizeBand

__all__ = ["contacts", "election_ledgers", "registration_states"]

_NAMES = st.sampled_from(["Jane", "John", "Ana", "Li", "Omar", "Ruth", "Kofi", "Mei"])


def contacts() -> st.SearchStrategy[Any]:
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


@st.composite
def _registration_state(draw: st.DrawFn, policy: qr.PolicyYear | None) -> Any:
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

    year = policy or draw(st.sampled_from([qr.policy_for(y) for y in (2018, 2019, 2021)]))
    kinds = sorted({k for ks in known(year, "registration.may_register", "REG-ELIG-3").values()
                    for k in ks},
                   key=lambda k: k.value)
    kind = draw(st.sampled_from(kinds))
    size = draw(st.sampled_from(list(SizeBand)))
    fields: dict[str, Any] = {"name": "Generated Health", "address": Address(
        "1 Main Street", "Baltimore", "MD", "21239")}
    if kind is OrgType.PRACTICE:
        fields["tin"] = draw(st.text("0123456789", min_size=9, max_size=9))
    elif kind is OrgType.VIRTUAL_GROUP:
        fields["virtual_group_id"] = f"VG-{draw(st.integers(1000, 9999))}"
    else:
        fields["apm_entity_id"] = f"A{draw(st.integers(1000, 9999))}"
        fields["apm_model"] = qr.ApmModel.NEXT_GENERATION_ACO
    org = Organization(kind, size, **fields)
    offered = [p for p in Program if options(org, year)[p].allowed]
    if not offered:
        offered = [Program.CAHPS]
    actor = Actor(kind, Role.SECURITY_OFFICIAL)
    at = draw(_instant_in(known(year, "registration.window", "REG-WIN-1")))
    first = Register(draw(st.sampled_from(offered)), org,
                     tuple(draw(st.lists(contacts(), min_size=1, max_size=3, unique=True))))
    state = decide(None, first, at=at, policy=year, actor=actor).state
    for _ in range(draw(st.integers(0, 6))):
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
        state = decide(state, command, at=at, policy=year, actor=actor).state
    return state


def registration_states(policy: qr.PolicyYear | None = None) -> st.SearchStrategy[Any]:
    """Registration records reached by legal command sequences inside the year's window."""
    return _registration_state(policy)


@st.composite
def _ledger(draw: st.DrawFn, policy: qr.PolicyYear | None) -> Any:
    from qpp_rules.election import Choice, OptInStatus, Participant, elect

    year = policy or qr.policy_for(2019)
    window = year.election.window
    if window is None:
        raise qr.InvalidInput("policy", f"{year.label} has no election window")
    ledger = None
    actor = Actor(OrgType.PRACTICE, Role.SECURITY_OFFICIAL)
    tins = draw(st.lists(st.text("0123456789", min_size=9, max_size=9), min_size=0,
                         max_size=5, unique=True))
    for tin in tins:
        result = elect(ledger, Participant(tin), draw(st.sampled_from(
            [Choice.OPT_IN, Choice.VOLUNTARY])), at=draw(_instant_in(window)), policy=year,
            confirmation="CONFIRM", actor=actor, status=OptInStatus.OPT_IN_ELIGIBLE)
        if result.accepted:
            ledger = result.state
    return ledger


def election_ledgers(policy: qr.PolicyYear | None = None) -> st.SearchStrategy[Any]:
    """Election ledgers holding accepted, confirmed elections (None when empty)."""
    return _ledger(policy)
