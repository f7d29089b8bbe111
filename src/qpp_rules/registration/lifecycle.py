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

import hashlib
from collections.abc import Iterable, Sequence
from functools import reduce
from typing import Any, TypeAlias

import attrs
import pendulum

from qpp_rules.access.model import Actor
from qpp_rules.access.permissions import may
from qpp_rules.decisions import Decision, Outcome, Reason
from qpp_rules.errors import InvalidInput, shown
from qpp_rules.policy.model import PolicyYear
from qpp_rules.policy.unknown import known, refuse_unknown
from qpp_rules.registration._why import check_policy, reason, reason_at
from qpp_rules.registration.eligibility import automatic_registrations, band_allows, options
from qpp_rules.registration.model import (
    COMMANDS,
    EVENTS,
    AddContact,
    AutomaticallyRegistered,
    Cancel,
    Cancelled,
    CarriedOver,
    ChangeSize,
    Command,
    Contact,
    ContactAdded,
    ContactDeleted,
    ContactEdited,
    DeleteContact,
    EditContact,
    Notification,
    Organization,
    OrganizationUpdated,
    Register,
    Registered,
    Registration,
    RegistrationEvent,
    RegistrationId,
    SizeChanged,
    UpdateOrganization,
    _registration_id,
)
from qpp_rules.registration.model import _contacts as _contact_list
from qpp_rules.time import instant, utc_key
from qpp_rules.vocabulary import Permission, Program, Role

__all__ = [
    "RegistrationOutcome",
    "carry_over",
    "decide",
    "derive_registration_id",
    "evolve",
    "replay",
]

RegistrationOutcome: TypeAlias = Outcome[Registration | None, RegistrationEvent, Notification]

_PERMISSION = {
    Program.WEB_INTERFACE: Permission.REGISTER_WEB_INTERFACE,
    Program.CAHPS: Permission.REGISTER_CAHPS,
}


# -- the registration ID ----------------------------------------------------------------------
def derive_registration_id(organization: Organization, year: int) -> str:
    """The registration ID derived for ``organization`` in performance year ``year`` when
    the caller's system issued none (REG-REC-1): the year's last two digits and six digits
    of a SHA-256 digest of the organization type and what identifies it, in this order:

    1. its own identifier (a Practice's or Registry's TIN, a Virtual Group's ID, an APM
       Entity's ID);
    2. else any other identifier it has (an APM Entity's primary TIN), with its kind;
    3. else its name, compared without case and with runs of spaces read as one.

    Every organization gets one (an identifier is optional); the same for every call, and
    the record keeps it for ever (modify, cancel, re-register, a second program,
    carry-over). Two organizations of one type and name and no identifier get the same ID:
    a reason, with the two caveats below, to pass the ID the caller's system issued for
    real records. A six-digit digest is not unique across many organizations, and it is
    deliberately short so that it cannot single out the TIN it came from (about a thousand
    TINs share each value).

    >>> import qpp_rules as qr
    >>> org = Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, tin="00-0765630")
    >>> rid = derive_registration_id(org, 2021)
    >>> rid == derive_registration_id(org, 2021), len(rid), rid[:2]
    (True, 8, '21')
    >>> named = Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, name="Better  Health")
    >>> derive_registration_id(named, 2021) == derive_registration_id(
    ...     attrs.evolve(named, name="better health"), 2021)
    True
    """
    if not isinstance(organization, Organization):
        raise InvalidInput(
            "organization", f"an Organization; got {type(organization).__name__}"
        )
    if isinstance(year, bool) or not isinstance(year, int) or not 0 < year < 10_000:
        raise InvalidInput("year", f"a performance year; got {shown(year)}")
    kind = organization.kind.name
    own = organization.identifier
    other = organization.any_identifier
    if own is not None:  # the derivation every earlier version used: IDs stay as they were
        text = f"qpp_rules.registration|{year}|{kind}|{own.value}"
    elif other is not None:
        text = f"qpp_rules.registration|{year}|{kind}|{type(other).__name__}|{other.value}"
    else:
        name = " ".join(organization.name.split()).casefold()
        text = f"qpp_rules.registration|{year}|{kind}|name|{name}"
    number = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") % 10**6
    return f"{year % 100:02d}{number:06d}"


# -- evolve -----------------------------------------------------------------------------------
def evolve(state: Registration | None, event: RegistrationEvent) -> Registration:
    """The record after ``event``. A record begins with :class:`Registered`,
    :class:`CarriedOver` or :class:`AutomaticallyRegistered`; every event is appended to its
    ``history``. An event that does
    not fit the record (another registration ID, a contact it does not hold) raises
    InvalidInput naming ``event``.

    >>> import qpp_rules as qr
    >>> from qpp_rules.registration import Contact, Organization, Registered
    >>> org = Organization(qr.OrgType.PRACTICE, qr.SizeBand.SMALL, tin="000765630")
    >>> first = Registered("219043", 2021, qr.Program.CAHPS, org,
    ...                    (Contact("Jane", "Doe", "jdoe@betterhealth.com", "1112223344"),),
    ...                    qr.eastern(2021, 4, 1, 10))
    >>> sorted(p.name for p in evolve(None, first).programs)
    ['CAHPS']
    """
    if not isinstance(event, EVENTS):
        raise InvalidInput("event", f"a registration event; got {type(event).__name__}")
    if state is None:
        if isinstance(event, Registered):
            return Registration(
                event.registration_id,
                event.organization,
                event.contacts,
                frozenset({event.program}),
                (event,),
                year=event.year,
            )
        if isinstance(event, CarriedOver | AutomaticallyRegistered):
            return Registration(
                event.registration_id,
                event.organization,
                event.contacts,
                event.programs,
                (event,),
                year=event.year,
            )
        raise InvalidInput(
            "event",
            "a record begins with Registered, CarriedOver or AutomaticallyRegistered; got "
            f"{type(event).__name__}",
        )
    if not isinstance(state, Registration):
        raise InvalidInput("state", f"a Registration or None; got {type(state).__name__}")
    if event.registration_id != state.registration_id:
        raise InvalidInput(
            "event.registration_id",
            f"the record's ID is {state.registration_id!r}; got {event.registration_id!r}",
        )
    history = (*state.history, event)
    org = state.organization
    if isinstance(event, Registered):
        if event.year != state.year:
            raise InvalidInput(
                "event.year",
                f"the record is for PY{state.year}" if state.year is not None
                else "the record is tied to no year",
            )
        return attrs.evolve(state, programs=state.programs | {event.program}, history=history)
    if isinstance(event, CarriedOver | AutomaticallyRegistered):
        raise InvalidInput("event", "an automatic registration begins a record; this one exists")
    if isinstance(event, Cancelled):
        if event.program not in state.programs:
            raise InvalidInput("event.program", f"not registered for {event.program.value}")
        return attrs.evolve(state, programs=state.programs - {event.program}, history=history)
    if isinstance(event, SizeChanged):
        resized = attrs.evolve(org, size=event.size, clinicians=None)
        return attrs.evolve(state, organization=resized, history=history)
    if isinstance(event, OrganizationUpdated):
        updated = attrs.evolve(org, name=event.name, address=event.address)
        return attrs.evolve(state, organization=updated, history=history)
    if isinstance(event, ContactAdded):
        return attrs.evolve(state, contacts=(*state.contacts, event.contact), history=history)
    if isinstance(event, ContactEdited):
        index = _index(state.contacts, event.contact)
        contacts = (*state.contacts[:index], event.new, *state.contacts[index + 1 :])
        return attrs.evolve(state, contacts=contacts, history=history)
    index = _index(state.contacts, event.contact)
    contacts = (*state.contacts[:index], *state.contacts[index + 1 :])
    return attrs.evolve(state, contacts=contacts, history=history)


def _index(contacts: Sequence[Contact], contact: Contact) -> int:
    try:
        return contacts.index(contact)
    except ValueError:
        raise InvalidInput(
            "event.contact", f"{contact.full_name!r} is not a contact of this registration"
        ) from None


def replay(
    events: Iterable[RegistrationEvent], state: Registration | None = None
) -> Registration | None:
    """Fold ``events`` over ``state`` with :func:`evolve` (``replay(r.history) == r``).

    >>> replay(()) is None
    True
    """
    if isinstance(events, str | bytes) or not isinstance(events, Iterable):
        raise InvalidInput("events", f"a sequence of events; got {type(events).__name__}")
    result: Registration | None = reduce(evolve, events, state)
    return result


# -- carry-over -------------------------------------------------------------------------------
def _same_organization(record: Organization, org: Organization, field: str) -> None:
    if record.kind is not org.kind:
        raise InvalidInput(
            field, f"the record is a {record.kind.value}'s; this organization is a {org.kind.value}"
        )
    mine, theirs = record.identifier, org.identifier
    if mine is None and theirs is None:  # e.g. two APM Entities known by their TINs only
        mine, theirs = record.any_identifier, org.any_identifier
    if mine is not None and theirs is not None and type(mine) is type(theirs) \
            and mine != theirs:
        raise InvalidInput(
            field,
            f"the record belongs to {record.identifier_label}, not {org.identifier_label}",
        )


def carry_over(
    previous: Registration | None,
    org: Organization,
    policy: PolicyYear,
    *,
    contacts: Iterable[Contact] = (),
    registration_id: RegistrationId | None = None,
) -> Registration | None:
    """This year's record for an organization with automatic registrations; None when it
    holds none (:func:`~qpp_rules.registration.automatic_registrations` of it: WI carries
    over, CAHPS never, REG-AUTO-1/2; PY2021 SSP ACOs both, REG-ELIG-4).

    With last year's record ``previous`` (REG-AUTO-4): the same registration ID (REG-REC-1),
    last year's size, name, address and contacts (to be checked and corrected inside the
    window), and this year's facts from ``org`` (its flags and model); a record with no
    ``year`` is read as last year's. The record begins with a :class:`CarriedOver` event.

    With no previous record (``previous`` None: a PY2021 SSP ACO, or a group whose last WI
    record the caller does not hold), the record starts from ``org`` as given, with
    ``registration_id`` (the ID the caller's system issued, kept as given) or one derived
    from the year and the organization, and ``contacts`` (complete ones), which may be none:
    an automatic registration exists whether or not anyone is named. REG-REC-4 ("at least
    one contact") then applies from the first contact added: until then the record has none;
    once one is added the last can no longer be deleted. It begins with an
    :class:`AutomaticallyRegistered` event, and can then be viewed, edited or cancelled
    inside the window like any other (REG-AUTO-3). ``contacts`` is also used when the
    previous record has none.

    >>> import qpp_rules as qr
    >>> from qpp_rules.registration import Contact, Organization, Registration
    >>> org = Organization(qr.OrgType.PRACTICE, qr.SizeBand.LARGE, tin="000765630")
    >>> last = Registration("181234", org, (Contact("Jane", "Doe", "jd@example.org",
    ...     "1112223344"),), frozenset({qr.Program.WEB_INTERFACE, qr.Program.CAHPS}), year=2018)
    >>> now = carry_over(last, attrs.evolve(org, submitted_web_interface_prior_year=True),
    ...                  qr.policy_for(2019))
    >>> now.registration_id, sorted(p.name for p in now.programs), now.year
    ('181234', ['WEB_INTERFACE'], 2019)
    >>> carry_over(last, org, qr.policy_for(2019)) is None
    True
    >>> aco = Organization(qr.OrgType.APM_ENTITY, qr.SizeBand.LARGE, name="Sample ACO",
    ...                    apm_model=qr.ApmModel.SHARED_SAVINGS_PROGRAM)
    >>> fresh = carry_over(None, aco, qr.policy_for(2021))
    >>> sorted(p.name for p in fresh.programs), fresh.contacts, type(fresh.history[0]).__name__
    (['CAHPS', 'WEB_INTERFACE'], (), 'AutomaticallyRegistered')
    """
    policy = check_policy(policy)
    if not isinstance(org, Organization):
        raise InvalidInput("organization", f"an Organization; got {type(org).__name__}")
    given = _contact_list(contacts)
    for index, contact in enumerate(given):
        if not contact.is_complete:
            raise InvalidInput(
                f"contacts[{index}]",
                f"a complete contact (REG-REC-2); missing: {', '.join(contact.missing)}",
            )
    issued = _registration_id(registration_id)
    if previous is None:
        programs = automatic_registrations(org, policy)
        if not programs:
            return None
        rid = issued if issued is not None else derive_registration_id(org, policy.year)
        return evolve(
            None, AutomaticallyRegistered(rid, policy.year, org, given, programs)
        )
    if not isinstance(previous, Registration):
        raise InvalidInput("previous", f"a Registration or None; got {type(previous).__name__}")
    if previous.year is not None and previous.year >= policy.year:
        raise InvalidInput(
            "previous",
            f"last year's record: PY{previous.year} is not before PY{policy.year}",
        )
    if issued is not None and str(issued) != str(previous.registration_id):
        raise InvalidInput(
            "registration_id",
            f"the record keeps last year's ID {previous.registration_id} (REG-REC-1); got "
            f"{issued}",
        )
    _same_organization(previous.organization, org, "organization")
    last = previous.organization
    carried = attrs.evolve(
        org,
        size=last.size,
        clinicians=last.clinicians,
        name=last.name or org.name,
        address=last.address if last.address is not None else org.address,
        tin=org.tin if org.tin is not None else last.tin,
        virtual_group_id=(
            org.virtual_group_id if org.virtual_group_id is not None else last.virtual_group_id
        ),
        apm_entity_id=org.apm_entity_id if org.apm_entity_id is not None else last.apm_entity_id,
    )
    programs = automatic_registrations(carried, policy)
    if not programs:
        return None
    from_year = previous.year if previous.year is not None else policy.year - 1
    return evolve(
        None,
        CarriedOver(
            previous.registration_id,
            policy.year,
            from_year,
            carried,
            previous.contacts or given,
            programs,
        ),
    )


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
        _same_organization(state.organization, command.organization, "command.organization")

    org = state.organization if state is not None else (
        command.organization if isinstance(command, Register) else None
    )
    missing = refuse_unknown(policy, _NEEDS)  # a year beyond the guides may not know them
    if missing is not None:
        return Outcome.refused(state, missing)
    refusal = _gate(state, command, org, when, policy, actor)
    if refusal:
        return Outcome.refused(state, Decision.refuse(*refusal))

    result = _handle(state, command, when, policy)
    if isinstance(result, Decision):
        return Outcome.refused(state, result)
    return _accept(state, tuple(result), policy)


# The values every registration command reads, and the rule that reads each (a year whose
# window instants no source gives, REG-WIN-3, refuses every command).
_NEEDS = (
    ("registration.window", "REG-WIN-1"),
    ("registration.notified_events", "REG-REC-5"),
    ("registration.editable_fields", "REG-REC-3"),
    ("registration.other_submission_types", "REG-WIN-2"),
)


def _accept(
    state: Registration | None, events: tuple[RegistrationEvent, ...], policy: PolicyYear
) -> RegistrationOutcome:
    notified = known(policy, "registration.notified_events", "REG-REC-5")
    notes: list[Notification] = []
    current = state
    for event in events:
        current = evolve(current, event)
        if event.kind in notified:
            program = getattr(event, "program", None)
            notes.extend(
                Notification(contact, event.kind, current.registration_id, program)
                for contact in current.contacts
            )
    return Outcome(True, current, events, tuple(notes), None)


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
            f"registration; a {actor.role.value} may not.",
        ))
    elif org is not None and actor.kind is not org.kind:
        reasons.append(reason(
            policy, "REG-ELIG-9",
            f"The user is a Security Official for a {actor.kind.value}, but this is a "
            f"{org.kind.value}'s registration: only its own Security Official may act.",
        ))
    elif not any(
        may(actor.kind, actor.role, _PERMISSION[program], policy) for program in programs
    ):
        what = " or ".join(f"the {program.value}" for program in programs)
        reasons.append(reason_at(
            policy, "REG-ELIG-9",
            f"In PY{policy.year} a {actor.kind.value}'s Security Official holds no right to "
            f"register for {what} (the year's registration table, REG-ELIG-3).",
            "registration.may_register",
        ))
        if isinstance(command, Register) and org is not None and state is None:
            decision = options(org, policy)[command.program]
            if not decision.allowed:
                reasons.extend(r for r in decision.reasons if r.rule_id == "REG-ELIG-3")
    window = known(policy, "registration.window", "REG-WIN-1")
    if not window.contains(when):
        reasons.append(reason_at(
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
            reasons.append(reason_at(
                policy, "REG-WIN-2",
                "After the window closes a registration can no longer be cancelled; a "
                "registered organization may still submit quality data through "
                f"{policy.registration.other_submission_types}.",
                "registration.other_submission_types",
            ))
    return reasons


_Result: TypeAlias = Decision | list[RegistrationEvent]


def _automatic(state: Registration) -> bool:
    """Whether the record began as an automatic registration (REG-AUTO-3)."""
    return bool(state.history) and isinstance(
        state.history[0], CarriedOver | AutomaticallyRegistered
    )


def _no_record(policy: PolicyYear, what: str) -> Decision:
    return Decision.refuse(reason(
        policy, "REG-REC-1",
        f"There is no registration record yet to {what}: register first (section IV).",
    ))


def _handle(
    state: Registration | None, command: Command, when: pendulum.DateTime, policy: PolicyYear
) -> _Result:
    if isinstance(command, Register):
        return _register(state, command, when, policy)
    if state is None:
        what = {
            Cancel: "cancel",
            ChangeSize: "change the size of",
            UpdateOrganization: "update",
            AddContact: "add a contact to",
            EditContact: "edit a contact of",
            DeleteContact: "delete a contact of",
        }[type(command)]
        return _no_record(policy, what)
    if isinstance(command, Cancel):
        return _cancel(state, command, when, policy)
    if isinstance(command, ChangeSize):
        return _change_size(state, command, when, policy)
    if isinstance(command, UpdateOrganization):
        return _update(state, command, when, policy)
    return _contacts(state, command, when, policy)


def _register(
    state: Registration | None, command: Register, when: pendulum.DateTime, policy: PolicyYear
) -> _Result:
    program = command.program
    no: list[Reason] = []
    if state is None:
        if command.organization is None:
            return Decision.refuse(reason(
                policy, "REG-REC-2",
                "The first registration needs the organization's information (name, address, "
                "size band and identifier).",
            ))
        org = command.organization
        contacts = command.contacts
    else:
        org, contacts = state.organization, state.contacts
        if state.holds(program):
            return Decision.refuse(reason(
                policy, "REG-REC-9",
                f"The organization is already registered for the {program.value} "
                f"(Registration ID {state.registration_id}): registrations are per program.",
            ))
        if command.registration_id is not None and str(command.registration_id) != str(
            state.registration_id
        ):
            return Decision.refuse(reason(
                policy, "REG-REC-1",
                f"The organization's registration ID is {state.registration_id} and never "
                f"changes; got {command.registration_id}.",
            ))

    decision = options(org, policy)[program]
    if not decision.allowed:
        no.extend(decision.reasons)
    if state is not None:
        if not contacts:
            # An automatic registration that began without a contact (carry_over): the
            # submission needs one (REG-REC-2), added with AddContact (REG-REC-4).
            no.append(reason(
                policy, "REG-REC-2",
                "Submitting needs at least one contact: this automatic registration has none "
                "yet, so add one first (AddContact).",
            ))
        if no:
            return Decision.refuse(*no)
        # REG-REC-6 (a second program) and REG-REC-8 (re-registering after a cancel): the
        # record's organization, contacts and ID carry over.
        return [Registered(state.registration_id, state.year, program, org, contacts, when)]

    if org.missing:
        no.append(reason(
            policy, "REG-REC-2",
            "Submitting needs complete organization information; missing: "
            f"{', '.join(org.missing)}.",
        ))
    if not contacts:
        no.append(reason(
            policy, "REG-REC-2",
            "Submitting needs at least one contact with first name, last name, email and "
            "phone.",
        ))
    for contact in contacts:
        if not contact.is_complete:
            no.append(reason(
                policy, "REG-REC-2",
                f"Contact {contact.full_name or '(no name)'} is incomplete; missing: "
                f"{', '.join(contact.missing)} (each contact's form marks them required).",
            ))
    if no:
        return Decision.refuse(*no)
    # REG-REC-1: the ID the caller's system issued, else one derived from the year and the
    # organization (its identifier, any identifier, or its name): never refused for lack of
    # an identifier.
    registration_id = command.registration_id
    if registration_id is None:
        registration_id = derive_registration_id(org, policy.year)
    return [Registered(registration_id, policy.year, program, org, contacts, when)]


def _confirm(policy: PolicyYear, what: str) -> Reason:
    return reason(
        policy, "REG-REC-7",
        f"{what} needs an explicit confirmation; unconfirmed, nothing changes.",
    )


def _cancel(
    state: Registration, command: Cancel, when: pendulum.DateTime, policy: PolicyYear
) -> _Result:
    program = command.program
    if not state.holds(program):
        return Decision.refuse(reason(
            policy, "REG-REC-9",
            f"The organization is not registered for the {program.value}: nothing to cancel.",
        ))
    if not command.confirmed:
        return Decision.refuse(_confirm(policy, f"Cancelling the {program.value} registration"))
    return [Cancelled(state.registration_id, program, when, "REG-REC-9")]


def _change_size(
    state: Registration, command: ChangeSize, when: pendulum.DateTime, policy: PolicyYear
) -> _Result:
    old, new = state.organization.size, command.size
    if new is old:
        return Decision.refuse(reason(
            policy, "REG-SIZE-1", f"The size band is already {new.value}: nothing changes."
        ))
    lost = [p for p in Program if state.holds(p) and not band_allows(p, new, policy)]
    if not command.confirmed:
        reasons = [_confirm(policy, f"Changing the size band to {new.value}")]
        reasons.extend(_size_cancels(policy, new, program) for program in lost)
        return Decision.refuse(*reasons)
    events: list[RegistrationEvent] = [SizeChanged(state.registration_id, new, old, when)]
    events.extend(
        Cancelled(state.registration_id, program, when, "REG-SIZE-1") for program in lost
    )
    return events


def _size_cancels(policy: PolicyYear, size: Any, program: Program) -> Reason:
    return reason(
        policy, "REG-SIZE-1",
        f"Accepting the size band {size.value} would cancel the {program.value} registration: "
        "the band does not qualify for it.",
    )


def _update(
    state: Registration, command: UpdateOrganization, when: pendulum.DateTime, policy: PolicyYear
) -> _Result:
    org = state.organization
    editable = known(policy, "registration.editable_fields", "REG-REC-3").get(
        org.kind, frozenset())
    no: list[Reason] = []
    can = ", ".join(sorted(editable)) or "nothing"
    for field, value, current in (
        ("name", command.name, org.name),
        ("address", command.address, org.address),
    ):
        # Only a change is refused: giving the unchanged name (or address) along with an
        # editable field, as the form does, is not an edit of it.
        if value is not None and value != current and field not in editable:
            no.append(reason_at(
                policy, "REG-REC-3",
                f"In PY{policy.year} a {org.kind.value} cannot edit its organization {field} "
                f"(it can edit: {can}); TIN, virtual group ID and APM Entity ID never change.",
                "registration.editable_fields",
            ))
    if command.address is not None and not command.address.is_complete:
        no.append(reason(
            policy, "REG-REC-2",
            "The organization's address is incomplete; missing: "
            f"{', '.join(command.address.missing)}.",
        ))
    if no:
        return Decision.refuse(*no)
    name = command.name if command.name is not None else org.name
    address = command.address if command.address is not None else org.address
    if name == org.name and address == org.address:
        return Decision.refuse(reason_at(
            policy, "REG-REC-3",
            "The organization information is already as given: nothing changes.",
            "registration.editable_fields",
        ))
    return [OrganizationUpdated(state.registration_id, name, address, when)]


def _contacts(
    state: Registration,
    command: AddContact | EditContact | DeleteContact,
    when: pendulum.DateTime,
    policy: PolicyYear,
) -> _Result:
    contacts = state.contacts
    rid = state.registration_id
    if isinstance(command, AddContact):
        if command.contact in contacts:
            return Decision.refuse(_already(policy, command.contact))
        if not command.contact.is_complete:
            return Decision.refuse(_incomplete(policy, command.contact))
        return [ContactAdded(rid, command.contact, when)]
    if command.contact not in contacts:
        return Decision.refuse(reason(
            policy, "REG-REC-4",
            f"{command.contact.full_name or 'That contact'} is not a contact of this "
            "registration.",
        ))
    if isinstance(command, EditContact):
        if command.new == command.contact:
            return Decision.refuse(reason(
                policy, "REG-REC-4", "The contact is already as given: nothing changes."
            ))
        if command.new in contacts:
            return Decision.refuse(_already(policy, command.new))
        if not command.new.is_complete:
            return Decision.refuse(_incomplete(policy, command.new))
        return [ContactEdited(rid, command.contact, command.new, when)]
    if len(contacts) == 1:
        return Decision.refuse(reason(
            policy, "REG-REC-4",
            "A registration always keeps at least one contact: the last contact can be "
            "edited but not deleted.",
        ))
    return [ContactDeleted(rid, command.contact, when)]


def _already(policy: PolicyYear, contact: Contact) -> Reason:
    return reason(
        policy, "REG-REC-4",
        f"{contact.full_name or 'That contact'} is already a contact of this registration "
        "(design: each contact is listed once).",
    )


def _incomplete(policy: PolicyYear, contact: Contact) -> Reason:
    return reason(
        policy, "REG-REC-2",
        f"Contact {contact.full_name or '(no name)'} is incomplete; missing: "
        f"{', '.join(contact.missing)}.",
    )
