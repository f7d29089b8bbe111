"""The value types of registration: organizations, addresses, contacts, the registration
record, the lifecycle's commands and events, and the notifications they send.

Every value is a frozen attrs class validated on construction: wrong types or junk raise
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

import enum
import re
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeAlias

import attrs
import pendulum

from qpp_rules.decisions import Decision
from qpp_rules.errors import InvalidInput, shown
from qpp_rules.identifiers import TIN, ApmEntityId, Identifier, VirtualGroupId
from qpp_rules.time import instant, utc_key
from qpp_rules.vocabulary import (
    ApmModel,
    OrgType,
    Program,
    RegistrationEventKind,
    ReportingTrack,
    SizeBand,
)

__all__ = [
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
]

_REGISTRATION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{0,39}")
_MAX_NUMBER = 10**40
"""Above any registration ID or ZIP code given as a number (and far below the 4300 digits
Python refuses to print)."""

RegistrationId: TypeAlias = str | int
"""A registration ID as the caller's system issued it (text or a whole number, kept as given)
or as :func:`~qpp_rules.registration.derive_registration_id` derived it (text)."""
_MAX_CLINICIANS = 10**7
"""More clinicians than any organization has (Medicare counts about a million clinicians):
a larger count is junk, and would not even print (Python refuses 4300-digit ints)."""


# -- small validators -------------------------------------------------------------------------
def _tidy(value: Any, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    """Strip the text fields of a just-built frozen value; empty optional text is None."""
    for name in required:
        object.__setattr__(value, name, getattr(value, name).strip())
    for name in optional:
        text = getattr(value, name)
        if text is not None:
            object.__setattr__(value, name, text.strip() or None)


def _instance(kind: type | tuple[type, ...], field: str, *, optional: bool = False) -> Any:
    def check(_: Any, __: Any, value: Any) -> None:
        if optional and value is None:
            return
        if isinstance(value, bool) and kind is not bool:
            raise InvalidInput(field, f"not a bool; got {value!r}")
        if not isinstance(value, kind):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            raise InvalidInput(field, f"a {names}; got {type(value).__name__}")

    return check


def _flag(field: str) -> Any:
    def check(_: Any, __: Any, value: Any) -> None:
        if not isinstance(value, bool):
            raise InvalidInput(field, f"True or False; got {type(value).__name__}")

    return check


def _identifier(kind: type[Identifier], value: Any) -> Any:
    if value is None or isinstance(value, kind):
        return value
    if isinstance(value, Identifier):
        raise InvalidInput(
            f"organization.{kind.field}", f"a {kind.label}; got a {type(value).__name__}"
        )
    return kind(value)


def _tin(value: Any) -> TIN | None:
    result: TIN | None = _identifier(TIN, value)
    return result


def _virtual_group_id(value: Any) -> VirtualGroupId | None:
    result: VirtualGroupId | None = _identifier(VirtualGroupId, value)
    return result


def _apm_entity_id(value: Any) -> ApmEntityId | None:
    result: ApmEntityId | None = _identifier(ApmEntityId, value)
    return result


def _tuple_of(kind: type, field: str) -> Callable[[Any], tuple[Any, ...]]:
    def convert(value: Any) -> tuple[Any, ...]:
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            raise InvalidInput(field, f"a sequence of {kind.__name__}; got {type(value).__name__}")
        items = tuple(value)
        for index, item in enumerate(items):
            if not isinstance(item, kind):
                raise InvalidInput(
                    f"{field}[{index}]", f"a {kind.__name__}; got {type(item).__name__}"
                )
        return items

    return convert


def _programs(value: Any) -> frozenset[Program]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput("programs", f"a set of Program; got {type(value).__name__}")
    try:
        items = frozenset(value)
    except TypeError:  # an unhashable item
        raise InvalidInput("programs", "each a Program") from None
    for item in items:
        if not isinstance(item, Program):
            raise InvalidInput("programs", f"each a Program; got {type(item).__name__}")
    return items


def _at(value: Any) -> pendulum.DateTime:
    return instant(value, "at")


# -- addresses and contacts -------------------------------------------------------------------
def _zip(value: Any) -> Any:
    """A ZIP code as text: text as given; a whole number as its digits, zero-padded to 5
    (``2139`` is ``'02139'``: a ZIP code written as a number loses its leading zeros)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value < _MAX_NUMBER:
            raise InvalidInput("address.zip", f"a ZIP code; got the number {shown(value)}")
        return f"{value:05d}"
    return value


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

    line1: str = attrs.field(validator=_instance(str, "address.line1"))
    city: str = attrs.field(validator=_instance(str, "address.city"))
    state: str = attrs.field(validator=_instance(str, "address.state"))
    zip: str = attrs.field(converter=_zip, validator=_instance(str, "address.zip"))
    line2: str | None = attrs.field(
        default=None, validator=_instance(str, "address.line2", optional=True)
    )

    def __attrs_post_init__(self) -> None:
        _tidy(self, ("line1", "city", "state", "zip"), ("line2",))
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


@attrs.frozen(cache_hash=True)
class Contact:
    """A registration contact. Fields may be empty (the form starts with the registrant's
    own first and last name, REG-REC-2); :attr:`missing` names what is still needed.

    The checks are lenient, as the guides' forms are: every field is text; an email, when
    given, has one ``@`` with text on both sides; a phone number, when given, has at least one
    digit (any format: ``111-222-3344``, ``+44 20 7946 0958``); an extension is any text
    (``x12``).

    >>> jane = Contact("Jane", "Doe", "jdoe@betterhealth.com", "111-222-3344")
    >>> jane.is_complete, jane.full_name
    (True, 'Jane Doe')
    >>> Contact("Jane", "Doe", "", "").missing
    ('email', 'phone')
    >>> Contact("Ann", "Lee", "ann@nhs.example", "+44 20 7946 0958", "x12").extension
    'x12'
    """

    first_name: str = attrs.field(validator=_instance(str, "contact.first_name"))
    last_name: str = attrs.field(validator=_instance(str, "contact.last_name"))
    email: str = attrs.field(validator=_instance(str, "contact.email"))
    phone: str = attrs.field(validator=_instance(str, "contact.phone"))
    extension: str | None = attrs.field(
        default=None, validator=_instance(str, "contact.extension", optional=True)
    )

    def __attrs_post_init__(self) -> None:
        _tidy(self, ("first_name", "last_name", "email", "phone"), ("extension",))
        if self.email:
            local, _, domain = self.email.partition("@")
            if self.email.count("@") != 1 or not local.strip() or not domain.strip():
                raise InvalidInput(
                    "contact.email",
                    f"an email address: one '@' with text on both sides; got "
                    f"{self.email[:80]!r}",
                )
        if self.phone and not any(char.isdigit() for char in self.phone):
            raise InvalidInput(
                "contact.phone", f"a phone number has digits; got {self.phone[:40]!r}"
            )

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


def _check_split(split: Any, size: SizeBand, field: str) -> None:
    """A split TIN's count: a whole number, never more than the group's band holds
    (REG-ELIG-7)."""
    if split is None:
        return
    if isinstance(split, bool) or not isinstance(split, int) or not 0 <= split <= _MAX_CLINICIANS:
        raise InvalidInput(
            field, f"a whole number of clinicians, 0 to {_MAX_CLINICIANS:,}; got {shown(split)}"
        )
    most = _band_maximum(size)
    if most is not None and split > most:
        raise InvalidInput(
            field,
            f"the MIPS eligible clinicians outside the APM are part of the group, so cannot "
            f"outnumber the size band {size.value} (at most {most}); got {split} (REG-ELIG-7)",
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


_OWN_IDENTIFIER: dict[OrgType, str] = {
    OrgType.PRACTICE: "tin",
    OrgType.REGISTRY: "tin",
    OrgType.VIRTUAL_GROUP: "virtual_group_id",
    OrgType.APM_ENTITY: "apm_entity_id",
}


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
    the band alone, the band's fewest clinicians decide (design).

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

    kind: OrgType = attrs.field(validator=_instance(OrgType, "organization.kind"))
    size: SizeBand = attrs.field(validator=_instance(SizeBand, "organization.size"))
    name: str = attrs.field(default="", validator=_instance(str, "organization.name"))
    address: Address | None = attrs.field(
        default=None, validator=_instance(Address, "organization.address", optional=True)
    )
    tin: TIN | None = attrs.field(default=None, converter=_tin)
    virtual_group_id: VirtualGroupId | None = attrs.field(
        default=None, converter=_virtual_group_id
    )
    apm_entity_id: ApmEntityId | None = attrs.field(default=None, converter=_apm_entity_id)
    apm_model: ApmModel | None = attrs.field(
        default=None, validator=_instance(ApmModel, "organization.apm_model", optional=True)
    )
    ssp_aco_participant: bool = attrs.field(
        default=False, validator=_flag("organization.ssp_aco_participant")
    )
    split_tin_mips_clinicians: int | None = attrs.field(default=None)
    submitted_web_interface_prior_year: bool = attrs.field(
        default=False, validator=_flag("organization.submitted_web_interface_prior_year")
    )
    clinicians: int | None = attrs.field(default=None)
    reporting_track: ReportingTrack = attrs.field(
        default=ReportingTrack.TRADITIONAL_MIPS,
        validator=_instance(ReportingTrack, "organization.reporting_track"),
    )
    _facts: tuple[Any, ...] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        _tidy(self, ("name",), ())
        kind = self.kind
        count = self.clinicians
        if count is not None:
            if isinstance(count, bool) or not isinstance(count, int):
                raise InvalidInput(
                    "organization.clinicians", f"a whole number of clinicians; got {shown(count)}"
                )
            if not 2 <= count <= _MAX_CLINICIANS \
                    or SizeBand.from_clinicians(count) is not self.size:
                raise InvalidInput(
                    "organization.clinicians",
                    f"{shown(count)} clinicians are not in the size band {self.size.value}",
                )
        if self.tin is not None and kind is OrgType.VIRTUAL_GROUP:
            raise InvalidInput(
                "organization.tin", "a Virtual Group has no TIN of its own; use virtual_group_id"
            )
        if self.virtual_group_id is not None and kind is not OrgType.VIRTUAL_GROUP:
            raise InvalidInput(
                "organization.virtual_group_id",
                f"only a Virtual Group has one; this is a {kind.value}",
            )
        if self.apm_entity_id is not None and kind is not OrgType.APM_ENTITY:
            raise InvalidInput(
                "organization.apm_entity_id",
                f"only an APM Entity has one; this is a {kind.value}",
            )
        if self.apm_model is not None and kind not in (OrgType.APM_ENTITY, OrgType.PRACTICE):
            raise InvalidInput(
                "organization.apm_model",
                f"an APM Entity's model (or a split-TIN practice's); this is a {kind.value}",
            )
        if self.ssp_aco_participant and kind is not OrgType.PRACTICE:
            raise InvalidInput(
                "organization.ssp_aco_participant",
                f"only a Practice (an ACO participant TIN) is one; this is a {kind.value}",
            )
        split = self.split_tin_mips_clinicians
        if split is not None:
            if isinstance(split, bool) or not isinstance(split, int) \
                    or not 0 <= split <= _MAX_CLINICIANS:
                raise InvalidInput(
                    "organization.split_tin_mips_clinicians",
                    f"a whole number of clinicians, 0 to {_MAX_CLINICIANS:,}; got {shown(split)}",
                )
            if kind is not OrgType.PRACTICE:
                raise InvalidInput(
                    "organization.split_tin_mips_clinicians",
                    f"only a split-TIN Practice has it; this is a {kind.value}",
                )
            if self.ssp_aco_participant or self.apm_model is ApmModel.SHARED_SAVINGS_PROGRAM:
                raise InvalidInput(
                    "organization.split_tin_mips_clinicians",
                    "split TINs are for a Next Generation ACO or other non-SSP Advanced APM "
                    "(REG-ELIG-7); an SSP ACO participant is not one",
                )
            # REG-ELIG-7: the clinicians outside the APM are part of the group, so never more
            # than the group: its exact count where known, else its band's largest count.
            most = count if count is not None else _band_maximum(self.size)
            if most is not None and split > most:
                group = (
                    f"its {count} clinicians" if count is not None
                    else f"the size band {self.size.value} (at most {most})"
                )
                raise InvalidInput(
                    "organization.split_tin_mips_clinicians",
                    f"the MIPS eligible clinicians outside the APM are part of the group, so "
                    f"cannot outnumber {group}; got {split} (REG-ELIG-7)",
                )
        # The facts the eligibility rules read, as a small tuple of cheaply hashed values
        # (text, not enums), computed once: the key of the explained answers' cache.
        object.__setattr__(self, "_facts", (
            "registration.options",
            kind.value,
            self.size.value,
            kind is OrgType.APM_ENTITY and self.apm_model is ApmModel.SHARED_SAVINGS_PROGRAM,
            self.ssp_aco_participant,
            self.split_tin_mips_clinicians,
            self.submitted_web_interface_prior_year,
            self.clinicians,
            self.reporting_track.value,
        ))

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
        """Name, identifier (masked) and size, as the registration list shows them."""
        return f"{self.name or '(no name)'} ({self.identifier_label}, size {self.size.value})"


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

    web_interface: Decision = attrs.field(validator=_instance(Decision, "web_interface"))
    cahps: Decision = attrs.field(validator=_instance(Decision, "cahps"))

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


# -- collection types -------------------------------------------------------------------------
class CollectionType(enum.Enum):
    """The ways to report quality the registration guides name (REG-ELIG-8): the two that
    need advance registration (the CMS Web Interface, the CAHPS for MIPS Survey) and the
    others. A closed vocabulary: :meth:`parse` reads the guides' names for each (the survey
    is also "CAHPS Survey" and "CAHPS") and refuses unknown text.

    >>> CollectionType.parse("CAHPS Survey"), CollectionType.parse("cahps").program
    (<CollectionType.CAHPS: 'CAHPS for MIPS Survey'>, <Program.CAHPS: 'CAHPS for MIPS Survey'>)
    >>> CollectionType.parse("Electronic Health Record (EHR)")
    <CollectionType.EHR: 'EHR'>
    >>> CollectionType.parse("fax")
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: collection: a collection type the guides name (CMS Web \
Interface, CAHPS for MIPS Survey, eCQMs, MIPS CQMs, QCDR measures, EHR, Qualified Registry, \
QCDR); got 'fax'
    """

    WEB_INTERFACE = "CMS Web Interface"
    CAHPS = "CAHPS for MIPS Survey"
    ECQMS = "eCQMs"
    MIPS_CQMS = "MIPS CQMs"
    QCDR_MEASURES = "QCDR measures"
    EHR = "EHR"
    QUALIFIED_REGISTRY = "Qualified Registry"
    QCDR = "QCDR"

    @property
    def program(self) -> Program | None:
        """The program it registers for; None for a collection type needing no registration."""
        return _PROGRAM_OF.get(self)

    @classmethod
    def parse(cls, text: object, field: str = "collection") -> CollectionType:
        """The collection type ``text`` names, compared without case and with runs of spaces
        read as one; InvalidInput for any other text."""
        if isinstance(text, CollectionType):
            return text
        if isinstance(text, Program):
            return cls(text.value)
        key = " ".join(text.split()).casefold() if isinstance(text, str) else None
        found = _COLLECTION_NAMES.get(key) if key is not None else None
        if found is None:
            names = ", ".join(member.value for member in cls)
            raise InvalidInput(
                field, f"a collection type the guides name ({names}); got {shown(text)}"
            )
        return found


_PROGRAM_OF = {
    CollectionType.WEB_INTERFACE: Program.WEB_INTERFACE,
    CollectionType.CAHPS: Program.CAHPS,
}
_COLLECTION_NAMES: dict[str, CollectionType] = {
    **{member.value.casefold(): member for member in CollectionType},
    **{name.casefold(): member for member, names in {
        CollectionType.WEB_INTERFACE: ("Web Interface",),
        CollectionType.CAHPS: ("CAHPS Survey", "CAHPS", "CAHPS for MIPS"),
        CollectionType.ECQMS: ("eCQM", "electronic clinical quality measures"),
        CollectionType.MIPS_CQMS: ("MIPS CQM", "MIPS clinical quality measures"),
        CollectionType.EHR: ("Electronic Health Record", "Electronic Health Record (EHR)"),
        CollectionType.QCDR: (
            "Qualified Clinical Data Registry", "Qualified Clinical Data Registry (QCDR)"
        ),
    }.items() for name in names},
}


# -- commands ---------------------------------------------------------------------------------
def _registration_id(value: Any) -> RegistrationId | None:
    """The ID as the caller gave it: a whole number stays a number, text stays text
    (stripped)."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value < _MAX_NUMBER:
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


def _contacts(value: Any) -> tuple[Contact, ...]:
    contacts: tuple[Contact, ...] = _tuple_of(Contact, "contacts")(value)
    if len(set(contacts)) != len(contacts):
        raise InvalidInput("contacts", "the same contact is listed twice")
    return contacts


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

    program: Program = attrs.field(validator=_instance(Program, "program"))
    organization: Organization | None = attrs.field(
        default=None, validator=_instance(Organization, "organization", optional=True)
    )
    contacts: tuple[Contact, ...] = attrs.field(default=(), converter=_contacts)
    registration_id: RegistrationId | None = attrs.field(
        default=None, converter=_registration_id
    )


@attrs.frozen
class Cancel:
    """Cancel the registration for ``program`` (REG-REC-9); ``confirmed`` is the answer to
    "Are you sure you want to cancel registration?" (REG-REC-7).

    >>> import qpp_rules as qr
    >>> Cancel(qr.Program.WEB_INTERFACE, confirmed=True).confirmed
    True
    """

    program: Program = attrs.field(validator=_instance(Program, "program"))
    confirmed: bool = attrs.field(validator=_flag("confirmed"))


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

    size: SizeBand = attrs.field(validator=_instance(SizeBand, "size"))
    confirmed: bool = attrs.field(validator=_flag("confirmed"))
    split_tin_mips_clinicians: int | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        _check_split(self.split_tin_mips_clinicians, self.size, "split_tin_mips_clinicians")


@attrs.frozen
class UpdateOrganization:
    """Update the organization's name and/or address (what the year lets the kind edit,
    REG-REC-3). At least one is given; identifiers and size never change here.

    >>> UpdateOrganization(name="Better Business Health").address is None
    True
    """

    name: str | None = attrs.field(default=None, validator=_instance(str, "name", optional=True))
    address: Address | None = attrs.field(
        default=None, validator=_instance(Address, "address", optional=True)
    )

    def __attrs_post_init__(self) -> None:
        _tidy(self, (), ("name",))
        if self.name is None and self.address is None:
            raise InvalidInput("name", "give a new name or a new address (or both)")


@attrs.frozen
class AddContact:
    """Add a contact (REG-REC-4: at any time while the window is open).

    >>> AddContact(Contact("John", "Smith", "jsmith@betterhealth.com", "111-222-4455"))
    AddContact(contact=Contact(first_name='John', last_name='Smith', \
email='jsmith@betterhealth.com', phone='111-222-4455', extension=None))
    """

    contact: Contact = attrs.field(validator=_instance(Contact, "contact"))


@attrs.frozen
class EditContact:
    """Replace ``contact`` with ``new``, in place (the last contact is edited, not deleted).

    >>> jane = Contact("Jane", "Doe", "", "")
    >>> EditContact(jane, attrs.evolve(jane, email="jdoe@betterhealth.com")).new.email
    'jdoe@betterhealth.com'
    """

    contact: Contact = attrs.field(validator=_instance(Contact, "contact"))
    new: Contact = attrs.field(validator=_instance(Contact, "new"))


@attrs.frozen
class DeleteContact:
    """Delete ``contact``; never the last one (REG-REC-4).

    >>> DeleteContact(Contact("John", "Smith", "", "")).contact.full_name
    'John Smith'
    """

    contact: Contact = attrs.field(validator=_instance(Contact, "contact"))


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
def _rid(field: str = "registration_id") -> Any:
    def check(_: Any, __: Any, value: Any) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            if not 0 <= value < _MAX_NUMBER:
                raise InvalidInput(field, f"a registration ID; got the number {shown(value)}")
            return
        if not isinstance(value, str) or not value:
            raise InvalidInput(field, "a non-empty registration ID (text or a whole number)")

    return check


def _year(_: Any, __: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("year", f"a performance year; got {shown(value)}")


def _optional_year(_: Any, __: Any, value: Any) -> None:
    if value is not None:
        _year(_, __, value)


@attrs.frozen
class Registered:
    """A program was registered: the first registration (the record begins), the second
    program, or a re-registration (the record's organization and contacts, REG-REC-6/8).
    ``year`` is the record's (None for a record not tied to a year).

    >>> Registered.kind
    <RegistrationEventKind.SUBMITTED: 'submitted'>
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.SUBMITTED

    registration_id: RegistrationId = attrs.field(validator=_rid())
    year: int | None = attrs.field(validator=_optional_year)
    program: Program = attrs.field(validator=_instance(Program, "program"))
    organization: Organization = attrs.field(validator=_instance(Organization, "organization"))
    contacts: tuple[Contact, ...] = attrs.field(converter=_contacts)
    at: pendulum.DateTime = attrs.field(converter=_at, eq=utc_key)


@attrs.frozen
class CarriedOver:
    """Last year's record started this year's with automatic registrations (REG-AUTO-1,
    REG-ELIG-4, REG-AUTO-4). Made by :func:`~qpp_rules.registration.carry_over`, not by a
    command, so it notifies nobody.

    >>> CarriedOver.kind
    <RegistrationEventKind.SUBMITTED: 'submitted'>
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.SUBMITTED

    registration_id: RegistrationId = attrs.field(validator=_rid())
    year: int = attrs.field(validator=_year)
    from_year: int = attrs.field(validator=_year)
    organization: Organization = attrs.field(validator=_instance(Organization, "organization"))
    contacts: tuple[Contact, ...] = attrs.field(converter=_contacts)
    programs: frozenset[Program] = attrs.field(converter=_programs)


@attrs.frozen
class AutomaticallyRegistered:
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

    registration_id: RegistrationId = attrs.field(validator=_rid())
    year: int = attrs.field(validator=_year)
    organization: Organization = attrs.field(validator=_instance(Organization, "organization"))
    contacts: tuple[Contact, ...] = attrs.field(converter=_contacts)
    programs: frozenset[Program] = attrs.field(converter=_programs)


@attrs.frozen
class Cancelled:
    """A program's registration was cancelled: by a Cancel (``cause`` REG-REC-9) or by a
    size change to a band that does not qualify (``cause`` REG-SIZE-1).

    >>> Cancelled.kind
    <RegistrationEventKind.CANCELLED: 'cancelled'>
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.CANCELLED

    registration_id: RegistrationId = attrs.field(validator=_rid())
    program: Program = attrs.field(validator=_instance(Program, "program"))
    at: pendulum.DateTime = attrs.field(converter=_at, eq=utc_key)
    cause: str = attrs.field(default="REG-REC-9", validator=_instance(str, "cause"))


@attrs.frozen
class SizeChanged:
    """The size band changed (REG-SIZE-1); ``split_tin_mips_clinicians`` is a split TIN's
    count after the change (REG-ELIG-7: restated, or kept within the new band), None for an
    organization that is not one.

    >>> SizeChanged.kind
    <RegistrationEventKind.MODIFIED: 'modified'>
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.MODIFIED

    registration_id: RegistrationId = attrs.field(validator=_rid())
    size: SizeBand = attrs.field(validator=_instance(SizeBand, "size"))
    previous: SizeBand = attrs.field(validator=_instance(SizeBand, "previous"))
    at: pendulum.DateTime = attrs.field(converter=_at, eq=utc_key)
    split_tin_mips_clinicians: int | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        _check_split(self.split_tin_mips_clinicians, self.size, "split_tin_mips_clinicians")


@attrs.frozen
class OrganizationUpdated:
    """The organization's name and address after an update (REG-REC-3).

    >>> OrganizationUpdated.kind
    <RegistrationEventKind.MODIFIED: 'modified'>
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.MODIFIED

    registration_id: RegistrationId = attrs.field(validator=_rid())
    name: str = attrs.field(validator=_instance(str, "name"))
    address: Address | None = attrs.field(
        validator=_instance(Address, "address", optional=True)
    )
    at: pendulum.DateTime = attrs.field(converter=_at, eq=utc_key)


@attrs.frozen
class ContactAdded:
    """A contact was added at the end of the list (REG-REC-4).

    >>> ContactAdded.kind
    <RegistrationEventKind.MODIFIED: 'modified'>
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.MODIFIED

    registration_id: RegistrationId = attrs.field(validator=_rid())
    contact: Contact = attrs.field(validator=_instance(Contact, "contact"))
    at: pendulum.DateTime = attrs.field(converter=_at, eq=utc_key)


@attrs.frozen
class ContactEdited:
    """A contact was replaced in place.

    >>> ContactEdited.kind
    <RegistrationEventKind.MODIFIED: 'modified'>
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.MODIFIED

    registration_id: RegistrationId = attrs.field(validator=_rid())
    contact: Contact = attrs.field(validator=_instance(Contact, "contact"))
    new: Contact = attrs.field(validator=_instance(Contact, "new"))
    at: pendulum.DateTime = attrs.field(converter=_at, eq=utc_key)


@attrs.frozen
class ContactDeleted:
    """A contact was deleted (never the last, REG-REC-4).

    >>> ContactDeleted.kind
    <RegistrationEventKind.MODIFIED: 'modified'>
    """

    kind: ClassVar[RegistrationEventKind] = RegistrationEventKind.MODIFIED

    registration_id: RegistrationId = attrs.field(validator=_rid())
    contact: Contact = attrs.field(validator=_instance(Contact, "contact"))
    at: pendulum.DateTime = attrs.field(converter=_at, eq=utc_key)


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


def _history(value: Any) -> tuple[RegistrationEvent, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput("history", f"a sequence of events; got {type(value).__name__}")
    events = tuple(value)
    for index, event in enumerate(events):
        if not isinstance(event, EVENTS):
            raise InvalidInput(f"history[{index}]", f"an event; got {type(event).__name__}")
    return events


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

    registration_id: RegistrationId = attrs.field(validator=_rid())
    organization: Organization = attrs.field(validator=_instance(Organization, "organization"))
    contacts: tuple[Contact, ...] = attrs.field(converter=_contacts)
    programs: frozenset[Program] = attrs.field(default=frozenset(), converter=_programs)
    history: tuple[RegistrationEvent, ...] = attrs.field(default=(), converter=_history)
    year: int | None = attrs.field(default=None, kw_only=True, validator=_optional_year)

    def __attrs_post_init__(self) -> None:
        if not self.contacts and not _may_have_no_contact(self.history):
            raise InvalidInput(
                "contacts",
                "a registration keeps at least one contact (REG-REC-4); only an automatic "
                "registration that began without one has none until the first is added",
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
        return "\n".join(lines)


@attrs.frozen
class Notification:
    """One email to one contact about one event (REG-REC-5).

    >>> from qpp_rules.vocabulary import Program, RegistrationEventKind
    >>> n = Notification(Contact("Jane", "Doe", "jdoe@betterhealth.com", "111-222-3344"),
    ...                  RegistrationEventKind.CANCELLED, "219043", Program.WEB_INTERFACE)
    >>> n.subject
    'Registration 219043: CMS Web Interface registration cancelled'
    """

    contact: Contact = attrs.field(validator=_instance(Contact, "contact"))
    kind: RegistrationEventKind = attrs.field(
        validator=_instance(RegistrationEventKind, "kind")
    )
    registration_id: RegistrationId = attrs.field(validator=_rid())
    program: Program | None = attrs.field(
        default=None, validator=_instance(Program, "program", optional=True)
    )

    @property
    def to(self) -> str:
        """The contact's email address."""
        return self.contact.email

    @property
    def subject(self) -> str:
        """A one-line subject naming the registration ID (the guides ask to record it)."""
        what = f"{self.program.value} registration" if self.program else "registration"
        return f"Registration {self.registration_id}: {what} {self.kind.value}"
