"""ACC-FIND-1 (finding an organization) and ACC-TYPE-1 / ACC-TIN-ACO-1 (which type to
choose)."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from access_support import (
    TIN_A,
    TIN_B,
    TIN_D,
    VG_ID,
    aco,
    cpc_site,
    practice,
    registry,
    single_tin_aco,
    virtual_group,
)
from hypothesis import given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.access import (
    Connection,
    OrganizationRecord,
    Represents,
    find_organization,
    organization_type_for,
)

PRACTICE = qr.OrgType.PRACTICE
RIVERSIDE = OrganizationRecord(PRACTICE, name="Riverside Family Medicine", tins=[TIN_B])
DIRECTORY = (
    practice(),
    RIVERSIDE,
    registry(),
    virtual_group(),
    aco(),
    aco(qr.ApmModel.NEXT_GENERATION_ACO),
    single_tin_aco(),
    cpc_site(),
)


def _names(found: tuple[OrganizationRecord, ...]) -> list[str | None]:
    return [record.name for record in found]


# -- ACC-FIND-1 -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Better", "better business", "  BETTER   Business Health ",
                                   "business", "health"])
def test_acc_find_1_practice_by_legal_business_name_type_ahead(query: str) -> None:
    assert _names(find_organization(DIRECTORY, PRACTICE, query)) == ["Better Business Health"]


def test_acc_find_1_type_ahead_matches_the_start_of_a_word_only() -> None:
    assert find_organization(DIRECTORY, PRACTICE, "usiness") == ()
    assert _names(find_organization(DIRECTORY, PRACTICE, "r")) == ["Riverside Family Medicine"]


@pytest.mark.parametrize("query", [TIN_A, "00-0765630", " 000765630 ", qr.TIN(TIN_A)])
def test_acc_find_1_practice_by_complete_tin(query: Any) -> None:
    assert _names(find_organization(DIRECTORY, PRACTICE, query)) == ["Better Business Health"]


@pytest.mark.parametrize("query", ["0", "00076563", "00-076563", "0007656301", "765630"])
def test_acc_find_1_a_partial_tin_finds_nothing(query: str) -> None:
    """'No search results will populate until you enter the complete TIN (9 digits)'."""
    assert find_organization(DIRECTORY, PRACTICE, query) == ()


def test_acc_find_1_registry_by_name_or_complete_tin() -> None:
    """The guide's example: 'American College of Medical Standards Registry'."""
    kind = qr.OrgType.REGISTRY
    name = "American College of Medical Standards Registry"
    assert _names(find_organization(DIRECTORY, kind, "American College")) == [name]
    assert _names(find_organization(DIRECTORY, kind, "medical standards")) == [name]
    assert _names(find_organization(DIRECTORY, kind, TIN_D)) == [name]
    assert find_organization(DIRECTORY, kind, TIN_D[:8]) == ()
    assert find_organization(DIRECTORY, PRACTICE, TIN_D) == ()  # a registry is not a practice


def test_acc_find_1_virtual_group_by_complete_id_only() -> None:
    kind = qr.OrgType.VIRTUAL_GROUP
    assert _names(find_organization(DIRECTORY, kind, VG_ID)) == ["Lakes Virtual Group"]
    assert _names(find_organization(DIRECTORY, kind, VG_ID.lower())) == ["Lakes Virtual Group"]
    assert _names(find_organization(DIRECTORY, kind, qr.VirtualGroupId(VG_ID))) == [
        "Lakes Virtual Group"
    ]
    for partial in ("VG-2019", "Lakes", "Lakes Virtual Group", TIN_A, "VG-2019-004"):
        assert find_organization(DIRECTORY, kind, partial) == ()


def test_acc_find_1_apm_entity_by_model_then_name() -> None:
    kind = qr.OrgType.APM_ENTITY
    ssp = find_organization(DIRECTORY, kind, "coastal", model=qr.ApmModel.SHARED_SAVINGS_PROGRAM)
    assert [(r.name, r.apm_model) for r in ssp] == [
        ("Coastal Accountable Care", qr.ApmModel.SHARED_SAVINGS_PROGRAM)
    ]
    nga = find_organization(DIRECTORY, kind, "coastal", model=qr.ApmModel.NEXT_GENERATION_ACO)
    assert [r.apm_model for r in nga] == [qr.ApmModel.NEXT_GENERATION_ACO]
    assert _names(find_organization(DIRECTORY, kind, "Hillside", model=qr.ApmModel.CPC_PLUS)) == [
        "Hillside CPC+ Site"
    ]
    assert find_organization(DIRECTORY, kind, "Hillside",
                             model=qr.ApmModel.SHARED_SAVINGS_PROGRAM) == ()
    assert find_organization(DIRECTORY, kind, TIN_A,
                             model=qr.ApmModel.SHARED_SAVINGS_PROGRAM) == ()


def test_acc_find_1_apm_entity_needs_its_model_first() -> None:
    with pytest.raises(qr.InvalidInput) as caught:
        find_organization(DIRECTORY, qr.OrgType.APM_ENTITY, "coastal")
    assert caught.value.field == "model"
    with pytest.raises(qr.InvalidInput):
        find_organization(DIRECTORY, PRACTICE, "Better", model=qr.ApmModel.CPC_PLUS)


def test_acc_deny_1_unknown_kind_or_model_finds_nothing() -> None:
    assert find_organization(DIRECTORY, "Practice", "Better") == ()
    assert find_organization(DIRECTORY, qr.OrgType.APM_ENTITY, "coastal", model="SSP") == ()


def test_acc_tin_aco_1_single_tin_aco_is_found_as_practice_and_as_apm_entity() -> None:
    """The same TIN shows as a Practice and, by model and name, as an APM Entity."""
    directory = (practice(), single_tin_aco())
    assert _names(find_organization(directory, PRACTICE, TIN_A)) == ["Better Business Health"]
    assert _names(find_organization(directory, qr.OrgType.APM_ENTITY, "Better Business",
                                    model=qr.ApmModel.SHARED_SAVINGS_PROGRAM)) == [
        "Better Business Health ACO"
    ]


@pytest.mark.parametrize(
    ("directory", "query", "field"),
    [
        ("not a directory", "Better", "directory"),
        (42, "Better", "directory"),
        ([practice(), "Riverside"], "Better", "directory[1]"),
        (DIRECTORY, 765630, "query"),
        (DIRECTORY, None, "query"),
    ],
)
def test_acc_find_1_bad_input_raises_naming_the_field(
    directory: Any, query: Any, field: str
) -> None:
    with pytest.raises(qr.InvalidInput) as caught:
        find_organization(directory, PRACTICE, query)
    assert caught.value.field == field


def test_acc_find_1_empty_query_finds_nothing_and_directory_order_is_kept() -> None:
    assert find_organization(DIRECTORY, PRACTICE, "   ") == ()
    both = (RIVERSIDE, practice())
    assert _names(find_organization(both, PRACTICE, "b")) == ["Better Business Health"]
    twins = (OrganizationRecord(PRACTICE, name="Beta Clinic"),
             OrganizationRecord(PRACTICE, name="Better Care"))
    assert _names(find_organization(twins, PRACTICE, "Be")) == ["Beta Clinic", "Better Care"]
    assert _names(find_organization(twins[::-1], PRACTICE, "Be")) == ["Better Care", "Beta Clinic"]


@given(digits=st.text(alphabet="0123456789", min_size=0, max_size=8))
def test_acc_find_1_property_a_partial_tin_never_finds_anything(digits: str) -> None:
    directory = (practice(), RIVERSIDE, registry())
    for kind in (PRACTICE, qr.OrgType.REGISTRY):
        assert find_organization(directory, kind, digits) == ()


@given(query=st.text(max_size=20))
def test_acc_find_1_property_never_raises_on_text_and_finds_only_the_kind(query: str) -> None:
    for kind in (PRACTICE, qr.OrgType.REGISTRY, qr.OrgType.VIRTUAL_GROUP):
        assert all(r.kind is kind for r in find_organization(DIRECTORY, kind, query))
    for model in qr.ApmModel:
        found = find_organization(DIRECTORY, qr.OrgType.APM_ENTITY, query, model=model)
        assert all(r.apm_model is model for r in found)


# -- ACC-TYPE-1 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("represents", "expected"),
    [
        (Represents.SOLO_PRACTITIONER, (Connection(PRACTICE),)),
        (Represents.GROUP, (Connection(PRACTICE),)),
        (Represents.HOSPITAL, (Connection(PRACTICE),)),
        (Represents.SSP_ACO_PARTICIPANT_GROUP, (Connection(PRACTICE),)),
        (Represents.APM_SCORED_GROUP, (Connection(PRACTICE),)),
        (Represents.SHARED_SAVINGS_PROGRAM_ACO,
         (Connection(qr.OrgType.APM_ENTITY, qr.ApmModel.SHARED_SAVINGS_PROGRAM),)),
        (Represents.NEXT_GENERATION_ACO,
         (Connection(qr.OrgType.APM_ENTITY, qr.ApmModel.NEXT_GENERATION_ACO),)),
        (Represents.CPC_PLUS_PRACTICE_SITE,
         (Connection(qr.OrgType.APM_ENTITY, qr.ApmModel.CPC_PLUS),)),
        (Represents.SOLO_CPC_PLUS_PRACTITIONER,
         (Connection(qr.OrgType.APM_ENTITY, qr.ApmModel.CPC_PLUS),)),
        (Represents.QUALIFIED_REGISTRY, (Connection(qr.OrgType.REGISTRY),)),
        (Represents.QCDR, (Connection(qr.OrgType.REGISTRY),)),
        (Represents.VIRTUAL_GROUP, (Connection(qr.OrgType.VIRTUAL_GROUP),)),
        (Represents.VIRTUAL_GROUP_PARTICIPANT, ()),
        (Represents.SINGLE_TIN_ACO, (Connection(PRACTICE), Connection(qr.OrgType.APM_ENTITY))),
    ],
)
def test_acc_type_1_which_organization_type_to_choose(
    represents: Represents, expected: tuple[Connection, ...]
) -> None:
    advice = organization_type_for(represents)
    assert advice.connections == expected
    assert advice.reasons
    assert advice.reasons[0].rule_id in {"ACC-TYPE-1", "ACC-TIN-ACO-1"}


def test_acc_tin_aco_1_single_tin_aco_connects_twice() -> None:
    advice = organization_type_for(Represents.SINGLE_TIN_ACO)
    assert advice.kinds == (PRACTICE, qr.OrgType.APM_ENTITY)
    assert advice.reasons[0].rule_id == "ACC-TIN-ACO-1"
    assert "connects twice" in advice.explain()


def test_acc_type_1_a_health_it_vendor_connects_for_each_organization_it_represents() -> None:
    advice = organization_type_for(Represents.GROUP, vendor=True)
    assert advice.kinds == (PRACTICE,)
    assert any("health IT vendor" in reason.message for reason in advice.reasons)
    assert organization_type_for(Represents.GROUP, vendor=True) is advice


@pytest.mark.parametrize(("represents", "vendor"), [("group", False), (Represents.GROUP, "yes")])
def test_acc_type_1_bad_input_raises(represents: Any, vendor: Any) -> None:
    with pytest.raises(qr.InvalidInput):
        organization_type_for(represents, vendor=vendor)


def test_acc_type_1_connection_and_advice_refuse_junk_as_bad_input() -> None:
    """A connection names an organization type, and advice lists its connections: junk is
    refused as ``InvalidInput`` (a bare error escaped before; from the robustness suite)."""
    with pytest.raises(qr.InvalidInput):
        Connection(None)  # type: ignore[arg-type]
    advice = organization_type_for(Represents.SINGLE_TIN_ACO)
    with pytest.raises(qr.InvalidInput):
        attrs.evolve(advice, connections=None)  # type: ignore[arg-type]
