"""The registration value types: validated on construction, frozen, TIN masked, and junk
refused with a QppRulesError naming the field."""

from __future__ import annotations

import contextlib
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from registration_helpers import BBH_ADDRESS, GUIDE_ID, JANE, JOHN, bbh, inside, so

import qpp_rules as qr
from qpp_rules.registration import (
    Address,
    Cancel,
    ChangeSize,
    Contact,
    EditContact,
    Organization,
    Program,
    Register,
    Registration,
    SizeBand,
    UpdateOrganization,
    decide,
)


def _any(value: object) -> Any:
    """Junk, typed so that the type checker lets it through to the runtime checks."""
    return value


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Address("1 Main St", "Towson", _any(21), "21204"), "address.state"),
        (lambda: Address("1 Main St", "Towson", "MD", _any(True)), "address.zip"),
        (lambda: Address("1 Main St", "Towson", "MD", _any(-21204)), "address.zip"),
        (lambda: Address("1 Main St", "Towson", "MD", _any(21204.0)), "address.zip"),
        (lambda: Address(_any(1), "Towson", "MD", "21204"), "address.line1"),
        (lambda: Contact("Jane", "Doe", "jdoe.betterhealth.com", "1112223344"), "contact.email"),
        (lambda: Contact("Jane", "Doe", "jdoe@@betterhealth.com", "1112223344"),
         "contact.email"),
        (lambda: Contact("Jane", "Doe", "@betterhealth.com", "1112223344"), "contact.email"),
        (lambda: Contact("Jane", "Doe", "jdoe@ ", "1112223344"), "contact.email"),
        (lambda: Contact("Jane", "Doe", "jdoe@betterhealth.com", "call the front desk"),
         "contact.phone"),
        (lambda: Contact("Jane", "Doe", "jdoe@betterhealth.com", _any(1112223344)),
         "contact.phone"),
        (lambda: Contact("Jane", "Doe", "jdoe@betterhealth.com", "1112223344", _any(12)),
         "contact.extension"),
        (lambda: Contact(_any(None), "Doe", "", ""), "contact.first_name"),
        (lambda: Organization(_any("Practice"), SizeBand.SMALL), "organization.kind"),
        (lambda: Organization(qr.OrgType.PRACTICE, _any("2-24")), "organization.size"),
        (lambda: Organization(qr.OrgType.PRACTICE, SizeBand.SMALL, tin="12-345"),
         "organization.tin"),
        (lambda: Organization(qr.OrgType.PRACTICE, SizeBand.SMALL, virtual_group_id="VG1"),
         "organization.virtual_group_id"),
        (lambda: Organization(qr.OrgType.PRACTICE, SizeBand.SMALL, apm_entity_id="A1"),
         "organization.apm_entity_id"),
        (lambda: Organization(qr.OrgType.REGISTRY, SizeBand.SMALL,
                              apm_model=qr.ApmModel.CPC_PLUS), "organization.apm_model"),
        (lambda: Organization(qr.OrgType.VIRTUAL_GROUP, SizeBand.SMALL,
                              ssp_aco_participant=True), "organization.ssp_aco_participant"),
        (lambda: Organization(qr.OrgType.PRACTICE, SizeBand.SMALL,
                              split_tin_mips_clinicians=-1), "organization.split_tin"),
        (lambda: Organization(qr.OrgType.PRACTICE, SizeBand.SMALL,
                              split_tin_mips_clinicians=True), "organization.split_tin"),
        (lambda: Organization(qr.OrgType.PRACTICE, SizeBand.SMALL, ssp_aco_participant=True,
                              split_tin_mips_clinicians=30), "organization.split_tin"),
        (lambda: Organization(qr.OrgType.PRACTICE, SizeBand.SMALL,
                              submitted_web_interface_prior_year=_any("yes")),
         "organization.submitted_web_interface_prior_year"),
        (lambda: Register(_any("CMS Web Interface")), "register.program"),
        (lambda: Register(Program.CAHPS, contacts=(JANE, JANE)), "register.contacts"),
        (lambda: Register(Program.CAHPS, contacts="Jane Doe"), "register.contacts"),
        (lambda: Register(Program.CAHPS, contacts=[JANE, "John"]), "register.contacts[1]"),
        (lambda: Register(Program.CAHPS, registration_id="21 90 43"),
         "register.registration_id"),
        (lambda: Cancel(Program.WEB_INTERFACE, confirmed=_any("yes")), "cancel.confirmed"),
        (lambda: ChangeSize(_any(25), confirmed=True), "change_size.size"),
        (lambda: UpdateOrganization(), "name"),
        (lambda: UpdateOrganization(address=_any("123 Better Health Way")),
         "update_organization.address"),
        (lambda: EditContact(JANE, _any("John")), "edit_contact.new"),
        (lambda: Registration(GUIDE_ID, bbh(), (), year=2021), "contacts"),
        (lambda: Registration(GUIDE_ID, bbh(), (JANE,), {"WI"}, year=2021),
         "registration.programs"),
        (lambda: Registration(GUIDE_ID, bbh(), (JANE,), year=_any("2021")),
         "registration.year"),
        (lambda: Registration(GUIDE_ID, bbh(), (JANE,), history=("x",), year=2021),
         "registration.history[0]"),
    ],
)
def test_junk_is_refused_naming_the_field(build: object, field: str) -> None:
    """Bad input raises InvalidInput (a QppRulesError) whose field names what was wrong."""
    with pytest.raises(qr.InvalidInput) as caught:
        build()  # type: ignore[operator]
    assert caught.value.field.startswith(field)
    assert isinstance(caught.value, qr.QppRulesError)


def test_values_are_normalised_and_frozen() -> None:
    """Text is stripped, a state code upper-cased, empty optional text is None."""
    address = Address(" 123 Better Health Way ", "Baltimore", "md", "21239-1234", "  ")
    assert address.line1 == "123 Better Health Way"
    assert address.state == "MD"
    assert address.line2 is None
    contact = Contact(" Jane ", "Doe", "jdoe@betterhealth.com", "+1 (111) 222-3344", "")
    assert contact.first_name == "Jane"
    assert contact.extension is None
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        contact.email = "x@y.z"  # type: ignore[misc]
    assert UpdateOrganization(name="  ", address=BBH_ADDRESS).name is None
    # REG-REC-1: the caller's ID is kept as given (this line pinned the old conversion of a
    # number to text; a number now stays a number, text stays text).
    assert Register(Program.CAHPS, registration_id=219043).registration_id == 219043
    assert Register(Program.CAHPS, registration_id=" 219043 ").registration_id == GUIDE_ID


def test_a_tin_is_masked_in_every_repr_and_message() -> None:
    """Privacy: a TIN appears masked in reprs, summaries and messages."""
    org = bbh()
    record = decide(None, Register(Program.WEB_INTERFACE, org, (JANE, JOHN)), at=inside(2021),
                    policy=qr.policy_for(2021), actor=so()).state
    assert record is not None
    texts = [repr(org), str(org), org.describe(), repr(record), record.summary(),
             repr(record.history)]
    for text in texts:
        assert "000765630" not in text
        assert "00-0765630" not in text
    assert "*****5630" in repr(org)
    with pytest.raises(qr.InvalidInput) as caught:
        Organization(qr.OrgType.PRACTICE, SizeBand.SMALL, tin="12-3456789012")
    assert "3456789012" not in str(caught.value)


def test_completeness_is_reported_field_by_field() -> None:
    """REG-REC-2: what a submission still needs."""
    assert Organization(qr.OrgType.PRACTICE, SizeBand.SMALL).missing == (
        "name", "address.line1", "address.city", "address.state", "address.zip",
    )
    assert bbh().is_complete
    assert not Contact("", "", "", "").is_complete
    assert JANE.is_complete


@given(st.one_of(st.none(), st.integers(), st.text(max_size=12), st.floats(), st.binary()))
def test_register_never_lets_a_bare_error_escape(junk: object) -> None:
    """Robustness: any junk in any field raises a QppRulesError, never a bare error."""
    for build in (
        lambda: Register(junk),  # type: ignore[arg-type]
        lambda: Register(Program.CAHPS, junk),  # type: ignore[arg-type]
        lambda: Register(Program.CAHPS, None, junk),
        lambda: Address(junk, "", "", ""),  # type: ignore[arg-type]
        lambda: Organization(qr.OrgType.PRACTICE, SizeBand.SMALL, tin=junk),
    ):
        with contextlib.suppress(qr.QppRulesError):
            build()
    with contextlib.suppress(qr.QppRulesError):
        decide(None, Register(Program.CAHPS), at=junk, policy=qr.policy_for(2019), actor=so())
