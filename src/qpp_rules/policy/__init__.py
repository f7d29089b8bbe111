"""Policy years: the numbers and switches of each performance year, as plug-in data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qpp_rules.policy.diff import PolicyChange, policy_diff
from qpp_rules.policy.frozenmap import FrozenMap
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
from qpp_rules.policy.unknown import known, refuse_unknown, unknown_reason

if TYPE_CHECKING:  # loading (and cattrs) is imported on first use, keeping imports fast
    from qpp_rules.policy.loading import (
        apply_changes,
        load_policy_file,
        load_policy_text,
        reform,
    )

_LAZY = frozenset({"apply_changes", "load_policy_file", "load_policy_text", "reform"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from qpp_rules.policy import loading

        return getattr(loading, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "GROUP",
    "AccessPolicy",
    "Amendment",
    "Citation",
    "ElectionPolicy",
    "Erratum",
    "FrozenMap",
    "LowVolumeThreshold",
    "PolicyChange",
    "PolicyYear",
    "RegistrationPolicy",
    "SamplingPolicy",
    "apply_changes",
    "available_years",
    "known",
    "load_policy_file",
    "load_policy_text",
    "plugin_errors",
    "policy_diff",
    "policy_for",
    "reform",
    "refuse_unknown",
    "reload",
    "unknown_reason",
]
