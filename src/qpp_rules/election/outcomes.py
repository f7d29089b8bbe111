"""What a choice brings (ELE-OUT-1, ELE-OUT-2), the final score that counts (ELE-OUT-3), and
when an individual election is needed at all (ELE-WHO-2, ELE-CHOICE-1).

The table of ELE-OUT-1, from ELECTION-GUIDE-2019 "Opting-In vs. Voluntary Reporting" and the
Group Reporting Options (cells marked *inference* are the catalogue's reading):

===================== ========= ================================== =======================
outcome               Opt-in    Report voluntarily                 No decision
===================== ========= ================================== =======================
final score           yes       group: yes; individual: no (inf.)  no (inference)
payment adjustment    yes       no                                 no (inference)
performance feedback  yes       yes                                no (inference)
measure benchmarks    yes       no                                 no (inference)
public reporting      yes       yes, unless opted out in preview   no (inference)
becomes MIPS eligible yes       no                                 no
===================== ========= ================================== =======================

>>> from qpp_rules.election import Choice, outcome_of
>>> o = outcome_of(Choice.VOLUNTARY, group=True)
>>> o.final_score, o.payment_adjustment, o.public_reporting_opt_out
(True, False, True)
"""

from __future__ import annotations

import math
from decimal import Decimal

import attrs

from qpp_rules.decisions import Decision, Reason
from qpp_rules.election.model import Choice, OptInStatus
from qpp_rules.election.rules import GUIDE
from qpp_rules.errors import InvalidInput, shown
from qpp_rules.kernel import SHARED, fields
from qpp_rules.kernel.citations import cite
from qpp_rules.policy.model import PolicyYear

__all__ = [
    "ElectionOutcome",
    "effective_final_score",
    "individual_election_needed",
    "outcome_of",
]



@attrs.frozen(cache_hash=True)
class ElectionOutcome:
    """What a participant's choice brings (ELE-OUT-1; for a group, ELE-OUT-2), with the
    reasons. ``public_reporting_opt_out``: the participant may opt out of public reporting
    during the preview period (voluntary reporters). ``public_reporting_preview_days`` and
    ``payment_year`` are filled when :func:`outcome_of` is given the year's policy.

    >>> print(outcome_of(Choice.OPT_IN).explain())
    Opt-in (individual): final score, payment adjustment, performance feedback, measure \
benchmarks, public reporting; becomes MIPS eligible
      - [ELE-OUT-1] Opt-in: the participant becomes MIPS eligible and receives a final score \
and a payment adjustment (positive, negative or neutral) based on any data submitted or not \
submitted, performance feedback, its data in measure benchmarks, and public reporting on \
Physician Compare. (ELECTION-GUIDE-2019, Opting-In vs. Voluntary Reporting (table) \
[ELE-OUT-1])
    """

    __field_prefix__ = "outcome"

    choice: Choice = attrs.field(validator=fields.instance_of(Choice))
    group: bool = attrs.field(validator=fields.flag())
    final_score: bool = attrs.field(validator=fields.flag())
    payment_adjustment: bool = attrs.field(validator=fields.flag())
    performance_feedback: bool = attrs.field(validator=fields.flag())
    benchmarks: bool = attrs.field(validator=fields.flag())
    public_reporting: bool = attrs.field(validator=fields.flag())
    public_reporting_opt_out: bool = attrs.field(validator=fields.flag())
    becomes_mips_eligible: bool = attrs.field(validator=fields.flag())
    adjusts_every_clinician: bool = attrs.field(validator=fields.flag())
    reasons: tuple[Reason, ...] = attrs.field(converter=fields.tuple_of(Reason))  # type: ignore[misc]
    public_reporting_preview_days: int | None = attrs.field(
        default=None, validator=fields.whole(minimum=0, optional=True)
    )
    payment_year: int | None = attrs.field(
        default=None, validator=fields.whole(optional=True)
    )

    def explain(self) -> str:
        """The outcome and its reasons, one a line."""
        names = [
            ("final score", self.final_score),
            ("payment adjustment", self.payment_adjustment),
            ("performance feedback", self.performance_feedback),
            ("measure benchmarks", self.benchmarks),
            ("public reporting", self.public_reporting),
        ]
        got = ", ".join(name for name, flag in names if flag) or "nothing"
        extra = "; becomes MIPS eligible" if self.becomes_mips_eligible else ""
        head = f"{self.choice.value} ({'group' if self.group else 'individual'}): {got}{extra}"
        return "\n".join([head, *(f"  - {reason}" for reason in self.reasons)])


def _guide(rule_id: str, text: str) -> Reason:
    """A reason citing rule ``rule_id`` where the election guide states it."""
    return Reason(rule_id, text, cite(rule_id, GUIDE))


_FLAGS = (
    "final_score", "payment_adjustment", "performance_feedback", "benchmarks",
    "public_reporting", "public_reporting_opt_out", "becomes_mips_eligible",
    "adjusts_every_clinician",
)
"""What an outcome brings; a choice brings none of it unless :func:`_build` says so."""


def _build(choice: Choice, group: bool) -> ElectionOutcome:
    flags = dict.fromkeys(_FLAGS, False)
    if choice is Choice.OPT_IN:
        reasons = [
            _guide(
                "ELE-OUT-1",
                "Opt-in: the participant becomes MIPS eligible and receives a final score and "
                "a payment adjustment (positive, negative or neutral) based on any data "
                "submitted or not submitted, performance feedback, its data in measure "
                "benchmarks, and public reporting on Physician Compare.",
            )
        ]
        if group:
            reasons.append(
                _guide(
                    "ELE-OUT-2",
                    "A group opt-in gives every MIPS eligible clinician in the practice the "
                    "payment adjustment based on the group's performance.",
                )
            )
        flags.update(
            final_score=True, payment_adjustment=True, performance_feedback=True,
            benchmarks=True, public_reporting=True, becomes_mips_eligible=True,
            adjusts_every_clinician=group,
        )
    elif choice is Choice.VOLUNTARY:
        reasons = [
            _guide(
                "ELE-OUT-1",
                "Report voluntarily: performance feedback and public reporting on Physician "
                "Compare (unless the participant opts out during the preview period); no "
                "payment adjustment, and its data stay out of measure benchmarks.",
            )
        ]
        if group:
            reasons.append(
                _guide(
                    "ELE-OUT-2",
                    "A group's voluntary report gives the practice a MIPS final score from its "
                    "group submission, but no payment adjustment to its clinicians.",
                )
            )
        else:
            reasons.append(
                _guide(
                    "ELE-OUT-1",
                    "An individual's voluntary report brings feedback 'for informational "
                    "purposes only': no final score (inference; the guide does not say).",
                )
            )
        flags.update(
            final_score=group, performance_feedback=True, public_reporting=True,
            public_reporting_opt_out=True,
        )
    else:
        reasons = [
            _guide(
                "ELE-CHOICE-1",
                "No decision: nothing is recorded and the participant stays MIPS exempt; it "
                "can still elect later inside the window (inference).",
            ),
            _guide(
                "ELE-OUT-1",
                "No decision brings no final score, payment adjustment, feedback, benchmark "
                "use or public reporting (inference).",
            ),
        ]
    return ElectionOutcome(choice=choice, group=group, reasons=tuple(reasons), **flags)


def outcome_of(
    choice: Choice, *, group: bool = False, policy: PolicyYear | None = None
) -> ElectionOutcome:
    """What ``choice`` brings to an individual clinician or (``group=True``) a practice
    (ELE-OUT-1, ELE-OUT-2). Given ``policy``, the outcome also carries the year's payment
    year and public-reporting preview period.

    >>> import qpp_rules as qr
    >>> o = outcome_of(Choice.VOLUNTARY, policy=qr.policy_for(2019))
    >>> o.final_score, o.public_reporting_preview_days, o.payment_year
    (False, 30, None)
    >>> outcome_of(Choice.OPT_IN, group=True, policy=qr.policy_for(2019)).payment_year
    2021
    """
    if not isinstance(choice, Choice):
        raise InvalidInput("choice", f"a Choice; got {shown(choice)}")
    if not isinstance(group, bool):
        raise InvalidInput("group", f"True or False; got {shown(group)}")
    base: ElectionOutcome = SHARED.answer((_build, choice, group), lambda: _build(choice, group))
    if policy is None:
        return base
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear or None; got {type(policy).__name__}")
    key = (outcome_of, choice, group)
    cached: ElectionOutcome | None = policy.answers.get(key)
    if cached is not None:
        return cached
    days = policy.election.public_reporting_preview_days  # None: written as unknown
    reasons = base.reasons
    if base.public_reporting_opt_out:
        reasons = (
            *reasons,
            Reason(
                "ELE-OUT-1",
                f"The public-reporting opt-out is made during the {days}-day preview period "
                f"(late {policy.year + 1}).",
                policy.cite("election.public_reporting_preview_days"),
            ),
        )
    if base.payment_adjustment:
        reasons = (
            *reasons,
            Reason(
                "ELE-OUT-1",
                f"PY{policy.year} data bring the payment adjustment in {policy.payment_year}.",
                policy.cite("election.payment_year_offset"),
            ),
        )
    result = attrs.evolve(
        base,
        reasons=reasons,
        public_reporting_preview_days=days if base.public_reporting else None,
        payment_year=policy.payment_year if base.payment_adjustment else None,
    )
    return policy.answers.put(key, result)


Score = int | float | Decimal
"""A final score as a caller holds it."""

_FINAL_SCORE_POINTS = 100
"""A MIPS final score is "Out of 100 Points" (ELECTION-GUIDE-2019, Registry Election Process
step 8): 0 to 100, the same every year, so a module constant rather than a policy value."""


def _score(value: object, field: str) -> Decimal | None:
    """The score as an exact Decimal (a float's exact binary value), for comparing."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidInput(field, f"a score (int, float or Decimal) or None; got "
                                  f"{type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidInput(field, f"a finite score; got {value}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidInput(field, f"a finite score; got {value}")
    exact = value if isinstance(value, Decimal) else Decimal(value)
    if not 0 <= exact <= _FINAL_SCORE_POINTS:
        raise InvalidInput(
            field,
            f"a final score from 0 to {_FINAL_SCORE_POINTS} (out of {_FINAL_SCORE_POINTS} "
            f"points); got {shown(value, 40)}",
        )
    return exact


def effective_final_score(individual: Score | None, group: Score | None) -> Score | None:
    """ELE-OUT-3: when a practice opts in as a group and a clinician in it opts in as an
    individual, the clinician gets the higher of the two final scores (and the payment
    adjustment that goes with it). Returns the higher score as given (int, float or
    Decimal, compared exactly); None stands for a score the clinician does not have, so
    the other one counts; a tie returns the individual score. A final score is out of 100
    points: a score below 0 or above 100 (or NaN, infinite, a bool) raises ``InvalidInput``
    naming the argument (``individual`` or ``group``).

    >>> from decimal import Decimal
    >>> effective_final_score(68.9, Decimal("70"))
    Decimal('70')
    >>> effective_final_score(None, 55)
    55
    >>> effective_final_score(-5, 200)
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: individual: a final score from 0 to 100 (out of 100 points); \
got -5
    """
    mine = _score(individual, "individual")
    theirs = _score(group, "group")
    if mine is None or theirs is None:
        return group if mine is None else individual
    return group if theirs > mine else individual


def individual_election_needed(
    status: OptInStatus,
    *,
    submits_individual_data: bool,
    practice_reports_as_group: bool = False,
) -> Decision:
    """Whether a clinician needs an individual election (allowed = needed): only when the
    clinician is opt-in eligible as an individual (ELE-BATCH-2) and also submits individual
    data (ELE-WHO-2); a practice reporting as a group needs no individual elections, and
    nobody has to elect (ELE-CHOICE-1).

    >>> d = individual_election_needed(OptInStatus.OPT_IN_ELIGIBLE,
    ...                                submits_individual_data=False,
    ...                                practice_reports_as_group=True)
    >>> bool(d), d.rule_ids
    (False, ('ELE-WHO-2',))
    """
    if not isinstance(status, OptInStatus):
        raise InvalidInput("status", f"an OptInStatus; got {shown(status)}")
    for name, flag in (
        ("submits_individual_data", submits_individual_data),
        ("practice_reports_as_group", practice_reports_as_group),
    ):
        if not isinstance(flag, bool):
            raise InvalidInput(name, f"True or False; got {shown(flag)}")
    key = (individual_election_needed, status, submits_individual_data,
           practice_reports_as_group)
    decision: Decision = SHARED.answer(
        key, lambda: _needed(status, submits_individual_data, practice_reports_as_group)
    )
    return decision


def _needed(status: OptInStatus, submits_individual_data: bool,
            practice_reports_as_group: bool) -> Decision:
    if status is not OptInStatus.OPT_IN_ELIGIBLE:
        word = "MIPS eligible: it reports" if status is OptInStatus.MIPS_ELIGIBLE else (
            "MIPS exempt with no option to opt in"
        )
        decision = Decision.refuse(
            _guide(
                "ELE-BATCH-2",
                f"Only an opt-in eligible clinician elects; this one is {word}, no election.",
            )
        )
    elif not submits_individual_data:
        if practice_reports_as_group:
            why = _guide(
                "ELE-WHO-2",
                "The practice reports as a group and the clinician submits no individual "
                "data: no individual election is needed.",
            )
        else:
            why = _guide(
                "ELE-CHOICE-1",
                "A clinician that does not want to submit data does not have to elect; it "
                "stays MIPS exempt.",
            )
        decision = Decision.refuse(why)
    else:
        decision = Decision.allow(
            _guide(
                "ELE-WHO-2",
                "The clinician is opt-in eligible and submits individual data: an individual "
                "election (Opt-in or Report voluntarily) must be confirmed before any data "
                "can be submitted.",
            )
        )
    return decision
