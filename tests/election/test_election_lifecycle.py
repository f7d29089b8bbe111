"""The election lifecycle in the shape of every domain: ``decide`` over the commands ``Elect``
and ``UploadElections``, ``evolve`` and ``replay`` that refuse what ``decide`` could not have
produced (ELE-FINAL-1, ELE-WHO-1, ELE-CONF-1), a ledger that grows in constant time
(ELE-BATCH-1), and events that compare by the instant they record."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from unittest import mock

import attrs
import pytest
from election_helpers import (
    ELIGIBLE,
    OPEN,
    PRACTICE_SO,
    PY2019,
    REGISTRY_STAFF,
    clinician,
    group,
    utc,
)

import qpp_rules as qr
from qpp_rules.election import (
    Choice,
    Elect,
    Elected,
    Election,
    ElectionLedger,
    UploadElections,
    decide,
    elect,
    elect_batch,
    evolve,
    replay,
)
from qpp_rules.election.appendmap import AppendOnlyMap
from qpp_rules.election.lifecycle import COMMANDS

OI, RV, ND = Choice.OPT_IN, Choice.VOLUNTARY, Choice.NO_DECISION


def _elected(participant: object = None, *, by: qr.OrgType = qr.OrgType.PRACTICE,
             at: object = OPEN, year: int = 2019) -> Elected:
    return Elected(year, participant or group(1), OI, at, by)  # type: ignore[arg-type]


# -- one decider shape ------------------------------------------------------------------------
def test_ele_choice_1_decide_elect_is_what_elect_answers() -> None:
    """``elect`` is a thin wrapper: ``decide`` of the ``Elect`` command answers the same."""
    command = Elect(group(1), OI, ELIGIBLE, "confirm")
    direct = decide(None, command, at=OPEN, policy=PY2019, actor=PRACTICE_SO)
    wrapped = elect(None, group(1), OI, at=OPEN, policy=PY2019, confirmation="confirm",
                    actor=PRACTICE_SO, status=ELIGIBLE)
    assert direct == wrapped
    assert direct.accepted
    assert replay(direct.events) == direct.state


def test_ele_batch_1_decide_upload_is_what_elect_batch_answers() -> None:
    """``elect_batch`` is a thin wrapper over ``decide`` of ``UploadElections``; the events
    replay to the ledger after, and the counts ride on the one Outcome."""
    rows = {group(1): OI, clinician(2, 2): RV, group(3): ND}
    statuses = dict.fromkeys(rows, ELIGIBLE)
    direct = decide(None, UploadElections(rows, statuses, "CONFIRM"), at=OPEN, policy=PY2019,
                    actor=REGISTRY_STAFF)
    wrapped = elect_batch(None, rows, at=OPEN, policy=PY2019, confirmation="CONFIRM",
                          actor=REGISTRY_STAFF, statuses=statuses)
    assert direct == wrapped
    assert direct.counts == {OI: 1, RV: 1, ND: 1}
    assert replay(direct.events) == direct.state


def test_decide_refuses_anything_but_an_election_command() -> None:
    assert (Elect, UploadElections) == COMMANDS
    with pytest.raises(qr.InvalidInput, match="command"):
        decide(None, "elect", at=OPEN, policy=PY2019, actor=PRACTICE_SO)  # type: ignore[arg-type]


@pytest.mark.parametrize(("build", "field"), [
    (lambda: Elect("123456789", OI, ELIGIBLE), "participant"),  # type: ignore[arg-type]
    (lambda: Elect(group(1), "Opt-in", ELIGIBLE), "choice"),  # type: ignore[arg-type]
    (lambda: Elect(group(1), OI, "eligible"), "status"),  # type: ignore[arg-type]
    (lambda: Elect(group(1), OI, ELIGIBLE, 7), "confirmation"),  # type: ignore[arg-type]
    (lambda: UploadElections({group(1): OI}, {}), r"statuses\[TIN \*+"),
    (lambda: UploadElections({group(1): OI}, {group(1): ELIGIBLE}, files="QPP JSON"), "files"),
])
def test_commands_refuse_malformed_fields_naming_them(build: object, field: str) -> None:
    with pytest.raises(qr.InvalidInput, match=field):
        build()  # type: ignore[operator]


# -- evolve refuses forged events -------------------------------------------------------------
def test_ele_final_1_evolve_refuses_a_second_election_for_a_participant() -> None:
    ledger = evolve(None, _elected())
    with pytest.raises(qr.InvalidInput, match="ELE-FINAL-1"):
        evolve(ledger, attrs.evolve(_elected(), choice=RV))
    with pytest.raises(qr.QppRulesError):
        replay([_elected(), _elected()])


@pytest.mark.parametrize("kind", [qr.OrgType.APM_ENTITY, qr.OrgType.VIRTUAL_GROUP])
def test_ele_who_1_evolve_refuses_an_election_by_a_type_that_never_elects(
    kind: qr.OrgType,
) -> None:
    """decide never records an election by an APM Entity or a virtual group (ELE-WHO-1), so
    an event saying so is forged."""
    with pytest.raises(qr.InvalidInput, match="ELE-WHO-1"):
        evolve(None, _elected(by=kind))
    with pytest.raises(qr.QppRulesError):
        replay([_elected(group(2)), _elected(by=kind)])


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_ele_conf_1_an_election_confirmed_by_nothing_cannot_be_recorded(typed: object) -> None:
    with pytest.raises(qr.InvalidInput, match=r"elected\.confirmation"):
        Elected(2019, group(1), OI, OPEN, qr.OrgType.PRACTICE,
                confirmation=typed)  # type: ignore[arg-type]


def test_evolve_refuses_another_years_event_and_junk() -> None:
    ledger = evolve(None, _elected())
    with pytest.raises(qr.InvalidInput, match=r"event\.year"):
        evolve(ledger, _elected(group(2), year=2021))
    with pytest.raises(qr.InvalidInput, match="event"):
        evolve(ledger, "Elected")  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput, match="events"):
        replay("events")  # type: ignore[arg-type]


def test_ele_conf_1_decide_records_the_years_word_whatever_the_case_typed() -> None:
    outcome = elect(None, group(1), OI, at=OPEN, policy=PY2019, confirmation="  cOnFiRm ",
                    actor=PRACTICE_SO, status=ELIGIBLE)
    (event,) = outcome.events
    assert event.confirmation == PY2019.election.confirmation_word


# -- the ledger grows in constant time --------------------------------------------------------
def test_ele_batch_1_an_upload_grows_one_shared_ledger_log_not_a_copy_per_row() -> None:
    """The quadratic upload: each recorded election copied every election before it. An
    upload of 2,000 rows now builds its ledger log once."""
    rows = {clinician(n, n): OI for n in range(2_000)}
    with mock.patch.object(AppendOnlyMap, "of", wraps=AppendOnlyMap.of) as fresh:
        outcome = elect_batch(None, rows, at=OPEN, policy=PY2019, confirmation="CONFIRM",
                              actor=REGISTRY_STAFF, statuses=dict.fromkeys(rows, ELIGIBLE))
    assert outcome.accepted
    assert outcome.state is not None
    assert len(outcome.state) == 2_000
    assert fresh.call_count <= 1


def test_ele_final_1_ledgers_grown_from_one_ledger_stay_apart() -> None:
    """A ledger is a value: ledgers grown from the same one (sharing its log) each hold only
    their own elections, and the one they grew from is unchanged."""
    base = evolve(None, _elected(group(1)))
    left = evolve(base, _elected(group(2)))
    right = evolve(base, _elected(group(3)))  # a branch: the log is copied
    deeper = evolve(left, _elected(group(4)))
    assert set(base) == {group(1)}
    assert set(left) == {group(1), group(2)}
    assert set(right) == {group(1), group(3)}
    assert set(deeper) == {group(1), group(2), group(4)}
    assert group(3) not in left
    assert left.choice_of(group(4)) is None
    assert evolve(right, _elected(group(2))) == evolve(base, _elected(group(3))).add(
        _elected(group(2))
    )
    assert hash(left) == hash(replay([_elected(group(1)), _elected(group(2))]))
    assert ElectionLedger(2019, left.elections) == left
    assert ElectionLedger(2019, dict(left.elections)) == left


@pytest.mark.parametrize("duplicate", [copy.copy, copy.deepcopy,
                                       lambda value: pickle.loads(pickle.dumps(value))])
def test_a_ledger_copies_and_pickles_and_grows_after(duplicate: object) -> None:
    """The shared log holds a lock, which cannot be copied: a copied ledger is the same value
    and grows on a log of its own."""
    ledger = replay([_elected(group(1)), _elected(group(2))])
    assert ledger is not None
    twin = duplicate(ledger)  # type: ignore[operator]
    assert twin == ledger
    assert hash(twin) == hash(ledger)
    grown = evolve(twin, _elected(group(3)))
    assert set(grown) == {group(1), group(2), group(3)}
    assert group(3) not in ledger


# -- values compare by the instant ------------------------------------------------------------
# 2019-11-03 01:30 in New York happens twice: at 05:30 UTC (EDT) and at 06:30 UTC (EST).
FIRST_130 = utc(2019, 11, 3, 5, 30)
SECOND_130 = utc(2019, 11, 3, 6, 30)


def test_elected_in_the_repeated_hour_are_different_events() -> None:
    """Two elections recorded an hour apart in November's repeated hour read the same on a
    New York clock; as events they are different values (and hash apart)."""
    first, second = _elected(at=FIRST_130), _elected(at=SECOND_130)
    assert first.at.replace(tzinfo=None) == second.at.replace(tzinfo=None)  # same wall clock
    assert first != second
    assert len({first, second}) == 2
    assert first == _elected(at=dt.datetime(2019, 11, 3, 5, 30, tzinfo=dt.UTC))
    one = Election(OI, FIRST_130, qr.OrgType.PRACTICE)
    assert one != Election(OI, SECOND_130, qr.OrgType.PRACTICE)
    assert one == Election(OI, FIRST_130.in_timezone("Europe/Paris"), qr.OrgType.PRACTICE)
