"""Elections: opt-in eligibility, opt-in and voluntary reporting elections and their
outcomes, registry uploads, and the Eligibility API payload (RULES.md section 2, ELE-*;
ELECTION-GUIDE-2019).

>>> from decimal import Decimal
>>> import qpp_rules as qr
>>> from qpp_rules.election import LowVolumeFacts, OptInStatus, opt_in_status
>>> opt_in_status(LowVolumeFacts(Decimal("90300"), 150, 234), qr.policy_for(2019))
<OptInStatus.OPT_IN_ELIGIBLE: 'Opt-in eligible'>
"""

from __future__ import annotations

from qpp_rules.election import eligibility as _eligibility
from qpp_rules.election import model as _model
from qpp_rules.election import outcomes as _outcomes
from qpp_rules.election.eligibility import *
from qpp_rules.election.lifecycle import (
    BatchOutcome,
    ElectionResult,
    decide,
    elect,
    elect_batch,
    evolve,
    replay,
)
from qpp_rules.election.model import *
from qpp_rules.election.opt_in_rows import OptInRow, opt_in_entities_header, read_opt_in_rows
from qpp_rules.election.outcomes import *
from qpp_rules.election.payload import (
    EligibilityApiError,
    EligibilityRecord,
    read_eligibility_payload,
)
from qpp_rules.election.rules import check_upload_files
from qpp_rules.election.submission import may_submit_data

__all__ = [
    "BatchOutcome",
    "ElectionResult",
    "EligibilityApiError",
    "EligibilityRecord",
    "OptInRow",
    "check_upload_files",
    "decide",
    "elect",
    "elect_batch",
    "evolve",
    "may_submit_data",
    "opt_in_entities_header",
    "read_eligibility_payload",
    "read_opt_in_rows",
    "replay",
]
__all__ += _eligibility.__all__
__all__ += _model.__all__
__all__ += _outcomes.__all__
