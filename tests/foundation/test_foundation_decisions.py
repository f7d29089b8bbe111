"""Decisions, errors and the shared vocabulary.

Decision(allowed, reasons) and Reason(rule_id, message, citation) are values: equal inputs give
equal decisions, ``bool(d) == d.allowed``, junk input raises InvalidInput.
"""

from __future__ import annotations

import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.decisions import Decision, Outcome, Reason
from qpp_rules.errors import (
    InvalidInput,
    NaiveDateTime,
    PolicyConflict,
    PolicyError,
    PolicyFileError,
    QppRulesError,
    UnknownPolicyYear,
    mask,
)
from qpp_rules.vocabulary import (
    ApmModel,
    OrgType,
    Permission,
    Program,
    RegistrationEventKind,
    Role,
    SizeBand,
)

WI = Reason("REG-ELIG-1", "WI needs 25 or more clinicians.", "REG-GUIDE-2019, II; IV steps 1-2")
CAHPS = Reason("REG-ELIG-2", "CAHPS needs 2 or more clinicians.", "REG-GUIDE-2019, I")

text = st.text(min_size=1, max_size=20)
reasons = st.builds(Reason, text, text, text)


@given(st.booleans(), st.lists(reasons, max_size=3))
def test_equal_inputs_give_equal_decisions(allowed: bool, why: list[Reason]) -> None:
    first, second = Decision(allowed, why), Decision(allowed, tuple(why))
    assert first == second
    assert hash(first) == hash(second)
    assert bool(first) is allowed is first.allowed
    assert first.reasons == tuple(why)
    assert first.rule_ids == tuple(reason.rule_id for reason in why)
    assert pickle.loads(pickle.dumps(first)) == first
    assert (Decision.allow(*why) if allowed else Decision.refuse(*why)) == first


def test_explain_lists_every_reason_with_its_rule_and_citation() -> None:
    decision = Decision.refuse(WI, CAHPS)
    assert not decision
    assert decision.explain() == (
        "refused\n"
        "  - [REG-ELIG-1] WI needs 25 or more clinicians. (REG-GUIDE-2019, II; IV steps 1-2)\n"
        "  - [REG-ELIG-2] CAHPS needs 2 or more clinicians. (REG-GUIDE-2019, I)"
    )
    assert str(decision) == decision.explain()
    assert Decision.allow().explain() == "allowed"
    assert str(WI) == (
        "[REG-ELIG-1] WI needs 25 or more clinicians. (REG-GUIDE-2019, II; IV steps 1-2)"
    )


def test_a_reason_cites_a_policy_value() -> None:
    """The habit of the domain packages: the citation is str(policy.cite(path))."""
    policy = qr.policy_for(2019)
    why = Reason("REG-ELIG-1", "WI needs 25 or more clinicians.",
                 str(policy.cite("registration.web_interface_min_clinicians")))
    assert str(why.citation) == "REG-GUIDE-2019, II; IV steps 1-2 [REG-ELIG-1]"


def test_decisions_are_immutable() -> None:
    decision = Decision.allow(WI)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        decision.allowed = False  # type: ignore[misc]
    assert attrs.evolve(decision, allowed=False) == Decision.refuse(WI)


@pytest.mark.parametrize(("args", "field"), [
    ((1, ()), "allowed"),
    (("yes", ()), "allowed"),
    ((None, ()), "allowed"),
    ((True, None), "reasons"),
    ((True, 5), "reasons"),
    ((True, "REG-ELIG-1"), "reasons"),
    ((True, [WI, "REG-ELIG-2"]), "reasons"),
])
def test_junk_decisions_raise_invalid_input(args: tuple[Any, ...], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        Decision(*args)
    assert raised.value.field == field


@pytest.mark.parametrize(("args", "field"), [
    (("", "m", "c"), "rule_id"),
    ((None, "m", "c"), "rule_id"),
    (("R-1", "", "c"), "message"),
    (("R-1", 3, "c"), "message"),
    (("R-1", "m", ""), "citation"),
    (("R-1", "m", 3), "citation"),
])
def test_junk_reasons_raise_invalid_input(args: tuple[Any, ...], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        Reason(*args)
    assert raised.value.field == field


def test_outcome_of_a_refused_command_changes_nothing() -> None:
    refusal = Decision.refuse(WI)
    outcome: Outcome[str, str, str] = Outcome.refused("state", refusal)
    assert not outcome
    assert outcome.state == "state"
    assert outcome.events == ()
    assert outcome.notifications == ()
    assert outcome.explain() == refusal.explain()


def test_outcome_of_an_accepted_command() -> None:
    outcome: Outcome[str, str, str] = Outcome(True, "after", ["registered"], ["email"])
    assert outcome
    assert outcome.events == ("registered",)
    assert outcome.notifications == ("email",)
    assert outcome.explain() == "accepted\n  - registered\n  notify: email"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"accepted": 1, "state": None}, "accepted"),
    ({"accepted": True, "state": None, "events": "registered"}, "events"),
    ({"accepted": True, "state": None, "notifications": 3}, "notifications"),
    ({"accepted": False, "state": None, "refusal": "no"}, "refusal"),
])
def test_junk_outcomes_raise_invalid_input(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        Outcome(**kwargs)
    assert raised.value.field == field


# -- errors --------------------------------------------------------------------------------------


def test_the_exception_tree() -> None:
    assert issubclass(InvalidInput, QppRulesError)
    assert issubclass(InvalidInput, ValueError)
    assert issubclass(NaiveDateTime, InvalidInput)
    for error in (UnknownPolicyYear, PolicyConflict, PolicyFileError):
        assert issubclass(error, PolicyError)
        assert issubclass(error, QppRulesError)
    assert issubclass(UnknownPolicyYear, LookupError)


@pytest.mark.parametrize("error", [
    InvalidInput("organization.tin", "bad", problems=(("a", "x"), ("b", "y"))),
    qr.InvalidFormat("tin", "a TIN has digits only ('*****5630')"),
    NaiveDateTime("at", "naive"),
    UnknownPolicyYear(2020, (2018, 2019), "broken plug-ins: x"),
    PolicyConflict(2019, ("a (x = m:f)", "b (y = n:g)")),
    PolicyFileError("py2019.toml", "registration.window", "missing"),
])
def test_errors_pickle_with_their_fields(error: QppRulesError) -> None:
    """Errors cross process boundaries (multiprocessing pools): they pickle whole."""
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is type(error)
    assert str(clone) == str(error)
    assert vars(clone) == vars(error)


def test_invalid_input_names_the_field() -> None:
    error = InvalidInput("organization.tin", "bad")
    assert str(error) == "organization.tin: bad"
    assert error.problems == (("organization.tin", "bad"),)
    assert str(InvalidInput("", "bad")) == "bad"


@given(st.text())
def test_mask_keeps_at_most_the_last_four(value: str) -> None:
    masked = mask(value)
    assert len(masked) == len(value)
    if len(value) > 4:
        assert masked.endswith(value[-4:])
        assert masked[:-4] == "*" * (len(value) - 4)
    else:
        assert masked == "*" * len(value)


# -- vocabulary ----------------------------------------------------------------------------------


def test_enum_values_are_the_guides_wording() -> None:
    assert [kind.value for kind in OrgType] == [
        "Practice", "Virtual Group", "APM Entity", "Registry"]
    assert Program.WEB_INTERFACE.value == "CMS Web Interface"
    assert Program.CAHPS.value == "CAHPS for MIPS Survey"
    assert [role.value for role in Role] == ["Security Official", "Staff User"]
    assert ApmModel.SHARED_SAVINGS_PROGRAM.value == "Medicare Shared Savings Program"
    assert {kind.value for kind in RegistrationEventKind} == {"submitted", "modified", "cancelled"}


def test_registration_rights_are_the_register_permissions() -> None:
    """ACC-PERM-1 / E8: the two REGISTER permissions are the registration rights."""
    rights = {p for p in Permission if p.is_registration_right}
    assert rights == {Permission.REGISTER_WEB_INTERFACE, Permission.REGISTER_CAHPS}


@pytest.mark.parametrize(("clinicians", "band"), [
    (2, SizeBand.SMALL), (24, SizeBand.SMALL), (25, SizeBand.MEDIUM), (99, SizeBand.MEDIUM),
    (100, SizeBand.LARGE), (10_000, SizeBand.LARGE),
])
def test_size_band_edges(clinicians: int, band: SizeBand) -> None:
    """REG-ELIG-1: 24 vs 25 and 99 vs 100 clinicians."""
    assert SizeBand.from_clinicians(clinicians) is band
    assert band.minimum <= clinicians


@pytest.mark.parametrize("junk", [1, 0, -5, True, 2.0, "25", None])
def test_size_band_refuses_non_groups_and_junk(junk: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        SizeBand.from_clinicians(junk)  # type: ignore[arg-type]
    assert raised.value.field == "clinicians"


@pytest.mark.parametrize(("wording", "band"), [
    ("2-24", SizeBand.SMALL), ("2–24 clinicians", SizeBand.SMALL), ("25-99", SizeBand.MEDIUM),
    ("100 or more", SizeBand.LARGE), ("100 or greater", SizeBand.LARGE),
    ("100 or greater clinicians", SizeBand.LARGE), (" 100  OR MORE ", SizeBand.LARGE),
])
def test_size_band_parses_the_guides_wording(wording: str, band: SizeBand) -> None:
    """All three guides write '100 or greater' on the size screen and '100 or more' in II."""
    assert SizeBand.parse(wording) is band


@pytest.mark.parametrize("junk", ["1-24", "", "large", 25, None])
def test_size_band_parse_refuses_junk(junk: object) -> None:
    with pytest.raises(InvalidInput, match="size"):
        SizeBand.parse(junk)  # type: ignore[arg-type]


def test_a_reason_carries_a_structured_citation_with_the_sources_words() -> None:
    cited = qr.policy_for(2019).cite("registration.window")
    why = Reason("REG-WIN-1", "The window is open.", cited)
    assert why.citation is cited
    assert why.citation.quote is not None
    assert "April 4, 2019" in why.citation.quote
    assert str(why) == f"[REG-WIN-1] The window is open. ({cited})"
    shown = Decision.allow(why).explain(quotes=True)
    assert why.citation.quote in shown
    assert why.citation.quote not in Decision.allow(why).explain()


@given(st.text(min_size=1, max_size=60))
def test_any_citation_text_is_read_and_its_short_form_reads_back_equal(text: str) -> None:
    citation = Reason("R-1", "m", text).citation
    assert citation.source
    assert Reason("R-1", "m", str(citation)).citation == citation
