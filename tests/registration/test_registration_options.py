"""Who may register for what (REG-ELIG-*), automatic registrations (REG-AUTO-1/2), what needs
registration (REG-ELIG-8) and sampling outcomes (REG-SAMP-1..3), year by year."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from registration_helpers import CAHPS, P2019, P2021, WI, YEARS, bbh, guide_text

import qpp_rules as qr
from qpp_rules.registration import (
    Organization,
    Program,
    SizeBand,
    automatic_registrations,
    band_allows,
    options,
    registration_needed,
    sampling_consequences,
)

P, VG, APM, REG = (
    qr.OrgType.PRACTICE,
    qr.OrgType.VIRTUAL_GROUP,
    qr.OrgType.APM_ENTITY,
    qr.OrgType.REGISTRY,
)
SSP = qr.ApmModel.SHARED_SAVINGS_PROGRAM


def policy(year: int) -> qr.PolicyYear:
    return qr.policy_for(year)


def ssp_aco(size: SizeBand = SizeBand.LARGE) -> Organization:
    return Organization(APM, size, name="Sample ACO", apm_entity_id="A1234", apm_model=SSP)


# -- REG-ELIG-1 / REG-ELIG-2: size ----------------------------------------------------------
@pytest.mark.parametrize("year", YEARS)
def test_reg_elig_1_wi_needs_25_clinicians_24_is_refused_25_allowed(year: int) -> None:
    """REG-ELIG-1: 24 clinicians (band 2-24) cannot hold WI; 25 (band 25-99) can."""
    at_24 = options(bbh(SizeBand.from_clinicians(24)), policy(year))
    at_25 = options(bbh(SizeBand.from_clinicians(25)), policy(year))
    assert not at_24.web_interface
    assert at_24.web_interface.rule_ids == ("REG-ELIG-1",)
    assert "not offered" in at_24.web_interface.reasons[0].message
    assert at_25.web_interface
    assert "REG-ELIG-1" in at_25.web_interface.rule_ids


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("size", list(SizeBand))
def test_reg_elig_2_cahps_is_open_to_every_band(year: int, size: SizeBand) -> None:
    """REG-ELIG-2: CAHPS needs 2 or more clinicians: every band qualifies."""
    decision = options(bbh(size), policy(year)).cahps
    assert decision
    assert "REG-ELIG-2" in decision.rule_ids


def test_reg_elig_1_thresholds_are_read_from_the_policy_table() -> None:
    """REG-ELIG-1 via a reform: WI at 100 clinicians refuses 25-99; CAHPS at 25 refuses 2-24."""
    reformed = qr.reform(
        policy(2019),
        {
            "registration.web_interface_min_clinicians": 100,
            "registration.cahps_min_clinicians": 25,
        },
        label="higher bars",
    )
    assert not options(bbh(SizeBand.MEDIUM), reformed).web_interface
    assert options(bbh(SizeBand.LARGE), reformed).web_interface
    assert not options(bbh(SizeBand.SMALL), reformed).cahps
    assert "100 or more" in options(bbh(SizeBand.MEDIUM), reformed).web_interface.reasons[0].message
    assert not band_allows(WI, SizeBand.SMALL, policy(2021))
    assert band_allows(CAHPS, SizeBand.SMALL, policy(2021))


# -- REG-ELIG-3: organization types by year --------------------------------------------------
@pytest.mark.parametrize("program", list(Program))
def test_reg_elig_3_2018_virtual_groups_are_registered_by_cms(program: Program) -> None:
    """REG-ELIG-3 PY2018: a virtual group cannot use the registration system; CMS registers
    the interested, eligible ones itself."""
    decision = options(Organization(VG, SizeBand.LARGE), policy(2018))[program]
    assert not decision
    assert decision.rule_ids == ("REG-ELIG-3",)
    assert "CMS" in decision.reasons[0].message
    assert "registers" in decision.reasons[0].message
    assert str(decision.reasons[0].citation).startswith("REG-GUIDE-2018")


@pytest.mark.parametrize("year", [2019, 2021])
def test_reg_elig_3_virtual_groups_register_from_2019(year: int) -> None:
    """REG-ELIG-3 PY2019/2021: virtual groups may register for both programs."""
    answer = options(Organization(VG, SizeBand.MEDIUM), policy(year))
    assert answer.web_interface
    assert answer.cahps
    assert answer.allowed == frozenset(Program)


@pytest.mark.parametrize("year", [2018, 2019])
@pytest.mark.parametrize("model", list(qr.ApmModel))
def test_reg_elig_3_apm_entities_refused_in_2018_and_2019(year: int, model: qr.ApmModel) -> None:
    """REG-ELIG-3 PY2018/2019: APM Entities cannot register at the APM Entity level."""
    answer = options(Organization(APM, SizeBand.LARGE, apm_model=model), policy(year))
    for program in Program:
        assert not answer[program]
        assert answer[program].rule_ids == ("REG-ELIG-3",)
        assert "APM Entit" in answer[program].reasons[0].message


def test_reg_elig_3_apm_entities_allowed_in_2021() -> None:
    """REG-ELIG-3 PY2021: APM Entities with 25+ may register for WI, with 2+ for CAHPS."""
    ngaco = Organization(APM, SizeBand.MEDIUM, apm_model=qr.ApmModel.NEXT_GENERATION_ACO)
    answer = options(ngaco, policy(2021))
    assert answer.web_interface
    assert answer.cahps
    assert answer.web_interface.rule_ids == ("REG-ELIG-3", "REG-ELIG-1")
    small = options(attrs.evolve(ngaco, size=SizeBand.SMALL), policy(2021))
    assert not small.web_interface
    assert small.cahps


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("program", list(Program))
def test_reg_elig_3_registries_never_register(year: int, program: Program) -> None:
    """REG-ELIG-3: registries never register (inference)."""
    decision = options(Organization(REG, SizeBand.LARGE, tin="000765630"), policy(year))[program]
    assert not decision
    assert decision.rule_ids == ("REG-ELIG-3",)
    assert "never" in decision.reasons[0].message


def test_reg_elig_3_who_may_register_is_read_from_the_policy_table() -> None:
    """REG-ELIG-3 via a reform: a PY2019 with APM Entities allowed lets them register."""
    reformed = qr.reform(
        policy(2019),
        {"registration.may_register": qr.policy_for(2021).registration.may_register},
        label="APM Entities register",
    )
    ngaco = Organization(APM, SizeBand.LARGE, apm_model=qr.ApmModel.NEXT_GENERATION_ACO)
    assert not options(ngaco, policy(2019)).web_interface
    assert options(ngaco, reformed).web_interface


# -- REG-ELIG-4: SSP ACOs in 2021 ------------------------------------------------------------
def test_reg_elig_4_ssp_acos_are_automatically_registered_for_both_in_2021() -> None:
    """REG-ELIG-4: PY2021 SSP ACOs hold WI and CAHPS automatically: yes citing REG-ELIG-4."""
    answer = options(ssp_aco(), policy(2021))
    for program in Program:
        assert answer[program]
        assert answer[program].rule_ids[0] == "REG-ELIG-4"
        assert "automatically registered" in answer[program].reasons[0].message
    assert automatic_registrations(ssp_aco(), policy(2021)) == frozenset(Program)


@pytest.mark.parametrize("year", [2018, 2019])
def test_reg_elig_4_no_automatic_ssp_registration_before_2021(year: int) -> None:
    """REG-ELIG-4 is PY2021 only: before, SSP ACOs cannot register (REG-ELIG-3)."""
    assert automatic_registrations(ssp_aco(), policy(year)) == frozenset()
    assert not options(ssp_aco(), policy(year)).web_interface


def test_reg_elig_4_a_small_ssp_aco_never_holds_wi() -> None:
    """REG-ELIG-4 with REG-ELIG-1: a 2-24 band never holds WI, automatic or not (design)."""
    answer = options(ssp_aco(SizeBand.SMALL), policy(2021))
    assert not answer.web_interface
    assert answer.cahps
    assert automatic_registrations(ssp_aco(SizeBand.SMALL), policy(2021)) == frozenset({CAHPS})


# -- REG-ELIG-6 / REG-ELIG-7 -----------------------------------------------------------------
@pytest.mark.parametrize("year", [2018, 2019])
def test_reg_elig_6_ssp_aco_participants_need_not_but_may_register(year: int) -> None:
    """REG-ELIG-6: an SSP ACO participant TIN need not register but may (PY2018/2019; for
    PY2021 see test_reg_elig_6_no_note_in_2021)."""
    answer = options(bbh(SizeBand.LARGE, ssp_aco_participant=True), policy(year))
    assert answer.web_interface
    assert answer.cahps
    why = [r for r in answer.web_interface.reasons if r.rule_id == "REG-ELIG-6"]
    assert len(why) == 1
    assert "need not register" in why[0].message
    assert "may" in why[0].message


@pytest.mark.parametrize("year", YEARS)
def test_reg_elig_7_split_tin_counts_only_clinicians_outside_the_apm(year: int) -> None:
    """REG-ELIG-7: a split TIN of 100+ with 24 MIPS eligible clinicians outside the APM
    cannot hold WI; with 25 it can; CAHPS either way."""
    model = qr.ApmModel.NEXT_GENERATION_ACO
    at_24 = options(bbh(SizeBand.LARGE, apm_model=model, split_tin_mips_clinicians=24),
                    policy(year))
    at_25 = options(bbh(SizeBand.LARGE, apm_model=model, split_tin_mips_clinicians=25),
                    policy(year))
    assert not at_24.web_interface
    assert at_24.web_interface.rule_ids == ("REG-ELIG-7",)
    assert "24" in at_24.web_interface.reasons[0].message
    assert at_24.cahps
    assert at_25.web_interface
    assert "REG-ELIG-7" in at_25.web_interface.rule_ids


def test_reg_elig_7_split_tin_with_one_clinician_outside_is_not_a_group() -> None:
    """REG-ELIG-7 with REG-ELIG-2: a split portion of 1 cannot administer CAHPS."""
    answer = options(bbh(SizeBand.MEDIUM, split_tin_mips_clinicians=1), policy(2019))
    assert not answer.cahps
    assert not answer.web_interface


# -- every answer is explained ---------------------------------------------------------------
organizations = st.one_of(
    st.builds(
        Organization,
        st.just(P),
        st.sampled_from(SizeBand),
        ssp_aco_participant=st.booleans(),
        submitted_web_interface_prior_year=st.booleans(),
    ),
    st.sampled_from(SizeBand).flatmap(
        lambda size: st.builds(
            Organization,
            st.just(P),
            st.just(size),
            apm_model=st.just(qr.ApmModel.NEXT_GENERATION_ACO),
            split_tin_mips_clinicians=st.integers(
                0, {SizeBand.SMALL: 24, SizeBand.MEDIUM: 99}.get(size, 150)
            ),
        )
    ),
    st.builds(
        Organization,
        st.sampled_from([VG, REG]),
        st.sampled_from(SizeBand),
        submitted_web_interface_prior_year=st.booleans(),
    ),
    st.builds(
        Organization,
        st.just(APM),
        st.sampled_from(SizeBand),
        apm_model=st.sampled_from(qr.ApmModel),
        submitted_web_interface_prior_year=st.booleans(),
    ),
)


@given(org=organizations, year=st.sampled_from(YEARS))
def test_every_yes_and_every_no_has_cited_reasons(org: Organization, year: int) -> None:
    """Every decision of options() carries reasons with a REG- rule ID and a citation; a 2-24
    band is never offered WI (REG-ELIG-1); automatic programs are allowed ones."""
    answer = options(org, policy(year))
    for program in Program:
        decision = answer[program]
        assert decision.reasons
        for why in decision.reasons:
            assert why.rule_id.startswith("REG-")
            assert why.citation
    if org.size is SizeBand.SMALL:
        assert not answer.web_interface
    assert automatic_registrations(org, policy(year)) <= answer.allowed
    assert CAHPS not in automatic_registrations(org, policy(year)) or org.is_ssp_aco


def test_answers_are_shared_per_small_tuple_of_facts_and_per_policy() -> None:
    """Design (speed): the explained answer is computed once per facts tuple and policy; the
    name, address and identifiers are not facts the rule reads."""
    p = policy(2019)
    first = options(bbh(SizeBand.MEDIUM), p)
    other = Organization(P, SizeBand.MEDIUM, name="Another Practice", tin="123456789")
    assert options(other, p) is first
    reformed = qr.reform(p, {"registration.web_interface_min_clinicians": 25}, label="same")
    again = options(other, reformed)
    assert again is not first
    assert again.web_interface.rule_ids == first.web_interface.rule_ids
    assert str(again.web_interface.reasons[1].citation) == "reform, same"


def test_options_refuses_bad_input_naming_the_field() -> None:
    """Bad input raises a QppRulesError naming the field."""
    with pytest.raises(qr.InvalidInput, match="organization"):
        options("Better Business Health", policy(2019))  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput, match="policy"):
        options(bbh(), 2019)  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput, match="organization"):
        automatic_registrations(None, policy(2019))  # type: ignore[arg-type]
    assert isinstance(qr.InvalidInput("x", "y"), qr.QppRulesError)


# -- REG-AUTO-1 / REG-AUTO-2 -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("year", "kind", "expected"),
    [
        (2018, P, frozenset({WI})),
        (2018, VG, frozenset()),
        (2019, P, frozenset({WI})),
        (2019, VG, frozenset({WI})),
        (2021, P, frozenset({WI})),
        (2021, VG, frozenset({WI})),
        (2021, REG, frozenset()),
    ],
)
def test_reg_auto_1_wi_carries_over_by_year_and_cahps_never(
    year: int, kind: qr.OrgType, expected: frozenset[Program]
) -> None:
    """REG-AUTO-1: WI carries over to the year's types after a WI submission; REG-AUTO-2:
    CAHPS never carries over."""
    org = Organization(kind, SizeBand.MEDIUM, submitted_web_interface_prior_year=True)
    assert automatic_registrations(org, policy(year)) == expected
    fresh = Organization(kind, SizeBand.MEDIUM)
    assert automatic_registrations(fresh, policy(year)) == frozenset()


@pytest.mark.parametrize("year", YEARS)
def test_reg_auto_2_cahps_never_carries_over_and_says_so(year: int) -> None:
    """REG-AUTO-2: a group whose WI carried over still registers for CAHPS every year."""
    answer = options(bbh(SizeBand.LARGE, submitted_web_interface_prior_year=True), policy(year))
    assert "REG-AUTO-1" in answer.web_interface.rule_ids
    assert "REG-AUTO-2" in answer.cahps.rule_ids
    assert "REG-AUTO-1" not in options(bbh(SizeBand.LARGE), policy(year)).web_interface.rule_ids


def test_reg_auto_1_a_small_band_never_holds_wi_automatically() -> None:
    """REG-AUTO-1 with REG-ELIG-1: a 2-24 band does not hold WI even after a WI year."""
    org = bbh(SizeBand.SMALL, submitted_web_interface_prior_year=True)
    assert automatic_registrations(org, policy(2019)) == frozenset()


# -- REG-ELIG-8 ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("year", "collection"),
    [(2018, "Qualified Registry"), (2018, "EHR"), (2019, "eCQMs"), (2019, "QCDR measures")],
)
def test_reg_elig_8_other_collection_types_need_no_registration(
    year: int, collection: str
) -> None:
    """REG-ELIG-8: the year's named collection types need no registration."""
    decision = registration_needed(collection, policy(year))
    assert not decision
    assert decision.rule_ids == ("REG-ELIG-8",)
    assert f"PY{year} guide names" in decision.reasons[0].message


def test_reg_elig_8_wi_and_cahps_need_registration() -> None:
    """REG-ELIG-8: only WI and CAHPS need advance registration."""
    assert registration_needed(WI, policy(2019))
    assert registration_needed("CAHPS for MIPS Survey", policy(2018))
    with pytest.raises(qr.InvalidInput, match="collection"):
        registration_needed(42, policy(2019))  # type: ignore[arg-type]


# -- REG-SAMP-1..3 ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("year", "alternatives", "notice"),
    [
        (2018, ("a different available submission mechanism",), "the Fall of 2018"),
        (2019, ("eCQMs", "MIPS CQMs"), "the Fall of 2019"),
        (2021, ("eCQMs", "MIPS CQMs"), "the fall of 2021"),
    ],
)
def test_reg_samp_1_no_patients_assigned_means_another_collection_type(
    year: int, alternatives: tuple[str, ...], notice: str
) -> None:
    """REG-SAMP-1: no WI sample: cannot submit through WI, notified in the fall, another
    collection type."""
    result = sampling_consequences(WI, policy(year))
    assert not result.can_report
    assert result.other_collection_types == alternatives
    assert result.notified == notice
    assert set(r.rule_id for r in result.reasons) == {"REG-SAMP-1"}


def test_reg_samp_2_cahps_sample_not_met_by_year() -> None:
    """REG-SAMP-2: 2018 only notified; 2019 adds another activity, no CAHPS points, a possible
    denominator reduction; 2021 names IA_PSPA_11 and gives SSP ACOs a reduction."""
    y2018 = sampling_consequences(CAHPS, policy(2018))
    assert not y2018.can_report
    assert not y2018.select_other_improvement_activity
    assert not y2018.loses_cahps_quality_points
    assert not y2018.may_qualify_for_denominator_reduction
    y2019 = sampling_consequences(CAHPS, policy(2019), ssp_aco=True)
    assert y2019.select_other_improvement_activity
    assert y2019.unattestable_activity is None
    assert y2019.loses_cahps_quality_points
    assert y2019.may_qualify_for_denominator_reduction
    assert not y2019.denominator_reduction
    y2021 = sampling_consequences(CAHPS, policy(2021), ssp_aco=True)
    assert y2021.unattestable_activity == "IA_PSPA_11"
    assert y2021.denominator_reduction
    assert not sampling_consequences(CAHPS, policy(2021)).denominator_reduction
    assert "IA_PSPA_11" in y2021.explain()
    assert sampling_consequences(CAHPS, policy(2021)) is sampling_consequences(CAHPS, policy(2021))


def test_reg_samp_3_vendor_contract_in_2018_only() -> None:
    """REG-SAMP-3: PY2018 CAHPS groups contract with a CMS-approved vendor and bear its cost."""
    assert "REG-SAMP-3" in options(bbh(), policy(2018)).cahps.rule_ids
    assert "REG-SAMP-3" not in options(bbh(), policy(2019)).cahps.rule_ids


def test_sampling_refuses_bad_input() -> None:
    """Bad input raises InvalidInput naming the field."""
    with pytest.raises(qr.InvalidInput, match="program"):
        sampling_consequences("WI", policy(2019))  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput, match="ssp_aco"):
        sampling_consequences(WI, policy(2019), ssp_aco="yes")  # type: ignore[arg-type]


def test_reg_elig_6_no_note_in_2021() -> None:
    """REG-ELIG-6: in PY2021 SSP ACOs "aren't required to report quality data through the
    CMS Web Interface", so the note (the ACO reports through WI for its participants) is not
    given; before, it cites 'Who does not need to register?'."""
    participant = bbh(SizeBand.LARGE, ssp_aco_participant=True)
    answer = options(participant, P2021)
    assert answer.web_interface
    assert answer.cahps
    for program in Program:
        assert "REG-ELIG-6" not in answer[program].rule_ids
    for year in (2018, 2019):
        why = [r for r in options(participant, qr.policy_for(year)).web_interface.reasons
               if r.rule_id == "REG-ELIG-6"]
        assert len(why) == 1
        where = str(why[0].citation)
        assert where.startswith(f"REG-GUIDE-{year}, I 'Who does not need to register?'")
        assert str(why[0].citation).endswith("[REG-ELIG-6]")
        assert "who does not need to register?" in guide_text(year)
    automatic = qr.reform(P2019, {"registration.ssp_aco_automatic": ["CMS Web Interface"]},
                          label="SSP ACOs automatic")
    assert "REG-ELIG-6" not in options(participant, automatic).web_interface.rule_ids
