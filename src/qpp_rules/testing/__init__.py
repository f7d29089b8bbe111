"""Hypothesis strategies for other projects' property-based test suites.

Every strategy generates *valid* QPP values: NPIs with correct check digits, TINs,
organizations of every type and size band (with exact clinician counts and addresses),
policy years and reforms, windows, low-volume facts near the thresholds, registration states
and outcomes reached by command sequences, access outcomes, election ledgers and outcomes.
Needs ``hypothesis`` (the ``testing`` extra).

Installed with the package, the strategies register themselves through Hypothesis's
``hypothesis`` entry point (``qpp_rules._hypothesis_hook``), so ``st.from_type(Organization)``
works in a suite that never imports this module; importing it registers them too.

>>> from hypothesis import given
>>> import qpp_rules as qr
>>> from qpp_rules import testing as qrst
>>> @given(qrst.npis())
... def test_npi_round_trips(npi):
...     assert qr.NPI(npi.value) == npi
>>> test_npi_round_trips()
"""

from __future__ import annotations

from qpp_rules.testing import strategies as _strategies
from qpp_rules.testing.lifecycle import access_outcomes, election_outcomes, registration_outcomes
from qpp_rules.testing.strategies import *

__all__ = ["access_outcomes", "election_outcomes", "registration_outcomes"]
__all__ += _strategies.__all__


_strategies.register_type_strategies()
