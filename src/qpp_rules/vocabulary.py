"""The shared vocabulary: organization types, APM models, programs, size bands, roles,
permissions and registration event kinds.

These enums sit at the bottom of the library because the policy tables speak of them; the
domain packages re-export the ones they own (``qpp_rules.registration.Program``,
``qpp_rules.access.Role``, ...). Each member's value is the guides' own wording, which is
also its JSON form.

>>> from qpp_rules import OrgType
>>> from qpp_rules import SizeBand
>>> OrgType.PRACTICE.value
'Practice'
>>> SizeBand.from_clinicians(24), SizeBand.from_clinicians(25)
(<SizeBand.SMALL: '2-24'>, <SizeBand.MEDIUM: '25-99'>)
"""

from __future__ import annotations

import enum
import re

from qpp_rules.errors import InvalidInput, shown

__all__ = [
    "ApmModel",
    "CollectionType",
    "OrgType",
    "Permission",
    "Program",
    "RegistrationEventKind",
    "ReportingTrack",
    "Role",
    "SizeBand",
]



class _Vocabulary(enum.Enum):
    """A closed vocabulary: a value it does not hold is bad input (``InvalidInput``, which is
    also a ``ValueError``, as Python's own refusal is), naming the vocabulary."""

    @classmethod
    def _missing_(cls, value: object) -> _Vocabulary:
        known = ", ".join(repr(member.value) for member in cls)
        raise InvalidInput(
            re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower(),
            f"one of {known}; got {shown(value, 60)}",
        )


class OrgType(_Vocabulary):
    """The organization types of QPP access (ACCESS-GUIDE "Which Organization Type Do I
    Choose?", ACC-TYPE-1).

    >>> OrgType("Virtual Group")
    <OrgType.VIRTUAL_GROUP: 'Virtual Group'>
    >>> [org_type.value for org_type in OrgType]
    ['Practice', 'Virtual Group', 'APM Entity', 'Registry']
    """

    PRACTICE = "Practice"
    VIRTUAL_GROUP = "Virtual Group"
    APM_ENTITY = "APM Entity"
    REGISTRY = "Registry"


class ApmModel(_Vocabulary):
    """The APM models an APM Entity belongs to (ACC-TYPE-1).

    >>> ApmModel.CPC_PLUS.value
    'Comprehensive Primary Care Plus'
    >>> ApmModel("Next Generation ACO Model")
    <ApmModel.NEXT_GENERATION_ACO: 'Next Generation ACO Model'>
    """

    SHARED_SAVINGS_PROGRAM = "Medicare Shared Savings Program"
    NEXT_GENERATION_ACO = "Next Generation ACO Model"
    CPC_PLUS = "Comprehensive Primary Care Plus"


class ReportingTrack(_Vocabulary):
    """How an organization reports quality (REG-ELIG-10): under traditional MIPS (the
    default, and the only track before PY2021) or through the APM Performance Pathway (APP,
    from PY2021).

    >>> ReportingTrack("APM Performance Pathway")
    <ReportingTrack.APP: 'APM Performance Pathway'>
    """

    TRADITIONAL_MIPS = "traditional MIPS"
    APP = "APM Performance Pathway"


class Program(_Vocabulary):
    """What an organization registers for (RULES.md 0, Vocabulary).

    >>> Program.WEB_INTERFACE.value
    'CMS Web Interface'
    >>> Program("CAHPS for MIPS Survey")
    <Program.CAHPS: 'CAHPS for MIPS Survey'>
    """

    WEB_INTERFACE = "CMS Web Interface"
    CAHPS = "CAHPS for MIPS Survey"


class SizeBand(_Vocabulary):
    """The registration size bands (all registration guides, IV step 1).

    >>> SizeBand.from_clinicians(2), SizeBand.parse("25-99")
    (<SizeBand.SMALL: '2-24'>, <SizeBand.MEDIUM: '25-99'>)
    >>> SizeBand.LARGE.minimum
    100
    """

    SMALL = "2-24"
    MEDIUM = "25-99"
    LARGE = "100 or more"

    @classmethod
    def from_clinicians(cls, clinicians: int) -> SizeBand:
        """The band of a group of ``clinicians``; ``InvalidInput`` below 2 (not a group).

        >>> SizeBand.from_clinicians(100)
        <SizeBand.LARGE: '100 or more'>
        """
        if isinstance(clinicians, bool) or not isinstance(clinicians, int):
            raise InvalidInput(
                "clinicians", f"a whole number of clinicians; got {type(clinicians).__name__}"
            )
        if clinicians < 2:
            raise InvalidInput(
                "clinicians", f"a group has 2 or more clinicians; got {clinicians}: no size band"
            )
        if clinicians < 25:
            return cls.SMALL
        if clinicians < 100:
            return cls.MEDIUM
        return cls.LARGE

    @classmethod
    def parse(cls, text: str) -> SizeBand:
        """A band from the guides' wording (``"100 or greater"`` is accepted too).

        >>> SizeBand.parse("100 or greater")
        <SizeBand.LARGE: '100 or more'>
        """
        if not isinstance(text, str):
            raise InvalidInput("size", f"a size band is text; got {type(text).__name__}")
        cleaned = " ".join(text.replace("–", "-").split()).lower()
        cleaned = cleaned.removesuffix(" clinicians")
        if cleaned in {"100 or more", "100 or greater", "100+"}:
            return cls.LARGE
        for band in cls:
            if band.value == cleaned:
                return band
        raise InvalidInput(
            "size", f"unknown size band {text!r}; one of '2-24', '25-99', '100 or more'"
        )

    @property
    def minimum(self) -> int:
        """The fewest clinicians in the band.

        >>> SizeBand.MEDIUM.minimum
        25
        """
        return {"2-24": 2, "25-99": 25, "100 or more": 100}[self.value]


class Role(_Vocabulary):
    """The two roles a user can hold in an organization (ACC-ROLE-1).

    >>> [role.value for role in Role]
    ['Security Official', 'Staff User']
    """

    SECURITY_OFFICIAL = "Security Official"
    STAFF_USER = "Staff User"


class Permission(_Vocabulary):
    """The permissions of ACC-PERM-1. Names with ``REGISTER`` are the registration rights.

    >>> Permission("submit data")
    <Permission.SUBMIT_DATA: 'submit data'>
    >>> [p.name for p in Permission if p.is_registration_right]
    ['REGISTER_WEB_INTERFACE', 'REGISTER_CAHPS']
    """

    VIEW_ELIGIBILITY = "view eligibility"
    VIEW_CLAIMS_MEASURE_DATA = "view claims measure data"
    PHYSICIAN_COMPARE_PREVIEW = "Physician Compare preview"
    SUBMIT_DATA = "submit data"
    VIEW_FEEDBACK = "view feedback"
    REQUEST_TARGETED_REVIEW = "request a Targeted Review"
    VIEW_MEMBERS = "view members"
    REGISTER_WEB_INTERFACE = "register for the CMS Web Interface"
    REGISTER_CAHPS = "register for the CAHPS for MIPS Survey"
    APPROVE_ACCESS_REQUESTS = "approve or deny access requests"
    DOWNLOAD_API_TOKEN = "download the API token"

    @property
    def is_registration_right(self) -> bool:
        """Whether this is a right to register (they follow the year's registration table).

        >>> Permission.REGISTER_CAHPS.is_registration_right
        True
        >>> Permission.SUBMIT_DATA.is_registration_right
        False
        """
        return self.name.startswith("REGISTER")


class RegistrationEventKind(_Vocabulary):
    """What happened to a registration, as the guides name what triggers an email
    (REG-REC-5).

    >>> [kind.value for kind in RegistrationEventKind]
    ['submitted', 'modified', 'cancelled']
    """

    SUBMITTED = "submitted"
    MODIFIED = "modified"
    CANCELLED = "cancelled"


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
