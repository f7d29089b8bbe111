"""ACC-TYPE-1: which organization type to connect as (ACCESS-GUIDE, "Which Organization Type
Do I Choose?", its Helpful Hints and FAQs), and ACC-TIN-ACO-1 (a single-TIN ACO connects
twice).

>>> print(organization_type_for(Represents.SINGLE_TIN_ACO).explain())
Practice; APM Entity
  - [ACC-TIN-ACO-1] A single-TIN ACO connects twice: once as a Practice (group-level \
Promoting Interoperability data) and once as an APM Entity (quality data for the entity); \
the APM Entity's first Security Official gives one TIN. (ACCESS-GUIDE, FAQs 'We are a \
single TIN ACO' [ACC-TIN-ACO-1])
"""

from __future__ import annotations

import enum

import attrs

from qpp_rules.decisions import Reason
from qpp_rules.errors import InvalidInput
from qpp_rules.kernel.cache import SHARED
from qpp_rules.kernel.citations import cite
from qpp_rules.policy.model import _check_fields
from qpp_rules.vocabulary import ApmModel, OrgType

__all__ = ["Connection", "Represents", "TypeAdvice", "organization_type_for"]



class Represents(enum.Enum):
    """Whom the user represents, in the access guide's words.

    >>> Represents.QCDR.value
    'a CMS-approved Qualified Clinical Data Registry (QCDR)'
    """

    SOLO_PRACTITIONER = "a solo or individual practitioner (a single TIN)"
    GROUP = "a group (a single TIN)"
    HOSPITAL = "a hospital (a single TIN)"
    SSP_ACO_PARTICIPANT_GROUP = (
        "a group in a Shared Savings Program ACO, for its group-level Promoting "
        "Interoperability data"
    )
    APM_SCORED_GROUP = (
        "a group whose clinicians are scored under the APM scoring standard, for individual "
        "or group-level Promoting Interoperability data"
    )
    SHARED_SAVINGS_PROGRAM_ACO = "a Shared Savings Program ACO entity"
    NEXT_GENERATION_ACO = "a Next Generation ACO entity"
    CPC_PLUS_PRACTICE_SITE = "a CPC+ Practice Site"
    SOLO_CPC_PLUS_PRACTITIONER = "a solo CPC+ practitioner (the only clinician of the site)"
    SINGLE_TIN_ACO = "a single-TIN ACO"
    QUALIFIED_REGISTRY = "a CMS-approved Qualified Registry"
    QCDR = "a CMS-approved Qualified Clinical Data Registry (QCDR)"
    VIRTUAL_GROUP = "a CMS-approved virtual group"
    VIRTUAL_GROUP_PARTICIPANT = "a practice that only takes part in a virtual group"


@attrs.frozen(cache_hash=True)
class Connection:
    """One connection to make: the organization type and, for an APM Entity, its model
    (None where the guide leaves it to the organization, e.g. a single-TIN ACO's).

    >>> print(Connection(OrgType.APM_ENTITY, ApmModel.CPC_PLUS))
    APM Entity (Comprehensive Primary Care Plus)
    """

    kind: OrgType
    model: ApmModel | None = None

    def __attrs_post_init__(self) -> None:
        _check_fields(self)

    def __str__(self) -> str:
        return self.kind.value if self.model is None else f"{self.kind.value} ({self.model.value})"


@attrs.frozen(cache_hash=True)
class TypeAdvice:
    """Which connections to make, and why. ``connections`` is empty when none is needed.

    >>> advice = organization_type_for(Represents.QCDR)
    >>> advice.kinds
    (<OrgType.REGISTRY: 'Registry'>,)
    """

    represents: Represents
    connections: tuple[Connection, ...]
    reasons: tuple[Reason, ...]

    def __attrs_post_init__(self) -> None:
        _check_fields(self)

    @property
    def kinds(self) -> tuple[OrgType, ...]:
        """The organization types, in the order to connect."""
        return tuple(connection.kind for connection in self.connections)

    def explain(self) -> str:
        """The connections, then every reason, one a line."""
        head = "; ".join(str(c) for c in self.connections) or "no connection needed"
        return "\n".join([head, *(f"  - {reason}" for reason in self.reasons)])


_PRACTICE = Connection(OrgType.PRACTICE)
_CPC_PLUS = Connection(OrgType.APM_ENTITY, ApmModel.CPC_PLUS)
_TABLE: dict[Represents, tuple[tuple[Connection, ...], str]] = {
    Represents.SOLO_PRACTITIONER: ((_PRACTICE,),
        "A solo or individual practitioner is identified by a single TIN: connect as a "
        "Practice."),
    Represents.GROUP: ((_PRACTICE,),
        "A group is identified by a single TIN: connect as a Practice."),
    Represents.HOSPITAL: ((_PRACTICE,),
        "A hospital is identified by a single TIN: connect as a Practice."),
    Represents.SSP_ACO_PARTICIPANT_GROUP: ((_PRACTICE,),
        "A group in a Shared Savings Program ACO submits its Promoting Interoperability data "
        "at the group level: connect as a Practice (the ACO's quality data is the APM "
        "Entity's)."),
    Represents.APM_SCORED_GROUP: ((_PRACTICE,),
        "A group whose clinicians are scored under the APM scoring standard submits its "
        "Promoting Interoperability data as a Practice."),
    Represents.SHARED_SAVINGS_PROGRAM_ACO: (
        (Connection(OrgType.APM_ENTITY, ApmModel.SHARED_SAVINGS_PROGRAM),),
        "A Shared Savings Program ACO submits quality data for the whole entity: connect as "
        "an APM Entity, model Shared Savings Program."),
    Represents.NEXT_GENERATION_ACO: (
        (Connection(OrgType.APM_ENTITY, ApmModel.NEXT_GENERATION_ACO),),
        "A Next Generation ACO submits quality data for the whole entity: connect as an APM "
        "Entity, model Next Generation ACO."),
    Represents.CPC_PLUS_PRACTICE_SITE: (
        (_CPC_PLUS,),
        "A CPC+ Practice Site submits its eCQMs for the site: connect as an APM Entity, model "
        "CPC+ (possible from January 2, 2019, ACC-DATE-1)."),
    Represents.SOLO_CPC_PLUS_PRACTITIONER: (
        (_CPC_PLUS,),
        "A solo CPC+ practitioner connects to the APM Entity (CPC+) to submit eCQMs, not as a "
        "Practice."),
    Represents.SINGLE_TIN_ACO: (
        (_PRACTICE, Connection(OrgType.APM_ENTITY)),
        "A single-TIN ACO connects twice: once as a Practice (group-level Promoting "
        "Interoperability data) and once as an APM Entity (quality data for the entity); the "
        "APM Entity's first Security Official gives one TIN."),
    Represents.QUALIFIED_REGISTRY: ((Connection(OrgType.REGISTRY),),
        "A CMS-approved Qualified Registry submits for all its clients: connect as a "
        "Registry."),
    Represents.QCDR: ((Connection(OrgType.REGISTRY),),
        "A CMS-approved QCDR submits for all its clients: connect as a Registry."),
    Represents.VIRTUAL_GROUP: ((Connection(OrgType.VIRTUAL_GROUP),),
        "A CMS-approved virtual group connects as a Virtual Group."),
    Represents.VIRTUAL_GROUP_PARTICIPANT: ((),
        "Taking part in a virtual group needs no connection to it; connect to the Virtual "
        "Group only to submit or view its data."),
}
"""Whom the user represents: the connections to make and why (ACC-TYPE-1 unless _RULE says)."""

_RULE = {Represents.SINGLE_TIN_ACO: "ACC-TIN-ACO-1"}


def _advice(represents: Represents, vendor: bool) -> TypeAdvice:
    return SHARED.answer((_advice, represents, vendor), lambda: _build_advice(represents, vendor))


def _build_advice(represents: Represents, vendor: bool) -> TypeAdvice:
    connections, message = _TABLE[represents]
    rule = _RULE.get(represents, "ACC-TYPE-1")
    reasons = [Reason(rule, message, cite(rule, "ACCESS-GUIDE"))]
    if vendor:
        reasons.append(Reason(
            "ACC-TYPE-1",
            "A health IT vendor connects once for each practice, virtual group or APM Entity "
            "it represents, as that organization's type.",
            cite("ACC-TYPE-1", "ACCESS-GUIDE"),
        ))
    return TypeAdvice(represents, connections, tuple(reasons))


def organization_type_for(represents: Represents, *, vendor: bool = False) -> TypeAdvice:
    """ACC-TYPE-1: the organization type(s) to connect as when representing ``represents``
    (a health IT vendor, ``vendor=True``, asks for each organization it represents).

    >>> organization_type_for(Represents.SOLO_CPC_PLUS_PRACTITIONER).connections
    (Connection(kind=<OrgType.APM_ENTITY: 'APM Entity'>, model=<ApmModel.CPC_PLUS: \
'Comprehensive Primary Care Plus'>),)
    >>> organization_type_for(Represents.VIRTUAL_GROUP_PARTICIPANT).connections
    ()
    """
    if not isinstance(represents, Represents):
        raise InvalidInput(
            "represents", f"a Represents member; got {type(represents).__name__}"
        )
    if not isinstance(vendor, bool):
        raise InvalidInput("vendor", f"True or False; got {type(vendor).__name__}")
    return _advice(represents, vendor)
