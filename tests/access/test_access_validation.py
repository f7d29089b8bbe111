"""ACC-SO-1 (first Security Official validation), ACC-TIN-ACO-1, ACC-DENY-1."""

from __future__ import annotations

from typing import Any

import pytest
from access_support import (
    ACO_ID,
    CASES,
    GUIDE_VENDOR_ID,
    NPI_1,
    NPI_2,
    NPI_3,
    NPI_BAD_CHECK,
    PTAN_1,
    PTAN_2,
    SITE_ID,
    TIN_A,
    TIN_B,
    TIN_C,
    TIN_E,
    VENDOR_ID,
    Mutation,
    aco,
    assert_no_tin_shown,
    cpc_site,
    failing_items,
    practice,
    registry,
    single_tin_aco,
    virtual_group,
)
from hypothesis import given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.access import (
    Evidence,
    OrganizationRecord,
    required_evidence,
    validate_first_security_official,
)

CASE_IDS = sorted(CASES)
MUTATIONS = [
    (case, mutation) for case in CASE_IDS for mutation in CASES[case][2]
]
MUTATION_IDS = [f"{case}-{m[0]}" for case, m in MUTATIONS]


def _validate(case: str, **changes: Any) -> qr.Decision:
    record, right, _ = CASES[case]
    return validate_first_security_official(record, Evidence(**{**right, **changes}))


@pytest.mark.parametrize("case", CASE_IDS)
def test_acc_so_1_right_evidence_validates_each_type(case: str) -> None:
    decision = _validate(case)
    assert decision.allowed, decision.explain()
    assert "ACC-SO-1" in decision.rule_ids
    assert "approved automatically" in decision.reasons[0].message


@pytest.mark.parametrize(("case", "mutation"), MUTATIONS, ids=MUTATION_IDS)
@pytest.mark.parametrize("how", ["wrong", "malformed", "missing"])
def test_acc_so_1_each_single_item_wrong_malformed_or_missing_fails_naming_it(
    case: str, mutation: Mutation, how: str
) -> None:
    item, field, wrong, malformed, missing = mutation
    value = {"wrong": wrong, "malformed": malformed, "missing": missing}[how]
    decision = _validate(case, **{field: value})
    assert not decision.allowed
    assert failing_items(decision) == {item}, decision.explain()
    assert decision.reasons[0].message.startswith(f"Validation failed for {item}:")
    expected = {
        "wrong": "does not match",
        "malformed": "not a valid",
        "missing": ("missing", "asks for"),
    }[how]
    words = expected if isinstance(expected, tuple) else (expected,)
    assert any(w in r.message for r in decision.reasons[1:] for w in words), decision.explain()
    assert_no_tin_shown(decision.explain())


@pytest.mark.parametrize("case", CASE_IDS)
def test_acc_so_1_empty_evidence_names_every_item_of_the_form(case: str) -> None:
    record = CASES[case][0]
    decision = validate_first_security_official(record, Evidence())
    assert not decision.allowed
    assert failing_items(decision) == set(required_evidence(record))


@pytest.mark.parametrize("junk", [None, 42, "junk", {"tin": TIN_A}, object()])
def test_acc_so_1_anything_but_evidence_counts_as_none_and_never_raises(junk: object) -> None:
    decision = validate_first_security_official(practice(), junk)
    assert not decision.allowed
    assert failing_items(decision) == {"TIN", "NPI", "PTAN"}


def test_acc_so_1_practice_needs_that_clinicians_ptan() -> None:
    """The PTAN must be the named clinician's, not any clinician's of the practice."""
    assert _validate("practice", npi=NPI_2, ptan=PTAN_2).allowed
    mixed = _validate("practice", npi=NPI_1, ptan=PTAN_2)
    assert failing_items(mixed) == {"PTAN"}


def test_acc_so_1_practice_wrong_npi_does_not_condemn_a_real_ptan() -> None:
    decision = _validate("practice", npi=NPI_3, ptan=PTAN_1)
    assert failing_items(decision) == {"NPI"}


def test_acc_so_1_npi_with_bad_check_digit_is_malformed_even_if_on_record() -> None:
    """Strict: a record NPI read without the check digit can never be matched by evidence."""
    lax = qr.NPI(NPI_BAD_CHECK, check_digit=False)
    record = OrganizationRecord(qr.OrgType.PRACTICE, tins=[TIN_A], clinicians=[(lax, PTAN_1)])
    decision = validate_first_security_official(
        record, Evidence(tin=TIN_A, npi=lax, ptan=PTAN_1)
    )
    assert failing_items(decision) == {"NPI"}
    assert "check digit" in decision.explain()


def test_acc_so_1_guides_vendor_id_example_is_malformed() -> None:
    """ELECTION-GUIDE-2019 shows 'Vendor ID: #1234567892': 10 digits, not a 7-digit ID."""
    decision = _validate("registry", vendor_id=GUIDE_VENDOR_ID)
    assert failing_items(decision) == {"Vendor ID"}
    assert "not a valid Vendor ID" in decision.explain()


def test_acc_so_1_formatted_tins_are_accepted() -> None:
    assert _validate("practice", tin="00-0765630").allowed
    assert _validate("ssp_aco", tins=("00-0765630", " 001234567 ")).allowed


def test_acc_so_1_tin_and_tins_together_are_the_tins_offered() -> None:
    assert _validate("virtual_group", tins=(TIN_A,), tin="004567891").allowed


def test_acc_so_1_aco_needs_two_different_participating_tins() -> None:
    same = _validate("ssp_aco", tins=(TIN_A, "00-0765630"))
    assert failing_items(same) == {"TIN"}
    assert "2 different TINs" in same.explain()
    three = _validate("ssp_aco", tins=(TIN_A, TIN_B, TIN_C))
    assert failing_items(three) == {"TIN"}


def test_acc_so_1_wrong_second_tin_is_named_by_position_only() -> None:
    decision = _validate("virtual_group", tins=(TIN_A, TIN_C))
    messages = [r.message for r in decision.reasons]
    assert "TIN #2: does not match the Virtual Group's records." in messages
    assert_no_tin_shown(decision.explain())


def test_acc_so_1_and_acc_tin_aco_1_single_tin_aco_validates_with_one_tin() -> None:
    record = single_tin_aco()
    decision = validate_first_security_official(
        record, Evidence(apm_entity_id=ACO_ID, tin=TIN_A)
    )
    assert decision.allowed, decision.explain()
    assert decision.rule_ids == ("ACC-SO-1", "ACC-TIN-ACO-1")
    assert required_evidence(record) == ("APM Entity ID", "TIN")
    two = validate_first_security_official(record, Evidence(apm_entity_id=ACO_ID,
                                                            tins=(TIN_A, TIN_B)))
    assert failing_items(two) == {"TIN"}


def test_acc_so_1_an_aco_not_on_the_single_tin_list_needs_two() -> None:
    decision = validate_first_security_official(aco(), Evidence(apm_entity_id=ACO_ID, tin=TIN_A))
    assert failing_items(decision) == {"TIN"}
    assert "ACC-TIN-ACO-1" not in decision.rule_ids


def test_acc_so_1_cpc_plus_any_tin_npi_pair_of_the_site() -> None:
    """The guide's FAQ: a multi-TIN Practice Site may give any TIN/NPI pair of the site."""
    site = cpc_site()
    for tin, npi in ((TIN_A, NPI_1), (TIN_B, NPI_2), (TIN_B, NPI_3)):
        ok = validate_first_security_official(
            site, Evidence(practice_site_id=SITE_ID, tin=tin, npi=npi)
        )
        assert ok.allowed, ok.explain()
    crossed = validate_first_security_official(
        site, Evidence(practice_site_id=SITE_ID, tin=TIN_A, npi=NPI_2)
    )
    assert failing_items(crossed) == {"NPI"}


def test_acc_so_1_cpc_plus_site_id_given_as_the_guides_apm_entity_id_field() -> None:
    """The guide labels the field 'APM Entity ID (your Practice Site ID)'."""
    decision = validate_first_security_official(
        cpc_site(), Evidence(apm_entity_id=SITE_ID, tin=TIN_B, npi=NPI_2)
    )
    assert decision.allowed


def test_acc_so_1_registry_needs_its_own_tin() -> None:
    assert failing_items(_validate("registry", tin=TIN_A)) == {"TIN"}


def test_acc_deny_1_apm_entity_without_model_fails_closed() -> None:
    record = OrganizationRecord(qr.OrgType.APM_ENTITY, apm_entity_id=ACO_ID, tins=[TIN_A, TIN_B])
    decision = validate_first_security_official(
        record, Evidence(apm_entity_id=ACO_ID, tins=(TIN_A, TIN_B))
    )
    assert not decision.allowed
    assert decision.rule_ids[0] == "ACC-DENY-1"
    assert required_evidence(record) == ()


def test_acc_so_1_record_must_be_a_record() -> None:
    with pytest.raises(qr.InvalidInput) as caught:
        validate_first_security_official("practice", Evidence())  # type: ignore[arg-type]
    assert caught.value.field == "record"


def test_acc_so_1_record_without_facts_validates_nobody() -> None:
    bare = OrganizationRecord(qr.OrgType.PRACTICE)
    decision = validate_first_security_official(
        bare, Evidence(tin=TIN_A, npi=NPI_1, ptan=PTAN_1)
    )
    assert failing_items(decision) == {"TIN", "NPI", "PTAN"}


def test_acc_so_1_never_says_which_real_value_would_match() -> None:
    decision = _validate("practice", npi=NPI_3, ptan="ZZ9")
    text = decision.explain()
    for real in (NPI_1, NPI_2, PTAN_1, PTAN_2):
        assert real not in text
    decision = _validate("registry", vendor_id="7654321")
    assert VENDOR_ID not in decision.explain()


def test_acc_so_1_answers_are_shared_values() -> None:
    """Decided once per distinct combination of facts, then shared (design)."""
    assert _validate("practice") is _validate("practice", tin=TIN_A)
    assert _validate("practice", npi=NPI_3) is _validate("practice", npi=NPI_3)


# -- properties -------------------------------------------------------------------------------

_IDENTIFIER_TEXT = st.sampled_from(
    [TIN_A, TIN_B, TIN_C, "00-0765630", NPI_1, NPI_2, NPI_3, NPI_BAD_CHECK, PTAN_1, PTAN_2,
     ACO_ID, SITE_ID, VENDOR_ID, GUIDE_VENDOR_ID, "", " ", "0", "A", "T1AR0058 ", "12-345"]
)
_JUNK_TEXT = st.text(max_size=24)
_DIGITS = st.text(alphabet="0123456789- ", max_size=14)
_OBJECTS = st.sampled_from(
    [None, qr.TIN(TIN_A), qr.TIN(TIN_C), qr.NPI(NPI_1), qr.NPI(NPI_BAD_CHECK, check_digit=False),
     qr.PTAN(PTAN_1), qr.ApmEntityId(ACO_ID), qr.PracticeSiteId(SITE_ID), qr.VendorId(VENDOR_ID),
     765630, 1234567893]
)
_ITEM = st.one_of(_IDENTIFIER_TEXT, _JUNK_TEXT, _DIGITS, _OBJECTS)
_EVIDENCE = st.builds(
    Evidence,
    tin=_ITEM,
    npi=_ITEM,
    ptan=_ITEM,
    tins=st.lists(_ITEM, max_size=4),
    apm_entity_id=_ITEM,
    practice_site_id=_ITEM,
    vendor_id=_ITEM,
)
_RECORDS = st.sampled_from(
    [practice(), aco(), aco(qr.ApmModel.NEXT_GENERATION_ACO), single_tin_aco(), cpc_site(),
     registry(), virtual_group(), OrganizationRecord(qr.OrgType.APM_ENTITY)]
)


@given(record=_RECORDS, evidence=_EVIDENCE)
def test_acc_so_1_property_deterministic_never_raises_never_shows_a_tin(
    record: OrganizationRecord, evidence: Evidence
) -> None:
    first = validate_first_security_official(record, evidence)
    again = validate_first_security_official(record, Evidence(**{
        "tin": evidence.tin, "npi": evidence.npi, "ptan": evidence.ptan, "tins": evidence.tins,
        "apm_entity_id": evidence.apm_entity_id, "practice_site_id": evidence.practice_site_id,
        "vendor_id": evidence.vendor_id,
    }))
    assert first == again
    assert first.reasons
    text = first.explain() + repr(evidence) + repr(record)
    assert_no_tin_shown(text)
    required = set(required_evidence(record))
    if required and not first.allowed:
        assert failing_items(first)
        assert failing_items(first) <= required


def _oracle_practice(evidence: Evidence) -> bool:
    """An independent reading of the Practice row of ACC-SO-1."""
    tins = {str(t.value if isinstance(t, qr.TIN) else t).replace("-", "").strip()
            for t in evidence.offered_tins}
    npi = evidence.npi.value if isinstance(evidence.npi, qr.NPI) else None
    ptan = evidence.ptan.value if isinstance(evidence.ptan, qr.PTAN) else None
    return tins == {TIN_A} and (npi, ptan) in {(NPI_1, PTAN_1), (NPI_2, PTAN_2)}


@given(evidence=st.builds(
    Evidence,
    tin=st.sampled_from([None, TIN_A, "00-0765630", TIN_B, "0007656301", ""]),
    npi=st.sampled_from([None, NPI_1, NPI_2, NPI_3, NPI_BAD_CHECK, "123"]),
    ptan=st.sampled_from([None, PTAN_1, PTAN_2, "ab1234", "ZZ", "#"]),
    tins=st.lists(st.sampled_from([TIN_A, TIN_B, "1"]), max_size=2),
))
def test_acc_so_1_property_practice_passes_exactly_when_the_guides_row_holds(
    evidence: Evidence,
) -> None:
    decision = validate_first_security_official(practice(), evidence)
    assert decision.allowed == _oracle_practice(evidence)


@given(tins=st.lists(st.sampled_from([TIN_A, TIN_B, TIN_C, TIN_E, "00-1234567", "9"]),
                     max_size=4))
def test_acc_so_1_property_virtual_group_needs_exactly_two_of_its_tins(tins: list[str]) -> None:
    decision = validate_first_security_official(virtual_group(), Evidence(tins=tins))
    distinct = {t.replace("-", "") for t in tins}
    expected = len(distinct) == 2 and distinct <= {TIN_A, TIN_B, TIN_E}
    assert decision.allowed == expected
    assert TIN_C not in decision.explain()


def test_acc_so_1_a_number_too_long_to_print_fails_validation_as_a_malformed_tin() -> None:
    """ACC-SO-1: evidence never fails on what was given; a number too long for any identifier
    (``str()`` refuses it) is kept, masked, and validation names the TIN as malformed."""
    huge: Any = 10**5_000
    record = practice()
    assert validate_first_security_official(
        record, Evidence(tin=TIN_A, npi=NPI_1, ptan=PTAN_1)).allowed
    evidence = Evidence(tin=huge)
    assert "0000" not in repr(evidence)
    decision = validate_first_security_official(record, evidence)
    assert not decision.allowed
    assert "TIN: not a valid TIN" in decision.explain()
