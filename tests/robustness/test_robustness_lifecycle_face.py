"""Every domain has the same lifecycle face (DESIGN "One kernel", API "Every domain has the
same lifecycle face"): ``decide(state, command, *, at, policy, ...)``, ``evolve(state,
event)``, ``replay(events, state=None)``; a forged event is an ``ImpossibleEvent`` in each."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from robustness_support import (
    ACCESS_AT,
    ACCESS_STATE,
    ELECTION_OPEN,
    PARTICIPANT,
    PENDING,
    REGISTERED,
    REGISTRATION,
)

import qpp_rules as qr
from qpp_rules import access, election, registration

DOMAINS = [registration.lifecycle, election.lifecycle, access.lifecycle]


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: d.__name__.split(".")[1])
def test_every_domain_decides_evolves_and_replays_with_the_same_parameters(
    domain: ModuleType,
) -> None:
    decide = inspect.signature(domain.decide).parameters
    assert list(decide)[:2] == ["state", "command"]
    assert {"at", "policy"} <= {n for n, p in decide.items() if p.kind is p.KEYWORD_ONLY}
    assert list(inspect.signature(domain.evolve).parameters) == ["state", "event"]
    replay = inspect.signature(domain.replay).parameters
    assert list(replay) == ["events", "state"]
    assert replay["state"].default is None
    for package in (registration, election, access):  # re-exported by the packages
        if package.__name__ == domain.__name__.rsplit(".", 1)[0]:
            assert package.decide is domain.decide
            assert package.replay is domain.replay


ELECTED = election.Elected(2019, PARTICIPANT, election.Choice.OPT_IN, ELECTION_OPEN,
                           qr.OrgType.PRACTICE)
FORGED: dict[str, Callable[[], Any]] = {
    "registration: cancel a program not held": lambda: registration.evolve(
        REGISTRATION, registration.Cancelled(REGISTRATION.registration_id, qr.Program.CAHPS,
                                             ELECTION_OPEN)),
    "registration: begin a record twice": lambda: registration.evolve(REGISTRATION, REGISTERED),
    "election: a second election for a participant (ELE-FINAL-1)": lambda: election.evolve(
        election.evolve(None, ELECTED), ELECTED),
    "election: an APM Entity electing (ELE-WHO-1)": lambda: election.evolve(
        None, election.Elected(2019, PARTICIPANT, election.Choice.OPT_IN, ELECTION_OPEN,
                               qr.OrgType.APM_ENTITY)),
    "access: a request approved by its own user (ACC-SO-2)": lambda: access.evolve(
        ACCESS_STATE, access.RoleGranted(PENDING, PENDING.user, ACCESS_AT.add(hours=2))),
}


@pytest.mark.parametrize("forge", FORGED.values(), ids=FORGED.keys())
def test_a_forged_event_is_an_impossible_event_in_every_domain(
    forge: Callable[[], Any],
) -> None:
    with pytest.raises(qr.ImpossibleEvent):
        forge()


def test_replay_resumes_from_a_state_in_every_domain() -> None:
    history = REGISTRATION.history
    assert registration.replay(history[1:], registration.replay(history[:1])) == REGISTRATION
    ledger = election.replay([ELECTED])
    assert election.replay((), ledger) == ledger
    assert access.replay((), ACCESS_STATE) == ACCESS_STATE


YEARS: dict[str, Callable[[int], Any]] = {
    "Registered": lambda year: registration.Registered(
        "219043", year, qr.Program.CAHPS, REGISTRATION.organization, REGISTRATION.contacts,
        ELECTION_OPEN),
    "Registration": lambda year: registration.Registration(
        "219043", REGISTRATION.organization, REGISTRATION.contacts, year=year),
    "Elected": lambda year: election.Elected(year, PARTICIPANT, election.Choice.OPT_IN,
                                             ELECTION_OPEN, qr.OrgType.PRACTICE),
    "ElectionLedger": lambda year: election.ElectionLedger(year),
}


@pytest.mark.parametrize("year", [0, -5, 10_000, 10**100])
@pytest.mark.parametrize("build", YEARS.values(), ids=YEARS.keys())
def test_a_year_outside_1_to_9999_is_refused_naming_the_field(
    build: Callable[[int], Any], year: int,
) -> None:
    with pytest.raises(qr.InvalidInput, match=r"year: a whole number, at least 1, at most"):
        build(year)
