"""The strategies behind :mod:`qpp_rules.testing`."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, overload

from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.identifiers import (
    NPI,
    PTAN,
    TIN,
    ApmEntityId,
    PracticeSiteId,
    VendorId,
    VirtualGroupId,
    npi_check_digit,
)
from qpp_rules.policy.unknown import known
from qpp_rules.testing.sampling import examples
from qpp_rules.vocabulary import ApmModel, OrgType, ReportingTrack, SizeBand

if TYPE_CHECKING:
    from qpp_rules.access import AccessState
    from qpp_rules.decisions import Outcome
    from qpp_rules.election import ElectionLedger, LowVolumeFacts, Participant
    from qpp_rules.registration import Address, Organization, Registration

__all__ = [
    "addresses",
    "apm_entity_ids",
    "aware_datetimes",
    "clinician_counts",
    "election_ledgers",
    "examples",
    "low_volume_facts",
    "npis",
    "organizations",
    "participants",
    "policy_years",
    "practice_site_ids",
    "ptans",
    "reforms",
    "register_type_strategies",
    "registration_states",
    "size_bands",
    "tins",
    "vendor_ids",
    "virtual_group_ids",
    "windows",
]

_DIGITS = "0123456789"
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def tins() -> st.SearchStrategy[TIN]:
    """Valid TINs (any 9 digits).

    >>> all(TIN.is_valid(tin.value) and len(tin.value) == 9 and str(tin) == "*****" + tin.value[-4:]
    ...     for tin in examples(tins()))
    True
    """
    return st.text(_DIGITS, min_size=9, max_size=9).map(TIN)


def npis() -> st.SearchStrategy[NPI]:
    """Valid NPIs: 9 digits and their Luhn check digit over 80840 + the number.

    >>> all(NPI.is_valid(npi.value)
    ...     for npi in examples(npis()))
    True
    """
    return st.text(_DIGITS, min_size=9, max_size=9).map(lambda d: NPI(d + npi_check_digit(d)))


def ptans() -> st.SearchStrategy[PTAN]:
    """PTANs: 1 to 10 letters and digits.

    >>> all(1 <= len(ptan.value) <= 10 and ptan.value.isalnum()
    ...     for ptan in examples(ptans()))
    True
    """
    return st.text(_ALNUM, min_size=1, max_size=10).map(PTAN)


def apm_entity_ids() -> st.SearchStrategy[ApmEntityId]:
    """APM Entity IDs shaped like ACO IDs (``A1234``).

    >>> all(len(entity.value) == 5 and entity.value[1:].isdigit()
    ...     for entity in examples(apm_entity_ids()))
    True
    """
    return st.from_regex(r"\A[A-Z][0-9]{4}\Z").map(ApmEntityId)


def practice_site_ids() -> st.SearchStrategy[PracticeSiteId]:
    """CPC+ Practice Site IDs shaped like ``T1AR0058``.

    >>> all(site.value.startswith("T") and len(site.value) == 8
    ...     for site in examples(practice_site_ids()))
    True
    """
    return st.from_regex(r"\AT[0-9][A-Z]{2}[0-9]{4}\Z").map(PracticeSiteId)


def virtual_group_ids() -> st.SearchStrategy[VirtualGroupId]:
    """Virtual Group IDs (letters, digits, inner hyphens).

    >>> all(VirtualGroupId.is_valid(group.value) and group.value.startswith("VG-")
    ...     for group in examples(virtual_group_ids()))
    True
    """
    return st.from_regex(r"\AVG-[0-9]{4}-[0-9]{4}\Z").map(VirtualGroupId)


def vendor_ids() -> st.SearchStrategy[VendorId]:
    """Registry Vendor IDs: 7 digits.

    >>> all(len(vendor.value) == 7 and vendor.value.isdigit()
    ...     for vendor in examples(vendor_ids()))
    True
    """
    return st.text(_DIGITS, min_size=7, max_size=7).map(VendorId)


def size_bands() -> st.SearchStrategy[SizeBand]:
    """Size bands, drawn through a clinician count that favours the 24/25 and 99/100 edges.

    >>> all(isinstance(band, SizeBand)
    ...     for band in examples(size_bands()))
    True
    """
    counts = st.one_of(st.integers(2, 400), st.sampled_from([2, 24, 25, 99, 100]))
    return counts.map(SizeBand.from_clinicians)


def aware_datetimes(
    min_value: _dt.datetime = _dt.datetime(2017, 1, 1),
    max_value: _dt.datetime = _dt.datetime(2023, 12, 31),
) -> st.SearchStrategy[_dt.datetime]:
    """Aware datetimes in a few zones (UTC, ET, Pacific, Tokyo).

    >>> all(at.tzinfo is not None and at.utcoffset() is not None
    ...     for at in examples(aware_datetimes()))
    True
    """
    zones = st.sampled_from(["UTC", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"])
    return st.builds(
        lambda naive, zone: qr.instant(_localize(naive, zone)),
        st.datetimes(min_value=min_value, max_value=max_value),
        zones,
    )


def _localize(naive: _dt.datetime, zone: str) -> _dt.datetime:
    import pendulum

    return pendulum.instance(naive, tz="UTC").in_timezone(zone)


def policy_years() -> st.SearchStrategy[qr.PolicyYear]:
    """The built-in (and installed) policy years.

    >>> all(policy is qr.policy_for(policy.year)
    ...     for policy in examples(policy_years()))
    True
    """
    return st.sampled_from(qr.available_years()).map(qr.policy_for)


def reforms() -> st.SearchStrategy[qr.PolicyYear]:
    """Valid reforms of a built-in year that knows its low-volume threshold: the Web
    Interface and CAHPS size rules and the threshold moved, re-validated whole.

    >>> all(policy.registration.web_interface_min_clinicians >= 2 and "reform" in repr(policy)
    ...     for policy in examples(reforms()))
    True
    """

    def build(policy: qr.PolicyYear, wi: int, cahps: int, charges: int, patients: int) -> Any:
        return qr.reform(
            policy,
            {
                "registration.web_interface_min_clinicians": wi,
                "registration.cahps_min_clinicians": cahps,
                "election.low_volume.allowed_charges": Decimal(charges),
                "election.low_volume.patients": patients,
            },
            label=f"{policy.label} reform wi={wi} cahps={cahps}",
        )

    return st.builds(
        build,
        policy_years().filter(lambda policy: policy.election.low_volume is not None),
        st.integers(2, 150),
        st.integers(2, 30),
        st.integers(0, 200_000),
        st.integers(0, 500),
    )


_KINDS = (OrgType.PRACTICE,) * 5 + (OrgType.APM_ENTITY,) * 2 + (OrgType.VIRTUAL_GROUP,) * 2 + (
    OrgType.REGISTRY,)
"""Kinds in useful proportions: most organizations in the guides are Practices."""


def clinician_counts() -> st.SearchStrategy[int]:
    """Exact clinician counts of a group, 2 to 400, half of them at the size bands' edges
    (2, 24, 25, 99, 100): where the registration rules change their answer.

    >>> all(2 <= count <= 400
    ...     for count in examples(clinician_counts()))
    True
    """
    return st.one_of(st.sampled_from([2, 24, 25, 99, 100]), st.integers(2, 400))


def addresses() -> st.SearchStrategy[Address]:
    """Complete US postal addresses (street, city, two-letter state, 5-digit ZIP).

    >>> all(len(address.state) == 2 and len(address.zip) == 5
    ...     for address in examples(addresses()))
    True
    """
    from qpp_rules.registration import Address

    return st.builds(
        Address,
        st.integers(1, 9999).map(lambda n: f"{n} Main Street"),
        st.sampled_from(["Baltimore", "Boston", "Denver", "Austin", "Portland"]),
        st.sampled_from(["MD", "MA", "CO", "TX", "OR"]),
        st.text(_DIGITS, min_size=5, max_size=5),
    )


def organizations(
    kinds: st.SearchStrategy[OrgType] | None = None,
) -> st.SearchStrategy[Organization]:
    """``registration.Organization`` values of every type (Practices most often), each with
    an exact clinician count (and its size band), an address, consistent identifiers (a TIN
    for practices and registries, a virtual group ID, an APM Entity ID and model for APM
    Entities), and a reporting track (REG-ELIG-10: traditional MIPS or the APP for practices
    and APM Entities, the kinds that report through it; traditional MIPS for the others).

    >>> drawn = examples(organizations(), 20)
    >>> all(o.clinicians is not None and o.address is not None for o in drawn)
    True
    >>> all(o.tin is not None for o in drawn if o.kind is OrgType.PRACTICE)
    True
    """
    from qpp_rules.registration import Organization

    def build(kind: OrgType, count: int, address: Address, tin: TIN, vg: VirtualGroupId,
              aco: ApmEntityId, model: ApmModel, ssp: bool, prior: bool,
              split: int | None, app: bool) -> Organization:
        fields: dict[str, Any] = {"name": "Generated Health", "address": address,
                                  "clinicians": count}
        if app and kind in (OrgType.PRACTICE, OrgType.APM_ENTITY):
            fields["reporting_track"] = ReportingTrack.APP
        if kind in (OrgType.PRACTICE, OrgType.REGISTRY):
            fields["tin"] = tin
        if kind is OrgType.PRACTICE:
            fields["ssp_aco_participant"] = ssp
            fields["split_tin_mips_clinicians"] = None if ssp or split is None else min(
                split, count)  # never more than the group
        if kind is OrgType.VIRTUAL_GROUP:
            fields["virtual_group_id"] = vg
        if kind is OrgType.APM_ENTITY:
            fields["apm_entity_id"] = aco
            fields["apm_model"] = model
        fields["submitted_web_interface_prior_year"] = prior
        return Organization(kind, SizeBand.from_clinicians(count), **fields)

    return st.builds(
        build,
        kinds if kinds is not None else st.sampled_from(_KINDS),
        clinician_counts(),
        addresses(),
        tins(),
        virtual_group_ids(),
        apm_entity_ids(),
        st.sampled_from(list(ApmModel)),
        st.booleans(),
        st.booleans(),
        st.one_of(st.none(), st.integers(1, 200)),
        st.booleans(),
    )


def low_volume_facts(policy: qr.PolicyYear | None = None) -> st.SearchStrategy[LowVolumeFacts]:
    """``election.LowVolumeFacts`` near the year's thresholds (PY2019's by default): each
    element at, just below or just above its limit, or anywhere.

    >>> all(facts.allowed_charges >= 0 and facts.patients >= 0
    ...     for facts in examples(low_volume_facts()))
    True
    """
    from qpp_rules.election import LowVolumeFacts

    limit = known(policy or qr.policy_for(2019), "election.low_volume", "ELE-ELIG-1")
    services_limit = limit.covered_services if limit.covered_services is not None else 200
    cents = Decimal("0.01")
    charges = st.one_of(
        st.sampled_from([limit.allowed_charges, limit.allowed_charges + cents,
                         limit.allowed_charges - cents]),
        st.integers(0, 400_000_00).map(lambda c: Decimal(c) * cents),
    )

    def near(edge: int) -> st.SearchStrategy[int]:
        return st.one_of(st.sampled_from([edge, edge + 1, max(edge - 1, 0)]),
                         st.integers(0, 2000))

    return st.builds(LowVolumeFacts, allowed_charges=charges, patients=near(limit.patients),
                     covered_services=near(services_limit))


def participants() -> st.SearchStrategy[Participant]:
    """``election.Participant`` values: groups (TIN) and clinicians (TIN + NPI).

    >>> all(isinstance(p.tin, TIN) and (p.npi is None or NPI.is_valid(p.npi.value))
    ...     for p in examples(participants()))
    True
    """
    from qpp_rules.election import Participant

    return st.builds(Participant, tins(), st.one_of(st.none(), npis()))


def registration_states(policy: qr.PolicyYear | None = None,
                        ) -> st.SearchStrategy[Registration]:
    """Registration records reached by legal command sequences inside the year's window:
    a first registration, then any accepted modifications (contacts, organization updates,
    size changes, cancels, re-registrations).

    >>> all(record.organization.kind is not OrgType.REGISTRY
    ...     for record in examples(registration_states()))
    True
    """
    from qpp_rules.testing.lifecycle import registration_states as build

    return build(policy)


@overload
def election_ledgers(policy: qr.PolicyYear | None = None, *,
                     allow_none: Literal[False] = False) -> st.SearchStrategy[ElectionLedger]:
    ...


@overload
def election_ledgers(policy: qr.PolicyYear | None = None, *,
                     allow_none: bool) -> st.SearchStrategy[ElectionLedger | None]:
    ...


def election_ledgers(policy: qr.PolicyYear | None = None, *,
                     allow_none: bool = False) -> st.SearchStrategy[Any]:
    """Election ledgers holding one or more accepted, confirmed elections inside the year's
    window (PY2019 by default); None, the ledger before any election, only with
    ``allow_none=True``.

    >>> all(ledger.year == 2019 and ledger.elections
    ...     for ledger in examples(election_ledgers()))
    True
    """
    from qpp_rules.testing.lifecycle import election_ledgers as build

    return build(policy, allow_none=allow_none)


def windows() -> st.SearchStrategy[qr.Window]:
    """Half-open windows in US Eastern time, from a minute to a year long.

    >>> all(window.contains(window.opens) and not window.contains(window.closes)
    ...     for window in examples(windows()))
    True
    """
    return st.builds(
        lambda opens, minutes: qr.Window(opens, opens.add(minutes=minutes)),
        aware_datetimes().map(qr.instant), st.integers(1, 366 * 24 * 60),
    )


def register_type_strategies() -> None:
    """Register the strategies with Hypothesis, so ``st.from_type(qr.NPI)`` works.

    >>> register_type_strategies()
    >>> all(NPI.is_valid(npi.value) for npi in examples(st.from_type(NPI)))
    True
    """
    foundation: list[tuple[type, st.SearchStrategy[Any]]] = [
        (TIN, tins()),
        (NPI, npis()),
        (PTAN, ptans()),
        (ApmEntityId, apm_entity_ids()),
        (PracticeSiteId, practice_site_ids()),
        (VirtualGroupId, virtual_group_ids()),
        (VendorId, vendor_ids()),
        (qr.PolicyYear, st.deferred(policy_years)),
        (qr.Window, st.deferred(windows)),
    ]
    for kind, strategy in foundation + _domain_strategies():
        # a resolver, not the strategy: Hypothesis would check a strategy for emptiness now,
        # drawing on the policy years (and their loader) at import time
        st.register_type_strategy(kind, _resolver(strategy))


def _resolver(strategy: st.SearchStrategy[Any]) -> Callable[[type], st.SearchStrategy[Any]]:
    return lambda _: strategy


def _pick(attribute: str) -> Any:
    """A strategy drawing one of the items of ``attribute`` (a tuple or a mapping's values)
    of a drawn value, or nothing when it has none."""

    def pick(value: Any) -> st.SearchStrategy[Any]:
        found = getattr(value, attribute)
        items = list(found.values()) if hasattr(found, "values") else list(found)
        return st.sampled_from(items) if items else st.nothing()

    return pick


def _later(name: str) -> Callable[[], st.SearchStrategy[Any]]:
    def strategy() -> st.SearchStrategy[Any]:
        import qpp_rules.testing.lifecycle as lifecycle

        found: st.SearchStrategy[Any] = getattr(lifecycle, name)()
        return found

    return strategy


def _domain_strategies() -> list[tuple[type, st.SearchStrategy[Any]]]:
    """Every public value type of the three domains and the policy, with its strategy."""
    from qpp_rules.access import AccessState, Evidence, Member, OrganizationRecord, Request
    from qpp_rules.election import Election, ElectionLedger, LowVolumeFacts, Participant
    from qpp_rules.policy.model import (  # not the package: it would load cattrs
        AccessPolicy,
        ElectionPolicy,
        RegistrationPolicy,
        SamplingPolicy,
    )
    from qpp_rules.registration import (
        Address,
        Contact,
        Organization,
        Registration,
        options,
    )
    # the lifecycle strategies are looked up at the first draw: this runs from Hypothesis's
    # entry point, maybe while qpp_rules.testing.lifecycle itself is being imported
    contacts, access_outcomes, registration_outcomes = (
        _later("contacts"), _later("access_outcomes"), _later("registration_outcomes")
    )

    years = st.deferred(policy_years)  # the years are looked up at the first draw
    access = st.deferred(_access_states)
    decisions = st.builds(lambda org, policy: options(org, policy).web_interface,
                          st.deferred(organizations), years)
    return [
        (qr.Decision, decisions),
        (qr.Reason, decisions.flatmap(_pick("reasons"))),
        (qr.Citation, years.flatmap(_pick("citations"))),
        (qr.LowVolumeThreshold, years.filter(lambda p: p.election.low_volume is not None)
         .map(lambda policy: policy.election.low_volume)),
        (RegistrationPolicy, years.map(lambda policy: policy.registration)),
        (ElectionPolicy, years.map(lambda policy: policy.election)),
        (AccessPolicy, years.map(lambda policy: policy.access)),
        (SamplingPolicy, years.filter(lambda p: p.registration.sampling is not None)
         .map(lambda policy: policy.registration.sampling)),
        (Organization, st.deferred(organizations)),
        (Address, st.deferred(addresses)),
        (Contact, st.deferred(contacts)),
        (Registration, st.deferred(registration_states)),
        (LowVolumeFacts, st.deferred(low_volume_facts)),
        (Participant, st.deferred(participants)),
        (ElectionLedger, st.deferred(election_ledgers)),
        (Election, st.deferred(election_ledgers).flatmap(_pick("elections"))),
        (AccessState, access),
        (OrganizationRecord, access.map(lambda state: state.organization)),
        (Member, access.flatmap(_pick("members"))),
        (Request, st.deferred(access_outcomes).flatmap(_pick("events")).filter(
            lambda event: hasattr(event, "request")).map(lambda event: event.request)),
        (Evidence, st.builds(lambda tin, npi, ptan: Evidence(tin=tin, npi=npi, ptan=ptan),
                             tins(), npis(), ptans())),
        (qr.Outcome, st.one_of(st.deferred(registration_outcomes),
                               st.deferred(access_outcomes))),
    ]


def _access_states() -> st.SearchStrategy[AccessState]:
    from qpp_rules.testing.lifecycle import access_outcomes

    def reached(outcome: Outcome[AccessState | None, Any, Any]) -> st.SearchStrategy[AccessState]:
        return st.nothing() if outcome.state is None else st.just(outcome.state)

    return access_outcomes().flatmap(reached)
