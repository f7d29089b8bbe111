"""The access values: validated on construction, TINs never shown, junk evidence kept as a
validation failure (ACC-SO-1), bad input raises InvalidInput naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from access_support import (
    ACO_ID,
    NPI_1,
    NPI_BAD_CHECK,
    PTAN_1,
    SITE_ID,
    TIN_A,
    TIN_B,
    assert_no_tin_shown,
    cpc_site,
    practice,
)
from hypothesis import given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.access import (
    AccessState,
    Channel,
    Evidence,
    Member,
    Notification,
    NotificationKind,
    OrganizationRecord,
    Request,
    RequestDenied,
    Role,
    RoleGranted,
)


def test_organization_record_accepts_text_and_identifiers_alike() -> None:
    from_text = OrganizationRecord(qr.OrgType.PRACTICE, tins=["00-0765630"],
                                   clinicians=[(NPI_1, PTAN_1)])
    from_ids = OrganizationRecord(qr.OrgType.PRACTICE, tins=frozenset({qr.TIN(TIN_A)}),
                                  clinicians={(qr.NPI(NPI_1), qr.PTAN(PTAN_1))})
    assert from_text == from_ids
    assert hash(from_text) == hash(from_ids)
    assert OrganizationRecord(qr.OrgType.PRACTICE, tins=TIN_A).tins == {qr.TIN(TIN_A)}


def test_acc_so_1_organization_record_positional_order_is_api_mds() -> None:
    """ACC-SO-1's record: API.md lists kind, apm_model, apm_entity_id, practice_site_id,
    vendor_id, tins, clinicians, tin_npis, single_tin_aco; they come first, in that order,
    then the extras name and virtual_group_id."""
    names = [field.name for field in attrs.fields(OrganizationRecord)]
    assert names == ["kind", "apm_model", "apm_entity_id", "practice_site_id", "vendor_id",
                     "tins", "clinicians", "tin_npis", "single_tin_aco", "name",
                     "virtual_group_id"]
    aco = OrganizationRecord(qr.OrgType.APM_ENTITY, qr.ApmModel.SHARED_SAVINGS_PROGRAM,
                             qr.ApmEntityId("A1234"))
    assert aco.apm_model is qr.ApmModel.SHARED_SAVINGS_PROGRAM
    assert aco.apm_entity_id == qr.ApmEntityId("A1234")
    assert aco.name is None
    everything = OrganizationRecord(
        qr.OrgType.PRACTICE, None, None, None, None, [TIN_A], [(NPI_1, PTAN_1)], (), True,
        "Better Business Health", None,
    )
    assert everything == OrganizationRecord(
        qr.OrgType.PRACTICE, tins=[TIN_A], clinicians=[(NPI_1, PTAN_1)], single_tin_aco=True,
        name="Better Business Health",
    )
    site = OrganizationRecord(qr.OrgType.APM_ENTITY, qr.ApmModel.CPC_PLUS, None, SITE_ID,
                              None, (), (), [(TIN_A, NPI_1)])
    assert site.practice_site_id == qr.PracticeSiteId(SITE_ID)
    assert site.tin_npis == {(qr.TIN(TIN_A), qr.NPI(NPI_1))}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "Practice"}, "organization.kind"),
        ({"kind": qr.OrgType.PRACTICE, "tins": [TIN_A, TIN_B]}, "organization.tins"),
        ({"kind": qr.OrgType.REGISTRY, "tins": [TIN_A, TIN_B]}, "organization.tins"),
        ({"kind": qr.OrgType.PRACTICE, "apm_model": qr.ApmModel.CPC_PLUS},
         "organization.apm_model"),
        ({"kind": qr.OrgType.APM_ENTITY, "apm_model": "CPC+"}, "organization.apm_model"),
        ({"kind": qr.OrgType.APM_ENTITY, "apm_model": qr.ApmModel.CPC_PLUS,
          "single_tin_aco": True}, "organization.single_tin_aco"),
        ({"kind": qr.OrgType.REGISTRY, "single_tin_aco": True}, "organization.single_tin_aco"),
        ({"kind": qr.OrgType.PRACTICE, "single_tin_aco": "yes"}, "organization.single_tin_aco"),
        ({"kind": qr.OrgType.PRACTICE, "name": "  "}, "organization.name"),
        ({"kind": qr.OrgType.PRACTICE, "clinicians": [(NPI_1,)]},
         "organization.clinicians[0]"),
        ({"kind": qr.OrgType.PRACTICE, "clinicians": [NPI_1]}, "organization.clinicians[0]"),
        ({"kind": qr.OrgType.PRACTICE, "tins": 42.0}, "organization.tins"),
        ({"kind": qr.OrgType.PRACTICE, "tins": [qr.NPI(NPI_1)]}, "organization.tins[0]"),
        ({"kind": qr.OrgType.PRACTICE, "tins": [None]}, "organization.tins[0]"),
        ({"kind": qr.OrgType.PRACTICE, "apm_entity_id": 1.5}, "organization.apm_entity_id"),
    ],
)
def test_organization_record_validates_on_construction(fields: dict[str, Any],
                                                       field: str) -> None:
    with pytest.raises(qr.InvalidInput) as caught:
        OrganizationRecord(**fields)
    assert caught.value.field == field


def test_organization_record_identifiers_are_strict() -> None:
    with pytest.raises(qr.InvalidIdentifier):
        OrganizationRecord(qr.OrgType.PRACTICE, tins=["0007656301"])
    with pytest.raises(qr.InvalidChecksum):
        OrganizationRecord(qr.OrgType.PRACTICE, clinicians=[(NPI_BAD_CHECK, PTAN_1)])
    lax = qr.NPI(NPI_BAD_CHECK, check_digit=False)  # a record may carry one read laxly
    assert OrganizationRecord(qr.OrgType.PRACTICE, clinicians=[(lax, PTAN_1)]).clinicians


def test_organization_record_repr_masks_tins() -> None:
    text = repr(practice()) + repr(cpc_site()) + str(practice())
    assert_no_tin_shown(text)
    assert "*****5630" in text


def test_evidence_keeps_malformed_text_for_validation_and_never_raises_on_text() -> None:
    evidence = Evidence(tin="12-3456789012", npi=NPI_BAD_CHECK, ptan="#", tins=["x", ""],
                        apm_entity_id="A 1", practice_site_id="?", vendor_id="1234567892")
    assert evidence.tin == "12-3456789012"
    assert evidence.npi == NPI_BAD_CHECK
    assert evidence.tins == ("x",)
    assert Evidence(tin=TIN_A).tin == qr.TIN(TIN_A)
    assert Evidence(npi=qr.NPI(NPI_BAD_CHECK, check_digit=False)).npi == NPI_BAD_CHECK
    assert Evidence(tin="   ").tin is None
    assert Evidence(tins=TIN_A).tins == (qr.TIN(TIN_A),)
    assert Evidence(apm_entity_id=qr.TIN(TIN_A)).apm_entity_id == qr.ApmEntityId(TIN_A)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"tin": ["000765630"]}, "evidence.tin"),
        ({"npi": 12.5}, "evidence.npi"),
        ({"ptan": True}, "evidence.ptan"),
        ({"tins": 3.0}, "evidence.tins"),
        ({"tins": [TIN_A, b"001234567"]}, "evidence.tins[1]"),
        ({"vendor_id": object()}, "evidence.vendor_id"),
    ],
)
def test_evidence_wrong_python_types_raise_naming_the_field(
    fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(qr.InvalidInput) as caught:
        Evidence(**fields)
    assert caught.value.field == field


def test_evidence_repr_masks_every_value() -> None:
    """A TIN typed in any box (even one whose identifier is not secret) is never shown."""
    evidence = Evidence(tin=TIN_A, npi=TIN_A, ptan=TIN_A, tins=(TIN_B, "00-1234567"),
                        apm_entity_id=TIN_A, practice_site_id=TIN_A, vendor_id=TIN_A)
    assert_no_tin_shown(repr(evidence) + str(evidence))


_TIN_SHAPED = st.from_regex(r"\A\d{9}\Z|\A\d{2}-\d{7}\Z")


@given(text=st.one_of(st.text(max_size=30), _TIN_SHAPED), tin_shaped=_TIN_SHAPED)
def test_evidence_property_any_text_in_any_field_builds_and_hides_tins(
    text: str, tin_shaped: str
) -> None:
    evidence = Evidence(tin=text, npi=text, ptan=text, tins=(text, text), apm_entity_id=text,
                        practice_site_id=text, vendor_id=text)
    assert evidence == Evidence(tin=text, npi=text, ptan=text, tins=(text,) * 2,
                                apm_entity_id=text, practice_site_id=text, vendor_id=text)
    shown = Evidence(tin=tin_shaped, npi=tin_shaped, ptan=tin_shaped, tins=(tin_shaped,),
                     apm_entity_id=tin_shaped, practice_site_id=tin_shaped,
                     vendor_id=tin_shaped)
    assert_no_tin_shown(repr(shown), tin_shaped)


def test_request_state_and_notification_values() -> None:
    at = qr.eastern(2019, 3, 1, 9)
    request = Request("bob", Role.STAFF_USER, at)
    assert str(request) == "bob requests the Staff User role"
    state = AccessState(practice(), (Member("zed", Role.STAFF_USER), Member("ann",
                                                                         Role.SECURITY_OFFICIAL)))
    assert [m.user for m in state.members] == ["ann", "zed"]
    assert state.has_security_official
    note = Notification("bob", Channel.EMAIL, NotificationKind.PENDING, Role.STAFF_USER)
    assert "pending" in note.message
    assert note.rule_id == "ACC-SO-2"
    assert ACO_ID not in str(note)


# -- values holding an instant compare by the instant -----------------------------------------

_EDT_0122 = dt.datetime(2036, 11, 2, 5, 22, tzinfo=dt.UTC)  # 01:22 EDT
_EST_0122 = dt.datetime(2036, 11, 2, 6, 22, tzinfo=dt.UTC)  # 01:22 EST, an hour later


def test_acc_so_2_requests_in_novembers_repeated_hour_are_different_requests() -> None:
    early = Request("bob", Role.STAFF_USER, _EDT_0122)
    late = Request("bob", Role.STAFF_USER, _EST_0122)
    assert early.at.hour == late.at.hour
    assert early != late
    assert len({early, late}) == 2
    assert early == Request("bob", Role.STAFF_USER, _EDT_0122)
    assert hash(early) == hash(Request("bob", Role.STAFF_USER, _EDT_0122))


def test_acc_so_2_answers_in_novembers_repeated_hour_are_different_events() -> None:
    request = Request("bob", Role.STAFF_USER, _EDT_0122)
    for kind in (RoleGranted, RequestDenied):
        early = kind(request, "ann", _EDT_0122)
        late = kind(request, "ann", _EST_0122)
        assert early != late
        assert len({early, late}) == 2


def test_acc_so_2_a_notification_names_its_rule() -> None:
    """A notification without a rule ID is bad input (from the robustness suite)."""
    with pytest.raises(qr.InvalidInput) as caught:
        Notification("ann", Channel.EMAIL, NotificationKind.APPROVED, Role.STAFF_USER,
                     None)  # type: ignore[arg-type]
    assert caught.value.field == "notification.rule_id"
