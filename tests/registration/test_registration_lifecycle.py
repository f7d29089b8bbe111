"""The registration lifecycle: the guides' own examples (REG-GUIDE-2018/2019/2021) and the
edges of each rule (windows to the instant, the last contact, Staff Users, confirmations)."""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import pytest
from registration_helpers import (
    BBH_ADDRESS,
    CAHPS,
    GUIDE_ID,
    JANE,
    JOHN,
    WI,
    YEARS,
    bbh,
    inside,
    replayed,
    so,
    staff,
)

import qpp_rules as qr
from qpp_rules.access import Actor, Role
from qpp_rules.policy.unknown import known
from qpp_rules.registration import (
    AddContact,
    Address,
    Cancel,
    Cancelled,
    ChangeSize,
    Command,
    Contact,
    ContactAdded,
    ContactDeleted,
    DeleteContact,
    EditContact,
    Organization,
    OrganizationUpdated,
    Program,
    Register,
    Registered,
    Registration,
    RegistrationEventKind,
    RegistrationOutcome,
    SizeBand,
    SizeChanged,
    UpdateOrganization,
    carry_over,
    decide,
    derive_registration_id,
    evolve,
    replay,
)

P2021 = qr.policy_for(2021)
AT = inside(2021)


def run(
    state: Registration | None,
    command: Command,
    *,
    year: int = 2021,
    at: object = None,
    actor: Actor | None = None,
) -> RegistrationOutcome:
    return decide(
        state,
        command,
        at=inside(year) if at is None else at,
        policy=qr.policy_for(year),
        actor=so() if actor is None else actor,
    )


def registered(
    program: Program = WI,
    *,
    year: int = 2021,
    contacts: tuple[Contact, ...] = (JANE, JOHN),
    org: Organization | None = None,
) -> Registration:
    outcome = run(None, Register(program, org or bbh(), contacts, GUIDE_ID), year=year,
                  actor=so((org or bbh()).kind))
    assert outcome.accepted, outcome.explain()
    assert outcome.state is not None
    return outcome.state


def check_replay(outcome: RegistrationOutcome, before: Registration | None) -> None:
    """Replaying the events over the state before rebuilds the state after, and replaying
    the record's history from None rebuilds the record."""
    assert replay(outcome.events, before) == outcome.state
    if outcome.state is not None:
        assert replayed(outcome.state.history) == outcome.state


# -- the guides' example: Better Business Health (REG-GUIDE-2021 IV-VII) -----------------------
def test_guide_2021_register_wi_view_then_cancel() -> None:
    """REG-GUIDE-2021 IV, VI, VII: Better Business Health (TIN 00-0765630, 25-99) registers for
    WI with Jane Doe and John Smith, sees Registration ID 219043, then cancels (REG-REC-1,
    REG-REC-5, REG-REC-9)."""
    outcome = run(None, Register(WI, bbh(), (JANE, JOHN), GUIDE_ID))
    assert outcome.accepted
    assert outcome.refusal is None
    record = outcome.state
    assert record is not None
    assert record.registration_id == "219043"
    assert record.programs == frozenset({WI})
    assert record.contacts == (JANE, JOHN)
    assert [type(e) for e in outcome.events] == [Registered]
    assert [(n.contact, n.kind) for n in outcome.notifications] == [
        (JANE, RegistrationEventKind.SUBMITTED),
        (JOHN, RegistrationEventKind.SUBMITTED),
    ]
    check_replay(outcome, None)

    view = record.summary()  # section VI: the registration summary
    assert "Better Business Health (TIN *****5630, size 25-99)" in view
    assert "CMS Web Interface: registered (Registration ID: 219043)" in view
    assert "CAHPS for MIPS Survey: not registered" in view
    assert "Jane Doe / jdoe@betterhealth.com 111-222-3344" in view
    assert "000765630" not in view
    assert "0765630" not in view

    cancelled = run(record, Cancel(WI, confirmed=True))
    assert cancelled.accepted
    assert cancelled.state is not None
    assert cancelled.state.programs == frozenset()
    assert cancelled.state.registration_id == "219043"
    assert [n.to for n in cancelled.notifications] == [JANE.email, JOHN.email]
    assert {n.kind for n in cancelled.notifications} == {RegistrationEventKind.CANCELLED}
    assert all("219043" in n.subject for n in cancelled.notifications)
    assert "CMS Web Interface: not registered" in cancelled.state.summary()
    check_replay(cancelled, record)


def test_guide_2021_the_prepopulated_contact_must_be_completed() -> None:
    """REG-REC-2 (IV step 6): the first contact starts with the registrant's name only;
    submitting needs it complete, and complete organization information."""
    partial = Contact("Jane", "Doe", "", "")
    refused = run(None, Register(WI, bbh(), (partial,), GUIDE_ID))
    assert not refused.accepted
    assert refused.state is None
    assert refused.refusal is not None
    assert refused.refusal.rule_ids == ("REG-REC-2",)
    assert "email, phone" in refused.refusal.reasons[0].message
    no_address = run(None, Register(WI, bbh(address=None), (JANE,), GUIDE_ID))
    assert no_address.refusal is not None
    assert "address.line1" in no_address.refusal.explain()
    nobody = run(None, Register(WI, bbh(), (), GUIDE_ID))
    assert nobody.refusal is not None
    assert nobody.refusal.rule_ids == ("REG-REC-2",)
    no_org = run(None, Register(WI))
    assert no_org.refusal is not None
    assert no_org.refusal.rule_ids == ("REG-REC-2",)
    completed = attrs.evolve(partial, email="jdoe@betterhealth.com", phone="1112223344")
    assert run(None, Register(WI, bbh(), (completed,), GUIDE_ID)).accepted


def test_guide_2021_second_registration_carries_organization_and_contacts_over() -> None:
    """REG-REC-6 (IV step 9): registering CAHPS after WI carries the organization and the
    contacts over, with the same registration ID (REG-REC-1)."""
    record = registered(WI)
    second = run(record, Register(CAHPS))
    assert second.accepted
    assert second.state is not None
    assert second.state.programs == frozenset(Program)
    assert second.state.registration_id == GUIDE_ID
    assert second.state.contacts == record.contacts
    assert second.state.organization == record.organization
    again = run(second.state, Register(CAHPS))
    assert again.refusal is not None
    assert again.refusal.rule_ids == ("REG-REC-9",)
    check_replay(second, record)


def test_guide_size_change_to_2_24_without_and_with_confirmation() -> None:
    """REG-SIZE-1, REG-REC-7 (V): changing to 2-24 while registered for WI needs confirmation;
    confirmed, WI is cancelled and CAHPS stays."""
    record = run(registered(WI), Register(CAHPS)).state
    assert record is not None
    unconfirmed = run(record, ChangeSize(SizeBand.SMALL, confirmed=False))
    assert not unconfirmed.accepted
    assert unconfirmed.state is record
    assert unconfirmed.refusal is not None
    assert unconfirmed.refusal.rule_ids == ("REG-REC-7", "REG-SIZE-1")
    assert unconfirmed.events == ()
    assert unconfirmed.notifications == ()

    confirmed = run(record, ChangeSize(SizeBand.SMALL, confirmed=True))
    assert confirmed.accepted
    assert confirmed.state is not None
    assert confirmed.state.organization.size is SizeBand.SMALL
    assert confirmed.state.programs == frozenset({CAHPS})
    assert [type(e) for e in confirmed.events] == [SizeChanged, Cancelled]
    cancel = confirmed.events[1]
    assert isinstance(cancel, Cancelled)
    assert cancel.cause == "REG-SIZE-1"
    check_replay(confirmed, record)


def test_reg_size_1_other_size_changes_keep_both_registrations() -> None:
    """REG-SIZE-1 (inference): 25-99 to 100 or more keeps WI and CAHPS; confirmation is still
    needed (REG-REC-7); the same band changes nothing."""
    record = run(registered(WI), Register(CAHPS)).state
    assert record is not None
    larger = run(record, ChangeSize(SizeBand.LARGE, confirmed=True))
    assert larger.state is not None
    assert larger.state.programs == frozenset(Program)
    assert [type(e) for e in larger.events] == [SizeChanged]
    assert run(record, ChangeSize(SizeBand.LARGE, confirmed=False)).refusal is not None
    same = run(record, ChangeSize(SizeBand.MEDIUM, confirmed=True))
    assert same.refusal is not None
    assert same.refusal.rule_ids == ("REG-SIZE-1",)


def test_guide_update_address_and_contacts_2021() -> None:
    """REG-REC-3, REG-REC-4 (V): update the address; add, edit and delete contacts; each a
    'modified' email to every contact in PY2021 (REG-REC-5)."""
    record = registered(WI, contacts=(JANE,))
    added = run(record, AddContact(JOHN))
    assert added.state is not None
    assert added.state.contacts == (JANE, JOHN)
    assert [type(e) for e in added.events] == [ContactAdded]
    assert [n.contact for n in added.notifications] == [JANE, JOHN]
    assert {n.kind for n in added.notifications} == {RegistrationEventKind.MODIFIED}
    check_replay(added, record)

    moved = Address("9888 Nguyen Fields", "Port Madisonstad", "MP", "96950", "Suite 6592")
    updated = run(added.state, UpdateOrganization(address=moved))
    assert updated.state is not None
    assert updated.state.organization.address == moved
    assert updated.state.organization.tin == added.state.organization.tin
    assert [type(e) for e in updated.events] == [OrganizationUpdated]

    renamed = run(updated.state, UpdateOrganization(name="Better Business Health LLC"))
    assert renamed.state is not None
    assert renamed.state.organization.name == "Better Business Health LLC"

    johnny = attrs.evolve(JOHN, first_name="Johnny", extension="12")
    edited = run(renamed.state, EditContact(JOHN, johnny))
    assert edited.state is not None
    assert edited.state.contacts == (JANE, johnny)

    deleted = run(edited.state, DeleteContact(JANE))
    assert deleted.state is not None
    assert deleted.state.contacts == (johnny,)
    assert [n.contact for n in deleted.notifications] == [johnny]
    check_replay(deleted, edited.state)


def test_reg_rec_4_the_last_contact_is_edited_not_deleted() -> None:
    """REG-REC-4: the last contact cannot be deleted, but can be edited."""
    record = registered(WI, contacts=(JANE,))
    refused = run(record, DeleteContact(JANE))
    assert refused.refusal is not None
    assert refused.refusal.rule_ids == ("REG-REC-4",)
    assert refused.state is record
    replaced = Contact("Pat", "Lee", "plee@betterhealth.com", "(410) 555-0100")
    edited = run(record, EditContact(JANE, replaced))
    assert edited.state is not None
    assert edited.state.contacts == (replaced,)


def test_reg_rec_4_contacts_must_exist_be_complete_and_listed_once() -> None:
    """REG-REC-4 / REG-REC-2: editing or deleting a contact the record does not hold, adding
    one twice, or adding an incomplete one is refused."""
    record = registered(WI, contacts=(JANE,))
    assert run(record, DeleteContact(JOHN)).refusal is not None
    assert run(record, EditContact(JOHN, JANE)).refusal is not None
    twice = run(record, AddContact(JANE))
    assert twice.refusal is not None
    assert twice.refusal.rule_ids == ("REG-REC-4",)
    partial = run(record, AddContact(Contact("John", "Smith", "", "")))
    assert partial.refusal is not None
    assert partial.refusal.rule_ids == ("REG-REC-2",)
    same = run(record, EditContact(JANE, JANE))
    assert same.refusal is not None
    incomplete = run(record, EditContact(JANE, attrs.evolve(JANE, phone="")))
    assert incomplete.refusal is not None
    assert incomplete.refusal.rule_ids == ("REG-REC-2",)


@pytest.mark.parametrize(
    ("year", "kind", "field", "allowed"),
    [
        (2018, qr.OrgType.PRACTICE, "name", False),
        (2018, qr.OrgType.PRACTICE, "address", True),
        (2019, qr.OrgType.PRACTICE, "name", True),
        (2019, qr.OrgType.VIRTUAL_GROUP, "name", False),
        (2019, qr.OrgType.VIRTUAL_GROUP, "address", True),
        (2021, qr.OrgType.VIRTUAL_GROUP, "name", True),
        (2021, qr.OrgType.APM_ENTITY, "name", True),
    ],
)
def test_reg_rec_3_editable_fields_by_year_and_kind(
    year: int, kind: qr.OrgType, field: str, allowed: bool
) -> None:
    """REG-REC-3: PY2018 address only; PY2019 a group edits its name (E4), a virtual group
    not; PY2021 every kind edits both."""
    ids = {
        qr.OrgType.PRACTICE: {"tin": "000765630"},
        qr.OrgType.VIRTUAL_GROUP: {"virtual_group_id": "VG-2019-0042"},
        qr.OrgType.APM_ENTITY: {"apm_entity_id": "A1234",
                                "apm_model": qr.ApmModel.NEXT_GENERATION_ACO},
    }[kind]
    org = Organization(kind, SizeBand.MEDIUM, name="Sample Organization", address=BBH_ADDRESS,
                       **ids)  # type: ignore[arg-type]
    record = registered(CAHPS, year=year, org=org)
    change = (
        UpdateOrganization(name="Renamed Organization")
        if field == "name"
        else UpdateOrganization(address=attrs.evolve(BBH_ADDRESS, zip="21240"))
    )
    outcome = run(record, change, year=year, actor=so(kind))
    assert outcome.accepted is allowed, outcome.explain()
    if not allowed:
        assert outcome.refusal is not None
        assert outcome.refusal.rule_ids == ("REG-REC-3",)
        assert outcome.state is record


def test_reg_rec_3_updates_must_be_complete_and_change_something() -> None:
    """REG-REC-3 / REG-REC-2: an incomplete address is refused; so is a no-op update."""
    record = registered(WI)
    half = run(record, UpdateOrganization(address=Address("1 Main St", "", "MD", "21239")))
    assert half.refusal is not None
    assert half.refusal.rule_ids == ("REG-REC-2",)
    same = run(record, UpdateOrganization(name="Better Business Health", address=BBH_ADDRESS))
    assert same.refusal is not None
    assert same.refusal.rule_ids == ("REG-REC-3",)


@pytest.mark.parametrize(
    ("year", "modified_notified"), [(2018, False), (2019, True), (2021, True)]
)
def test_reg_rec_5_who_is_emailed_when_by_year(year: int, modified_notified: bool) -> None:
    """REG-REC-5: PY2018 emails on submit and cancel only; PY2019/2021 also on modify. One
    notification per contact per notified event."""
    record = registered(WI, year=year)
    modified = run(record, AddContact(Contact("Pat", "Lee", "plee@b.org", "4105550100")),
                   year=year)
    assert modified.accepted
    assert len(modified.notifications) == (3 if modified_notified else 0)
    size = run(modified.state, ChangeSize(SizeBand.SMALL, confirmed=True), year=year)
    kinds = [n.kind for n in size.notifications]
    assert kinds.count(RegistrationEventKind.CANCELLED) == 3
    assert kinds.count(RegistrationEventKind.MODIFIED) == (3 if modified_notified else 0)


def test_reg_rec_9_cancel_one_of_two_registrations() -> None:
    """REG-REC-9 (REG-GUIDE-2021 VII): cancelling is per program."""
    record = run(registered(WI), Register(CAHPS)).state
    assert record is not None
    outcome = run(record, Cancel(CAHPS, confirmed=True))
    assert outcome.state is not None
    assert outcome.state.programs == frozenset({WI})
    assert all(n.program is CAHPS for n in outcome.notifications)
    missing = run(outcome.state, Cancel(CAHPS, confirmed=True))
    assert missing.refusal is not None
    assert missing.refusal.rule_ids == ("REG-REC-9",)


def test_reg_rec_7_unconfirmed_cancel_changes_nothing() -> None:
    """REG-REC-7: a cancel without confirmation is refused and changes nothing."""
    record = registered(WI)
    outcome = run(record, Cancel(WI, confirmed=False))
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("REG-REC-7",)
    assert outcome.state is record


def test_reg_rec_8_re_register_after_cancelling_keeps_the_id() -> None:
    """REG-REC-8 / REG-REC-1: after cancelling everything the record and its ID remain; a
    re-registration inside the window keeps the ID."""
    record = registered(WI)
    empty = run(record, Cancel(WI, confirmed=True)).state
    assert empty is not None
    assert empty.programs == frozenset()
    back = run(empty, Register(WI))
    assert back.accepted
    assert back.state is not None
    assert back.state.registration_id == GUIDE_ID
    assert back.state.programs == frozenset({WI})
    other_id = run(empty, Register(WI, registration_id="999999"))
    assert other_id.refusal is not None
    assert other_id.refusal.rule_ids == ("REG-REC-1",)
    check_replay(back, empty)


def test_reg_rec_1_derived_id_is_deterministic_and_never_changes() -> None:
    """REG-REC-1: without an issued ID one is derived from the year and the identifier."""
    first = run(None, Register(WI, bbh(), (JANE,)))
    assert first.state is not None
    rid = first.state.registration_id
    assert rid == derive_registration_id(bbh(), 2021)
    assert rid == run(None, Register(CAHPS, bbh(), (JANE,))).state.registration_id  # type: ignore[union-attr]
    assert rid.startswith("21")
    assert "0765630" not in rid
    state = first.state
    for command in (Register(CAHPS), Cancel(WI, confirmed=True), AddContact(JOHN),
                    ChangeSize(SizeBand.SMALL, confirmed=True), Register(WI, bbh(), (JANE,))):
        outcome = run(state, command)
        if outcome.state is not None:
            state = outcome.state
        assert state.registration_id == rid
    # An organization without an identifier is registered too (this pinned the old refusal;
    # see test_reg_rec_1_an_organization_without_an_identifier_is_registered).
    anonymous = Organization(qr.OrgType.PRACTICE, SizeBand.MEDIUM, name="No TIN",
                             address=BBH_ADDRESS)
    assert run(None, Register(CAHPS, anonymous, (JANE,))).accepted
    assert run(None, Register(CAHPS, anonymous, (JANE,), 219043)).accepted


def test_guide_2019_virtual_group_registers_with_its_id() -> None:
    """REG-GUIDE-2019 IV: a virtual group registers, identified by its virtual group ID."""
    vg = Organization(qr.OrgType.VIRTUAL_GROUP, SizeBand.MEDIUM, name="Sample Virtual Group",
                      address=BBH_ADDRESS, virtual_group_id="VG-2019-0042")
    outcome = run(None, Register(WI, vg, (JANE,)), year=2019, actor=so(qr.OrgType.VIRTUAL_GROUP))
    assert outcome.accepted
    assert outcome.state is not None
    assert "Virtual Group ID VG-2019-0042" in outcome.state.summary()
    in_2018 = run(None, Register(WI, vg, (JANE,)), year=2018, actor=so(qr.OrgType.VIRTUAL_GROUP))
    assert in_2018.refusal is not None
    assert in_2018.refusal.rule_ids == ("REG-ELIG-9", "REG-ELIG-3")
    assert "CMS" in in_2018.refusal.explain()


def test_guide_2018_small_group_registers_for_cahps_only() -> None:
    """REG-ELIG-1 (REG-GUIDE-2018 IV step 1): 2-24 registers for CAHPS; WI is not offered."""
    small = bbh(SizeBand.SMALL)
    wi = run(None, Register(WI, small, (JANE,)), year=2018)
    assert wi.refusal is not None
    assert wi.refusal.rule_ids == ("REG-ELIG-1",)
    assert run(None, Register(CAHPS, small, (JANE,)), year=2018).accepted


def test_nothing_to_change_before_the_first_registration() -> None:
    """REG-REC-1: before any registration only Register is possible."""
    for command in (Cancel(WI, confirmed=True), ChangeSize(SizeBand.SMALL, confirmed=True),
                    UpdateOrganization(name="x"), AddContact(JANE), EditContact(JANE, JOHN),
                    DeleteContact(JANE)):
        outcome = run(None, command)
        assert outcome.refusal is not None
        assert outcome.refusal.rule_ids == ("REG-REC-1",)
        assert outcome.state is None


# -- REG-WIN-1 / REG-WIN-2: the window to the instant, in UTC --------------------------------
@pytest.mark.parametrize("year", YEARS)
def test_reg_win_1_first_and_last_instant_in_utc(year: int) -> None:
    """REG-WIN-1: open from the opening instant, closed from the closing instant (half-open),
    whatever the zone the instant is given in."""
    window = known(qr.policy_for(year), "registration.window", "REG-WIN-1")
    first = window.opens.in_timezone("UTC")
    last = window.closes.in_timezone("UTC").subtract(microseconds=1)
    command = Register(WI, bbh(), (JANE,), GUIDE_ID)
    assert run(None, command, year=year, at=first).accepted
    assert run(None, command, year=year, at=last).accepted
    as_stdlib = dt.datetime.fromtimestamp(first.timestamp(), tz=dt.UTC)
    assert run(None, command, year=year, at=as_stdlib).accepted
    for outside in (first.subtract(microseconds=1), window.closes.in_timezone("UTC")):
        refused = run(None, command, year=year, at=outside)
        assert refused.refusal is not None
        assert refused.refusal.rule_ids == ("REG-WIN-1",)
        assert refused.state is None


@pytest.mark.parametrize(
    ("year", "utc_open", "utc_close"),
    [
        (2018, (2018, 4, 1, 4, 0), (2018, 7, 1, 4, 0)),
        (2019, (2019, 4, 4, 14, 0), (2019, 7, 1, 21, 0)),
        (2021, (2021, 4, 1, 14, 0), (2021, 7, 1, 0, 0)),
    ],
)
def test_reg_win_1_windows_as_the_guides_state_them(
    year: int, utc_open: tuple[int, int, int, int, int], utc_close: tuple[int, int, int, int, int]
) -> None:
    """REG-WIN-1: 2018 from April 1 to the end of June 30 11:59 pm EDT; 2019 April 4 10 am
    to July 1 5 pm ET (E2); 2021 April 1 10 am to June 30 8 pm ET."""
    window = known(qr.policy_for(year), "registration.window", "REG-WIN-1")
    assert window.opens == pendulum.datetime(*utc_open, tz="UTC")
    assert window.closes == pendulum.datetime(*utc_close, tz="UTC")


@pytest.mark.parametrize("year", YEARS)
def test_reg_win_2_a_cancel_one_second_after_close_is_refused(year: int) -> None:
    """REG-WIN-2: after close a registration can no longer be cancelled; it may still report
    through the year's other submission types."""
    policy = qr.policy_for(year)
    record = registered(WI, year=year)
    late = known(policy, "registration.window", "REG-WIN-1").closes.add(seconds=1)
    outcome = run(record, Cancel(WI, confirmed=True), year=year, at=late)
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("REG-WIN-1", "REG-WIN-2")
    other = known(policy, "registration.other_submission_types", "REG-WIN-2")
    assert other in outcome.refusal.reasons[1].message
    assert outcome.state is record
    assert outcome.notifications == ()
    early = known(policy, "registration.window", "REG-WIN-1").opens.subtract(seconds=1)
    before = run(record, Cancel(WI, confirmed=True), year=year, at=early)
    assert before.refusal is not None
    assert before.refusal.rule_ids == ("REG-WIN-1",)


# -- REG-ELIG-9: only the organization's Security Official -----------------------------------
STAFF_COMMANDS: list[Command] = [
    Register(CAHPS),
    Cancel(WI, confirmed=True),
    ChangeSize(SizeBand.LARGE, confirmed=True),
    UpdateOrganization(name="Renamed"),
    AddContact(Contact("Pat", "Lee", "plee@b.org", "4105550100")),
    EditContact(JANE, Contact("Pat", "Lee", "plee@b.org", "4105550100")),
    DeleteContact(JOHN),
]


@pytest.mark.parametrize("command", STAFF_COMMANDS, ids=lambda c: type(c).__name__)
def test_reg_elig_9_a_staff_user_is_refused_every_command(command: Command) -> None:
    """REG-ELIG-9: a Staff User may not submit, modify or cancel; nothing changes."""
    record = registered(WI)
    outcome = run(record, command, actor=staff())
    assert not outcome.accepted
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("REG-ELIG-9",)
    assert "Staff User" in outcome.refusal.reasons[0].message
    assert outcome.state is record
    assert run(record, command).accepted  # the Security Official may


def test_reg_elig_9_staff_user_cannot_make_the_first_registration() -> None:
    """REG-ELIG-9: nor the first registration; outside the window both reasons are given."""
    outcome = run(None, Register(WI, bbh(), (JANE,)), actor=staff())
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("REG-ELIG-9",)
    closed = run(None, Register(WI, bbh(), (JANE,)), actor=staff(),
                 at=known(P2021, "registration.window", "REG-WIN-1").closes)
    assert closed.refusal is not None
    assert closed.refusal.rule_ids == ("REG-ELIG-9", "REG-WIN-1")


def test_reg_elig_9_the_actor_acts_for_the_organization_s_own_type() -> None:
    """REG-ELIG-9: a virtual group's Security Official cannot act on a practice's record;
    a registry's never holds a registration right."""
    record = registered(WI)
    other = run(record, Cancel(WI, confirmed=True), actor=so(qr.OrgType.VIRTUAL_GROUP))
    assert other.refusal is not None
    assert other.refusal.rule_ids == ("REG-ELIG-9",)
    registry = Organization(qr.OrgType.REGISTRY, SizeBand.LARGE, name="Registry",
                            address=BBH_ADDRESS, tin="000765630")
    refused = run(None, Register(CAHPS, registry, (JANE,)), actor=so(qr.OrgType.REGISTRY))
    assert refused.refusal is not None
    assert refused.refusal.rule_ids == ("REG-ELIG-9", "REG-ELIG-3")


def test_reg_elig_9_2021_apm_entity_security_officials_register() -> None:
    """REG-ELIG-9 with REG-ELIG-3: in PY2021 an APM Entity's Security Official registers."""
    entity = Organization(qr.OrgType.APM_ENTITY, SizeBand.LARGE, name="Sample NGACO",
                          address=BBH_ADDRESS, apm_entity_id="V123",
                          apm_model=qr.ApmModel.NEXT_GENERATION_ACO)
    assert run(None, Register(WI, entity, (JANE,)), actor=so(qr.OrgType.APM_ENTITY)).accepted
    in_2019 = run(None, Register(WI, entity, (JANE,)), year=2019,
                  actor=so(qr.OrgType.APM_ENTITY))
    assert in_2019.refusal is not None
    assert in_2019.refusal.rule_ids == ("REG-ELIG-9", "REG-ELIG-3")


# -- REG-AUTO-3 / REG-AUTO-4: carry-over ------------------------------------------------------
def test_reg_auto_4_carry_over_starts_from_last_year_s_record() -> None:
    """REG-AUTO-4: this year's record keeps the ID, size, address and contacts; WI only
    (REG-AUTO-2); REG-AUTO-3: it can then be edited or cancelled like any other."""
    last = run(registered(WI, year=2018), Register(CAHPS), year=2018).state
    assert last is not None
    this_year = bbh(SizeBand.LARGE, name="New Name", address=None,
                    submitted_web_interface_prior_year=True)
    record = carry_over(last, this_year, qr.policy_for(2019))
    assert record is not None
    assert record.year == 2019
    assert record.registration_id == last.registration_id
    assert record.programs == frozenset({WI})
    assert record.contacts == last.contacts
    assert record.organization.size is SizeBand.MEDIUM
    assert record.organization.name == "Better Business Health"
    assert record.organization.address == BBH_ADDRESS
    assert record.organization.submitted_web_interface_prior_year
    assert replayed(record.history) == record
    cancelled = run(record, Cancel(WI, confirmed=True), year=2019)
    assert cancelled.accepted
    assert cancelled.state is not None
    assert cancelled.state.registration_id == last.registration_id
    resized = run(record, ChangeSize(SizeBand.SMALL, confirmed=True), year=2019)
    assert resized.state is not None
    assert resized.state.programs == frozenset()


def test_reg_auto_4_nothing_carries_over_without_a_trigger() -> None:
    """REG-AUTO-1: no WI submission last year, nothing carries over; a 2021 SSP ACO carries
    both programs over (REG-ELIG-4). (With no previous record an automatic registration now
    starts a record: see test_reg_elig_4_carry_over_without_a_previous_record.)"""
    last = registered(WI, year=2019)
    assert carry_over(last, bbh(), qr.policy_for(2021)) is None
    assert carry_over(None, bbh(), P2021) is None
    aco = Organization(qr.OrgType.APM_ENTITY, SizeBand.LARGE, name="Sample ACO",
                       address=BBH_ADDRESS, apm_entity_id="A1234",
                       apm_model=qr.ApmModel.SHARED_SAVINGS_PROGRAM)
    aco_last = Registration("19000001", aco, (JANE,), frozenset({CAHPS}), year=2019)
    aco_now = carry_over(aco_last, aco, P2021)
    assert aco_now is not None
    assert aco_now.programs == frozenset(Program)


def test_carry_over_refuses_bad_input() -> None:
    """The previous record must be an earlier year's record of the same organization."""
    last = registered(WI, year=2019)
    with pytest.raises(qr.InvalidInput, match="previous"):
        carry_over(last, bbh(), qr.policy_for(2019))
    with pytest.raises(qr.InvalidInput, match="organization"):
        carry_over(last, bbh(tin="123456789", submitted_web_interface_prior_year=True), P2021)
    with pytest.raises(qr.InvalidInput, match="previous"):
        carry_over("last year", bbh(), P2021)  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput, match="state"):
        run(last, AddContact(JOHN), year=2021)


# -- bad input ---------------------------------------------------------------------------------
def test_decide_refuses_malformed_input_naming_the_field() -> None:
    """Malformed input raises a QppRulesError naming the field."""
    command = Register(WI, bbh(), (JANE,))
    with pytest.raises(qr.NaiveDateTime, match="at"):
        run(None, command, at=dt.datetime(2021, 5, 1, 12))
    with pytest.raises(qr.InvalidInput, match="at"):
        run(None, command, at="2021-05-01T12:00:00Z")
    with pytest.raises(qr.InvalidInput, match="actor"):
        decide(None, command, at=AT, policy=P2021, actor="SO")  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput, match="command"):
        decide(None, "register", at=AT, policy=P2021, actor=so())  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput, match="state"):
        decide("record", command, at=AT, policy=P2021, actor=so())  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput, match="policy"):
        decide(None, command, at=AT, policy=2021, actor=so())  # type: ignore[arg-type]
    record = registered(WI)
    stranger = bbh(tin="123456789")
    with pytest.raises(qr.InvalidInput, match=r"command\.organization"):
        run(record, Register(CAHPS, stranger, (JANE,)))
    with pytest.raises(qr.InvalidInput, match=r"actor\.role"):
        Actor(qr.OrgType.PRACTICE, "Security Official")  # type: ignore[arg-type]
    assert Actor(qr.OrgType.PRACTICE, Role.SECURITY_OFFICIAL) == so()


def test_evolve_refuses_events_that_do_not_fit() -> None:
    """evolve raises InvalidInput for junk or an event that does not fit the record."""
    record = registered(WI)
    with pytest.raises(qr.InvalidInput, match="event"):
        evolve(record, "Registered")  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput, match="event"):
        evolve(None, Cancelled(GUIDE_ID, WI, AT))
    with pytest.raises(qr.InvalidInput, match="registration_id"):
        evolve(record, Cancelled("111111", WI, AT))
    with pytest.raises(qr.InvalidInput, match="program"):
        evolve(record, Cancelled(GUIDE_ID, CAHPS, AT))
    with pytest.raises(qr.InvalidInput, match="contact"):
        evolve(record, ContactDeleted(GUIDE_ID, Contact("Pat", "Lee", "", ""), AT))
    only_jane = registered(WI, contacts=(JANE,))
    with pytest.raises(qr.InvalidInput, match="contacts"):
        evolve(only_jane, ContactDeleted(GUIDE_ID, JANE, AT))
    with pytest.raises(qr.InvalidInput, match="events"):
        replay("events")  # type: ignore[arg-type]


def test_reg_auto_3_a_carried_over_registration_is_changed_only_inside_the_window() -> None:
    """REG-AUTO-3: an automatic registration is edited or cancelled like any other, inside
    the window; after close the refusal names REG-AUTO-3 beside REG-WIN-1 and REG-WIN-2."""
    last = registered(WI, year=2018)
    this_year = bbh(SizeBand.MEDIUM, submitted_web_interface_prior_year=True)
    record = carry_over(last, this_year, qr.policy_for(2019))
    assert record is not None
    window = known(qr.policy_for(2019), "registration.window", "REG-WIN-1")
    late = run(record, Cancel(WI, confirmed=True), year=2019, at=window.closes)
    assert not late.accepted
    assert late.state == record
    assert late.refusal is not None
    assert late.refusal.rule_ids == ("REG-WIN-1", "REG-AUTO-3", "REG-WIN-2")
    on_time = run(record, Cancel(WI, confirmed=True), year=2019,
                  at=window.closes.subtract(seconds=1))
    assert on_time.accepted
