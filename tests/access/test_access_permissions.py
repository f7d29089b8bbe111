"""ACC-PERM-1 (permissions by organization type, role and year; registration rights follow
REG-ELIG-3, erratum E8) and ACC-DENY-1 (fail closed)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.access import Actor, Permission, Role, authorize, may, permissions

SO = Role.SECURITY_OFFICIAL
STAFF = Role.STAFF_USER
REGISTER = {Permission.REGISTER_WEB_INTERFACE, Permission.REGISTER_CAHPS}
# The years whose access table is known (the others refuse: test_policy_years_external)
YEARS = tuple(y for y in qr.available_years()
              if "access.permissions" not in qr.policy_for(y).unknown_values())

STAFF_TABLE = {
    qr.OrgType.PRACTICE: {
        Permission.VIEW_ELIGIBILITY, Permission.VIEW_CLAIMS_MEASURE_DATA,
        Permission.PHYSICIAN_COMPARE_PREVIEW, Permission.SUBMIT_DATA, Permission.VIEW_FEEDBACK,
        Permission.REQUEST_TARGETED_REVIEW,
    },
    qr.OrgType.APM_ENTITY: {Permission.SUBMIT_DATA, Permission.VIEW_FEEDBACK},
    qr.OrgType.REGISTRY: {Permission.SUBMIT_DATA, Permission.VIEW_FEEDBACK},
    qr.OrgType.VIRTUAL_GROUP: {
        Permission.VIEW_MEMBERS, Permission.SUBMIT_DATA, Permission.VIEW_FEEDBACK,
    },
}
SO_EXTRA = {Permission.APPROVE_ACCESS_REQUESTS, Permission.DOWNLOAD_API_TOKEN}

# Who holds the registration rights, year by year (REG-GUIDE-2018/2019/2021; erratum E8).
REGISTERS = {
    2018: {qr.OrgType.PRACTICE},
    2019: {qr.OrgType.PRACTICE, qr.OrgType.VIRTUAL_GROUP},
    2021: {qr.OrgType.PRACTICE, qr.OrgType.VIRTUAL_GROUP, qr.OrgType.APM_ENTITY},
}


@pytest.mark.parametrize("year", sorted(REGISTERS))
@pytest.mark.parametrize("kind", list(qr.OrgType))
def test_acc_perm_1_the_guides_table_by_year(year: int, kind: qr.OrgType) -> None:
    policy = qr.policy_for(year)
    assert permissions(kind, STAFF, policy) == STAFF_TABLE[kind]
    registers = REGISTER if kind in REGISTERS[year] else set()
    assert permissions(kind, SO, policy) == STAFF_TABLE[kind] | SO_EXTRA | registers


def test_acc_perm_1_erratum_e8_virtual_group_registers_from_2019_apm_entity_in_2021() -> None:
    vg, apm = qr.OrgType.VIRTUAL_GROUP, qr.OrgType.APM_ENTITY
    assert not may(vg, SO, Permission.REGISTER_CAHPS, qr.policy_for(2018))
    assert may(vg, SO, Permission.REGISTER_CAHPS, qr.policy_for(2019))
    assert not may(apm, SO, Permission.REGISTER_WEB_INTERFACE, qr.policy_for(2019))
    assert may(apm, SO, Permission.REGISTER_WEB_INTERFACE, qr.policy_for(2021))
    assert qr.policy_for(2019).errata["access.permissions"].id == "E8"


def test_acc_perm_1_registration_rights_follow_a_reformed_registration_table() -> None:
    policy = qr.policy_for(2018)
    reformed = qr.reform(
        policy,
        {"registration.may_register": {
            "CMS Web Interface": ["Practice", "Virtual Group"],
            "CAHPS for MIPS Survey": ["Practice"],
        }},
        label="VG may register for WI",
    )
    vg = qr.OrgType.VIRTUAL_GROUP
    assert may(vg, SO, Permission.REGISTER_WEB_INTERFACE, reformed)
    assert not may(vg, SO, Permission.REGISTER_CAHPS, reformed)
    assert not may(vg, STAFF, Permission.REGISTER_WEB_INTERFACE, reformed)


@pytest.mark.parametrize("year", YEARS)
def test_acc_perm_1_apm_feedback_is_for_ssp_and_next_generation_acos_not_cpc_plus(
    year: int,
) -> None:
    policy = qr.policy_for(year)
    apm = qr.OrgType.APM_ENTITY
    for role in Role:
        assert may(apm, role, Permission.VIEW_FEEDBACK, policy,
                   model=qr.ApmModel.SHARED_SAVINGS_PROGRAM)
        assert may(apm, role, Permission.VIEW_FEEDBACK, policy,
                   model=qr.ApmModel.NEXT_GENERATION_ACO)
        assert not may(apm, role, Permission.VIEW_FEEDBACK, policy, model=qr.ApmModel.CPC_PLUS)
        assert may(apm, role, Permission.SUBMIT_DATA, policy, model=qr.ApmModel.CPC_PLUS)
    # the model is not read for other organization types
    assert permissions(qr.OrgType.PRACTICE, STAFF, policy, model=qr.ApmModel.CPC_PLUS) == (
        permissions(qr.OrgType.PRACTICE, STAFF, policy)
    )


@pytest.mark.parametrize(
    ("kind", "role", "model"),
    [
        ("Practice", SO, None),
        (qr.OrgType.PRACTICE, "Security Official", None),
        (None, None, None),
        (qr.OrgType.APM_ENTITY, SO, "CPC+"),
        (qr.OrgType.APM_ENTITY, SO, ["not", "hashable"]),
    ],
)
def test_acc_deny_1_unknown_kind_role_or_model_grants_nothing(
    kind: Any, role: Any, model: Any
) -> None:
    policy = qr.policy_for(2019)
    assert permissions(kind, role, policy, model=model) == frozenset()
    for permission in Permission:
        assert not may(kind, role, permission, policy, model=model)


def test_acc_deny_1_unknown_permission_or_policy_grants_nothing() -> None:
    policy = qr.policy_for(2019)
    assert not may(qr.OrgType.PRACTICE, SO, "submit data", policy)
    assert permissions(qr.OrgType.PRACTICE, SO, "2019") == frozenset()  # type: ignore[arg-type]
    actor = Actor(qr.OrgType.PRACTICE, SO)
    assert authorize(actor, "submit data", policy).rule_ids == ("ACC-DENY-1",)
    assert authorize("SO", Permission.SUBMIT_DATA, policy).rule_ids == ("ACC-DENY-1",)
    assert authorize(actor, Permission.SUBMIT_DATA, None).rule_ids == (  # type: ignore[arg-type]
        "ACC-DENY-1",
    )
    apm = Actor(qr.OrgType.APM_ENTITY, SO)
    assert not authorize(apm, Permission.SUBMIT_DATA, policy, model="CPC+").allowed


def test_acc_perm_1_authorize_explains_and_cites_the_years_table() -> None:
    policy = qr.policy_for(2019)
    yes = authorize(Actor(qr.OrgType.PRACTICE, SO), Permission.REGISTER_CAHPS, policy)
    assert yes.allowed
    assert yes.rule_ids == ("ACC-PERM-1",)
    assert str(yes.reasons[0].citation) == str(policy.cite("registration.may_register"))
    no = authorize(Actor(qr.OrgType.PRACTICE, STAFF), Permission.APPROVE_ACCESS_REQUESTS, policy)
    assert not no.allowed
    assert "Staff User of a Practice may not approve" in no.reasons[0].message
    cpc = authorize(Actor(qr.OrgType.APM_ENTITY, STAFF), Permission.VIEW_FEEDBACK, policy,
                    model=qr.ApmModel.CPC_PLUS)
    assert not cpc.allowed
    assert str(cpc.reasons[0].citation) == str(policy.cite("access.apm_feedback_models"))
    assert authorize(Actor(qr.OrgType.PRACTICE, SO), Permission.REGISTER_CAHPS, policy) is yes


def test_acc_perm_1_actor_validates_on_construction() -> None:
    with pytest.raises(qr.InvalidInput):
        Actor("Practice", SO)  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput):
        Actor(qr.OrgType.PRACTICE, "Staff User")  # type: ignore[arg-type]


@given(
    year=st.sampled_from(YEARS),
    kind=st.sampled_from(list(qr.OrgType)),
    model=st.sampled_from([None, *qr.ApmModel]),
)
def test_acc_perm_1_property_a_staff_user_never_holds_a_registration_permission(
    year: int, kind: qr.OrgType, model: qr.ApmModel | None
) -> None:
    policy = qr.policy_for(year)
    granted = permissions(kind, STAFF, policy, model=model)
    assert not {p for p in granted if p.is_registration_right}
    for permission in REGISTER:
        assert not authorize(Actor(kind, STAFF), permission, policy, model=model).allowed
    assert granted <= permissions(kind, SO, policy, model=model)
    assert Permission.APPROVE_ACCESS_REQUESTS not in granted


@given(
    may_register=st.fixed_dictionaries({
        "CMS Web Interface": st.lists(
            st.sampled_from(["Practice", "Virtual Group", "APM Entity"]), unique=True),
        "CAHPS for MIPS Survey": st.lists(
            st.sampled_from(["Practice", "Virtual Group", "APM Entity"]), unique=True),
    }),
    kind=st.sampled_from(list(qr.OrgType)),
)
def test_acc_perm_1_property_staff_never_registers_under_any_registration_table(
    may_register: dict[str, list[str]], kind: qr.OrgType
) -> None:
    reformed = qr.reform(qr.policy_for(2019), {"registration.may_register": may_register},
                         label="any registration table")
    assert not permissions(kind, STAFF, reformed) & REGISTER
    expected = {
        perm for program, perm in (("CMS Web Interface", Permission.REGISTER_WEB_INTERFACE),
                                   ("CAHPS for MIPS Survey", Permission.REGISTER_CAHPS))
        if kind.value in may_register[program]
    }
    assert permissions(kind, SO, reformed) & REGISTER == expected
