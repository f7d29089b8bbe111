"""Issue 7, robustness: junk as one field of an otherwise valid command or value (a
Register with a junk contact, an election with a junk status, evidence with a junk TIN, a
payload with one junk value, a reform with one junk value, a population with one junk cell)
answers or raises a QppRulesError subclass naming it; never a bare Python error.

``validate_first_security_official`` never raises on evidence (ACC-SO-1): whatever evidence
can be built is answered with a Decision.
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
    CLINICIAN,
    ELECTION_OPEN,
    EVIDENCE,
    FACTS,
    JANE,
    JUNK,
    LEDGER,
    ORGANIZATION,
    PARTICIPANT,
    PENDING,
    PRACTICE_SO,
    PY2019,
    PY2021,
    RECORD,
    REGISTER,
    REGISTRATION,
    REGISTRATION_OPEN,
    REGISTRY_SO,
    ROWS,
    TIN_IN_JUNK,
    check,
    fresh,
    junk,
    payload,
)

import qpp_rules as qr
from qpp_rules import access, analysis, election, registration
from qpp_rules.election import Choice, OptInStatus

ELIGIBLE = OptInStatus.OPT_IN_ELIGIBLE


def _decide(state: Any, command: Any) -> Any:
    return registration.decide(
        state, command, at=REGISTRATION_OPEN, policy=PY2021, actor=PRACTICE_SO
    )


def _with(value: Any, name: str, junk_value: Any) -> Any:
    """``value`` with field ``name`` replaced (validated again, as construction does)."""
    return attrs.evolve(value, **{name: junk_value})


def _elect(**change: Any) -> Any:
    args: dict[str, Any] = {
        "ledger": LEDGER, "participant": PARTICIPANT, "choice": Choice.OPT_IN,
        "at": ELECTION_OPEN, "policy": PY2019, "confirmation": "CONFIRM",
        "actor": PRACTICE_SO, "status": ELIGIBLE,
    }
    args.update(change)
    return election.elect(args.pop("ledger"), args.pop("participant"), args.pop("choice"),
                          **args)


def _batch(choices: Any, statuses: Any) -> Any:
    return election.elect_batch(
        LEDGER, choices, at=ELECTION_OPEN, policy=PY2019, confirmation="CONFIRM",
        actor=REGISTRY_SO, statuses=statuses,
    )


def _validate(**fields: Any) -> Any:
    """Evidence with a junk field: building it may refuse a wrong Python type; whatever is
    built, validation answers (ACC-SO-1)."""
    try:
        evidence = access.Evidence(**{**_EVIDENCE_FIELDS, **fields})
    except qr.QppRulesError as error:
        return error
    decision = access.validate_first_security_official(RECORD, evidence)
    assert isinstance(decision, qr.Decision)
    return decision


_EVIDENCE_FIELDS = {
    field.name: getattr(EVIDENCE, field.name) for field in attrs.fields(access.Evidence)
}


def _payload_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a valid Eligibility API payload (objects' keys, arrays' items)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _payload_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _payload_paths(item, (*path, index))


def _payload_with(path: tuple[Any, ...], junk_value: Any) -> Any:
    body: Any = payload()
    if not path:
        return junk_value
    target = body
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = junk_value
    return body


PAYLOAD_PATHS = list(_payload_paths(payload()))


def _read(path: tuple[Any, ...]) -> Callable[[Any], Any]:
    return lambda j: election.read_eligibility_payload(_payload_with(path, j), year=2019)


def _policy_paths(value: Any, prefix: str = "") -> Iterator[str]:
    for field in attrs.fields(type(value)):
        if not field.init or field.name in {"year", "title", "citations", "errata", "amendments",
                                             "known_amendments", "label"}:
            continue
        inner = getattr(value, field.name)
        path = f"{prefix}{field.name}"
        yield path
        if attrs.has(type(inner)) and not isinstance(inner, qr.Window):
            yield from _policy_paths(inner, f"{path}.")


POLICY_PATHS = list(_policy_paths(PY2019))


def _population(column: str) -> Callable[[Any], Any]:
    def call(j: Any) -> Any:
        rows = copy.deepcopy(ROWS)
        rows[1][column] = j
        return analysis.evaluate(rows, PY2019)

    return call


_CONTACT_FIELDS = [f.name for f in attrs.fields(registration.Contact) if f.init]
_ORG_FIELDS = [f.name for f in attrs.fields(registration.Organization) if f.init]
_RECORD_FIELDS = [f.name for f in attrs.fields(access.OrganizationRecord) if f.init]
_Call = Callable[[Any], Any]


def _contact_field(name: str) -> _Call:
    return lambda j: _decide(None, registration.Register(
        qr.Program.WEB_INTERFACE, ORGANIZATION, (_with(JANE, name, j),), "219043"))


def _organization_field(name: str) -> _Call:
    return lambda j: _decide(None, _with(REGISTER, "organization", _with(ORGANIZATION, name, j)))


def _options_field(name: str) -> _Call:
    return lambda j: registration.options(_with(ORGANIZATION, name, j), PY2021)


def _facts_field(name: str) -> _Call:
    return lambda j: election.opt_in_status(_with(FACTS, name, j), PY2019)


def _evidence_field(name: str) -> _Call:
    return lambda j: _validate(**{name: j})


def _record_field(name: str) -> _Call:
    return lambda j: access.required_evidence(_with(RECORD, name, j))


def _reform_at(path: str) -> _Call:
    return lambda j: qr.reform(PY2019, {path: j}, label="junk")


FIELD_CALLS: dict[str, Callable[[Any], Any]] = {
    # registration: junk inside otherwise valid commands
    "Register.contacts[1]": lambda j: _decide(None, registration.Register(
        qr.Program.WEB_INTERFACE, ORGANIZATION, (JANE, j), "219043")),
    **{f"Register.contacts[0].{name}": _contact_field(name) for name in _CONTACT_FIELDS},
    **{f"Register.organization.{name}": _organization_field(name) for name in _ORG_FIELDS},
    **{f"options(organization.{name})": _options_field(name) for name in _ORG_FIELDS},
    "Register.registration_id": lambda j: _decide(None, _with(REGISTER, "registration_id", j)),
    "AddContact": lambda j: _decide(REGISTRATION, registration.AddContact(j)),
    "EditContact.new": lambda j: _decide(REGISTRATION, registration.EditContact(JANE, j)),
    "DeleteContact": lambda j: _decide(REGISTRATION, registration.DeleteContact(j)),
    "UpdateOrganization.name": lambda j: _decide(
        REGISTRATION, registration.UpdateOrganization(name=j)),
    "UpdateOrganization.address": lambda j: _decide(
        REGISTRATION, registration.UpdateOrganization(address=j)),
    "ChangeSize.size": lambda j: _decide(REGISTRATION, registration.ChangeSize(j, True)),
    "ChangeSize.confirmed": lambda j: _decide(
        REGISTRATION, registration.ChangeSize(qr.SizeBand.LARGE, j)),
    "Cancel.program": lambda j: _decide(REGISTRATION, registration.Cancel(j, True)),
    "Cancel.confirmed": lambda j: _decide(
        REGISTRATION, registration.Cancel(qr.Program.WEB_INTERFACE, j)),
    "Registration.contacts": lambda j: _decide(
        _with(REGISTRATION, "contacts", j), registration.AddContact(JANE)),
    "carry_over(organization.name)": lambda j: registration.carry_over(
        _with(REGISTRATION, "year", 2020), _with(ORGANIZATION, "name", j), PY2021),
    # election
    "elect.status": lambda j: _elect(status=j),
    "elect.participant.tin": lambda j: _elect(participant=election.Participant(j)),
    "elect.participant.npi": lambda j: _elect(participant=election.Participant(
        PARTICIPANT.tin, j)),
    "elect.confirmation": lambda j: _elect(confirmation=j),
    "elect.ledger.elections": lambda j: _elect(ledger=election.ElectionLedger(2019, j)),
    "elect.ledger.elections[participant]": lambda j: _elect(
        ledger=election.ElectionLedger(2019, {PARTICIPANT: j})),
    "elect_batch.choices[participant]": lambda j: _batch(
        {PARTICIPANT: Choice.OPT_IN, CLINICIAN: j}, {PARTICIPANT: ELIGIBLE, CLINICIAN: ELIGIBLE}),
    "elect_batch.choices[junk]": lambda j: _batch(
        {PARTICIPANT: Choice.OPT_IN, j: Choice.OPT_IN} if _hashable(j) else [j],
        {PARTICIPANT: ELIGIBLE}),
    "elect_batch.choices[1]": lambda j: _batch(
        [(PARTICIPANT, Choice.OPT_IN), j], {PARTICIPANT: ELIGIBLE}),
    "elect_batch.statuses[participant]": lambda j: _batch(
        {PARTICIPANT: Choice.OPT_IN, CLINICIAN: Choice.VOLUNTARY},
        {PARTICIPANT: ELIGIBLE, CLINICIAN: j}),
    **{f"opt_in_status(facts.{name})": _facts_field(name)
       for name in ("allowed_charges", "patients", "covered_services")},
    "explain_opt_in(from_exceeded)": lambda j: election.explain_opt_in(
        election.LowVolumeFacts.from_exceeded(allowed_charges=True, patients=j,
                                              covered_services=False), PY2019),
    **{f"read_eligibility_payload{''.join(f'[{p!r}]' for p in path)}": _read(path)
       for path in PAYLOAD_PATHS},
    # access
    **{f"validate(evidence.{name})": _evidence_field(name) for name in _EVIDENCE_FIELDS},
    "validate(evidence.tins[1])": lambda j: _validate(tins=(RECORD.tins and "000765630", j)),
    **{f"required_evidence(record.{name})": _record_field(name) for name in _RECORD_FIELDS},
    "RequestRole.evidence.tin": lambda j: access.decide(None, access.RequestRole(
        "ann@example.org", access.Role.SECURITY_OFFICIAL, RECORD, access.Evidence(tin=j)),
        at=ACCESS_AT, policy=PY2019),
    "RequestRole.user": lambda j: access.decide(ACCESS_STATE, access.RequestRole(
        j, access.Role.STAFF_USER, RECORD), at=ACCESS_AT, policy=PY2019),
    "Approve.by": lambda j: access.decide(ACCESS_STATE, access.Approve(PENDING, j),
                                          at=ACCESS_AT, policy=PY2019),
    "Approve.request.user": lambda j: access.decide(ACCESS_STATE, access.Approve(
        access.Request(j, access.Role.STAFF_USER, ACCESS_AT), "ann@example.org"),
        at=ACCESS_AT, policy=PY2019),
    "find_organization(directory[1])": lambda j: access.find_organization(
        [RECORD, j], qr.OrgType.PRACTICE, "Better"),
    # policy: one junk value in a reform, at every path of the policy
    **{f"reform({path})": _reform_at(path) for path in POLICY_PATHS},
    "reform(junk path)": lambda j: qr.reform(PY2019, {j: 1} if _hashable(j) else j,
                                             label="junk"),
    # analysis: one junk cell in an otherwise valid population
    **{f"evaluate(rows[1].{column})": _population(column) for column in analysis.COLUMNS},
    "evaluate(rows[1] unknown column)": lambda j: analysis.evaluate(
        [*ROWS[:1], {**ROWS[1], "tin": j}], PY2019),
    "evaluate(rows[1] junk row)": lambda j: analysis.evaluate([ROWS[0], j], PY2019),
}


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except (TypeError, ValueError):  # ValueError: an aware datetime whose offset is 30 hours
        return False
    return True


@pytest.mark.parametrize("name", sorted(FIELD_CALLS))
def test_fixed_junk_in_one_field(name: str) -> None:
    for junk_name in JUNK:
        check(FIELD_CALLS[name], fresh(junk_name), f"{name} <- JUNK[{junk_name!r}]",
              TIN_IN_JUNK.get(junk_name))


def test_validate_first_security_official_answers_any_evidence() -> None:
    """ACC-SO-1: never raises on evidence; anything that is not Evidence is none given."""
    for junk_name in JUNK:
        decision = access.validate_first_security_official(RECORD, fresh(junk_name))
        assert isinstance(decision, qr.Decision)
        assert not decision.allowed
        assert "ACC-SO-1" in decision.rule_ids


def test_elect_with_a_junk_status_names_the_status() -> None:
    """ELE-ELIG-1: a status that is not an OptInStatus is malformed input naming ``status``
    (elect's contract: malformed input raises, rules refuse)."""
    for junk_name in ("none", "text", "deep_list", "int_beyond_str_limit", "wrong_enum"):
        with pytest.raises(qr.InvalidInput) as raised:
            _elect(status=fresh(junk_name))
        assert raised.value.field == "status"


@given(st.sampled_from(sorted(FIELD_CALLS)), junk())
def test_generated_junk_in_one_field(name: str, value: Any) -> None:
    check(FIELD_CALLS[name], value, name)
