"""Why an organization holds a program without registering, or holds nothing (REG-AUTO-1,
REG-AUTO-2, REG-ELIG-4): the explanation the command line and reports show beside
:func:`~qpp_rules.registration.automatic_registrations`.

>>> import qpp_rules as qr
>>> from qpp_rules.registration import Organization
>>> aco = Organization(qr.OrgType.APM_ENTITY, qr.SizeBand.LARGE,
...                    apm_model=qr.ApmModel.SHARED_SAVINGS_PROGRAM)
>>> explain_automatic(aco, qr.policy_for(2021)).rule_ids
('REG-ELIG-4', 'REG-ELIG-4')
"""

from __future__ import annotations

from qpp_rules.decisions import Decision, Reason
from qpp_rules.errors import UnknownPolicyValue
from qpp_rules.policy import PolicyYear
from qpp_rules.policy.unknown import known, unknown_reason
from qpp_rules.registration.eligibility import automatic_registrations, options
from qpp_rules.registration.model import Organization
from qpp_rules.vocabulary import Program

__all__ = ["explain_automatic"]

_AUTOMATIC = ("REG-AUTO-1", "REG-ELIG-4")


def _words(values: frozenset[object]) -> str:
    shown = sorted(str(getattr(value, "value", value)) for value in values)
    return ", ".join(shown) if shown else "none"


def explain_automatic(org: Organization, policy: PolicyYear) -> Decision:
    """What ``org`` holds in ``policy``'s year without registering, explained: allowed when
    it holds something, with the reasons of its options that make a program automatic
    (REG-AUTO-1 carry-over, REG-ELIG-4 SSP ACOs); where it holds nothing, refused with the
    year's rules on carry-over (REG-AUTO-1, REG-AUTO-2) and SSP ACOs (REG-ELIG-4).

    >>> import qpp_rules as qr
    >>> from qpp_rules.registration import Organization
    >>> small = Organization(qr.OrgType.PRACTICE, qr.SizeBand.SMALL)
    >>> decision = explain_automatic(small, qr.policy_for(2019))
    >>> decision.allowed, decision.rule_ids
    (False, ('REG-AUTO-1', 'REG-AUTO-2', 'REG-ELIG-4'))
    """
    held = automatic_registrations(org, policy)
    if held:
        found = options(org, policy)
        return Decision.allow(*(
            why for program in Program if program in held
            for why in found[program].reasons if why.rule_id in _AUTOMATIC
        ))
    try:
        carry = _words(frozenset(known(
            policy, "registration.web_interface_carry_over", "REG-AUTO-1")))
        ssp = _words(frozenset(known(policy, "registration.ssp_aco_automatic", "REG-ELIG-4")))
    except UnknownPolicyValue as missing:  # the year does not know it (POL-UNK-1)
        return Decision.refuse(unknown_reason(policy, missing.path, missing.rule))
    year = policy.year
    return Decision.refuse(
        Reason(
            "REG-AUTO-1",
            f"In PY{year} the CMS Web Interface carries over to these types that submitted "
            f"quality data through it in {year - 1} and may hold it: {carry}.",
            policy.cite("registration.web_interface_carry_over"),
        ),
        Reason(
            "REG-AUTO-2",
            "The CAHPS for MIPS Survey never carries over: it is registered for every year.",
            policy.cite("registration.web_interface_carry_over"),
        ),
        Reason(
            "REG-ELIG-4",
            f"In PY{year} Shared Savings Program ACOs are registered automatically for: {ssp}.",
            policy.cite("registration.ssp_aco_automatic"),
        ),
    )
