"""Hypothesis strategies for other projects' property-based test suites.

Every strategy generates *valid* QPP values: NPIs with correct check digits, TINs,
organizations of every type and size band, policy years and reforms, low-volume facts near
the thresholds, registration states reached by legal command sequences, election ledgers.
Importing this module registers strategies with ``st.register_type_strategy`` so that
``st.from_type(qr.NPI)`` works. Needs ``hypothesis`` (the ``testing`` extra).

>>> from hypothesis import given
>>> import qpp_rules as qr
>>> from qpp_rules import testing as qrst
>>> @given(qrst.npis())
... def test_npi_round_trips(npi):
...     assert qr.NPI(npi.value) == npi
>>> test_npi_round_trips()
"""

from __future__ import annotations

from qpp_rules.testing.strategies import (
    apm_entity_ids,
    aware_datetimes,
    election_ledgers,
    low_volume_facts,
    npis,
    organizations,
    participants,
    policy_years,
    practice_site_ids,
    ptans,
    reforms,
    register_type_strategies,
    registration_states,
    size_bands,
    tins,
    vendor_ids,
    virtual_group_ids,
)

__all__ = [
    "apm_entity_ids",
    "aware_datetimes",
    "election_ledgers",
    "low_volume_facts",
    "npis",
    "organizations",
    "participants",
    "policy_years",
    "practice_site_ids",
    "ptans",
    "reforms",
    "register_type_strategies",
    "registration_states",
    "size_bands",
    "tins",
    "vendor_ids",
    "virtual_group_ids",
]

register_type_strategies()
