"""Who may register for what (REG-ELIG-*), and what an organization holds without
registering (REG-AUTO-1, REG-AUTO-2, REG-ELIG-4).

Every number and switch comes from the year's ``policy.registration`` table. Each explained
answer is computed once per distinct tuple of the facts it reads (organization type, size
band, SSP ACO, SSP ACO participant, split-TIN count, WI submitted last year) and per policy,
then shared through ``policy.answers`` (the one bounded answer cache): answers are immutable.

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

import attrs

from qpp_rules.decisions import Decision, Reason
from qpp_rules.errors import InvalidInput, UnknownPolicyValue, shown
from qpp_rules.kernel.citations import Citation, rule
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.model import PolicyYear
from qpp_rules.policy.unknown import known, unknown_reason
from qpp_rules.registration.values import Options, Organization
from qpp_rules.vocabulary import ApmModel, OrgType, Program, ReportingTrack, SizeBand

__all__ = [
    "automatic_registrations",
    "band_allows",
    "check_policy",
    "has_app",
    "minimum_clinicians",
    "options",
    "reason",
    "too_few_clinicians",
]

_Facts = tuple[OrgType, SizeBand, bool, bool, int | None, bool, int | None, ReportingTrack]

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


# -- citing -----------------------------------------------------------------------------------
def check_policy(policy: object) -> PolicyYear:
    """``policy`` if it is a PolicyYear, else InvalidInput naming the field."""
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear (qpp_rules.policy_for(year)); got "
                           f"{type(policy).__name__}")
    return policy


def reason(policy: PolicyYear, rule_id: str, message: str, path: str | None = None) -> Reason:
    """A reason of a registration decision: cited by the policy value at ``path`` where the
    rule reads one, else by the rule catalogue's entry for the year's registration guide
    (with the guide's own sentence); in a year no guide covers (its values come from other
    public sources), by the latest guide that states the rule, saying no guide covers the
    year.

    >>> import qpp_rules as qr
    >>> why = reason(qr.policy_for(2021), "REG-REC-7", "Confirm.")
    >>> str(why.citation), why.citation.quote[:30]
    ('REG-GUIDE-2021, VII step 2 [REG-REC-7]', 'Once you select Cancel Registr')
    >>> str(reason(qr.policy_for(2021), "REG-ELIG-7", "Split.").citation)[:39]
    "REG-GUIDE-2019, I 'Groups with clinicia"
    >>> reason(qr.policy_for(2024), "REG-REC-7", "Confirm.").citation.section
    'VII step 2 (a rule of the guides; no PY2024 guide: inference)'
    """
    if path is not None:
        return Reason(rule_id, message, policy.cite(path))
    window = policy.citations.get("registration.window")
    if window is not None and window.authority == "guide":
        return Reason(rule_id, message, _cited(rule_id, window.source))
    base = rule(rule_id).citation(None)
    if base.source == "spec/RULES.md":
        return Reason(rule_id, message, base)
    latest = [c for c in rule(rule_id).sources if c.authority == "guide"] or [base]
    return Reason(rule_id, message, attrs.evolve(
        latest[-1], section=f"{latest[-1].section} (a rule of the guides; no PY{policy.year} "
        "guide: inference)",
    ))


def _cited(rule_id: str, source: str) -> Citation:
    """Where the guide ``source`` states ``rule_id``; for a guide that has no such section,
    the latest earlier guide that has, saying it is carried forward (inference, e.g.
    REG-ELIG-7 in PY2021)."""
    sources = rule(rule_id).sources
    for citation in sources:
        if citation.source == source:
            return citation
    earlier = [c for c in sources if c.source < source] or list(sources)
    if not earlier:
        return rule(rule_id).citation()
    base = earlier[-1]
    return attrs.evolve(
        base, section=f"{base.section} (carried forward to {source}, which has no such "
        "section: inference)",
    )


# -- who may hold what --------------------------------------------------------------------------
def minimum_clinicians(program: Program, policy: PolicyYear) -> int:
    """The fewest clinicians the year asks for ``program`` (REG-ELIG-1, REG-ELIG-2).

    >>> import qpp_rules as qr
    >>> minimum_clinicians(qr.Program.WEB_INTERFACE, qr.policy_for(2021))
    25
    """
    policy = check_policy(policy)
    if isinstance(program, Program):
        rule_id, path = _THRESHOLD[program]
        minimum: int = known(policy, path, rule_id)
        return minimum
    raise InvalidInput("program", f"a Program; got {shown(program)}")


def too_few_clinicians(clinicians: int, policy: PolicyYear) -> Decision | None:
    """The refusal for a count of clinicians that makes no group: fewer than 2 is the least
    any program asks (REG-ELIG-2, CAHPS needs 2 or more in every band, and the Web Interface
    more), so neither program may be registered; None for 2 or more.

    >>> import qpp_rules as qr
    >>> print(too_few_clinicians(1, qr.policy_for(2021)).reasons[0].message)
    Fewer than 2 clinicians: no group registers for either program.
    >>> too_few_clinicians(2, qr.policy_for(2021)) is None
    True
    """
    if isinstance(clinicians, bool) or not isinstance(clinicians, int):
        raise InvalidInput("clinicians", f"a whole number; got {shown(clinicians)}")
    check_policy(policy)
    if clinicians >= 2:
        return None
    return Decision.refuse(reason(
        policy, "REG-ELIG-2", "Fewer than 2 clinicians: no group registers for either program."
    ))


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
        org.reporting_track,
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
    if type(org) is Organization and type(policy) is PolicyYear:  # the hot path: _key inline
        kind = org.kind
        hit: Options | None = policy._answers.get((  # the slot: no property call
            options, kind._value_, org.size._value_, kind is _APM_ENTITY and org.apm_model is _SSP,
            org.ssp_aco_participant, org.split_tin_mips_clinicians,
            org.submitted_web_interface_prior_year, org.clinicians, org.reporting_track._value_,
        ))
        if hit is not None:
            return hit
    policy = check_policy(policy)
    key = _key(_check_org(org))
    facts = _facts(org)
    return policy.answers.answer(
        key,
        lambda: Options(
            _explain(Program.WEB_INTERFACE, facts, policy),
            _explain(Program.CAHPS, facts, policy),
        ),
    )


_SSP = ApmModel.SHARED_SAVINGS_PROGRAM
_APM_ENTITY = OrgType.APM_ENTITY


def _key(org: Organization) -> tuple[object, ...]:
    """The answer cache's key of :func:`options`: the rule and the facts it reads, as cheaply
    hashed values (the members' text values, not the enums: an enum hashes in Python code)."""
    kind = org.kind
    return (
        options,
        kind._value_,
        org.size._value_,
        kind is _APM_ENTITY and org.apm_model is _SSP,
        org.ssp_aco_participant,
        org.split_tin_mips_clinicians,
        org.submitted_web_interface_prior_year,
        org.clinicians,
        org.reporting_track._value_,
    )


def _explain(program: Program, facts: _Facts, policy: PolicyYear) -> Decision:
    """The decision, or a refusal where the year does not offer the program or does not
    know a value the decision needs (``known``, POL-UNK-1)."""
    try:
        ended = _not_offered(program, facts, policy)
        return ended if ended is not None else _explain_known(program, facts, policy)
    except UnknownPolicyValue as missing:
        return Decision.refuse(unknown_reason(policy, missing.path, missing.rule))


def _not_offered(program: Program, facts: _Facts, policy: PolicyYear) -> Decision | None:
    """REG-END-1: a year without the CMS Web Interface offers it to nobody, automatic
    registrations included; REG-ELIG-3: a year whose registration offers a program to no
    organization type (PY2023-PY2025 for the CMS Web Interface) refuses every registration
    where no automatic registration applies (REG-END-2: from PY2023 registration is for the
    CAHPS for MIPS Survey only)."""
    if program is Program.WEB_INTERFACE and not known(
            policy, "registration.web_interface_offered", "REG-END-1"):
        return Decision.refuse(reason(
            policy, "REG-END-1",
            f"The CMS Web Interface is not offered in PY{policy.year}: no organization may "
            "register for it or is automatically registered for it.",
            "registration.web_interface_offered",
        ))
    if (policy.registration.may_register or FrozenMap()).get(program) == frozenset() \
            and not facts[2]:
        return Decision.refuse(reason(
            policy, "REG-ELIG-3",
            f"In PY{policy.year} no organization registers for the {program.value}; a "
            f"{facts[0].value} may not.",
            "registration.may_register",
        ))
    return None


def _explain_known(program: Program, facts: _Facts, policy: PolicyYear) -> Decision:
    kind, size, ssp_aco, participant, split, submitted, count, track = facts
    table = policy.registration
    year = policy.year
    yes: list[Reason] = []
    no: list[Reason] = []
    name = program.value
    may_register = f"registration.may_register.{program.value}"

    # REG-ELIG-3 / REG-ELIG-4: which organization types, by year.
    automatic = ssp_aco and program in known(
        policy, "registration.ssp_aco_automatic", "REG-ELIG-4")
    if kind is OrgType.REGISTRY:
        no.append(reason(
            policy, "REG-ELIG-3",
            f"Registries never register for the {name}: no guide offers it and the access "
            "guide gives registries no registration right (inference).",
            "registration.may_register",
        ))
    elif kind in known(policy, "registration.registered_by_cms", "REG-ELIG-3"):
        no.append(reason(
            policy, "REG-ELIG-3",
            f"In PY{year} {a_or_an(kind.value)} cannot use the registration system: CMS contacts "
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
        yes.append(reason(
            policy, "REG-ELIG-4",
            f"In PY{year} Shared Savings Program ACOs are automatically registered for the "
            f"{name}: {why}.",
            "registration.ssp_aco_automatic",
        ))
    elif kind not in known(policy, may_register, "REG-ELIG-3"):
        if kind is OrgType.APM_ENTITY:
            text = (
                f"In PY{year} APM Entities cannot register for the {name}: the registration "
                "system does not allow registrations at the APM Entity (primary TIN) level; "
                "their models already require the CMS Web Interface."
            )
        else:
            text = f"In PY{year} {a_or_an(kind.value)} may not register for the {name}."
        no.append(reason(policy, "REG-ELIG-3", text, "registration.may_register"))
    else:
        allowed = [k for k in OrgType if k in known(policy, may_register, "REG-ELIG-3")]
        who = _join([_PLURAL[k] for k in allowed])
        yes.append(reason(
            policy, "REG-ELIG-3",
            f"In PY{year} {who} may register for the {name}.",
            "registration.may_register",
        ))

    # REG-ELIG-10: the reporting track (the APP from PY2021).
    if track is ReportingTrack.APP:
        if not has_app(policy):
            no.append(_no_app(policy))
        elif program is Program.WEB_INTERFACE and not ssp_aco:
            no.append(reason(
                policy, "REG-ELIG-10",
                f"In PY{year} only Shared Savings Program ACOs can use the {name} to meet the "
                "APM Performance Pathway's reporting requirements; an organization reporting "
                f"through the APP that is not one may not register for the {name}.",
            ))

    # REG-ELIG-1 / REG-ELIG-2: the size band; REG-ELIG-7: a split TIN's own count.
    rule, path = _THRESHOLD[program]
    minimum = minimum_clinicians(program, policy)
    if count is not None:
        enough = count >= minimum
        (yes if enough else no).append(reason(
            policy, rule,
            f"The {name} needs {minimum} or more clinicians: {count} "
            + ("qualify." if enough else f"do not, so the {name} is not offered."),
            path,
        ))
    elif size.minimum >= minimum:
        yes.append(reason(
            policy, rule,
            f"The {name} needs {minimum} or more clinicians: the size band {size.value} "
            "qualifies.",
            path,
        ))
    else:
        no.append(reason(
            policy, rule,
            f"The {name} needs {minimum} or more clinicians: the size band {size.value} does "
            f"not qualify, so the {name} is not offered to it.",
            path,
        ))
    if split is not None:
        reaches = split >= minimum
        (yes if reaches else no).append(reason(
            policy, "REG-ELIG-7",
            "A split TIN registers only for its MIPS eligible clinicians outside the APM: "
            f"its {split} {'reach' if reaches else 'are fewer than'} the {minimum} the {name} "
            "needs.",
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
        yes.append(reason(
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
        yes.append(reason(
            policy, "REG-SAMP-3",
            f"A group administering the PY{year} CAHPS for MIPS Survey must contract with a "
            "CMS-approved survey vendor and bears the vendor's cost.",
            "registration.sampling.cahps_vendor_required",
        ))
    return Decision.allow(*yes)


def has_app(policy: PolicyYear) -> bool:
    """Whether the year has the APM Performance Pathway (REG-ELIG-10): where its table names
    the kinds that report the CAHPS for MIPS Survey through it (PY2021 on); before, traditional
    MIPS is the only reporting track. :class:`~qpp_rules.errors.UnknownPolicyValue` for a
    year that does not know it (POL-UNK-1).

    >>> import qpp_rules as qr
    >>> has_app(qr.policy_for(2019)), has_app(qr.policy_for(2021))
    (False, True)
    """
    return bool(known(check_policy(policy), "registration.cahps_required_under_app",
                      "REG-ELIG-10"))


def _no_app(policy: PolicyYear) -> Reason:
    return Reason(
        "REG-ELIG-10",
        f"In PY{policy.year} there is no APM Performance Pathway: traditional MIPS is the only "
        "reporting track, so an organization said to report through the APP is refused (the "
        "APP begins in PY2021).",
        policy.cite("registration.cahps_required_under_app").with_rules("REG-ELIG-10"),
    )


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
    key = (automatic_registrations, *facts)
    found: frozenset[Program] | None = policy.answers.get(key)
    if found is None:
        kind, _, ssp_aco, _, _, submitted, _, _ = facts
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
        found = policy.answers.put(key, frozenset(held))
    return found
