"""REG-ELIG-1/2 with an exact clinician count (design: the count, where known, decides)."""

from __future__ import annotations

import pytest

import qpp_rules as qr
from qpp_rules.registration import Organization, options


def test_reg_elig_1_count_24_versus_25() -> None:
    policy = qr.policy_for(2019)
    small = Organization(qr.OrgType.PRACTICE, qr.SizeBand.SMALL, clinicians=24)
    medium = Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, clinicians=25)
    assert not options(small, policy).web_interface
    assert options(medium, policy).web_interface
    assert options(small, policy).cahps


def test_reg_elig_1_a_reform_inside_a_band_decides_by_count() -> None:
    reform = qr.reform(qr.policy_for(2019), {"registration.web_interface_min_clinicians": 15},
                       label="WI at 15")
    fourteen = Organization(qr.OrgType.PRACTICE, qr.SizeBand.SMALL, clinicians=14)
    fifteen = Organization(qr.OrgType.PRACTICE, qr.SizeBand.SMALL, clinicians=15)
    band_only = Organization(qr.OrgType.PRACTICE, qr.SizeBand.SMALL)
    assert not options(fourteen, reform).web_interface
    decision = options(fifteen, reform).web_interface
    assert decision
    assert "REG-ELIG-1" in decision.rule_ids
    assert not options(band_only, reform).web_interface  # the band's fewest (2) decide


@pytest.mark.parametrize("count", [1, 25, 100, True, "24"])
def test_a_count_outside_its_band_is_refused(count: object) -> None:
    with pytest.raises(qr.InvalidInput) as caught:
        Organization(qr.OrgType.PRACTICE, qr.SizeBand.SMALL, clinicians=count)  # type: ignore[arg-type]
    assert caught.value.field == "organization.clinicians"


@pytest.mark.parametrize("year", [2018, 2019, 2021, 2024])
def test_reg_elig_2_fewer_than_two_clinicians_make_no_group_in_any_year(year: int) -> None:
    policy = qr.policy_for(year)
    for clinicians in (0, 1):
        refused = qr.registration.too_few_clinicians(clinicians, policy)
        assert refused is not None
        assert not refused.allowed
        assert refused.rule_ids == ("REG-ELIG-2",)
    assert qr.registration.too_few_clinicians(2, policy) is None
    with pytest.raises(qr.InvalidInput, match=r"^clinicians: "):
        qr.registration.too_few_clinicians(True, policy)
