"""What reporting needs: advance registration for a collection type (REG-ELIG-8), and the
CAHPS for MIPS Survey as a required measure (REG-ELIG-5, REG-ELIG-4, REG-ELIG-10).

Both read the year's ``policy.registration`` table; a year that does not know a value they
need refuses, saying so (POL-UNK-1).

>>> import qpp_rules as qr
>>> registration_needed("eCQMs", qr.policy_for(2019)).rule_ids
('REG-ELIG-8',)
"""

from __future__ import annotations

from qpp_rules.decisions import Decision
from qpp_rules.errors import InvalidInput, UnknownPolicyValue, shown
from qpp_rules.policy.model import PolicyYear
from qpp_rules.policy.unknown import known, unknown_reason
from qpp_rules.registration.eligibility import (
    _PLURAL,
    _check_org,
    _join,
    _no_app,
    check_policy,
    reason,
)
from qpp_rules.registration.values import CollectionType, Organization
from qpp_rules.vocabulary import OrgType, Program, ReportingTrack

__all__ = ["cahps_required", "registration_needed"]


def registration_needed(
    collection: CollectionType | Program | str, policy: PolicyYear
) -> Decision:
    """Whether reporting through ``collection`` needs advance registration: yes for the CMS
    Web Interface and the CAHPS for MIPS Survey (under any of the guides' names for it:
    "CAHPS for MIPS Survey", "CAHPS Survey", "CAHPS"); no for every other collection type
    (REG-ELIG-8: PY2018 Qualified Registry, QCDR, EHR; PY2019 eCQMs, MIPS CQMs, QCDR
    measures). ``collection`` is a :class:`~qpp_rules.registration.CollectionType`, a
    Program, or text naming one (or one the year's table names); other text is InvalidInput.

    >>> import qpp_rules as qr
    >>> registration_needed("eCQMs", qr.policy_for(2019)).rule_ids
    ('REG-ELIG-8',)
    >>> bool(registration_needed("CAHPS Survey", qr.policy_for(2019)))
    True
    """
    policy = check_policy(policy)
    named = policy.registration.no_registration_needed
    if named is None:
        return Decision.refuse(unknown_reason(
            policy, "registration.no_registration_needed", "REG-ELIG-8"))
    if isinstance(collection, str):
        text = " ".join(collection.split())
        try:
            kind = CollectionType.parse(text)
        except InvalidInput:  # text only the year's table names (a reform, a plug-in year)
            listed = [item for item in named if item.casefold() == text.casefold()]
            if not listed:
                raise
            return _not_needed(policy, listed[0], listed[0])
    else:
        kind = CollectionType.parse(collection)
    program = kind.program
    if program is not None:
        return Decision.allow(reason(
            policy, "REG-ELIG-8",
            f"The {program.value} needs advance registration, unlike the other collection "
            f"types ({_join(list(named))}).",
            "registration.no_registration_needed",
        ))
    names = [item for item in named if item.casefold() == kind.value.casefold()]
    return _not_needed(policy, kind.value, names[0] if names else None)


def _not_needed(policy: PolicyYear, text: str, listed: str | None) -> Decision:
    also = f" ({listed} is one the PY{policy.year} guide names)" if listed else ""
    return Decision.refuse(reason(
        policy, "REG-ELIG-8",
        f"No registration is needed to report through {text}{also}: only the CMS Web "
        "Interface and the CAHPS for MIPS Survey need it.",
        "registration.no_registration_needed",
    ))


def cahps_required(org: Organization, policy: PolicyYear, *, through_app: bool = False) -> Decision:
    """REG-ELIG-5: is the CAHPS for MIPS Survey *required* of ``org``? ``allowed`` is True
    when it is required: for the year's kinds that report through the APM Performance
    Pathway (PY2021: groups and APM Entities whose ``reporting_track`` is
    ``ReportingTrack.APP``, or ``through_app=True``, REG-ELIG-10), and for a Shared Savings
    Program ACO where the year registers SSP ACOs for CAHPS automatically because they are
    required to report through the APP (PY2021, REG-ELIG-4), with or without
    ``through_app``. Otherwise it is optional, and the reason says what it counts for under
    traditional MIPS that year. Before PY2021 there is no APP: the APP track adds a
    REG-ELIG-10 reason saying so. Computed once per kind, SSP ACO flag, track and policy.

    >>> import qpp_rules as qr
    >>> from qpp_rules.registration import Organization
    >>> aco = Organization(qr.OrgType.APM_ENTITY, qr.SizeBand.LARGE)
    >>> bool(cahps_required(aco, qr.policy_for(2021), through_app=True))
    True
    >>> print(cahps_required(aco, qr.policy_for(2021)).reasons[0].message)
    Under traditional MIPS the CAHPS for MIPS Survey is optional in PY2021; it can count as 1 \
of the 6 required quality measures and an improvement activity.
    >>> ssp = Organization(qr.OrgType.APM_ENTITY, qr.SizeBand.LARGE,
    ...                    apm_model=qr.ApmModel.SHARED_SAVINGS_PROGRAM)
    >>> cahps_required(ssp, qr.policy_for(2021)).rule_ids
    ('REG-ELIG-5', 'REG-ELIG-4')
    """
    policy = check_policy(policy)
    org = _check_org(org)
    if not isinstance(through_app, bool):
        raise InvalidInput("through_app", f"True or False; got {shown(through_app)}")
    through_app = through_app or org.reporting_track is ReportingTrack.APP
    return policy.answers.answer(
        (_cahps_required, org.kind, org.is_ssp_aco, through_app),
        lambda: _cahps_or_unknown(org.kind, org.is_ssp_aco, through_app, policy),
    )


def _cahps_or_unknown(
    kind: OrgType, ssp_aco: bool, through_app: bool, policy: PolicyYear
) -> Decision:
    try:
        return _cahps_required(kind, ssp_aco, through_app, policy)
    except UnknownPolicyValue as missing:
        return Decision.refuse(unknown_reason(policy, missing.path, missing.rule))


def _cahps_required(
    kind: OrgType, ssp_aco: bool, through_app: bool, policy: PolicyYear
) -> Decision:
    under_app = known(policy, "registration.cahps_required_under_app", "REG-ELIG-5")
    required_kinds = _join([_PLURAL[k] for k in OrgType if k in under_app])
    if ssp_aco and kind in under_app and Program.CAHPS in known(
            policy, "registration.ssp_aco_automatic", "REG-ELIG-4"):
        return Decision.allow(
            reason(
                policy, "REG-ELIG-5",
                f"In PY{policy.year} the CAHPS for MIPS Survey is a required measure for "
                f"{required_kinds} reporting through the APM Performance Pathway.",
                "registration.cahps_required_under_app",
            ),
            reason(
                policy, "REG-ELIG-4",
                "Shared Savings Program ACOs are required to report through the APM "
                "Performance Pathway, so they are automatically registered for the CAHPS for "
                "MIPS Survey: it is required of them.",
                "registration.ssp_aco_automatic",
            ),
        )
    if through_app and kind in under_app:
        return Decision.allow(reason(
            policy, "REG-ELIG-5",
            f"In PY{policy.year} the CAHPS for MIPS Survey is a required measure for "
            f"{required_kinds} reporting through the APM Performance Pathway.",
            "registration.cahps_required_under_app",
        ))
    credit = known(policy, "registration.cahps_traditional_mips_credit", "REG-ELIG-5")
    counts = f"; it can count as {_join(list(credit))}" if credit else ""
    where = "Under traditional MIPS" if under_app else "In this year"
    optional = reason(
        policy, "REG-ELIG-5",
        f"{where} the CAHPS for MIPS Survey is optional in PY{policy.year}{counts}.",
        "registration.cahps_traditional_mips_credit",
    )
    if through_app and not under_app:
        return Decision.refuse(optional, _no_app(policy))
    return Decision.refuse(optional)
