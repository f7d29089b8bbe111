"""policy_for(year, as_of=...), amendments, reforms and attrs.evolve.

A1 (RULES.md Amendments): the PY2019 submission and election close moves from 2020-03-31
20:00 ET to 2020-04-30 20:00 ET, announced 2020-03-22 (00:00 ET = 04:00Z, EDT).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.errors import InvalidInput, NaiveDateTime, UnknownPolicyYear
from qpp_rules.policy import FrozenMap
from qpp_rules.policy.unknown import known
from qpp_rules.time import Window, eastern
from qpp_rules.vocabulary import OrgType, Program

PUBLISHED_CLOSE = eastern(2020, 3, 31, 20)
AMENDED_CLOSE = eastern(2020, 4, 30, 20)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, second, tz="UTC")


# -- amendments ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("as_of", "close", "applied"), [
    (eastern(2020, 1, 1), PUBLISHED_CLOSE, ()),
    (eastern(2020, 3, 21, 23, 59, 59), PUBLISHED_CLOSE, ()),
    (utc(2020, 3, 22, 3, 59, 59), PUBLISHED_CLOSE, ()),
    (utc(2020, 3, 22, 4), AMENDED_CLOSE, ("A1",)),  # the announcement instant: amended
    (eastern(2020, 3, 22), AMENDED_CLOSE, ("A1",)),
    (dt.datetime(2020, 3, 22, 4, tzinfo=dt.UTC), AMENDED_CLOSE, ("A1",)),
    (pendulum.datetime(2020, 3, 22, 13, tz="Asia/Tokyo"), AMENDED_CLOSE, ("A1",)),
    (pendulum.datetime(2020, 3, 22, 12, 59, 59, tz="Asia/Tokyo"), PUBLISHED_CLOSE, ()),
    (eastern(2024, 1, 1), AMENDED_CLOSE, ("A1",)),
    (None, AMENDED_CLOSE, ("A1",)),  # every amendment the library knows
])
def test_a1_applies_from_its_announcement(
    as_of: dt.datetime | None, close: pendulum.DateTime, applied: tuple[str, ...]
) -> None:
    """ELE-WIN-1 and A1: as_of before the announcement gives the published close."""
    policy = qr.policy_for(2019, as_of=as_of)
    assert policy.election.window is not None
    assert policy.election.submission_window is not None
    assert policy.election.window.closes == close
    assert policy.election.submission_window.closes == close
    assert policy.election.window.opens == eastern(2020, 1, 2, 10)  # unchanged
    assert tuple(amendment.id for amendment in policy.amendments) == applied
    assert len(policy.known_amendments) == 1


def test_a1_edges_of_the_amended_election_window() -> None:
    """ELE-WIN-1 after A1: 2020-04-30 20:00 EDT is 2020-05-01 00:00Z."""
    window = qr.policy_for(2019).election.window
    assert window is not None
    assert window.contains(utc(2020, 4, 30, 23, 59, 59))
    assert not window.contains(utc(2020, 5, 1, 0))
    published = qr.policy_for(2019, as_of=eastern(2020, 3, 1)).election.window
    assert published is not None
    assert not published.contains(utc(2020, 4, 1, 0))


def test_amendments_change_only_what_they_say() -> None:
    before = qr.policy_for(2019, as_of=eastern(2020, 3, 1))
    after = qr.policy_for(2019)
    assert before.registration == after.registration
    assert before.access == after.access
    assert before.election.low_volume == after.election.low_volume
    assert before.citations == after.citations


def test_policy_for_answers_the_same_value_each_time() -> None:
    """Cheap decisions: a year's policy (and its answer cache) is built once and shared."""
    assert qr.policy_for(2019) is qr.policy_for(2019)
    assert qr.policy_for(2019).answers is qr.policy_for(2019).answers
    early = eastern(2020, 1, 1)
    assert qr.policy_for(2019, as_of=early) is qr.policy_for(2019, as_of=eastern(2020, 2, 1))
    assert qr.policy_for(2019, as_of=early) is not qr.policy_for(2019)


def test_a_naive_as_of_is_refused() -> None:
    for naive in (dt.datetime(2020, 3, 22), pendulum.naive(2020, 3, 22)):
        with pytest.raises(NaiveDateTime) as raised:
            qr.policy_for(2019, as_of=naive)
        assert raised.value.field == "as_of"


@pytest.mark.parametrize("junk", ["2020-03-22", 1584849600, dt.date(2020, 3, 22)])
def test_a_junk_as_of_is_invalid_input(junk: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        qr.policy_for(2019, as_of=junk)
    assert raised.value.field == "as_of"


@pytest.mark.parametrize("year", [2016, 2027, 1999, 0, -1, 10**6])
def test_an_unknown_year_lists_the_known_years(year: int) -> None:
    with pytest.raises(UnknownPolicyYear) as raised:
        qr.policy_for(year)
    assert raised.value.year == year
    assert set(range(2017, 2027)) <= set(raised.value.known)
    assert "known years: 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026" in str(
        raised.value)
    assert isinstance(raised.value, LookupError)


@pytest.mark.parametrize("junk", [True, False, "2019", 2019.0, None, Decimal(2019)])
def test_a_year_that_is_not_a_whole_number_is_invalid_input(junk: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        qr.policy_for(junk)  # type: ignore[arg-type]
    assert raised.value.field == "year"


# -- reforms -------------------------------------------------------------------------------------


def test_a_reform_changes_the_value_and_leaves_the_original() -> None:
    """REG-ELIG-1 as a what-if: 'what if the Web Interface needed 15 clinicians?'"""
    original = qr.policy_for(2019)
    reformed = qr.reform(original, {"registration.web_interface_min_clinicians": 15},
                         label="WI at 15")
    assert known(reformed, "registration.web_interface_min_clinicians", "REG-ELIG-1") == 15
    assert known(original, "registration.web_interface_min_clinicians", "REG-ELIG-1") == 25
    assert reformed.label == "WI at 15"
    assert original.label == "PY2019"
    assert reformed.year == 2019
    assert reformed.amendments == original.amendments
    citation = reformed.cite("registration.web_interface_min_clinicians")
    assert citation.source == "reform"
    assert citation.section == "WI at 15"
    assert reformed.cite("registration.cahps_min_clinicians") == original.cite(
        "registration.cahps_min_clinicians")
    assert reformed.registration.window == original.registration.window
    assert reformed != original


def test_a_reforms_answer_cache_is_separate_from_the_originals() -> None:
    original = qr.policy_for(2019)
    reformed = qr.reform(original, {"registration.web_interface_min_clinicians": 15}, label="x")
    key = ("test_a_reforms_answer_cache_is_separate", "probe")
    original.answers.put(key, "original")
    assert reformed.answers is not original.answers
    assert key not in reformed.answers
    reformed.answers.put(key, "reformed")
    assert original.answers.get(key) == "original"


@pytest.mark.parametrize(("changes", "path", "words"), [
    ({"registration.web_interface_min_clinicians": 1}, "registration.web_interface_min_clinicians",
     "2 or more"),
    ({"registration.web_interface_min_clinicians": "15"},
     "registration.web_interface_min_clinicians", "expected int"),
    ({"registration.web_interface_min_clinicians": True},
     "registration.web_interface_min_clinicians", "expected int"),
    ({"election.low_volume.patients": -1}, "election.low_volume.patients", "0 or more"),
    ({"election.low_volume.covered_services": None}, "election.low_volume.covered_services",
     "three-element"),
    ({"registration.may_register": {"CMS Web Interface": ["Registry"],
                                    "CAHPS for MIPS Survey": []}},
     "registration.may_register", "registries never register"),
    ({"registration.window": {"opens": eastern(2018, 4, 1), "closes": eastern(2018, 7, 1)}},
     "registration.window", "opens in 2019"),
    ({"registration.window": {"opens": eastern(2019, 7, 1), "closes": eastern(2019, 4, 1)}},
     "registration.window.closes", "closes after it opens"),
    ({"election.window": {"opens": eastern(2019, 1, 2), "closes": eastern(2019, 3, 1)}},
     "election.window", "elections open after the performance year"),
    ({"registration.nowhere": 1}, "registration.nowhere", "no policy value"),
    ({"registration.may_register.Practice": 1}, "registration.may_register.Practice",
     "no policy value"),
    ({"year": 2020}, "year", "no policy value"),
    ({"citations": {}}, "citations", "no policy value"),
    ({"registration._answers": {}}, "registration._answers", "no policy value"),
])
def test_an_invalid_reform_names_the_path(changes: dict[str, Any], path: str, words: str) -> None:
    original = qr.policy_for(2019)
    snapshot = (original.registration, original.election, original.access, original.citations)
    with pytest.raises(InvalidInput) as raised:
        qr.reform(original, changes, label="bad")
    assert raised.value.field == path, str(raised.value)
    assert words in str(raised.value)
    assert (original.registration, original.election, original.access,
            original.citations) == snapshot
    assert original.label == "PY2019"


def test_a_naive_datetime_in_a_reform_is_refused() -> None:
    with pytest.raises(NaiveDateTime, match=r"registration\.window"):
        qr.reform(qr.policy_for(2019),
                  {"registration.window": {"opens": dt.datetime(2019, 4, 1),
                                           "closes": eastern(2019, 8, 1)}}, label="x")


@pytest.mark.parametrize(("args", "field"), [
    (("PY2019", {}, "x"), "policy"),
    ((None, {}, "x"), "policy"),
    ((qr.policy_for(2019), [("registration.cahps_min_clinicians", 3)], "x"), "changes"),
    ((qr.policy_for(2019), {3: 3}, "x"), "changes"),
    ((qr.policy_for(2019), {}, ""), "label"),
    ((qr.policy_for(2019), {}, None), "label"),
])
def test_junk_reforms_are_invalid_input(args: tuple[Any, ...], field: str) -> None:
    policy, changes, label = args
    with pytest.raises(InvalidInput) as raised:
        qr.reform(policy, changes, label=label)
    assert raised.value.field == field


def test_a_reform_takes_values_in_the_data_files_shape() -> None:
    """Amounts as text or whole numbers, sets as lists, a window as a table of aware
    instants: structured as the loader does (and still no "25" for 25)."""
    policy = qr.policy_for(2019)
    reformed = qr.reform(policy, {
        "election.low_volume.allowed_charges": "85000.50",
        "election.low_volume.patients": 150,
        "registration.registered_by_cms": ["Virtual Group"],
        "registration.window": {"opens": eastern(2019, 4, 1, 10),
                                "closes": dt.datetime(2019, 8, 1, 21, tzinfo=dt.UTC)},
    }, label="shapes")
    low_volume = known(reformed, "election.low_volume", "ELE-ELIG-1")
    assert low_volume.allowed_charges == Decimal("85000.50")
    assert low_volume.patients == 150
    assert reformed.registration.registered_by_cms == frozenset({OrgType.VIRTUAL_GROUP})
    assert known(reformed, "registration.window", "REG-WIN-1") == Window(
        eastern(2019, 4, 1, 10), eastern(2019, 8, 1, 17))
    by_int = qr.reform(policy, {"election.low_volume.allowed_charges": 85000}, label="int")
    assert known(by_int, "election.low_volume", "ELE-ELIG-1").allowed_charges == Decimal(85000)


def test_reforming_a_table_re_cites_everything_below_it() -> None:
    policy = qr.policy_for(2019)
    sampling = attrs.evolve(known(policy, "registration.sampling", "REG-SAMP-1"),
                            notice="the Winter of 2019")
    reformed = qr.reform(policy, {"registration.sampling": sampling}, label="winter")
    assert known(reformed, "registration.sampling", "REG-SAMP-1").notice == "the Winter of 2019"
    assert reformed.cite("registration.sampling.notice").source == "reform"
    assert policy.cite("registration.sampling.notice").source == "REG-GUIDE-2019"


@given(st.integers(min_value=-5, max_value=500))
def test_reform_min_clinicians_property(minimum: int) -> None:
    """REG-ELIG-1 reformed: any group size of 2 or more is a valid minimum; less is not."""
    policy = qr.policy_for(2019)
    if minimum >= 2:
        reformed = qr.reform(policy, {"registration.web_interface_min_clinicians": minimum},
                             label=f"WI at {minimum}")
        assert known(reformed, "registration.web_interface_min_clinicians", "REG-ELIG-1") == minimum
    else:
        with pytest.raises(InvalidInput, match="web_interface_min_clinicians"):
            qr.reform(policy, {"registration.web_interface_min_clinicians": minimum}, label="x")
    assert known(policy, "registration.web_interface_min_clinicians", "REG-ELIG-1") == 25


_ONE_VALUE_PATHS = ("registration.web_interface_min_clinicians",
                    "registration.cahps_min_clinicians", "election.low_volume.patients",
                    "election.payment_year_offset", "registration.web_interface_offered",
                    "election.confirmation_word")


@given(st.sampled_from(_ONE_VALUE_PATHS),
       st.one_of(st.integers(min_value=-3, max_value=300), st.booleans(), st.none(),
                 st.text(max_size=3), st.floats(allow_nan=False, max_value=30)),
       st.one_of(st.just("one"), st.integers(), st.none()))
def test_a_one_value_reform_accepts_and_refuses_as_the_step_by_step_build(
    path: str, value: Any, label: Any,
) -> None:
    """A change of one value builds the policy once (labels and citations with it); what it
    accepts, and the field it names when it refuses, are the step-by-step build's."""
    from qpp_rules.policy import apply_changes

    policy = qr.policy_for(2019)

    def outcome(build: Any) -> Any:
        try:
            return build()
        except InvalidInput as error:
            return (error.field, error.message)

    once = outcome(lambda: apply_changes(policy, {path: value}, label=label))
    steps = outcome(lambda: attrs.evolve(apply_changes(policy, {path: value}), label=label))
    assert once == steps


# -- attrs.evolve is validated too ---------------------------------------------------------------


def _evolve_cases() -> list[tuple[str, Any, dict[str, Any], str]]:
    policy = qr.policy_for(2019)
    registration, election, access = policy.registration, policy.election, policy.access
    return [
        ("year as bool", policy, {"year": True}, "year"),
        ("year as text", policy, {"year": "2019"}, "year"),
        ("label as int", policy, {"label": 3}, "label"),
        ("citations as dict", policy, {"citations": {}}, "citations"),
        ("amendments as list", policy, {"amendments": []}, "amendments"),
        ("window opens the year before", policy,
         {"registration": attrs.evolve(registration, window=Window(eastern(2018, 4, 1),
                                                                   eastern(2019, 7, 1)))},
         "registration.window.opens"),
        ("min clinicians below 2", registration, {"cahps_min_clinicians": 1},
         "registration.cahps_min_clinicians"),
        ("min clinicians as text", registration, {"web_interface_min_clinicians": "25"},
         "registration.web_interface_min_clinicians"),
        ("a list for a frozenset", registration, {"registered_by_cms": ["Practice"]},
         "registration.registered_by_cms"),
        ("a dict for a FrozenMap", registration,
         {"may_register": {Program.WEB_INTERFACE: frozenset(), Program.CAHPS: frozenset()}},
         "registration.may_register"),
        ("Registry may register", registration,
         {"may_register": FrozenMap({Program.WEB_INTERFACE: frozenset({OrgType.REGISTRY}),
                                     Program.CAHPS: frozenset()})},
         "registration.may_register"),
        ("a window as text", registration, {"window": "April"}, "registration.window"),
        ("offset as text", election, {"payment_year_offset": "2"}, "election.payment_year_offset"),
        ("opt_in as int", election, {"opt_in": 1}, "election.opt_in"),
        ("negative preview", election, {"public_reporting_preview_days": -30}, "election"),
        ("threshold patients as bool", election.low_volume, {"patients": True}, "patients"),
        ("threshold charges as float", election.low_volume, {"allowed_charges": 90000.0},
         "allowed_charges"),
        ("sampling notice as int", registration.sampling, {"notice": 2019},
         "registration.sampling.notice"),
        ("a naive CPC+ date", access, {"cpc_plus_connections_open": pendulum.naive(2019, 1, 2)},
         "access.cpc_plus_connections_open"),
        ("permissions as dict", access, {"permissions": {}}, "access.permissions"),
    ]


@pytest.mark.parametrize(("case", "value", "changes", "field"), _evolve_cases(),
                         ids=[row[0] for row in _evolve_cases()])
def test_attrs_evolve_is_validated(case: str, value: Any, changes: dict[str, Any],
                                   field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        attrs.evolve(value, **changes)
    assert raised.value.field == field, str(raised.value)


def test_a_valid_evolve_gives_a_fresh_answer_cache() -> None:
    policy = qr.policy_for(2019)
    evolved = attrs.evolve(policy, label="copy")
    assert evolved.answers is not policy.answers
    assert evolved.registration is policy.registration
