"""ELE-ELIG-1: opt-in eligibility against the year's low-volume threshold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from election_helpers import PY2018, PY2019, PY2019_PUBLISHED, PY2021, SCREEN_FACTS
from hypothesis import given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.election import LowVolumeFacts, OptInStatus, explain_opt_in, opt_in_status
from qpp_rules.policy.unknown import known

EXEMPT, OPT_IN, MIPS = (
    OptInStatus.EXEMPT,
    OptInStatus.OPT_IN_ELIGIBLE,
    OptInStatus.MIPS_ELIGIBLE,
)


# -- the guide's own example ----------------------------------------------------------------
def test_ele_elig_1_guide_screen_is_opt_in_eligible() -> None:
    """ELE-ELIG-1: 150 patients, $90,300, 234 services: 2 of 3 exceeded, opt-in eligible
    (Miami Medical and Greenville Podiatry both show 'MIPS EXEMPT, Opt-in eligible')."""
    assert opt_in_status(SCREEN_FACTS, PY2019) is OPT_IN
    decision = explain_opt_in(SCREEN_FACTS, PY2019)
    assert decision.allowed
    assert decision.rule_ids == ("ELE-ELIG-1",)
    message = decision.reasons[0].message
    assert "2 of 3 elements exceeded" in message
    assert "Part B patients do not exceed 200" in message


def test_ele_elig_1_thresholds_are_read_from_the_policy() -> None:
    """ELE-ELIG-1: the 2019 numbers are the table's ($90,000, 200, 200), as Decimal."""
    threshold = known(PY2019, "election.low_volume", "ELE-ELIG-1")
    assert threshold == qr.LowVolumeThreshold(Decimal("90000"), 200, 200)
    assert isinstance(threshold.allowed_charges, Decimal)
    raised = qr.reform(
        PY2019, {"election.low_volume.allowed_charges": Decimal("90300")}, label="charges at 90,300"
    )
    # at the reform's line, $90,300 no longer exceeds: only services do, still opt-in eligible
    assert opt_in_status(SCREEN_FACTS, raised) is OPT_IN
    services_up = qr.reform(
        raised, {"election.low_volume.covered_services": 234}, label="services at 234"
    )
    assert opt_in_status(SCREEN_FACTS, services_up) is EXEMPT


# -- every threshold edge ---------------------------------------------------------------------
AT: dict[str, Any] = {"allowed_charges": Decimal("90000"), "patients": 200, "covered_services": 200}
OVER: dict[str, Any] = {
    "allowed_charges": Decimal("90000.01"), "patients": 201, "covered_services": 201
}


@pytest.mark.parametrize("element", ["allowed_charges", "patients", "covered_services"])
def test_ele_elig_1_exactly_at_the_threshold_is_not_exceeding(element: str) -> None:
    """ELE-ELIG-1: strictly 'exceeds': exactly $90,000 / 200 / 200 does not exceed."""
    facts = LowVolumeFacts(**{**OVER, element: AT[element]})
    assert facts.exceeds(known(PY2019, "election.low_volume", "ELE-ELIG-1")).count(False) == 1
    assert opt_in_status(facts, PY2019) is OPT_IN  # the other two exceed


@pytest.mark.parametrize("element", ["allowed_charges", "patients", "covered_services"])
def test_ele_elig_1_one_cent_or_one_more_exceeds(element: str) -> None:
    """ELE-ELIG-1: $90,000.01 / 201 exceed; one element alone makes it opt-in eligible."""
    facts = LowVolumeFacts(**{**AT, element: OVER[element]})
    assert opt_in_status(facts, PY2019) is OPT_IN
    assert opt_in_status(LowVolumeFacts(**AT), PY2019) is EXEMPT


def test_ele_elig_1_all_three_exceeded_is_mips_eligible() -> None:
    """ELE-ELIG-1: exceeding every element: MIPS eligible, no election."""
    decision = explain_opt_in(LowVolumeFacts(**OVER), PY2019)
    assert opt_in_status(LowVolumeFacts(**OVER), PY2019) is MIPS
    assert not decision.allowed
    assert "no election" in decision.reasons[0].message


def test_ele_elig_1_none_exceeded_is_exempt_without_option() -> None:
    decision = explain_opt_in(LowVolumeFacts(**AT), PY2019)
    assert not decision.allowed
    assert "no option" in decision.reasons[0].message


def test_ele_elig_1_just_below_and_zero() -> None:
    facts = LowVolumeFacts(Decimal("89999.99"), 199, 199)
    assert opt_in_status(facts, PY2019) is EXEMPT
    assert opt_in_status(LowVolumeFacts(Decimal(0), 0, 0), PY2019) is EXEMPT


# -- years without opt-in and PY2021 -------------------------------------------------------
@pytest.mark.parametrize(
    ("charges", "patients", "expected"),
    [
        (Decimal("90000.01"), 201, MIPS),
        (Decimal("90000.01"), 200, EXEMPT),
        (Decimal("90000"), 201, EXEMPT),
        (Decimal("90000"), 200, EXEMPT),
    ],
)
def test_ele_elig_1_py2018_two_elements_never_opt_in(
    charges: Decimal, patients: int, expected: OptInStatus
) -> None:
    """ELE-ELIG-1: PY2018 has two elements and no opt-in: exempt or MIPS eligible."""
    assert known(PY2018, "election.low_volume", "ELE-ELIG-1").covered_services is None
    assert not PY2018.election.opt_in
    facts = LowVolumeFacts(allowed_charges=charges, patients=patients)
    assert opt_in_status(facts, PY2018) is expected
    # the services count is not an element in PY2018: it changes nothing
    with_services = LowVolumeFacts(allowed_charges=charges, patients=patients, covered_services=999)
    assert opt_in_status(with_services, PY2018) is expected


def test_ele_elig_1_py2018_partial_explains_no_opt_in() -> None:
    decision = explain_opt_in(LowVolumeFacts(Decimal("95000"), 100), PY2018)
    assert not decision.allowed
    assert "PY2018 has no opt-in" in decision.explain()


def test_ele_elig_1_reform_without_opt_in_never_answers_opt_in() -> None:
    """A year whose table says opt_in False never answers opt-in eligible, whatever the
    threshold (ELE-ELIG-1)."""
    election = attrs.evolve(PY2019.election, opt_in=False, window=None)
    no_opt_in = attrs.evolve(PY2019, election=election, label="no opt-in")
    assert opt_in_status(SCREEN_FACTS, no_opt_in) is EXEMPT
    assert opt_in_status(LowVolumeFacts(**OVER), no_opt_in) is MIPS


def test_ele_elig_1_py2021_keeps_opt_in() -> None:
    assert opt_in_status(SCREEN_FACTS, PY2021) is OPT_IN
    assert opt_in_status(SCREEN_FACTS, PY2019_PUBLISHED) is OPT_IN


def test_ele_elig_1_services_needed_in_a_three_element_year() -> None:
    facts = LowVolumeFacts(allowed_charges=Decimal("1"), patients=1)
    with pytest.raises(qr.InvalidInput, match=r"facts\.covered_services"):
        opt_in_status(facts, PY2019)
    flags = LowVolumeFacts.from_exceeded(allowed_charges=True, patients=False)
    assert opt_in_status(flags, PY2018) is EXEMPT
    with pytest.raises(qr.InvalidInput, match=r"facts\.covered_services"):
        opt_in_status(flags, PY2019)


# -- from_exceeded ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ((True, True, True), MIPS),
        ((False, False, False), EXEMPT),
        ((True, False, False), OPT_IN),
        ((False, True, False), OPT_IN),
        ((False, False, True), OPT_IN),
        ((True, True, False), OPT_IN),
        ((True, False, True), OPT_IN),
        ((False, True, True), OPT_IN),
    ],
)
def test_ele_elig_1_from_exceeded(flags: tuple[bool, bool, bool], expected: OptInStatus) -> None:
    """ELE-ELIG-1: one or two elements but not all: opt-in eligible."""
    charges, patients, services = flags
    facts = LowVolumeFacts.from_exceeded(
        allowed_charges=charges, patients=patients, covered_services=services
    )
    assert opt_in_status(facts, PY2019) is expected
    assert not facts.measured


# -- money and counts are validated ---------------------------------------------------------
@pytest.mark.parametrize("bad", [90000.0, 1e6, float("nan"), "90000", True, Decimal("NaN"),
                                 Decimal("Infinity"), Decimal("-1")])
def test_money_is_never_a_float(bad: object) -> None:
    """Money is a Decimal, never a float (nor text, a bool, NaN or negative)."""
    with pytest.raises(qr.InvalidInput, match=r"facts\.allowed_charges"):
        LowVolumeFacts(allowed_charges=bad, patients=1, covered_services=1)  # type: ignore[arg-type]


def test_whole_dollars_as_int_become_decimal() -> None:
    facts = LowVolumeFacts(allowed_charges=90001, patients=1, covered_services=1)
    assert facts.allowed_charges == Decimal("90001")
    assert isinstance(facts.allowed_charges, Decimal)


@pytest.mark.parametrize(("field", "bad"), [("patients", -1), ("patients", 2.5),
                                            ("covered_services", True), ("patients", "200")])
def test_counts_are_whole_numbers(field: str, bad: object) -> None:
    values: dict[str, object] = {"allowed_charges": Decimal(1), "patients": 1,
                                 "covered_services": 1, field: bad}
    with pytest.raises(qr.InvalidInput, match=rf"facts\.{field}"):
        LowVolumeFacts(**values)  # type: ignore[arg-type]


def test_facts_need_amounts_or_flags_not_both() -> None:
    with pytest.raises(qr.InvalidInput, match="from_exceeded"):
        LowVolumeFacts()
    with pytest.raises(qr.InvalidInput, match="not both"):
        LowVolumeFacts(Decimal(1), 1, 1, exceeded=(True, True, True))
    with pytest.raises(qr.InvalidInput, match=r"facts\.patients"):
        LowVolumeFacts.from_exceeded(allowed_charges=True, patients=1)  # type: ignore[arg-type]


def test_bad_arguments_raise_invalid_input() -> None:
    with pytest.raises(qr.InvalidInput, match="facts"):
        opt_in_status("facts", PY2019)  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput, match="policy"):
        opt_in_status(SCREEN_FACTS, 2019)  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput, match="policy"):
        explain_opt_in(SCREEN_FACTS, None)  # type: ignore[arg-type]


# -- properties ----------------------------------------------------------------------------
money = st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False,
                    allow_infinity=False)
counts = st.integers(min_value=0, max_value=400)
policies = st.sampled_from([PY2018, PY2019, PY2019_PUBLISHED, PY2021])


@given(money, counts, counts, st.sampled_from(["allowed_charges", "patients",
                                                "covered_services"]),
       st.integers(min_value=1, max_value=200_000), policies)
def test_ele_elig_1_status_is_monotone(
    charges: Decimal, patients: int, services: int, element: str, raise_by: int,
    policy: qr.PolicyYear,
) -> None:
    """ELE-ELIG-1 property: raising any element never lowers the status
    (EXEMPT < OPT_IN_ELIGIBLE < MIPS_ELIGIBLE)."""
    before = LowVolumeFacts(charges, patients, services)
    step = Decimal(raise_by) / 100 if element == "allowed_charges" else raise_by
    after = LowVolumeFacts(**{"allowed_charges": charges, "patients": patients,
                              "covered_services": services,
                              element: getattr(before, element) + step})
    assert opt_in_status(after, policy) >= opt_in_status(before, policy)


@given(st.tuples(st.booleans(), st.booleans(), st.booleans()), st.integers(0, 2), policies)
def test_ele_elig_1_flags_monotone(
    flags: tuple[bool, bool, bool], index: int, policy: qr.PolicyYear
) -> None:
    """ELE-ELIG-1 property: turning one element from not exceeded to exceeded never lowers
    the status."""
    raised = list(flags)
    raised[index] = True
    before = LowVolumeFacts(exceeded=flags)
    after = LowVolumeFacts(exceeded=(raised[0], raised[1], raised[2]))
    assert opt_in_status(after, policy) >= opt_in_status(before, policy)


@given(money, counts, counts)
def test_ele_elig_1_py2018_never_opt_in_eligible(
    charges: Decimal, patients: int, services: int
) -> None:
    """ELE-ELIG-1 property: a year without opt-in never answers opt-in eligible."""
    facts = LowVolumeFacts(charges, patients, services)
    assert opt_in_status(facts, PY2018) is not OPT_IN


@given(money, counts, counts, policies)
def test_ele_elig_1_deterministic_and_shared(
    charges: Decimal, patients: int, services: int, policy: qr.PolicyYear
) -> None:
    """Decisions are deterministic: the same facts give the same (shared) explained answer,
    and the status agrees with the Decision."""
    facts = LowVolumeFacts(charges, patients, services)
    again = LowVolumeFacts(charges, patients, services)
    first = explain_opt_in(facts, policy)
    assert explain_opt_in(again, policy) is first
    assert first.allowed == (opt_in_status(facts, policy) is OPT_IN)


def test_status_order() -> None:
    assert sorted([MIPS, EXEMPT, OPT_IN]) == [EXEMPT, OPT_IN, MIPS]
    assert not (MIPS < OPT_IN)
    assert MIPS >= MIPS
    with pytest.raises(TypeError):
        _ = MIPS < 1


@pytest.mark.parametrize("year", [2019, 2021, 2026])
def test_ele_elig_1_missing_facts_leave_the_opt_in_status_unknown(year: int) -> None:
    decision = qr.election.explain_missing_facts(qr.policy_for(year))
    assert not decision.allowed
    assert decision.rule_ids == ("ELE-ELIG-1",)
    assert "unknown" in decision.reasons[0].message
