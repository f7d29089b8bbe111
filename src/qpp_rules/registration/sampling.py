"""After registration: what follows when CMS cannot populate a sample (REG-SAMP-1..3).

For the CMS Web Interface, "no Medicare patients assigned for any WI measure" (REG-SAMP-1);
for the CAHPS for MIPS Survey, "minimum patient sampling not met" (REG-SAMP-2). Each year's
consequences are read from ``policy.registration.sampling``.

>>> import qpp_rules as qr
>>> c = sampling_consequences(qr.Program.CAHPS, qr.policy_for(2021), ssp_aco=True)
>>> c.unattestable_activity, c.denominator_reduction, c.notified
('IA_PSPA_11', True, 'the fall of 2021')
"""

from __future__ import annotations

import attrs

from qpp_rules.decisions import Reason
from qpp_rules.errors import InvalidInput
from qpp_rules.policy.model import PolicyYear, SamplingPolicy, _check_fields
from qpp_rules.policy.unknown import known
from qpp_rules.registration.eligibility import check_policy, reason
from qpp_rules.vocabulary import Program

__all__ = ["SamplingConsequences", "sampling_consequences"]


@attrs.frozen
class SamplingConsequences:
    """What happens to a registered organization whose sample cannot be populated.

    ``can_report`` is always False (it cannot submit through WI, or cannot administer the
    survey); ``notified`` says when CMS expects to tell it; ``other_collection_types`` is
    what a WI organization reports through instead; for CAHPS, whether it must select a
    different improvement activity (and which one it cannot attest), whether it loses the
    CAHPS quality points, whether it *may* qualify for a quality denominator reduction (if
    not submitting through WI), and whether an SSP ACO *gets* one. ``reasons`` explain each,
    with rule IDs and citations.

    >>> import qpp_rules as qr
    >>> print(sampling_consequences(qr.Program.WEB_INTERFACE, qr.policy_for(2019)).explain())
    CMS Web Interface: no sample can be populated
      - [REG-SAMP-1] With no Medicare patients assigned for any CMS Web Interface measure, \
no sample can be populated: the organization cannot submit quality data through the CMS Web \
Interface. (REG-GUIDE-2019, I 'Is it possible we won't be able to report through the CMS Web \
Interface?' [REG-SAMP-1, REG-SAMP-2])
      - [REG-SAMP-1] CMS expects to notify it in the Fall of 2019. (REG-GUIDE-2019, I 'Is it \
possible we won't be able to report through the CMS Web Interface?' [REG-SAMP-1, REG-SAMP-2])
      - [REG-SAMP-1] It must report quality measures through another collection type: eCQMs \
or MIPS CQMs. (REG-GUIDE-2019, I 'Is it possible we won't be able to report through the CMS \
Web Interface?' [REG-SAMP-1])
    """

    program: Program
    can_report: bool
    notified: str
    other_collection_types: tuple[str, ...] = ()
    select_other_improvement_activity: bool = False
    unattestable_activity: str | None = None
    loses_cahps_quality_points: bool = False
    may_qualify_for_denominator_reduction: bool = False
    denominator_reduction: bool = False
    reasons: tuple[Reason, ...] = ()

    def __attrs_post_init__(self) -> None:
        _check_fields(self)

    def explain(self) -> str:
        """The consequences, one reason a line."""
        what = (
            "no sample can be populated"
            if self.program is Program.WEB_INTERFACE
            else "the minimum patient sample is not met"
        )
        return "\n".join(
            [f"{self.program.value}: {what}", *(f"  - {r}" for r in self.reasons)]
        )


def sampling_consequences(
    program: Program, policy: PolicyYear, *, ssp_aco: bool = False
) -> SamplingConsequences:
    """The consequences, in ``policy``'s year, of a sample that cannot be populated for
    ``program``: for WI, no Medicare patients assigned for any WI measure (REG-SAMP-1); for
    CAHPS, the minimum patient sampling not met (REG-SAMP-2). ``ssp_aco`` marks a Shared
    Savings Program ACO (PY2021: a denominator reduction). Computed once per policy.

    >>> import qpp_rules as qr
    >>> c = sampling_consequences(qr.Program.CAHPS, qr.policy_for(2018))
    >>> c.select_other_improvement_activity, c.can_report
    (False, False)
    """
    policy = check_policy(policy)
    if not isinstance(program, Program):
        raise InvalidInput("program", f"a Program; got {type(program).__name__}")
    if not isinstance(ssp_aco, bool):
        raise InvalidInput("ssp_aco", f"True or False; got {type(ssp_aco).__name__}")
    return policy.answers.answer(
        (_consequences, program, ssp_aco), lambda: _consequences(program, policy, ssp_aco)
    )


def _consequences(program: Program, policy: PolicyYear, ssp_aco: bool) -> SamplingConsequences:
    table: SamplingPolicy = known(policy, "registration.sampling", "REG-SAMP-1")
    base = "registration.sampling"
    notice = table.notice
    if program is Program.WEB_INTERFACE:
        alternatives = table.web_interface_alternatives
        return SamplingConsequences(
            program,
            can_report=False,
            notified=notice,
            other_collection_types=alternatives,
            reasons=(
                reason(
                    policy, "REG-SAMP-1",
                    "With no Medicare patients assigned for any CMS Web Interface measure, no "
                    "sample can be populated: the organization cannot submit quality data "
                    "through the CMS Web Interface.",
                    f"{base}.notice",
                ),
                reason(
                    policy, "REG-SAMP-1", f"CMS expects to notify it in {notice}.",
                    f"{base}.notice",
                ),
                reason(
                    policy, "REG-SAMP-1",
                    "It must report quality measures through another collection type: "
                    f"{' or '.join(alternatives)}.",
                    f"{base}.web_interface_alternatives",
                ),
            ),
        )
    # The CAHPS question of the guide (the catalogue's REG-SAMP-2), not the CMS Web
    # Interface's where the notice's value is cited (the guides say it in both).
    reasons = [
        reason(
            policy, "REG-SAMP-2",
            "Without the minimum patient sample the organization cannot administer the CAHPS "
            "for MIPS Survey."
        ),
        reason(
            policy, "REG-SAMP-2", f"CMS expects to notify it in {notice}."
        ),
    ]
    activity = table.cahps_unattestable_activity
    if table.cahps_other_improvement_activity:
        cannot = f"it cannot attest {activity} and " if activity else ""
        reasons.append(reason(
            policy, "REG-SAMP-2",
            f"For the improvement activities category {cannot}must select a different activity.",
            f"{base}.cahps_other_improvement_activity",
        ))
    if table.cahps_no_quality_points:
        reasons.append(reason(
            policy, "REG-SAMP-2",
            "It cannot supplement its quality score with the points for administering the "
            "CAHPS for MIPS Survey.",
            f"{base}.cahps_no_quality_points",
        ))
    if table.cahps_denominator_reduction:
        reasons.append(reason(
            policy, "REG-SAMP-2",
            "It may qualify for a denominator reduction in the quality performance category "
            "if it is not submitting quality data through the CMS Web Interface.",
            f"{base}.cahps_denominator_reduction",
        ))
    reduction = ssp_aco and table.ssp_aco_denominator_reduction
    if reduction:
        reasons.append(reason(
            policy, "REG-SAMP-2",
            "A Shared Savings Program ACO that misses the CAHPS sample receives a denominator "
            "reduction.",
            f"{base}.ssp_aco_denominator_reduction",
        ))
    return SamplingConsequences(
        program,
        can_report=False,
        notified=notice,
        select_other_improvement_activity=table.cahps_other_improvement_activity,
        unattestable_activity=activity,
        loses_cahps_quality_points=table.cahps_no_quality_points,
        may_qualify_for_denominator_reduction=table.cahps_denominator_reduction,
        denominator_reduction=reduction,
        reasons=tuple(reasons),
    )
