"""Registration for the CMS Web Interface and the CAHPS for MIPS Survey (RULES.md section 1,
REG-*): who may register for what, what carries over, the registration lifecycle, and what
follows when a sample cannot be populated.

Every number and switch comes from the year's ``policy.registration`` table.

>>> import qpp_rules as qr
>>> from qpp_rules.registration import Organization, options
>>> small = Organization(qr.OrgType.PRACTICE, qr.SizeBand.from_clinicians(24))
>>> o = options(small, qr.policy_for(2021))
>>> bool(o.web_interface), bool(o.cahps)
(False, True)
>>> o.web_interface.rule_ids
('REG-ELIG-1',)
"""

from __future__ import annotations

from qpp_rules.decisions import Outcome
from qpp_rules.registration import lifecycle as _lifecycle
from qpp_rules.registration import model as _model
from qpp_rules.registration.carryover import carry_over
from qpp_rules.registration.eligibility import (
    automatic_registrations,
    band_allows,
    has_app,
    minimum_clinicians,
    options,
    too_few_clinicians,
)
from qpp_rules.registration.lifecycle import *
from qpp_rules.registration.model import *
from qpp_rules.registration.records import derive_registration_id
from qpp_rules.registration.requirements import cahps_required, registration_needed
from qpp_rules.registration.sampling import SamplingConsequences, sampling_consequences
from qpp_rules.registration.tables import eligibility_table_markdown
from qpp_rules.vocabulary import Program, RegistrationEventKind, ReportingTrack, SizeBand

__all__ = [
    "Outcome",
    "Program",
    "RegistrationEventKind",
    "ReportingTrack",
    "SamplingConsequences",
    "SizeBand",
    "automatic_registrations",
    "band_allows",
    "cahps_required",
    "carry_over",
    "derive_registration_id",
    "eligibility_table_markdown",
    "has_app",
    "minimum_clinicians",
    "options",
    "registration_needed",
    "sampling_consequences",
    "too_few_clinicians",
]
__all__ += _lifecycle.__all__
__all__ += _model.__all__
