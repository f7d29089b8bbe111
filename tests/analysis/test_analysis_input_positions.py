"""How a population names a row, the same way for every input: records, a pandas or polars
DataFrame and a polars LazyFrame by 0-based position (``records[2]``, ``frame[2]``), a CSV
file by the line of the file the row starts on (``x.csv line 5``). With it: a missing
required column is refused once, a repeated org_id names both rows, and an empty sweep or
comparison is refused."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import qpp_rules as qr
from qpp_rules.analysis import Population, compare_many, evaluate, sweep

pandas = pytest.importorskip("pandas")
polars = pytest.importorskip("polars")

PY2021 = qr.policy_for(2021)


def _rows(third: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"org_id": "A", "kind": "Practice", "clinicians": 30},
            {"org_id": "B", "kind": "Practice", "clinicians": 12},
            {"org_id": "C", "kind": "Practice", "clinicians": 9} | third]


def _polars(rows: list[dict[str, Any]]) -> Any:
    """A polars frame of text columns (as ``read_csv(infer_schema=False)`` gives)."""
    return polars.DataFrame({name: [str(row[name]) for row in rows] for name in rows[0]})


# a blank line and a cell quoted over two lines before the third row: it starts on line 6
_CSV = ('org_id,kind,clinicians,name\nA,Practice,30,\n\nB,Practice,12,"two\nlines"\n'
        "C,Practice,{clinicians},\n")
_INPUTS: dict[str, Callable[[list[dict[str, Any]]], Any]] = {
    "records": lambda rows: rows,
    "pandas": lambda rows: pandas.DataFrame(rows, dtype=object),
    "polars": lambda rows: _polars(rows),
    "lazy": lambda rows: _polars(rows).lazy(),
}
_WHERE = {"records": "records[2]", "pandas": "frame[2]", "polars": "frame[2]",
          "lazy": "frame[2]"}


@pytest.mark.parametrize("kind", sorted(_INPUTS))
@pytest.mark.parametrize("read", ["evaluate", "validate"])
def test_a_malformed_value_is_named_by_its_0_based_position_in_python_data(
        kind: str, read: str) -> None:
    data = _INPUTS[kind](_rows({"clinicians": "many"}))
    reader = Population.from_records if kind == "records" else Population.from_dataframe
    action = (lambda: evaluate(data, PY2021)) if read == "evaluate" \
        else (lambda: reader(data).validate())
    with pytest.raises(qr.InvalidInput, match="a whole number") as caught:
        action()
    assert caught.value.field == f"{_WHERE[kind]}.clinicians"


@pytest.mark.parametrize("read", ["evaluate", "validate"])
def test_a_malformed_value_in_a_csv_file_is_named_by_its_line(
        tmp_path: Path, read: str) -> None:
    file = tmp_path / "people.csv"
    file.write_text(_CSV.format(clinicians="many"), encoding="utf-8")
    action = (lambda: evaluate(file, PY2021)) if read == "evaluate" \
        else (lambda: Population.from_csv(file).validate())
    with pytest.raises(qr.InvalidInput, match="a whole number") as caught:
        action()
    assert caught.value.field == "people.csv line 6, column clinicians"
    assert file.read_text(encoding="utf-8").splitlines()[5].startswith("C,")


def test_a_csv_row_with_too_many_cells_is_named_by_its_line() -> None:
    text = "org_id,kind,clinicians\n\nA,Practice,30,extra\n"
    with pytest.raises(qr.InvalidInput, match="more cells") as caught:
        Population.from_csv(io.StringIO(text))
    assert caught.value.field == "csv line 3"


@pytest.mark.parametrize("kind", sorted(_INPUTS))
def test_a_required_column_missing_everywhere_is_refused_once_naming_it(kind: str) -> None:
    rows = [{"org_id": f"O{n}", "kind": "Practice", "clinician_count": 3} for n in range(50)]
    with pytest.raises(qr.InvalidInput) as caught:
        evaluate(_INPUTS[kind](rows), PY2021)
    where = "records" if kind == "records" else "frame"
    assert caught.value.field == f"{where}.clinicians"
    assert caught.value.message == (
        "a required column; the input has none (did you mean 'clinician_count'?)")
    assert len(caught.value.problems) == 1


def test_a_required_column_missing_from_a_csv_header_is_refused_at_line_1() -> None:
    text = "org_id,clinicians\nA,30\nB,12\n"
    with pytest.raises(qr.InvalidInput, match="a required column") as caught:
        Population.from_csv(io.StringIO(text))
    assert caught.value.field == "csv line 1, column kind"


def test_a_required_value_missing_from_one_record_names_that_record() -> None:
    rows = _rows({})
    del rows[2]["clinicians"]
    with pytest.raises(qr.InvalidInput, match="required") as caught:
        evaluate(rows, PY2021)
    assert caught.value.field == "records[2].clinicians"


@pytest.mark.parametrize("kind", [*sorted(_INPUTS), "csv"])
def test_a_repeated_org_id_is_refused_by_a_table_of_organizations_naming_both_rows(
    kind: str,
) -> None:
    rows = [{"org_id": "000765630", "kind": "Practice", "clinicians": 30},
            {"org_id": "B", "kind": "Practice", "clinicians": 12},
            {"org_id": "000765630", "kind": "Practice", "clinicians": 9}]
    if kind == "csv":
        data: Any = io.StringIO("org_id,kind,clinicians\n" + "".join(
            f"{r['org_id']},{r['kind']},{r['clinicians']}\n" for r in rows))
        first, second = "csv line 2", "csv line 4"
        data = Population.from_csv(data)
    else:
        data = _INPUTS[kind](rows)
        first, second = _WHERE[kind].replace("2", "0"), _WHERE[kind]
    table = evaluate(data, PY2021)  # counts take each row as one organization
    assert sum(table.counts("web_interface").values()) == 3
    with pytest.raises(qr.InvalidInput, match="again") as caught:
        table.to_dataframe()  # a table lists each organization once
    text = str(caught.value)
    assert first in text
    assert caught.value.field.startswith(second)
    assert "*****5630" in text
    assert "000765630" not in text
    with pytest.raises(qr.InvalidInput, match="again"):
        evaluate(data, PY2021).to_polars()


def test_distinct_org_ids_pass() -> None:
    assert len(evaluate(_rows({}), PY2021)) == 3


def test_sweep_refuses_an_empty_list_of_values() -> None:
    with pytest.raises(qr.InvalidInput) as caught:
        sweep(_rows({}), PY2021, "registration.web_interface_min_clinicians", [])
    assert caught.value.field == "values"


def test_compare_many_refuses_an_empty_list_of_policies() -> None:
    with pytest.raises(qr.InvalidInput) as caught:
        compare_many(_rows({}), [])
    assert caught.value.field == "policies"
