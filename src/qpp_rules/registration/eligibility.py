"""Who may register for what (REG-ELIG-*), and what an organization holds without
registering (REG-AUTO-1, REG-AUTO-2, REG-ELIG-4).

Every number and switch comes from the year's ``policy.registration`` table. Each explained
answer is computed once per distinct tuple of the facts it reads (organization type, size
band, SSP ACO, SSP ACO participant, split-TIN count, WI submitted last year) and per policy,
then shared through ``policy.memo()``: answers are immutable.

>>> import qpp_rules as qr
>>> from qpp_rules.registration import Organization, options
>>> vg = Organization(qr.OrgType.VIRTUAL_GROUP, qr.SizeBand.LARGE)
>>> print(options(vg, qr.policy_for(2018)).web_interface.explain())
refused
  - [REG-ELIG-3] In PY2018 a Virtual Group cannot use the registration system: CMS contacts \
approved virtual groups and registers the interested, eligible ones itself. \
(REG-GUIDE-2018, I 'Who can't register?' [REG-ELIG-3])
>>> bool(options(vg, qr.policy_for(2019)).web_interface)
True
"""

from __future__ import annotations

from qpp_rules.decisions import Decision, Reason
from qpp_rules.errors import InvalidInput, UnknownPolicyValue, shown
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.model import PolicyYear
from qpp_rules.policy.unknown import known, unknown_reason
from qpp_rules.registration._why import check_policy, reason, reason_at
from qpp_rules.registration.model import Options, Organization
from qpp_rules.vocabulary import OrgType, Program, SizeBand

__all__ = [
    "automatic_registrations",
    "band_allows",
    "cahps_required",
    "minimum_clinicians",
    "options",
    "registration_needed",
]

_Facts = tuple[OrgType, SizeBand, bool, bool, int | None, bool, int | None]

_PLURAL = {
    OrgType.PRACTICE: "practices (groups)",
    OrgType.VIRTUAL_GROUP: "virtual groups",
    OrgType.APM_ENTITY: "APM Entities",
    OrgType.REGISTRY: "registries",
}
_THRESHOLD = {
    Program.WEB_INTERFACE: ("REG-ELIG-1", "registration.web_interface_min_clinicians"),
    Program.CAHPS: ("REG-ELIG-2", "registration.cahps_min_clinicians"),
}


def minimum_clinicians(program: Program, policy: PolicyYear) -> int:
    """The fewest clinicians the year asks for ``program`` (REG-ELIG-1, REG-ELIG-2).

    >>> import qpp_rules as qr
    >>> minimum_clinicians(qr.Program.WEB_INTERFACE, qr.policy_for(2021))
    25
    """
    policy = check_policy(policy)
    if isinstance(program, Program):
        rule, path = _THRESHOLD[program]
        minimum: int = known(policy, path, rule)
        return minimum
    raise InvalidInput("program", f"a Program; got {shown(program)}")


def band_allows(program: Program, size: SizeBand, policy: PolicyYear) -> bool:
    """Whether every organization in the size band has the clinicians ``program`` needs:
    the band's fewest clinicians reach the year's minimum (REG-ELIG-1/2). A band the minimum
    falls inside (a reform, e.g. WI at 15) does not qualify: only the band is known.

    >>> import qpp_rules as qr
    >>> p = qr.policy_for(2019)
    >>> band_allows(qr.Program.WEB_INTERFACE, qr.SizeBand.SMALL, p)
    False
    >>> band_allows(qr.Program.WEB_INTERFACE, qr.SizeBand.MEDIUM, p)
    True
    """
    if not isinstance(size, SizeBand):
        raise InvalidInput("size", f"a SizeBand; got {type(size).__name__}")
    return size.minimum >= minimum_clinicians(program, policy)


def _check_org(org: object) -> Organization:
    if not isinstance(org, Organization):
        raise InvalidInput(
            "organization", f"an Organization; got {type(org).__name__}"
        )
    return org


def _facts(org: Organization) -> _Facts:
    return (
        org.kind,
        org.size,
        org.is_ssp_aco,
        org.ssp_aco_participant,
        org.split_tin_mips_clinicians,
        org.submitted_web_interface_prior_year,
        org.clinicians,
    )


def options(org: Organization, policy: PolicyYear) -> Options:
    """What ``org`` may hold in ``policy``'s year: an explained Decision for the CMS Web
    Interface and one for the CAHPS for MIPS Survey. Every yes and every no carries its
    reasons (rule ID, sentence, citation). An automatic registration (a PY2021 Shared
    Savings Program ACO) answers yes citing REG-ELIG-4.

    >>> import qpp_rules as qr
    >>> from qpp_rules.registration import Organization
    >>> group = Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM)
    >>> print(options(group, qr.policy_for(2019)).web_interface.explain())
    allowed
      - [REG-ELIG-3] In PY2019 practices (groups) and virtual groups may register for the \
CMS Web Interface. (REG-GUIDE-2019, I 'Who needs to register?', 'Who can't register?' \
[REG-ELIG-3])
      - [REG-ELIG-1] The CMS Web Interface needs 25 or more clinicians: the size band 25-99 \
qualifies. (REG-GUIDE-2019, II; IV steps 1-2 [REG-ELIG-1])
    """
    if type(org) is Organization and type(policy) is PolicyYear:  # the hot path
        hit: Options | None = policy._memo.get(org._facts)
        if hit is not None:
            return hit
    policy = check_policy(policy)
    facts = _facts(_check_org(org))
    memo = policy.memo()
    key = org._facts
    found: Options | None = memo.get(key)
    if found is None:
        found = Options(
            _explain(Program.WEB_INTERFACE, facts, policy),
            _explain(Program.CAHPS, facts, policy),
        )
        memo[key] = found
    return found


def _explain(program: Program, facts: _Facts, policy: PolicyYear) -> Decision:
    """The decision, or a refusal where the year does not offer the program or does not
    know a value the decision needs (``known``)."""
    ended = _not_offered(program, facts, policy)
    if ended is not None:
        return ended
    try:
        return _explain_known(program, facts, policy)
    except UnknownPolicyValue as missing:
        return Decision.refuse(unknown_reason(policy, missing.path, missing.rule))


def _not_offered(program: Program, facts: _Facts, policy: PolicyYear) -> Decision | None:
    """REG-END-1: a year without the CMS Web Interface offers it to nobody, automatic
    registrations included; REG-ELIG-3: a year whose registration offers a program to no
    organization type (PY2023-PY2025 for the CMS Web Interface) refuses every
    registration, where no automatic registration can apply (REG-END-2: from PY2023
    registration is for the CAHPS for MIPS Survey only)."""
    kind, ssp_aco = facts[0], facts[2]
    if program is Program.WEB_INTERFACE:
        try:
            offered = known(policy, "registration.web_interface_offered", "REG-END-1")
        except UnknownPolicyValue as missing:
            return Decision.refuse(unknown_reason(policy, missing.path, missing.rule))
        if not offered:
            return Decision.refuse(reason_at(
                policy, "REG-END-1",
                f"The CMS Web Interface is not offered in PY{policy.year}: no organization "
                "may register for it or is automatically registered for it.",
                "registration.web_interface_offered",
            ))
    if (policy.registration.may_register or FrozenMap()).get(program) == frozenset() \
            and not ssp_aco:
        return Decision.refuse(reason_at(
            policy, "REG-ELIG-3",
            f"In PY{policy.year} no organization registers for the {program.value}; a "
            f"{kind.value} may not.",
            "registration.may_register",
        ))
    return None


def _explain_known(program: Program, facts: _Facts, policy: PolicyYear) -> Decision:
    kind, size, ssp_aco, participant, split, submitted, count = facts
    table = policy.registration
    year = policy.year
    yes: list[Reason] = []
    no: list[Reason] = []
    name = program.value

    # REG-ELIG-3 / REG-ELIG-4: which organization types, by year.
    automatic = ssp_aco and program in known(
        policy, "registration.ssp_aco_automatic", "REG-ELIG-4")
    if kind is OrgType.REGISTRY:
        no.append(reason_at(
            policy, "REG-ELIG-3",
            f"Registries never register for the {name}: no guide offers it and the access "
            "guide gives registries no registration right (inference).",
            "registration.may_register",
        ))
    elif kind in known(policy, "registration.registered_by_cms", "REG-ELIG-3"):
        no.append(reason_at(
            policy, "REG-ELIG-3",
            f"In PY{year} a {kind.value} cannot use the registration system: CMS contacts "
            f"approved {_PLURAL[kind]} and registers the interested, eligible ones itself.",
            "registration.registered_by_cms",
        ))
    elif automatic:
        why = (
            "they must meet the APM Performance Pathway's requirements but need not report "
            "quality through it"
            if program is Program.WEB_INTERFACE
            else "they are required to report through the APM Performance Pathway"
        )
        yes.append(reason_at(
            policy, "REG-ELIG-4",
            f"In PY{year} Shared Savings Program ACOs are automatically registered for the "
            f"{name}: {why}.",
            "registration.ssp_aco_automatic",
        ))
    elif kind not in known(policy, f"registration.may_register.{program.value}", "REG-ELIG-3"):
        if kind is OrgType.APM_ENTITY:
            text = (
                f"In PY{year} APM Entities cannot register for the {name}: the registration "
                "system does not allow registrations at the APM Entity (primary TIN) level; "
                "their models already require the CMS Web Interface."
            )
        else:
            text = f"In PY{year} a {kind.value} may not register for the {name}."
        no.append(reason_at(policy, "REG-ELIG-3", text, "registration.may_register"))
    else:
        allowed = [k for k in OrgType if k in known(
            policy, f"registration.may_register.{program.value}", "REG-ELIG-3")]
        who = _join([_PLURAL[k] for k in allowed])
        yes.append(reason_at(
            policy, "REG-ELIG-3",
            f"In PY{year} {who} may register for the {name}.",
            "registration.may_register",
        ))

    # REG-ELIG-1 / REG-ELIG-2: the size band; REG-ELIG-7: a split TIN's own count.
    rule, path = _THRESHOLD[program]
    minimum = minimum_clinicians(program, policy)
    if count is not None:
        enough = count >= minimum
        (yes if enough else no).append(reason_at(
            policy, rule,
            f"The {name} needs {minimum} or more clinicians: {count} "
            + ("qualify." if enough else f"do not, so the {name} is not offered."),
            path,
        ))
    elif size.minimum >= minimum:
        yes.append(reason_at(
            policy, rule,
            f"The {name} needs {minimum} or more clinicians: the size band {size.value} "
            "qualifies.",
            path,
        ))
    else:
        no.append(reason_at(
            policy, rule,
            f"The {name} needs {minimum} or more clinicians: the size band {size.value} does "
            f"not qualify, so the {name} is not offered to it.",
            path,
        ))
    if split is not None:
        if split >= minimum:
            yes.append(reason(
                policy, "REG-ELIG-7",
                f"A split TIN registers only for its MIPS eligible clinicians outside the APM: "
                f"its {split} reach the {minimum} the {name} needs.",
            ))
        else:
            no.append(reason(
                policy, "REG-ELIG-7",
                f"A split TIN registers only for its MIPS eligible clinicians outside the APM: "
                f"its {split} are fewer than the {minimum} the {name} needs.",
            ))

    if no:
        return Decision.refuse(*no)

    # Notes that go with a yes.
    if participant and not known(policy, "registration.ssp_aco_automatic", "REG-ELIG-6"):
        # REG-ELIG-6 holds where SSP ACOs report through WI for their participants (2018,
        # 2019). Where the year registers SSP ACOs automatically (PY2021) they "aren't
        # required to report quality data through the CMS Web Interface", so the note's
        # premise fails and it is not given.
        yes.append(reason(
            policy, "REG-ELIG-6",
            "A Shared Savings Program ACO participant TIN need not register (the ACO reports "
            "through the CMS Web Interface for it) but may register at group level, e.g. when "
            "ending its participation agreement or doubting the ACO will report.",
        ))
    if program is Program.WEB_INTERFACE and submitted and kind in known(
            policy, "registration.web_interface_carry_over", "REG-AUTO-1"):
        yes.append(reason_at(
            policy, "REG-AUTO-1",
            f"It submitted quality data through the CMS Web Interface in {year - 1}, so it is "
            f"automatically registered for PY{year}; it may edit or cancel that registration.",
            "registration.web_interface_carry_over",
        ))
    if (
        program is Program.CAHPS
        and not automatic
        and submitted
        and kind in known(policy, "registration.web_interface_carry_over", "REG-AUTO-2")
    ):
        yes.append(reason(
            policy, "REG-AUTO-2",
            "The CAHPS for MIPS Survey never carries over: an organization automatically "
            "registered for the CMS Web Interface still registers for CAHPS every year it "
            "means to administer the survey.",
        ))
    if program is Program.CAHPS and table.sampling is not None \
            and table.sampling.cahps_vendor_required:  # a note only: skipped when unknown
        yes.append(reason_at(
            policy, "REG-SAMP-3",
            f"A group administering the PY{year} CAHPS for MIPS Survey must contract with a "
            "CMS-approved survey vendor and bears the vendor's cost.",
            "registration.sampling.cahps_vendor_required",
        ))
    return Decision.allow(*yes)


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def automatic_registrations(org: Organization, policy: PolicyYear) -> frozenset[Program]:
    """What ``org`` holds in ``policy``'s year without registering: the CMS Web Interface
    carried over from last year's WI submission for the year's carry-over types
    (REG-AUTO-1), the CAHPS for MIPS Survey never (REG-AUTO-2) except where the year
    registers Shared Savings Program ACOs automatically (REG-ELIG-4, PY2021: both). A
    program is automatic only where :func:`options` allows it (a ``2-24`` band never holds
    the CMS Web Interface).

    >>> import qpp_rules as qr
    >>> from qpp_rules.registration import Organization
    >>> aco = Organization(qr.OrgType.APM_ENTITY, qr.SizeBand.LARGE,
    ...                    apm_model=qr.ApmModel.SHARED_SAVINGS_PROGRAM)
    >>> sorted(p.name for p in automatic_registrations(aco, qr.policy_for(2021)))
    ['CAHPS', 'WEB_INTERFACE']
    >>> automatic_registrations(aco, qr.policy_for(2019))
    frozenset()
    """
    policy = check_policy(policy)
    facts = _facts(_check_org(org))
    memo = policy.memo()
    key = ("registration.automatic", *facts)
    found: frozenset[Program] | None = memo.get(key)
    if found is None:
        kind, _, ssp_aco, _, _, submitted, _ = facts
        table = policy.registration
        allowed = options(org, policy)
        held = set()
        for program in Program:
            if not allowed[program].allowed:  # refused, or refused for an unknown value
                continue
            triggered = ssp_aco and program in (table.ssp_aco_automatic or ())
            if program is Program.WEB_INTERFACE:
                triggered = triggered or (
                    submitted and kind in (table.web_interface_carry_over or ()))
            if triggered:
                held.add(program)
        found = frozenset(held)
        memo[key] = found
    return found


def registration_needed(collection: Program | str, policy: PolicyYear) -> Decision:
    """Whether reporting through ``collection`` needs advance registration: yes for the CMS
    Web Interface and the CAHPS for MIPS Survey; no for every other collection type, e.g.
    those the year names (REG-ELIG-8: PY2018 Qualified Registry, QCDR, EHR; PY2019 eCQMs,
    MIPS CQMs, QCDR measures).

    >>> import qpp_rules as qr
    >>> registration_needed("eCQMs", qr.policy_for(2019)).rule_ids
    ('REG-ELIG-8',)
    >>> bool(registration_needed(qr.Program.CAHPS, qr.policy_for(2019)))
    True
    """
    policy = check_policy(policy)
    if isinstance(collection, str):
        text = " ".join(collection.split())
        matched = [p for p in Program if p.value.lower() == text.lower()]
        if not text:
            raise InvalidInput("collection", "a collection type or a Program; got empty text")
        program = matched[0] if matched else None
    elif isinstance(collection, Program):
        program, text = collection, collection.value
    else:
        raise InvalidInput(
            "collection", f"a collection type (text) or a Program; got {type(collection).__name__}"
        )
    named = policy.registration.no_registration_needed
    if named is None:
        return Decision.refuse(unknown_reason(
            policy, "registration.no_registration_needed", "REG-ELIG-8"))
    if program is not None:
        return Decision.allow(reason_at(
            policy, "REG-ELIG-8",
            f"The {program.value} needs advance registration, unlike the other collection "
            f"types ({_join(list(named))}).",
            "registration.no_registration_needed",
        ))
    known = [item for item in named if item.lower() == text.lower()]
    listed = f" ({known[0]} is one the PY{policy.year} guide names)" if known else ""
    return Decision.refuse(reason_at(
        policy, "REG-ELIG-8",
        f"No registration is needed to report through {text}{listed}: only the CMS Web "
        "Interface and the CAHPS for MIPS Survey need it.",
        "registration.no_registration_needed",
    ))


def cahps_required(org: Organization, policy: PolicyYear, *, through_app: bool = False) -> Decision:
    """REG-ELIG-5: is the CAHPS for MIPS Survey *required* of ``org``? ``allowed`` is True
    when it is required: for the year's kinds that report through the APM Performance
    Pathway (PY2021: groups and APM Entities, ``through_app=True``), and for a Shared Savings
    Program ACO where the year registers SSP ACOs for CAHPS automatically because they are
    required to report through the APP (PY2021, REG-ELIG-4), with or without
    ``through_app``. Otherwise it is optional, and the reason says what it counts for under
    traditional MIPS that year. Computed once per kind, SSP ACO flag, ``through_app`` and
    policy.

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
    memo = policy.memo()
    key = ("registration.cahps_required", org.kind, org.is_ssp_aco, through_app)
    found: Decision | None = memo.get(key)
    if found is None:
        try:
            found = _cahps_required(org.kind, org.is_ssp_aco, through_app, policy)
        except UnknownPolicyValue as missing:
            found = Decision.refuse(unknown_reason(policy, missing.path, missing.rule))
        memo[key] = found
    return found


def _cahps_required(
    kind: OrgType, ssp_aco: bool, through_app: bool, policy: PolicyYear
) -> Decision:
    under_app = known(policy, "registration.cahps_required_under_app", "REG-ELIG-5")
    required_kinds = _join([_PLURAL[k] for k in OrgType if k in under_app])
    if ssp_aco and kind in under_app and Program.CAHPS in known(
            policy, "registration.ssp_aco_automatic", "REG-ELIG-4"):
        return Decision.allow(
            reason_at(
                policy, "REG-ELIG-5",
                f"In PY{policy.year} the CAHPS for MIPS Survey is a required measure for "
                f"{required_kinds} reporting through the APM Performance Pathway.",
                "registration.cahps_required_under_app",
            ),
            reason_at(
                policy, "REG-ELIG-4",
                "Shared Savings Program ACOs are required to report through the APM "
                "Performance Pathway, so they are automatically registered for the CAHPS for "
                "MIPS Survey: it is required of them.",
                "registration.ssp_aco_automatic",
            ),
        )
    if through_app and kind in under_app:
        return Decision.allow(reason_at(
            policy, "REG-ELIG-5",
            f"In PY{policy.year} the CAHPS for MIPS Survey is a required measure for "
            f"{required_kinds} reporting through the APM Performance Pathway.",
            "registration.cahps_required_under_app",
        ))
    credit = known(policy, "registration.cahps_traditional_mips_credit", "REG-ELIG-5")
    counts = f"; it can count as {_join(list(credit))}" if credit else ""
    where = "Under traditional MIPS" if under_app else "In this year"
    return Decision.refuse(reason_at(
        policy, "REG-ELIG-5",
        f"{where} the CAHPS for MIPS Survey is optional in PY{policy.year}{counts}.",
        "registration.cahps_traditional_mips_credit",
    ))
