"""The access-request lifecycle: ACC-ROLE-2, ACC-ROLE-3, ACC-SO-1, ACC-SO-2, ACC-SO-3,
ACC-DATE-1, ACC-TIN-ACO-1, ACC-PERM-1 (who approves)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
import pytest
from access_support import (
    ACO_ID,
    NPI_1,
    NPI_2,
    PTAN_1,
    SITE_ID,
    TIN_A,
    TIN_B,
    assert_no_tin_shown,
    cpc_site,
    practice,
    registry,
    single_tin_aco,
)
from hypothesis import given
from lifecycle_support import (
    BAD,
    COMMANDS,
    GOOD,
    POLICY,
    SO,
    STAFF,
    T0,
    USERS,
    at_minute,
    resolve,
    run,
    with_official,
    with_pending,
)

import qpp_rules as qr
from qpp_rules.access import (
    AccessState,
    Approve,
    ChangeRole,
    Channel,
    Deny,
    Evidence,
    Member,
    NotificationKind,
    OrganizationRecord,
    RemoveUser,
    Request,
    RequestDenied,
    RequestRole,
    Role,
    RoleGranted,
    RoleRequested,
    decide,
    evolve,
    pending_requests,
    role_of,
    security_officials,
    validate_first_security_official,
)
from qpp_rules.policy.unknown import known

# -- ACC-ROLE-2 / ACC-SO-1: the first Security Official --------------------------------------


def test_acc_role_2_first_request_may_only_be_security_official() -> None:
    outcome = run(None, RequestRole("bob", STAFF, practice(), GOOD))
    assert not outcome.accepted
    assert outcome.refusal.rule_ids == ("ACC-ROLE-2",)
    assert outcome.state is None
    assert outcome.events == ()
    assert outcome.notifications == ()


def test_acc_so_1_first_security_official_is_approved_automatically() -> None:
    outcome = run(None, RequestRole("ann", SO, practice(), GOOD))
    assert outcome.accepted
    assert role_of(outcome.state, "ann") is SO
    assert pending_requests(outcome.state) == ()
    requested, granted = outcome.events
    assert isinstance(requested, RoleRequested)
    assert isinstance(granted, RoleGranted)
    assert granted.by is None
    assert granted.request.user == "ann"
    assert {(n.to, n.channel, n.kind) for n in outcome.notifications} == {
        ("ann", Channel.SCREEN, NotificationKind.APPROVED_AUTOMATICALLY),
        ("ann", Channel.EMAIL, NotificationKind.APPROVED_AUTOMATICALLY),
    }


def test_acc_so_1_failed_validation_is_refused_naming_the_item_and_changes_nothing() -> None:
    outcome = run(None, RequestRole("ann", SO, practice(), BAD))
    assert not outcome.accepted
    assert outcome.state is None
    assert "PTAN: does not match the Practice's records." in outcome.explain()
    assert_no_tin_shown(outcome.explain())


def test_acc_so_1_validation_error_may_be_re_entered() -> None:
    """The guide: 'please verify and re-enter the required information'."""
    assert not run(None, RequestRole("ann", SO, practice(), None)).accepted
    assert run(None, RequestRole("ann", SO, practice(), GOOD), 1).accepted


# -- ACC-SO-2: later requests ------------------------------------------------------------------


@pytest.mark.parametrize("role", [STAFF, SO])
def test_acc_so_2_later_requests_wait_for_a_security_official(role: Role) -> None:
    outcome = run(with_official(), RequestRole("bob", role, practice()), 1)
    assert outcome.accepted
    assert role_of(outcome.state, "bob") is None
    (request,) = pending_requests(outcome.state)
    assert (request.user, request.role) == ("bob", role)
    assert {(n.to, n.channel, n.kind) for n in outcome.notifications} == {
        ("bob", Channel.SCREEN, NotificationKind.PENDING),
        ("bob", Channel.EMAIL, NotificationKind.PENDING),
    }


@pytest.mark.parametrize("role", [STAFF, SO])
def test_acc_so_2_approval_grants_the_role_and_emails_the_requester(role: Role) -> None:
    state = with_pending("bob", role)
    outcome = run(state, Approve(pending_requests(state)[0], by="ann"), 2)
    assert outcome.accepted
    assert role_of(outcome.state, "bob") is role
    assert pending_requests(outcome.state) == ()
    (note,) = outcome.notifications
    assert (note.to, note.channel, note.kind, note.role) == (
        "bob", Channel.EMAIL, NotificationKind.APPROVED, role,
    )
    (event,) = outcome.events
    assert isinstance(event, RoleGranted)
    assert event.by == "ann"


def test_acc_so_2_an_additional_security_official_can_approve_others() -> None:
    state = with_pending("bob", SO)
    state = run(state, Approve(pending_requests(state)[0], by="ann"), 2).state
    state = run(state, RequestRole("cy", STAFF, practice()), 3).state
    outcome = run(state, Approve(pending_requests(state)[0], by="bob"), 4)
    assert outcome.accepted
    assert role_of(outcome.state, "cy") is STAFF
    assert security_officials(outcome.state) == ("ann", "bob")


def test_acc_so_2_a_staff_user_cannot_approve() -> None:
    state = with_pending("bob", STAFF)
    state = run(state, Approve(pending_requests(state)[0], by="ann"), 2).state
    state = run(state, RequestRole("cy", STAFF, practice()), 3).state
    outcome = run(state, Approve(pending_requests(state)[0], by="bob"), 4)
    assert not outcome.accepted
    assert outcome.refusal.rule_ids == ("ACC-SO-2",)
    assert outcome.state is state


def test_acc_so_2_a_stranger_cannot_approve_or_deny() -> None:
    state = with_pending()
    for command in (Approve(state.pending[0], by="zed"), Deny(state.pending[0], by="zed")):
        outcome = run(state, command, 2)
        assert not outcome.accepted
        assert outcome.state is state


def test_acc_so_2_nobody_approves_their_own_request() -> None:
    state = AccessState(practice(), (Member("ann", SO),), (Request("bob", SO, T0),))
    outcome = run(state, Approve(state.pending[0], by="bob"), 1)
    assert not outcome.accepted
    assert "their own request" in outcome.explain()


def test_acc_so_2_nobody_approves_their_own_request_even_holding_the_approvers_role() -> None:
    """A hand-built state where the approver would approve a request of their own."""
    state = AccessState(practice(), (Member("ann", SO),), (Request("bob", STAFF, T0),))
    outcome = run(state, Approve(Request("ann", STAFF, T0), by="ann"), 1)
    assert not outcome.accepted


def test_acc_so_2_denied_user_may_request_again() -> None:
    state = with_pending()
    denied = run(state, Deny(state.pending[0], by="ann"), 2)
    assert denied.accepted
    assert isinstance(denied.events[0], RequestDenied)
    assert denied.notifications == ()
    assert role_of(denied.state, "bob") is None
    assert pending_requests(denied.state) == ()
    again = run(denied.state, RequestRole("bob", STAFF, practice()), 3)
    assert again.accepted
    assert len(pending_requests(again.state)) == 1


def test_acc_so_2_request_for_a_role_already_pending_is_refused() -> None:
    state = with_pending()
    outcome = run(state, RequestRole("bob", STAFF, practice()), 2)
    assert not outcome.accepted
    assert outcome.refusal.rule_ids == ("ACC-SO-2",)
    other = run(state, RequestRole("bob", SO, practice()), 2)
    assert not other.accepted
    assert other.refusal.rule_ids == ("ACC-SO-2",)


def test_acc_so_2_request_for_a_role_already_held_is_refused() -> None:
    outcome = run(with_official(), RequestRole("ann", SO, practice(), GOOD), 1)
    assert not outcome.accepted
    assert outcome.refusal.rule_ids == ("ACC-SO-2",)
    assert "already holds" in outcome.explain()


def test_acc_so_2_approving_a_request_that_is_not_pending_is_refused() -> None:
    state = with_official()
    for current in (None, state):
        outcome = run(current, Approve(Request("bob", STAFF, T0), by="ann"), 1)
        assert not outcome.accepted
        assert outcome.state is current
    pending = with_pending("bob", STAFF)
    wrong_role = run(pending, Approve(Request("bob", SO, T0), by="ann"), 2)
    assert not wrong_role.accepted


def test_acc_perm_1_approver_needs_the_years_approve_permission() -> None:
    """A reform taking the approve permission from the Practice Security Official."""
    table = known(POLICY, "access.permissions", "ACC-PERM-1")
    practice_table = dict(table[qr.OrgType.PRACTICE])
    practice_table[SO] = practice_table[SO] - {qr.Permission.APPROVE_ACCESS_REQUESTS}
    from qpp_rules.policy import FrozenMap

    changed = FrozenMap({**table, qr.OrgType.PRACTICE: FrozenMap(practice_table)})
    reformed = qr.reform(POLICY, {"access.permissions": changed}, label="no approving")
    state = with_pending()
    outcome = decide(state, Approve(state.pending[0], by="ann"), at=at_minute(2), policy=reformed)
    assert not outcome.accepted
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ACC-PERM-1",)


# -- ACC-SO-3: help-desk actions ---------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [ChangeRole("ann", STAFF, by="ann"), ChangeRole("bob", SO, by="ann"),
     RemoveUser("ann", by="ann"), RemoveUser("bob", by="ann")],
)
def test_acc_so_3_role_changes_and_removals_are_not_self_service(command: Any) -> None:
    state = run(with_pending(), Approve(Request("bob", STAFF, T0), by="ann"), 2).state
    outcome = run(state, command, 3)
    assert not outcome.accepted
    assert outcome.refusal.rule_ids == ("ACC-SO-3",)
    assert "Quality Payment Program" in outcome.explain()
    assert outcome.state is state


def test_acc_so_3_asking_for_the_other_role_is_a_role_change() -> None:
    state = run(with_pending(), Approve(Request("bob", STAFF, T0), by="ann"), 2).state
    outcome = run(state, RequestRole("bob", SO, practice()), 3)
    assert not outcome.accepted
    assert outcome.refusal.rule_ids == ("ACC-SO-3",)


# -- ACC-ROLE-3: one organization per request -------------------------------------------------


def test_acc_role_3_a_request_names_one_organization() -> None:
    with pytest.raises(qr.InvalidInput) as caught:
        RequestRole("ann", SO, [practice(), registry()], GOOD)  # type: ignore[arg-type]
    assert "ACC-ROLE-3" in str(caught.value)
    outcome = run(with_official(), RequestRole("bob", STAFF, registry()), 1)
    assert not outcome.accepted
    assert outcome.refusal.rule_ids == ("ACC-ROLE-3",)


def test_acc_role_3_each_organization_has_its_own_first_security_official() -> None:
    """Connecting to several organizations: one request for each, one at a time."""
    first = run(None, RequestRole("ann", SO, practice(), GOOD))
    second = run(None, RequestRole("ann", SO, registry(),
                                    Evidence(tin="003456789", vendor_id="1234567")), 1)
    assert first.accepted
    assert second.accepted
    assert first.state.organization != second.state.organization


# -- ACC-DATE-1: CPC+ Practice Sites from 2019-01-02 00:00 ET ---------------------------------

_SITE_EVIDENCE = Evidence(practice_site_id=SITE_ID, tin=TIN_B, npi=NPI_2)


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        (pendulum.datetime(2019, 1, 2, 4, 59, 59, tz="UTC"), False),  # 2019-01-01 23:59:59 ET
        (pendulum.datetime(2019, 1, 2, 5, 0, 0, tz="UTC"), True),  # 2019-01-02 00:00:00 ET
        (dt.datetime(2019, 1, 2, 4, 59, 59, 999999, tzinfo=dt.UTC), False),
        (dt.datetime(2018, 6, 1, tzinfo=dt.UTC), False),
    ],
)
def test_acc_date_1_cpc_plus_connections_open_2019_01_02_et(at: Any, open_: bool) -> None:
    for year in qr.available_years():
        if "access.cpc_plus_connections_open" in qr.policy_for(year).unknown_values():
            continue  # a year that does not know the date refuses (test_policy_years_external)
        policy = qr.policy_for(year)
        outcome = decide(None, RequestRole("ann", SO, cpc_site(), _SITE_EVIDENCE), at=at,
                         policy=policy)
        assert outcome.accepted is open_, (year, outcome.explain())
        if not open_:
            assert outcome.refusal is not None
            assert outcome.refusal.rule_ids == ("ACC-DATE-1",)


def test_acc_date_1_reads_the_date_from_the_policy_table() -> None:
    later = qr.reform(POLICY, {"access.cpc_plus_connections_open": qr.eastern(2019, 2, 1)},
                      label="CPC+ in February")
    at = qr.eastern(2019, 1, 15)
    assert decide(None, RequestRole("ann", SO, cpc_site(), _SITE_EVIDENCE), at=at,
                  policy=POLICY).accepted
    assert not decide(None, RequestRole("ann", SO, cpc_site(), _SITE_EVIDENCE), at=at,
                      policy=later).accepted


def test_acc_date_1_applies_to_later_requests_and_not_to_other_organizations() -> None:
    state = AccessState(cpc_site(), (Member("ann", SO),))
    early = qr.eastern(2019, 1, 1, 23, 59, 59)
    outcome = decide(state, RequestRole("bob", STAFF, cpc_site()), at=early, policy=POLICY)
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ACC-DATE-1",)
    assert decide(None, RequestRole("ann", SO, practice(), GOOD), at=early,
                  policy=POLICY).accepted


def test_naive_instants_are_refused_as_bad_input() -> None:
    with pytest.raises(qr.NaiveDateTime):
        decide(None, RequestRole("ann", SO, practice(), GOOD), at=dt.datetime(2019, 3, 1),
               policy=POLICY)


# -- ACC-TIN-ACO-1: the guide's single-TIN ACO connects twice ---------------------------------


def test_acc_tin_aco_1_single_tin_aco_connects_as_practice_and_as_apm_entity() -> None:
    """The guide's FAQ 'We are a single TIN ACO': one connection as a Practice, one as an APM
    Entity; the APM Entity's first Security Official gives a single TIN."""
    as_practice = OrganizationRecord(
        qr.OrgType.PRACTICE, name="Better Business Health", tins=[TIN_A],
        clinicians=[(NPI_1, PTAN_1)], single_tin_aco=True,
    )
    as_entity = single_tin_aco()
    first = run(None, RequestRole("ann", SO, as_practice, GOOD))
    second = run(None, RequestRole("ann", SO, as_entity,
                                    Evidence(apm_entity_id=ACO_ID, tin=TIN_A)), 1)
    assert first.accepted
    assert second.accepted, second.explain()
    assert role_of(first.state, "ann") is SO
    assert role_of(second.state, "ann") is SO
    # two organizations: a request naming one is refused in the other's state (ACC-ROLE-3)
    crossed = run(first.state, RequestRole("bob", STAFF, as_entity), 2)
    assert crossed.refusal is not None
    assert crossed.refusal.rule_ids == ("ACC-ROLE-3",)


# -- bad input and evolve ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "command", "policy", "field"),
    [
        ("state", RequestRole("ann", SO, practice()), POLICY, "state"),
        (None, "request", POLICY, "command"),
        (None, RequestRole("ann", SO, practice()), 2019, "policy"),
    ],
)
def test_decide_bad_input_raises_invalid_input(
    state: Any, command: Any, policy: Any, field: str
) -> None:
    with pytest.raises(qr.InvalidInput) as caught:
        decide(state, command, at=T0, policy=policy)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "build",
    [
        lambda: RequestRole("", SO, practice()),
        lambda: RequestRole("ann", "Security Official", practice()),  # type: ignore[arg-type]
        lambda: RequestRole("ann", SO, practice(), {"tin": TIN_A}),  # type: ignore[arg-type]
        lambda: RequestRole("ann", SO, "Better Business Health"),  # type: ignore[arg-type]
        lambda: Approve("bob", by="ann"),  # type: ignore[arg-type]
        lambda: Deny(Request("bob", STAFF, T0), by=None),  # type: ignore[arg-type]
        lambda: Request("bob", STAFF, dt.datetime(2019, 1, 1)),
        lambda: AccessState(practice(), (Member("ann", SO), Member("ann", STAFF))),
        lambda: AccessState(practice(), (Member("ann", SO),), (Request("ann", STAFF, T0),)),
        lambda: AccessState(practice(), ("ann",)),
    ],
)
def test_commands_and_state_validate_on_construction(build: Any) -> None:
    with pytest.raises(qr.InvalidInput):
        build()


def test_acc_so_2_evolve_refuses_events_that_cannot_follow() -> None:
    state = with_official()
    with pytest.raises(qr.InvalidInput):
        evolve(None, RoleGranted(Request("ann", SO, T0)))
    with pytest.raises(qr.InvalidInput):
        evolve(state, RoleGranted(Request("bob", SO, T0), "ann"))
    with pytest.raises(qr.InvalidInput):
        evolve(state, RoleRequested(Request("bob", STAFF, T0), registry()))
    with pytest.raises(qr.InvalidInput):
        evolve(state, "event")
    with pytest.raises(qr.InvalidInput):
        role_of(state, 42)


def test_acc_so_2_outcome_state_is_the_fold_of_its_events() -> None:
    state = with_pending()
    outcome = run(state, Approve(state.pending[0], by="ann"), 2)
    folded: AccessState | None = state
    for event in outcome.events:
        folded = evolve(folded, event)
    assert folded == outcome.state


@given(commands=COMMANDS)
def test_acc_so_1_so_2_property_no_role_without_validation_or_a_security_officials_approval(
    commands: list[Any],
) -> None:
    """No sequence of commands ever gives anyone a role except (a) the first Security Official
    whose evidence passes validation, or (b) an approval by a Security Official who already
    holds that role in the same organization and is not the requester."""
    state: AccessState | None = None
    for minute, step in enumerate(commands):
        before = state
        command = resolve(state, step)
        outcome = run(state, command, minute)
        if not outcome.accepted:
            assert outcome.state is before
            assert outcome.events == ()
            assert outcome.notifications == ()
            assert outcome.refusal is not None
            assert outcome.refusal.reasons
            assert_no_tin_shown(outcome.explain())
            continue
        state = outcome.state
        granted = {e.request.user: e for e in outcome.events if isinstance(e, RoleGranted)}
        for event in granted.values():
            if event.by is None:
                assert isinstance(command, RequestRole)
                assert command.role is SO
                assert before is None or not before.has_security_official
                assert validate_first_security_official(command.organization,
                                                        command.evidence).allowed
            else:
                assert isinstance(command, Approve)
                assert role_of(before, event.by) is SO
                assert event.by != event.request.user
                assert before is not None
                assert before.organization == state.organization
        for user in USERS:
            if role_of(state, user) != role_of(before, user):
                assert user in granted
                assert role_of(before, user) is None
        if before is not None:
            assert state.organization == before.organization


@given(commands=COMMANDS)
def test_acc_so_2_property_every_approved_user_was_pending_and_is_told(
    commands: list[Any],
) -> None:
    state: AccessState | None = None
    for minute, step in enumerate(commands):
        before = state
        outcome = run(state, resolve(state, step), minute)
        state = outcome.state
        for event in outcome.events:
            if isinstance(event, RoleGranted) and event.by is not None:
                assert before is not None
                assert before.pending_for(event.request.user)
                told = [(n.to, n.kind) for n in outcome.notifications]
                assert told == [(event.request.user, NotificationKind.APPROVED)]
            if isinstance(event, RoleRequested) and len(outcome.events) == 1:
                assert {n.channel for n in outcome.notifications} == {Channel.SCREEN,
                                                                      Channel.EMAIL}


def test_acc_role_1_two_roles_per_organization() -> None:
    """ACC-ROLE-1: the roles are Security Official and Staff User, and an organization's
    members each hold one of them (after a first SO and an approved Staff User)."""
    assert {role.value for role in Role} == {"Security Official", "Staff User"}
    first = run(None, RequestRole("ann", SO, practice(), GOOD))
    assert first.accepted
    asked = run(first.state, RequestRole("bob", STAFF, practice()), 1)
    assert asked.accepted
    (pending,) = pending_requests(asked.state)
    approved = run(asked.state, Approve(pending, "ann"), 2)
    assert approved.accepted
    assert role_of(approved.state, "ann") is SO
    assert role_of(approved.state, "bob") is STAFF
    assert role_of(approved.state, "carol") is None
    for kind in qr.OrgType:
        for role in Role:
            assert known(qr.policy_for(2019), "access.permissions", "ACC-PERM-1")[kind][role]
