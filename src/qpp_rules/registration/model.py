"""The registration lifecycle's values: the commands a Security Official sends, the events
that happen, and the registration record they build; with the values they hold
(:mod:`qpp_rules.registration.values`: organizations, addresses, contacts, notifications),
re-exported here.

Every value is a frozen attrs class validated on construction by the shared field validators
(:mod:`qpp_rules.kernel.fields`): wrong types or junk raise
:class:`~qpp_rules.errors.InvalidInput` naming the field (``register.program``,
``cancelled.at``). Events that hold an instant compare and hash by the instant (two instants
in November's repeated hour are two events).

>>> import qpp_rules as qr
>>> Cancel(qr.Program.WEB_INTERFACE, confirmed="yes")
Traceback (most recent call last):
...
qpp_rules.errors.InvalidInput: cancel.confirmed: True or False; got str 'yes'
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, TypeAlias

import attrs
import pendulum

from qpp_rules.errors import ImpossibleEvent, InvalidInput, mask_tins, masked_repr, shown
from qpp_rules.kernel import fields
from qpp_rules.registration.values import (
    MAX_NUMBER,
    Address,
    CollectionType,
    Contact,
    Notification,
    Options,
    Organization,
    RegistrationId,
    registration_id,
    split_excess,
    tidy,
)
from qpp_rules.time import utc_key
from qpp_rules.vocabulary import Program, RegistrationEventKind, SizeBand

__all__ = [
    "COMMANDS",
    "EVENTS",
    "AddContact",
    "Address",
    "AutomaticallyRegistered",
    "Cancel",
    "Cancelled",
    "CarriedOver",
    "ChangeSize",
    "CollectionType",
    "Command",
    "Contact",
    "ContactAdded",
    "ContactDeleted",
    "ContactEdited",
    "DeleteContact",
    "EditContact",
    "Notification",
    "Options",
    "Organization",
    "OrganizationUpdated",
    "Register",
    "Registered",
    "Registration",
    "RegistrationEvent",
    "RegistrationId",
    "SizeChanged",
    "UpdateOrganization",
    "contact_list",
    "issued_id",
]

_REGISTRATION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{0,39}")


# -- shapes shared by commands and events -------------------------------------------------------
def issued_id(value: Any) -> RegistrationId | None:
    """A registration ID as the caller gave it (REG-REC-1): a whole number stays a number,
    text stays text (stripped); None for none.

    >>> issued_id(" 219043 "), issued_id(219043)
    ('219043', 219043)
    """
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value < MAX_NUMBER:
            raise InvalidInput(
                "registration_id", f"a whole number from 0, up to 40 digits; got {shown(value)}"
            )
        return value
    if not isinstance(value, str) or not _REGISTRATION_ID.fullmatch(value.strip()):
        raise InvalidInput(
            "registration_id",
            "a whole number, or letters, digits and hyphens, 1 to 40 characters "
            "(e.g. '219043')",
        )
    return value.strip()


def _split_in_band(instance: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
    excess = split_excess(value, instance.size)
    if excess is not None:
        raise InvalidInput(fields.field_path(instance, attribute), excess)


_CONTACTS: Any = fields.tuple_of(Contact, distinct="the same contact is listed twice")
_PROGRAMS: Any = fields.frozenset_of(Program)
_SPLIT = (fields.whole(minimum=0, maximum=10**7, optional=True), _split_in_band)


@attrs.frozen
class _Contacts:
    __field_prefix__ = ""
    contacts: tuple[Contact, ...] = attrs.field(converter=_CONTACTS)  # type: ignore[misc]


def contact_list(value: Any) -> tuple[Contact, ...]:
    """``value`` as a tuple of distinct contacts, or InvalidInput naming ``contacts``.

    >>> contact_list([Contact("Jane", "Doe", "", "")])[0].full_name
    'Jane Doe'
    """
    return _Contacts(value).contacts


# -- commands ---------------------------------------------------------------------------------
@masked_repr
@attrs.frozen
class Register:
    """Register ``program``. For an organization's first registration ``organization`` and
    ``contacts`` are what is submitted; later registrations (the second program,
    re-registering after a cancel) carry the record's over (REG-REC-6), so both may be left
    out. ``registration_id`` is the ID the caller's system issued, kept as given (a whole
    number stays a number, text stays text); when None one is derived from the year and the
    organization (REG-REC-1, :func:`~qpp_rules.registration.derive_registration_id`).

    >>> import qpp_rules as qr
    >>> Register(qr.Program.CAHPS).organization is None
    True
    >>> Register(qr.Program.CAHPS, registration_id=219043).registration_id
    219043
    """

    program: Program = attrs.field(validator=fields.instance_of(Program))
    organization: Organization | None = attrs.field(
        default=None, validator=fields.instance_of(Organization, optional=True)
    )
    contacts: tuple[Contact, ...] = attrs.field(
        default=(), converter=_CONTACTS  # type: ignore[misc]
    )
    registration_id: RegistrationId | None = attrs.field(
        default=None, converter=fields.converted(issued_id, optional=True)  # type: ignore[misc]
    )


@attrs.frozen
class Cancel:
    """Cancel the registration for ``program`` (REG-REC-9); ``confirmed`` is the answer to
    "Are you sure you want to cancel registration?" (REG-REC-7).

    >>> import qpp_rules as qr
    >>> Cancel(qr.Program.WEB_INTERFACE, confirmed=True).confirmed
    True
    """

    program: Program = attrs.field(validator=fields.instance_of(Program))
    confirmed: bool = attrs.field(validator=fields.flag())


@attrs.frozen
class ChangeSize:
    """Change the organization's size band; ``confirmed`` answers the confirmation
    (REG-REC-7). To ``2-24`` it cancels a WI registration (REG-SIZE-1), split TIN or not.

    A split TIN's count of MIPS eligible clinicians outside the APM is a fact of the current
    year (REG-ELIG-7): ``split_tin_mips_clinicians`` restates it with the new band (never more
    than the band's largest count). Not restated, the record's count is kept where the new
    band can hold it, else read as the band's largest count (design: the most the part can
    be) until restated.

    >>> import qpp_rules as qr
    >>> ChangeSize(qr.SizeBand.SMALL, confirmed=False).size
    <SizeBand.SMALL: '2-24'>
    >>> ChangeSize(qr.SizeBand.SMALL, confirmed=True, split_tin_mips_clinicians=20)
    ChangeSize(size=<SizeBand.SMALL: '2-24'>, confirmed=True, split_tin_mips_clinicians=20)
    """

    size: SizeBand = attrs.field(validator=fields.instance_of(SizeBand))
    confirmed: bool = attrs.field(validator=fields.flag())
    split_tin_mips_clinicians: int | None = attrs.field(
        default=None, kw_only=True, validator=_SPLIT
    )


@masked_repr
@attrs.frozen
class UpdateOrganization:
    """Update the organization's name and/or address (what the year lets the kind edit,
    REG-REC-3). At least one is given; identifiers and size never change here.

    >>> UpdateOrganization(name="Better Business Health").address is None
    True
    """

    name: str | None = attrs.field(default=None, validator=fields.text(optional=True))
    address: Address | None = attrs.field(
        default=None, validator=fields.instance_of(Address, optional=True)
    )

    def __attrs_post_init__(self) -> None:
        tidy(self, (), ("name",))
        if self.name is None and self.address is None:
            raise InvalidInput("name", "give a new name or a new address (or both)")


@attrs.frozen
class AddContact:
    """Add a contact (REG-REC-4: at any time while the window is open).

    >>> AddContact(Contact("John", "Smith", "jsmith@betterhealth.com", "111-222-4455"))
    AddContact(contact=Contact(first_name='John', last_name='Smith', \
email='jsmith@betterhealth.com', phone='111-222-4455', extension=None))
    """

    contact: Contact = attrs.field(validator=fields.instance_of(Contact))


@attrs.frozen
class EditContact:
    """Replace ``contact`` with ``new``, in place (the last contact is edited, not deleted).

    >>> jane = Contact("Jane", "Doe", "", "")
    >>> EditContact(jane, attrs.evolve(jane, email="jdoe@betterhealth.com")).new.email
    'jdoe@betterhealth.com'
    """

    contact: Contact = attrs.field(validator=fields.instance_of(Contact))
    new: Contact = attrs.field(validator=fields.instance_of(Contact))


@attrs.frozen
class DeleteContact:
    """Delete ``contact``; never the last one (REG-REC-4).

    >>> DeleteContact(Contact("John", "Smith", "", "")).contact.full_name
    'John Smith'
    """

    contact: Contact = attrs.field(validator=fields.instance_of(Contact))


Command: TypeAlias = (
    Register | Cancel | ChangeSize | UpdateOrganization | AddContact | EditContact | DeleteContact
)
COMMANDS: tuple[type, ...] = (
    Register,
    Cancel,
    ChangeSize,
    UpdateOrganization,
    AddContact,
    EditContact,
    DeleteContact,
)


# -- events -----------------------------------------------------------------------------------
_AT: Any = fields.moment()
"""Every event's instant: aware, read in US Eastern time, compared by the instant itself."""


@attrs.frozen
class _RecordEvent:
    """What every registration event holds first: the record's registration ID (REG-REC-1)."""

    registration_id: RegistrationId = attrs.field(validator=registration_id)


@masked_repr
@attrs.frozen
class Registered(_RecordEvent):
    """A program was registered: the first registration (the record begins), the second
    program, or a re-registration (the record's organization and contacts, REG-REC-6/8).
    ``year`` is the record's (None for a record not tied to a year).

    >>> import qpp_rules as qr
    >>> org = Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, tin="000765630")
    >>> jane = Contact("Jane", "Doe", "jdoe@betterhealth.com", "111-222-3344")
    >>> event = Registered("219043", 2021, qr.Program.CAHPS, org, [jane], qr.eastern(2021, 4, 5))
    >>> event.kind.value, event.contacts == (jane,)
    ('submitted', True)
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.SUBMITTED

    year: int | None = attrs.field(validator=fields.year(optional=True))
    program: Program = attrs.field(validator=fields.instance_of(Program))
    organization: Organization = attrs.field(validator=fields.instance_of(Organization))
    contacts: tuple[Contact, ...] = attrs.field(converter=_CONTACTS)  # type: ignore[misc]
    at: pendulum.DateTime = attrs.field(converter=_AT, eq=utc_key)  # type: ignore[misc]


@masked_repr
@attrs.frozen
class CarriedOver(_RecordEvent):
    """Last year's record started this year's with automatic registrations (REG-AUTO-1,
    REG-ELIG-4, REG-AUTO-4). Made by :func:`~qpp_rules.registration.carry_over`, not by a
    command, so it notifies nobody.

    >>> import qpp_rules as qr
    >>> org = Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, tin="000765630")
    >>> CarriedOver("219043", 2021, 2020, org, (), {qr.Program.WEB_INTERFACE}).programs
    frozenset({<Program.WEB_INTERFACE: 'CMS Web Interface'>})
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.SUBMITTED

    year: int = attrs.field(validator=fields.year())
    from_year: int = attrs.field(validator=fields.year())
    organization: Organization = attrs.field(validator=fields.instance_of(Organization))
    contacts: tuple[Contact, ...] = attrs.field(converter=_CONTACTS)  # type: ignore[misc]
    programs: frozenset[Program] = attrs.field(converter=_PROGRAMS)  # type: ignore[misc]


@masked_repr
@attrs.frozen
class AutomaticallyRegistered(_RecordEvent):
    """CMS registered the organization automatically for the year and there is no record of
    last year's to start from (REG-ELIG-4: a PY2021 Shared Savings Program ACO; REG-AUTO-1:
    a group whose last WI record the caller does not have). The record begins with the
    organization as given, a derived or given registration ID, and the contacts given, which
    may be none: a contact is then added inside the window (REG-AUTO-3), and from the first
    one on the record keeps at least one (REG-REC-4). Made by
    :func:`~qpp_rules.registration.carry_over`, not by a command, so it notifies nobody.

    >>> AutomaticallyRegistered.kind
    <RegistrationEventKind.SUBMITTED: 'submitted'>
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.SUBMITTED

    year: int = attrs.field(validator=fields.year())
    organization: Organization = attrs.field(validator=fields.instance_of(Organization))
    contacts: tuple[Contact, ...] = attrs.field(converter=_CONTACTS)  # type: ignore[misc]
    programs: frozenset[Program] = attrs.field(converter=_PROGRAMS)  # type: ignore[misc]


@masked_repr
@attrs.frozen
class Cancelled(_RecordEvent):
    """A program's registration was cancelled: by a Cancel (``cause`` REG-REC-9) or by a
    size change to a band that does not qualify (``cause`` REG-SIZE-1).

    >>> import qpp_rules as qr
    >>> Cancelled("219043", qr.Program.WEB_INTERFACE, qr.eastern(2021, 5, 3)).cause
    'REG-REC-9'
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.CANCELLED

    program: Program = attrs.field(validator=fields.instance_of(Program))
    at: pendulum.DateTime = attrs.field(converter=_AT, eq=utc_key)  # type: ignore[misc]
    cause: str = attrs.field(default="REG-REC-9", validator=fields.text())


@masked_repr
@attrs.frozen
class SizeChanged(_RecordEvent):
    """The size band changed (REG-SIZE-1); ``split_tin_mips_clinicians`` is a split TIN's
    count after the change (REG-ELIG-7: restated, or kept within the new band), None for an
    organization that is not one.

    >>> import qpp_rules as qr
    >>> SizeChanged("219043", qr.SizeBand.SMALL, qr.SizeBand.MEDIUM, qr.eastern(2021, 5, 3)).kind
    <RegistrationEventKind.MODIFIED: 'modified'>
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.MODIFIED

    size: SizeBand = attrs.field(validator=fields.instance_of(SizeBand))
    previous: SizeBand = attrs.field(validator=fields.instance_of(SizeBand))
    at: pendulum.DateTime = attrs.field(converter=_AT, eq=utc_key)  # type: ignore[misc]
    split_tin_mips_clinicians: int | None = attrs.field(
        default=None, kw_only=True, validator=_SPLIT
    )


@masked_repr
@attrs.frozen
class OrganizationUpdated(_RecordEvent):
    """The organization's name and address after an update (REG-REC-3); the ``repr``
    masks any TIN typed into the name.

    >>> import qpp_rules as qr
    >>> OrganizationUpdated("219043", "Clinic 000765630", None, qr.eastern(2021, 5, 3)).name
    'Clinic 000765630'
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.MODIFIED

    name: str = attrs.field(validator=fields.text())
    address: Address | None = attrs.field(
        validator=fields.instance_of(Address, optional=True)
    )
    at: pendulum.DateTime = attrs.field(converter=_AT, eq=utc_key)  # type: ignore[misc]


@masked_repr
@attrs.frozen
class ContactAdded(_RecordEvent):
    """A contact was added at the end of the list (REG-REC-4).

    >>> import qpp_rules as qr
    >>> john = Contact("John", "Smith", "jsmith@betterhealth.com", "111-222-4455")
    >>> ContactAdded("219043", john, qr.eastern(2021, 5, 3)).contact.full_name
    'John Smith'
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.MODIFIED

    contact: Contact = attrs.field(validator=fields.instance_of(Contact))
    at: pendulum.DateTime = attrs.field(converter=_AT, eq=utc_key)  # type: ignore[misc]


@masked_repr
@attrs.frozen
class ContactEdited(_RecordEvent):
    """A contact was replaced in place: ``contact`` by ``new``.

    >>> import qpp_rules as qr
    >>> jane = Contact("Jane", "Doe", "", "")
    >>> new = attrs.evolve(jane, email="jdoe@betterhealth.com")
    >>> ContactEdited("219043", jane, new, qr.eastern(2021, 5, 3)).new.email
    'jdoe@betterhealth.com'
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.MODIFIED

    contact: Contact = attrs.field(validator=fields.instance_of(Contact))
    new: Contact = attrs.field(validator=fields.instance_of(Contact))
    at: pendulum.DateTime = attrs.field(converter=_AT, eq=utc_key)  # type: ignore[misc]


@masked_repr
@attrs.frozen
class ContactDeleted(_RecordEvent):
    """A contact was deleted (never the last, REG-REC-4).

    >>> import datetime
    >>> jane = Contact("Jane", "Doe", "", "")
    >>> ContactDeleted("219043", jane, datetime.datetime(2021, 5, 3, 14))
    Traceback (most recent call last):
      ...
    qpp_rules.errors.NaiveDateTime: contact_deleted.at: a naive datetime has no time zone; \
give an aware one
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.MODIFIED

    contact: Contact = attrs.field(validator=fields.instance_of(Contact))
    at: pendulum.DateTime = attrs.field(converter=_AT, eq=utc_key)  # type: ignore[misc]


RegistrationEvent: TypeAlias = (
    Registered
    | CarriedOver
    | AutomaticallyRegistered
    | Cancelled
    | SizeChanged
    | OrganizationUpdated
    | ContactAdded
    | ContactEdited
    | ContactDeleted
)
EVENTS: tuple[type, ...] = (
    Registered,
    CarriedOver,
    AutomaticallyRegistered,
    Cancelled,
    SizeChanged,
    OrganizationUpdated,
    ContactAdded,
    ContactEdited,
    ContactDeleted,
)


def _may_have_no_contact(history: tuple[RegistrationEvent, ...]) -> bool:
    """Whether a record with this history may have no contact: only an automatic one that
    began with none and has never had one (REG-REC-4 applies from the first contact on)."""
    if not history:
        return False
    first = history[0]
    return (
        isinstance(first, AutomaticallyRegistered | CarriedOver)
        and not first.contacts
        and not any(isinstance(event, ContactAdded) for event in history)
    )


# -- the record -------------------------------------------------------------------------------
@masked_repr
@attrs.frozen
class Registration:
    """An organization's registration record for one performance year: its single
    registration ID (REG-REC-1), the organization, the contacts in order, the programs held
    (empty after cancelling everything: the record and its ID remain) and the history of
    events that built it (replaying them with ``evolve`` from None rebuilds the record).

    ``year`` is the performance year the record is for; None (the default) ties it to no
    year: :func:`~qpp_rules.registration.decide` then accepts it under any year's policy and
    :func:`~qpp_rules.registration.carry_over` reads it as last year's. A record keeps at
    least one contact (REG-REC-4); only an automatic registration that began without one (an
    SSP ACO's or a carried-over group's with no contacts given) has none until the first is
    added.

    >>> import qpp_rules as qr
    >>> org = Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, name="Better Business Health",
    ...     address=Address("123 Better Health Way", "Baltimore", "MD", "21239"), tin="000765630")
    >>> jane = Contact("Jane", "Doe", "jdoe@betterhealth.com", "111-222-3344")
    >>> r = Registration("219043", org, (jane,), frozenset({qr.Program.WEB_INTERFACE}), year=2021)
    >>> print(r.summary())
    Better Business Health (TIN *****5630, size 25-99), PY2021
      CMS Web Interface: registered (Registration ID: 219043)
      CAHPS for MIPS Survey: not registered
      Address: 123 Better Health Way, Baltimore, MD 21239
      Contact: Jane Doe / jdoe@betterhealth.com 111-222-3344
    >>> Registration("201234", org, (jane,), frozenset({qr.Program.WEB_INTERFACE})).year is None
    True
    """

    registration_id: RegistrationId = attrs.field(validator=registration_id)
    organization: Organization = attrs.field(validator=fields.instance_of(Organization))
    contacts: tuple[Contact, ...] = attrs.field(converter=_CONTACTS)  # type: ignore[misc]
    programs: frozenset[Program] = attrs.field(
        default=frozenset(), converter=_PROGRAMS  # type: ignore[misc]
    )
    history: tuple[RegistrationEvent, ...] = attrs.field(
        default=(), converter=fields.tuple_of(EVENTS)  # type: ignore[misc]
    )
    year: int | None = attrs.field(
        default=None, kw_only=True, validator=fields.year(optional=True)
    )

    def __attrs_post_init__(self) -> None:
        if not self.contacts and not _may_have_no_contact(self.history):
            raise InvalidInput(
                "contacts",
                "a registration keeps at least one contact (REG-REC-4); only an automatic "
                "registration that began without one has none until the first is added",
            )

    def _after_read(self) -> None:
        """Read back from data (:func:`qpp_rules.from_json`), a record with a history must be
        what its history builds: a record edited by hand (a program added, a contact
        removed) is refused as an :class:`~qpp_rules.ImpossibleEvent`, as replaying a forged
        event is."""
        if not self.history:
            return
        from qpp_rules.registration.lifecycle import replay

        if replay(self.history) != self:
            raise ImpossibleEvent(
                "registration.history", "the record is not what its history builds (REG-REC-1): "
                "replaying its events gives another record"
            )

    def holds(self, program: Program) -> bool:
        """Whether the organization is registered for ``program``."""
        if not isinstance(program, Program):
            raise InvalidInput("program", f"a Program; got {type(program).__name__}")
        return program in self.programs

    def summary(self) -> str:
        """The registration summary as the guides' section VI shows it (TIN masked)."""
        year = f", PY{self.year}" if self.year is not None else ""
        lines = [f"{self.organization.describe()}{year}"]
        for program in Program:
            status = (
                f"registered (Registration ID: {self.registration_id})"
                if program in self.programs
                else "not registered"
            )
            lines.append(f"  {program.value}: {status}")
        if self.organization.address is not None:
            lines.append(f"  Address: {self.organization.address.one_line()}")
        for contact in self.contacts:
            lines.append(f"  Contact: {contact.full_name} / {contact.email} {contact.phone}")
        return mask_tins("\n".join(lines))
