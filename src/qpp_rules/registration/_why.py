"""Building the Reasons of registration decisions: the rule ID, a sentence, and the citation
read from the year's policy table (or the year's guide and section where the rule has no
table value).

Where the guides put a rule in different places, :data:`BY_GUIDE` names the section of each
guide; :data:`SECTIONS` is the fallback for a guide the library does not know (a plug-in
year).

>>> import qpp_rules as qr
>>> reason(qr.policy_for(2021), "REG-REC-7", "Confirm.").citation
"REG-GUIDE-2021, V 'Update Organization Size' (confirm or cancel the change); VII step 2 \
(Continue or Cancel) [REG-REC-7]"
"""

from __future__ import annotations

from qpp_rules.decisions import Reason
from qpp_rules.errors import InvalidInput
from qpp_rules.policy.model import PolicyYear

__all__ = ["BY_GUIDE", "SECTIONS", "check_policy", "guide", "reason", "reason_at"]

_SPLIT_TIN_2019 = (
    "I 'Groups with clinicians participating in a Next Generation ACO Model or other "
    "(non-SSP) Advanced APM'"
)
_CAHPS_SAMPLING_2019 = (
    "I 'Is it possible we won't be able to administer the CAHPS for MIPS Survey?'"
)

# Where each rule that has no policy value of its own is written in a registration guide
# (the fallback for a guide not in BY_GUIDE).
SECTIONS: dict[str, str] = {
    "REG-ELIG-6": "I 'Who does not need to register?' (groups participating in a Shared "
    "Savings Program ACO)",
    "REG-ELIG-7": _SPLIT_TIN_2019,
    "REG-ELIG-9": "II 'Obtain Access'; III-IV (Security Official role); ACCESS-GUIDE roles",
    "REG-REC-1": "IV step 8; VI (a single registration ID)",
    "REG-REC-2": "II 'Prepare to Register'; IV steps 3-7",
    "REG-REC-4": "IV step 7; V (at least one contact)",
    "REG-REC-6": "IV step 9 (note: a second registration carries information over)",
    "REG-REC-7": "V (confirm or cancel the size change); VII (Continue or Cancel)",
    "REG-REC-8": "IV (re-registering after a cancel); VII",
    "REG-REC-9": "VII (cancel one or both registrations)",
    "REG-SIZE-1": "V (size change to 2-24 cancels a CMS Web Interface registration)",
    "REG-AUTO-2": "I 'Who needs to register?' (no automatic CAHPS registration)",
    "REG-AUTO-3": "I 'Who needs to register?' (automatic registrations can be edited or "
    "cancelled)",
    "REG-AUTO-4": "V (an automatic registration's size, address and contacts)",
    "cahps-sampling": _CAHPS_SAMPLING_2019,
}

# The section of each guide, where the guides differ: (rule ID or topic, guide) -> section.
BY_GUIDE: dict[tuple[str, str], str] = {
    # REG-ELIG-6: the 2018/2019 "Groups participating in a Medicare Shared Savings Program ACO".
    ("REG-ELIG-6", "REG-GUIDE-2018"): "I 'Who does not need to register?' (groups "
    "participating in a Medicare Shared Savings Program ACO)",
    ("REG-ELIG-6", "REG-GUIDE-2019"): "I 'Who does not need to register?' (groups "
    "participating in a Medicare Shared Savings Program (SSP) Accountable Care Organization)",
    # REG-ELIG-7: the split-TIN section exists in the 2018 and 2019 guides only.
    ("REG-ELIG-7", "REG-GUIDE-2018"): "I 'Groups with clinicians participating in a Next "
    "Generation ACO or other (non-SSP) Advanced APM'",
    ("REG-ELIG-7", "REG-GUIDE-2019"): _SPLIT_TIN_2019,
    ("REG-ELIG-7", "REG-GUIDE-2021"): f"no split-TIN section; {_SPLIT_TIN_2019} "
    "(inference from REG-GUIDE-2019)",
    # REG-AUTO-2: CAHPS is never automatic (2021: except for SSP ACOs).
    ("REG-AUTO-2", "REG-GUIDE-2018"): "I 'Who needs to register?', 'Who does not need to "
    "register?' (no automatic registration to administer the CAHPS for MIPS Survey)",
    ("REG-AUTO-2", "REG-GUIDE-2019"): "I 'Who needs to register?', 'Who does not need to "
    "register?' (no automatic registration for the CAHPS for MIPS Survey)",
    ("REG-AUTO-2", "REG-GUIDE-2021"): "Who can register for the CAHPS for MIPS Survey? "
    "(advance registration is required, except for Shared Savings Program ACOs)",
    # REG-AUTO-3: where each guide says an automatic registration can be edited or cancelled.
    ("REG-AUTO-3", "REG-GUIDE-2018"): "I 'Who needs to register?', 'Who does not need to "
    "register?' (this registration may be edited or canceled)",
    ("REG-AUTO-3", "REG-GUIDE-2019"): "I 'Who needs to register?', 'Who does not need to "
    "register?' (automatic CMS Web Interface registrations can be edited or cancelled)",
    ("REG-AUTO-3", "REG-GUIDE-2021"): "III (view or cancel, or modify, existing "
    "registrations, including an automatic CMS Web Interface registration); V",
    # REG-REC-7: the size change's confirmation (V) and the cancel's Continue or Cancel (VII).
    ("REG-REC-7", "REG-GUIDE-2018"): "V step 3 (confirm or cancel the size change); VII step "
    "3 (Continue or Cancel)",
    ("REG-REC-7", "REG-GUIDE-2019"): "V step 2 (confirm or cancel the size change); VII step "
    "3 (Continue or Cancel)",
    ("REG-REC-7", "REG-GUIDE-2021"): "V 'Update Organization Size' (confirm or cancel the "
    "change); VII step 2 (Continue or Cancel)",
    # The CAHPS sample not met (REG-SAMP-2): the CAHPS question, not the CMS Web Interface's.
    ("cahps-sampling", "REG-GUIDE-2018"): "II 'Prepare to Register' (notes: CAHPS for MIPS "
    "Survey)",
    ("cahps-sampling", "REG-GUIDE-2019"): _CAHPS_SAMPLING_2019,
    ("cahps-sampling", "REG-GUIDE-2021"): "Is it possible we won't be able to administer the "
    "CAHPS for MIPS Survey?",
}


def check_policy(policy: object) -> PolicyYear:
    """``policy`` if it is a PolicyYear, else InvalidInput naming the field."""
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear (qpp_rules.policy_for(year)); got "
                           f"{type(policy).__name__}")
    return policy


def guide(policy: PolicyYear) -> str | None:
    """The year's registration guide as RULES.md cites it (from the window's citation);
    None for a year no guide covers (its values come from other public sources)."""
    citation = policy.citations.get("registration.window")
    if citation is None or citation.authority != "guide":
        return None
    return citation.source


def reason_at(policy: PolicyYear, rule_id: str, message: str, path: str) -> Reason:
    """A reason cited by the policy value at ``path``."""
    return Reason(rule_id, message, str(policy.cite(path)))


def reason(
    policy: PolicyYear, rule_id: str, message: str, *, topic: str | None = None
) -> Reason:
    """A reason cited by the year's guide and the section of that guide where the rule (or
    ``topic``, where one rule is written in several places) is written."""
    source = guide(policy)
    key = topic or rule_id
    if source is None:  # a year beyond the guides: the rule is the catalogue's
        return Reason(rule_id, message, f"spec/RULES.md {rule_id} (a rule of the guides; no "
                      f"PY{policy.year} guide)")
    section = BY_GUIDE.get((key, source)) or SECTIONS[key]
    return Reason(rule_id, message, f"{source}, {section} [{rule_id}]")
