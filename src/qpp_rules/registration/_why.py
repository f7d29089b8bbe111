"""Building the Reasons of registration decisions: the rule ID, a sentence, and the citation
read from the year's policy table (or the year's guide and section where the rule has no
table value)."""

from __future__ import annotations

from qpp_rules.decisions import Reason
from qpp_rules.errors import InvalidInput
from qpp_rules.policy.model import PolicyYear

__all__ = ["check_policy", "guide", "reason", "reason_at"]

# Where each rule that has no policy value of its own is written in a registration guide.
SECTIONS: dict[str, str] = {
    "REG-ELIG-7": "I 'Groups with clinicians participating in a Next Generation ACO (Model) or "
    "other (non-SSP) Advanced APM'",
    "REG-ELIG-9": "II 'Obtain Access'; III-IV (Security Official role); ACCESS-GUIDE roles",
    "REG-REC-1": "IV step 8; VI (a single registration ID)",
    "REG-REC-2": "II 'Prepare to Register'; IV steps 3-7",
    "REG-REC-4": "IV step 7; V (at least one contact)",
    "REG-REC-6": "IV step 9 (note: a second registration carries information over)",
    "REG-REC-7": "V (confirm the size change); VII step 3 (Continue or Cancel)",
    "REG-REC-8": "IV (re-registering after a cancel); VII",
    "REG-REC-9": "VII (cancel one or both registrations)",
    "REG-SIZE-1": "V (size change to 2-24 cancels a CMS Web Interface registration)",
    "REG-AUTO-2": "I 'Who needs to register?' (no automatic CAHPS registration)",
    "REG-AUTO-4": "V (an automatic registration's size, address and contacts)",
}


def check_policy(policy: object) -> PolicyYear:
    """``policy`` if it is a PolicyYear, else InvalidInput naming the field."""
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear (qpp_rules.policy_for(year)); got "
                           f"{type(policy).__name__}")
    return policy


def guide(policy: PolicyYear) -> str:
    """The year's registration guide as RULES.md cites it (from the window's citation)."""
    return policy.cite("registration.window").source


def reason_at(policy: PolicyYear, rule_id: str, message: str, path: str) -> Reason:
    """A reason cited by the policy value at ``path``."""
    return Reason(rule_id, message, str(policy.cite(path)))


def reason(policy: PolicyYear, rule_id: str, message: str) -> Reason:
    """A reason cited by the year's guide and the rule's section."""
    return Reason(rule_id, message, f"{guide(policy)}, {SECTIONS[rule_id]} [{rule_id}]")
