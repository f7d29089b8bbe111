"""REG-ELIG-10 (with REG-ELIG-5): the PY2021 reporting track. Through the APM Performance
Pathway only a Shared Savings Program ACO may use the Web Interface, and CAHPS is required of
groups and APM Entities; under traditional MIPS (the default, the only track before PY2021)
the Web Interface follows REG-ELIG-1/3 and CAHPS is optional."""

from __future__ import annotations

import pytest
from registration_helpers import JANE, bbh, inside, so

import qpp_rules as qr
from qpp_rules.registration import (
    Organization,
    Register,
    ReportingTrack,
    SizeBand,
    automatic_registrations,
    cahps_required,
    decide,
    options,
)

APP, MIPS = qr.ReportingTrack.APP, qr.ReportingTrack.TRADITIONAL_MIPS
P2019, P2021 = qr.policy_for(2019), qr.policy_for(2021)


def _entity(model: qr.ApmModel, track: ReportingTrack = APP) -> Organization:
    return Organization(qr.OrgType.APM_ENTITY, SizeBand.LARGE, name="Sample Entity",
                        apm_model=model, reporting_track=track)


def test_reg_elig_10_the_track_is_traditional_mips_by_default() -> None:
    assert ReportingTrack is qr.ReportingTrack
    assert bbh().reporting_track is MIPS
    with pytest.raises(qr.InvalidInput, match=r"organization\.reporting_track"):
        bbh(reporting_track="APP")


def test_reg_elig_10_app_non_ssp_refused_web_interface() -> None:
    """REG-ELIG-10: a Next Generation ACO reporting through the APP is refused the Web
    Interface (it was told the Web Interface is allowed before)."""
    decision = options(_entity(qr.ApmModel.NEXT_GENERATION_ACO), P2021).web_interface
    assert not decision.allowed
    assert decision.rule_ids == ("REG-ELIG-10",)
    assert decision.reasons[0].citation.source == "REG-GUIDE-2021"
    assert "Only Shared Savings Program" in (decision.reasons[0].citation.quote or "")
    assert options(_entity(qr.ApmModel.NEXT_GENERATION_ACO), P2021).cahps.allowed
    group = bbh(SizeBand.LARGE, reporting_track=APP)
    assert options(group, P2021).web_interface.rule_ids == ("REG-ELIG-10",)
    refused = decide(None, Register(qr.Program.WEB_INTERFACE, group, (JANE,)),
                     at=inside(2021), policy=P2021, actor=so())
    assert refused.refusal is not None
    assert "REG-ELIG-10" in refused.refusal.rule_ids


def test_reg_elig_10_traditional_mips_keeps_the_web_interface() -> None:
    assert options(_entity(qr.ApmModel.NEXT_GENERATION_ACO, MIPS), P2021).web_interface
    assert options(bbh(SizeBand.LARGE), P2021).web_interface


def test_reg_elig_10_an_ssp_aco_through_the_app_keeps_the_web_interface() -> None:
    """REG-ELIG-10 / REG-ELIG-4: only SSP ACOs use the Web Interface for the APP."""
    aco = _entity(qr.ApmModel.SHARED_SAVINGS_PROGRAM)
    assert options(aco, P2021).web_interface.allowed
    assert automatic_registrations(aco, P2021) == frozenset(qr.Program)


@pytest.mark.parametrize("kind", [qr.OrgType.PRACTICE, qr.OrgType.APM_ENTITY])
def test_reg_elig_5_cahps_required_through_the_app_optional_under_traditional_mips(
    kind: qr.OrgType,
) -> None:
    """REG-ELIG-5 / REG-ELIG-10: the track decides whether CAHPS is required."""
    org = Organization(kind, SizeBand.LARGE, reporting_track=APP)
    assert cahps_required(org, P2021).allowed
    assert not cahps_required(Organization(kind, SizeBand.LARGE), P2021).allowed


def test_reg_elig_10_cahps_under_the_app_is_not_required_of_a_virtual_group() -> None:
    """REG-ELIG-10: virtual groups are named only under traditional MIPS."""
    vg = Organization(qr.OrgType.VIRTUAL_GROUP, SizeBand.LARGE, reporting_track=APP)
    assert not cahps_required(vg, P2021).allowed


@pytest.mark.parametrize("year", [2018, 2019])
def test_reg_elig_10_before_2021_the_app_track_is_refused(year: int) -> None:
    """REG-ELIG-10: before PY2021 traditional MIPS is the only track: an organization said to
    report through the APP is refused both programs, citing the rule (design: a refusal, so
    that a population with such a row is still answered)."""
    policy = qr.policy_for(year)
    answer = options(bbh(SizeBand.LARGE, reporting_track=APP), policy)
    for program in qr.Program:
        assert not answer[program].allowed
        assert "REG-ELIG-10" in answer[program].rule_ids
    assert not cahps_required(bbh(reporting_track=APP), policy).allowed
    assert "REG-ELIG-10" in cahps_required(bbh(reporting_track=APP), policy).rule_ids
    assert options(bbh(SizeBand.LARGE), policy).web_interface.allowed
