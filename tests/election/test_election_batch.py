"""ELE-BATCH-1, ELE-BATCH-2: a registry's upload of elections (Registry Election Process,
steps 5-8)."""

from __future__ import annotations

import json

import attrs
import pytest
from election_helpers import (
    APM_SO,
    ELIGIBLE,
    OPEN,
    PRACTICE_SO,
    PRACTICE_STAFF,
    PY2019,
    PY2019_PUBLISHED,
    REGISTRY_SO,
    REGISTRY_STAFF,
    VIRTUAL_GROUP_SO,
    clinician,
    group,
    utc,
)

import qpp_rules as qr
from qpp_rules.access import Actor
from qpp_rules.decisions import Outcome
from qpp_rules.election import (
    BatchOutcome,
    Choice,
    ChoiceCounts,
    ElectionLedger,
    ElectionResult,
    OptInStatus,
    Participant,
    UploadElections,
    elect,
    elect_batch,
)
from qpp_rules.policy import FrozenMap
from qpp_rules.serialization import converter, from_json, to_json

ND, RV, OI = Choice.NO_DECISION, Choice.VOLUNTARY, Choice.OPT_IN

# Step 5's first page, row by row (groups by TIN, clinicians by TIN/NPI). The guide's TINs
# have 10 digits and its two screenshots disagree (erratum E9): synthetic valid ones here.
PAGE_ONE: list[tuple[Participant, Choice]] = [
    (group(1), ND),
    (group(2), RV),
    (group(3), OI),
    (clinician(4, 4), RV),
    (group(5), OI),
    (group(6), RV),
    (clinician(7, 7), RV),
    (clinician(8, 8), OI),
    (clinician(9, 9), OI),
    (group(10), OI),
]


def _upload() -> dict[Participant, Choice]:
    """Five pages of ten: 3 No Decision, 20 Report Voluntarily, 27 Opt-In (the screen's
    counts), page one as the guide shows it."""
    rows = dict(PAGE_ONE)
    wanted = {ND: 3, RV: 20, OI: 27}
    n = 11
    for choice, total in wanted.items():
        while sum(1 for chosen in rows.values() if chosen is choice) < total:
            participant = group(n) if n % 2 else clinician(n, n)
            rows[participant] = choice
            n += 1
    assert len(rows) == 50
    return rows


UPLOAD = _upload()
STATUSES = dict.fromkeys(UPLOAD, ELIGIBLE)


def _batch(
    choices: object = None,
    *,
    ledger: ElectionLedger | None = None,
    confirmation: str | None = "CONFIRM",
    actor: Actor = REGISTRY_STAFF,
    at: object = OPEN,
    policy: qr.PolicyYear = PY2019,
    statuses: object = None,
) -> ElectionResult:
    return elect_batch(
        ledger,
        UPLOAD if choices is None else choices,  # type: ignore[arg-type]
        at=at,  # type: ignore[arg-type]
        policy=policy,
        confirmation=confirmation,
        actor=actor,
        statuses=STATUSES if statuses is None else statuses,  # type: ignore[arg-type]
    )


def exempt(
    outcome: ElectionResult, choices: object = None, statuses: object = None
) -> tuple[Participant, ...]:
    """The participants the upload of ``choices`` leaves exempt (ELE-CHOICE-1)."""
    command = UploadElections(
        UPLOAD if choices is None else choices, STATUSES if statuses is None else statuses
    )
    return command.left_exempt(outcome.state)


# -- the guide's screens -----------------------------------------------------------------
def test_guide_registry_upload_counts_3_20_27() -> None:
    """Step 6: after Submit Elections the screen shows No Decision 3, Report Voluntarily 20,
    Opt-In 27: the counts per choice, before confirming (ELE-BATCH-1)."""
    before = _batch(confirmation=None)  # submitted, not yet confirmed
    assert dict(before.counts) == {ND: 3, RV: 20, OI: 27}
    assert not before.accepted
    assert before.state is None
    assert not before.events
    assert dict(_batch().counts) == {ND: 3, RV: 20, OI: 27}
    page = _batch(PAGE_ONE, statuses=dict.fromkeys(dict(PAGE_ONE), ELIGIBLE))
    assert dict(page.counts) == {ND: 1, RV: 4, OI: 5}


def test_guide_registry_confirm_makes_47_elections_permanent() -> None:
    """Step 7: typing CONFIRM ('not case sensitive') makes every Opt-in and Report
    voluntarily choice permanent; the 3 No Decision participants 'will not be uploaded and
    will remain MIPS Exempt' (ELE-BATCH-1, ELE-CONF-1)."""
    outcome = _batch(confirmation="confirm")
    assert outcome.accepted
    assert outcome.refusal is None
    assert outcome.state is not None
    assert len(outcome.state) == 47
    assert len(outcome.events) == 47
    assert len(outcome.notifications) == 47
    assert {event.participant for event in outcome.events} == {
        p for p, c in UPLOAD.items() if c is not ND
    }
    assert all(event.by is qr.OrgType.REGISTRY for event in outcome.events)
    assert set(exempt(outcome)) == {p for p, c in UPLOAD.items() if c is ND}
    for participant, choice in UPLOAD.items():
        expected = None if choice is ND else choice
        assert outcome.state.choice_of(participant) is expected
    # Step 8: the group opted in on page one is 'MIPS ELIGIBLE VIA OPT-IN'
    assert outcome.state.choice_of(group(3)) is OI


def test_guide_registry_no_decision_can_elect_later() -> None:
    """ELE-BATCH-1 / ELE-CHOICE-1: 'they will remain exempt unless an election is made
    later'."""
    outcome = _batch()
    for participant in exempt(outcome):
        later = elect(outcome.state, participant, RV, at=OPEN.add(days=3), policy=PY2019,
                      confirmation="CONFIRM", actor=REGISTRY_SO, status=ELIGIBLE)
        assert later.accepted
    second = _batch({group(1): OI}, ledger=outcome.state)
    assert second.accepted
    assert second.state is not None
    assert second.state.choice_of(group(1)) is OI


@pytest.mark.parametrize("typed", [None, "", "cancel", "CONFIRMED"])
def test_guide_registry_cancel_file_upload_changes_nothing(typed: str | None) -> None:
    """'Cancel File Upload ... will cancel the entire upload': a missing or wrong
    confirmation changes nothing, for every participant (ELE-BATCH-1, ELE-CONF-1)."""
    ledger = _batch({group(900): OI}, statuses={group(900): ELIGIBLE}).state
    outcome = _batch(ledger=ledger, confirmation=typed)
    assert not outcome.accepted
    assert outcome.state is ledger
    assert not outcome.events
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-CONF-1",)
    assert "cancelled" in outcome.refusal.explain()


def test_guide_registry_change_my_selections_after_confirming_is_refused() -> None:
    """Erratum E7: after confirmation the selections are permanent; re-uploading them with
    other choices is refused for every participant already elected (ELE-FINAL-1)."""
    first = _batch()
    flipped = {p: (RV if c is OI else OI if c is RV else ND) for p, c in UPLOAD.items()}
    again = _batch(flipped, ledger=first.state)
    assert not again.accepted
    assert again.state is first.state
    assert again.refusal is not None
    assert again.refusal.rule_ids.count("ELE-FINAL-1") == 47


# -- all-or-nothing ----------------------------------------------------------------------
def test_ele_batch_2_one_ineligible_row_refuses_the_whole_upload() -> None:
    """ELE-BATCH-2: an Opt-in row for a MIPS eligible participant refuses the whole upload,
    naming the participant with its TIN masked."""
    statuses = {**STATUSES, group(3): OptInStatus.MIPS_ELIGIBLE}
    outcome = _batch(statuses=statuses)
    assert not outcome.accepted
    assert outcome.state is None
    assert not outcome.events
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-BATCH-2",)
    text = outcome.refusal.explain()
    assert str(group(3)) in text
    assert "*****0003" in text
    assert group(3).tin.value not in text


# (replaces test_no_decision_rows_need_no_eligibility, which pinned No decision rows as
# unchecked)
@pytest.mark.parametrize("status", [OptInStatus.EXEMPT, OptInStatus.MIPS_ELIGIBLE])
def test_ele_batch_2_a_no_decision_row_for_a_participant_not_opt_in_eligible_refuses(
    status: OptInStatus,
) -> None:
    """ELE-BATCH-2: the upload's selection lists only opt-in eligible participants; a No
    decision row for another has no choice to make (as elect refuses it): the whole upload
    is refused, and the row is not left exempt."""
    statuses = {**STATUSES, group(1): status}  # group(1) chose No Decision
    outcome = _batch(statuses=statuses)
    assert not outcome.accepted
    assert outcome.state is None
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-BATCH-2",)
    assert str(group(1)) in outcome.refusal.explain()
    assert group(1) not in exempt(outcome, statuses=statuses)
    nd = {p for p, c in UPLOAD.items() if c is ND}
    assert set(exempt(outcome, statuses=statuses)) == nd - {group(1)}


def test_ele_final_1_a_no_decision_row_cannot_undo_an_election() -> None:
    """ELE-FINAL-1: a participant already opted in, uploaded again with No decision ('will
    remain MIPS Exempt'), is not left exempt: the selections 'are permanent and cannot be
    changed later', so the upload is refused and the election stands."""
    ledger = _batch({group(900): OI}, statuses={group(900): ELIGIBLE}).state
    assert ledger is not None
    rows = {group(900): ND, group(901): ND, group(902): RV}
    outcome = _batch(rows, ledger=ledger, statuses=dict.fromkeys(rows, ELIGIBLE))
    assert not outcome.accepted
    assert outcome.state is ledger
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-FINAL-1",)
    assert "cannot undo" in outcome.refusal.explain()
    assert exempt(outcome, rows, dict.fromkeys(rows, ELIGIBLE)) == (group(901),)
    assert ledger.choice_of(group(900)) is OI


def test_ele_choice_1_left_exempt_lists_only_opt_in_eligible_participants_not_elected() -> None:
    """ELE-CHOICE-1 / ELE-BATCH-1: 'No Decision ... will remain MIPS Exempt' holds only for
    opt-in eligible participants that have not elected; left_exempt lists exactly those."""
    rows = {group(1): ND, group(2): OI, clinician(3, 3): ND}
    outcome = _batch(rows, statuses=dict.fromkeys(rows, ELIGIBLE))
    assert outcome.accepted
    assert exempt(outcome, rows, dict.fromkeys(rows, ELIGIBLE)) == (group(1), clinician(3, 3))
    assert outcome.state is not None
    assert group(1) not in outcome.state
    assert clinician(3, 3) not in outcome.state


def test_every_refused_row_is_named_masked() -> None:
    statuses = {**STATUSES, group(2): OptInStatus.EXEMPT, clinician(8, 8): OptInStatus.EXEMPT}
    ledger = _batch({group(5): OI}, statuses={group(5): ELIGIBLE}).state
    outcome = _batch(ledger=ledger, statuses=statuses)
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-BATCH-2", "ELE-FINAL-1", "ELE-BATCH-2")
    text = outcome.explain()
    for participant in (group(2), group(5), clinician(8, 8)):
        assert str(participant) in text
    for participant in UPLOAD:
        assert participant.tin.value not in text
        assert participant.tin.value not in repr(outcome)


def test_a_participant_listed_twice_refuses_the_upload() -> None:
    """ELE-BATCH-1: one choice per participant."""
    rows = [(group(1), OI), (group(2), RV), (group(1), RV)]
    outcome = _batch(rows, statuses={group(1): ELIGIBLE, group(2): ELIGIBLE})
    assert not outcome.accepted
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-BATCH-1",)
    assert "listed more than once" in outcome.refusal.explain()


@pytest.mark.parametrize(("at", "policy", "accepted"), [
    (utc(2020, 1, 2, 14, 59, 59, 999999), PY2019, False),
    (utc(2020, 1, 2, 15), PY2019, True),
    (utc(2020, 3, 31, 23, 59, 59, 999999), PY2019_PUBLISHED, True),
    (utc(2020, 4, 1), PY2019_PUBLISHED, False),
    (utc(2020, 4, 30, 23, 59, 59, 999999), PY2019, True),
    (utc(2020, 5, 1), PY2019, False),
])
def test_ele_win_1_batch_window_edges(at: object, policy: qr.PolicyYear,
                                      accepted: bool) -> None:
    outcome = _batch(at=at, policy=policy)
    assert outcome.accepted is accepted
    if not accepted:
        assert outcome.refusal is not None
        assert outcome.refusal.rule_ids == ("ELE-WIN-1",)


# -- who uploads ------------------------------------------------------------------------------
@pytest.mark.parametrize("actor", [REGISTRY_SO, REGISTRY_STAFF])
def test_ele_who_1_a_registry_may_batch(actor: Actor) -> None:
    assert _batch(actor=actor).accepted


@pytest.mark.parametrize(("actor", "words"), [
    (PRACTICE_SO, "participant by participant"),
    (PRACTICE_STAFF, "participant by participant"),
    (APM_SO, "different election process"),
    (VIRTUAL_GROUP_SO, "not covered"),
])
def test_ele_who_1_others_may_not_batch(actor: Actor, words: str) -> None:
    outcome = _batch(actor=actor)
    assert not outcome.accepted
    assert outcome.state is None
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-WHO-1",)
    assert words in outcome.refusal.explain()


# -- edges and input ---------------------------------------------------------------------------
def test_only_no_decision_or_empty_upload_records_nothing() -> None:
    only = _batch({group(1): ND}, statuses={group(1): ELIGIBLE})
    assert only.accepted
    assert only.state is None
    assert exempt(only, {group(1): ND}, {group(1): ELIGIBLE}) == (group(1),)
    assert only.counts == {ND: 1}
    empty = _batch({}, statuses={})
    assert empty.accepted
    assert empty.state is None
    assert empty.counts == {}  # was {ND: 0, RV: 0, OI: 0}: counts keep non-zero entries only
    assert (empty.counts[ND], empty.counts[RV], empty.counts[OI]) == (0, 0, 0)


def test_explain_shows_counts() -> None:
    text = _batch(confirmation=None).explain()
    assert text.startswith("Opt-in: 27, Report voluntarily: 20, No decision: 3")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"choices": "abc"}, "choices"),
    ({"choices": 5}, "choices"),
    ({"choices": [(group(1),)]}, r"choices\[0\]"),
    ({"choices": [("123456789", OI)]}, r"choices\[0\]"),
    ({"choices": {group(1): "Opt-in"}}, "choices"),
    ({"choices": {group(1): OI}, "statuses": {}}, "statuses"),
    ({"choices": {group(1): OI}, "statuses": {group(1): "eligible"}}, "statuses"),
    ({"statuses": [1]}, "statuses"),
    ({"confirmation": 1}, "confirmation"),
    ({"at": "2020-02-03T12:00:00Z"}, "at"),
    ({"actor": None}, "actor"),
    ({"ledger": ElectionLedger(2018)}, "ledger"),
])
def test_bad_input_raises_invalid_input(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(qr.InvalidInput, match=field):
        _batch(**kwargs)  # type: ignore[arg-type]


def test_missing_status_message_is_masked() -> None:
    secret = group(12345678)
    with pytest.raises(qr.InvalidInput) as caught:
        _batch({secret: OI}, statuses={})
    assert secret.tin.value not in str(caught.value)
    assert "*****5678" in str(caught.value)


# -- ELE-BATCH-1: the counts per choice -------------------------------------------------------
def test_ele_batch_1_counts_hold_only_non_zero_choices() -> None:
    """ELE-BATCH-1: the counts compare equal to a plain dict of the non-zero counts, and a
    choice no row made answers 0."""
    outcome = _batch({group(1): OI}, statuses={group(1): ELIGIBLE})
    assert outcome.counts == {OI: 1}
    assert outcome.counts != {OI: 1, RV: 0, ND: 0}
    assert outcome.counts[ND] == 0
    assert outcome.counts[RV] == 0
    assert outcome.counts.get(ND) == 0
    assert ND not in outcome.counts
    assert list(outcome.counts) == [OI]
    assert len(outcome.counts) == 1
    assert isinstance(outcome.counts, ChoiceCounts)
    assert isinstance(outcome.counts, FrozenMap)
    with pytest.raises(KeyError):
        outcome.counts["Opt-in"]  # only Choices answer 0


def test_ele_batch_1_counts_are_immutable_and_hashable() -> None:
    counts = _batch().counts
    assert isinstance(counts, ChoiceCounts)
    assert counts == {ND: 3, RV: 20, OI: 27}
    assert counts.total() == 50
    assert hash(counts) == hash(ChoiceCounts({OI: 27, RV: 20, ND: 3}))
    assert hash(counts) == hash(FrozenMap({OI: 27, RV: 20, ND: 3}))
    assert counts.set(ND, 0) == {RV: 20, OI: 27}
    assert counts == {ND: 3, RV: 20, OI: 27}  # set made a copy
    with pytest.raises(TypeError):
        counts[ND] = 4  # type: ignore[index]
    with pytest.raises(AttributeError):
        counts.extra = 1  # type: ignore[attr-defined]
    assert hash(_batch()) == hash(_batch())


@pytest.mark.parametrize(("data", "field"), [
    ({OI: -1}, r"counts\[Opt-in\]"),
    ({OI: True}, r"counts\[Opt-in\]"),
    ({OI: 1.0}, r"counts\[Opt-in\]"),
    ({"Opt-in": 1}, "counts"),
    ([(OI, 1)], "counts"),
])
def test_ele_batch_1_counts_refuse_junk(data: object, field: str) -> None:
    with pytest.raises(qr.InvalidInput, match=field):
        ChoiceCounts(data)  # type: ignore[arg-type]


def test_ele_batch_1_counts_ride_on_the_one_outcome() -> None:
    """An upload's counts are a ChoiceCounts on the one Outcome type of every domain (zeros
    dropped); a single election's outcome has none."""
    outcome = _batch({group(1): OI, group(2): OI}, statuses=dict.fromkeys((group(1), group(2)),
                                                                          ELIGIBLE))
    assert isinstance(outcome, Outcome)
    assert BatchOutcome is Outcome  # the name stays, for the one type
    assert isinstance(outcome.counts, ChoiceCounts)
    assert outcome.counts == {OI: 2}
    single = elect(None, group(1), OI, at=OPEN, policy=PY2019, confirmation="CONFIRM",
                   actor=Actor(qr.OrgType.PRACTICE, qr.Role.STAFF_USER), status=ELIGIBLE)
    assert single.counts is None


@pytest.mark.parametrize("confirmation", ["CONFIRM", None])
def test_ele_batch_1_outcome_round_trips_through_the_converter(
    confirmation: str | None,
) -> None:
    """The upload's outcome (ledger, events, refusal) and its counts serialize with the
    library's converter; read back as ElectionResult. The counts ride untyped (``counts`` is
    typed Any on the one Outcome), so they are compared as their JSON form."""
    outcome = _batch(confirmation=confirmation)
    text = to_json(outcome)
    back = from_json(text, ElectionResult)
    assert attrs.evolve(back, counts=outcome.counts) == outcome
    assert outcome.counts[ND] == 3
    assert json.loads(text)["counts"] == {"No decision": 3, "Opt-in": 27,
                                          "Report voluntarily": 20}
    few = _batch({group(1): OI}, statuses={group(1): ELIGIBLE})
    plain = converter.unstructure(few)
    assert plain["counts"] == {"Opt-in": 1}
    assert attrs.evolve(converter.structure(plain, ElectionResult), counts=few.counts) == few
