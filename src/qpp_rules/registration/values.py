"""The values of registration: organizations, addresses, contacts, the collection types, the
answers about what an organization may hold, and the notifications the lifecycle sends.

Every value is a frozen attrs class validated on construction by the shared field validators
(:mod:`qpp_rules.kernel.fields`): wrong types or junk raise
:class:`~qpp_rules.errors.InvalidInput` naming the field. Addresses and contacts may be
*incomplete* (empty fields), as the registration form is before the registrant fills it in;
submitting needs them complete (REG-REC-2), which the lifecycle checks and refuses as a value.

A TIN never appears unmasked: ``Organization``'s repr shows it masked, and messages name the
organization by its name or masked identifier.

>>> from qpp_rules import OrgType, SizeBand
>>> org = Organization(OrgType.PRACTICE, SizeBand.MEDIUM, name="Better Business Health",
...                    tin="00-0765630")
>>> org.tin
TIN('*****5630')
>>> org.identifier_label
'TIN *****5630'
"""

from __future__ import annotations

import re
from typing import Any, TypeAlias

import attrs

from qpp_rules.decisions import Decision
from qpp_rules.errors import InvalidInput, mask_tins, masked_repr, shown
from qpp_rules.identifiers import TIN, ApmEntityId, Identifier, VirtualGroupId
from qpp_rules.kernel import fields
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.vocabulary import (
    ApmModel,
    CollectionType,
    OrgType,
    Program,
    RegistrationEventKind,
    ReportingTrack,
    SizeBand,
)

__all__ = [
    "Address",
    "CollectionType",
    "Contact",
    "Notification",
    "Options",
    "Organization",
    "RegistrationId",
    "split_excess",
    "split_within",
]

MAX_NUMBER = 10**40
"""Above any registration ID or ZIP code given as a number (and far below the 4300 digits
Python refuses to print)."""
_MAX_CLINICIANS = 10**7
"""More clinicians than any organization has (Medicare counts about a million clinicians):
a larger count is junk, and would not even print (Python refuses 4300-digit ints)."""

RegistrationId: TypeAlias = str | int
"""A registration ID as the caller's system issued it (text or a whole number, kept as given)
or as :func:`~qpp_rules.registration.derive_registration_id` derived it (text)."""


def tidy(value: Any, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    """Strip the text fields of a just-built frozen value; empty optional text is None."""
    for name in required:
        object.__setattr__(value, name, getattr(value, name).strip())
    for name in optional:
        text = getattr(value, name)
        if text is not None:
            object.__setattr__(value, name, text.strip() or None)


def registration_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A validator: a registration ID, text or a whole number (REG-REC-1)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value < MAX_NUMBER:
            raise InvalidInput(
                fields.field_path(instance, attribute),
                f"a registration ID; got the number {shown(value)}",
            )
        return
    if not isinstance(value, str) or not value:
        raise InvalidInput(
            fields.field_path(instance, attribute),
            "a non-empty registration ID (text or a whole number)",
        )


# -- addresses and contacts -------------------------------------------------------------------
def _zip(value: Any) -> Any:
    """A ZIP code as text: text as given; a whole number as its digits, zero-padded to 5
    (``2139`` is ``'02139'``: a ZIP code written as a number loses its leading zeros)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value < MAX_NUMBER:
            raise InvalidInput("zip", f"a ZIP code; got the number {shown(value)}")
        return f"{value:05d}"
    return value


@masked_repr
@attrs.frozen(cache_hash=True)
class Address:
    """An organization's mailing address. Fields may be empty while the form is being
    filled; :attr:`missing` names what a submission still needs (REG-REC-2).

    The guides' forms ask only that each required field be filled in, so the checks are
    lenient: every field is text; a two-letter state is upper-cased and any other state text
    kept as given (``"Maryland"``, a territory); any ZIP text is kept (the 2021 guide's own
    screen shows a 15-digit one), and a ZIP given as a whole number becomes its digits,
    zero-padded to 5.

    >>> a = Address("123 Better Health Way", "Baltimore", "md", "21239")
    >>> a.state, a.is_complete, a.one_line()
    ('MD', True, '123 Better Health Way, Baltimore, MD 21239')
    >>> Address("", "Baltimore", "MD", "21239").missing
    ('line1',)
    >>> Address("1 Harvard Yard", "Cambridge", "Massachusetts", 2138).zip
    '02138'
    """

    line1: str = attrs.field(validator=fields.text())
    city: str = attrs.field(validator=fields.text())
    state: str = attrs.field(validator=fields.text())
    zip: str = attrs.field(
        converter=fields.converted(_zip), validator=fields.text()  # type: ignore[misc]
    )
    line2: str | None = attrs.field(
        default=None, validator=fields.text(optional=True)
    )

    def __attrs_post_init__(self) -> None:
        tidy(self, ("line1", "city", "state", "zip"), ("line2",))
        state = self.state
        if len(state) == 2 and state.isascii() and state.isalpha():
            object.__setattr__(self, "state", state.upper())

    @property
    def missing(self) -> tuple[str, ...]:
        """The required fields still empty (line 2 is optional)."""
        return tuple(
            name for name in ("line1", "city", "state", "zip") if not getattr(self, name)
        )

    @property
    def is_complete(self) -> bool:
        """Whether every required field is filled in (REG-REC-2)."""
        return not self.missing

    def one_line(self) -> str:
        """The address on one line, as the registration summary shows it."""
        street = ", ".join(part for part in (self.line1, self.line2) if part)
        return f"{street}, {self.city}, {self.state} {self.zip}".strip(", ")


# A US phone number as a contact form takes it (REG-REC-2): 10 digits (or 11 with the
# country code 1), grouped by spaces, hyphens, dots or an area code in parentheses.
_PHONE = re.compile(r"(?:\+?1[\s.\-]?)?(?:\(\d{3}\)|\d{3})[\s.\-]?\d{3}[\s.\-]?\d{4}", re.ASCII)
_INLINE_EXTENSION = re.compile(r"(?i)\s*(?:x|ext\.?|extension)\s*\d{1,6}$")
_EXTENSION = re.compile(r"(?i)(?:(?:x|ext\.?|extension)\s*)?\d{1,6}", re.ASCII)


def _check_phone(phone: str) -> None:
    if _PHONE.fullmatch(phone):
        return
    digits = sum(char.isdigit() for char in phone)
    found = _INLINE_EXTENSION.search(phone)
    hint = ("; give the extension in its own field (extension)"
            if found and _PHONE.fullmatch(phone[:found.start()]) else "")
    raise InvalidInput(
        "contact.phone",
        f"a US phone number of 10 digits, e.g. 111-222-3344 (REG-REC-2); got {digits} digit"
        f"{'' if digits == 1 else 's'}: {shown(phone, 40)}{hint}",
    )


@masked_repr
@attrs.frozen(cache_hash=True)
class Contact:
    """A registration contact. Fields may be empty (the form starts with the registrant's
    own first and last name, REG-REC-2); :attr:`missing` names what is still needed.

    The checks are those of the guides' form (REG-REC-2): every field is text; an email,
    when given, has one ``@`` with text on both sides; a phone number, when given, is a US
    number of 10 digits, as the 2021 guide's contact screen takes it (``1112223344``), in any
    common punctuation (``111-222-3344``, ``(111) 222-3344``, ``111.222.3344``, a leading
    ``1`` or ``+1``); its extension goes in ``extension``: up to 6 digits, perhaps after
    ``x`` or ``ext``. A Social Security number (9 digits) is not a phone number, and a
    refusal shows it masked.

    >>> jane = Contact("Jane", "Doe", "jdoe@betterhealth.com", "111-222-3344")
    >>> jane.is_complete, jane.full_name
    (True, 'Jane Doe')
    >>> Contact("Jane", "Doe", "", "").missing
    ('email', 'phone')
    >>> Contact("Ann", "Lee", "ann@example.org", "+1 (410) 555-0134", "x12").extension
    'x12'
    >>> Contact("Jane", "Doe", "jdoe@betterhealth.com", "123-45-6789")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: contact.phone: a US phone number of 10 digits, e.g. \
111-222-3344 (REG-REC-2); got 9 digits: '*******6789'
    """

    first_name: str = attrs.field(validator=fields.text())
    last_name: str = attrs.field(validator=fields.text())
    email: str = attrs.field(validator=fields.text())
    phone: str = attrs.field(validator=fields.text())
    extension: str | None = attrs.field(
        default=None, validator=fields.text(optional=True)
    )

    def __attrs_post_init__(self) -> None:
        tidy(self, ("first_name", "last_name", "email", "phone"), ("extension",))
        if self.email:
            local, _, domain = self.email.partition("@")
            if self.email.count("@") != 1 or not local.strip() or not domain.strip():
                raise InvalidInput(
                    "contact.email",
                    f"an email address: one '@' with text on both sides; got "
                    f"{self.email[:80]!r}",
                )
        if self.phone:
            _check_phone(self.phone)
        if self.extension is not None and not _EXTENSION.fullmatch(self.extension):
            raise InvalidInput("contact.extension", "a phone extension: up to 6 digits, perhaps "
                               f"after 'x' or 'ext' (REG-REC-2); got {shown(self.extension, 40)}")

    @property
    def missing(self) -> tuple[str, ...]:
        """The required fields still empty (the extension is optional)."""
        return tuple(
            name
            for name in ("first_name", "last_name", "email", "phone")
            if not getattr(self, name)
        )

    @property
    def is_complete(self) -> bool:
        """Whether every required field is filled in (REG-REC-2)."""
        return not self.missing

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}".strip()



# -- the organization -------------------------------------------------------------------------
def _band_maximum(size: SizeBand) -> int | None:
    """The most clinicians in the band: one fewer than the next band's fewest; None for the
    largest band (``100 or more`` has no maximum)."""
    bands = list(SizeBand)
    index = bands.index(size)
    return bands[index + 1].minimum - 1 if index + 1 < len(bands) else None


def split_excess(split: int | None, size: SizeBand, count: int | None = None) -> str | None:
    """Why a split TIN's count ``split`` cannot be the group's (REG-ELIG-7: the clinicians
    outside the APM are part of the group, so never more than its exact count ``count`` where
    known, else its band's largest count); None where it can.

    >>> split_excess(24, SizeBand.SMALL) is None, split_excess(30, SizeBand.MEDIUM, 25)[:20]
    (True, 'the MIPS eligible cl')
    """
    most = count if count is not None else _band_maximum(size)
    if split is None or most is None or split <= most:
        return None
    group = (
        f"its {count} clinicians" if count is not None
        else f"the size band {size.value} (at most {most})"
    )
    return (
        "the MIPS eligible clinicians outside the APM are part of the group, so cannot "
        f"outnumber {group}; got {split} (REG-ELIG-7)"
    )


def split_within(split: int | None, size: SizeBand) -> int | None:
    """A split TIN's count read within the band ``size`` (REG-ELIG-7): kept where the band
    holds it, else the band's largest count (design: the most the part can be, until the
    organization restates it); None stays None.

    >>> split_within(30, SizeBand.SMALL), split_within(30, SizeBand.MEDIUM), split_within(None,
    ...     SizeBand.SMALL)
    (24, 30, None)
    """
    most = _band_maximum(size)
    if split is None or most is None:
        return split
    return min(split, most)


def _fact(name: str, problem: str) -> InvalidInput:
    return InvalidInput(f"organization.{name}", problem)


_OWN_IDENTIFIER: dict[OrgType, str] = {
    OrgType.PRACTICE: "tin",
    OrgType.REGISTRY: "tin",
    OrgType.VIRTUAL_GROUP: "virtual_group_id",
    OrgType.APM_ENTITY: "apm_entity_id",
}


@masked_repr
@attrs.frozen(cache_hash=True)
class Organization:
    """The facts about an organization that registration reads.

    ``kind`` and ``size`` (the size band it selects) are required; the rest default.
    Identifiers: ``tin`` (a Practice, a Registry, or an APM Entity's primary TIN),
    ``virtual_group_id`` (a Virtual Group only), ``apm_entity_id`` (an APM Entity only);
    text is validated into the identifier type. ``apm_model`` is an APM Entity's model (or,
    for a split-TIN Practice, the model part of its clinicians join). ``ssp_aco_participant``
    marks a Practice that is a Shared Savings Program ACO participant TIN (REG-ELIG-6).
    ``split_tin_mips_clinicians`` is set only for a split-TIN Practice: the MIPS eligible
    clinicians outside the APM (REG-ELIG-7), never more than the group (its ``clinicians``
    where given, else its band's largest count). ``submitted_web_interface_prior_year`` is the
    carry-over trigger (REG-AUTO-1). ``clinicians`` is the exact count where it is known
    (it must fall in ``size``): the size rules then compare the count itself, so a reform
    that puts a minimum inside a band (e.g. the Web Interface at 15) decides per count; with
    the band alone, the band's fewest clinicians decide (design). ``reporting_track`` is how
    it reports quality (REG-ELIG-10): ``ReportingTrack.TRADITIONAL_MIPS`` (the default, the only
    track before PY2021) or ``ReportingTrack.APP``, the APM Performance Pathway.

    >>> from qpp_rules import ApmModel, OrgType, SizeBand
    >>> aco = Organization(OrgType.APM_ENTITY, SizeBand.LARGE, name="Sample ACO",
    ...                    apm_entity_id="A1234", apm_model=ApmModel.SHARED_SAVINGS_PROGRAM)
    >>> aco.is_ssp_aco, aco.identifier
    (True, ApmEntityId('A1234'))
    >>> Organization(OrgType.VIRTUAL_GROUP, SizeBand.SMALL, tin="000765630")
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: organization.tin: a Virtual Group has no TIN of its own; \
use virtual_group_id
    """

    kind: OrgType = attrs.field(validator=fields.instance_of(OrgType))
    size: SizeBand = attrs.field(validator=fields.instance_of(SizeBand))
    name: str = attrs.field(default="", validator=fields.text())
    address: Address | None = attrs.field(
        default=None, validator=fields.instance_of(Address, optional=True)
    )
    tin: TIN | None = attrs.field(
        default=None, converter=fields.converted(TIN, kind=TIN, optional=True)  # type: ignore[misc]
    )
    virtual_group_id: VirtualGroupId | None = attrs.field(
        default=None,
        converter=fields.converted(  # type: ignore[misc]
            VirtualGroupId, kind=VirtualGroupId, optional=True
        ),
    )
    apm_entity_id: ApmEntityId | None = attrs.field(
        default=None,
        converter=fields.converted(  # type: ignore[misc]
            ApmEntityId, kind=ApmEntityId, optional=True
        ),
    )
    apm_model: ApmModel | None = attrs.field(
        default=None, validator=fields.instance_of(ApmModel, optional=True)
    )
    ssp_aco_participant: bool = attrs.field(
        default=False, validator=fields.flag()
    )
    split_tin_mips_clinicians: int | None = attrs.field(
        default=None, validator=fields.whole(minimum=0, maximum=_MAX_CLINICIANS, optional=True)
    )
    submitted_web_interface_prior_year: bool = attrs.field(
        default=False, validator=fields.flag()
    )
    clinicians: int | None = attrs.field(default=None, validator=fields.whole(optional=True))
    reporting_track: ReportingTrack = attrs.field(
        default=ReportingTrack.TRADITIONAL_MIPS,
        validator=fields.instance_of(ReportingTrack),
    )

    def __attrs_post_init__(self) -> None:
        tidy(self, ("name",), ())
        kind = self.kind
        count = self.clinicians
        if count is not None and not 2 <= count <= _MAX_CLINICIANS:
            raise _fact("clinicians", f"from 2 (a group) to {_MAX_CLINICIANS:,} (more than any "
                        f"US practice has); got {shown(count)}")
        if count is not None and SizeBand.from_clinicians(count) is not self.size:
            raise _fact("clinicians",
                        f"{shown(count)} clinicians are not in the size band {self.size.value}")
        this = f"this is {a_or_an(kind.value)}"
        if self.tin is not None and kind is OrgType.VIRTUAL_GROUP:
            raise _fact("tin", "a Virtual Group has no TIN of its own; use virtual_group_id")
        if self.virtual_group_id is not None and kind is not OrgType.VIRTUAL_GROUP:
            raise _fact("virtual_group_id", f"only a Virtual Group has one; {this}")
        if self.apm_entity_id is not None and kind is not OrgType.APM_ENTITY:
            raise _fact("apm_entity_id", f"only an APM Entity has one; {this}")
        if self.apm_model is not None and kind not in (OrgType.APM_ENTITY, OrgType.PRACTICE):
            raise _fact(
                "apm_model",
                f"an APM Entity's model (or a split-TIN practice's); {this}",
            )
        if self.ssp_aco_participant and kind is not OrgType.PRACTICE:
            raise _fact("ssp_aco_participant",
                        f"only a Practice (an ACO participant TIN) is one; {this}")
        split = self.split_tin_mips_clinicians
        if split is None:
            return
        if kind is not OrgType.PRACTICE:
            raise _fact("split_tin_mips_clinicians",
                        f"only a split-TIN Practice has it; {this}")
        if self.ssp_aco_participant or self.apm_model is ApmModel.SHARED_SAVINGS_PROGRAM:
            raise _fact(
                "split_tin_mips_clinicians",
                "split TINs are for a Next Generation ACO or other non-SSP Advanced APM "
                "(REG-ELIG-7); an SSP ACO participant is not one",
            )
        excess = split_excess(split, self.size, count)
        if excess is not None:
            raise _fact("split_tin_mips_clinicians", excess)

    @property
    def is_ssp_aco(self) -> bool:
        """Whether this is a Shared Savings Program ACO (an APM Entity of that model)."""
        return self.kind is OrgType.APM_ENTITY and self.apm_model is ApmModel.SHARED_SAVINGS_PROGRAM

    @property
    def identifier(self) -> Identifier | None:
        """The organization's own identifier: a Practice's or Registry's TIN, a Virtual
        Group's ID, an APM Entity's ID; None where the caller gave none."""
        value: Identifier | None = getattr(self, _OWN_IDENTIFIER[self.kind])
        return value

    @property
    def any_identifier(self) -> Identifier | None:
        """Its own identifier where given, else any other it has (an APM Entity's primary
        TIN); None where it has none.

        >>> from qpp_rules import OrgType, SizeBand
        >>> Organization(OrgType.APM_ENTITY, SizeBand.LARGE, tin="000765630").any_identifier
        TIN('*****5630')
        """
        own = self.identifier
        if own is not None:
            return own
        for name in ("tin", "apm_entity_id", "virtual_group_id"):
            value: Identifier | None = getattr(self, name)
            if value is not None:
                return value
        return None

    @property
    def identifier_label(self) -> str:
        """The identifier as a person reads it (its own, else any other it has, a TIN
        masked); ``"no identifier"`` if none."""
        identifier = self.any_identifier
        if identifier is None:
            return "no identifier"
        return f"{type(identifier).label} {identifier.masked}"

    @property
    def missing(self) -> tuple[str, ...]:
        """The organization information a submission still needs (REG-REC-2): the name and
        each required address field (``address.line1``, ...)."""
        missing = [] if self.name else ["name"]
        if self.address is None:
            missing += [f"address.{name}" for name in ("line1", "city", "state", "zip")]
        else:
            missing += [f"address.{name}" for name in self.address.missing]
        return tuple(missing)

    @property
    def is_complete(self) -> bool:
        """Whether the organization information is complete (REG-REC-2)."""
        return not self.missing

    def describe(self) -> str:
        """Name, identifier and size, as the registration list shows them (anything shaped
        like a TIN masked, the name's too)."""
        return mask_tins(
            f"{self.name or '(no name)'} ({self.identifier_label}, size {self.size.value})"
        )



# -- answers ----------------------------------------------------------------------------------
@attrs.frozen
class Options:
    """What an organization may hold in a year: one explained Decision per program.

    >>> import qpp_rules as qr
    >>> from qpp_rules.registration import options
    >>> o = options(Organization(qr.OrgType.PRACTICE, qr.SizeBand.SMALL), qr.policy_for(2019))
    >>> bool(o.web_interface), bool(o.cahps), o[qr.Program.CAHPS] is o.cahps
    (False, True, True)
    """

    web_interface: Decision = attrs.field(validator=fields.instance_of(Decision))
    cahps: Decision = attrs.field(validator=fields.instance_of(Decision))

    def __getitem__(self, program: Program) -> Decision:
        if program is Program.WEB_INTERFACE:
            return self.web_interface
        if program is Program.CAHPS:
            return self.cahps
        raise InvalidInput("program", f"a Program; got {shown(program)}")

    @property
    def allowed(self) -> frozenset[Program]:
        """The programs it may hold."""
        return frozenset(p for p in Program if self[p].allowed)

    def explain(self) -> str:
        """Both decisions, as a person reads them."""
        return "\n".join(
            f"{program.value}: {self[program].explain()}" for program in Program
        )


@masked_repr
@attrs.frozen
class Notification:
    """One email to one contact about one event (REG-REC-5).

    >>> from qpp_rules.vocabulary import Program, RegistrationEventKind
    >>> n = Notification(Contact("Jane", "Doe", "jdoe@betterhealth.com", "111-222-3344"),
    ...                  RegistrationEventKind.CANCELLED, "219043", Program.WEB_INTERFACE)
    >>> n.subject
    'Registration 219043: CMS Web Interface registration cancelled'
    """

    contact: Contact = attrs.field(validator=fields.instance_of(Contact))
    kind: RegistrationEventKind = attrs.field(
        validator=fields.instance_of(RegistrationEventKind)
    )
    registration_id: RegistrationId = attrs.field(validator=registration_id)
    program: Program | None = attrs.field(
        default=None, validator=fields.instance_of(Program, optional=True)
    )

    @property
    def to(self) -> str:
        """The contact's email address."""
        return self.contact.email

    @property
    def subject(self) -> str:
        """A one-line subject naming the registration ID (the guides ask to record it)."""
        what = f"{self.program.value} registration" if self.program else "registration"
        return mask_tins(f"Registration {self.registration_id}: {what} {self.kind.value}")
