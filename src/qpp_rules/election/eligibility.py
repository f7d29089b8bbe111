"""ELE-ELIG-1: opt-in eligibility against the year's low-volume threshold.

A clinician (TIN/NPI) or group (TIN) that strictly *exceeds* every element of the year's
threshold is MIPS eligible (required to report, no election); one that exceeds none is
exempt; one that exceeds some but not all is opt-in eligible, in a year with opt-in
(``policy.election.opt_in``). In a year without opt-in (PY2018, whose threshold has two
elements) the answer is MIPS eligible or exempt, never opt-in eligible. The numbers come from
``policy.election.low_volume``; none is written here.

The explained answer is computed once per policy and per tuple of exceeded flags (at most
eight of them), then shared.

>>> from decimal import Decimal
>>> import qpp_rules as qr
>>> from qpp_rules.election import LowVolumeFacts, opt_in_status
>>> screen = LowVolumeFacts(allowed_charges=Decimal("90300"), patients=150, covered_services=234)
>>> opt_in_status(screen, qr.policy_for(2019))
<OptInStatus.OPT_IN_ELIGIBLE: 'Opt-in eligible'>
"""

from __future__ import annotations

from qpp_rules.decisions import Decision, Reason
from qpp_rules.election.model import LowVolumeFacts, OptInStatus, element_label
from qpp_rules.errors import InvalidInput, UnknownPolicyValue
from qpp_rules.policy.model import LowVolumeThreshold, PolicyYear
from qpp_rules.policy.unknown import known, unknown_reason

__all__ = ["explain_missing_facts", "explain_opt_in", "opt_in_status"]


def _check(facts: object, policy: object) -> tuple[LowVolumeFacts, PolicyYear]:
    if not isinstance(facts, LowVolumeFacts):
        raise InvalidInput("facts", f"a LowVolumeFacts; got {type(facts).__name__}")
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    return facts, policy


def _limit(threshold: LowVolumeThreshold, name: str) -> str:
    if name == "allowed_charges":
        return f"${threshold.allowed_charges:,}"
    return f"{getattr(threshold, name)}"


def _answer(flags: tuple[bool, ...], policy: PolicyYear) -> tuple[OptInStatus, Decision]:
    key = (_answer, flags)
    cached: tuple[OptInStatus, Decision] | None = policy.answers.get(key)
    if cached is not None:
        return cached
    threshold: LowVolumeThreshold = known(policy, "election.low_volume", "ELE-ELIG-1")
    names = threshold.elements
    citation = policy.cite("election.low_volume")
    parts = [
        f"{element_label(name)} {'exceed' if flag else 'do not exceed'} "
        f"{_limit(threshold, name)}"
        for name, flag in zip(names, flags, strict=True)
    ]
    count = sum(flags)
    summary = f"PY{policy.year}: {'; '.join(parts)} ({count} of {len(names)} elements exceeded)"
    if count == len(names):
        status = OptInStatus.MIPS_ELIGIBLE
        verdict = "every element exceeded: MIPS eligible, required to report, no election"
    elif count == 0:
        status = OptInStatus.EXEMPT
        verdict = "no element exceeded: MIPS exempt, with no option to opt in"
    elif known(policy, "election.opt_in", "ELE-ELIG-1"):
        status = OptInStatus.OPT_IN_ELIGIBLE
        verdict = (
            "exceeding one or two elements, but not all, makes it opt-in eligible: it may "
            "opt in, report voluntarily, or do nothing"
        )
    else:
        status = OptInStatus.EXEMPT
        verdict = (
            f"not every element exceeded: MIPS exempt (PY{policy.year} has no opt-in, "
            "so never opt-in eligible)"
        )
    reasons = [Reason("ELE-ELIG-1", f"{summary}: {verdict}.", citation)]
    if not policy.election.opt_in and 0 < count < len(names):
        reasons.append(
            Reason(
                "ELE-ELIG-1",
                f"Opt-in first exists in PY2019; PY{policy.year} answers exempt or MIPS "
                "eligible.",
                policy.cite("election.opt_in"),
            )
        )
    decision = Decision(status is OptInStatus.OPT_IN_ELIGIBLE, tuple(reasons))
    return policy.answers.put(key, (status, decision))


def opt_in_status(facts: LowVolumeFacts, policy: PolicyYear) -> OptInStatus:
    """Where ``facts`` stand under ``policy``'s low-volume threshold (ELE-ELIG-1; the later
    years' thresholds, ELE-ELIG-2). A year that does not know its threshold raises
    :class:`~qpp_rules.errors.UnknownPolicyValue` (POL-UNK-1).

    >>> from decimal import Decimal
    >>> import qpp_rules as qr
    >>> at_the_line = LowVolumeFacts(Decimal("90000"), 200, 200)
    >>> opt_in_status(at_the_line, qr.policy_for(2019))
    <OptInStatus.EXEMPT: 'MIPS exempt'>
    >>> one_cent_over = LowVolumeFacts(Decimal("90000.01"), 200, 200)
    >>> opt_in_status(one_cent_over, qr.policy_for(2019))
    <OptInStatus.OPT_IN_ELIGIBLE: 'Opt-in eligible'>
    >>> opt_in_status(one_cent_over, qr.policy_for(2018))
    <OptInStatus.EXEMPT: 'MIPS exempt'>
    """
    if type(facts) is LowVolumeFacts and type(policy) is PolicyYear:  # the hot path
        threshold = policy.election.low_volume
        if threshold is None:  # not known for the year (POL-UNK-1)
            raise UnknownPolicyValue(policy.year, "election.low_volume", "ELE-ELIG-1")
        services, limit = facts.covered_services, threshold.covered_services
        if facts.exceeded is None and services is not None and limit is not None:
            flags: tuple[bool, ...] = (
                facts.allowed_charges > threshold.allowed_charges,  # type: ignore[operator]
                facts.patients > threshold.patients,  # type: ignore[operator]
                services > limit,
            )
        else:
            flags = facts.exceeds(threshold)
        found: tuple[OptInStatus, Decision] | None = policy._answers.get((_answer, flags))
        return (found or _answer(flags, policy))[0]
    checked, year = _check(facts, policy)
    return _answer(checked.exceeds(known(year, "election.low_volume", "ELE-ELIG-1")), year)[0]


def explain_opt_in(facts: LowVolumeFacts, policy: PolicyYear) -> Decision:
    """The Decision behind :func:`opt_in_status`: may the participant elect to opt in (or
    report voluntarily)? Allowed when opt-in eligible; refused when exempt (no option) or
    MIPS eligible (required to report, no election), with the element-by-element reason
    (ELE-ELIG-1).

    >>> from decimal import Decimal
    >>> import qpp_rules as qr
    >>> d = explain_opt_in(LowVolumeFacts(Decimal("90300"), 150, 234), qr.policy_for(2019))
    >>> print(d.reasons[0].message)
    PY2019: allowed charges exceed $90,000; Part B patients do not exceed 200; covered \
professional services exceed 200 (2 of 3 elements exceeded): exceeding one or two elements, \
but not all, makes it opt-in eligible: it may opt in, report voluntarily, or do nothing.
    """
    checked, year = _check(facts, policy)
    try:
        return _answer(checked.exceeds(known(year, "election.low_volume", "ELE-ELIG-1")),
                       year)[1]
    except UnknownPolicyValue as missing:  # the year does not know its threshold or opt-in
        return Decision.refuse(unknown_reason(year, missing.path, missing.rule))


def explain_missing_facts(policy: PolicyYear) -> Decision:
    """The Decision for a participant some of whose low-volume amounts are not known: the
    opt-in status is unknown, since ELE-ELIG-1 compares every element of the threshold.

    >>> import qpp_rules as qr
    >>> print(explain_missing_facts(qr.policy_for(2019)).reasons[0])
    [ELE-ELIG-1] A low-volume fact is missing, so the opt-in status is unknown. (external: \
CMS 2019 notices; 42 CFR 414.1310(b)(1)(iii), low-volume threshold [ELE-ELIG-1])
    """
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    return Decision.refuse(Reason(
        "ELE-ELIG-1", "A low-volume fact is missing, so the opt-in status is unknown.",
        policy.cite("election.low_volume"),
    ))
