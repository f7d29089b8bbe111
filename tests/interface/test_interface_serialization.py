"""qpp_rules.serialization: JSON round trips for every public value, strict reading with every
failing field path listed, and no raw cattrs error, KeyError or TypeError escaping.

``ROUND_TRIPS`` is the hook: (declared type, Hypothesis strategy of its values). The lead adds
the domain types (Organization, Registration, events, LowVolumeFacts, Participant, Evidence,
...) with their strategies at integration; every test over ``ROUND_TRIPS`` then covers them.
"""

from __future__ import annotations

import datetime as dt
import json
import string
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules import serialization
from qpp_rules.errors import InvalidInput, NaiveDateTime
from qpp_rules.identifiers import npi_check_digit
from qpp_rules.policy import Amendment, Citation, Erratum, FrozenMap, PolicyYear
from qpp_rules.serialization import (
    TAG,
    converter,
    from_dict,
    from_json,
    make_converter,
    to_dict,
    to_json,
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

# ---------------------------------------------------------------------------------------------
# Strategies for the foundation types
# ---------------------------------------------------------------------------------------------
DIGITS = string.digits
ALNUM = string.ascii_uppercase + string.digits

tins = st.text(DIGITS, min_size=9, max_size=9).map(qr.TIN)
npis = st.text(DIGITS, min_size=9, max_size=9).map(
    lambda nine: qr.NPI(nine + npi_check_digit(nine))
)
npis_failing_check = st.text(DIGITS, min_size=9, max_size=9).map(
    lambda nine: qr.NPI(nine + str((int(npi_check_digit(nine)) + 1) % 10), check_digit=False)
)
ptans = st.text(ALNUM, min_size=1, max_size=20).map(qr.PTAN)
apm_entity_ids = st.text(ALNUM, min_size=1, max_size=20).map(qr.ApmEntityId)
practice_site_ids = st.text(ALNUM, min_size=1, max_size=20).map(qr.PracticeSiteId)
virtual_group_ids = (
    st.lists(st.text(ALNUM, min_size=1, max_size=5), min_size=1, max_size=3)
    .map("-".join)
    .map(qr.VirtualGroupId)
)
vendor_ids = st.text(DIGITS, min_size=7, max_size=7).map(qr.VendorId)

ZONES = [dt.UTC, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata"), ZoneInfo("Europe/London")]
instants = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2100, 1, 1),
    timezones=st.sampled_from(ZONES),
    allow_imaginary=False,
).map(qr.time.instant)


@st.composite
def windows(draw: st.DrawFn) -> qr.Window:
    opens = draw(instants)
    length = draw(st.integers(min_value=1, max_value=400 * 24 * 3600))
    return qr.Window(opens, opens.add(seconds=length))


texts = st.text(min_size=1, max_size=40)
reasons = st.builds(qr.Reason, texts, texts, texts)
decisions = st.builds(qr.Decision, st.booleans(), st.lists(reasons, max_size=3).map(tuple))
citations = st.builds(
    Citation,
    texts,
    texts,
    st.lists(texts, max_size=3).map(tuple),
    st.none() | texts,
    st.none() | texts,
)
money = st.decimals(min_value=0, max_value=10**9, allow_nan=False, allow_infinity=False, places=2)
thresholds = st.builds(
    qr.LowVolumeThreshold,
    money,
    st.integers(min_value=0, max_value=10**6),
    st.none() | st.integers(min_value=0, max_value=10**6),
)
errata = st.builds(Erratum, texts, texts, st.none() | texts)

ENUMS = (OrgType, ApmModel, Program, SizeBand, Role, Permission, RegistrationEventKind)

ROUND_TRIPS: list[tuple[Any, st.SearchStrategy[Any]]] = [
    (qr.TIN, tins),
    (qr.NPI, npis),
    (qr.NPI, npis_failing_check),
    (qr.PTAN, ptans),
    (qr.ApmEntityId, apm_entity_ids),
    (qr.PracticeSiteId, practice_site_ids),
    (qr.VirtualGroupId, virtual_group_ids),
    (qr.VendorId, vendor_ids),
    (pendulum.DateTime, instants),
    (qr.Window, windows()),
    (qr.Reason, reasons),
    (qr.Decision, decisions),
    (Citation, citations),
    (Erratum, errata),
    (qr.LowVolumeThreshold, thresholds),
    *((kind, st.sampled_from(kind)) for kind in ENUMS),
    (qr.TIN | None, st.none() | tins),
    (qr.Window | None, st.none() | windows()),
    (frozenset[OrgType], st.frozensets(st.sampled_from(OrgType))),
    (tuple[qr.Reason, ...], st.lists(reasons, max_size=3).map(tuple)),
    (
        FrozenMap[Program, frozenset[OrgType]],
        st.dictionaries(st.sampled_from(Program), st.frozensets(st.sampled_from(OrgType))).map(
            FrozenMap
        ),
    ),
    (FrozenMap[qr.TIN, Role], st.dictionaries(tins, st.sampled_from(Role)).map(FrozenMap)),
]
"""The hook: every (declared type, strategy) pair here must round-trip through JSON."""

IDS = [getattr(kind, "__name__", None) or repr(kind) for kind, _ in ROUND_TRIPS]
round_trip_cases = pytest.mark.parametrize(("kind", "values"), ROUND_TRIPS, ids=IDS)


# ---------------------------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------------------------
@round_trip_cases
@given(data=st.data())
def test_every_value_round_trips_through_json(
    kind: Any, values: st.SearchStrategy[Any], data: st.DataObject
) -> None:
    value = data.draw(values)
    text = to_json(value, as_type=kind)
    assert from_json(text, kind) == value


@round_trip_cases
@given(data=st.data())
def test_the_json_is_canonical_and_plain(
    kind: Any, values: st.SearchStrategy[Any], data: st.DataObject
) -> None:
    """Equal values give equal JSON (sets sorted), and the plain form is JSON's own."""
    value = data.draw(values)
    plain = to_dict(value, as_type=kind)
    assert json.loads(json.dumps(plain)) == plain
    again = from_json(to_json(value, as_type=kind), kind)
    assert to_json(again, as_type=kind) == to_json(value, as_type=kind)


@given(st.lists(st.sampled_from(OrgType)), st.randoms())
def test_a_frozensets_json_does_not_depend_on_insertion_order(
    kinds: list[OrgType], random: Any
) -> None:
    shuffled = list(kinds)
    random.shuffle(shuffled)
    assert to_json(frozenset(kinds)) == to_json(frozenset(shuffled))
    assert json.loads(to_json(frozenset(kinds))) == sorted({kind.value for kind in kinds})


@pytest.mark.parametrize("year", qr.available_years())
def test_every_policy_year_round_trips_with_its_amendments(year: int) -> None:
    for policy in (qr.policy_for(year), qr.policy_for(year, as_of=qr.eastern(year, 1, 1))):
        back = from_json(to_json(policy), PolicyYear)
        assert back == policy
        assert back.amendments == policy.amendments
        assert back.known_amendments == policy.known_amendments
        for amendment in back.known_amendments:
            for path, value in amendment.changes.items():
                assert type(value) is type(policy.value_at(path)) or value is None


def test_a_reform_round_trips_with_its_label_and_citations() -> None:
    reform = qr.reform(
        qr.policy_for(2019), {"registration.web_interface_min_clinicians": 15}, label="WI at 15"
    )
    back = from_json(to_json(reform), PolicyYear)
    assert back == reform
    assert back.label == "WI at 15"
    assert back.registration.web_interface_min_clinicians == 15


def test_private_attributes_are_left_out() -> None:
    policy = qr.policy_for(2019)
    policy.memo()[("probe",)] = "cached"
    plain = to_dict(policy)
    assert "_memo" not in plain
    assert "memo" not in plain
    assert "cached" not in to_json(policy)


# ---------------------------------------------------------------------------------------------
# The JSON forms
# ---------------------------------------------------------------------------------------------
def test_identifiers_are_their_compact_text_and_a_tin_leaves_in_full_only_here() -> None:
    tin = qr.TIN("00-0765630")
    assert to_json(tin) == '"000765630"'
    assert "000765630" not in repr(tin) + str(tin)
    assert from_json('"00-0765630"', qr.TIN) == tin


def test_enums_are_the_guides_wording() -> None:
    assert to_dict(Program.WEB_INTERFACE) == "CMS Web Interface"
    assert to_dict(SizeBand.LARGE) == "100 or more"
    assert from_dict("100 or greater", SizeBand) is SizeBand.LARGE
    assert from_dict(SizeBand.SMALL, SizeBand) is SizeBand.SMALL


def test_instants_carry_their_offset_and_come_back_in_eastern_time() -> None:
    at = pendulum.datetime(2019, 7, 1, 21, tz="UTC")
    assert to_dict(at) == "2019-07-01T21:00:00+00:00"
    back = from_dict("2019-07-01T21:00:00Z", pendulum.DateTime)
    assert isinstance(back, pendulum.DateTime)
    assert back == at
    assert back.timezone_name == "America/New_York"
    assert back.isoformat() == "2019-07-01T17:00:00-04:00"


def test_a_window_is_opens_and_closes() -> None:
    window = qr.policy_for(2021).registration.window
    assert to_dict(window) == {
        "opens": "2021-04-01T10:00:00-04:00",
        "closes": "2021-06-30T20:00:00-04:00",
    }


def test_a_decision_keeps_its_reasons_in_order() -> None:
    first = qr.Reason("X-1", "first", "here")
    second = qr.Reason("X-2", "second", "there")
    plain = to_dict(qr.Decision.refuse(first, second))
    assert plain["allowed"] is False
    assert [reason["rule_id"] for reason in plain["reasons"]] == ["X-1", "X-2"]


def test_money_is_text_and_never_passes_through_a_float() -> None:
    threshold = qr.LowVolumeThreshold(Decimal("90000.10"), 200, 200)
    assert to_dict(threshold)["allowed_charges"] == "90000.10"
    assert from_dict(
        {"allowed_charges": "90000.10", "patients": 200, "covered_services": None},
        qr.LowVolumeThreshold,
    ).allowed_charges == Decimal("90000.10")
    assert from_dict(90000.1, Decimal) == Decimal("90000.1")


def test_frozen_maps_are_objects_or_pairs_when_keys_are_not_text() -> None:
    table = qr.policy_for(2019).registration.may_register
    assert to_dict(table) == {
        "CAHPS for MIPS Survey": ["Practice", "Virtual Group"],
        "CMS Web Interface": ["Practice", "Virtual Group"],
    }

    @attrs.frozen
    class Key:
        n: int

    pairs = FrozenMap({Key(2): "b", Key(1): "a"})
    assert to_dict(pairs, as_type=FrozenMap[Key, str]) == [[{"n": 1}, "a"], [{"n": 2}, "b"]]
    assert from_dict([[{"n": 1}, "a"], [{"n": 2}, "b"]], FrozenMap[Key, str]) == pairs


@attrs.frozen
class _Opened:
    at: pendulum.DateTime


@attrs.frozen
class _Closed:
    at: pendulum.DateTime
    why: str = "closed"


@attrs.frozen
class _Log:
    events: tuple[_Opened | _Closed, ...]
    last: _Opened | _Closed | None = None
    tin: qr.TIN | None = None


def test_a_field_holding_one_of_several_classes_names_the_class() -> None:
    log = _Log((_Opened(qr.eastern(2019, 4, 4, 10)), _Closed(qr.eastern(2019, 7, 1, 17))),
               _Closed(qr.eastern(2019, 7, 1, 17), "late"), qr.TIN("000765630"))
    plain = to_dict(log)
    assert [event[TAG] for event in plain["events"]] == ["_Opened", "_Closed"]
    assert plain["last"][TAG] == "_Closed"
    assert from_dict(plain, _Log) == log
    assert from_dict({"events": []}, _Log) == _Log(())


def test_an_unknown_class_name_is_refused_with_its_path() -> None:
    with pytest.raises(InvalidInput) as caught:
        from_dict({"events": [{TAG: "Nope", "at": "2019-07-01T17:00:00-04:00"}]}, _Log)
    assert caught.value.field == "$.events[0]"


def test_the_eligibility_reader_is_re_exported_lazily() -> None:
    from qpp_rules.election import payload

    assert serialization.read_eligibility_payload is payload.read_eligibility_payload
    assert serialization.EligibilityRecord is payload.EligibilityRecord
    with pytest.raises(AttributeError):
        serialization.no_such_name  # noqa: B018


# ---------------------------------------------------------------------------------------------
# Strict reading: InvalidInput with every failing path
# ---------------------------------------------------------------------------------------------
def test_every_failing_field_is_listed_with_its_path() -> None:
    with pytest.raises(InvalidInput) as caught:
        from_dict(
            {"allowed": "yes", "reasons": [{"rule_id": "X-1"}, 5], "extra": 1}, qr.Decision
        )
    error = caught.value
    assert not isinstance(error, BaseExceptionGroup)
    paths = [path for path, _ in error.problems]
    assert paths == [
        "$.allowed",
        "$.reasons[0].message",
        "$.reasons[0].citation",
        "$.reasons[1]",
        "$",
    ]
    assert error.field == "$.allowed"
    assert "and 4 more" in str(error)
    assert "\n" not in str(error)


def test_a_naive_datetime_string_raises_naive_datetime_naming_the_field() -> None:
    with pytest.raises(NaiveDateTime) as caught:
        from_json('{"opens": "2019-04-04T10:00:00", "closes": "2019-07-01T17:00:00-04:00"}',
                  qr.Window)
    assert caught.value.field == "$.opens"
    with pytest.raises(NaiveDateTime):
        from_dict(dt.datetime(2019, 4, 4, 10), pendulum.DateTime)


def test_an_error_raised_while_building_a_value_names_the_field_inside_it() -> None:
    with pytest.raises(InvalidInput) as caught:
        from_dict(
            {"opens": "2019-07-01T17:00:00-04:00", "closes": "2019-04-04T10:00:00-04:00"},
            qr.Window,
        )
    assert caught.value.field == "$.closes"
    with pytest.raises(InvalidInput) as nested:
        from_dict(
            {"rule_id": "X-1", "message": "m", "citation": "c"} | {"message": ""}, qr.Reason
        )
    assert nested.value.field == "$.message"


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        (int, "25", "$"),
        (int, True, "$"),
        (bool, "true", "$"),
        (str, 5, "$"),
        (str, None, "$"),
        (Decimal, "ninety", "$"),
        (Decimal, "NaN", "$"),
        (Decimal, True, "$"),
        (frozenset[OrgType], "Practice", "$"),
        (tuple[qr.Reason, ...], {"rule_id": "X"}, "$"),
        (OrgType, "Practise", "$"),
        (qr.Window, "2019", "$"),
        (qr.Window, ["a", "b"], "$"),
        (qr.TIN, "12", "$"),
        (qr.TIN | None, 12.5, "$"),
        (pendulum.DateTime, "not a date", "$"),
        (pendulum.DateTime, 1562000000, "$"),
        (dt.date, "2019-13-01", "$"),
        (FrozenMap[Program, int], {"CMS Web Interface": "x"}, "$['CMS Web Interface']"),
        (FrozenMap[Program, int], 5, "$"),
        (qr.Reason, {"rule_id": "X", "message": "m", "citation": "c", "extra": 1}, "$"),
    ],
)
def test_wrong_types_and_junk_are_invalid_input(kind: Any, data: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        from_dict(data, kind)
    assert caught.value.field == field


def test_messages_never_repeat_a_tin() -> None:
    secret = "123456789"
    for kind, data in [
        (qr.TIN, secret + "0"),
        (OrgType, secret),
        (int, secret),
        (qr.Window, {"opens": secret, "closes": secret}),
        (pendulum.DateTime, secret),
    ]:
        with pytest.raises(InvalidInput) as caught:
            from_dict(data, kind)
        shown = str(caught.value) + repr(caught.value.problems)
        assert secret not in shown, (kind, shown)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12,
)


@pytest.mark.parametrize(("kind", "values"), ROUND_TRIPS, ids=IDS)
@given(junk=json_values)
def test_junk_never_escapes_as_anything_but_invalid_input(
    kind: Any, values: st.SearchStrategy[Any], junk: Any
) -> None:
    problems: tuple[tuple[str, str], ...] = (("$", "read"),)
    try:
        from_dict(junk, kind)
    except InvalidInput as error:
        problems = error.problems
    assert problems
    assert all(path.startswith("$") for path, _ in problems)


def test_converter_structure_itself_raises_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        converter.structure({"allowed": 1}, qr.Decision)


def test_text_that_is_not_json_or_not_text() -> None:
    with pytest.raises(InvalidInput, match="not valid JSON"):
        from_json("{", qr.Decision)
    with pytest.raises(InvalidInput, match="not valid JSON"):
        from_json(b"\xff", qr.Decision)
    with pytest.raises(InvalidInput) as caught:
        from_json(5, qr.Decision)  # type: ignore[arg-type]
    assert caught.value.field == "text"
    assert from_json(b'"000765630"', qr.TIN) == qr.TIN("000765630")


def test_a_type_the_converter_cannot_read_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        from_dict({}, "Window")  # type: ignore[arg-type]
    assert caught.value.field == "type"


def test_a_value_that_cannot_be_json_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        to_json(object())
    with pytest.raises(NaiveDateTime):
        to_json(dt.datetime(2019, 7, 1, 12))


def test_npis_are_read_without_the_check_digit_unless_asked() -> None:
    failing = "1234567890"
    assert not from_dict(failing, qr.NPI).has_valid_check_digit
    strict = make_converter(npi_check_digit=True)
    with pytest.raises(qr.InvalidChecksum):
        strict.structure(failing, qr.NPI)
    assert strict.structure("1234567893", qr.NPI) == qr.NPI("1234567893")


def test_amendment_changes_hold_typed_values_after_reading() -> None:
    policy = qr.policy_for(2019)
    plain = to_dict(policy)
    plain["known_amendments"][0]["changes"]["election.window"] = {"opens": "x", "closes": "y"}
    with pytest.raises(InvalidInput) as caught:
        from_dict(plain, PolicyYear)
    paths = [path for path, _ in caught.value.problems]
    assert any(path.startswith("$.known_amendments[0].changes") for path in paths), paths
    amendment: Amendment = policy.known_amendments[0]
    assert isinstance(amendment.changes["election.window"], qr.Window)
