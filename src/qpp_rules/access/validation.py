"""ACC-SO-1: validating the first Security Official of an organization.

The first person to connect to an organization may only ask for the Security Official role
(ACC-ROLE-2) and must give evidence that matches CMS's records of the organization; then the
request is approved automatically. What evidence each organization type needs
(ACCESS-GUIDE, "Security Official: Additional Information Required for Validation"):

=================================================  =============================================
organization                                       evidence
=================================================  =============================================
Practice                                           the practice's TIN; the NPI of one clinician
                                                   in the practice; that clinician's PTAN
APM Entity: Shared Savings Program or Next         the APM Entity ID (ACO ID); the TINs of 2
Generation ACO                                     practices participating in the ACO (1 for a
                                                   single-TIN ACO, ACC-TIN-ACO-1)
APM Entity: CPC+ Practice Site                     the Practice Site ID; a TIN of the site; the
                                                   NPI of a clinician of that TIN
Registry                                           the registry's TIN; its Vendor ID
Virtual Group                                      the TINs of 2 practices in the virtual group
=================================================  =============================================

Identifiers are validated strictly (an NPI whose check digit fails is malformed). The answer
names every failing item by its usual short name (TIN, NPI, PTAN, APM Entity ID, Practice
Site ID, Vendor ID) and whether it is missing, malformed or does not match; it never says
which of the organization's values would have matched and never shows a TIN. It never raises
on any evidence.

Readings taken where the guide is silent (design): the TINs offered are ``evidence.tin`` and
``evidence.tins`` together, and exactly as many different TINs as the form asks for must be
offered (a duplicate counts once); for a CPC+ site the Practice Site ID may be given as
``practice_site_id`` or, as the guide's screen labels it, ``apm_entity_id``; when the TIN (or
NPI) fails, the item paired with it (NPI, PTAN) is checked against every pair of the records,
so that each item is judged on its own.

>>> import qpp_rules as qr
>>> from qpp_rules.access import OrganizationRecord, Evidence
>>> practice = OrganizationRecord(qr.OrgType.PRACTICE, tins=["000765630"],
...                               clinicians=[("1234567893", "AB1234")])
>>> print(validate_first_security_official(
...     practice, Evidence(tin="00-0765630", npi="1234567893", ptan="AB1234")).explain())
allowed
  - [ACC-SO-1] The TIN, NPI and PTAN match the Practice's records: the first Security \
Official is validated and approved automatically. (ACCESS-GUIDE, Connect to a Practice, \
Step 3 'What's Next?' [ACC-SO-1])
>>> d = validate_first_security_official(
...     practice, Evidence(tin="00-0765631", npi="1234567890", ptan="AB1234"))
>>> [reason.message for reason in d.reasons][1:]
["TIN: does not match the Practice's records.", 'NPI: not a valid NPI (the check digit \
does not match); an NPI has 10 digits, the last a check digit.']
"""

from __future__ import annotations

import enum
from typing import TypeVar

from qpp_rules.access.model import Evidence, OrganizationRecord
from qpp_rules.decisions import Decision, Reason
from qpp_rules.errors import InvalidChecksum, InvalidInput, InvalidLength
from qpp_rules.identifiers import NPI, PTAN, TIN, ApmEntityId, Identifier, PracticeSiteId, VendorId
from qpp_rules.kernel.cache import SHARED
from qpp_rules.kernel.citations import cite
from qpp_rules.vocabulary import ApmModel, OrgType

__all__ = [
    "ACO_VALIDATION_TINS",
    "SINGLE_TIN_ACO_VALIDATION_TINS",
    "VIRTUAL_GROUP_VALIDATION_TINS",
    "required_evidence",
    "validate_first_security_official",
]

IdT = TypeVar("IdT", bound=Identifier)

# The guide's numbers (ACCESS-GUIDE, "Security Official: Additional Information Required for
# Validation"). The access guide is one for every year, so they are not in the yearly tables.
ACO_VALIDATION_TINS = 2
"""TINs of participating practices an ACO's first Security Official gives (ACC-SO-1)."""
SINGLE_TIN_ACO_VALIDATION_TINS = 1
"""TINs a single-TIN ACO's first Security Official gives (ACC-SO-1, ACC-TIN-ACO-1)."""
VIRTUAL_GROUP_VALIDATION_TINS = 2
"""TINs of practices a virtual group's first Security Official gives (ACC-SO-1)."""



class _Item(enum.Enum):
    TIN = "TIN"
    NPI = "NPI"
    PTAN = "PTAN"
    APM_ENTITY_ID = "APM Entity ID"
    PRACTICE_SITE_ID = "Practice Site ID"
    VENDOR_ID = "Vendor ID"


class _Problem(enum.Enum):
    MISSING = "missing"
    COUNT = "count"
    FORMAT = "wrong characters"
    LENGTH = "wrong length"
    CHECKSUM = "the check digit does not match"
    NO_MATCH = "no match"


_SHAPE = {
    _Item.TIN: "a TIN has exactly 9 digits",
    _Item.NPI: "an NPI has 10 digits, the last a check digit",
    _Item.PTAN: "a PTAN has letters and digits only, at most 20",
    _Item.APM_ENTITY_ID: "an APM Entity ID has letters and digits only",
    _Item.PRACTICE_SITE_ID: "a Practice Site ID has letters and digits only",
    _Item.VENDOR_ID: "a Vendor ID has exactly 7 digits",
}

_Failure = tuple[_Item, _Problem, int]
"""An item, what is wrong with it, and its position among the TINs offered (0: the only)."""


def _read(kind: type[IdT], value: object) -> tuple[_Problem | None, IdT | None]:
    """Parse one offered item strictly; never raises."""
    if value is None:
        return _Problem.MISSING, None
    if type(value) is kind:  # already validated on construction
        if isinstance(value, NPI) and not value.has_valid_check_digit:
            return _Problem.CHECKSUM, None
        return None, value
    if isinstance(value, Identifier):
        value = value.value
    if not isinstance(value, str):
        return _Problem.FORMAT, None
    if not value.strip():
        return _Problem.MISSING, None
    try:
        return None, kind(value)
    except InvalidChecksum:
        return _Problem.CHECKSUM, None
    except InvalidLength:
        return _Problem.LENGTH, None
    except Exception:  # InvalidFormat, or anything odd in what a person typed
        return _Problem.FORMAT, None


def _tins(
    offered: tuple[object, ...], known: frozenset[TIN], needed: int
) -> tuple[list[_Failure], list[TIN]]:
    """Check the TINs offered: ``needed`` different ones, each valid and in ``known``."""
    failures: list[_Failure] = []
    matched: list[TIN] = []
    seen: set[str] = set()
    distinct: list[tuple[int, object]] = []
    for position, item in enumerate(offered, start=1):
        key = item.value if isinstance(item, Identifier) else TIN.compact(str(item).strip())
        if key in seen:
            continue
        seen.add(key)
        distinct.append((position, item))
    if not distinct:
        return [(_Item.TIN, _Problem.MISSING, 0)], matched
    if len(distinct) != needed:
        failures.append((_Item.TIN, _Problem.COUNT, len(distinct)))
    numbered = len(offered) > 1
    for position, item in distinct:
        problem, tin = _read(TIN, item)
        if problem is None and tin not in known:
            problem = _Problem.NO_MATCH
        if problem is not None:
            failures.append((_Item.TIN, problem, position if numbered else 0))
        elif tin is not None:
            matched.append(tin)
    return failures, matched


def _one(kind: type[IdT], item: _Item, offered: object, known: IdT | None) -> list[_Failure]:
    problem, value = _read(kind, offered)
    if problem is None and (known is None or value != known):
        problem = _Problem.NO_MATCH
    return [] if problem is None else [(item, problem, 0)]


def _paired(
    first_ok: object | None,
    second: object,
    kind: type[IdT],
    item: _Item,
    pairs: frozenset[tuple[object, IdT]],
) -> list[_Failure]:
    """The second item of a pair: it must go with the first when the first matched, and with
    some first item of the records when the first did not."""
    problem, value = _read(kind, second)
    if problem is None:
        if first_ok is not None:
            matches = (first_ok, value) in pairs
        else:
            matches = any(value == candidate for _, candidate in pairs)
        if not matches:
            problem = _Problem.NO_MATCH
    return [] if problem is None else [(item, problem, 0)]


def _practice(record: OrganizationRecord, evidence: Evidence) -> list[_Failure]:
    failures = _tins(evidence.offered_tins, record.tins, 1)[0]
    npi_problem, npi = _read(NPI, evidence.npi)
    if npi_problem is None and not any(npi == known for known, _ in record.clinicians):
        npi_problem = _Problem.NO_MATCH
    if npi_problem is not None:
        failures.append((_Item.NPI, npi_problem, 0))
    by_npi = frozenset(record.clinicians)
    known_npi = npi if npi_problem is None else None
    failures += _paired(known_npi, evidence.ptan, PTAN, _Item.PTAN, by_npi)
    return failures


def _site_id(value: object) -> PracticeSiteId | None:
    problem, site = _read(PracticeSiteId, value)
    return site if problem is None else None


def _cpc_plus(record: OrganizationRecord, evidence: Evidence) -> list[_Failure]:
    offered_site: object = evidence.practice_site_id
    if offered_site is None:
        offered_site = evidence.apm_entity_id  # the guide's screen labels it APM Entity ID
    known_site = record.practice_site_id or _site_id(record.apm_entity_id)
    failures = _one(PracticeSiteId, _Item.PRACTICE_SITE_ID, offered_site, known_site)
    tin_failures, tins = _tins(evidence.offered_tins, record.site_tins, 1)
    failures += tin_failures
    tin = tins[0] if len(tins) == 1 and not tin_failures else None
    pairs = frozenset(record.tin_npis)
    failures += _paired(tin, evidence.npi, NPI, _Item.NPI, pairs)
    return failures


def _aco(record: OrganizationRecord, evidence: Evidence) -> list[_Failure]:
    needed = SINGLE_TIN_ACO_VALIDATION_TINS if record.single_tin_aco else ACO_VALIDATION_TINS
    failures = _one(ApmEntityId, _Item.APM_ENTITY_ID, evidence.apm_entity_id,
                    record.apm_entity_id)
    failures += _tins(evidence.offered_tins, record.tins, needed)[0]
    return failures


def _registry(record: OrganizationRecord, evidence: Evidence) -> list[_Failure]:
    failures = _tins(evidence.offered_tins, record.tins, 1)[0]
    failures += _one(VendorId, _Item.VENDOR_ID, evidence.vendor_id, record.vendor_id)
    return failures


def _virtual_group(record: OrganizationRecord, evidence: Evidence) -> list[_Failure]:
    return _tins(evidence.offered_tins, record.tins, VIRTUAL_GROUP_VALIDATION_TINS)[0]


def _profile(record: OrganizationRecord) -> tuple[_Item, ...] | None:
    """The items the record's type asks for, in the form's order; None when unknown."""
    if record.kind is OrgType.PRACTICE:
        return (_Item.TIN, _Item.NPI, _Item.PTAN)
    if record.kind is OrgType.REGISTRY:
        return (_Item.TIN, _Item.VENDOR_ID)
    if record.kind is OrgType.VIRTUAL_GROUP:
        return (_Item.TIN,)
    if record.kind is OrgType.APM_ENTITY:
        if record.apm_model is ApmModel.CPC_PLUS:
            return (_Item.PRACTICE_SITE_ID, _Item.TIN, _Item.NPI)
        if record.apm_model in (ApmModel.SHARED_SAVINGS_PROGRAM, ApmModel.NEXT_GENERATION_ACO):
            return (_Item.APM_ENTITY_ID, _Item.TIN)
    return None


def _tins_needed(record: OrganizationRecord) -> int:
    if record.kind is OrgType.VIRTUAL_GROUP:
        return VIRTUAL_GROUP_VALIDATION_TINS
    if record.kind is OrgType.APM_ENTITY and record.apm_model is not ApmModel.CPC_PLUS:
        return SINGLE_TIN_ACO_VALIDATION_TINS if record.single_tin_aco else ACO_VALIDATION_TINS
    return 1


def required_evidence(record: OrganizationRecord) -> tuple[str, ...]:
    """The items (short names) the first Security Official of ``record`` gives, in the
    form's order; a TIN appears once per TIN asked for. Empty when the type (or APM model) is
    unknown: nothing can validate it (ACC-DENY-1).

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import OrganizationRecord
    >>> required_evidence(OrganizationRecord(qr.OrgType.VIRTUAL_GROUP))
    ('TIN', 'TIN')
    >>> required_evidence(OrganizationRecord(qr.OrgType.APM_ENTITY,
    ...     apm_model=qr.ApmModel.NEXT_GENERATION_ACO, single_tin_aco=True))
    ('APM Entity ID', 'TIN')
    """
    if not isinstance(record, OrganizationRecord):
        raise InvalidInput("record", f"an OrganizationRecord; got {type(record).__name__}")
    items = _profile(record)
    if items is None:
        return ()
    names: list[str] = []
    for item in items:
        names += [item.value] * (_tins_needed(record) if item is _Item.TIN else 1)
    return tuple(names)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _message(org: str, needed: int, failure: _Failure) -> str:
    item, problem, position = failure
    name = item.value
    if problem is _Problem.COUNT:
        asked = f"{needed} different TINs" if needed > 1 else "one TIN"
        return f"TIN: the {org} asks for {asked}; {position} given."
    shown = f"{name} #{position}" if position else name
    if problem is _Problem.MISSING:
        if item is _Item.TIN and needed > 1:
            return f"TIN: missing; the {org} asks for {needed} different TINs."
        return f"{shown}: missing; the {org} asks for it."
    if problem is _Problem.NO_MATCH:
        return f"{shown}: does not match the {org}'s records."
    return f"{shown}: not a valid {name} ({problem.value}); {_SHAPE[item]}."


def _build_decision(
    org: str,
    items: tuple[_Item, ...],
    needed: int,
    single_tin_aco: bool,
    failures: tuple[_Failure, ...],
    wrong_type: bool,
) -> Decision:
    reasons: list[Reason] = []
    if single_tin_aco:
        reasons.append(Reason(
            "ACC-TIN-ACO-1",
            "A single-TIN ACO's first Security Official gives one TIN for the APM Entity.",
            cite("ACC-TIN-ACO-1", "ACCESS-GUIDE"),
        ))
    names = [item.value for item in items]
    if not failures:
        return Decision.allow(
            Reason(
                "ACC-SO-1",
                f"The {_and(names)} match the {org}'s records: the first Security Official is "
                "validated and approved automatically.",
                cite("ACC-SO-1", "ACCESS-GUIDE"),
            ),
            *reasons,
        )
    failing = list(dict.fromkeys(item.value for item, _, _ in failures))
    head = Reason(
        "ACC-SO-1",
        f"Validation failed for {_and(failing)}: verify and re-enter the required information."
        + (" (No Evidence was given: every item counts as missing.)" if wrong_type else ""),
        cite("ACC-SO-1", "ACCESS-GUIDE"),
    )
    order = {item: index for index, item in enumerate(items)}
    ordered = sorted(
        failures,
        key=lambda f: (order.get(f[0], 99), f[1] is not _Problem.COUNT, f[2]),
    )
    return Decision.refuse(
        head,
        *(
            Reason("ACC-SO-1", _message(org, needed, failure), cite("ACC-SO-1", "ACCESS-GUIDE"))
            for failure in ordered
        ),
        *reasons,
    )


def _fail_closed(org: str) -> Decision:
    return SHARED.answer((_fail_closed, org), lambda: _build_fail_closed(org))


def _build_fail_closed(org: str) -> Decision:
    return Decision.refuse(
        Reason(
            "ACC-DENY-1",
            f"The {org}'s model is not known: no evidence can validate it (fail closed).",
            cite("ACC-DENY-1"),
        ),
        Reason(
            "ACC-SO-1",
            "Validation failed: the organization's type is not known.",
            cite("ACC-SO-1", "ACCESS-GUIDE"),
        ),
    )


_CHECKS = {
    OrgType.PRACTICE: _practice,
    OrgType.REGISTRY: _registry,
    OrgType.VIRTUAL_GROUP: _virtual_group,
}


def validate_first_security_official(record: OrganizationRecord, evidence: object) -> Decision:
    """ACC-SO-1: does ``evidence`` validate the first Security Official of ``record``?

    Allowed when every item the organization's type asks for is given, well formed and
    matches the records; otherwise refused with one reason per failing item, named by its
    short name (TIN, NPI, PTAN, APM Entity ID, Practice Site ID, Vendor ID). Deterministic;
    never raises on any ``evidence`` (anything that is not an :class:`Evidence` counts as
    none given). ``record`` must be an :class:`OrganizationRecord` (``InvalidInput``).

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import OrganizationRecord, Evidence
    >>> vg = OrganizationRecord(qr.OrgType.VIRTUAL_GROUP, tins=["000765630", "001234567"])
    >>> bool(validate_first_security_official(vg, Evidence(tins=["000765630", "001234567"])))
    True
    >>> d = validate_first_security_official(vg, Evidence(tins=["000765630"]))
    >>> d.reasons[1].message
    'TIN: the Virtual Group asks for 2 different TINs; 1 given.'
    >>> "0765630" in d.explain()
    False
    """
    if type(record) is OrganizationRecord and type(evidence) is Evidence:  # the hot path
        # Both are frozen with cached hashes: a repeated question is one look-up.
        key = (validate_first_security_official, record, evidence)
        found: Decision | None = _LOOK_UP(key)
        if found is not None:
            return found
        return SHARED.put(key, _validate(record, evidence))
    return _validate(record, evidence)


_LOOK_UP = SHARED.get


def _validate(record: OrganizationRecord, evidence: object) -> Decision:
    if not isinstance(record, OrganizationRecord):
        raise InvalidInput("record", f"an OrganizationRecord; got {type(record).__name__}")
    items = _profile(record)
    if items is None:
        return _fail_closed(record.label)
    wrong_type = not isinstance(evidence, Evidence)
    given = evidence if isinstance(evidence, Evidence) else Evidence()
    if record.kind is OrgType.APM_ENTITY:
        check = _cpc_plus if record.apm_model is ApmModel.CPC_PLUS else _aco
    else:
        check = _CHECKS[record.kind]
    try:
        failures = tuple(check(record, given))
    except Exception:  # pragma: no cover - defensive: validation never raises on evidence
        failures = tuple((item, _Problem.FORMAT, 0) for item in items)
    single = record.kind is OrgType.APM_ENTITY and record.single_tin_aco
    facts = (record.label, items, _tins_needed(record), single, failures, wrong_type)
    return SHARED.answer((_build_decision, *facts), lambda: _build_decision(*facts))
