"""The election lifecycle: one election (:func:`elect`), a registry upload
(:func:`elect_batch`), and the ledger they grow (:func:`evolve`).

An election is accepted only when every rule allows it, otherwise it is refused with a reason
per failing rule and nothing changes:

- ELE-WIN-1: inside the year's election window (``policy.election.window``; a year whose
  window the library does not know refuses, saying so);
- ELE-BATCH-2 / ELE-ELIG-1: only for an opt-in eligible participant, in a year with opt-in;
- ELE-FINAL-1: never twice: a confirmed election is final (erratum E7);
- ELE-CONF-1: only with the confirmation ``CONFIRM`` (``policy.election.confirmation_word``),
  case-insensitive, surrounding whitespace ignored;
- ELE-WHO-1: only by a practice representative (a Practice's Security Official or Staff User,
  who may submit data) or a Registry for its client (``policy.election.may_elect``); an APM
  Entity has its own process and a virtual group is not covered.

The caller establishes that the actor acts for *this* participant's practice (or is its
registry) and, for the Eligibility API, that the registry's Security Official downloaded the
API token: an :class:`~qpp_rules.access.Actor` names only a kind and a role.

No decision (ELE-CHOICE-1) records nothing: the participant stays exempt and can elect later.
It is still a choice made in the election process, so it is checked like one: by someone who
may elect (ELE-WHO-1), inside the window (ELE-WIN-1), for an opt-in eligible participant
(ELE-BATCH-2) that has not elected yet (ELE-FINAL-1: No decision cannot undo a confirmed
election). It needs no confirmation (ELE-CONF-1 confirms what is recorded, and nothing is).

>>> import qpp_rules as qr
>>> from qpp_rules.access import Actor
>>> from qpp_rules.election import Choice, OptInStatus, Participant, elect
>>> greenville = Participant("123456789")
>>> o = elect(None, greenville, Choice.OPT_IN, at=qr.eastern(2020, 1, 2, 10),
...           policy=qr.policy_for(2019), confirmation="confirm",
...           actor=Actor(qr.OrgType.PRACTICE, qr.Role.SECURITY_OFFICIAL),
...           status=OptInStatus.OPT_IN_ELIGIBLE)
>>> o.accepted, o.state.choice_of(greenville)
(True, <Choice.OPT_IN: 'Opt-in'>)
>>> again = elect(o.state, greenville, Choice.VOLUNTARY, at=qr.eastern(2020, 1, 3),
...               policy=qr.policy_for(2019), confirmation="CONFIRM",
...               actor=Actor(qr.OrgType.PRACTICE, qr.Role.SECURITY_OFFICIAL),
...               status=OptInStatus.OPT_IN_ELIGIBLE)
>>> again.accepted, again.refusal.rule_ids
(False, ('ELE-FINAL-1',))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pendulum

from qpp_rules.access.model import Actor
from qpp_rules.access.permissions import may
from qpp_rules.decisions import Decision, Outcome, Reason
from qpp_rules.election.model import (
    Choice,
    ChoiceCounts,
    Elected,
    ElectionLedger,
    OptInStatus,
    Participant,
    _choice_counts,
)
from qpp_rules.errors import InvalidInput, shown
from qpp_rules.policy import unknown as _unknown
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.model import PolicyYear, _check_fields
from qpp_rules.time import instant, utc_key
from qpp_rules.vocabulary import OrgType, Permission

__all__ = [
    "BatchOutcome",
    "ElectionResult",
    "elect",
    "elect_batch",
    "evolve",
    "may_submit_data",
]

ElectionResult = Outcome[ElectionLedger | None, Elected, str]
"""What :func:`elect` returns: ``.accepted``, ``.state`` (the ledger after), ``.events``,
``.notifications`` (the confirmation message), ``.refusal``."""

GUIDE_STATUS = "ELECTION-GUIDE-2019, Individual Reporting step 4; Group Reporting step 3"
GUIDE_BATCH = "ELECTION-GUIDE-2019, Registry Election Process steps 5-7"
GUIDE_SUBMIT = "ELECTION-GUIDE-2019, Opt-in and Voluntary Reporting Election Process Overview"


# ---------------------------------------------------------------------------------------------
# evolve
# ---------------------------------------------------------------------------------------------
def evolve(ledger: ElectionLedger | None, event: Elected) -> ElectionLedger:
    """The ledger after ``event`` (``ledger`` None before the first election). An event for
    a participant that already elected raises ``InvalidInput`` (ELE-FINAL-1).

    >>> import qpp_rules as qr
    >>> e = Elected(2019, Participant("123456789"), Choice.VOLUNTARY,
    ...             qr.eastern(2020, 2, 1), qr.OrgType.REGISTRY)
    >>> len(evolve(None, e))
    1
    """
    if not isinstance(event, Elected):
        raise InvalidInput("event", f"an Elected event; got {type(event).__name__}")
    if ledger is None:
        ledger = ElectionLedger(event.year)
    elif not isinstance(ledger, ElectionLedger):
        raise InvalidInput("ledger", f"an ElectionLedger or None; got {type(ledger).__name__}")
    return ledger.add(event)


# ---------------------------------------------------------------------------------------------
# input checks (malformed input raises; rules refuse)
# ---------------------------------------------------------------------------------------------
def _common(
    ledger: object, policy: object, actor: object, at: object, confirmation: object
) -> tuple[ElectionLedger | None, PolicyYear, Actor, pendulum.DateTime]:
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    if ledger is not None:
        if not isinstance(ledger, ElectionLedger):
            raise InvalidInput(
                "ledger", f"an ElectionLedger or None; got {type(ledger).__name__}"
            )
        if ledger.year != policy.year:
            raise InvalidInput(
                "ledger",
                f"a PY{ledger.year} ledger cannot take PY{policy.year} elections",
            )
    if not isinstance(actor, Actor):
        raise InvalidInput("actor", f"an access.Actor; got {type(actor).__name__}")
    when = instant(at, "at")
    if confirmation is not None and not isinstance(confirmation, str):
        raise InvalidInput(
            "confirmation", f"the text typed, or None; got {type(confirmation).__name__}"
        )
    return ledger, policy, actor, when


def _status(value: object, field: str) -> OptInStatus:
    if not isinstance(value, OptInStatus):
        raise InvalidInput(field, f"an OptInStatus; got {shown(value)}")
    return value


# The values every election reads, and the rule that reads each (elect_batch raises
# UnknownPolicyValue naming the first one a year does not know).
_NEEDS = (
    ("election.opt_in", "ELE-ELIG-1"),
    ("election.may_elect", "ELE-WHO-1"),
    ("election.confirmation_word", "ELE-CONF-1"),
)


def _confirmed(confirmation: str | None, policy: PolicyYear) -> bool:
    word: str = _unknown.known(policy, "election.confirmation_word", "ELE-CONF-1")
    return confirmation is not None and confirmation.strip().casefold() == word.casefold()


def _window_state(at: pendulum.DateTime, policy: PolicyYear) -> str:
    window = policy.election.window
    if window is None:
        return "unknown"
    if utc_key(at) < utc_key(window.opens):
        return "before"
    if utc_key(at) >= utc_key(window.closes):
        return "after"
    return "open"


# ---------------------------------------------------------------------------------------------
# the reasons of each rule, computed once per policy and small tuple of facts
# ---------------------------------------------------------------------------------------------
def _memo(policy: PolicyYear, key: tuple[Any, ...], build: Any) -> Any:
    memo = policy.memo()
    found = memo.get(key)
    if found is None:
        found = memo.setdefault(key, build())
    return found


def _who(actor: Actor, policy: PolicyYear) -> Reason | None:
    def build() -> tuple[Reason | None]:
        citation = str(policy.cite("election.may_elect"))
        if actor.kind in _unknown.known(policy, "election.may_elect", "ELE-WHO-1"):
            if may(actor.kind, actor.role, Permission.SUBMIT_DATA, policy):
                return (None,)
            return (
                Reason(
                    "ELE-WHO-1",
                    f"A {actor.role.value} of a {actor.kind.value} may not submit data for it, "
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
            text = f"Only a {kinds} representative elects; not a {actor.kind.value}."
        return (Reason("ELE-WHO-1", text, citation),)

    result: tuple[Reason | None] = _memo(policy, ("election.who", actor), build)
    return result[0]


def _window(state: str, policy: PolicyYear) -> Reason | None:
    if state == "open":
        return None

    def build() -> Reason:
        window = policy.election.window
        citation = str(policy.cite("election.window"))
        if window is None:
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
            f"The PY{policy.year} election window{note}, {window.describe()}, {where}.",
            citation,
        )

    reason: Reason = _memo(policy, ("election.window", state), build)
    return reason


def _eligible(
    status: OptInStatus, policy: PolicyYear, who: str = "", *, no_decision: bool = False
) -> Reason | None:
    if status is OptInStatus.OPT_IN_ELIGIBLE and policy.election.opt_in:
        return None
    if who:
        return _eligible_text(status, policy, who, no_decision)

    def build() -> Reason:
        return _eligible_text(status, policy, "", no_decision)

    reason: Reason = _memo(policy, ("election.eligible", status, no_decision), build)
    return reason


def _eligible_text(
    status: OptInStatus, policy: PolicyYear, who: str, no_decision: bool
) -> Reason:
    subject = f"{who} is" if who else "The participant is"
    nothing = "no choice to make, not even No decision" if no_decision else "no election"
    if not policy.election.opt_in:
        return Reason(
            "ELE-ELIG-1",
            f"PY{policy.year} has no opt-in: {subject[0].lower() + subject[1:]} exempt or "
            f"MIPS eligible, never opt-in eligible; {nothing}.",
            str(policy.cite("election.opt_in")),
        )
    if status is OptInStatus.MIPS_ELIGIBLE:
        text = f"{subject} MIPS eligible: {nothing}, it goes straight to reporting."
    else:
        text = f"{subject} MIPS exempt and not opt-in eligible: {nothing}."
    return Reason("ELE-BATCH-2", text, GUIDE_STATUS)


def _final(
    existing: Choice, policy: PolicyYear, who: str = "", *, no_decision: bool = False
) -> Reason:
    subject = who or "The participant"
    undo = (
        "; No decision would leave it MIPS exempt and cannot undo it"
        if no_decision
        else " and cannot be changed or reversed"
    )
    return Reason(
        "ELE-FINAL-1",
        f"{subject} already elected {existing.value}: a confirmed election is final{undo} "
        "(erratum E7).",
        str(policy.cite("election.confirmation_word")),
    )


def _confirmation(confirmation: str | None, policy: PolicyYear, batch: bool) -> Reason:
    def build() -> Reason:
        word = policy.election.confirmation_word
        if confirmation is None:
            text = f"Not confirmed ({word} was not typed)"
        else:
            text = f"The text typed is not {word} (case-insensitive)"
        if batch:
            text += "; the upload is cancelled, all of it, and nothing changes (ELE-BATCH-1)."
        else:
            text += ": nothing is confirmed."
        return Reason("ELE-CONF-1", text, str(policy.cite("election.confirmation_word")))

    reason: Reason = _memo(
        policy, ("election.confirmation", confirmation is None, batch), build
    )
    return reason


def _notification(participant: Participant, choice: Choice, policy: PolicyYear) -> str:
    verb = "opted in" if choice is Choice.OPT_IN else "elected to report voluntarily"
    return (
        f"{choice.value} confirmed: {participant} has been successfully {verb} for the "
        f"{policy.year} performance year."
    )


# ---------------------------------------------------------------------------------------------
# elect
# ---------------------------------------------------------------------------------------------
def elect(
    ledger: ElectionLedger | None,
    participant: Participant,
    choice: Choice,
    *,
    at: pendulum.DateTime,
    policy: PolicyYear,
    confirmation: str | None,
    actor: Actor,
    status: OptInStatus,
) -> ElectionResult:
    """One election for ``participant`` (a group or a clinician), whose opt-in status is
    ``status``. Accepted: the ledger after holds it (final). Refused: ``.refusal`` names every
    failing rule and the ledger is unchanged.

    ``Choice.NO_DECISION`` (ELE-CHOICE-1) is checked for who may elect (ELE-WHO-1), the window
    (ELE-WIN-1), eligibility (ELE-BATCH-2) and finality (ELE-FINAL-1: a participant that
    already elected cannot now choose No decision), but needs no ``confirmation``: nothing is
    recorded, so there is nothing to confirm. Accepted, it has no event and no notification,
    the ledger is unchanged, and the participant stays exempt and may elect later.

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import Actor
    >>> o = elect(None, Participant("123456789"), Choice.OPT_IN,
    ...           at=qr.eastern(2020, 1, 2, 9, 59, 59), policy=qr.policy_for(2019),
    ...           confirmation=" CONFIRM ", actor=Actor(qr.OrgType.APM_ENTITY, qr.Role.STAFF_USER),
    ...           status=OptInStatus.OPT_IN_ELIGIBLE)
    >>> o.accepted, o.state, o.refusal.rule_ids
    (False, None, ('ELE-WHO-1', 'ELE-WIN-1'))
    >>> nothing = elect(None, Participant("123456789"), Choice.NO_DECISION,
    ...                 at=qr.eastern(2020, 2, 3), policy=qr.policy_for(2019), confirmation=None,
    ...                 actor=Actor(qr.OrgType.PRACTICE, qr.Role.STAFF_USER),
    ...                 status=OptInStatus.OPT_IN_ELIGIBLE)
    >>> nothing.accepted, nothing.state, nothing.events
    (True, None, ())
    """
    ledger, policy, actor, when = _common(ledger, policy, actor, at, confirmation)
    if not isinstance(participant, Participant):
        raise InvalidInput("participant", f"a Participant; got {type(participant).__name__}")
    if not isinstance(choice, Choice):
        raise InvalidInput("choice", f"a Choice; got {shown(choice)}")
    missing = _unknown.refuse_unknown(policy, _NEEDS)  # a year beyond the guides
    if missing is not None:
        return ElectionResult.refused(ledger, missing)
    status = _status(status, "status")
    window = _window_state(when, policy)
    existing = None if ledger is None else ledger.choice_of(participant)
    no_decision = not choice.is_election
    # No decision records nothing, so it needs no confirmation (ELE-CONF-1)
    confirmed = no_decision or _confirmed(confirmation, policy)
    unconfirmed = None if confirmed else confirmation is None

    def build() -> tuple[Decision | None]:
        reasons = [
            _who(actor, policy),
            _window(window, policy),
            _eligible(status, policy, no_decision=no_decision),
        ]
        if existing is not None:
            reasons.append(_final(existing, policy, no_decision=no_decision))
        if not confirmed:
            reasons.append(_confirmation(confirmation, policy, batch=False))
        failing = tuple(reason for reason in reasons if reason is not None)
        return (Decision.refuse(*failing) if failing else None,)

    key = ("election.elect", actor, window, status, existing, unconfirmed, no_decision)
    (refusal,) = _memo(policy, key, build)
    if refusal is not None:
        return ElectionResult.refused(ledger, refusal)
    if no_decision:
        return ElectionResult(True, ledger)  # ELE-CHOICE-1: nothing recorded
    event = Elected(policy.year, participant, choice, when, actor.kind)
    return ElectionResult(
        True,
        evolve(ledger, event),
        (event,),
        (_notification(participant, choice, policy),),
    )


# ---------------------------------------------------------------------------------------------
# elect_batch
# ---------------------------------------------------------------------------------------------
@attrs.frozen
class BatchOutcome:
    """What a registry upload did (ELE-BATCH-1): ``counts`` per choice (as the Submit
    Elections screen shows them, before confirming, whether or not the upload is accepted),
    and either every Opt-in and Report voluntarily choice recorded (``events``, the ledger
    after in ``state``) or nothing at all (``refusal``, naming the participants, masked).

    ``counts`` is a :class:`~qpp_rules.election.ChoiceCounts`: only the non-zero counts are
    stored, so it equals a plain dict of them, and a choice no row made answers 0.
    ``left_exempt`` lists the No decision participants that are opt-in eligible and have not
    elected: not uploaded, still exempt, free to elect later (ELE-CHOICE-1). A No decision
    row for a participant that is not opt-in eligible (ELE-BATCH-2) or already elected
    (ELE-FINAL-1) is never left exempt: it refuses the upload.

    >>> from qpp_rules.election import ChoiceCounts
    >>> o = BatchOutcome(True, None, ChoiceCounts({Choice.OPT_IN: 0}))
    >>> o.counts == {}, o.counts[Choice.OPT_IN]
    (True, 0)
    """

    accepted: bool
    state: ElectionLedger | None
    counts: FrozenMap[Choice, int] = attrs.field(converter=_choice_counts)
    events: tuple[Elected, ...] = ()
    notifications: tuple[str, ...] = ()
    left_exempt: tuple[Participant, ...] = ()
    refusal: Decision | None = None

    def __attrs_post_init__(self) -> None:
        _check_fields(self)

    def __bool__(self) -> bool:
        return self.accepted

    def explain(self) -> str:
        """The counts, then what happened or why not."""
        counts = ", ".join(f"{choice.value}: {self.counts[choice]}" for choice in Choice)
        if self.refusal is not None:
            return f"{counts}\n{self.refusal.explain()}"
        return "\n".join([counts, "accepted", *(f"  - {event}" for event in self.events)])


def _rows(choices: object) -> tuple[list[tuple[Participant, Choice]], list[Participant]]:
    if isinstance(choices, Mapping):
        items: Iterable[Any] = choices.items()
    elif isinstance(choices, Iterable) and not isinstance(choices, str | bytes):
        items = choices
    else:
        raise InvalidInput(
            "choices", f"a mapping of Participant to Choice; got {type(choices).__name__}"
        )
    rows: list[tuple[Participant, Choice]] = []
    seen: set[Participant] = set()
    duplicates: list[Participant] = []
    for index, item in enumerate(items):
        try:
            participant, choice = item
        except (TypeError, ValueError):
            raise InvalidInput(f"choices[{index}]", "a (Participant, Choice) pair") from None
        if not isinstance(participant, Participant):
            raise InvalidInput(
                f"choices[{index}]", f"a Participant; got {type(participant).__name__}"
            )
        if not isinstance(choice, Choice):
            raise InvalidInput(f"choices[{participant}]", f"a Choice; got {shown(choice)}")
        if participant in seen:
            duplicates.append(participant)
            continue
        seen.add(participant)
        rows.append((participant, choice))
    return rows, duplicates


def elect_batch(
    ledger: ElectionLedger | None,
    choices: Mapping[Participant, Choice] | Iterable[tuple[Participant, Choice]],
    *,
    at: pendulum.DateTime,
    policy: PolicyYear,
    confirmation: str | None,
    actor: Actor,
    statuses: Mapping[Participant, OptInStatus],
) -> BatchOutcome:
    """A registry upload (ELE-BATCH-1): one choice per participant (a mapping, or pairs in
    which a participant listed twice refuses the upload), confirmed all together with
    ``CONFIRM``. Accepted only when every row is: the actor is a Registry (ELE-WHO-1), the
    window is open (ELE-WIN-1), the upload is confirmed (ELE-CONF-1; None or anything else
    cancels it), and every Opt-in or Report voluntarily row is for an opt-in eligible
    participant (ELE-BATCH-2) that has not elected yet (ELE-FINAL-1). No decision rows record
    nothing and are checked as :func:`elect` checks No decision: the participant must be opt-in
    eligible (ELE-BATCH-2: the upload's selection lists only opt-in eligible participants) and
    must not have elected already (ELE-FINAL-1: "will remain MIPS Exempt" cannot undo a
    confirmed election). ``statuses`` gives each participant's opt-in status.

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import Actor
    >>> a, b = Participant("123456789"), Participant("987654321")
    >>> o = elect_batch(None, {a: Choice.OPT_IN, b: Choice.NO_DECISION},
    ...                 at=qr.eastern(2020, 3, 1), policy=qr.policy_for(2019),
    ...                 confirmation="Confirm",
    ...                 actor=Actor(qr.OrgType.REGISTRY, qr.Role.STAFF_USER),
    ...                 statuses={a: OptInStatus.OPT_IN_ELIGIBLE, b: OptInStatus.OPT_IN_ELIGIBLE})
    >>> o.accepted, o.counts[Choice.OPT_IN], o.state.choice_of(b), o.left_exempt
    (True, 1, None, (Participant(tin=TIN('*****4321'), npi=None),))
    >>> o.counts == {Choice.OPT_IN: 1, Choice.NO_DECISION: 1}, o.counts[Choice.VOLUNTARY]
    (True, 0)
    """
    ledger, policy, actor, when = _common(ledger, policy, actor, at, confirmation)
    rows, duplicates = _rows(choices)
    if not isinstance(statuses, Mapping):
        raise InvalidInput(
            "statuses", f"a mapping of Participant to OptInStatus; got {type(statuses).__name__}"
        )
    known: dict[Participant, OptInStatus] = {}
    for participant, _ in rows:
        if participant not in statuses:
            raise InvalidInput(f"statuses[{participant}]", "missing: every row needs its status")
        known[participant] = _status(statuses[participant], f"statuses[{participant}]")
    counts = ChoiceCounts.of(choice for _, choice in rows)
    failing: list[Reason] = []
    who = _who(actor, policy)
    if who is not None:
        failing.append(who)
    elif actor.kind is not OrgType.REGISTRY:
        failing.append(
            Reason(
                "ELE-WHO-1",
                f"An election upload is a Registry's, for its clients; a {actor.kind.value} "
                "representative elects participant by participant.",
                str(policy.cite("election.may_elect")),
            )
        )
    window = _window(_window_state(when, policy), policy)
    if window is not None:
        failing.append(window)
    if not _confirmed(confirmation, policy):
        failing.append(_confirmation(confirmation, policy, batch=True))
    for participant in duplicates:
        failing.append(
            Reason(
                "ELE-BATCH-1",
                f"{participant} is listed more than once: one choice per participant.",
                GUIDE_BATCH,
            )
        )
    elections: list[tuple[Participant, Choice]] = []
    exempt: list[Participant] = []
    for participant, choice in rows:
        no_decision = not choice.is_election
        refused = _eligible(known[participant], policy, str(participant), no_decision=no_decision)
        if refused is not None:
            failing.append(refused)
        existing = None if ledger is None else ledger.choice_of(participant)
        if existing is not None:
            failing.append(_final(existing, policy, str(participant), no_decision=no_decision))
        if not no_decision:
            elections.append((participant, choice))
        elif refused is None and existing is None:
            exempt.append(participant)  # opt-in eligible, not elected: stays exempt
    if failing:
        return BatchOutcome(
            False, ledger, counts, left_exempt=tuple(exempt),
            refusal=Decision.refuse(*failing),
        )
    events = tuple(
        Elected(policy.year, participant, choice, when, actor.kind)
        for participant, choice in elections
    )
    state = ledger
    for event in events:
        state = evolve(state, event)
    return BatchOutcome(
        True,
        state,
        counts,
        events,
        tuple(_notification(event.participant, event.choice, policy) for event in events),
        tuple(exempt),
    )


# ---------------------------------------------------------------------------------------------
# may_submit_data
# ---------------------------------------------------------------------------------------------
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
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    if ledger is not None and not isinstance(ledger, ElectionLedger):
        raise InvalidInput("ledger", f"an ElectionLedger or None; got {type(ledger).__name__}")
    if not isinstance(participant, Participant):
        raise InvalidInput("participant", f"a Participant; got {type(participant).__name__}")
    status = _status(status, "status")
    when = instant(at, "at")
    elected = None if ledger is None else ledger.choice_of(participant)
    window = policy.election.submission_window
    state = "unknown" if window is None else (
        "before" if utc_key(when) < utc_key(window.opens)
        else "after" if utc_key(when) >= utc_key(window.closes) else "open"
    )

    def build() -> Decision:
        citation = str(policy.cite("election.submission_window"))
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
                       str(policy.cite("election.low_volume")))
            )
        elif status is OptInStatus.OPT_IN_ELIGIBLE and elected is None:
            reasons.append(
                Reason(
                    "ELE-WIN-1",
                    "An election must be made, and confirmed, before any data can be "
                    "submitted for an opt-in eligible participant.",
                    GUIDE_SUBMIT,
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
                GUIDE_STATUS,
            )
        return Decision.allow(why)

    decision: Decision = _memo(policy, ("election.may_submit", status, elected, state), build)
    return decision
