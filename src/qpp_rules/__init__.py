"""qpp_rules: the US Medicare Quality Payment Program rules for registration, elections and
access, as explained, immutable decisions.

Facts and a year's policy go in; an explained decision comes out; nothing else happens. No
rule reads the clock, the environment, a file or the network.

>>> import qpp_rules as qr
>>> policy = qr.policy_for(2019)
>>> policy.registration.window.contains(qr.eastern(2019, 7, 1, 16, 59, 59))
True
>>> str(qr.TIN("00-0765630"))
'*****5630'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qpp_rules import errors as _errors
from qpp_rules import identifiers as _identifiers
from qpp_rules.decisions import Decision, Outcome, Reason
from qpp_rules.errors import *
from qpp_rules.identifiers import *
from qpp_rules.policy import (
    Citation,
    LowVolumeThreshold,
    PolicyYear,
    available_years,
    plugin_errors,
    policy_for,
)
from qpp_rules.policy.diff import policy_diff
from qpp_rules.time import EASTERN, Window, eastern, instant
from qpp_rules.vocabulary import (
    ApmModel,
    OrgType,
    Permission,
    Program,
    ReportingTrack,
    Role,
    SizeBand,
)

if TYPE_CHECKING:  # imported on first use (they need cattrs), keeping `import qpp_rules` fast
    from qpp_rules.policy.loading import load_policy_file, reform


def __getattr__(name: str) -> Any:
    if name in ("load_policy_file", "reform"):
        from qpp_rules.policy import loading

        return getattr(loading, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "EASTERN",
    "ApmModel",
    "Citation",
    "Decision",
    "LowVolumeThreshold",
    "OrgType",
    "Outcome",
    "Permission",
    "PolicyYear",
    "Program",
    "Reason",
    "ReportingTrack",
    "Role",
    "SizeBand",
    "Window",
    "__version__",
    "available_years",
    "eastern",
    "instant",
    "load_policy_file",
    "plugin_errors",
    "policy_diff",
    "policy_for",
    "reform",
]
__all__ += _errors.__all__
__all__ += _identifiers.__all__
