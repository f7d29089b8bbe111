"""May data be submitted for a participant (ELE-WIN-1)? The submission window and the
election that must come first.

>>> import qpp_rules as qr
>>> from qpp_rules.election import OptInStatus, Participant
>>> may_submit_data(None, Participant("123456789"), status=OptInStatus.MIPS_ELIGIBLE,
...                 at=qr.eastern(2020, 2, 1), policy=qr.policy_for(2019)).rule_ids
('ELE-BATCH-2',)
"""

from __future__ import annotations

import attrs
import pendulum

from qpp_rules.decisions import Decision, Reason
from qpp_rules.election.model import ElectionLedger, OptInStatus, Participant
from qpp_rules.election.rules import GUIDE, checked
from qpp_rules.errors import InvalidInput, shown
from qpp_rules.kernel.citations import Citation, cite
from qpp_rules.policy.model import PolicyYear
from qpp_rules.time import instant, utc_key

__all__ = ["may_submit_data"]



def _before() -> Citation:
    """"An election must be confirmed before data can be submitted." (the Overview's
    sentence, the catalogue's source of ELE-FINAL-1), cited for the ELE-WIN-1 reason here."""
    return attrs.evolve(cite("ELE-FINAL-1", GUIDE), rules=("ELE-WIN-1", "ELE-FINAL-1"))


def may_submit_data(
    ledger: ElectionLedger | None,
    participant: Participant,
    *,
    status: OptInStatus,
    at: pendulum.DateTime,
    policy: PolicyYear,
) -> Decision:
    """Whether data may be submitted for ``participant`` at ``at`` (ELE-WIN-1): inside the
    submission window, for a MIPS eligible participant (it goes straight to reporting,
    ELE-BATCH-2) or an opt-in eligible one whose election is confirmed; never for an exempt
    one that did not elect.

    >>> import qpp_rules as qr
    >>> d = may_submit_data(None, Participant("123456789"), status=OptInStatus.OPT_IN_ELIGIBLE,
    ...                     at=qr.eastern(2020, 2, 1), policy=qr.policy_for(2019))
    >>> bool(d), d.rule_ids
    (False, ('ELE-WIN-1',))
    """
    ledger, policy = checked(ledger, policy)
    if not isinstance(participant, Participant):
        raise InvalidInput("participant", f"a Participant; got {type(participant).__name__}")
    if not isinstance(status, OptInStatus):
        raise InvalidInput("status", f"an OptInStatus; got {shown(status)}")
    when = instant(at, "at")
    elected = None if ledger is None else ledger.choice_of(participant)
    window = policy.election.submission_window
    state = "unknown" if window is None else (
        "before" if utc_key(when) < utc_key(window.opens)
        else "after" if utc_key(when) >= utc_key(window.closes) else "open"
    )

    def build() -> Decision:
        citation = policy.cite("election.submission_window")
        reasons: list[Reason] = []
        if window is None:
            reasons.append(
                Reason(
                    "ELE-WIN-1",
                    f"The PY{policy.year} submission window is not known to the library.",
                    citation,
                )
            )
        elif state != "open":
            where = "has not opened yet" if state == "before" else "has closed"
            reasons.append(
                Reason(
                    "ELE-WIN-1",
                    f"The PY{policy.year} submission window, {window.describe()}, {where}.",
                    citation,
                )
            )
        if status is OptInStatus.EXEMPT and elected is None:
            reasons.append(
                Reason("ELE-ELIG-1", "The participant is MIPS exempt: nothing to submit.",
                       policy.cite("election.low_volume"))
            )
        elif status is OptInStatus.OPT_IN_ELIGIBLE and elected is None:
            reasons.append(
                Reason(
                    "ELE-WIN-1",
                    "An election must be made, and confirmed, before any data can be "
                    "submitted for an opt-in eligible participant.",
                    _before(),
                )
            )
        if reasons:
            return Decision.refuse(*reasons)
        if elected is not None:
            why = Reason(
                "ELE-WIN-1",
                f"The participant's election ({elected.value}) is confirmed and the window "
                "is open: it may submit data.",
                citation,
            )
        else:
            why = Reason(
                "ELE-BATCH-2",
                "The participant is MIPS eligible: no election, it goes straight to "
                "reporting.",
                cite("ELE-BATCH-2", GUIDE),
            )
        return Decision.allow(why)

    decision: Decision = policy.answers.answer((may_submit_data, status, elected, state), build)
    return decision
