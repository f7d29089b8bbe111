"""Policy years: the numbers and switches of each performance year, as plug-in data."""

from __future__ import annotations

from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.loading import apply_changes, load_policy_file, load_policy_text, reform
from qpp_rules.policy.model import (
    AccessPolicy,
    Amendment,
    Citation,
    ElectionPolicy,
    Erratum,
    LowVolumeThreshold,
    PolicyYear,
    RegistrationPolicy,
    SamplingPolicy,
)
from qpp_rules.policy.registry import (
    GROUP,
    available_years,
    plugin_errors,
    policy_for,
    reload,
)

__all__ = [
    "GROUP",
    "AccessPolicy",
    "Amendment",
    "Citation",
    "ElectionPolicy",
    "Erratum",
    "FrozenMap",
    "LowVolumeThreshold",
    "PolicyYear",
    "RegistrationPolicy",
    "SamplingPolicy",
    "apply_changes",
    "available_years",
    "load_policy_file",
    "load_policy_text",
    "plugin_errors",
    "policy_for",
    "reform",
    "reload",
]
