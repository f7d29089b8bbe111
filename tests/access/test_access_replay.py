"""``evolve`` and ``replay`` refuse every event ``decide`` could not have produced from the
state (ACC-ROLE-2, ACC-ROLE-3, ACC-SO-1, ACC-SO-2): a forged or corrupted event log never
builds a state the rules forbid, and the events of accepted commands replay to the state
``decide`` built."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from access_support import practice, registry
from hypothesis import given
from hypothesis import strategies as st
from lifecycle_support import (
    BAD,
    COMMANDS,
    GOOD,
    SO,
    STAFF,
    T0,
    at_minute,
    resolve,
    run,
    with_official,
    with_pending,
)

import qpp_rules as qr
from qpp_rules.access import (
    AccessEvent,
    AccessState,
    Approve,
    Evidence,
    Request,
    RequestDenied,
    RequestRole,
    RoleGranted,
    RoleRequested,
    evolve,
    replay,
    role_of,
)

LATER = at_minute(5)


def _refused(state: AccessState | None, event: Any, field: str) -> None:
    with pytest.raises(qr.ImpossibleEvent) as raised:
        evolve(state, event)
    assert raised.value.field == field
    assert isinstance(raised.value, qr.InvalidInput)


def _first_so_events() -> tuple[RoleRequested, RoleGranted]:
    outcome = run(None, RequestRole("ann", SO, practice(), GOOD))
    assert outcome.accepted
    requested, granted = outcome.events
    assert isinstance(requested, RoleRequested)
    assert isinstance(granted, RoleGranted)
    return requested, granted


def test_acc_so_2_evolve_refuses_a_self_approval() -> None:
    state = evolve(with_official(), RoleRequested(Request("mallory", SO, T0), practice()))
    assert state is not None
    _refused(state, RoleGranted(state.pending[0], "mallory", LATER), "event.by")


def test_acc_so_2_evolve_refuses_a_self_denial() -> None:
    state = with_pending("mallory")
    _refused(state, RequestDenied(state.pending[0], "mallory", LATER), "event.by")


def test_acc_so_2_evolve_refuses_a_grant_by_a_user_of_another_organization() -> None:
    elsewhere = run(None, RequestRole("mallory", SO, registry(), Evidence(
        tin="003456789", vendor_id="1234567")))
    assert role_of(elsewhere.state, "mallory") is SO
    state = with_pending("bob")
    _refused(state, RoleGranted(state.pending[0], "mallory", LATER), "event.by")


def test_acc_so_2_evolve_refuses_an_approval_by_a_staff_user() -> None:
    state = with_pending("bob")
    approved = run(state, Approve(state.pending[0], by="ann"), 2).state
    asked = run(approved, RequestRole("cy", STAFF, practice()), 3).state
    _refused(asked, RoleGranted(asked.pending_for("cy"), "bob", LATER), "event.by")


def test_acc_so_2_evolve_refuses_a_denial_by_a_non_security_official() -> None:
    state = with_pending("bob")
    _refused(state, RequestDenied(state.pending[0], "stranger", LATER), "event.by")


def test_acc_so_1_evolve_refuses_an_automatic_grant_once_a_security_official_exists() -> None:
    state = with_pending("bob", SO)
    _refused(state, RoleGranted(state.pending[0], None, state.pending[0].at, GOOD), "event.by")


def test_acc_so_1_evolve_refuses_a_first_security_official_without_evidence() -> None:
    requested, granted = _first_so_events()
    assert granted.evidence == GOOD
    state = evolve(None, requested)
    _refused(state, attrs.evolve(granted, evidence=None), "event.evidence")


def test_acc_so_1_evolve_refuses_a_first_security_official_whose_evidence_fails() -> None:
    requested, granted = _first_so_events()
    state = evolve(None, requested)
    _refused(state, attrs.evolve(granted, evidence=BAD), "event.evidence")


def test_acc_so_1_evolve_refuses_an_automatic_grant_at_another_instant() -> None:
    requested, granted = _first_so_events()
    state = evolve(None, requested)
    _refused(state, attrs.evolve(granted, at=LATER), "event.at")


def test_acc_so_2_evolve_refuses_an_approval_recording_evidence() -> None:
    state = with_pending("bob")
    _refused(state, RoleGranted(state.pending[0], "ann", LATER, GOOD), "event.evidence")


def test_acc_so_2_evolve_refuses_an_answer_without_its_instant() -> None:
    state = with_pending("bob")
    _refused(state, RoleGranted(state.pending[0], "ann"), "event.at")
    _refused(state, RequestDenied(state.pending[0], "ann"), "event.at")


def test_acc_so_2_evolve_refuses_answers_to_a_request_that_is_not_pending() -> None:
    state = with_pending("bob")
    (pending,) = state.pending
    _refused(None, RoleGranted(pending, "ann", LATER), "event")
    _refused(state, RoleGranted(Request("cy", STAFF, T0), "ann", LATER), "event.request")
    _refused(state, RoleGranted(attrs.evolve(pending, role=SO), "ann", LATER), "event.request")
    _refused(state, RoleGranted(attrs.evolve(pending, at=LATER), "ann", LATER), "event.request")
    approved = evolve(state, RoleGranted(pending, "ann", LATER))
    _refused(approved, RoleGranted(pending, "ann", LATER), "event.request")
    _refused(approved, RequestDenied(pending, "ann", LATER), "event.request")


def test_acc_role_2_evolve_refuses_a_first_request_for_the_staff_user_role() -> None:
    _refused(None, RoleRequested(Request("bob", STAFF, T0), practice()), "event.request.role")


def test_acc_role_3_evolve_refuses_a_request_for_another_organization() -> None:
    _refused(with_official(), RoleRequested(Request("bob", STAFF, T0), registry()),
             "event.organization")


def test_acc_so_2_evolve_refuses_a_second_request_from_a_user_who_waits_or_holds_a_role() -> None:
    state = with_pending("bob")
    _refused(state, RoleRequested(Request("bob", SO, LATER), practice()), "event.request")
    _refused(state, RoleRequested(Request("ann", STAFF, LATER), practice()), "event.request")


def test_replay_refuses_what_is_not_a_sequence_of_events() -> None:
    with pytest.raises(qr.InvalidInput):
        replay(42)  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput):
        replay(["event"])  # type: ignore[list-item]
    assert replay(()) is None


# -- properties -------------------------------------------------------------------------------


def _history(commands: list[Any]) -> tuple[AccessState | None, list[AccessEvent]]:
    state: AccessState | None = None
    events: list[AccessEvent] = []
    for minute, step in enumerate(commands):
        outcome = run(state, resolve(state, step), minute)
        state = outcome.state
        events.extend(outcome.events)
    return state, events


def _tampered(event: AccessEvent, first: bool) -> list[AccessEvent]:
    """Forgeries of ``event`` that ``decide`` could never have produced in its place."""
    request = event.request
    if isinstance(event, RoleRequested):
        forged: list[AccessEvent] = []
        if first:
            forged.append(RoleRequested(attrs.evolve(request, role=STAFF), event.organization))
        else:
            other = practice() if event.organization == registry() else registry()
            forged.append(attrs.evolve(event, organization=other))
        return forged
    moved = attrs.evolve(request, at=request.at.add(seconds=1))
    if isinstance(event, RequestDenied):
        return [attrs.evolve(event, by=request.user), attrs.evolve(event, by="mallory"),
                attrs.evolve(event, request=moved), attrs.evolve(event, at=None)]
    forged = [attrs.evolve(event, by=request.user), attrs.evolve(event, by="mallory"),
              attrs.evolve(event, request=moved), attrs.evolve(event, at=None)]
    if event.by is None:
        forged += [attrs.evolve(event, evidence=None), attrs.evolve(event, evidence=BAD),
                   attrs.evolve(event, evidence=Evidence())]
    else:
        forged += [attrs.evolve(event, by=None, evidence=GOOD),
                   attrs.evolve(event, evidence=GOOD)]
    return forged


@given(commands=COMMANDS)
def test_acc_so_1_so_2_property_replaying_accepted_events_gives_the_decided_state(
    commands: list[Any],
) -> None:
    state, events = _history(commands)
    assert replay(events) == state
    assert replay(iter(events)) == state


@given(commands=COMMANDS, data=st.data())
def test_acc_so_1_so_2_property_any_single_tampered_event_is_refused(
    commands: list[Any], data: st.DataObject
) -> None:
    _, events = _history(commands)
    if not events:
        return
    index = data.draw(st.integers(0, len(events) - 1), label="index")
    forgeries = _tampered(events[index], first=index == 0)
    forged = data.draw(st.sampled_from(forgeries), label="forged")
    log = [*events[:index], forged, *events[index + 1:]]
    with pytest.raises(qr.ImpossibleEvent):
        replay(log)
