"""REG-ELIG-4, REG-AUTO-1, REG-AUTO-3, with REG-REC-2 and REG-REC-4: automatic registrations
with no previous record (a PY2021 Shared Savings Program ACO, a group whose last WI record the
caller does not hold), edited and cancelled inside the window, and the contact they may begin
without."""

from __future__ import annotations

import pytest
from registration_helpers import (
    CAHPS,
    GUIDE_ID,
    JANE,
    JOHN,
    P2019,
    P2021,
    WI,
    act,
    bbh,
    inside,
    replayed,
    ssp_aco,
)

import qpp_rules as qr
from qpp_rules.policy.unknown import known
from qpp_rules.registration import (
    AddContact,
    AutomaticallyRegistered,
    Cancel,
    ChangeSize,
    Contact,
    ContactAdded,
    ContactDeleted,
    DeleteContact,
    EditContact,
    Register,
    Registration,
    SizeBand,
    UpdateOrganization,
    carry_over,
    derive_registration_id,
    evolve,
)


def test_reg_elig_4_carry_over_without_a_previous_record() -> None:
    """REG-ELIG-4 (PY2021: SSP ACOs are automatically registered for WI and CAHPS): with no
    previous record carry_over starts one from ``org``, with a derived ID and no contact."""
    aco = ssp_aco(apm_entity_id="A1234")
    record = carry_over(None, aco, P2021)
    assert record is not None
    assert record.programs == frozenset({WI, CAHPS})
    assert record.registration_id == derive_registration_id(aco, 2021)
    assert record.contacts == ()
    assert record.year == 2021
    assert record.organization == aco
    assert [type(e) for e in record.history] == [AutomaticallyRegistered]
    assert replayed(record.history) == record
    assert "CMS Web Interface: registered" in record.summary()
    with_jane = carry_over(None, aco, P2021, contacts=(JANE,), registration_id=219043)
    assert with_jane is not None
    assert with_jane.contacts == (JANE,)
    assert with_jane.registration_id == 219043
    assert carry_over(None, aco, P2019) is None  # no automatic registration in PY2019


@pytest.mark.parametrize("year", [2018, 2019, 2021])
def test_reg_auto_1_a_group_s_automatic_wi_without_a_previous_record(year: int) -> None:
    """REG-AUTO-1: a group that submitted through WI last year holds WI this year even when
    the caller has no previous record: carry_over starts one (WI only, REG-AUTO-2)."""
    group = bbh(SizeBand.LARGE, submitted_web_interface_prior_year=True)
    record = carry_over(None, group, qr.policy_for(year), contacts=(JANE,))
    assert record is not None
    assert record.programs == frozenset({WI})
    assert record.contacts == (JANE,)
    assert record.registration_id == derive_registration_id(group, year)


def test_reg_auto_3_an_automatic_record_is_edited_and_cancelled_inside_the_window() -> None:
    """REG-AUTO-3 / REG-REC-4: the contactless automatic record takes a first contact; from
    then on the last contact cannot be deleted; it can be resized and cancelled inside the
    window, and not after close."""
    record = carry_over(None, ssp_aco(apm_entity_id="A1234"), P2021)
    assert record is not None
    nobody = act(record, DeleteContact(JANE))
    assert nobody.refusal is not None
    assert nobody.refusal.rule_ids == ("REG-REC-4",)
    added = act(record, AddContact(JANE))
    assert added.accepted, added.explain()
    assert added.state is not None
    assert added.state.contacts == (JANE,)
    assert [n.contact for n in added.notifications] == [JANE]  # REG-REC-5
    last = act(added.state, DeleteContact(JANE))
    assert last.refusal is not None
    assert last.refusal.rule_ids == ("REG-REC-4",)
    with pytest.raises(qr.InvalidInput, match="contacts"):
        evolve(added.state, ContactDeleted(added.state.registration_id, JANE, inside(2021)))
    edited = act(added.state, EditContact(JANE, JOHN))
    assert edited.state is not None
    assert edited.state.contacts == (JOHN,)
    renamed = act(record, UpdateOrganization(name="Sample ACO, LLC"))
    assert renamed.accepted, renamed.explain()
    cancelled = act(record, Cancel(CAHPS, confirmed=True))
    assert cancelled.state is not None
    assert cancelled.state.programs == frozenset({WI})
    assert cancelled.notifications == ()  # nobody to email yet
    resized = act(record, ChangeSize(SizeBand.SMALL, confirmed=True))
    assert resized.state is not None
    assert resized.state.programs == frozenset({CAHPS})
    closes = known(P2021, "registration.window", "REG-WIN-1").closes
    late = act(record, Cancel(WI, confirmed=True), at=closes)
    assert late.refusal is not None
    assert late.refusal.rule_ids == ("REG-WIN-1", "REG-AUTO-3", "REG-WIN-2")
    for outcome in (added, edited, renamed, cancelled, resized):
        assert outcome.state is not None
        assert replayed(outcome.state.history) == outcome.state


def test_reg_rec_2_re_registering_a_contactless_record_needs_a_contact_first() -> None:
    """REG-REC-2: after cancelling, registering again needs a contact on the record."""
    record = carry_over(None, ssp_aco(apm_entity_id="A1234"), P2021)
    assert record is not None
    empty = act(record, Cancel(CAHPS, confirmed=True)).state
    assert empty is not None
    again = act(empty, Register(CAHPS))
    assert again.refusal is not None
    assert again.refusal.rule_ids == ("REG-REC-2",)
    with_contact = act(empty, AddContact(JANE)).state
    back = act(with_contact, Register(CAHPS))
    assert back.accepted, back.explain()
    assert back.state is not None
    assert back.state.registration_id == record.registration_id


def test_reg_rec_4_only_an_automatic_record_may_have_no_contact() -> None:
    """REG-REC-4: a record has at least one contact, except an automatic one that began
    without and has never had one."""
    with pytest.raises(qr.InvalidInput, match="contacts"):
        Registration(GUIDE_ID, bbh(), ())
    start = AutomaticallyRegistered(GUIDE_ID, 2021, bbh(), (), frozenset({WI}))
    assert Registration(GUIDE_ID, bbh(), (), frozenset({WI}), (start,), year=2021).contacts == ()
    added = ContactAdded(GUIDE_ID, JANE, inside(2021))
    with pytest.raises(qr.InvalidInput, match="contacts"):
        Registration(GUIDE_ID, bbh(), (), frozenset({WI}), (start, added), year=2021)
    with pytest.raises(qr.InvalidInput, match="contacts"):
        carry_over(None, ssp_aco(), P2021, contacts=(Contact("Jane", "Doe", "", ""),))
    with pytest.raises(qr.InvalidInput, match="contacts"):
        carry_over(None, ssp_aco(), P2021, contacts="Jane Doe")  # type: ignore[arg-type]
    last = Registration(GUIDE_ID, bbh(), (JANE,), frozenset({WI}), year=2019)
    with pytest.raises(qr.InvalidInput, match="registration_id"):
        carry_over(last, bbh(submitted_web_interface_prior_year=True), P2021,
                   registration_id="999999")
