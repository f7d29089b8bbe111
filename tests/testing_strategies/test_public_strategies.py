"""qpp_rules.testing: the strategies other suites use generate valid values (issue 6), and
the invariants hold over what they generate (REG-REC-1, REG-REC-4, REG-ELIG-1,
ELE-FINAL-1, ACC-PERM-1)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules import testing as qrst
from qpp_rules.access import Actor, Permission, Role, permissions
from qpp_rules.election import Choice, LowVolumeFacts, OptInStatus, Participant, elect
from qpp_rules.policy.unknown import known
from qpp_rules.registration import Organization, Program, options


@given(st.from_type(qr.NPI))
def test_from_type_npi_gives_valid_npis(npi: qr.NPI) -> None:
    assert qr.NPI.is_valid(npi.value)
    assert npi.has_valid_check_digit


@given(st.from_type(qr.TIN), st.from_type(qr.VendorId), st.from_type(qr.PTAN))
def test_from_type_identifiers(tin: qr.TIN, vendor: qr.VendorId, ptan: qr.PTAN) -> None:
    assert qr.TIN.is_valid(tin.value)
    assert qr.VendorId.is_valid(vendor.value)
    assert qr.PTAN.is_valid(ptan.value)
    assert tin.value not in repr(tin)


@given(qrst.organizations(), qrst.policy_years())
def test_generated_organizations_get_explained_answers(org: Organization,
                                                       policy: qr.PolicyYear) -> None:
    """REG-ELIG-1: a 2-24 organization is never offered the Web Interface."""
    found = options(org, policy)
    for decision in (found.web_interface, found.cahps):
        assert decision.reasons
    if org.size is qr.SizeBand.SMALL:
        assert not found.web_interface


@given(st.from_type(Organization))
def test_from_type_organization(org: Organization) -> None:
    assert isinstance(org.kind, qr.OrgType)


@given(qrst.reforms())
def test_reforms_are_valid_policy_years(policy: qr.PolicyYear) -> None:
    assert known(policy, "registration.web_interface_min_clinicians", "REG-ELIG-1") >= 2
    assert policy.label.startswith("PY")


@given(qrst.low_volume_facts())
def test_low_volume_facts_near_the_threshold(facts: LowVolumeFacts) -> None:
    from qpp_rules.election import opt_in_status

    assert opt_in_status(facts, qr.policy_for(2019)) in set(OptInStatus)


@settings(max_examples=50)
@given(qrst.registration_states())
def test_registration_states_keep_their_invariants(state: Any) -> None:
    """REG-REC-4: at least one contact; REG-ELIG-1: 2-24 never holds the Web Interface."""
    assert state is not None
    assert len(state.contacts) >= 1
    if state.organization.size is qr.SizeBand.SMALL:
        assert Program.WEB_INTERFACE not in state.programs
    assert state.registration_id


@settings(max_examples=30)
@given(qrst.election_ledgers(), qrst.participants(), st.sampled_from(list(Choice)))
def test_a_confirmed_election_never_changes(ledger: Any, participant: Participant,
                                            choice: Choice) -> None:
    """ELE-FINAL-1: electing again for anyone already in the ledger is refused."""
    if ledger is None:
        return
    policy = qr.policy_for(2019)
    assert policy.election.window is not None
    at = policy.election.window.opens.add(days=1)
    for existing in ledger.elections:
        before = ledger.elections
        again = elect(ledger, existing, choice, at=at, policy=policy,
                      confirmation="CONFIRM", actor=Actor(qr.OrgType.PRACTICE,
                                                          Role.SECURITY_OFFICIAL),
                      status=OptInStatus.OPT_IN_ELIGIBLE)
        if choice is not Choice.NO_DECISION:
            assert not again.accepted
        assert ledger.elections == before


@given(qrst.policy_years(), st.sampled_from(list(qr.OrgType)))
def test_no_staff_user_ever_registers(policy: qr.PolicyYear, kind: qr.OrgType) -> None:
    """ACC-PERM-1 / REG-ELIG-9."""
    granted = permissions(kind, Role.STAFF_USER, policy)
    assert Permission.REGISTER_WEB_INTERFACE not in granted
    assert Permission.REGISTER_CAHPS not in granted


@given(qrst.aware_datetimes())
def test_aware_datetimes_are_aware(at: Any) -> None:
    assert at.tzinfo is not None
    known(qr.policy_for(2019), "registration.window", "REG-WIN-1").contains(at)
