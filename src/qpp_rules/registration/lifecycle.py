"""The registration lifecycle: ``decide(state, command, ...) -> Outcome`` and
``evolve(state, event) -> state`` (REG-WIN-*, REG-ELIG-9, REG-REC-*, REG-SIZE-1), and the
carry-over of last year's record (REG-AUTO-4).

``state`` is the organization's :class:`~qpp_rules.registration.Registration` for the year,
or None before its first registration. An accepted command yields events, the state after
them, and one email notification per contact for each event the year notifies (REG-REC-5);
a refused command changes nothing and says why, with rule IDs. Replaying a record's
``history`` with :func:`evolve` from None rebuilds it.

>>> import qpp_rules as qr
>>> from qpp_rules.access import Actor, Role
>>> from qpp_rules.registration import (Address, Cancel, Contact, Organization, Register,
...     decide)
>>> policy = qr.policy_for(2021)
>>> so = Actor(qr.OrgType.PRACTICE, Role.SECURITY_OFFICIAL)
>>> org = Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, name="Better Business Health",
...     address=Address("123 Better Health Way", "Baltimore", "MD", "21239"), tin="00-0765630")
>>> jane = Contact("Jane", "Doe", "jdoe@betterhealth.com", "111-222-3344")
>>> at = qr.eastern(2021, 5, 3, 9)
>>> done = decide(None, Register(qr.Program.WEB_INTERFACE, org, (jane,), "219043"),
...               at=at, policy=policy, actor=so)
>>> done.accepted, done.state.registration_id, [n.subject for n in done.notifications]
(True, '219043', ['Registration 219043: CMS Web Interface registration submitted'])
>>> late = decide(done.state, Cancel(qr.Program.WEB_INTERFACE, confirmed=True),
...               at=qr.eastern(2021, 6, 30, 20), policy=policy, actor=so)
>>> late.accepted, late.refusal.rule_ids, late.state is done.state
(False, ('REG-WIN-1', 'REG-WIN-2'), True)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

import attrs
import pendulum

from qpp_rules.access.model import Actor
from qpp_rules.access.permissions import may
from qpp_rules.decisions import Decision, Outcome, Reason, accept, refuse
from qpp_rules.errors import ImpossibleEvent, InvalidInput
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.kernel.folding import fold
from qpp_rules.policy.model import PolicyYear
from qpp_rules.policy.unknown import known, refuse_unknown
from qpp_rules.registration.eligibility import check_policy, options, reason
from qpp_rules.registration.model import (
    COMMANDS,
    EVENTS,
    AutomaticallyRegistered,
    Cancel,
    Cancelled,
    CarriedOver,
    Command,
    Contact,
    ContactAdded,
    ContactEdited,
    Notification,
    Organization,
    OrganizationUpdated,
    Register,
    Registered,
    Registration,
    RegistrationEvent,
    SizeChanged,
)
from qpp_rules.registration.records import handle, same_organization
from qpp_rules.registration.values import split_within
from qpp_rules.time import instant, utc_key
from qpp_rules.vocabulary import Permission, Program, Role

__all__ = [
    "RegistrationOutcome",
    "decide",
    "evolve",
    "replay",
]

RegistrationOutcome: TypeAlias = Outcome[Registration | None, RegistrationEvent, Notification]

_PERMISSION = {
    Program.WEB_INTERFACE: Permission.REGISTER_WEB_INTERFACE,
    Program.CAHPS: Permission.REGISTER_CAHPS,
}


# -- evolve -----------------------------------------------------------------------------------
def evolve(state: Registration | None, event: RegistrationEvent) -> Registration:
    """The record after ``event``. A record begins with :class:`Registered`,
    :class:`CarriedOver` or :class:`AutomaticallyRegistered`; every event is appended to its
    ``history``.

    An event :func:`decide` (or :func:`carry_over`) could not have produced from ``state`` is
    refused with :class:`~qpp_rules.ImpossibleEvent` (an ``InvalidInput``) naming the
    event's field: another registration ID or year, a program
    already held registered again or one not held cancelled, a first registration with
    incomplete information or no contact, a second one with another organization or contacts
    than the record's, a carried-over record from a year not before its own, a size change
    from another band than the record's or changing nothing, a size cancel (``REG-SIZE-1``)
    not right after the size change, an update changing nothing, a contact added twice or
    incomplete, edited or deleted when not held, the last contact deleted. What the record
    cannot tell is not checked: who acted (REG-ELIG-9), when (the window, REG-WIN-1/2; the
    order of instants), and the year's eligibility rules (evolve reads no policy).

    >>> import qpp_rules as qr
    >>> from qpp_rules.registration import (Address, Cancelled, Contact, Organization,
    ...     Registered)
    >>> org = Organization(qr.OrgType.PRACTICE, qr.SizeBand.SMALL, name="Better Health",
    ...     address=Address("1 Way", "Baltimore", "MD", "21239"), tin="000765630")
    >>> at = qr.eastern(2021, 4, 1, 10)
    >>> first = Registered("219043", 2021, qr.Program.CAHPS, org,
    ...                    (Contact("Jane", "Doe", "jdoe@betterhealth.com", "1112223344"),), at)
    >>> sorted(p.name for p in evolve(None, first).programs)
    ['CAHPS']
    >>> evolve(evolve(None, first), Cancelled("219043", qr.Program.WEB_INTERFACE, at))
    Traceback (most recent call last):
    ...
    qpp_rules.errors.ImpossibleEvent: event.program: not registered for CMS Web Interface: \
nothing to cancel
    """
    if not isinstance(event, EVENTS):
        raise InvalidInput("event", f"a registration event; got {type(event).__name__}")
    if state is None:
        return _begin(event)
    if not isinstance(state, Registration):
        raise InvalidInput("state", f"a Registration or None; got {type(state).__name__}")
    if event.registration_id != state.registration_id:
        raise ImpossibleEvent(
            "event.registration_id",
            f"the record's ID is {state.registration_id!r}; got {event.registration_id!r}",
        )
    history = (*state.history, event)
    org = state.organization
    if isinstance(event, Registered):
        _registered_again(state, event)
        return attrs.evolve(state, programs=state.programs | {event.program}, history=history)
    if isinstance(event, CarriedOver | AutomaticallyRegistered):
        raise ImpossibleEvent("event", "an automatic registration begins a record; this one exists")
    if isinstance(event, Cancelled):
        _cancelled(state, event)
        return attrs.evolve(state, programs=state.programs - {event.program}, history=history)
    if isinstance(event, SizeChanged):
        return attrs.evolve(state, organization=_resized(org, event), history=history)
    if isinstance(event, OrganizationUpdated):
        if event.name == org.name and event.address == org.address:
            raise ImpossibleEvent("event", "an update that changes nothing (REG-REC-3)")
        if event.address is not None and not event.address.is_complete:
            raise ImpossibleEvent("event.address", "a complete address (REG-REC-2)")
        updated = attrs.evolve(org, name=event.name, address=event.address)
        return attrs.evolve(state, organization=updated, history=history)
    if isinstance(event, ContactAdded):
        _new_contact(state, event.contact)
        return attrs.evolve(state, contacts=(*state.contacts, event.contact), history=history)
    index = _index(state.contacts, event.contact)
    if isinstance(event, ContactEdited):
        if event.new == event.contact:
            raise ImpossibleEvent("event.new", "an edit that changes nothing (REG-REC-4)")
        _new_contact(state, event.new, "event.new")
        contacts = (*state.contacts[:index], event.new, *state.contacts[index + 1 :])
        return attrs.evolve(state, contacts=contacts, history=history)
    if len(state.contacts) == 1:
        raise ImpossibleEvent("event.contacts", "the last contact is never deleted (REG-REC-4)")
    contacts = (*state.contacts[:index], *state.contacts[index + 1 :])
    return attrs.evolve(state, contacts=contacts, history=history)


def _begin(event: RegistrationEvent) -> Registration:
    """The record a first event begins (REG-REC-2 for a first submission)."""
    if isinstance(event, Registered):
        if not event.organization.is_complete:
            raise ImpossibleEvent(
                "event.organization",
                f"complete organization information (REG-REC-2); missing: "
                f"{', '.join(event.organization.missing)}",
            )
        if not event.contacts or not all(c.is_complete for c in event.contacts):
            raise ImpossibleEvent(
                "event.contacts", "at least one contact, each complete (REG-REC-2)"
            )
        return Registration(
            event.registration_id, event.organization, event.contacts,
            frozenset({event.program}), (event,), year=event.year,
        )
    if isinstance(event, CarriedOver | AutomaticallyRegistered):
        if not event.programs:
            raise ImpossibleEvent("event.programs", "an automatic registration holds a program")
        if isinstance(event, CarriedOver) and event.from_year >= event.year:
            raise ImpossibleEvent(
                "event.from_year",
                f"last year's record: PY{event.from_year} is not before PY{event.year}",
            )
        return Registration(
            event.registration_id, event.organization, event.contacts,
            event.programs, (event,), year=event.year,
        )
    raise ImpossibleEvent(
        "event",
        "a record begins with Registered, CarriedOver or AutomaticallyRegistered; got "
        f"{type(event).__name__}",
    )


def _registered_again(state: Registration, event: Registered) -> None:
    """A second program or a re-registration: the record's year, organization and contacts
    (REG-REC-6, REG-REC-8), a program not held (REG-REC-9), a contact to notify (REG-REC-2)."""
    if event.year != state.year:
        raise ImpossibleEvent(
            "event.year",
            f"the record is for PY{state.year}" if state.year is not None
            else "the record is tied to no year",
        )
    if event.program in state.programs:
        raise ImpossibleEvent(
            "event.program", f"already registered for {event.program.value} (REG-REC-9)"
        )
    if event.organization != state.organization or event.contacts != state.contacts:
        raise ImpossibleEvent(
            "event.organization",
            "a later registration carries the record's organization and contacts (REG-REC-6)",
        )
    if not state.contacts:
        raise ImpossibleEvent("event.contacts", "at least one contact (REG-REC-2)")


def _cancelled(state: Registration, event: Cancelled) -> None:
    if event.program not in state.programs:
        raise ImpossibleEvent(
            "event.program", f"not registered for {event.program.value}: nothing to cancel"
        )
    if event.cause == "REG-REC-9":
        return
    if event.cause != "REG-SIZE-1":
        raise ImpossibleEvent("event.cause", f"REG-REC-9 or REG-SIZE-1; got {event.cause[:40]!r}")
    after = [e for e in reversed(state.history) if not isinstance(e, Cancelled)][:1]
    if not after or not isinstance(after[0], SizeChanged) or utc_key(after[0].at) != utc_key(
        event.at
    ):
        raise ImpossibleEvent("event.cause", "a size cancel follows its size change (REG-SIZE-1)")


def _resized(org: Organization, event: SizeChanged) -> Organization:
    if event.previous is not org.size:
        raise ImpossibleEvent(
            "event.previous", f"the record's size band is {org.size.value}; got "
            f"{event.previous.value}"
        )
    split = event.split_tin_mips_clinicians
    if split is None:
        split = split_within(org.split_tin_mips_clinicians, event.size)
    if event.size is org.size and split == org.split_tin_mips_clinicians:
        raise ImpossibleEvent("event.size", "a size change that changes nothing (REG-SIZE-1)")
    return attrs.evolve(org, size=event.size, clinicians=None, split_tin_mips_clinicians=split)


def _new_contact(state: Registration, contact: Contact, field: str = "event.contact") -> None:
    if contact in state.contacts:
        raise ImpossibleEvent(field, f"{contact.full_name!r} is already a contact (REG-REC-4)")
    if not contact.is_complete:
        raise ImpossibleEvent(field, f"a complete contact (REG-REC-2); missing: "
                                  f"{', '.join(contact.missing)}")


def _index(contacts: Sequence[Contact], contact: Contact) -> int:
    try:
        return contacts.index(contact)
    except ValueError:
        raise ImpossibleEvent(
            "event.contact", f"{contact.full_name!r} is not a contact of this registration"
        ) from None


def replay(
    events: Iterable[RegistrationEvent], state: Registration | None = None
) -> Registration | None:
    """Fold ``events`` over ``state`` with :func:`evolve` (``replay(r.history) == r``).

    >>> replay(()) is None
    True
    """
    return fold(evolve, events, state, "events")


# -- decide -----------------------------------------------------------------------------------
def decide(
    state: Registration | None,
    command: Command,
    *,
    at: Any,
    policy: PolicyYear,
    actor: Actor,
) -> RegistrationOutcome:
    """Decide ``command`` against the record ``state`` at instant ``at`` under ``policy``,
    acted by ``actor`` (an :class:`~qpp_rules.access.Actor`).

    Only inside the year's registration window (REG-WIN-1; a cancel after close is refused
    with REG-WIN-2), only by a Security Official of the organization's own type whose type
    holds the year's registration right (REG-ELIG-9, checked with
    :func:`qpp_rules.access.may`). Then the command's own rules: who may hold what
    (REG-ELIG-*), complete information (REG-REC-2), editable fields (REG-REC-3), at least
    one contact (REG-REC-4), confirmation (REG-REC-7), per-program cancel (REG-REC-9), a
    size change to ``2-24`` cancelling WI (REG-SIZE-1), one ID for ever (REG-REC-1).

    Malformed input (a naive ``at``, a state, command, actor or policy of the wrong type, a
    state of another year, a Register for another organization than the record's) raises
    InvalidInput naming the field. A record with no ``year`` is tied to no year and is
    accepted under any year's policy. A registration ID given as a number and the same ID
    given as text are one ID (REG-REC-1).

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import Actor, Role
    >>> from qpp_rules.registration import Organization, Register
    >>> staff = Actor(qr.OrgType.PRACTICE, Role.STAFF_USER)
    >>> org = Organization(qr.OrgType.PRACTICE, qr.SizeBand.SMALL)
    >>> decide(None, Register(qr.Program.CAHPS, org), at=qr.eastern(2019, 5, 1),
    ...        policy=qr.policy_for(2019), actor=staff).refusal.rule_ids
    ('REG-ELIG-9',)
    """
    policy = check_policy(policy)
    when = instant(at, "at")
    if not isinstance(actor, Actor):
        raise InvalidInput("actor", f"an access.Actor(kind, role); got {type(actor).__name__}")
    if state is not None and not isinstance(state, Registration):
        raise InvalidInput("state", f"a Registration or None; got {type(state).__name__}")
    if not isinstance(command, COMMANDS):
        raise InvalidInput("command", f"a registration command; got {type(command).__name__}")
    if state is not None and state.year is not None and state.year != policy.year:
        raise InvalidInput(
            "state",
            f"a PY{state.year} record under the PY{policy.year} policy; carry it over first "
            "(carry_over)",
        )
    if isinstance(command, Register) and state is not None and command.organization is not None:
        same_organization(state.organization, command.organization, "command.organization")

    org = state.organization if state is not None else (
        command.organization if isinstance(command, Register) else None
    )
    missing = refuse_unknown(policy, _NEEDS)  # a year beyond the guides may not know them
    if missing is not None:
        return refuse(state, *missing.reasons)
    refusal = _gate(state, command, org, when, policy, actor)
    if refusal:
        return refuse(state, *refusal)
    result = handle(state, command, when, policy)
    if isinstance(result, Decision):
        return refuse(state, *result.reasons)
    notified = known(policy, "registration.notified_events", "REG-REC-5")

    def notify(record: Registration | None, event: RegistrationEvent) -> Iterable[Notification]:
        """REG-REC-5: one email per contact for each event the year notifies."""
        if record is None or event.kind not in notified:
            return ()
        program = getattr(event, "program", None)
        return [Notification(contact, event.kind, record.registration_id, program)
                for contact in record.contacts]

    return accept(state, result, evolve, notify)


# The values every registration command reads, and the rule that reads each (a year whose
# window instants no source gives, REG-WIN-3, refuses every command).
_NEEDS = (
    ("registration.window", "REG-WIN-1"),
    ("registration.notified_events", "REG-REC-5"),
    ("registration.editable_fields", "REG-REC-3"),
    ("registration.other_submission_types", "REG-WIN-2"),
)


def _gate(
    state: Registration | None,
    command: Command,
    org: Organization | None,
    when: pendulum.DateTime,
    policy: PolicyYear,
    actor: Actor,
) -> list[Reason]:
    """REG-ELIG-9 (who acts) and REG-WIN-1/2 (when)."""
    reasons: list[Reason] = []
    programs = (
        (command.program,) if isinstance(command, Register | Cancel) else tuple(Program)
    )
    if actor.role is not Role.SECURITY_OFFICIAL:
        reasons.append(reason(
            policy, "REG-ELIG-9",
            f"Only a Security Official of the organization may submit, modify or cancel its "
            f"registration; {a_or_an(actor.role.value)} may not.",
        ))
    elif org is not None and actor.kind is not org.kind:
        reasons.append(reason(
            policy, "REG-ELIG-9",
            f"The user is a Security Official for {a_or_an(actor.kind.value)}, but this is a "
            f"{org.kind.value}'s registration: only its own Security Official may act.",
        ))
    elif not any(
        may(actor.kind, actor.role, _PERMISSION[program], policy) for program in programs
    ):
        what = " or ".join(f"the {program.value}" for program in programs)
        reasons.append(reason(
            policy, "REG-ELIG-9",
            f"In PY{policy.year} {a_or_an(actor.kind.value)}'s Security Official holds no right to "
            f"register for {what} (the year's registration table, REG-ELIG-3).",
            "registration.may_register",
        ))
        if isinstance(command, Register) and org is not None and state is None:
            decision = options(org, policy)[command.program]
            if not decision.allowed:
                reasons.extend(r for r in decision.reasons if r.rule_id == "REG-ELIG-3")
    window = known(policy, "registration.window", "REG-WIN-1")
    if not window.contains(when):
        reasons.append(reason(
            policy, "REG-WIN-1",
            f"Registering, modifying and cancelling are possible only while the PY{policy.year} "
            f"registration window is open: {window.describe()}.",
            "registration.window",
        ))
        if state is not None and _automatic(state):
            reasons.append(reason(
                policy, "REG-AUTO-3",
                "An automatic (carried-over) registration can be edited or cancelled like any "
                "other, but only inside the window.",
            ))
        if isinstance(command, Cancel) and utc_key(when) >= utc_key(window.closes):
            reasons.append(reason(
                policy, "REG-WIN-2",
                "After the window closes a registration can no longer be cancelled; a "
                "registered organization may still submit quality data through "
                f"{policy.registration.other_submission_types}.",
                "registration.other_submission_types",
            ))
    return reasons


def _automatic(state: Registration) -> bool:
    """Whether the record began as an automatic registration (REG-AUTO-3)."""
    return bool(state.history) and isinstance(
        state.history[0], CarriedOver | AutomaticallyRegistered
    )
