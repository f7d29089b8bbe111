"""ELE-OUT-1, ELE-OUT-2, ELE-OUT-3, ELE-WHO-2, ELE-CHOICE-1: what a choice brings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from election_helpers import PY2018, PY2019, PY2021
from hypothesis import given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.election import (
    Choice,
    OptInStatus,
    effective_final_score,
    individual_election_needed,
    outcome_of,
)

FIELDS = ("final_score", "payment_adjustment", "performance_feedback", "benchmarks",
          "public_reporting", "becomes_mips_eligible")

# The table of ELE-OUT-1 (Opting-In vs. Voluntary Reporting), one row per (choice, group).
TABLE = {
    (Choice.OPT_IN, False): (True, True, True, True, True, True),
    (Choice.OPT_IN, True): (True, True, True, True, True, True),
    (Choice.VOLUNTARY, False): (False, False, True, False, True, False),
    (Choice.VOLUNTARY, True): (True, False, True, False, True, False),
    (Choice.NO_DECISION, False): (False, False, False, False, False, False),
    (Choice.NO_DECISION, True): (False, False, False, False, False, False),
}


@pytest.mark.parametrize(("choice", "group"), list(TABLE))
def test_ele_out_1_table(choice: Choice, group: bool) -> None:
    """ELE-OUT-1: each cell of the outcome table (ELE-OUT-2 for the group's final score)."""
    outcome = outcome_of(choice, group=group)
    assert tuple(getattr(outcome, name) for name in FIELDS) == TABLE[(choice, group)]
    assert outcome.choice is choice
    assert outcome.group is group
    assert outcome.reasons
    assert outcome.explain().startswith(choice.value)


def test_ele_out_1_opt_in_screen() -> None:
    """'By electing to Opt-In, you become MIPS eligible. You will receive a MIPS final score
    and a payment adjustment in 2021.' (Individual Reporting Options, Debara Jones)."""
    outcome = outcome_of(Choice.OPT_IN, policy=PY2019)
    assert outcome.becomes_mips_eligible
    assert outcome.final_score
    assert outcome.payment_adjustment
    assert outcome.payment_year == 2021
    assert "ELE-OUT-1" in {reason.rule_id for reason in outcome.reasons}
    assert "any data submitted or not submitted" in outcome.explain()


def test_ele_out_1_voluntary_public_reporting_opt_out_from_policy() -> None:
    """ELE-OUT-1: a voluntary reporter is publicly reported unless it opts out during the
    30-day preview period (the number is the year's table)."""
    outcome = outcome_of(Choice.VOLUNTARY, policy=PY2019)
    assert outcome.public_reporting
    assert outcome.public_reporting_opt_out
    assert outcome.public_reporting_preview_days == PY2019.election.public_reporting_preview_days
    assert outcome.public_reporting_preview_days == 30
    assert outcome.payment_year is None
    assert "30-day preview period (late 2020)" in outcome.explain()
    longer = qr.reform(PY2019, {"election.public_reporting_preview_days": 45}, label="45 days")
    assert outcome_of(Choice.VOLUNTARY, policy=longer).public_reporting_preview_days == 45
    assert not outcome_of(Choice.OPT_IN).public_reporting_opt_out


def test_ele_out_2_group_opt_in_adjusts_every_clinician() -> None:
    """ELE-OUT-2: a group opt-in gives every MIPS eligible clinician the group's adjustment;
    a group voluntary report has a final score and no adjustment."""
    opt_in = outcome_of(Choice.OPT_IN, group=True)
    assert opt_in.adjusts_every_clinician
    assert "ELE-OUT-2" in {reason.rule_id for reason in opt_in.reasons}
    voluntary = outcome_of(Choice.VOLUNTARY, group=True)
    assert voluntary.final_score
    assert not voluntary.payment_adjustment
    assert not voluntary.adjusts_every_clinician
    assert "ELE-OUT-2" in {reason.rule_id for reason in voluntary.reasons}
    assert not outcome_of(Choice.OPT_IN).adjusts_every_clinician


def test_ele_choice_1_no_decision_stays_exempt() -> None:
    outcome = outcome_of(Choice.NO_DECISION, policy=PY2019)
    assert "ELE-CHOICE-1" in {reason.rule_id for reason in outcome.reasons}
    assert outcome.public_reporting_preview_days is None
    assert "stays MIPS exempt" in outcome.explain()


@pytest.mark.parametrize("policy", [PY2018, PY2019, PY2021])
def test_outcome_with_policy_is_shared(policy: qr.PolicyYear) -> None:
    """Deterministic and computed once per policy."""
    assert outcome_of(Choice.OPT_IN, policy=policy) is outcome_of(Choice.OPT_IN, policy=policy)
    assert outcome_of(Choice.OPT_IN, policy=policy).payment_year == policy.year + 2


@pytest.mark.parametrize(("args", "kwargs", "field"), [
    (("Opt-in",), {}, "choice"),
    ((Choice.OPT_IN,), {"group": 1}, "group"),
    ((Choice.OPT_IN,), {"policy": 2019}, "policy"),
])
def test_outcome_of_bad_input(args: tuple[object, ...], kwargs: dict[str, object],
                              field: str) -> None:
    with pytest.raises(qr.InvalidInput, match=field):
        outcome_of(*args, **kwargs)  # type: ignore[arg-type]


# -- ELE-OUT-3 --------------------------------------------------------------------------------
@pytest.mark.parametrize(("individual", "group", "expected"), [
    (68.9, 70, 70),
    (80, 70, 80),
    (Decimal("70.5"), 70.4, Decimal("70.5")),
    (Decimal("70.1"), 70.1, Decimal("70.1")),  # exact: the float 70.1 is a hair below
    (None, 55, 55),
    (55, None, 55),
    (None, None, None),
    (50, 50.0, 50),  # a tie keeps the individual score
])
def test_ele_out_3_higher_of_the_two_scores(
    individual: int | float | Decimal | None, group: int | float | Decimal | None,
    expected: int | float | Decimal | None,
) -> None:
    """ELE-OUT-3: the clinician gets the higher of the two final scores, as given."""
    result = effective_final_score(individual, group)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize("bad", ["70", True, float("nan"), Decimal("NaN"), float("inf"), [70]])
def test_ele_out_3_refuses_non_scores(bad: object) -> None:
    with pytest.raises(qr.InvalidInput, match="group"):
        effective_final_score(50, bad)  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput, match="individual"):
        effective_final_score(bad, 50)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [
    -5, 200, 101, -1, 100.0000001, -0.0000001, Decimal("100.01"), Decimal("-0.001"),
    float("-inf"), Decimal("Infinity"), False,
])
def test_ele_out_3_refuses_scores_outside_0_to_100(bad: object) -> None:
    """ELE-OUT-3: a final score is 'Out of 100 Points' (Registry step 8): outside 0..100 is
    not a final score, and the error names the argument."""
    with pytest.raises(qr.InvalidInput) as caught:
        effective_final_score(bad, 50)  # type: ignore[arg-type]
    assert caught.value.field == "individual"
    with pytest.raises(qr.InvalidInput) as caught:
        effective_final_score(50, bad)  # type: ignore[arg-type]
    assert caught.value.field == "group"


def test_ele_out_3_a_score_outside_0_to_100_points_names_the_first_bad_argument() -> None:
    with pytest.raises(qr.InvalidInput, match=r"^individual: .*0 to 100.*got -5$"):
        effective_final_score(-5, 200)
    with pytest.raises(qr.InvalidInput, match=r"^group: .*got 200$"):
        effective_final_score(5, 200)


@pytest.mark.parametrize(("individual", "group", "expected"), [
    (0, 100, 100),
    (100, 0.0, 100),
    (Decimal("0"), Decimal("100.00"), Decimal("100.00")),
    (0.0, 0, 0.0),
    (68.9, None, 68.9),  # the guide's preliminary score, 68.9 out of 100
])
def test_ele_out_3_the_edges_0_and_100_are_scores(
    individual: int | float | Decimal | None, group: int | float | Decimal | None,
    expected: int | float | Decimal,
) -> None:
    result = effective_final_score(individual, group)
    assert result == expected
    assert type(result) is type(expected)


scores = st.one_of(
    st.integers(0, 100),
    st.floats(0, 100, allow_nan=False),
    st.decimals(0, 100, places=3, allow_nan=False, allow_infinity=False),
)


@given(scores, scores)
def test_ele_out_3_property(individual: int | float | Decimal,
                            group: int | float | Decimal) -> None:
    """ELE-OUT-3 property: the result is one of the two, and no lower than either."""
    result = effective_final_score(individual, group)
    assert result is individual or result is group
    assert result is not None
    assert Decimal(result) >= Decimal(individual)
    assert Decimal(result) >= Decimal(group)


# -- ELE-WHO-2 and ELE-CHOICE-1 ---------------------------------------------------------------
def test_ele_who_2_group_reporting_needs_no_individual_election() -> None:
    """'If your practice is participating as a group, you don't need to make an election for
    individual clinicians unless they are also submitting individual data.'"""
    eligible = OptInStatus.OPT_IN_ELIGIBLE
    no = individual_election_needed(eligible, submits_individual_data=False,
                                    practice_reports_as_group=True)
    assert not no
    assert no.rule_ids == ("ELE-WHO-2",)
    yes = individual_election_needed(eligible, submits_individual_data=True,
                                     practice_reports_as_group=True)
    assert yes
    assert yes.rule_ids == ("ELE-WHO-2",)


def test_ele_choice_1_nobody_has_to_elect() -> None:
    decision = individual_election_needed(OptInStatus.OPT_IN_ELIGIBLE,
                                          submits_individual_data=False)
    assert not decision
    assert decision.rule_ids == ("ELE-CHOICE-1",)


@pytest.mark.parametrize("status", [OptInStatus.EXEMPT, OptInStatus.MIPS_ELIGIBLE])
def test_ele_batch_2_only_opt_in_eligible_clinicians_elect(status: OptInStatus) -> None:
    decision = individual_election_needed(status, submits_individual_data=True)
    assert not decision
    assert decision.rule_ids == ("ELE-BATCH-2",)


def test_individual_election_needed_bad_input() -> None:
    with pytest.raises(qr.InvalidInput, match="status"):
        individual_election_needed("Opt-in eligible",  # type: ignore[arg-type]
                                   submits_individual_data=True)
    with pytest.raises(qr.InvalidInput, match="submits_individual_data"):
        individual_election_needed(OptInStatus.EXEMPT,
                                   submits_individual_data="yes")  # type: ignore[arg-type]
