"""Hypothesis properties of the election lifecycle: a confirmed election never changes
(ELE-FINAL-1), uploads are all-or-nothing (ELE-BATCH-1), decisions are deterministic."""

from __future__ import annotations

from typing import Any

import pytest
from election_helpers import (
    ALL_ACTORS,
    PY2019,
    PY2019_PUBLISHED,
    clinician,
    group,
    utc,
)
from hypothesis import given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.election import (
    BatchOutcome,
    Choice,
    Elected,
    Election,
    ElectionLedger,
    ElectionResult,
    OptInStatus,
    Participant,
    UploadElections,
    elect,
    elect_batch,
    evolve,
    replay,
)

POOL = (group(1), group(2), group(3), clinician(1, 11), clinician(2, 12), clinician(3, 13))
TIMES = (
    utc(2020, 1, 2, 14, 59, 59, 999999), utc(2020, 1, 2, 15), utc(2020, 2, 3, 17),
    utc(2020, 3, 31, 23, 59, 59, 999999), utc(2020, 4, 1), utc(2020, 4, 30, 23, 59, 59),
    utc(2020, 5, 1),
)
CONFIRMATIONS = ("CONFIRM", "confirm", " Confirm\n", "", None, "CONFIRMED", "no")

participants = st.sampled_from(POOL)
choices = st.sampled_from(list(Choice))
statuses = st.sampled_from(list(OptInStatus))
actors = st.sampled_from(ALL_ACTORS)
times = st.sampled_from(TIMES)
confirmations = st.sampled_from(CONFIRMATIONS)
policies = st.sampled_from([PY2019, PY2019_PUBLISHED])

single = st.tuples(
    st.just("elect"), participants, choices, times, policies, confirmations, actors, statuses
)
batch = st.tuples(
    st.just("batch"),
    st.dictionaries(participants, choices, max_size=len(POOL)),
    times, policies, confirmations, actors,
    st.dictionaries(st.sampled_from(POOL), statuses, min_size=len(POOL)),
)
commands = st.lists(st.one_of(single, batch), max_size=12)


def run(ledger: ElectionLedger | None, command: tuple[Any, ...]) -> ElectionResult:
    if command[0] == "elect":
        _, participant, choice, at, policy, confirmation, actor, status = command
        return elect(ledger, participant, choice, at=at, policy=policy,
                     confirmation=confirmation, actor=actor, status=status)
    _, rows, at, policy, confirmation, actor, known = command
    full = {p: known.get(p, OptInStatus.OPT_IN_ELIGIBLE) for p in POOL}
    return elect_batch(ledger, rows, at=at, policy=policy, confirmation=confirmation,
                       actor=actor, statuses=full)


@given(commands)
def test_ele_final_1_a_confirmed_election_never_changes(script: list[tuple[Any, ...]]) -> None:
    """ELE-FINAL-1 property: once recorded, a participant's election stays exactly as it
    was under any later command; a refused command changes nothing."""
    ledger: ElectionLedger | None = None
    seen: dict[Participant, Election] = {}
    for command in script:
        outcome = run(ledger, command)
        if not outcome.accepted:
            assert outcome.state is ledger
            assert not outcome.events
            assert outcome.refusal is not None
            assert outcome.refusal.reasons
        else:
            assert outcome.refusal is None
        ledger = outcome.state
        for participant, election in seen.items():
            assert ledger is not None
            assert ledger.election_of(participant) == election
        if ledger is not None:
            for participant in ledger:
                recorded = ledger.election_of(participant)
                assert recorded is not None
                seen.setdefault(participant, recorded)
        assert len(seen) == (0 if ledger is None else len(ledger))


@given(commands, batch)
def test_ele_batch_1_all_or_nothing(script: list[tuple[Any, ...]],
                                    upload: tuple[Any, ...]) -> None:
    """ELE-BATCH-1 property: an upload either records every Opt-in and Report voluntarily
    row (and nothing for No decision rows) or changes nothing at all."""
    ledger: ElectionLedger | None = None
    for command in script:
        ledger = run(ledger, command).state
    outcome = run(ledger, upload)
    assert isinstance(outcome, BatchOutcome)
    rows: dict[Participant, Choice] = upload[1]
    electing = {p: c for p, c in rows.items() if c is not Choice.NO_DECISION}
    tally = {c: sum(1 for v in rows.values() if v is c) for c in Choice}
    assert outcome.counts == {c: n for c, n in tally.items() if n}  # only non-zero counts
    assert all(outcome.counts[c] == n for c, n in tally.items())
    statuses = upload[6]
    left_exempt = UploadElections(rows, statuses).left_exempt(outcome.state)
    for participant in left_exempt:  # ELE-CHOICE-1: opt-in eligible, not elected
        assert rows[participant] is Choice.NO_DECISION
        assert statuses[participant] is OptInStatus.OPT_IN_ELIGIBLE
        assert ledger is None or participant not in ledger
    if outcome.accepted:
        assert {e.participant: e.choice for e in outcome.events} == electing
        before = 0 if ledger is None else len(ledger)
        after = 0 if outcome.state is None else len(outcome.state)
        assert after == before + len(electing)
        for participant, choice in electing.items():
            assert outcome.state is not None
            assert outcome.state.choice_of(participant) is choice
        for participant in left_exempt:
            assert rows[participant] is Choice.NO_DECISION
            expected = None if ledger is None else ledger.choice_of(participant)
            assert (None if outcome.state is None
                    else outcome.state.choice_of(participant)) is expected
    else:
        assert outcome.state is ledger
        assert not outcome.events


@given(st.one_of(single, batch))
def test_decisions_are_deterministic(command: tuple[Any, ...]) -> None:
    """The same command on the same ledger gives an equal outcome every time."""
    base = elect(None, POOL[0], Choice.OPT_IN, at=utc(2020, 2, 3, 17), policy=PY2019,
                 confirmation="CONFIRM", actor=ALL_ACTORS[0], status=OptInStatus.OPT_IN_ELIGIBLE)
    ledger = base.state if base.accepted else None
    first, second = run(ledger, command), run(ledger, command)
    assert first == second
    assert (first.refusal is None) == (second.refusal is None)
    if first.refusal is not None and second.refusal is not None:
        assert first.refusal.explain() == second.refusal.explain()


@given(single)
def test_single_election_accepted_only_when_every_rule_allows(command: tuple[Any, ...]) -> None:
    """ELE-WIN-1, ELE-BATCH-2, ELE-CONF-1, ELE-WHO-1 together: accepted iff each holds;
    No decision (ELE-CHOICE-1) is checked the same way but needs no confirmation and
    records nothing."""
    _, participant, choice, at, policy, confirmation, actor, status = command
    outcome = run(None, command)
    window = policy.election.window
    confirmed = confirmation is not None and confirmation.strip().upper() == "CONFIRM"
    ok = (
        window is not None and window.contains(at)
        and status is OptInStatus.OPT_IN_ELIGIBLE
        and (confirmed or not choice.is_election)
        and actor.kind in (qr.OrgType.PRACTICE, qr.OrgType.REGISTRY)
    )
    assert outcome.accepted is ok
    if outcome.accepted and choice.is_election:
        assert outcome.state is not None
        assert outcome.state.choice_of(participant) is choice
    if not choice.is_election:
        assert outcome.state is None
        assert not outcome.events


@given(commands, st.integers(0, 11))
def test_ele_final_1_replay_rebuilds_the_ledger_and_refuses_a_replayed_event(
    script: list[tuple[Any, ...]], pick: int,
) -> None:
    """Property: the events decide produced replay to the same ledger; replaying any one of
    them again (an election for a participant already elected) is refused, as decide would
    refuse it (ELE-FINAL-1)."""
    ledger: ElectionLedger | None = None
    history: list[Elected] = []
    for command in script:
        outcome = run(ledger, command)
        ledger = outcome.state
        history.extend(outcome.events)
    assert replay(history) == ledger
    if history:
        with pytest.raises(qr.QppRulesError):
            evolve(ledger, history[pick % len(history)])
