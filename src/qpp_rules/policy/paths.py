"""The dotted paths of a policy year's values, and which of them a year may not know.

>>> import qpp_rules as qr
>>> leaf_paths(qr.policy_for(2019))[:2]
['registration.window', 'registration.web_interface_min_clinicians']
>>> "registration.window" in UNKNOWABLE
True
"""

from __future__ import annotations

from typing import Any

import attrs

from qpp_rules.time import Window

__all__ = ["UNKNOWABLE", "leaf_paths"]


# Values whose None means "not known for the year" (elsewhere None has a meaning of its own:
# no election window in a year without opt-in, no unattestable activity, no third element).
UNKNOWABLE = frozenset({
    "registration.window", "registration.web_interface_min_clinicians",
    "registration.cahps_min_clinicians", "registration.may_register",
    "registration.registered_by_cms",
    "registration.web_interface_carry_over", "registration.ssp_aco_automatic",
    "registration.editable_fields", "registration.notified_events",
    "registration.other_submission_types", "registration.no_registration_needed",
    "registration.sampling", "registration.cahps_required_under_app",
    "registration.cahps_traditional_mips_credit", "registration.web_interface_offered",
    "election.opt_in", "election.low_volume", "election.payment_year_offset",
    "election.public_reporting_preview_days", "election.may_elect",
    "election.confirmation_word", "access.permissions", "access.apm_feedback_models",
    "access.cpc_plus_connections_open",
})

_NOT_VALUES = frozenset({"year", "title", "citations", "errata", "amendments",
                         "known_amendments", "label", "unknowns", "_memo"})


def leaf_paths(value: Any, prefix: str = "") -> list[str]:
    """The dotted path of every policy value below ``value`` (a table's values, not the
    table; a Window is one value), in declaration order.

    >>> import qpp_rules as qr
    >>> leaf_paths(qr.policy_for(2019).election.low_volume)
    ['allowed_charges', 'patients', 'covered_services']
    """
    paths: list[str] = []
    for field in attrs.fields(type(value)):
        if field.name in _NOT_VALUES:
            continue
        inner = getattr(value, field.name)
        path = f"{prefix}{field.name}"
        if attrs.has(type(inner)) and not isinstance(inner, Window):
            paths.extend(leaf_paths(inner, f"{path}."))
        else:
            paths.append(path)
    return paths
