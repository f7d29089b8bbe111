"""Issue 7, nothing half-applied: a refused registration command, a failed reform (one valid
and one invalid change), an election batch with one bad row, a refused access request and a
population with one bad row leave every input as it was (each compares equal to a deep copy
taken before) and ``qr.policy_for(year)`` answering as before (the same policy object, equal
to a copy of it).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from robustness_support import (
    ACCESS_AT,
    ACCESS_STATE,
    ELECTION_OPEN,
    JANE,
    JOHN,
    NPI_1,
    ORGANIZATION,
    PENDING,
    PRACTICE_SO,
    PY2019,
    PY2021,
    RECORD,
    REGISTRATION,
    REGISTRATION_OPEN,
    REGISTRY_SO,
    ROWS,
)

import qpp_rules as qr
from qpp_rules import access, analysis, election, registration
from qpp_rules.access import Actor, Role
from qpp_rules.election import Choice, OptInStatus, Participant
from qpp_rules.identifiers import npi_check_digit
from qpp_rules.policy.unknown import known

YEARS = (2018, 2019, 2021)


class Unchanged:
    """Deep copies of ``inputs`` and of every year's policy, taken on entry; on exit each
    input still equals its copy, and ``policy_for`` gives the same policy, unchanged."""

    def __init__(self, **inputs: Any) -> None:
        self.inputs = inputs

    def __enter__(self) -> Unchanged:
        self.policies = {year: qr.policy_for(year) for year in YEARS}
        # A policy's cache of answers (a field with eq=False: not part of its value) grows
        # with every test that asks it something; copying it on every example made this
        # suite quadratic. The copies share it instead.
        shared: dict[int, Any] = {}
        for policy in [*self.policies.values(), *self.inputs.values()]:
            if isinstance(policy, qr.PolicyYear):
                for field in attrs.fields(type(policy)):
                    if not field.eq:
                        cache = getattr(policy, field.name)
                        shared[id(cache)] = cache

        def deep(value: Any) -> Any:
            return copy.deepcopy(value, dict(shared))

        self.copies = {name: deep(value) for name, value in self.inputs.items()}
        self.policy_copies = {year: deep(p) for year, p in self.policies.items()}
        return self

    def __exit__(self, *exc: object) -> None:
        for name, value in self.inputs.items():
            assert value == self.copies[name], f"{name} changed"
        for year in YEARS:
            now = qr.policy_for(year)
            assert now is self.policies[year], f"policy_for({year}) is another policy"
            assert now == self.policy_copies[year], f"policy_for({year}) changed"


def assert_refused_unchanged(outcome: Any, state: Any) -> None:
    """A refusal is a value that changes nothing: no events, no notifications, the very
    state given."""
    assert not outcome.accepted
    assert outcome.refusal is not None
    assert not outcome.refusal.allowed
    assert outcome.state is state
    assert tuple(outcome.events) == ()
    assert tuple(outcome.notifications) == ()


def rule_ids(outcome: Any) -> tuple[str, ...]:
    refusal = outcome.refusal
    assert isinstance(refusal, qr.Decision)
    return refusal.rule_ids


# -- registration ------------------------------------------------------------------------------
_LATE = known(PY2021, "registration.window", "REG-WIN-1").closes
_STAFF = Actor(qr.OrgType.PRACTICE, Role.STAFF_USER)
_REGISTRY_SO = Actor(qr.OrgType.REGISTRY, Role.SECURITY_OFFICIAL)

REFUSED_COMMANDS: dict[str, tuple[Any, Any, Any, Any]] = {
    # name: (state, command, at, actor)
    "REG-WIN-1 register after the window": (
        None, registration.Register(qr.Program.CAHPS, ORGANIZATION, [JANE, JOHN]), _LATE,
        PRACTICE_SO),
    "REG-WIN-2 cancel after the window": (
        REGISTRATION, registration.Cancel(qr.Program.WEB_INTERFACE, True), _LATE, PRACTICE_SO),
    "REG-ELIG-9 a Staff User": (
        REGISTRATION, registration.AddContact(JOHN), REGISTRATION_OPEN, _STAFF),
    "REG-ELIG-9 another type's Security Official": (
        REGISTRATION, registration.AddContact(JOHN), REGISTRATION_OPEN, _REGISTRY_SO),
    "REG-ELIG-1 WI for 2-24": (
        None, registration.Register(qr.Program.WEB_INTERFACE,
                                    attrs.evolve(ORGANIZATION, size=qr.SizeBand.SMALL), [JANE]),
        REGISTRATION_OPEN, PRACTICE_SO),
    "REG-REC-2 an incomplete contact": (
        None, registration.Register(qr.Program.CAHPS, ORGANIZATION,
                                    [JANE, registration.Contact("Pat", "Lee", "", "")]),
        REGISTRATION_OPEN, PRACTICE_SO),
    "REG-REC-4 delete the last contact": (
        REGISTRATION, registration.DeleteContact(JANE), REGISTRATION_OPEN, PRACTICE_SO),
    "REG-REC-7 an unconfirmed cancel": (
        REGISTRATION, registration.Cancel(qr.Program.WEB_INTERFACE, False), REGISTRATION_OPEN,
        PRACTICE_SO),
    "REG-SIZE-1 an unconfirmed size change": (
        REGISTRATION, registration.ChangeSize(qr.SizeBand.SMALL, False), REGISTRATION_OPEN,
        PRACTICE_SO),
    "REG-REC-9 registered twice": (
        REGISTRATION, registration.Register(qr.Program.WEB_INTERFACE), REGISTRATION_OPEN,
        PRACTICE_SO),
}


@pytest.mark.parametrize("name", sorted(REFUSED_COMMANDS))
def test_a_refused_registration_command_changes_nothing(name: str) -> None:
    state, command, at, actor = REFUSED_COMMANDS[name]
    with Unchanged(state=state, command=command, at=at, actor=actor, policy=PY2021):
        outcome = registration.decide(state, command, at=at, policy=PY2021, actor=actor)
        assert_refused_unchanged(outcome, state)
        assert name.split()[0] in rule_ids(outcome)


def test_a_malformed_registration_command_changes_nothing() -> None:
    """A Register for another organization than the record's raises (InvalidInput naming
    ``command.organization``), and nothing changes."""
    other = attrs.evolve(ORGANIZATION, tin="001234567")
    command = registration.Register(qr.Program.CAHPS, other)
    with Unchanged(state=REGISTRATION, command=command, policy=PY2021), \
            pytest.raises(qr.InvalidInput) as raised:
        registration.decide(REGISTRATION, command, at=REGISTRATION_OPEN, policy=PY2021,
                            actor=PRACTICE_SO)
    assert raised.value.field == "command.organization"


# -- reforms -----------------------------------------------------------------------------------
VALID_CHANGES: dict[str, Any] = {
    "registration.web_interface_min_clinicians": 15,
    "registration.cahps_min_clinicians": 3,
    "election.low_volume.patients": 150,
    "election.confirmation_word": "YES",
}
INVALID_CHANGES: dict[str, Any] = {
    "registration.cahps_min_clinicians": 1,  # not a group
    "election.low_volume.patients": "150",  # no "150" for 150
    "registration.nothing_here": 1,  # no such value
    "registration.window": {"opens": "2019-07-01T00:00:00", "closes": "2019-04-01T00:00:00"},
    "election.window": [[[]]],
}


@given(
    st.sampled_from(sorted(VALID_CHANGES)),
    st.sampled_from(sorted(INVALID_CHANGES)),
    st.booleans(),
    st.sampled_from(YEARS),
)
def test_a_failed_reform_changes_nothing(valid: str, invalid: str, valid_first: bool,
                                         year: int) -> None:
    """One valid and one invalid change: the reform raises InvalidInput naming the invalid
    path, and neither the policy nor the changes given nor policy_for(year) changes."""
    policy = qr.policy_for(year)
    pairs = [(valid, VALID_CHANGES[valid]), (invalid, INVALID_CHANGES[invalid])]
    if valid == invalid:
        pairs = pairs[1:]
    changes = dict(pairs if valid_first else pairs[::-1])
    before = policy.value_at(valid) if valid != "registration.nothing_here" else None
    with Unchanged(policy=policy, changes=changes), pytest.raises(qr.InvalidInput) as raised:
        qr.reform(policy, changes, label="half")
    assert raised.value.field.startswith(invalid)
    assert policy.value_at(valid) == before


# -- elections ---------------------------------------------------------------------------------
def _participant(n: int) -> Participant:
    first = f"1{n:08d}"
    return Participant(f"{900_000_000 + n:09d}", first + npi_check_digit(first))


BAD_ROWS: dict[str, Callable[[Participant, dict[Any, Any], dict[Any, Any]], None]] = {
    "ELE-BATCH-2 an exempt participant": lambda p, c, s: s.__setitem__(p, OptInStatus.EXEMPT),
    "ELE-BATCH-2 a MIPS eligible participant": lambda p, c, s: s.__setitem__(
        p, OptInStatus.MIPS_ELIGIBLE),
    "ELE-FINAL-1 already elected": lambda p, c, s: None,  # made so by the ledger below
}


@given(st.integers(min_value=2, max_value=12), st.data(),
       st.sampled_from(sorted(BAD_ROWS)))
def test_an_election_batch_with_one_bad_row_records_nothing(size: int, data: Any,
                                                            bad: str) -> None:
    """ELE-BATCH-1: all or nothing. One bad row (an ineligible participant, or one that
    already elected) refuses the upload naming it; the ledger and the rows are unchanged."""
    people = [_participant(n) for n in range(size)]
    where = data.draw(st.integers(min_value=0, max_value=size - 1))
    choices = {p: data.draw(st.sampled_from([Choice.OPT_IN, Choice.VOLUNTARY])) for p in people}
    statuses = {p: OptInStatus.OPT_IN_ELIGIBLE for p in people}
    BAD_ROWS[bad](people[where], choices, statuses)
    ledger: election.ElectionLedger | None = election.ElectionLedger(2019)
    if bad.startswith("ELE-FINAL-1"):
        ledger = election.elect(
            None, people[where], Choice.OPT_IN, at=ELECTION_OPEN, policy=PY2019,
            confirmation="CONFIRM", actor=PRACTICE_SO, status=OptInStatus.OPT_IN_ELIGIBLE,
        ).state
    with Unchanged(ledger=ledger, choices=choices, statuses=statuses, policy=PY2019):
        outcome = election.elect_batch(ledger, choices, at=ELECTION_OPEN, policy=PY2019,
                                       confirmation="CONFIRM", actor=REGISTRY_SO,
                                       statuses=statuses)
        assert_refused_unchanged(outcome, ledger)
        assert bad.split()[0] in rule_ids(outcome)
        assert outcome.counts[Choice.OPT_IN] + outcome.counts[Choice.VOLUNTARY] == size


@pytest.mark.parametrize("junk", [None, "Opt-in", 1, [Choice.OPT_IN]])
def test_an_election_batch_with_one_malformed_row_raises_and_records_nothing(junk: Any) -> None:
    people = [_participant(n) for n in range(5)]
    choices: dict[Any, Any] = dict.fromkeys(people, Choice.OPT_IN)
    choices[people[3]] = junk
    statuses = dict.fromkeys(people, OptInStatus.OPT_IN_ELIGIBLE)
    ledger = election.ElectionLedger(2019)
    with Unchanged(ledger=ledger, choices=choices, statuses=statuses, policy=PY2019), \
            pytest.raises(qr.InvalidInput):
        election.elect_batch(ledger, choices, at=ELECTION_OPEN, policy=PY2019,
                             confirmation="CONFIRM", actor=REGISTRY_SO, statuses=statuses)


# -- access ------------------------------------------------------------------------------------
def _refused_requests() -> Iterator[tuple[str, Any, Any]]:
    yield ("ACC-SO-1 wrong evidence", None, access.RequestRole(
        "ann", Role.SECURITY_OFFICIAL, RECORD, access.Evidence(tin="001234567", npi=NPI_1,
                                                               ptan="AB1234")))
    yield ("ACC-ROLE-2 no Security Official yet", None, access.RequestRole(
        "bob", Role.STAFF_USER, RECORD))
    yield ("ACC-SO-2 already pending", ACCESS_STATE, access.RequestRole(
        PENDING.user, Role.STAFF_USER, RECORD))
    yield ("ACC-SO-2 approved by a Staff User", ACCESS_STATE, access.Approve(PENDING, by="bob"))
    yield ("ACC-ROLE-3 another organization", ACCESS_STATE, access.RequestRole(
        "dan", Role.STAFF_USER, attrs.evolve(RECORD, name="Another Clinic")))
    yield ("ACC-SO-3 change a role", ACCESS_STATE, access.ChangeRole(
        "ann@example.org", Role.STAFF_USER, by="ann@example.org"))


@pytest.mark.parametrize(("name", "state", "command"), list(_refused_requests()),
                         ids=[name for name, _, _ in _refused_requests()])
def test_a_refused_access_request_changes_nothing(name: str, state: Any, command: Any) -> None:
    with Unchanged(state=state, command=command, policy=PY2019):
        outcome = access.decide(state, command, at=ACCESS_AT, policy=PY2019)
        assert_refused_unchanged(outcome, state)
        assert name.split()[0] in rule_ids(outcome)


# -- populations -------------------------------------------------------------------------------
BAD_CELLS: dict[str, Any] = {
    "kind": "Hospital",
    "clinicians": "many",
    "apm_model": "CPC",
    "ssp_aco_participant": "perhaps",
    "split_tin_mips_clinicians": -1,
    "submitted_web_interface_prior_year": 2,
    "allowed_charges": 1.505,  # not a whole number of cents (a float of whole cents is money)
    "patients": "12.5",
    "covered_services": [1],
    "org_id": None,
}


@given(st.integers(min_value=1, max_value=30), st.data(), st.sampled_from(sorted(BAD_CELLS)))
def test_a_population_with_one_bad_row_is_refused_whole(size: int, data: Any,
                                                        column: str) -> None:
    """Reading validates every value and names the row and column of the bad one; nothing is
    half-read: the rows given are unchanged and no table comes out."""
    rows = [dict(ROWS[n % len(ROWS)], org_id=f"O{n}") for n in range(size)]
    where = data.draw(st.integers(min_value=0, max_value=size - 1))
    rows[where][column] = BAD_CELLS[column]
    with Unchanged(rows=rows, policy=PY2019), pytest.raises(qr.InvalidInput) as raised:
        analysis.evaluate(rows, PY2019)
    assert column in raised.value.field
    assert f"[{where}]" in raised.value.field
