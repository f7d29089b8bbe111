"""The reasons of each election rule, one function a rule, shared by every election command
(:mod:`qpp_rules.election.lifecycle`) and by :func:`may_submit_data`.

Each reason cites the rule's source: a policy value's own citation (``policy.cite(path)``,
with the guide's sentence) or the rule catalogue (:func:`qpp_rules.kernel.citations.cite`).
Reasons that depend only on the policy and a few facts are built once per policy and kept in
``policy.answers``.

>>> import qpp_rules as qr
>>> from qpp_rules.election import FileFormat
>>> check_upload_files([FileFormat.QPP_XML], qr.policy_for(2019)).rule_ids
('ELE-BATCH-3',)
"""

from __future__ import annotations

from collections.abc import Iterable

import pendulum

from qpp_rules.access.model import Actor
from qpp_rules.access.permissions import may
from qpp_rules.decisions import Decision, Reason
from qpp_rules.election.model import (
    Choice,
    ElectionLedger,
    FileFormat,
    OptInStatus,
    Participant,
    file_formats,
)
from qpp_rules.errors import InvalidInput
from qpp_rules.kernel.citations import cite
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.policy.model import PolicyYear
from qpp_rules.policy.unknown import known
from qpp_rules.time import utc_key
from qpp_rules.vocabulary import OrgType, Permission

__all__ = ["MAX_UPLOAD_FILES", "UPLOAD_FORMATS", "check_upload_files"]

GUIDE = "ELECTION-GUIDE-2019"

#: ELE-BATCH-3: "A maximum of 50 files can be processed in a single upload request."
MAX_UPLOAD_FILES = 50
#: ELE-BATCH-3 with erratum E10: QPP JSON and QRDA III XML; "QPP XML is NOT an accepted file
#: format in 2019, XML refers to QRDA XML."
UPLOAD_FORMATS = frozenset({FileFormat.QPP_JSON, FileFormat.QRDA_III_XML})


def checked(ledger: object, policy: object,
            field: str = "ledger") -> tuple[ElectionLedger | None, PolicyYear]:
    """The ledger (None before the first election) and the policy, or ``InvalidInput`` naming
    the one that is not what it should be (a ledger of another year than the policy's); the
    ledger is named ``field``."""
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    if ledger is None:
        return None, policy
    if not isinstance(ledger, ElectionLedger):
        raise InvalidInput(field, f"an ElectionLedger or None; got {type(ledger).__name__}")
    if ledger.year != policy.year:
        raise InvalidInput(
            field, f"a PY{ledger.year} ledger cannot take PY{policy.year} elections"
        )
    return ledger, policy


def window_state(at: pendulum.DateTime, policy: PolicyYear) -> str:
    """Where ``at`` falls against the election window: before, open, after or unknown."""
    window = policy.election.window
    if window is None:
        return "unknown"
    if utc_key(at) < utc_key(window.opens):
        return "before"
    if utc_key(at) >= utc_key(window.closes):
        return "after"
    return "open"


def confirmed(confirmation: str | None, policy: PolicyYear) -> bool:
    """ELE-CONF-1: the text typed is the year's confirmation word, in any case."""
    word: str = known(policy, "election.confirmation_word", "ELE-CONF-1")
    return confirmation is not None and confirmation.strip().casefold() == word.casefold()


def who(actor: Actor, policy: PolicyYear) -> Reason | None:
    """ELE-WHO-1: why ``actor`` may not elect, or None."""

    def build() -> tuple[Reason | None]:
        citation = policy.cite("election.may_elect")
        if actor.kind in known(policy, "election.may_elect", "ELE-WHO-1"):
            if may(actor.kind, actor.role, Permission.SUBMIT_DATA, policy):
                return (None,)
            return (
                Reason(
                    "ELE-WHO-1",
                    f"A{a_or_an(actor.role.value)[1:]} of {a_or_an(actor.kind.value)} may not "
                    "submit data for it, "
                    "so may not elect.",
                    citation,
                ),
            )
        if actor.kind is OrgType.APM_ENTITY:
            text = (
                "APM Entities have a different election process, not covered by the "
                "ELECTION-GUIDE-2019 process: an APM Entity actor may not elect here."
            )
        elif actor.kind is OrgType.VIRTUAL_GROUP:
            text = (
                "Virtual groups are not covered by the election process: a Virtual Group "
                "actor may not elect."
            )
        elif not policy.election.may_elect:
            text = f"PY{policy.year} has no elections: nobody elects."
        else:
            kinds = " or ".join(sorted(kind.value for kind in policy.election.may_elect))
            text = f"Only {a_or_an(kinds)} representative elects; not {a_or_an(actor.kind.value)}."
        return (Reason("ELE-WHO-1", text, citation),)

    result: tuple[Reason | None] = policy.answers.answer((who, actor), build)
    return result[0]


def registry_only(actor: Actor, policy: PolicyYear) -> Reason:
    """ELE-WHO-1: an upload is a Registry's."""
    return Reason(
        "ELE-WHO-1",
        f"An election upload is a Registry's, for its clients; {a_or_an(actor.kind.value)} "
        "representative elects participant by participant.",
        policy.cite("election.may_elect"),
    )


def window(state: str, policy: PolicyYear) -> Reason | None:
    """ELE-WIN-1: why the election window refuses (``state`` from :func:`window_state`)."""
    if state == "open":
        return None

    def build() -> Reason:
        span = policy.election.window
        citation = policy.cite("election.window")
        if span is None:
            if not policy.election.opt_in:
                text = f"PY{policy.year} has no opt-in, so no election window."
            else:
                text = (
                    f"The PY{policy.year} election window is not known to the library: "
                    "no election can be accepted."
                )
            return Reason("ELE-WIN-1", text, citation)
        amended = [a.id for a in policy.amendments if "election.window" in a.changes]
        note = f" (as amended by {', '.join(amended)})" if amended else ""
        where = "has not opened yet" if state == "before" else "has closed"
        return Reason(
            "ELE-WIN-1",
            f"The PY{policy.year} election window{note}, {span.describe()}, {where}.",
            citation,
        )

    reason: Reason = policy.answers.answer((window, state), build)
    return reason


def eligible(
    status: OptInStatus, policy: PolicyYear, subject: str = "", *, no_decision: bool = False
) -> Reason | None:
    """ELE-ELIG-1 / ELE-BATCH-2: why a participant of ``status`` gets no election, or None."""
    if status is OptInStatus.OPT_IN_ELIGIBLE and policy.election.opt_in:
        return None
    if subject:
        return _eligible_text(status, policy, subject, no_decision)

    def build() -> Reason:
        return _eligible_text(status, policy, "", no_decision)

    reason: Reason = policy.answers.answer((eligible, status, no_decision), build)
    return reason


def _eligible_text(
    status: OptInStatus, policy: PolicyYear, subject: str, no_decision: bool
) -> Reason:
    said = f"{subject} is" if subject else "The participant is"
    nothing = "no choice to make, not even No decision" if no_decision else "no election"
    if not policy.election.opt_in:
        return Reason(
            "ELE-ELIG-1",
            f"PY{policy.year} has no opt-in: {said[0].lower() + said[1:]} exempt or "
            f"MIPS eligible, never opt-in eligible; {nothing}.",
            policy.cite("election.opt_in"),
        )
    if status is OptInStatus.MIPS_ELIGIBLE:
        text = f"{said} MIPS eligible: {nothing}, it goes straight to reporting."
    else:
        text = f"{said} MIPS exempt and not opt-in eligible: {nothing}."
    return Reason("ELE-BATCH-2", text, cite("ELE-BATCH-2", GUIDE))


def final(
    existing: Choice, policy: PolicyYear, subject: str = "", *, no_decision: bool = False
) -> Reason:
    """ELE-FINAL-1 (erratum E7): a confirmed election is final."""
    undo = (
        "; No decision would leave it MIPS exempt and cannot undo it"
        if no_decision
        else " and cannot be changed or reversed"
    )
    return Reason(
        "ELE-FINAL-1",
        f"{subject or 'The participant'} already elected {existing.value}: a confirmed "
        f"election is final{undo} (erratum E7).",
        policy.cite("election.confirmation_word"),
    )


def confirmation(typed: str | None, policy: PolicyYear, batch: bool) -> Reason:
    """ELE-CONF-1: why the text typed confirms nothing."""

    def build() -> Reason:
        word = policy.election.confirmation_word
        if typed is None:
            text = f"Not confirmed ({word} was not typed)"
        else:
            text = f"The text typed is not {word} (case-insensitive)"
        if batch:
            text += "; the upload is cancelled, all of it, and nothing changes (ELE-BATCH-1)."
        else:
            text += ": nothing is confirmed."
        return Reason("ELE-CONF-1", text, policy.cite("election.confirmation_word"))

    reason: Reason = policy.answers.answer((confirmation, typed is None, batch), build)
    return reason


def listed_again(participant: Participant) -> Reason:
    """ELE-BATCH-1: one choice per participant."""
    return Reason(
        "ELE-BATCH-1",
        f"{participant} is listed more than once: one choice per participant.",
        cite("ELE-BATCH-1", GUIDE),
    )


def notification(participant: Participant, choice: Choice, policy: PolicyYear) -> str:
    """The confirmation message of one recorded election."""
    verb = "opted in" if choice is Choice.OPT_IN else "elected to report voluntarily"
    return (
        f"{choice.value} confirmed: {participant} has been successfully {verb} for the "
        f"{policy.year} performance year."
    )


def upload_files(files: tuple[FileFormat, ...], policy: PolicyYear) -> list[Reason]:
    """ELE-BATCH-3 (erratum E10): the reasons the files of an upload are refused."""
    reasons: list[Reason] = []
    if not files:
        reasons.append(Reason(
            "ELE-BATCH-3", "An upload holds at least one file.", cite("ELE-BATCH-3", GUIDE)
        ))
    if len(files) > MAX_UPLOAD_FILES:
        reasons.append(Reason(
            "ELE-BATCH-3",
            f"{len(files)} files in one upload: a maximum of {MAX_UPLOAD_FILES} files can be "
            "processed in a single upload request.",
            cite("ELE-BATCH-3", GUIDE),
        ))
    refused = sorted({kind.value for kind in files if kind not in UPLOAD_FORMATS})
    if refused:
        reasons.append(Reason(
            "ELE-BATCH-3",
            f"{' and '.join(refused)} is not an accepted file format in PY{policy.year}: a "
            "registry uploads QPP JSON or QRDA III XML files (QPP XML is not accepted for "
            "2019, erratum E10).",
            cite("E10", GUIDE),
        ))
    return reasons


def check_upload_files(files: Iterable[FileFormat | str], policy: PolicyYear) -> Decision:
    """ELE-BATCH-3 (erratum E10): may a registry upload these files (one format per file)?
    QPP JSON or QRDA III XML, one to 50 files; QPP XML is not accepted ("QPP XML is NOT an
    accepted file format in 2019, XML refers to QRDA XML"). The guide states the rule for
    PY2019, the only election guide the library has; it is applied to every year.

    >>> import qpp_rules as qr
    >>> from qpp_rules.election import FileFormat
    >>> ok = check_upload_files(["QPP JSON", FileFormat.QRDA_III_XML], qr.policy_for(2019))
    >>> bool(ok), ok.rule_ids
    (True, ('ELE-BATCH-3',))
    >>> too_many = check_upload_files([FileFormat.QPP_JSON] * 51, qr.policy_for(2019))
    >>> bool(too_many), "maximum of 50" in too_many.explain()
    (False, True)
    """
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    formats = file_formats(files)
    if formats is None:
        raise InvalidInput("files", "a sequence of FileFormat, one per file; got None")
    reasons = upload_files(tuple(formats), policy)
    if reasons:
        return Decision.refuse(*reasons)
    return Decision.allow(Reason(
        "ELE-BATCH-3",
        f"{len(formats)} file(s), each QPP JSON or QRDA III XML: within the {MAX_UPLOAD_FILES} "
        "files of one upload request.",
        cite("ELE-BATCH-3", GUIDE),
    ))
