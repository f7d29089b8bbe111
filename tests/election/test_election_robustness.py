"""Junk fed to every public function of qpp_rules.election raises a QppRulesError naming
the field, never a bare KeyError, TypeError or AttributeError (python-stdnum's habit)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from election_helpers import ELIGIBLE, OPEN, PRACTICE_SO, PY2019, SCREEN_FACTS, group

import qpp_rules as qr
from qpp_rules.access import Actor
from qpp_rules.election import (
    Choice,
    Elected,
    ElectionLedger,
    LowVolumeFacts,
    Participant,
    effective_final_score,
    elect,
    elect_batch,
    evolve,
    explain_opt_in,
    individual_election_needed,
    may_submit_data,
    opt_in_status,
    outcome_of,
    read_eligibility_payload,
)

JUNK: tuple[Any, ...] = (None, 1, -1, "x", "", 1.5, [], {}, (), object(), b"123456789", True,
                         Decimal("NaN"), {"data": None}, [("a", "b")])

ELECT = {"ledger": None, "participant": group(1), "choice": Choice.OPT_IN, "at": OPEN,
         "policy": PY2019, "confirmation": "CONFIRM", "actor": PRACTICE_SO, "status": ELIGIBLE}
BATCH = {"ledger": None, "choices": {group(1): Choice.OPT_IN}, "at": OPEN, "policy": PY2019,
         "confirmation": "CONFIRM", "actor": PRACTICE_SO, "statuses": {group(1): ELIGIBLE}}


def _elect(**change: Any) -> Any:
    args = {**ELECT, **change}
    return elect(args.pop("ledger"), args.pop("participant"), args.pop("choice"), **args)


def _batch(**change: Any) -> Any:
    args = {**BATCH, **change}
    return elect_batch(args.pop("ledger"), args.pop("choices"), **args)


def _junk_arg(call: Callable[..., Any], name: str, junk: Any) -> Any:
    return call(**{name: junk})


CALLS: dict[str, Callable[[Any], Any]] = {
    "LowVolumeFacts.allowed_charges": lambda j: LowVolumeFacts(j, 1, 1),
    "LowVolumeFacts.patients": lambda j: LowVolumeFacts(Decimal(1), j, 1),
    "LowVolumeFacts.covered_services": lambda j: LowVolumeFacts(Decimal(1), 1, j),
    "LowVolumeFacts.exceeded": lambda j: LowVolumeFacts(exceeded=j),
    "from_exceeded": lambda j: LowVolumeFacts.from_exceeded(allowed_charges=j, patients=True,
                                                            covered_services=j),
    "opt_in_status.facts": lambda j: opt_in_status(j, PY2019),
    "opt_in_status.policy": lambda j: opt_in_status(SCREEN_FACTS, j),
    "explain_opt_in": lambda j: explain_opt_in(j, j),
    "outcome_of": lambda j: outcome_of(j),
    "outcome_of.group": lambda j: outcome_of(Choice.OPT_IN, group=j),
    "effective_final_score": lambda j: effective_final_score(j, object()),  # type: ignore[arg-type]
    "individual_election_needed": lambda j: individual_election_needed(
        j, submits_individual_data=j),
    "Participant": lambda j: Participant(j),
    "Participant.npi": lambda j: Participant("123456789", j if j is not None else 1.5),
    "ElectionLedger": lambda j: ElectionLedger(j),
    "ElectionLedger.elections": lambda j: ElectionLedger(2019, j if j else 5),
    "Elected": lambda j: Elected(2019, group(1), j, OPEN, qr.OrgType.PRACTICE),
    "Elected.at": lambda j: Elected(2019, group(1), Choice.OPT_IN, j, qr.OrgType.PRACTICE),
    "evolve": lambda j: evolve(j, j),
    "may_submit_data": lambda j: may_submit_data(j, j, status=j, at=j, policy=PY2019),
    "read_eligibility_payload": lambda j: read_eligibility_payload(j, year=2019),
    **{f"elect.{name}": functools.partial(_junk_arg, _elect, name)
       for name in ELECT if name not in ("confirmation", "ledger")},
    **{f"elect_batch.{name}": functools.partial(_junk_arg, _batch, name)
       for name in BATCH if name not in ("confirmation", "ledger")},
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_junk_raises_qpp_rules_errors_only(name: str) -> None:
    for junk in JUNK:
        try:
            CALLS[name](junk)
        except qr.QppRulesError:
            continue
        except Exception as error:  # pragma: no cover - the failure being tested for
            pytest.fail(f"{name}({junk!r}) raised {type(error).__name__}: {error}")


def test_every_call_refuses_an_object() -> None:
    """The table above is exercised: every call refuses at least one junk value."""
    refused = 0
    for call in CALLS.values():
        try:
            call(object())
        except qr.QppRulesError:
            refused += 1
    assert refused == len(CALLS)


# -- pinned examples of fixed input bugs (formerly in tests/robustness/test_robustness_fixes) --
HUGE: Any = 10**5_000  # str() refuses it: more than 4300 digits


def _deep() -> Any:
    value: Any = []
    for _ in range(5_000):
        value = [value]
    return value


def test_ele_elig_1_from_exceeded_refuses_a_number_too_long_to_print() -> None:
    with pytest.raises(qr.InvalidInput):
        LowVolumeFacts.from_exceeded(allowed_charges=HUGE, patients=True)


def test_ele_elig_1_exceeds_refuses_what_is_not_a_threshold() -> None:
    with pytest.raises(qr.InvalidInput, match="threshold"):
        SCREEN_FACTS.exceeds(None)  # type: ignore[arg-type]


def test_ele_elig_1_elect_refuses_a_status_nested_past_the_recursion_limit() -> None:
    with pytest.raises(qr.InvalidInput, match="status") as raised:
        _elect(status=_deep())
    str(raised.value)  # the message reads


def test_ele_out_1_outcome_of_refuses_a_choice_nested_past_the_recursion_limit() -> None:
    with pytest.raises(qr.InvalidInput, match="choice"):
        outcome_of(_deep())


def test_ele_out_1_an_outcome_cannot_be_built_without_its_reasons() -> None:
    """Built with junk, an outcome could not be read (explain() raised): it is refused."""
    outcome = outcome_of(Choice.OPT_IN, group=True, policy=PY2019)
    with pytest.raises(qr.InvalidInput, match=r"outcome\.reasons"):
        attrs.evolve(outcome, reasons=None)


def test_ele_batch_1_an_upload_outcome_explains_whatever_its_counts() -> None:
    """The one Outcome carries an upload's counts as given; its explanation reads either way
    (an upload outcome with junk counts once made explain() raise)."""
    outcome = _batch(actor=Actor(qr.OrgType.REGISTRY, qr.Role.STAFF_USER))
    assert outcome.explain().startswith("Opt-in: 1, Report voluntarily: 0, No decision: 0")
    assert attrs.evolve(outcome, counts={}).explain().startswith("{}")


def test_ele_final_1_choice_of_refuses_what_is_not_a_participant() -> None:
    with pytest.raises(qr.InvalidInput, match="participant"):
        ElectionLedger(2019).choice_of([])  # type: ignore[arg-type]


def test_eligibility_api_payload_refuses_a_year_nested_past_the_recursion_limit() -> None:
    with pytest.raises(qr.InvalidInput, match="year"):
        read_eligibility_payload({}, year=_deep())


@pytest.mark.parametrize(("field", "junk"), [("decision_date", "x"), ("scenario", "both")])
def test_eligibility_api_record_refuses_junk_fields(field: str, junk: str) -> None:
    payload = {"data": {"npi": "1234567893", "organizations": [{
        "TIN": "123456789", "groupScenario": {"lowVolumeSwitch": False}}]}}
    (record,) = read_eligibility_payload(payload, year=2019)
    with pytest.raises(qr.InvalidInput, match=rf"record\.{field}"):
        attrs.evolve(record, **{field: junk})  # type: ignore[arg-type]


def test_eligibility_api_error_message_masks_the_tin_it_quotes() -> None:
    """The API's own error text may quote the TIN asked about, in any layout."""
    with pytest.raises(qr.QppRulesError) as raised:
        read_eligibility_payload(
            {"error": {"type": "T", "message": "TIN 00-0765630 / 000765630"}}, year=2019)
    error = raised.value
    for text in (str(error), repr(error), str(getattr(error, "message", ""))):
        assert "0765630" not in text, text
