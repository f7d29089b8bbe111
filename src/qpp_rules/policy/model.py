"""The policy of one performance year: its numbers and switches, each beside its citation.

A :class:`PolicyYear` has three tables, one per domain (``registration``, ``election``,
``access``), plus the citations of every value (``citations``, keyed by the value's path),
the errata readings taken (``errata``), and the amendments applied (``amendments``).

Every table validates itself on construction, and :class:`PolicyYear` validates the whole on
construction, so ``attrs.evolve`` (a reform) is always re-validated before it can be used.

>>> import qpp_rules as qr
>>> p = qr.policy_for(2019)
>>> p.registration.web_interface_min_clinicians
25
>>> print(p.cite("registration.web_interface_min_clinicians"))
REG-GUIDE-2019, II; IV steps 1-2 [REG-ELIG-1]
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pendulum

from qpp_rules.errors import InvalidInput, mask_tins, shown
from qpp_rules.kernel.cache import AnswerCache
from qpp_rules.kernel.citations import Citation
from qpp_rules.policy.checks import _check_fields as _check_fields
from qpp_rules.policy.checks import _problem as _problem
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.paths import UNKNOWABLE, leaf_paths
from qpp_rules.time import Window
from qpp_rules.vocabulary import (
    ApmModel,
    OrgType,
    Permission,
    Program,
    RegistrationEventKind,
    Role,
)

__all__ = [
    "AccessPolicy",
    "Amendment",
    "Citation",
    "ElectionPolicy",
    "Erratum",
    "LowVolumeThreshold",
    "PolicyYear",
    "RegistrationPolicy",
    "SamplingPolicy",
]

EDITABLE_FIELDS = frozenset({"name", "address"})


def _fail(field: str, message: str) -> InvalidInput:
    return InvalidInput(field, message)


def _none_if_empty(value: str | None) -> str | None:
    return value or None




@attrs.frozen
class Erratum:
    """Where a guide contradicts itself: the erratum ID of RULES.md, the reading the library
    takes, and the reading it did not take.

    >>> import qpp_rules as qr
    >>> erratum = qr.policy_for(2019).errata["registration.editable_fields"]
    >>> erratum.id, erratum.reading
    ('E4', "IV's table: a group may edit its organization name")
    >>> Erratum("E99", "the reading taken").alternative is None
    True
    """

    id: str
    reading: str
    alternative: str | None = None

    def __attrs_post_init__(self) -> None:
        _check_fields(self)


@attrs.frozen
class LowVolumeThreshold:
    """The low-volume threshold: a clinician or group *exceeding* an element is above it.
    ``covered_services`` is None in years without that element (PY2018).

    >>> from decimal import Decimal
    >>> LowVolumeThreshold(Decimal("90000"), 200, 200).allowed_charges
    Decimal('90000')
    """

    allowed_charges: Decimal
    patients: int
    covered_services: int | None = None

    def __attrs_post_init__(self) -> None:
        _check_fields(self)
        if not isinstance(self.allowed_charges, Decimal) or not self.allowed_charges.is_finite():
            raise _fail("allowed_charges", "a finite Decimal amount of dollars")
        if self.allowed_charges < 0:
            raise _fail("allowed_charges", f"cannot be negative; got {self.allowed_charges}")
        for name in ("patients", "covered_services"):
            value = getattr(self, name)
            if value is None and name == "covered_services":
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise _fail(name, f"a whole number, 0 or more; got {shown(value)}")

    @property
    def elements(self) -> tuple[str, ...]:
        """The names of the elements the year has."""
        if self.covered_services is None:
            return ("allowed_charges", "patients")
        return ("allowed_charges", "patients", "covered_services")

    def exceeded_by(self, allowed_charges: Decimal | None, patients: int | None,
                    covered_services: int | None
                    ) -> tuple[bool | None, bool | None, bool | None]:
        """The comparison of amounts with the threshold, the one the library makes: for each
        element (allowed charges, patients, covered services), whether the amount *strictly*
        exceeds it (ELE-ELIG-1); None where the amount is not known; False for an element
        the year does not have (PY2018's covered services).

        >>> from decimal import Decimal
        >>> LowVolumeThreshold(Decimal("90000"), 200, 200).exceeded_by(Decimal("90000"), 201, None)
        (False, True, None)
        >>> LowVolumeThreshold(Decimal("90000"), 100).exceeded_by(Decimal("90000.01"), 100, 5)
        (True, False, False)
        """
        services = self.covered_services
        return (
            None if allowed_charges is None else allowed_charges > self.allowed_charges,
            None if patients is None else patients > self.patients,
            False if services is None else None if covered_services is None
            else covered_services > services,
        )


@attrs.frozen
class SamplingPolicy:
    """What a sampling notice means in the year (REG-SAMP-1..3).

    >>> import qpp_rules as qr
    >>> sampling = qr.policy_for(2019).registration.sampling
    >>> sampling.web_interface_alternatives, sampling.cahps_vendor_required
    (('eCQMs', 'MIPS CQMs'), False)
    """

    notice: str
    web_interface_alternatives: tuple[str, ...]
    cahps_other_improvement_activity: bool
    cahps_unattestable_activity: str | None = attrs.field(converter=_none_if_empty)
    cahps_no_quality_points: bool
    cahps_denominator_reduction: bool
    ssp_aco_denominator_reduction: bool
    cahps_vendor_required: bool

    def __attrs_post_init__(self) -> None:
        _check_fields(self, "registration.sampling.")


@attrs.frozen
class RegistrationPolicy:
    """The registration table of a year (RULES.md section 1).

    >>> import attrs
    >>> import qpp_rules as qr
    >>> from qpp_rules.vocabulary import Program
    >>> table = qr.policy_for(2019).registration
    >>> table.web_interface_min_clinicians, table.cahps_min_clinicians
    (25, 2)
    >>> sorted(org_type.value for org_type in table.may_register[Program.CAHPS])
    ['Practice', 'Virtual Group']
    >>> attrs.evolve(table, cahps_min_clinicians=1)
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: registration.cahps_min_clinicians: a whole number of \
clinicians, 2 or more (a group); got 1
    """

    window: Window | None
    web_interface_min_clinicians: int | None
    cahps_min_clinicians: int | None
    may_register: FrozenMap[Program, frozenset[OrgType]] | None
    registered_by_cms: frozenset[OrgType] | None
    web_interface_carry_over: frozenset[OrgType] | None
    ssp_aco_automatic: frozenset[Program] | None
    editable_fields: FrozenMap[OrgType, frozenset[str]] | None
    notified_events: frozenset[RegistrationEventKind] | None
    other_submission_types: str | None
    no_registration_needed: tuple[str, ...] | None
    sampling: SamplingPolicy | None
    cahps_required_under_app: frozenset[OrgType] | None = frozenset()
    cahps_traditional_mips_credit: tuple[str, ...] | None = ()
    web_interface_offered: bool | None = True

    def __attrs_post_init__(self) -> None:
        _check_fields(self, "registration.")
        for name in ("web_interface_min_clinicians", "cahps_min_clinicians"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 2:
                raise _fail(
                    f"registration.{name}",
                    f"a whole number of clinicians, 2 or more (a group); got {shown(value)}",
                )
        # A program missing from may_register is unknown for the year (no source gives it).
        for kinds in (self.may_register or FrozenMap()).values():
            if OrgType.REGISTRY in kinds:
                raise _fail(
                    "registration.may_register",
                    "registries never register (REG-ELIG-3); remove Registry",
                )
        for kind, fields in (self.editable_fields or FrozenMap()).items():
            unknown = set(fields) - EDITABLE_FIELDS
            if unknown:
                raise _fail(
                    f"registration.editable_fields.{kind.value}",
                    f"unknown fields {sorted(unknown)}; only {sorted(EDITABLE_FIELDS)} "
                    "(identifiers never change, REG-REC-3)",
                )
        if (self.notified_events is not None
                and RegistrationEventKind.SUBMITTED not in self.notified_events):
            raise _fail("registration.notified_events", "every year notifies a submission")
        if self.web_interface_offered is False:
            # REG-END-1: a year without the CMS Web Interface registers nobody for it.
            if (self.may_register or FrozenMap()).get(Program.WEB_INTERFACE):
                raise _fail("registration.may_register", "the CMS Web Interface is not "
                            "offered this year (web_interface_offered = false): nobody may "
                            "register for it")
            if Program.WEB_INTERFACE in (self.ssp_aco_automatic or ()) \
                    or self.web_interface_carry_over:
                raise _fail("registration.ssp_aco_automatic", "the CMS Web Interface is not "
                            "offered this year: nobody is automatically registered for it")


@attrs.frozen
class ElectionPolicy:
    """The election table of a year (RULES.md section 2).

    >>> import qpp_rules as qr
    >>> qr.policy_for(2018).election.opt_in, qr.policy_for(2019).election.opt_in
    (False, True)
    >>> qr.policy_for(2019).election.low_volume.elements
    ('allowed_charges', 'patients', 'covered_services')
    >>> qr.policy_for(2019).election.confirmation_word
    'CONFIRM'
    """

    opt_in: bool | None
    window: Window | None
    submission_window: Window | None
    low_volume: LowVolumeThreshold | None
    payment_year_offset: int | None
    public_reporting_preview_days: int | None
    may_elect: frozenset[OrgType] | None = frozenset({OrgType.PRACTICE, OrgType.REGISTRY})
    confirmation_word: str | None = "CONFIRM"

    def __attrs_post_init__(self) -> None:
        _check_fields(self, "election.")
        if self.confirmation_word is not None and (
                not isinstance(self.confirmation_word, str) or not self.confirmation_word.strip()):
            raise _fail("election.confirmation_word", "the word a person types to confirm")
        if self.opt_in and self.low_volume is not None \
                and self.low_volume.covered_services is None:
            raise _fail(
                "election.low_volume.covered_services",
                "opt-in needs the three-element threshold (exceeding some but not all)",
            )
        if self.window is not None and self.opt_in is False:
            raise _fail("election.window", "a year without opt-in has no election window")
        if (self.payment_year_offset or 0) < 0 or (self.public_reporting_preview_days or 0) < 0:
            raise _fail("election", "offsets and periods cannot be negative")


@attrs.frozen
class AccessPolicy:
    """The access table (RULES.md section 3). ``permissions`` holds ACC-PERM-1 without the
    registration rights, which follow the year's registration table (REG-ELIG-3, E8).

    >>> import qpp_rules as qr
    >>> from qpp_rules.vocabulary import OrgType, Permission, Role
    >>> table = qr.policy_for(2019).access
    >>> staff = table.permissions[OrgType.PRACTICE][Role.STAFF_USER]
    >>> Permission.SUBMIT_DATA in staff, Permission.APPROVE_ACCESS_REQUESTS in staff
    (True, False)
    >>> table.cpc_plus_connections_open.isoformat()
    '2019-01-02T00:00:00-05:00'
    """

    permissions: FrozenMap[OrgType, FrozenMap[Role, frozenset[Permission]]] | None
    apm_feedback_models: frozenset[ApmModel] | None
    cpc_plus_connections_open: pendulum.DateTime | None

    def __attrs_post_init__(self) -> None:
        _check_fields(self, "access.")
        for kind, by_role in (self.permissions or FrozenMap()).items():
            for role, granted in by_role.items():
                registering = sorted(p.name for p in granted if p.is_registration_right)
                if registering:
                    raise _fail(
                        f"access.permissions.{kind.value}.{role.value}",
                        f"registration rights {registering} follow the registration table "
                        "(ACC-PERM-1, E8); do not list them here",
                    )
            staff = by_role.get(Role.STAFF_USER, frozenset())
            official = by_role.get(Role.SECURITY_OFFICIAL, frozenset())
            if not staff <= official:
                raise _fail(
                    f"access.permissions.{kind.value}",
                    "a Security Official holds every Staff User permission (ACC-PERM-1)",
                )


@attrs.frozen
class Amendment:
    """A change announced after a guide was published: dated data applied on top of the
    published table. ``changes`` maps a value's path to its new value.

    >>> import qpp_rules as qr
    >>> (amendment,) = qr.policy_for(2019).amendments
    >>> amendment.id, amendment.announced.date().isoformat()
    ('A1', '2020-03-22')
    >>> sorted(amendment.changes)
    ['election.submission_window', 'election.window']
    """

    id: str
    announced: pendulum.DateTime
    summary: str
    citation: Citation
    changes: FrozenMap[str, Any]

    def __attrs_post_init__(self) -> None:
        _check_fields(self)


@attrs.frozen(repr=False)
class PolicyYear:
    """The policy of one performance year. Build one from a data file
    (:func:`qpp_rules.policy.load_policy_file`), get one with :func:`qpp_rules.policy_for`,
    and change one with :func:`qpp_rules.reform` or ``attrs.evolve`` (re-validated whole).

    >>> import attrs
    >>> import qpp_rules as qr
    >>> policy = qr.policy_for(2019)
    >>> policy.label, policy.payment_year
    ('PY2019', 2021)
    >>> policy.value_at("election.low_volume.patients")
    200
    >>> attrs.evolve(policy, year=2020)
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: registration.window.opens: the PY2020 registration window \
opens in 2020; got 2019
    """

    year: int
    title: str
    registration: RegistrationPolicy
    election: ElectionPolicy
    access: AccessPolicy
    citations: FrozenMap[str, Citation] = attrs.field(factory=FrozenMap)
    errata: FrozenMap[str, Erratum] = attrs.field(factory=FrozenMap)
    amendments: tuple[Amendment, ...] = ()
    known_amendments: tuple[Amendment, ...] = ()
    label: str = ""
    unknowns: FrozenMap[str, str] = attrs.field(factory=FrozenMap)
    _answers: AnswerCache = attrs.field(
        factory=AnswerCache, init=False, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise _fail("year", f"a performance year is a whole number; got {shown(self.year)}")
        if not 2017 <= self.year <= 2100:
            raise _fail("year", f"a QPP performance year is 2017 to 2100; got {shown(self.year)}")
        _check_fields(self)
        if not self.label:
            object.__setattr__(self, "label", f"PY{self.year}")
        window = self.registration.window
        if window is not None and window.opens.year != self.year:
            raise _fail(
                "registration.window.opens",
                f"the PY{self.year} registration window opens in {self.year}; "
                f"got {window.opens.year}",
            )
        if self.election.window is not None and self.election.window.opens.year <= self.year:
            raise _fail(
                "election.window.opens",
                "elections open after the performance year, with data submission",
            )

    @property
    def payment_year(self) -> int | None:
        """The year a payment adjustment lands (PY + the year's offset; None if unknown)."""
        offset = self.election.payment_year_offset
        return None if offset is None else self.year + offset

    def unknown_values(self) -> FrozenMap[str, str]:
        """Every value no source gives for the year, by dotted path, with why (the data
        file's ``unknown`` note; a program missing from ``registration.may_register``).
        Empty for the guide years.

        >>> import qpp_rules as qr
        >>> len(qr.policy_for(2019).unknown_values())
        0
        >>> "registration.window" in qr.policy_for(2022).unknown_values()
        True
        """
        found = dict(self.unknowns)
        for path in leaf_paths(self):
            if path not in found and self.value_at(path) is None and path in UNKNOWABLE:
                found[path] = "not known"
        for program in Program:
            if self.registration.may_register is not None \
                    and program not in self.registration.may_register:
                found[f"registration.may_register.{program.value}"] = (
                    "no source read says who may register for it"
                )
        return FrozenMap(dict(sorted(found.items())))

    def known_values(self) -> tuple[str, ...]:
        """The dotted paths of every value the year knows (cited), in table order.

        >>> import qpp_rules as qr
        >>> "election.low_volume.patients" in qr.policy_for(2024).known_values()
        True
        """
        unknown = self.unknown_values()
        return tuple(path for path in leaf_paths(self) if path not in unknown)

    def cite(self, path: str) -> Citation:
        """The citation of the value at ``path`` (e.g. ``"registration.window"``); the nearest
        cited parent where the path itself has none."""
        if not isinstance(path, str):
            raise InvalidInput("path", f"a dotted path (text); got {type(path).__name__}")
        why = self.unknowns.get(path)
        if why is not None:  # no source: the citation says the value is not known, and why
            return Citation("not known", why, ("POL-UNK-1",), authority="unknown")
        probe = path
        while probe:
            citation = self.citations.get(probe)
            if citation is not None:
                return citation
            probe = probe.rpartition(".")[0]
        raise InvalidInput("path", f"no value at {path!r} in PY{self.year} is cited")

    def value_at(self, path: str) -> Any:
        """The value at a dotted ``path`` (``"election.low_volume.patients"``)."""
        if not isinstance(path, str):
            raise InvalidInput("path", f"a dotted path (text); got {type(path).__name__}")
        value: Any = self
        for part in path.split("."):
            if not attrs.has(type(value)) or part not in attrs.fields_dict(type(value)):
                raise InvalidInput("path", f"PY{self.year} has no value at {path!r}")
            value = getattr(value, part)
        return value

    @property
    def answers(self) -> AnswerCache:
        """This policy's explained answers, computed once per rule and distinct facts and
        shared (answers are immutable): the one bounded answer cache
        (:class:`qpp_rules.kernel.AnswerCache`)."""
        return self._answers

    def __repr__(self) -> str:
        return mask_tins(f"<PolicyYear {self.label}>")  # a reform's label is free text

