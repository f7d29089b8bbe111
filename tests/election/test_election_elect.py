"""One election: the guide's practice screens, the window edges, confirmation, who may
elect, finality (ELE-WIN-1, ELE-CONF-1, ELE-WHO-1, ELE-FINAL-1, ELE-BATCH-2, ELE-CHOICE-1)."""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import pytest
from election_helpers import (
    ALL_ACTORS,
    APM_SO,
    APM_STAFF,
    ELIGIBLE,
    OPEN,
    PRACTICE_SO,
    PRACTICE_STAFF,
    PY2018,
    PY2019,
    PY2019_PUBLISHED,
    PY2021,
    REGISTRY_SO,
    REGISTRY_STAFF,
    SCREEN_FACTS,
    VIRTUAL_GROUP_SO,
    group,
    utc,
)

import qpp_rules as qr
from qpp_rules.access import Actor
from qpp_rules.election import (
    Choice,
    Elected,
    ElectionLedger,
    ElectionResult,
    OptInStatus,
    Participant,
    elect,
    evolve,
    individual_election_needed,
    may_submit_data,
    opt_in_status,
    outcome_of,
)

# Debara Jones at Miami Medical: "NPI: 1234567890 | TIN: 123456789" (the NPI fails the check
# digit, as in CMS's own samples: read without it).
DEBARA = Participant(qr.TIN("123456789"), qr.NPI("1234567890", check_digit=False))
MIAMI_MEDICAL = Participant(qr.TIN("123456789"))
# Greenville Podiatry: "TIN: 123456789" (its summary also shows a 10-digit TIN, erratum E9).
GREENVILLE = Participant(qr.TIN("123456789"))


def _elect(
    choice: Choice = Choice.OPT_IN,
    *,
    ledger: ElectionLedger | None = None,
    participant: Participant = GREENVILLE,
    at: pendulum.DateTime | dt.datetime = OPEN,
    policy: qr.PolicyYear = PY2019,
    confirmation: str | None = "CONFIRM",
    actor: Actor = PRACTICE_SO,
    status: OptInStatus = ELIGIBLE,
) -> ElectionResult:
    return elect(ledger, participant, choice, at=at, policy=policy,  # type: ignore[arg-type]
                 confirmation=confirmation, actor=actor, status=status)


# -- the guide's screens ---------------------------------------------------------------------
def test_guide_debara_jones_individual_opt_in_by_staff_user() -> None:
    """Individual Reporting, steps 3-7: Debara Jones at Miami Medical is opt-in eligible as
    an individual (and her practice as a group); a practice representative (a Staff User)
    elects Opt-in, types CONFIRM, then starts reporting (ELE-WHO-1, ELE-CONF-1)."""
    # The practice summary: 150 patients, $90,300, 234 services: opt-in eligible as a group.
    assert opt_in_status(SCREEN_FACTS, PY2019) is OptInStatus.OPT_IN_ELIGIBLE
    # Her own numbers are not shown; the screen gives her status: opt-in eligible (a fact).
    assert not may_submit_data(None, DEBARA, status=ELIGIBLE, at=OPEN, policy=PY2019)
    outcome = _elect(Choice.OPT_IN, participant=DEBARA, actor=PRACTICE_STAFF,
                     confirmation="confirm")  # "This text field is not case sensitive."
    assert outcome.accepted
    assert outcome.refusal is None
    assert outcome.state is not None
    assert outcome.state.choice_of(DEBARA) is Choice.OPT_IN
    assert outcome.state.choice_of(MIAMI_MEDICAL) is None  # individual and group: separate
    (event,) = outcome.events
    assert event == Elected(2019, DEBARA, Choice.OPT_IN, OPEN, qr.OrgType.PRACTICE)
    # Step 7: Start Reporting
    assert may_submit_data(outcome.state, DEBARA, status=ELIGIBLE, at=OPEN, policy=PY2019)
    # "By electing to Opt-In, you become MIPS eligible. ... a payment adjustment in 2021."
    result = outcome_of(Choice.OPT_IN, policy=PY2019)
    assert result.becomes_mips_eligible
    assert result.payment_year == 2021


def test_guide_debara_jones_voluntary_is_feedback_only() -> None:
    """'By voluntarily reporting MIPS data, you will receive performance feedback for
    informational purposes only. You will not receive a payment adjustment in 2021.'"""
    outcome = _elect(Choice.VOLUNTARY, participant=DEBARA, actor=PRACTICE_STAFF)
    assert outcome.accepted
    assert outcome.state is not None
    assert outcome.state.choice_of(DEBARA) is Choice.VOLUNTARY
    result = outcome_of(Choice.VOLUNTARY)
    assert result.performance_feedback
    assert not result.payment_adjustment


def test_guide_debara_jones_group_practice_needs_no_individual_election() -> None:
    """ELE-WHO-2: 'Is your practice participating as a group? You don't need to make an
    election for individual clinicians unless they are also submitting individual data.'"""
    assert not individual_election_needed(ELIGIBLE, submits_individual_data=False,
                                          practice_reports_as_group=True)
    assert individual_election_needed(ELIGIBLE, submits_individual_data=True,
                                      practice_reports_as_group=True)


def test_guide_not_opt_in_eligible_sees_start_reporting() -> None:
    """ELE-BATCH-2: 'Clinicians that are not opt-in eligible will see Start Reporting': a MIPS
    eligible participant reports without an election, and an election for it is refused."""
    mips = OptInStatus.MIPS_ELIGIBLE
    decision = may_submit_data(None, DEBARA, status=mips, at=OPEN, policy=PY2019)
    assert decision
    assert decision.rule_ids == ("ELE-BATCH-2",)
    refused = _elect(participant=DEBARA, status=mips)
    assert not refused.accepted
    assert refused.refusal is not None
    assert refused.refusal.rule_ids == ("ELE-BATCH-2",)
    exempt = _elect(participant=DEBARA, status=OptInStatus.EXEMPT)
    assert exempt.refusal is not None
    assert exempt.refusal.rule_ids == ("ELE-BATCH-2",)


def test_guide_greenville_podiatry_group_opt_in() -> None:
    """Group Reporting, steps 3-6: Greenville Podiatry (150 patients, $90,300, 234 services)
    is opt-in eligible as a group; it opts in, types CONFIRM; 'Greenville Podiatry has been
    successfully opted in to report for the 2019 performance year'; it 'will become MIPS
    eligible ... and will receive a final score and 2021 payment adjustment based on any data
    submitted or not submitted. This election is permanent and cannot be changed later.'"""
    status = opt_in_status(SCREEN_FACTS, PY2019)
    assert status is OptInStatus.OPT_IN_ELIGIBLE
    outcome = _elect(Choice.OPT_IN, participant=GREENVILLE, status=status)
    assert outcome.accepted
    assert outcome.state is not None
    assert outcome.state.choice_of(GREENVILLE) is Choice.OPT_IN
    (note,) = outcome.notifications
    assert "successfully opted in" in note
    assert "2019 performance year" in note
    result = outcome_of(Choice.OPT_IN, group=True, policy=PY2019)
    assert result.final_score
    assert result.payment_adjustment
    assert result.adjusts_every_clinician
    assert result.payment_year == 2021
    assert "any data submitted or not submitted" in result.explain()
    # permanent: 'Cancel' after confirming changes nothing (ELE-FINAL-1, erratum E7)
    again = _elect(Choice.VOLUNTARY, ledger=outcome.state, participant=GREENVILLE)
    assert not again.accepted
    assert again.refusal is not None
    assert again.refusal.rule_ids == ("ELE-FINAL-1",)
    assert "erratum E7" in again.refusal.explain()
    assert again.state is outcome.state


def test_guide_greenville_podiatry_group_voluntary_has_final_score() -> None:
    """Group Reporting step 4: Report Voluntarily gives the practice 'a MIPS final score
    based on a group submission, but no payment adjustment for the MIPS eligible
    clinicians' (ELE-OUT-2)."""
    outcome = _elect(Choice.VOLUNTARY, participant=GREENVILLE)
    assert outcome.accepted
    result = outcome_of(Choice.VOLUNTARY, group=True)
    assert result.final_score
    assert not result.payment_adjustment


# -- ELE-WIN-1: every edge, in UTC ------------------------------------------------------------
@pytest.mark.parametrize(("policy", "at", "accepted"), [
    # opens 2020-01-02 10:00 am ET (EST) = 15:00Z
    (PY2019, utc(2020, 1, 2, 14, 59, 59, 999999), False),
    (PY2019, utc(2020, 1, 2, 15), True),
    (PY2019_PUBLISHED, utc(2020, 1, 2, 14, 59, 59, 999999), False),
    (PY2019_PUBLISHED, utc(2020, 1, 2, 15), True),
    # published close: 2020-03-31 8:00 pm EDT = 2020-04-01 00:00Z
    (PY2019_PUBLISHED, utc(2020, 3, 31, 23, 59, 59, 999999), True),
    (PY2019_PUBLISHED, utc(2020, 4, 1), False),
    # amendment A1 (the default policy): 2020-04-30 8:00 pm EDT = 2020-05-01 00:00Z
    (PY2019, utc(2020, 4, 1), True),
    (PY2019, utc(2020, 4, 30, 23, 59, 59, 999999), True),
    (PY2019, utc(2020, 5, 1), False),
])
def test_ele_win_1_edges_in_utc(policy: qr.PolicyYear, at: pendulum.DateTime,
                                accepted: bool) -> None:
    """ELE-WIN-1: the window is half-open; the first and last instants, in UTC."""
    outcome = _elect(at=at, policy=policy)
    assert outcome.accepted is accepted
    if not accepted:
        assert outcome.refusal is not None
        assert outcome.refusal.rule_ids == ("ELE-WIN-1",)


def test_ele_win_1_a1_is_default_and_as_of_gives_published() -> None:
    """ELE-WIN-1 with amendment A1: policy_for(2019) applies it; as of 2020-03-21 the
    published close stands."""
    assert PY2019.election.window is not None
    assert PY2019_PUBLISHED.election.window is not None
    assert PY2019.election.window.closes == utc(2020, 5, 1)
    assert PY2019_PUBLISHED.election.window.closes == utc(2020, 4, 1)
    refusal = _elect(at=utc(2020, 5, 1)).refusal
    assert refusal is not None
    assert "as amended by A1" in refusal.explain()
    published = _elect(at=utc(2020, 4, 1), policy=PY2019_PUBLISHED).refusal
    assert published is not None
    assert "has closed" in published.explain()


def test_ele_win_1_stdlib_utc_datetime_is_an_instant() -> None:
    at = dt.datetime(2020, 1, 2, 15, tzinfo=dt.UTC)
    assert _elect(at=at).accepted
    before = dt.datetime(2020, 1, 2, 14, 59, 59, 999999, tzinfo=dt.UTC)
    refusal = _elect(at=before).refusal
    assert refusal is not None
    assert "has not opened yet" in refusal.explain()


def test_ele_win_1_naive_datetime_is_refused_as_input() -> None:
    with pytest.raises(qr.NaiveDateTime, match="at"):
        _elect(at=dt.datetime(2020, 2, 3, 12))


@pytest.mark.parametrize("policy", [PY2021, PY2018])
def test_ele_win_1_unknown_window_refuses(policy: qr.PolicyYear) -> None:
    """ELE-WIN-1: a year whose window the library does not know (PY2021) refuses, saying
    so; PY2018 has no election at all."""
    assert policy.election.window is None
    outcome = _elect(at=qr.eastern(policy.year + 1, 2, 1), policy=policy)
    assert not outcome.accepted
    assert outcome.refusal is not None
    assert "ELE-WIN-1" in outcome.refusal.rule_ids
    if policy is PY2021:
        assert outcome.refusal.rule_ids == ("ELE-WIN-1",)
        assert "not known" in outcome.refusal.explain()
    else:
        assert set(outcome.refusal.rule_ids) == {"ELE-WHO-1", "ELE-WIN-1", "ELE-ELIG-1"}


# -- ELE-CONF-1 -----------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["CONFIRM", "confirm", "Confirm", "cOnFiRm", "  CONFIRM  ",
                                   "\tconfirm\n"])
def test_ele_conf_1_case_insensitive_whitespace_ignored(typed: str) -> None:
    assert _elect(confirmation=typed).accepted


@pytest.mark.parametrize("typed", [None, "", " ", "CONFIRMED", "CONFIRM!", "C O N F I R M",
                                   "yes", "CONFRIM", "CONFIRM CONFIRM"])
def test_ele_conf_1_anything_else_confirms_nothing(typed: str | None) -> None:
    outcome = _elect(confirmation=typed)
    assert not outcome.accepted
    assert outcome.state is None
    assert not outcome.events
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-CONF-1",)


def test_ele_conf_1_word_is_the_policy_value() -> None:
    assert PY2019.election.confirmation_word == "CONFIRM"
    assert PY2019.errata["election.confirmation_word"].id == "E7"
    other = qr.reform(PY2019, {"election.confirmation_word": "AGREE"}, label="agree")
    assert _elect(policy=other, confirmation=" agree ").accepted
    assert not _elect(policy=other, confirmation="CONFIRM").accepted


def test_ele_conf_1_confirmation_must_be_text() -> None:
    with pytest.raises(qr.InvalidInput, match="confirmation"):
        _elect(confirmation=True)  # type: ignore[arg-type]


# -- ELE-WHO-1 --------------------------------------------------------------------------------
@pytest.mark.parametrize("actor", [PRACTICE_SO, PRACTICE_STAFF, REGISTRY_SO, REGISTRY_STAFF])
def test_ele_who_1_practice_representatives_and_registries_elect(actor: Actor) -> None:
    """ELE-WHO-1: the Practice's Security Officials and Staff Users; a Registry for its
    client."""
    assert _elect(actor=actor).accepted


@pytest.mark.parametrize(("actor", "words"), [
    (APM_SO, "different election process"),
    (APM_STAFF, "different election process"),
    (VIRTUAL_GROUP_SO, "not covered"),
    (Actor(qr.OrgType.VIRTUAL_GROUP, qr.Role.STAFF_USER), "not covered"),
])
def test_ele_who_1_apm_entities_and_virtual_groups_may_not(actor: Actor, words: str) -> None:
    """ELE-WHO-1: APM Entities have their own process; virtual groups are not covered."""
    outcome = _elect(actor=actor)
    assert not outcome.accepted
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-WHO-1",)
    assert words in outcome.refusal.explain()


def test_ele_who_1_kinds_come_from_the_policy() -> None:
    assert PY2019.election.may_elect == frozenset({qr.OrgType.PRACTICE, qr.OrgType.REGISTRY})
    assert PY2018.election.may_elect == frozenset()
    practice_only = qr.reform(PY2019, {"election.may_elect": frozenset({qr.OrgType.PRACTICE})},
                              label="practices only")
    refusal = _elect(policy=practice_only, actor=REGISTRY_SO).refusal
    assert refusal is not None
    assert refusal.rule_ids == ("ELE-WHO-1",)


# -- ELE-FINAL-1, ELE-CHOICE-1, ELE-ELIG-1 --------------------------------------------------
def test_ele_final_1_never_twice_even_the_same_choice() -> None:
    first = _elect(Choice.OPT_IN)
    for choice in (Choice.OPT_IN, Choice.VOLUNTARY):
        again = _elect(choice, ledger=first.state)
        assert not again.accepted
        assert again.state is first.state
        assert again.refusal is not None
        assert again.refusal.rule_ids == ("ELE-FINAL-1",)


def test_ele_final_1_evolve_refuses_a_second_event() -> None:
    first = _elect(Choice.OPT_IN)
    event = Elected(2019, GREENVILLE, Choice.VOLUNTARY, OPEN, qr.OrgType.PRACTICE)
    with pytest.raises(qr.InvalidInput, match="ELE-FINAL-1"):
        evolve(first.state, event)


def test_ele_final_1_other_participants_still_elect() -> None:
    first = _elect(Choice.OPT_IN)
    other = _elect(Choice.VOLUNTARY, ledger=first.state, participant=group(42))
    assert other.accepted
    assert other.state is not None
    assert len(other.state) == 2
    assert first.state is not None
    assert len(first.state) == 1  # the old ledger is unchanged


def test_ele_choice_1_no_decision_records_nothing_and_can_elect_later() -> None:
    """ELE-CHOICE-1: No decision records nothing; the participant stays exempt and can still
    elect later inside the window."""
    nothing = _elect(Choice.NO_DECISION)
    assert nothing.accepted
    assert nothing.state is None
    assert not nothing.events
    later = _elect(Choice.OPT_IN, ledger=nothing.state, at=OPEN.add(days=10))
    assert later.accepted
    assert later.state is not None
    assert later.state.choice_of(GREENVILLE) is Choice.OPT_IN


def test_ele_elig_1_year_without_opt_in_refuses_even_a_claimed_status() -> None:
    election = attrs.evolve(PY2019.election, opt_in=False, window=None)
    no_opt_in = attrs.evolve(PY2019, election=election, label="no opt-in")
    outcome = _elect(policy=no_opt_in)
    assert outcome.refusal is not None
    assert "ELE-ELIG-1" in outcome.refusal.rule_ids


def test_every_failing_rule_is_named() -> None:
    ledger = _elect().state
    outcome = _elect(ledger=ledger, at=utc(2020, 6, 1), confirmation="no", actor=APM_SO,
                     status=OptInStatus.MIPS_ELIGIBLE)
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == (
        "ELE-WHO-1", "ELE-WIN-1", "ELE-BATCH-2", "ELE-FINAL-1", "ELE-CONF-1"
    )
    assert outcome.state is ledger


def test_refusals_are_shared_and_deterministic() -> None:
    one = _elect(actor=APM_SO)
    two = _elect(actor=APM_SO)
    assert one == two
    assert one.refusal is two.refusal


def test_tin_never_unmasked() -> None:
    secret = Participant(qr.TIN("987654321"))
    first = elect(None, secret, Choice.OPT_IN, at=OPEN, policy=PY2019, confirmation="CONFIRM",
                  actor=PRACTICE_SO, status=ELIGIBLE)
    again = elect(first.state, secret, Choice.OPT_IN, at=OPEN, policy=PY2019,
                  confirmation="CONFIRM", actor=PRACTICE_SO, status=ELIGIBLE)
    for text in (repr(first), str(first.explain()), repr(again), again.explain(),
                 repr(first.state), str(first.events[0]), first.notifications[0]):
        assert "987654321" not in text
        assert "98765" not in text


# -- ELE-WIN-1: data only after an election -------------------------------------------------
def test_ele_win_1_may_submit_data() -> None:
    ledger = _elect().state
    assert may_submit_data(ledger, GREENVILLE, status=ELIGIBLE, at=OPEN, policy=PY2019)
    late = may_submit_data(ledger, GREENVILLE, status=ELIGIBLE, at=utc(2020, 5, 1),
                           policy=PY2019)
    assert not late
    assert late.rule_ids == ("ELE-WIN-1",)
    exempt = may_submit_data(None, group(7), status=OptInStatus.EXEMPT, at=OPEN, policy=PY2019)
    assert not exempt
    assert exempt.rule_ids == ("ELE-ELIG-1",)
    unknown = may_submit_data(None, group(7), status=OptInStatus.MIPS_ELIGIBLE,
                              at=qr.eastern(2022, 2, 1), policy=PY2021)
    assert not unknown
    assert "not known" in unknown.explain()


# -- malformed input raises, naming the field -----------------------------------------------
@pytest.mark.parametrize(("change", "field"), [
    ({"participant": "123456789"}, "participant"),
    ({"choice": "Opt-in"}, "choice"),
    ({"policy": 2019}, "policy"),
    ({"actor": "Practice"}, "actor"),
    ({"status": "Opt-in eligible"}, "status"),
    ({"at": "2020-02-03"}, "at"),
    ({"ledger": {}}, "ledger"),
    ({"ledger": ElectionLedger(2021)}, "ledger"),
])
def test_bad_input_raises_invalid_input(change: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {
        "ledger": None, "participant": GREENVILLE, "choice": Choice.OPT_IN, "at": OPEN,
        "policy": PY2019, "confirmation": "CONFIRM", "actor": PRACTICE_SO, "status": ELIGIBLE,
    }
    arguments.update(change)
    with pytest.raises(qr.InvalidInput, match=field):
        elect(arguments.pop("ledger"), arguments.pop("participant"),  # type: ignore[arg-type]
              arguments.pop("choice"), **arguments)  # type: ignore[arg-type]


def test_participant_values() -> None:
    with pytest.raises(qr.InvalidIdentifier):
        Participant("12345")
    with pytest.raises(qr.InvalidInput, match=r"participant\.tin"):
        Participant(123456789.0)
    with pytest.raises(qr.InvalidInput, match=r"participant\.npi"):
        Participant("123456789", 1234567893.0)
    assert Participant("12-3456789") == GREENVILLE
    assert len({GREENVILLE, Participant("123456789"), DEBARA}) == 2
    assert DEBARA.is_group is False
    assert GREENVILLE.is_group is True


# -- No decision is checked like any choice (ELE-CHOICE-1 with ELE-WHO-1, ELE-WIN-1,
#    ELE-BATCH-2, ELE-FINAL-1), but needs no confirmation -----------------------------------
# (replaces test_no_decision_never_refused, which pinned No decision as never refused)
@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_ele_who_1_no_decision_only_by_who_may_elect(actor: Actor) -> None:
    """ELE-WHO-1: No decision is a choice of the election process: only a practice
    representative or a registry makes it; an APM Entity or virtual group actor is refused."""
    outcome = _elect(Choice.NO_DECISION, actor=actor)
    may = actor.kind in (qr.OrgType.PRACTICE, qr.OrgType.REGISTRY)
    assert outcome.accepted is may
    assert not outcome.events
    assert outcome.state is None
    if not may:
        assert outcome.refusal is not None
        assert outcome.refusal.rule_ids == ("ELE-WHO-1",)


def test_ele_choice_1_py2018_apm_entity_no_decision_for_mips_eligible_refused_per_rule() -> None:
    """ELE-CHOICE-1 with ELE-WHO-1, ELE-ELIG-1: PY2018 (no opt-in, no window), an APM
    Entity Staff User, a MIPS eligible participant: refused, naming each rule."""
    outcome = _elect(Choice.NO_DECISION, policy=PY2018, actor=APM_STAFF,
                     status=OptInStatus.MIPS_ELIGIBLE, at=qr.eastern(2019, 2, 1))
    assert not outcome.accepted
    assert outcome.state is None
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-WHO-1", "ELE-WIN-1", "ELE-ELIG-1")


@pytest.mark.parametrize(("at", "policy", "accepted"), [
    (utc(2020, 1, 2, 14, 59, 59, 999999), PY2019, False),
    (utc(2020, 1, 2, 15), PY2019, True),
    (utc(2020, 3, 31, 23, 59, 59, 999999), PY2019_PUBLISHED, True),
    (utc(2020, 4, 1), PY2019_PUBLISHED, False),
    (utc(2020, 4, 30, 23, 59, 59, 999999), PY2019, True),
    (utc(2020, 5, 1), PY2019, False),
    (utc(2022, 2, 1), PY2021, False),  # the PY2021 window is not known
])
def test_ele_win_1_no_decision_only_inside_the_window(
    at: pendulum.DateTime, policy: qr.PolicyYear, accepted: bool
) -> None:
    """ELE-WIN-1: No decision, like an election, only inside the election window (first and
    last instants in UTC)."""
    outcome = _elect(Choice.NO_DECISION, at=at, policy=policy)
    assert outcome.accepted is accepted
    if not accepted:
        assert outcome.refusal is not None
        assert outcome.refusal.rule_ids == ("ELE-WIN-1",)


@pytest.mark.parametrize("status", [OptInStatus.EXEMPT, OptInStatus.MIPS_ELIGIBLE])
def test_ele_batch_2_no_decision_only_for_an_opt_in_eligible_participant(
    status: OptInStatus,
) -> None:
    """ELE-BATCH-2: a participant that is not opt-in eligible has no choice to make, not
    even No decision."""
    outcome = _elect(Choice.NO_DECISION, status=status)
    assert not outcome.accepted
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-BATCH-2",)
    assert "not even No decision" in outcome.refusal.explain()


@pytest.mark.parametrize("first", [Choice.OPT_IN, Choice.VOLUNTARY])
def test_ele_final_1_no_decision_cannot_undo_an_election(first: Choice) -> None:
    """ELE-FINAL-1: a participant that already elected cannot now choose No decision (it
    would leave it MIPS exempt); the ledger is unchanged."""
    ledger = _elect(first).state
    assert ledger is not None
    outcome = _elect(Choice.NO_DECISION, ledger=ledger, at=OPEN.add(days=1))
    assert not outcome.accepted
    assert outcome.state is ledger
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-FINAL-1",)
    assert "cannot undo" in outcome.refusal.explain()
    assert ledger.choice_of(GREENVILLE) is first


@pytest.mark.parametrize("typed", [None, "", "no", "CONFIRM"])
def test_ele_choice_1_no_decision_needs_no_confirmation(typed: str | None) -> None:
    """ELE-CHOICE-1 / ELE-CONF-1: No decision records nothing, so nothing is confirmed:
    accepted whatever was typed, with no event, no notification and the ledger unchanged;
    the participant stays exempt and may elect later."""
    ledger = _elect(participant=group(77)).state
    outcome = _elect(Choice.NO_DECISION, ledger=ledger, confirmation=typed)
    assert outcome.accepted
    assert outcome.refusal is None
    assert outcome.state is ledger
    assert not outcome.events
    assert not outcome.notifications
    later = _elect(Choice.VOLUNTARY, ledger=outcome.state, at=OPEN.add(days=2))
    assert later.accepted
    assert later.state is not None
    assert later.state.choice_of(GREENVILLE) is Choice.VOLUNTARY


def test_ele_choice_1_no_decision_refusal_names_every_failing_rule_but_confirmation() -> None:
    ledger = _elect().state
    outcome = _elect(Choice.NO_DECISION, ledger=ledger, at=utc(2020, 6, 1), confirmation="no",
                     actor=APM_SO, status=OptInStatus.MIPS_ELIGIBLE)
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-WHO-1", "ELE-WIN-1", "ELE-BATCH-2", "ELE-FINAL-1")
    assert outcome.state is ledger


# -- Participant: the guide's own example identifiers ----------------------------------------
def test_ele_elig_1_guides_debara_jones_npi_is_taken_as_given() -> None:
    """ELE-ELIG-1 participants: the guide's NPI 1234567890 fails the check digit. Text is
    validated strictly; an NPI instance built with check_digit=False is taken as given."""
    with pytest.raises(qr.InvalidChecksum):
        Participant("123456789", "1234567890")
    debara = Participant("123456789", qr.NPI("1234567890", check_digit=False))
    assert debara == DEBARA
    assert debara.npi is not None
    assert debara.npi.value == "1234567890"
    assert str(debara) == "TIN *****6789 NPI 1234567890"
    outcome = _elect(Choice.OPT_IN, participant=debara, actor=PRACTICE_STAFF)
    assert outcome.accepted
    assert outcome.state is not None
    assert outcome.state.choice_of(debara) is Choice.OPT_IN
    with pytest.raises(qr.InvalidIdentifier):  # the guide's 10-digit TINs are not TINs
        Participant("1234567890")
