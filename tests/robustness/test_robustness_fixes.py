"""Issue 7: one pinned example of each robustness bug the suite found and that was fixed, so
that each fix has its own named test (the tables of test_robustness_junk and
test_robustness_fields cover them too, among everything else). Registration's are in
tests/registration/test_registration_bad_input.py."""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pendulum
import pytest
from robustness_support import (
    JUNK,
    PY2019,
    ROWS,
    TIN_TEXT,
    OddZone,
    deep_list,
)
from robustness_table import RESULTS

import qpp_rules as qr
from qpp_rules import (
    analysis,
    election,
    errors,
    identifiers,
    policy,
    registration,
    serialization,
)

HUGE: Any = 10**5_000  # str() refuses it: more than 4300 digits
DEEP: Any = deep_list()  # repr() and == recurse past the limit
NONE: Any = None
AWARE_MIN = _dt.datetime.min.replace(tzinfo=_dt.UTC)  # before year 1 in US Eastern time

FIXED: dict[str, tuple[Callable[[], Any], type[qr.QppRulesError]]] = {
    # messages built with repr() of the junk: RecursionError / ValueError before the fix
    "policy_for(deep list)": (lambda: qr.policy_for(DEEP), qr.InvalidInput),
    "policy_for(huge year)": (lambda: qr.policy_for(HUGE), qr.UnknownPolicyYear),
    "Reason(deep list)": (lambda: qr.Reason(DEEP, "m", "c"), qr.InvalidInput),
    "Citation(huge)": (lambda: qr.Citation(HUGE, "s"), qr.InvalidInput),
    # numbers too long to print
    # an aware instant US Eastern time cannot express: OverflowError before the fix
    "instant(datetime.min UTC)": (lambda: qr.instant(AWARE_MIN), qr.InvalidInput),
    "utc_key(None)": (lambda: qr.time.utc_key(NONE), qr.InvalidInput),
    "utc_key(a naive datetime)": (lambda: qr.time.utc_key(_dt.datetime(2019, 1, 1)),
                                  qr.NaiveDateTime),
    "Window(datetime.min UTC)": (lambda: qr.Window(AWARE_MIN, qr.eastern(2019, 1, 1)),
                                 qr.InvalidInput),
    "reform(a datetime.min instant)": (lambda: qr.reform(
        PY2019, {"access.cpc_plus_connections_open": AWARE_MIN}, label="x"), qr.InvalidInput),
    # time zones whose UTC offset is impossible: ValueError / TypeError / AttributeError before
    "Window.contains(a 30-hour offset)": (lambda: qr.Window(
        qr.eastern(2019, 1, 1), qr.eastern(2020, 1, 1)).contains(JUNK["pendulum_30_hours"]),
        qr.InvalidInput),
    "utc_key(a 30-hour offset)": (lambda: qr.time.utc_key(JUNK["aware_30_hours"]),
                                  qr.InvalidInput),
    "instant(an integer offset)": (lambda: qr.instant(JUNK["aware_int_offset"]),
                                   qr.InvalidInput),
    "policy_for(as_of=an integer offset)": (lambda: qr.policy_for(
        2019, as_of=JUNK["aware_int_offset"]), qr.InvalidInput),
    "reform(an integer offset)": (lambda: qr.reform(
        PY2019, {"access.cpc_plus_connections_open": JUNK["aware_int_offset"]}, label="x"),
        qr.InvalidInput),
    "from_json(an instant with a 30-hour offset)": (lambda: serialization.from_dict(
        JUNK["aware_30_hours"], _dt.datetime), qr.InvalidInput),
    "to_json(an instant with a 30-hour offset)": (lambda: serialization.to_json(
        JUNK["aware_30_hours"]), qr.InvalidInput),
    "to_dict(an instant with an integer offset)": (lambda: serialization.to_dict(
        JUNK["aware_int_offset"]), qr.InvalidInput),
    # JSON nested past the recursion limit: RecursionError before
    "from_json(arrays nested 100000 deep)": (lambda: serialization.from_json(
        JUNK["deep_json_text"], qr.Decision), qr.InvalidInput),
    "from_json(objects nested 5000 deep)": (lambda: serialization.from_json(
        JUNK["deep_json_object"], qr.Decision), qr.InvalidInput),
    # bare Python errors from wrong types
    "Identifier(text) (the abstract base)": (lambda: identifiers.Identifier("A1"),
                                             qr.InvalidIdentifier),
    "npi_check_digit(None)": (lambda: identifiers.npi_check_digit(None), qr.InvalidFormat),  # type: ignore[arg-type]
    "npi_check_digit('12345678x')": (lambda: identifiers.npi_check_digit("12345678x"),
                                     qr.InvalidFormat),
    "TIN.compact(None)": (lambda: qr.TIN.compact(None), qr.InvalidFormat),  # type: ignore[arg-type]
    "PTAN.compact(1)": (lambda: qr.PTAN.compact(1), qr.InvalidFormat),  # type: ignore[arg-type]
    "load_policy_file(None)": (lambda: qr.load_policy_file(None), qr.PolicyFileError),  # type: ignore[arg-type]
    "load_policy_file(NUL)": (lambda: qr.load_policy_file("\x00"), qr.PolicyFileError),
    "load_policy_text(arrays nested 5000 deep)": (lambda: policy.load_policy_text(
        "a = " + "[" * 5000 + "]" * 5000), qr.PolicyFileError),
    "load_policy_text(keys dotted 3000 deep)": (lambda: policy.load_policy_text(
        "x" + ".x" * 3000 + " = 1"), qr.PolicyFileError),
    "load_policy_text(source=deep list)": (lambda: policy.load_policy_text(
        "][", DEEP), qr.PolicyFileError),
    "apply_changes(changes=None)": (lambda: policy.apply_changes(PY2019, None),  # type: ignore[arg-type]
                                    qr.InvalidInput),
    "reform(a value nested 5000 deep)": (lambda: qr.reform(
        PY2019, {"registration.may_register": DEEP}, label="x"), qr.InvalidInput),
    "FrozenMap(5)": (lambda: policy.FrozenMap(5), qr.InvalidInput),  # type: ignore[arg-type]
    "Answer(value=None)": (lambda: analysis.Answer(None, ()), qr.InvalidInput),  # type: ignore[arg-type]
    "Question(decide=None)": (lambda: analysis.Question("q", ("kind",), None),  # type: ignore[arg-type]
                              qr.InvalidInput),
    "Comparison(before=None)": (lambda: analysis.Comparison(None, RESULTS["evaluation"]),  # type: ignore[arg-type]
                                qr.InvalidInput),
    "Evaluation(population=5)": (lambda: analysis.Evaluation("x", (), 5, {}, {}),  # type: ignore[arg-type]
                                 qr.InvalidInput),
    # analysis readers
    "Population(rows=5)": (lambda: analysis.Population(5), qr.InvalidInput),  # type: ignore[arg-type]
    "Population(start='1')": (lambda: analysis.Population([], start="1"), qr.InvalidInput),  # type: ignore[arg-type]
    "Population.column([])": (lambda: analysis.Population([]).column([]), qr.InvalidInput),  # type: ignore[arg-type]
    "Population.keys(())": (lambda: analysis.Population([]).keys(()), qr.InvalidInput),
    "Population.from_csv(5)": (lambda: analysis.Population.from_csv(5), qr.InvalidInput),  # type: ignore[arg-type]
    "Population.from_csv(NUL)": (lambda: analysis.Population.from_csv("\x00"),
                                 qr.InvalidInput),
    "Population.from_csv(bytes lines)": (lambda: analysis.Population.from_csv(
        io.BytesIO(b"org_id,kind,clinicians\n")), qr.InvalidInput),  # type: ignore[arg-type]
    "evaluate(questions='x')": (lambda: analysis.evaluate(ROWS, PY2019, "x"),  # type: ignore[arg-type]
                                qr.InvalidInput),
    "evaluate(rows[0].org_id=None)": (lambda: analysis.evaluate(
        [{**ROWS[0], "org_id": None}], PY2019), qr.InvalidInput),
    # a count whose int() would take seconds to write out a million digits
    "evaluate(clinicians=Decimal('1e999999'))": (lambda: analysis.evaluate(
        [{**ROWS[0], "clinicians": Decimal("1e999999")}], PY2019), qr.InvalidInput),
    "compare(after=None)": (lambda: analysis.compare(ROWS, PY2019, None),  # type: ignore[arg-type]
                            qr.InvalidInput),
    "Evaluation.column([])": (lambda: RESULTS["evaluation"].column([]), qr.InvalidInput),
    "Comparison.changes([])": (lambda: RESULTS["comparison"].changes([]), qr.InvalidInput),
}


@pytest.mark.parametrize("name", sorted(FIXED))
def test_the_fixed_bug_raises_a_qpp_rules_error(name: str) -> None:
    call, expected = FIXED[name]
    with pytest.raises(expected) as raised:
        call()
    str(raised.value)  # the message reads


def test_every_error_message_masks_what_may_be_a_tin() -> None:
    """A TIN typed in the wrong place is masked in the message (``errors.mask_tins``): here an
    NPI field, a Vendor ID, an email address, a year, a policy file's name and the Eligibility
    API's own message. Before the fix each showed the nine digits."""
    calls: list[Callable[[], Any]] = [
        lambda: qr.NPI(TIN_TEXT),
        lambda: qr.VendorId(TIN_TEXT),
        lambda: registration.Contact("A", "B", TIN_TEXT, ""),
        lambda: qr.policy_for(int(TIN_TEXT) + 100_000_000),
        lambda: qr.load_policy_file(f"/nowhere/{TIN_TEXT}.toml"),
        lambda: election.read_eligibility_payload(
            {"error": {"type": "T", "message": f"TIN 00-0765630 / {TIN_TEXT}"}}, year=2019),
    ]
    for call in calls:
        with pytest.raises(qr.QppRulesError) as raised:
            call()
        error = raised.value
        for text in (str(error), repr(error), *(str(getattr(error, name, "")) for name in
                                                ("message", "source", "field"))):
            assert "0765630" not in text, text


def test_mask_tins_masks_lookalike_digits_and_leaves_other_numbers() -> None:
    assert errors.mask_tins("٠٠٠٧٦٥٦٣٠") == "*****٥٦٣٠"
    assert errors.mask_tins("１２-３４５６７８９") == "******６７８９"
    assert errors.mask_tins("NPI 1234567893, ZIP 21239, 2019-07-01") == (
        "NPI 1234567893, ZIP 21239, 2019-07-01"
    )
    assert errors.shown(DEEP) == "<list>"
    assert errors.shown(HUGE) == "<int>"


def test_a_population_validates_its_org_ids_before_answering() -> None:
    """Nothing half-read: a blank org_id refuses the population when evaluated, naming the
    row, rather than later when the table's org_id column is read."""
    rows = [dict(row) for row in ROWS]
    rows[2]["org_id"] = ""
    with pytest.raises(qr.InvalidInput) as raised:
        analysis.evaluate(rows, PY2019)
    assert raised.value.field == "records[2].org_id"


# -- time zones a caller wrote -----------------------------------------------------------------
ODD_OFFSETS = [
    ("30 hours", _dt.timedelta(hours=30)),
    ("minus 24 hours", _dt.timedelta(hours=-24)),
    ("an integer", 3600),
    ("a float", 1.5),
    ("text", "+01:00"),
]


@pytest.mark.parametrize(("case", "offset"), ODD_OFFSETS, ids=[row[0] for row in ODD_OFFSETS])
@pytest.mark.parametrize("kind", ["datetime", "pendulum"])
def test_a_time_zone_with_an_impossible_offset_is_invalid_input(
    case: str, offset: Any, kind: str
) -> None:
    """instant, utc_key, Window.contains and policy_for(as_of=...) refuse such a value with
    InvalidInput naming the field, never ValueError, TypeError or AttributeError."""
    maker = _dt.datetime if kind == "datetime" else pendulum.DateTime
    at = maker(2019, 5, 1, 12, tzinfo=OddZone(offset))
    window = qr.Window(qr.eastern(2019, 1, 1), qr.eastern(2020, 1, 1))
    checks: list[tuple[str, Any]] = [
        ("opens", lambda: qr.instant(at, "opens")),
        ("at", lambda: qr.time.utc_key(at)),
        ("at", lambda: window.contains(at)),
        ("as_of", lambda: qr.policy_for(2019, as_of=at)),
    ]
    for field, check in checks:
        with pytest.raises(qr.InvalidInput) as raised:
            check()
        assert raised.value.field == field
        assert "UTC offset" in str(raised.value)


def test_a_time_zone_that_raises_is_invalid_input() -> None:
    class Broken(OddZone):
        def utcoffset(self, _: _dt.datetime | None) -> Any:
            raise RuntimeError("no tz database")

    at = _dt.datetime(2019, 5, 1, tzinfo=Broken(None))
    with pytest.raises(qr.InvalidInput, match="no tz database"):
        qr.instant(at)
    with pytest.raises(qr.InvalidInput):
        qr.Window(qr.eastern(2019, 1, 1), qr.eastern(2020, 1, 1)).contains(at)
    with pytest.raises(qr.InvalidInput, match="no tz database"):
        qr.reform(PY2019, {"access.cpc_plus_connections_open": at}, label="x")
    with pytest.raises(qr.InvalidInput, match="no tz database"):
        serialization.from_dict(at, _dt.datetime)


def test_a_time_zone_without_an_offset_stays_naive_everywhere() -> None:
    at = _dt.datetime(2019, 5, 1, tzinfo=OddZone(None))
    for check in (lambda: qr.instant(at), lambda: qr.time.utc_key(at),
                  lambda: qr.Window(qr.eastern(2019, 1, 1), qr.eastern(2020, 1, 1)).contains(at)):
        with pytest.raises(qr.NaiveDateTime):
            check()
