"""The strategies behind :mod:`qpp_rules.testing`."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

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
from qpp_rules.vocabulary import ApmModel, OrgType, ReportingTrack, SizeBand

__all__ = [
    "apm_entity_ids",
    "aware_datetimes",
    "election_ledgers",
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
]

_DIGITS = "0123456789"
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def tins() -> st.SearchStrategy[TIN]:
    """Valid TINs (any 9 digits).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(tins())
    ... def check(tin):
    ...     assert TIN.is_valid(tin.value) and len(tin.value) == 9
    ...     assert str(tin) == "*****" + tin.value[-4:]  # masked
    >>> check()
    """
    return st.text(_DIGITS, min_size=9, max_size=9).map(TIN)


def npis() -> st.SearchStrategy[NPI]:
    """Valid NPIs: 9 digits and their Luhn check digit over 80840 + the number.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(npis())
    ... def check(npi):
    ...     assert NPI.is_valid(npi.value)
    >>> check()
    """
    return st.text(_DIGITS, min_size=9, max_size=9).map(lambda d: NPI(d + npi_check_digit(d)))


def ptans() -> st.SearchStrategy[PTAN]:
    """PTANs: 1 to 10 letters and digits.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(ptans())
    ... def check(ptan):
    ...     assert 1 <= len(ptan.value) <= 10 and ptan.value.isalnum()
    >>> check()
    """
    return st.text(_ALNUM, min_size=1, max_size=10).map(PTAN)


def apm_entity_ids() -> st.SearchStrategy[ApmEntityId]:
    """APM Entity IDs shaped like ACO IDs (``A1234``).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(apm_entity_ids())
    ... def check(entity):
    ...     assert len(entity.value) == 5 and entity.value[1:].isdigit()
    >>> check()
    """
    return st.from_regex(r"\A[A-Z][0-9]{4}\Z").map(ApmEntityId)


def practice_site_ids() -> st.SearchStrategy[PracticeSiteId]:
    """CPC+ Practice Site IDs shaped like ``T1AR0058``.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(practice_site_ids())
    ... def check(site):
    ...     assert site.value.startswith("T") and len(site.value) == 8
    >>> check()
    """
    return st.from_regex(r"\AT[0-9][A-Z]{2}[0-9]{4}\Z").map(PracticeSiteId)


def virtual_group_ids() -> st.SearchStrategy[VirtualGroupId]:
    """Virtual Group IDs (letters, digits, inner hyphens).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(virtual_group_ids())
    ... def check(group):
    ...     assert VirtualGroupId.is_valid(group.value) and group.value.startswith("VG-")
    >>> check()
    """
    return st.from_regex(r"\AVG-[0-9]{4}-[0-9]{4}\Z").map(VirtualGroupId)


def vendor_ids() -> st.SearchStrategy[VendorId]:
    """Registry Vendor IDs: 7 digits.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(vendor_ids())
    ... def check(vendor):
    ...     assert len(vendor.value) == 7 and vendor.value.isdigit()
    >>> check()
    """
    return st.text(_DIGITS, min_size=7, max_size=7).map(VendorId)


def size_bands() -> st.SearchStrategy[SizeBand]:
    """Size bands, drawn through a clinician count that favours the 24/25 and 99/100 edges.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(size_bands())
    ... def check(band):
    ...     assert isinstance(band, SizeBand)
    >>> check()
    """
    counts = st.one_of(st.integers(2, 400), st.sampled_from([2, 24, 25, 99, 100]))
    return counts.map(SizeBand.from_clinicians)


def aware_datetimes(
    min_value: _dt.datetime = _dt.datetime(2017, 1, 1),
    max_value: _dt.datetime = _dt.datetime(2023, 12, 31),
) -> st.SearchStrategy[_dt.datetime]:
    """Aware datetimes in a few zones (UTC, ET, Pacific, Tokyo).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(aware_datetimes())
    ... def check(at):
    ...     assert at.tzinfo is not None and at.utcoffset() is not None
    >>> check()
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

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(policy_years())
    ... def check(policy):
    ...     assert policy is qr.policy_for(policy.year)
    >>> check()
    """
    return st.sampled_from(qr.available_years()).map(qr.policy_for)


def reforms() -> st.SearchStrategy[qr.PolicyYear]:
    """Valid reforms of a built-in year that knows its low-volume threshold: the Web
    Interface and CAHPS size rules and the threshold moved, re-validated whole.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(reforms())
    ... def check(policy):
    ...     assert policy.registration.web_interface_min_clinicians >= 2
    ...     assert "reform" in repr(policy)
    >>> check()
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


def organizations(
    kinds: st.SearchStrategy[OrgType] | None = None,
) -> st.SearchStrategy[Any]:
    """``registration.Organization`` values of every type and size band, with consistent
    identifiers (a TIN for practices and registries, a virtual group ID, an APM Entity ID and
    model for APM Entities), and a reporting track (REG-ELIG-10: traditional MIPS or the APP
    for practices and APM Entities, the kinds that report through it; traditional MIPS for
    the others).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(organizations())
    ... def check(organization):
    ...     if organization.kind is OrgType.PRACTICE:
    ...         assert organization.tin is not None
    >>> check()
    """
    from qpp_rules.registration import Organization

    def build(kind: OrgType, size: SizeBand, tin: TIN, vg: VirtualGroupId, aco: ApmEntityId,
              model: ApmModel, ssp: bool, prior: bool, split: int | None,
              app: bool) -> Any:
        fields: dict[str, Any] = {"kind": kind, "size": size, "name": "Generated Health"}
        if app and kind in (OrgType.PRACTICE, OrgType.APM_ENTITY):
            fields["reporting_track"] = ReportingTrack.APP
        if kind in (OrgType.PRACTICE, OrgType.REGISTRY):
            fields["tin"] = tin
        if kind is OrgType.PRACTICE:
            fields["ssp_aco_participant"] = ssp
            if split is not None and size is not SizeBand.LARGE:  # never more than the band
                split = min(split, {SizeBand.SMALL: 24, SizeBand.MEDIUM: 99}[size])
            fields["split_tin_mips_clinicians"] = None if ssp else split
        if kind is OrgType.VIRTUAL_GROUP:
            fields["virtual_group_id"] = vg
        if kind is OrgType.APM_ENTITY:
            fields["apm_entity_id"] = aco
            fields["apm_model"] = model
        fields["submitted_web_interface_prior_year"] = prior
        return Organization(**fields)

    return st.builds(
        build,
        kinds if kinds is not None else st.sampled_from(list(OrgType)),
        size_bands(),
        tins(),
        virtual_group_ids(),
        apm_entity_ids(),
        st.sampled_from(list(ApmModel)),
        st.booleans(),
        st.booleans(),
        st.one_of(st.none(), st.integers(1, 200)),
        st.booleans(),
    )


def low_volume_facts(policy: qr.PolicyYear | None = None) -> st.SearchStrategy[Any]:
    """``election.LowVolumeFacts`` near the year's thresholds (PY2019's by default): each
    element at, just below or just above its limit, or anywhere.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(low_volume_facts())
    ... def check(facts):
    ...     assert facts.allowed_charges >= 0 and facts.patients >= 0
    >>> check()
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


def participants() -> st.SearchStrategy[Any]:
    """``election.Participant`` values: groups (TIN) and clinicians (TIN + NPI).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(participants())
    ... def check(participant):
    ...     assert isinstance(participant.tin, TIN)
    ...     assert participant.npi is None or NPI.is_valid(participant.npi.value)
    >>> check()
    """
    from qpp_rules.election import Participant

    return st.builds(Participant, tins(), st.one_of(st.none(), npis()))


def registration_states(policy: qr.PolicyYear | None = None) -> st.SearchStrategy[Any]:
    """Registration records reached by legal command sequences inside the year's window:
    a first registration, then any accepted modifications (contacts, organization updates,
    size changes, cancels, re-registrations).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(registration_states())
    ... def check(record):
    ...     assert record.organization.kind is not OrgType.REGISTRY  # REG-ELIG-3
    >>> check()
    """
    from qpp_rules.testing.lifecycle import registration_states as build

    return build(policy)


def election_ledgers(policy: qr.PolicyYear | None = None) -> st.SearchStrategy[Any]:
    """Election ledgers reached by accepted, confirmed elections inside the PY2019 window.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(election_ledgers())
    ... def check(ledger):
    ...     assert ledger is None or ledger.year == 2019
    >>> check()
    """
    from qpp_rules.testing.lifecycle import election_ledgers as build

    return build(policy)


def register_type_strategies() -> None:
    """Register the strategies with Hypothesis, so ``st.from_type(qr.NPI)`` works.

    >>> from hypothesis import given, settings
    >>> register_type_strategies()
    >>> @settings(max_examples=10, derandomize=True, database=None)
    ... @given(st.from_type(NPI))
    ... def check(npi):
    ...     assert NPI.is_valid(npi.value)
    >>> check()
    """
    for kind, strategy in (
        (TIN, tins()),
        (NPI, npis()),
        (PTAN, ptans()),
        (ApmEntityId, apm_entity_ids()),
        (PracticeSiteId, practice_site_ids()),
        (VirtualGroupId, virtual_group_ids()),
        (VendorId, vendor_ids()),
        (qr.PolicyYear, policy_years()),
    ):
        st.register_type_strategy(kind, strategy)
    try:
        from qpp_rules.election import LowVolumeFacts, Participant
        from qpp_rules.registration import Organization
    except ImportError:  # pragma: no cover - a partial install
        return
    st.register_type_strategy(Organization, st.deferred(organizations))
    st.register_type_strategy(LowVolumeFacts, st.deferred(low_volume_facts))
    st.register_type_strategy(Participant, st.deferred(participants))
