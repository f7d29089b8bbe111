"""A table of many policies (``sweep``, ``compare_many``) read as asked: one question named as
text is one question; a question the table does not hold, or an answer the question never
gives, is refused naming ``questions`` or ``answer``; the answer read by default is the one
that says allowed (``yes``; ``opt_in_eligible`` for ELE-ELIG-1's opt-in status). A sweep names
what the year does not know (POL-UNK-1) and the value it cannot take by its position."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import qpp_rules as qr
from qpp_rules.analysis import QUESTIONS, Population, evaluate, example_population, sweep

WI_MIN = "registration.web_interface_min_clinicians"
PATIENTS = "election.low_volume.patients"


def _labels(figure: Any) -> list[str]:
    (axis,) = figure.axes
    return [line.get_label() for line in axis.get_lines()]


@pytest.fixture(scope="module")
def curve() -> Any:
    return sweep(example_population(), qr.policy_for(2021), WI_MIN, [10, 25, 50])


@pytest.fixture(scope="module")
def low_volume() -> Any:
    return sweep(example_population(), qr.policy_for(2021), PATIENTS, [100, 200, 400])


def test_reg_elig_1_a_question_named_as_text_is_drawn_as_one_question(curve: Any) -> None:
    pytest.importorskip("matplotlib")
    figure = curve.plot("web_interface")
    assert _labels(figure) == ["web_interface: yes"]
    (line,) = figure.axes[0].get_lines()
    assert list(line.get_ydata()) == [100 * s for s in curve.shares("web_interface")]


@pytest.mark.parametrize(("questions", "field"), [
    ("nope", "questions"), (["web_interface", "nope"], "questions[1]"), ([], "questions"),
    ([3], "questions[0]"),
])
def test_a_question_the_table_does_not_hold_is_refused_naming_it(
        curve: Any, questions: Any, field: str) -> None:
    with pytest.raises(qr.InvalidInput) as caught:
        curve.plot(questions)
    assert caught.value.field == field


def test_the_refusal_of_a_question_lists_the_tables_questions(curve: Any) -> None:
    with pytest.raises(qr.InvalidInput, match="web_interface, cahps, automatic, "
                       "opt_in_status"):
        curve.plot(["nope"])


@pytest.mark.parametrize("read", ["plot", "count", "shares"])
def test_an_answer_the_question_never_gives_is_refused_listing_its_answers(
        curve: Any, read: str) -> None:
    call: Callable[[], Any] = (lambda: curve.plot("web_interface", answer="maybe")) \
        if read == "plot" else (lambda: getattr(curve, read)("web_interface", "maybe"))
    with pytest.raises(qr.InvalidInput, match="its answers: yes, no") as caught:
        call()
    assert caught.value.field == "answer"


def test_ele_elig_1_yes_is_no_answer_of_the_opt_in_status(low_volume: Any) -> None:
    with pytest.raises(qr.InvalidInput, match="opt_in_eligible") as caught:
        low_volume.count("opt_in_status", "yes")
    assert caught.value.field == "answer"


def test_ele_elig_1_the_opt_in_status_reads_opt_in_eligible_by_default(
        low_volume: Any) -> None:
    eligible = low_volume.count("opt_in_status", "opt_in_eligible")
    assert low_volume.count("opt_in_status") == eligible
    assert eligible == [evaluate(example_population(), qr.reform(
        qr.policy_for(2021), {PATIENTS: value}, label="x")).counts("opt_in_status")
        ["opt_in_eligible"] for value in (100, 200, 400)]
    assert any(eligible)  # the curve is not flat at zero


def test_ele_elig_1_the_opt_in_status_is_drawn_as_opt_in_eligible(low_volume: Any) -> None:
    pytest.importorskip("matplotlib")
    figure = low_volume.plot("opt_in_status")
    assert _labels(figure) == ["opt_in_status: opt_in_eligible"]
    (line,) = figure.axes[0].get_lines()
    assert list(line.get_ydata()) == [100 * s for s in low_volume.shares("opt_in_status")]
    assert max(line.get_ydata()) > 0


def test_ele_elig_1_a_table_of_the_opt_in_status_alone_draws_it_by_default() -> None:
    pytest.importorskip("matplotlib")
    alone = sweep(example_population(), qr.policy_for(2021), PATIENTS, [100, 200],
                  [q for q in QUESTIONS if q.name == "opt_in_status"])
    assert _labels(alone.plot()) == ["opt_in_status: opt_in_eligible"]


def test_reg_auto_1_automatic_has_no_default_answer_and_names_its_answers(curve: Any) -> None:
    with pytest.raises(qr.InvalidInput, match="none, web_interface, cahps") as caught:
        curve.count("automatic")
    assert caught.value.field == "answer"
    assert len(curve.count("automatic", "web_interface")) == 3


def test_reg_elig_1_an_answer_the_question_gives_but_nobody_got_counts_zero() -> None:
    small = [{"org_id": "A", "kind": "Practice", "clinicians": 3}]
    table = sweep(small, qr.policy_for(2021), WI_MIN, [25, 50])
    assert table.count("web_interface") == [0, 0]
    assert table.shares("web_interface", "yes") == [0.0, 0.0]


# -- sweeping what the year does not know (POL-UNK-1), values the path does not take ----------

def test_pol_unk_1_a_sweep_below_a_value_the_year_does_not_know_says_so() -> None:
    with pytest.raises(qr.InvalidInput, match=r"PY2026 does not know election\.low_volume") \
            as caught:
        sweep(example_population(), qr.policy_for(2026), PATIENTS, [100, 200])
    assert caught.value.field == "path"
    assert "POL-UNK-1" in caught.value.message


def test_pol_unk_1_a_reform_below_a_value_the_year_does_not_know_says_so() -> None:
    with pytest.raises(qr.InvalidInput, match=r"PY2026 does not know election\.low_volume") \
            as caught:
        qr.reform(qr.policy_for(2026), {PATIENTS: 150}, label="x")
    assert caught.value.field == PATIENTS
    assert "no policy value" not in str(caught.value)


def test_a_swept_value_the_path_does_not_take_is_named_by_its_position() -> None:
    with pytest.raises(qr.InvalidInput, match="expected int") as caught:
        sweep(example_population(), qr.policy_for(2021), PATIENTS, [100, None])
    assert caught.value.field == "values[1]"
    assert PATIENTS in caught.value.message


def test_pol_unk_1_none_is_swept_where_a_reform_takes_it_as_not_known() -> None:
    """``qr.reform`` takes None for a value a year may not know (the Web Interface
    minimum): the sweep takes it too and answers as that reform does."""
    unknown = qr.reform(qr.policy_for(2021), {WI_MIN: None}, label="x")
    table = sweep(example_population(), qr.policy_for(2021), WI_MIN, [None])
    assert table.count("web_interface", "no") == [
        evaluate(example_population(), unknown).counts("web_interface")["no"]]


# -- a Parquet file names itself ---------------------------------------------------------------

def test_a_malformed_value_in_a_parquet_file_is_named_by_the_file_and_row(
        tmp_path: Path) -> None:
    polars = pytest.importorskip("polars")
    file = tmp_path / "people.parquet"
    polars.DataFrame({"org_id": ["A", "B", "C"], "kind": ["Practice"] * 3,
                      "clinicians": ["30", "12", "many"]}).write_parquet(file)
    for read in (lambda: evaluate(file, qr.policy_for(2021)),
                 lambda: evaluate(str(file), qr.policy_for(2021)),
                 lambda: Population.from_parquet(file).validate()):
        with pytest.raises(qr.InvalidInput, match="a whole number") as caught:
            read()
        assert caught.value.field == "people.parquet row 2, column clinicians"


def test_a_misspelt_or_missing_column_of_a_parquet_file_names_the_file(
        tmp_path: Path) -> None:
    polars = pytest.importorskip("polars")
    typo, short = tmp_path / "typo.parquet", tmp_path / "short.parquet"
    polars.DataFrame({"org_id": ["A"], "kind": ["Practice"], "clinicians": [3],
                      "pateints": [4]}).write_parquet(typo)
    polars.DataFrame({"org_id": ["A"], "kind": ["Practice"]}).write_parquet(short)
    with pytest.raises(qr.InvalidInput, match="did you mean") as caught:
        Population.from_parquet(typo)
    assert caught.value.field == "typo.parquet, column pateints"
    with pytest.raises(qr.InvalidInput, match="required") as caught:
        Population.from_parquet(short)
    assert caught.value.field == "short.parquet, column clinicians"


def test_a_repeated_org_id_in_a_parquet_file_names_both_rows(tmp_path: Path) -> None:
    polars = pytest.importorskip("polars")
    file = tmp_path / "twice.parquet"
    polars.DataFrame({"org_id": ["A", "A"], "kind": ["Practice"] * 2,
                      "clinicians": [3, 4]}).write_parquet(file)
    with pytest.raises(qr.InvalidInput, match=r"twice\.parquet row 0 again") as caught:
        evaluate(file, qr.policy_for(2021)).to_polars()
    assert caught.value.field == "twice.parquet row 1, column org_id"
