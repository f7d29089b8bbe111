"""What a scenario file can check, one function per kind: registration options, opt-in
status, first Security Official validation, a registration lifecycle (a command sequence)
and a registry's upload of elections. Each reads its part of the scenario through the
serializer (the JSON shapes of ``qpp_rules.serialization``) and returns the failures, each
with the decision's explanation.

>>> import qpp_rules as qr
>>> check_opt_in_status({"facts": {"allowed_charges": "90300", "patients": 150,
...                      "covered_services": 234},
...                      "expect": {"status": "Opt-in eligible"}},
...                     qr.policy_for(2019), "s")
[]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from qpp_rules.decisions import Decision
from qpp_rules.errors import InvalidInput
from qpp_rules.policy import PolicyYear

__all__ = [
    "KINDS",
    "check_decision",
    "check_elections",
    "check_lifecycle",
    "check_opt_in_status",
    "check_registration_options",
    "check_security_official",
]

Check = Callable[[Mapping[str, Any], PolicyYear, str], list[str]]


def _read(data: Any, kind: Any, where: str) -> Any:
    from qpp_rules.serialization import from_dict
    try:
        return from_dict(data, kind)
    except InvalidInput as error:
        raise InvalidInput(f"{where}.{error.field}".rstrip("."), error.message) from None


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{where}.{key}", f"a table; got {type(value).__name__}")
    return value


def _explained(decision: Decision) -> str:
    return "; ".join(str(why) for why in decision.reasons) or "(no reasons)"


def _rules(expect: Mapping[str, Any], where: str) -> tuple[set[str] | None, set[str]]:
    exact, include = expect.get("rules"), expect.get("rules_include", [])
    for name, value in (("rules", exact), ("rules_include", include)):
        if value is not None and not (isinstance(value, list)
                                      and all(isinstance(v, str) for v in value)):
            raise InvalidInput(f"{where}.{name}", "a list of rule IDs")
    return (None if exact is None else set(exact)), set(include)


def check_decision(decision: Decision, expect: Mapping[str, Any], where: str) -> list[str]:
    """The failures of ``decision`` against ``expect`` (``allowed``; ``rules``: exactly these
    rule IDs; ``rules_include``: at least these), each with the decision's explanation."""
    if not isinstance(expect, Mapping):
        raise InvalidInput(where, "a table of expectations (allowed, rules, rules_include)")
    failures = []
    wanted = expect.get("allowed")
    if wanted is not None and wanted is not decision.allowed:
        failures.append(f"{where}: expected allowed={wanted}, got {decision.allowed}")
    exact, include = _rules(expect, where)
    got = set(decision.rule_ids)
    if exact is not None and got != exact:
        failures.append(f"{where}: expected rules {sorted(exact)}, got {sorted(got)}")
    if include - got:
        failures.append(f"{where}: expected the rules {sorted(include - got)} among {sorted(got)}")
    return [f"{failure}\n    because: {_explained(decision)}" for failure in failures]


def check_registration_options(data: Mapping[str, Any], policy: PolicyYear,
                               where: str) -> list[str]:
    """``organization`` (an Organization) and ``expect``: ``web_interface`` and ``cahps``
    (decisions), ``automatic`` (the programs held without registering)."""
    import qpp_rules as qr
    from qpp_rules.registration import Organization, automatic_registrations, options
    from qpp_rules.registration.automatic import explain_automatic
    org = _read(data.get("organization"), Organization, f"{where}.organization")
    expect = _table(data, "expect", where)
    found = options(org, policy)
    failures: list[str] = []
    for key, program in (("web_interface", qr.Program.WEB_INTERFACE),
                         ("cahps", qr.Program.CAHPS)):
        if key in expect:
            failures += check_decision(found[program], expect[key], f"{where}.{key}")
    if "automatic" in expect:
        held = sorted(p.value for p in automatic_registrations(org, policy))
        wanted = expect["automatic"]
        if not isinstance(wanted, list) or sorted(map(str, wanted)) != held:
            why = _explained(explain_automatic(org, policy))
            failures.append(f"{where}.automatic: expected {wanted}, got {held}\n"
                            f"    because: {why}")
    return failures


def check_opt_in_status(data: Mapping[str, Any], policy: PolicyYear, where: str) -> list[str]:
    """``facts`` (LowVolumeFacts) and ``expect``: ``status`` (an OptInStatus value) and the
    decision's ``rules``."""
    from qpp_rules.election import LowVolumeFacts, explain_opt_in, opt_in_status
    facts = _read(data.get("facts"), LowVolumeFacts, f"{where}.facts")
    expect = _table(data, "expect", where)
    status = opt_in_status(facts, policy)
    decision = explain_opt_in(facts, policy)
    failures = []
    if "status" in expect and expect["status"] != status.value:
        failures.append(f"{where}.status: expected {expect['status']!r}, got {status.value!r}"
                        f"\n    because: {_explained(decision)}")
    rules = {key: expect[key] for key in ("rules", "rules_include") if key in expect}
    return failures + check_decision(decision, rules, where)


def check_security_official(data: Mapping[str, Any], policy: PolicyYear,
                            where: str) -> list[str]:
    """``record`` (OrganizationRecord), ``evidence`` (Evidence) and ``expect`` (a decision)."""
    from qpp_rules.access import Evidence, OrganizationRecord, validate_first_security_official
    record = _read(data.get("record"), OrganizationRecord, f"{where}.record")
    evidence = _read(data.get("evidence"), Evidence, f"{where}.evidence")
    decision = validate_first_security_official(record, evidence)
    return check_decision(decision, _table(data, "expect", where), where)


def _steps(data: Mapping[str, Any], where: str) -> Sequence[Mapping[str, Any]]:
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps or not all(isinstance(s, Mapping) for s in steps):
        raise InvalidInput(f"{where}.steps", "a list of steps (tables)")
    return steps


def check_lifecycle(data: Mapping[str, Any], policy: PolicyYear, where: str) -> list[str]:
    """A registration's command sequence: ``actor`` (an Actor) and ``steps``, each with
    ``at`` (an instant), ``command`` (``type``: a registration command's class name, and its
    fields) and ``expect`` (``accepted``, ``events``: the event class names, ``rules``)."""
    import pendulum

    from qpp_rules import registration
    from qpp_rules.access import Actor
    actor = _read(data.get("actor"), Actor, f"{where}.actor")
    state = None
    failures: list[str] = []
    for index, step in enumerate(_steps(data, where)):
        here = f"{where}.steps[{index}]"
        raw = dict(_table(step, "command", here))
        name = raw.pop("type", None)
        kind = getattr(registration, str(name), None) if isinstance(name, str) else None
        if not isinstance(kind, type) or kind.__name__ not in _COMMANDS:
            raise InvalidInput(f"{here}.command.type", f"one of {', '.join(_COMMANDS)}; got "
                               f"{name!r}")
        command = _read(raw, kind, f"{here}.command")
        at = _read(step.get("at"), pendulum.DateTime, f"{here}.at")
        outcome = registration.decide(state, command, at=at, policy=policy,
                                      actor=_read(step["actor"], Actor, f"{here}.actor")
                                      if "actor" in step else actor)
        expect = _table(step, "expect", here)
        refusal = outcome.refusal
        because = _explained(refusal) if refusal is not None else "accepted"
        if "accepted" in expect and expect["accepted"] is not outcome.accepted:
            failures.append(f"{here}: expected accepted={expect['accepted']}, got "
                            f"{outcome.accepted}\n    because: {because}")
        if "events" in expect:
            got = [type(event).__name__ for event in outcome.events]
            if got != expect["events"]:
                failures.append(f"{here}: expected the events {expect['events']}, got {got}"
                                f"\n    because: {because}")
        if refusal is not None and ("rules" in expect or "rules_include" in expect):
            rules = {key: expect[key] for key in ("rules", "rules_include") if key in expect}
            failures += check_decision(refusal, rules, here)
        if outcome.accepted:
            state = outcome.state
    return failures


_COMMANDS = ("Register", "Cancel", "ChangeSize", "UpdateOrganization", "AddContact",
             "EditContact", "DeleteContact")


def check_elections(data: Mapping[str, Any], policy: PolicyYear, where: str) -> list[str]:
    """A registry's upload (``elect_batch``): ``actor``, ``at``, ``confirmation``,
    ``participants`` (each ``tin``, optional ``npi``, ``choice``; opt-in eligible unless
    ``status`` says otherwise) and ``expect`` (``accepted``, ``counts`` per choice,
    ``elections``: how many are recorded, and for a refusal ``rules`` / ``rules_include``)."""
    import pendulum

    from qpp_rules.access import Actor
    from qpp_rules.election import Choice, OptInStatus, Participant, elect_batch
    rows = data.get("participants")
    if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
        raise InvalidInput(f"{where}.participants", "a list of tables (tin, npi, choice)")
    choices: dict[Any, Any] = {}
    statuses: dict[Any, Any] = {}
    for index, row in enumerate(rows):
        here = f"{where}.participants[{index}]"
        participant = _read({"tin": row.get("tin"), "npi": row.get("npi")}, Participant, here)
        choices[participant] = _read(row.get("choice"), Choice, f"{here}.choice")
        statuses[participant] = _read(row.get("status", "Opt-in eligible"), OptInStatus,
                                      f"{here}.status")
    outcome = elect_batch(
        None, choices, at=_read(data.get("at"), pendulum.DateTime, f"{where}.at"),
        policy=policy, confirmation=data.get("confirmation"),
        actor=_read(data.get("actor"), Actor, f"{where}.actor"), statuses=statuses,
    )
    expect = _table(data, "expect", where)
    refusal = getattr(outcome, "refusal", None)
    because = _explained(refusal) if refusal is not None else "accepted"
    failures = []
    if "accepted" in expect and expect["accepted"] is not outcome.accepted:
        failures.append(f"{where}: expected accepted={expect['accepted']}, got "
                        f"{outcome.accepted}\n    because: {because}")
    if "counts" in expect:
        got = {getattr(choice, "value", str(choice)): count
               for choice, count in dict(outcome.counts or {}).items()}
        if got != expect["counts"]:
            failures.append(f"{where}.counts: expected {expect['counts']}, got {got}")
    if refusal is not None and ("rules" in expect or "rules_include" in expect):
        rules = {key: expect[key] for key in ("rules", "rules_include") if key in expect}
        failures += check_decision(refusal, rules, where)
    if "elections" in expect:
        held = len(outcome.state) if outcome.state is not None else 0
        if held != expect["elections"]:
            failures.append(f"{where}.elections: expected {expect['elections']}, got {held}"
                            f"\n    because: {because}")
    return failures


KINDS: dict[str, Check] = {
    "registration_options": check_registration_options,
    "opt_in_status": check_opt_in_status,
    "security_official": check_security_official,
    "lifecycle": check_lifecycle,
    "elections": check_elections,
}
"""The kinds of check a scenario can hold, by key."""
