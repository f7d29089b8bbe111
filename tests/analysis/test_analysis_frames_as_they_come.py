"""Populations as analysts hand them over: numbers written with separators, files polars
cannot read, input columns named like the answers, and a pandas index to join back on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest

import qpp_rules as qr
from qpp_rules.analysis import compare, evaluate

PY2019, PY2021 = qr.policy_for(2019), qr.policy_for(2021)


def _row(**values: Any) -> dict[str, Any]:
    return {"org_id": "A", "kind": "Practice", "clinicians": 30, **values}


@pytest.mark.parametrize(("column", "written"), [
    ("allowed_charges", "90.300,50"), ("allowed_charges", "$90,30"),
    ("clinicians", "2,5"), ("clinicians", "1,00"), ("patients", "1,2,3"),
    ("patients", "0,030"),
])
def test_a_comma_that_is_not_a_thousands_separator_is_refused_not_dropped(
    column: str, written: str,
) -> None:
    with pytest.raises(qr.InvalidInput, match=rf"\.{column}: .*a comma only between groups"):
        evaluate([_row(**{column: written})], PY2021)


def test_thousands_separators_and_a_whole_float_written_as_text_are_read() -> None:
    table = evaluate([_row(clinicians="1,200", allowed_charges="$90,300.50", patients="3.0",
                           covered_services="250")], PY2021)
    assert table.column("web_interface") == ("yes",)
    assert table.column("opt_in_status") == ("opt_in_eligible",)


def test_a_csv_pandas_wrote_with_gaps_in_a_count_column_is_read(tmp_path: Path) -> None:
    frame = pd.DataFrame({"org_id": ["A", "B"], "kind": ["Practice", "Practice"],
                          "clinicians": [30, 10], "patients": [250, None]})
    frame.to_csv(tmp_path / "people.csv", index=False)  # patients: 250.0 and a gap
    table = evaluate(tmp_path / "people.csv", PY2021)
    assert table.column("web_interface") == ("yes", "no")


def test_more_clinicians_than_any_practice_has_is_invalid_saying_so() -> None:
    frame = evaluate([_row(clinicians=10**9)], PY2021).to_dataframe()
    assert frame["web_interface"][0] == "invalid"
    assert "to 10,000,000" in frame["web_interface_why"][0]


def test_what_polars_cannot_read_is_invalid_input_with_tins_masked(tmp_path: Path) -> None:
    lines = ["org_id,kind,clinicians", *(f"O{i},Practice,30" for i in range(300))]
    lines[250] = "O249,Practice,123-45-6789"
    (tmp_path / "people.csv").write_text("\n".join(lines) + "\n")
    (tmp_path / "broken.parquet").write_text("not parquet")
    readers: list[Callable[[], Any]] = [
        lambda: pl.scan_csv(tmp_path / "people.csv", infer_schema_length=100),
        lambda: pl.scan_csv(tmp_path / "missing.csv"),
        lambda: pl.scan_parquet(tmp_path / "broken.parquet"),
    ]
    for read in readers:
        with pytest.raises(qr.InvalidInput, match="polars could not read it") as caught:
            evaluate(read(), PY2021).counts("web_interface")
        assert "123-45-6789" not in str(caught.value)
        assert caught.value.__context__ is None


def test_an_input_column_named_like_an_output_column_is_refused_with_include_input() -> None:
    mine = pd.DataFrame({"org_id": ["A"], "kind": ["Practice"], "clinicians": [30],
                         "web_interface": ["my own"], "cahps_rules": ["mine"]})
    with pytest.raises(qr.InvalidInput, match="'web_interface' has the name of an output"):
        evaluate(mine, PY2021).to_dataframe(include_input=True)
    with pytest.raises(qr.InvalidInput, match="'web_interface' has the name of an output"):
        evaluate(pl.DataFrame(mine.to_dict("list")), PY2021).to_polars(include_input=True)
    assert list(evaluate(mine, PY2021).to_dataframe()["web_interface"]) == ["yes"]
    renamed = mine.rename(columns={"web_interface": "web_interface_before"})
    with pytest.raises(qr.InvalidInput, match="'web_interface_before' has the name"):
        compare(renamed, PY2019, PY2021).to_dataframe(include_input=True)


def test_a_comparison_keeps_the_input_index_as_an_evaluation_does() -> None:
    frame = pd.DataFrame({"org_id": ["A", "B"], "kind": ["Practice"] * 2,
                          "clinicians": [30, 10]}, index=[10, 20])
    assert list(compare(frame, PY2019, PY2021).to_dataframe(True).index) == [10, 20]
    assert list(evaluate(frame, PY2019).to_dataframe(True).index) == [10, 20]


def test_every_input_kind_gives_the_same_tables_in_pandas_and_polars() -> None:
    rows = [{"org_id": f"O{i}", "kind": "Practice", "clinicians": n}
            for i, n in enumerate([30, 10, 30, 120, 2])]
    inputs = [rows, pd.DataFrame(rows), pl.DataFrame(rows), pl.DataFrame(rows).lazy()]
    expected = evaluate(rows, PY2021).columns
    for given in inputs:
        table = evaluate(given, PY2021)
        polars = table.to_polars()
        polars = polars.collect() if isinstance(polars, pl.LazyFrame) else polars
        pandas = table.to_dataframe()
        for name in ("org_id", "web_interface", "cahps", "automatic"):
            assert tuple(polars[name].cast(pl.String).to_list()) == expected[name], given
            assert tuple(pandas[name].tolist()) == expected[name], given
        assert [tuple(r) for r in pandas["web_interface_rules"]] == list(
            expected["web_interface_rules"])


def test_records_the_library_wrote_are_read_in_one_pass() -> None:
    """``Population.rows()`` holds the library's vocabularies (``OrgType``,
    ``ReportingTrack``): read back, each distinct raw key is parsed once (the raw keys are
    kept), not row by row."""
    from qpp_rules.analysis import QUESTIONS, Population, example_population

    rows = [dict(row) for row in example_population().rows()]
    names = QUESTIONS[0].columns
    raw, parsed = Population.from_records(rows).encoded(names)
    assert raw[0] == tuple(rows[0][name] for name in names)  # the raw key, not re-parsed
    assert len(parsed) == len(set(raw))


def test_money_written_with_underscores_is_refused() -> None:
    with pytest.raises(qr.InvalidInput, match=r"\.allowed_charges: an amount of dollars"):
        evaluate([_row(allowed_charges="1_000")], PY2021)
