"""REG-ELIG-5 (REG-GUIDE-2021 "Who can register for the CAHPS for MIPS Survey?"; REG-GUIDE-2019
I; REG-GUIDE-2018 II): CAHPS is optional under traditional MIPS every year, and in PY2021
required for groups and APM Entities reporting through the APP."""

from __future__ import annotations

import pytest

import qpp_rules as qr
from qpp_rules.registration import Organization, cahps_required

GROUP = Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM)
ACO = Organization(qr.OrgType.APM_ENTITY, qr.SizeBand.LARGE)
VIRTUAL = Organization(qr.OrgType.VIRTUAL_GROUP, qr.SizeBand.MEDIUM)


@pytest.mark.parametrize("org", [GROUP, ACO])
def test_reg_elig_5_required_through_the_app_in_2021(org: Organization) -> None:
    decision = cahps_required(org, qr.policy_for(2021), through_app=True)
    assert decision.allowed
    assert decision.rule_ids == ("REG-ELIG-5",)
    assert "required measure" in decision.reasons[0].message


def test_reg_elig_5_a_virtual_group_is_not_required_even_through_the_app() -> None:
    assert not cahps_required(VIRTUAL, qr.policy_for(2021), through_app=True)


@pytest.mark.parametrize("year", [2018, 2019, 2021])
@pytest.mark.parametrize("org", [GROUP, ACO, VIRTUAL])
def test_reg_elig_5_optional_under_traditional_mips(year: int, org: Organization) -> None:
    decision = cahps_required(org, qr.policy_for(year))
    assert not decision.allowed
    assert "optional" in decision.reasons[0].message


def test_reg_elig_5_traditional_mips_credit_in_2021_only() -> None:
    message_2021 = cahps_required(GROUP, qr.policy_for(2021)).reasons[0].message
    message_2019 = cahps_required(GROUP, qr.policy_for(2019)).reasons[0].message
    assert "1 of the 6 required quality measures" in message_2021
    assert "improvement activity" in message_2021
    assert "quality measures" not in message_2019


@pytest.mark.parametrize("year", [2018, 2019])
def test_reg_elig_5_no_app_before_2021(year: int) -> None:
    assert not cahps_required(GROUP, qr.policy_for(year), through_app=True)


def test_reg_elig_5_bad_input() -> None:
    with pytest.raises(qr.InvalidInput):
        cahps_required(GROUP, qr.policy_for(2021), through_app="yes")  # type: ignore[arg-type]
