"""The rules of each registration command on the record (REG-REC-*, REG-SIZE-1, with
REG-ELIG-* for what may be held): what a Register, Cancel, ChangeSize, UpdateOrganization or
contact command does to the record once the gate (who acts and when,
:func:`~qpp_rules.registration.decide`) is passed; and the registration ID derived for an
organization whose caller's system issued none (REG-REC-1).

>>> import qpp_rules as qr
>>> from qpp_rules.registration import Cancel, Contact, Registration
>>> org = Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, tin="000765630")
>>> record = Registration("219043", org, (Contact("Jane", "Doe", "j@example.org", "4105550100"),),
...                       frozenset({qr.Program.CAHPS}))
>>> handle(record, Cancel(qr.Program.WEB_INTERFACE, confirmed=True), qr.eastern(2021, 5, 3),
...        qr.policy_for(2021)).rule_ids
('REG-REC-9',)
"""

from __future__ import annotations

import hashlib
from typing import Any, TypeAlias

import attrs
import pendulum

from qpp_rules.decisions import Decision, Reason
from qpp_rules.errors import InvalidInput, shown
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.policy.model import PolicyYear
from qpp_rules.policy.unknown import known
from qpp_rules.registration.eligibility import band_allows, options, reason
from qpp_rules.registration.model import (
    AddContact,
    Cancel,
    Cancelled,
    ChangeSize,
    Command,
    Contact,
    ContactAdded,
    ContactDeleted,
    ContactEdited,
    DeleteContact,
    EditContact,
    Organization,
    OrganizationUpdated,
    Register,
    Registered,
    Registration,
    RegistrationEvent,
    SizeChanged,
    UpdateOrganization,
)
from qpp_rules.registration.values import split_within
from qpp_rules.vocabulary import Program, SizeBand

__all__ = ["derive_registration_id", "handle", "same_organization"]


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


def same_organization(record: Organization, org: Organization, field: str) -> None:
    """InvalidInput naming ``field`` when ``org`` is not the record's organization: another
    type, or another identifier of the same kind (REG-REC-1: one record per organization).

    >>> import qpp_rules as qr
    >>> ours = Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, tin="000765630")
    >>> same_organization(ours, Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM,
    ...                   tin="123456789"), "organization")
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: organization: the record belongs to TIN *****5630, not \
TIN *****6789
    """
    if record.kind is not org.kind:
        raise InvalidInput(
            field, f"the record is {a_or_an(record.kind.value)}'s; this organization is "
            f"{a_or_an(org.kind.value)}"
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


# -- the commands -------------------------------------------------------------------------------
_Result: TypeAlias = Decision | list[RegistrationEvent]


def _no_record(policy: PolicyYear, what: str) -> Decision:
    return Decision.refuse(reason(
        policy, "REG-REC-1",
        f"There is no registration record yet to {what}: register first (section IV).",
    ))


def handle(
    state: Registration | None, command: Command, when: pendulum.DateTime, policy: PolicyYear
) -> _Result:
    """The events of ``command`` on ``state`` at ``when`` (past the gate of who and when), or
    the Decision refusing it: the rules of each command (REG-REC-*, REG-ELIG-*, REG-SIZE-1).

    >>> import qpp_rules as qr
    >>> handle(None, Cancel(qr.Program.CAHPS, confirmed=True), qr.eastern(2021, 5, 3),
    ...        qr.policy_for(2021)).rule_ids
    ('REG-REC-1',)
    """
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


def _confirm(policy: PolicyYear, what: str, *, size: bool = False) -> Reason:
    """REG-REC-7, cited where the guide asks to confirm: the cancel's Continue or Cancel
    (VII), or the size change's confirmation message (V, REG-SIZE-1's note)."""
    why = reason(
        policy, "REG-REC-7",
        f"{what} needs an explicit confirmation; unconfirmed, nothing changes.",
    )
    if size:
        cited = reason(policy, "REG-SIZE-1", why.message).citation.with_rules("REG-REC-7")
        why = attrs.evolve(why, citation=cited)
    return why


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
    org = state.organization
    old, new = org.size, command.size
    split = _split_after(org, new, command.split_tin_mips_clinicians)
    if new is old and split == org.split_tin_mips_clinicians:
        return Decision.refuse(reason(
            policy, "REG-SIZE-1", f"The size band is already {new.value}: nothing changes."
        ))
    lost = [p for p in Program if state.holds(p) and not band_allows(p, new, policy)]
    if not command.confirmed:
        reasons = [_confirm(policy, f"Changing the size band to {new.value}", size=True)]
        reasons.extend(_size_cancels(policy, new, program) for program in lost)
        return Decision.refuse(*reasons)
    events: list[RegistrationEvent] = [
        SizeChanged(state.registration_id, new, old, when, split_tin_mips_clinicians=split)
    ]
    events.extend(
        Cancelled(state.registration_id, program, when, "REG-SIZE-1") for program in lost
    )
    return events


def _split_after(org: Organization, size: SizeBand, restated: int | None) -> int | None:
    """A split TIN's count after a size change to ``size`` (REG-ELIG-7): as restated, else
    the record's within the new band; an organization that is not a split TIN cannot be
    given one here."""
    if restated is None:
        return split_within(org.split_tin_mips_clinicians, size)
    # The organization's own checks say whether it may be a split TIN at all.
    attrs.evolve(org, size=size, clinicians=None, split_tin_mips_clinicians=restated)
    return restated


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
            no.append(reason(
                policy, "REG-REC-3",
                f"In PY{policy.year} {a_or_an(org.kind.value)} cannot edit its organization "
                f"{field} "
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
        return Decision.refuse(reason(
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
