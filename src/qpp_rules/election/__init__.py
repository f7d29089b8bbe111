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

from qpp_rules.election.eligibility import explain_opt_in, opt_in_status
from qpp_rules.election.facts import LowVolumeFacts
from qpp_rules.election.lifecycle import (
    BatchOutcome,
    ElectionResult,
    decide,
    elect,
    elect_batch,
    evolve,
    replay,
)
from qpp_rules.election.model import (
    Choice,
    ChoiceCounts,
    Elect,
    Elected,
    Election,
    ElectionLedger,
    FileFormat,
    OptInStatus,
    Participant,
    UploadElections,
)
from qpp_rules.election.opt_in_rows import OptInRow, opt_in_entities_header, read_opt_in_rows
from qpp_rules.election.outcomes import (
    ElectionOutcome,
    effective_final_score,
    individual_election_needed,
    outcome_of,
)
from qpp_rules.election.payload import (
    EligibilityApiError,
    EligibilityRecord,
    read_eligibility_payload,
)
from qpp_rules.election.rules import check_upload_files
from qpp_rules.election.submission import may_submit_data

__all__ = [
    "BatchOutcome",
    "Choice",
    "ChoiceCounts",
    "Elect",
    "Elected",
    "Election",
    "ElectionLedger",
    "ElectionOutcome",
    "ElectionResult",
    "EligibilityApiError",
    "EligibilityRecord",
    "FileFormat",
    "LowVolumeFacts",
    "OptInRow",
    "OptInStatus",
    "Participant",
    "UploadElections",
    "check_upload_files",
    "decide",
    "effective_final_score",
    "elect",
    "elect_batch",
    "evolve",
    "explain_opt_in",
    "individual_election_needed",
    "may_submit_data",
    "opt_in_entities_header",
    "opt_in_status",
    "outcome_of",
    "read_eligibility_payload",
    "read_opt_in_rows",
    "replay",
]
