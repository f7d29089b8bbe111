"""REG-ELIG-5 (REG-GUIDE-2021 "Who can register for the CAHPS for MIPS Survey?"; REG-GUIDE-2019
I; REG-GUIDE-2018 II): CAHPS is optional under traditional MIPS every year, and in PY2021
required for groups and APM Entities reporting through the APP."""

from __future__ import annotations

import pytest
from registration_helpers import P2021, ssp_aco

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


def test_reg_elig_5_cahps_is_required_of_a_2021_ssp_aco() -> None:
    """REG-ELIG-5 with REG-ELIG-4 (REG-GUIDE-2021 'Who can register for the CAHPS for MIPS
    Survey?': "Because Shared Savings Program ACOs are required to report through the APP,
    they're automatically registered for the CAHPS for MIPS Survey"): required, with or
    without through_app; optional for an SSP ACO where the year has no automatic CAHPS."""
    aco = ssp_aco()
    for through_app in (False, True):
        decision = cahps_required(aco, P2021, through_app=through_app)
        assert decision.allowed
        assert decision.rule_ids == ("REG-ELIG-5", "REG-ELIG-4")
        assert "required" in decision.reasons[0].message
        where = str(decision.reasons[1].citation)
        assert "Who can register for the CAHPS for MIPS Survey?" in where
    assert cahps_required(aco, P2021) is cahps_required(ssp_aco(name="Other ACO"), P2021)
    for year in (2018, 2019):
        assert not cahps_required(aco, qr.policy_for(year))
    no_auto = qr.reform(P2021, {"registration.ssp_aco_automatic": []}, label="no automatic")
    assert not cahps_required(aco, no_auto)
    assert cahps_required(aco, no_auto, through_app=True)
    ngaco = ssp_aco(apm_model=qr.ApmModel.NEXT_GENERATION_ACO)
    assert not cahps_required(ngaco, P2021)
