"""The election lifecycle, in the shape every domain has: :func:`decide` takes the ledger (None
before the first election) and a command, :class:`~qpp_rules.election.Elect` (one election)
or :class:`~qpp_rules.election.UploadElections` (a registry upload), and answers an
:class:`~qpp_rules.decisions.Outcome`; :func:`evolve` records one :class:`Elected` event and
:func:`replay` folds many. :func:`elect` and :func:`elect_batch` are thin wrappers.

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
from qpp_rules.decisions import Decision, Outcome, Reason, accept, refuse
from qpp_rules.election import rules
from qpp_rules.election.model import (
    Choice,
    ChoiceCounts,
    Elect,
    Elected,
    ElectionLedger,
    OptInStatus,
    Participant,
    UploadElections,
)
from qpp_rules.election.submission import may_submit_data
from qpp_rules.errors import ImpossibleEvent, InvalidInput
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.kernel.folding import fold
from qpp_rules.policy.model import PolicyYear
from qpp_rules.policy.unknown import known, refuse_unknown
from qpp_rules.time import instant
from qpp_rules.vocabulary import OrgType

__all__ = [
    "COMMANDS",
    "BatchOutcome",
    "ElectionResult",
    "decide",
    "elect",
    "elect_batch",
    "evolve",
    "may_submit_data",
    "replay",
]

ElectionResult = Outcome[ElectionLedger | None, Elected, str]
"""What :func:`decide` (and :func:`elect`) returns: ``.accepted``, ``.state`` (the ledger
after), ``.events``, ``.notifications`` (one confirmation message per election recorded),
``.refusal``, and for an upload ``.counts``."""

BatchOutcome = Outcome
"""What :func:`elect_batch` returns: :class:`~qpp_rules.decisions.Outcome` itself (a
name kept for the upload's outcome, not a subclass), whose ``counts`` is the upload's
:class:`~qpp_rules.election.ChoiceCounts` (ELE-BATCH-1) whether or not it is accepted. The
participants an upload leaves exempt are ``UploadElections.left_exempt(outcome.state)``."""

COMMANDS = (Elect, UploadElections)
"""The commands :func:`decide` takes."""

#: The organization types whose representatives may elect in every year's table (ELE-WHO-1)
_ELECTING = frozenset({OrgType.PRACTICE, OrgType.REGISTRY})


# ---------------------------------------------------------------------------------------------
# evolve, replay
# ---------------------------------------------------------------------------------------------
def evolve(state: ElectionLedger | None, event: Elected) -> ElectionLedger:
    """The ledger after ``event`` (``state``: the ledger, None before the first election).

    Anything but an :class:`Elected` is ``InvalidInput``. An event :func:`decide` could not
    have produced is refused with :class:`~qpp_rules.ImpossibleEvent` (an ``InvalidInput``):
    an event of another year than the ledger's, an election for a participant already
    elected (ELE-FINAL-1), one by an organization type that never elects (ELE-WHO-1: only
    Practice and Registry representatives), one confirmed by blank text (ELE-CONF-1; the
    event refuses it when
    built). What the ledger cannot tell, and ``evolve`` therefore cannot check: whether the
    election window was open at ``event.at`` (ELE-WIN-1), whether the participant was opt-in
    eligible (ELE-BATCH-2) and the year has opt-in, the actor's role and that it acts for this
    participant (ELE-WHO-1), and whether the text typed is the year's confirmation word: those
    belong to the policy and the caller, which :func:`decide` sees and ``evolve`` does not.

    >>> import qpp_rules as qr
    >>> e = Elected(2019, Participant("123456789"), Choice.VOLUNTARY,
    ...             qr.eastern(2020, 2, 1), qr.OrgType.REGISTRY)
    >>> len(evolve(None, e))
    1
    >>> evolve(evolve(None, e), e)
    Traceback (most recent call last):
    ...
    qpp_rules.errors.ImpossibleEvent: event.participant: TIN *****6789 already elected; a \
confirmed election is final (ELE-FINAL-1)
    """
    if not isinstance(event, Elected):
        raise InvalidInput("event", f"an Elected event; got {type(event).__name__}")
    if event.by not in _ELECTING:
        raise ImpossibleEvent(
            "event.by",
            f"{a_or_an(event.by.value)} representative never elects (ELE-WHO-1): only a Practice's "
            "or a Registry's",
        )
    if state is None:
        state = ElectionLedger(event.year)
    elif not isinstance(state, ElectionLedger):
        raise InvalidInput("state", f"an ElectionLedger or None; got {type(state).__name__}")
    return state.add(event)


def replay(
    events: Iterable[Elected], state: ElectionLedger | None = None
) -> ElectionLedger | None:
    """Fold ``events`` over ``state`` (a ledger, None before the first election) with
    :func:`evolve` (each checked as there).

    >>> import qpp_rules as qr
    >>> e = Elected(2019, Participant("123456789"), Choice.OPT_IN,
    ...             qr.eastern(2020, 2, 1), qr.OrgType.PRACTICE)
    >>> replay(()) is None, len(replay([e]))
    (True, 1)
    """
    return fold(evolve, events, state, "Elected events")


# ---------------------------------------------------------------------------------------------
# decide
# ---------------------------------------------------------------------------------------------
def decide(
    state: ElectionLedger | None,
    command: Elect | UploadElections,
    *,
    at: Any,
    policy: PolicyYear,
    actor: Actor,
) -> ElectionResult:
    """Decide ``command`` (:class:`Elect` or :class:`UploadElections`) against ``state`` (the
    ledger, None before the first election) at
    the instant ``at`` under ``policy``, acted by ``actor``: accepted, the events recorded and
    the ledger after; refused, a reason per failing rule and the ledger unchanged (see the
    module's rules, and :func:`elect` and :func:`elect_batch` for each command's own).

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import Actor
    >>> from qpp_rules.election import Elect
    >>> p = Participant("123456789")
    >>> o = decide(None, Elect(p, Choice.OPT_IN, OptInStatus.OPT_IN_ELIGIBLE, "CONFIRM"),
    ...            at=qr.eastern(2020, 1, 2, 10), policy=qr.policy_for(2019),
    ...            actor=Actor(qr.OrgType.PRACTICE, qr.Role.SECURITY_OFFICIAL))
    >>> o.accepted, [str(e) for e in o.events]
    (True, ['PY2019: TIN *****6789 elected Opt-in (by a Practice representative)'])
    """
    ledger, policy = rules.checked(state, policy, "state")
    if not isinstance(actor, Actor):
        raise InvalidInput("actor", f"an access.Actor; got {type(actor).__name__}")
    when = instant(at, "at")
    if not isinstance(command, COMMANDS):
        raise InvalidInput("command", f"an election command; got {type(command).__name__}")
    missing = refuse_unknown(policy, _NEEDS)  # a year beyond the guides may not know them
    if missing is not None:
        refused: ElectionResult = refuse(ledger, *missing.reasons)
        if isinstance(command, UploadElections):
            counts = ChoiceCounts.of(choice for _, choice in command.rows()[0])
            return attrs.evolve(refused, counts=counts)
        return refused
    if isinstance(command, Elect):
        return _elect(ledger, command, when, policy, actor)
    return _upload(ledger, command, when, policy, actor)


# The values every election reads, and the rule that reads each (a year that does not know
# one refuses every election, naming it: POL-UNK-1).
_NEEDS = (
    ("election.opt_in", "ELE-ELIG-1"),
    ("election.may_elect", "ELE-WHO-1"),
    ("election.confirmation_word", "ELE-CONF-1"),
)


def _notify(policy: PolicyYear) -> Any:
    def notify(_: ElectionLedger, event: Elected) -> tuple[str]:
        return (rules.notification(event.participant, event.choice, policy),)

    return notify


def _elect(
    ledger: ElectionLedger | None,
    command: Elect,
    when: pendulum.DateTime,
    policy: PolicyYear,
    actor: Actor,
) -> ElectionResult:
    participant, choice, status, typed = (
        command.participant, command.choice, command.status, command.confirmation
    )
    window = rules.window_state(when, policy)
    existing = None if ledger is None else ledger.choice_of(participant)
    no_decision = not choice.is_election
    # No decision records nothing, so it needs no confirmation (ELE-CONF-1)
    confirmed = no_decision or rules.confirmed(typed, policy)
    unconfirmed = None if confirmed else typed is None

    def build() -> tuple[Decision | None]:
        reasons = [
            rules.who(actor, policy),
            rules.window(window, policy),
            rules.eligible(status, policy, no_decision=no_decision),
        ]
        if existing is not None:
            reasons.append(rules.final(existing, policy, no_decision=no_decision))
        if not confirmed:
            reasons.append(rules.confirmation(typed, policy, batch=False))
        failing = tuple(reason for reason in reasons if reason is not None)
        return (Decision.refuse(*failing) if failing else None,)

    key = (_elect, actor, window, status, existing, unconfirmed, no_decision)
    (refusal,) = policy.answers.answer(key, build)
    if refusal is not None:
        return ElectionResult.refused(ledger, refusal)
    if no_decision:
        return accept(ledger, (), evolve)  # ELE-CHOICE-1: nothing recorded
    word: str = known(policy, "election.confirmation_word", "ELE-CONF-1")  # what was typed
    event = Elected(policy.year, participant, choice, when, actor.kind, confirmation=word)
    return accept(ledger, (event,), evolve, _notify(policy))


def _upload(
    ledger: ElectionLedger | None,
    command: UploadElections,
    when: pendulum.DateTime,
    policy: PolicyYear,
    actor: Actor,
) -> ElectionResult:
    rows, again = command.rows()
    counts = ChoiceCounts.of(choice for _, choice in rows)
    failing: list[Reason] = []
    refused_actor = rules.who(actor, policy)
    if refused_actor is not None:
        failing.append(refused_actor)
    elif actor.kind is not OrgType.REGISTRY:
        failing.append(rules.registry_only(actor, policy))
    refused_window = rules.window(rules.window_state(when, policy), policy)
    if refused_window is not None:
        failing.append(refused_window)
    if command.files is not None:
        failing.extend(rules.upload_files(command.files, policy))
    if not rules.confirmed(command.confirmation, policy):
        failing.append(rules.confirmation(command.confirmation, policy, batch=True))
    failing.extend(rules.listed_again(participant) for participant in again)
    elections: list[tuple[Participant, Choice]] = []
    statuses, opt_in = command.statuses, policy.election.opt_in
    for participant, choice in rows:
        no_decision = not choice.is_election
        status = statuses[participant]
        if status is not OptInStatus.OPT_IN_ELIGIBLE or not opt_in:
            refused = rules.eligible(status, policy, str(participant), no_decision=no_decision)
            if refused is not None:
                failing.append(refused)
        existing = None if ledger is None else ledger.choice_of(participant)
        if existing is not None:
            failing.append(rules.final(existing, policy, str(participant), no_decision=no_decision))
        if not no_decision:
            elections.append((participant, choice))
    if failing:
        return attrs.evolve(refuse(ledger, *failing), counts=counts)
    word: str = known(policy, "election.confirmation_word", "ELE-CONF-1")  # what was typed
    events = tuple(
        Elected(policy.year, participant, choice, when, actor.kind, confirmation=word)
        for participant, choice in elections
    )
    return accept(ledger, events, evolve, _notify(policy), counts=counts)


# ---------------------------------------------------------------------------------------------
# the wrappers
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
    ``status``: :func:`decide` of ``Elect(participant, choice, status, confirmation)``.
    Accepted: the ledger after holds it (final). Refused: ``.refusal`` names every failing
    rule and the ledger is unchanged.

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
    command = Elect(participant, choice, status, confirmation)
    rules.checked(ledger, policy)  # named as this function names it
    return decide(ledger, command, at=at, policy=policy, actor=actor)


def elect_batch(
    ledger: ElectionLedger | None,
    choices: Mapping[Participant, Choice] | Iterable[tuple[Participant, Choice]],
    *,
    at: pendulum.DateTime,
    policy: PolicyYear,
    confirmation: str | None,
    actor: Actor,
    statuses: Mapping[Participant, OptInStatus],
) -> ElectionResult:
    """A registry upload (ELE-BATCH-1): :func:`decide` of ``UploadElections(choices,
    statuses, confirmation)``, in time linear in the rows. One choice per participant (a
    mapping, or pairs in which a participant listed twice refuses the upload), confirmed all
    together with ``CONFIRM``. Accepted only when every row is: the actor is a Registry
    (ELE-WHO-1), the window is open (ELE-WIN-1), the upload is confirmed (ELE-CONF-1; None or
    anything else cancels it), and every Opt-in or Report voluntarily row is for an opt-in
    eligible participant (ELE-BATCH-2) that has not elected yet (ELE-FINAL-1). No decision
    rows record nothing and are checked as :func:`elect` checks No decision: the participant
    must be opt-in eligible (ELE-BATCH-2: the upload's selection lists only opt-in eligible
    participants) and must not have elected already (ELE-FINAL-1: "will remain MIPS Exempt"
    cannot undo a confirmed election). ``statuses`` gives each participant's opt-in status.
    ``.counts`` holds the rows per choice (a :class:`~qpp_rules.election.ChoiceCounts`), even
    when the upload is refused.

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import Actor
    >>> a, b = Participant("123456789"), Participant("987654321")
    >>> o = elect_batch(None, {a: Choice.OPT_IN, b: Choice.NO_DECISION},
    ...                 at=qr.eastern(2020, 3, 1), policy=qr.policy_for(2019),
    ...                 confirmation="Confirm",
    ...                 actor=Actor(qr.OrgType.REGISTRY, qr.Role.STAFF_USER),
    ...                 statuses={a: OptInStatus.OPT_IN_ELIGIBLE, b: OptInStatus.OPT_IN_ELIGIBLE})
    >>> o.accepted, o.counts[Choice.OPT_IN], o.state.choice_of(b)
    (True, 1, None)
    >>> o.counts == {Choice.OPT_IN: 1, Choice.NO_DECISION: 1}, o.counts[Choice.VOLUNTARY]
    (True, 0)
    """
    command = UploadElections(choices, statuses, confirmation)
    rules.checked(ledger, policy)  # named as this function names it
    return decide(ledger, command, at=at, policy=policy, actor=actor)
