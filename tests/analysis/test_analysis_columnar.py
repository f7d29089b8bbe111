"""The columnar path, count tables and DataFrames as they come.

The frame path (polars, pandas, a polars LazyFrame, Parquet) and the records path give the
same answers and the same deciding rule IDs (REG-ELIG-1..4, REG-ELIG-7, REG-AUTO-1/2,
ELE-ELIG-1) for every organization, under every year and reform; a count table (``sweep``,
``compare_many``), which decides one representative per class of facts, counts exactly what
``evaluate`` counts.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.analysis import (
    QUESTIONS,
    Population,
    compare,
    compare_many,
    evaluate,
    example_population,
    sweep,
)
from qpp_rules.testing.strategies import policy_years, reforms

pandas = pytest.importorskip("pandas")
polars = pytest.importorskip("polars")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "src/qpp_rules/analysis/data/example_population.csv"
NAMES = [q.name for q in QUESTIONS]

_money = st.one_of(
    st.none(),
    st.integers(0, 200_000).map(str),
    st.integers(0, 20_000_000).map(lambda cents: str(Decimal(cents) / 100)),
    st.sampled_from(["90000", "90000.00", "90000.01", "$90,300"]),
)
_count = st.one_of(st.none(), st.integers(0, 400), st.sampled_from([200, 201]))
_rows = st.fixed_dictionaries(
    {
        "org_id": st.text("ABC123", min_size=1, max_size=4),
        "kind": st.sampled_from([k.value for k in qr.OrgType]),
        "clinicians": st.one_of(st.integers(0, 160), st.sampled_from([1, 2, 15, 16, 24, 25])),
    },
    optional={
        "apm_model": st.one_of(st.none(), st.sampled_from(
            [m.value for m in qr.ApmModel] + ["ssp", "ngaco"])),
        "ssp_aco_participant": st.booleans(),
        "split_tin_mips_clinicians": st.one_of(st.none(), st.integers(0, 160)),
        "submitted_web_interface_prior_year": st.booleans(),
        "allowed_charges": _money,
        "patients": _count,
        "covered_services": _count,
    },
)
_policies = st.one_of(policy_years(), reforms())


def _full(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every row with every column (None where absent): a frame's shape."""
    names = list(dict.fromkeys(name for row in rows for name in row))
    return [{name: row.get(name) for name in names} for row in rows]


def _answers(table: Any) -> dict[str, tuple[Any, ...]]:
    return {name: table.column(name) for name in table.columns}


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(_rows, min_size=1, max_size=25, unique_by=lambda row: row["org_id"]),
       _policies)
def test_records_polars_pandas_and_lazy_frames_agree_on_every_answer_and_rule(
        rows: list[dict[str, Any]], policy: qr.PolicyYear) -> None:
    """The columnar path is an optimisation, never a second implementation."""
    full = _full(rows)
    expected = _answers(evaluate(full, policy))
    frame = polars.DataFrame(full, infer_schema_length=None, strict=False)
    assert _answers(evaluate(frame, policy)) == expected
    assert _answers(evaluate(frame.lazy(), policy)) == expected
    assert _answers(evaluate(pandas.DataFrame(full), policy)) == expected
    table = evaluate(frame, policy)
    joined = table.to_polars()
    for name in NAMES:
        assert tuple(joined[name].cast(polars.String).to_list()) == expected[name]
        assert [tuple(r) for r in joined[f"{name}_rules"].to_list()] == list(
            expected[f"{name}_rules"])


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(_rows, min_size=1, max_size=25, unique_by=lambda row: row["org_id"]),
       st.lists(_policies, min_size=1, max_size=3))
def test_count_tables_decide_classes_exactly_as_every_combination(
        rows: list[dict[str, Any]], policies: list[qr.PolicyYear]) -> None:
    """REG-ELIG-1/2/7 and ELE-ELIG-1 read numbers only through their thresholds: one
    representative per class counts what deciding every combination counts."""
    population = Population.from_records(_full(rows))
    table = compare_many(population, policies)
    for index, policy in enumerate(policies):
        table_counts = table.counts[index]
        evaluated = evaluate(population, policy)
        for name in NAMES:
            assert table_counts[name] == evaluated.counts(name)


def test_reg_elig_1_sweep_of_the_web_interface_minimum_counts_as_evaluate_does() -> None:
    """A sweep shares each class's answer across its values (REG-ELIG-1's threshold is the
    swept path); each value's counts are those of evaluating its reform alone."""
    py2019 = qr.policy_for(2019)
    path = "registration.web_interface_min_clinicians"
    values = [2, 15, 24, 25, 26, 60, 100]
    curve = sweep(EXAMPLE, py2019, path, values)
    for value, counts in zip(values, curve.counts, strict=True):
        reformed = qr.reform(py2019, {path: value}, label="one")
        for name in NAMES:
            assert counts[name] == evaluate(EXAMPLE, reformed).counts(name)
    shares = curve.shares("web_interface")
    assert shares == sorted(shares, reverse=True)
    assert {row["value"] for row in curve.rows()} == set(values)
    assert list(curve.to_dataframe().columns) == [
        "policy", "value", "question", "answer", "count", "share"]


def test_sweep_plot_draws_the_share_allowed_against_the_value() -> None:
    pytest.importorskip("matplotlib")
    curve = sweep(example_population(), qr.policy_for(2021),
                  "registration.cahps_min_clinicians", range(2, 30, 4))
    figure = curve.plot()
    (axis,) = figure.axes
    assert [line.get_label() for line in axis.get_lines()] == [
        "web_interface: yes", "cahps: yes"]
    assert list(axis.get_lines()[1].get_xdata()) == list(range(2, 30, 4))


def test_compare_many_years_counts_as_evaluate_each_year() -> None:
    years = [qr.policy_for(y) for y in qr.available_years()]
    table = compare_many(example_population(), years)
    assert table.labels == tuple(p.label for p in years)
    for policy, counts in zip(years, table.counts, strict=True):
        assert counts["automatic"] == evaluate(example_population(), policy).counts("automatic")


def test_a_lazy_frame_stays_lazy_and_parquet_is_read(tmp_path: Path) -> None:
    frame = polars.read_csv(EXAMPLE, infer_schema=False)
    expected = _answers(evaluate(EXAMPLE, qr.policy_for(2021)))
    lazy = evaluate(frame.lazy(), qr.policy_for(2021))
    assert isinstance(lazy.to_polars(), polars.LazyFrame)
    file = tmp_path / "population.parquet"
    frame.write_parquet(file)
    assert _answers(evaluate(file, qr.policy_for(2021))) == expected
    assert _answers(evaluate(str(file), qr.policy_for(2021))) == expected


def test_pandas_read_csv_of_the_bundled_population_as_pandas_reads_it() -> None:
    """pandas reads money as float and gaps as NaN: accepted, same answers as the CSV."""
    frame = pandas.read_csv(EXAMPLE)
    assert frame["allowed_charges"].dtype.kind == "f"
    policy = qr.policy_for(2019)
    assert _answers(evaluate(frame, policy)) == _answers(evaluate(EXAMPLE, policy))
    assert _answers(evaluate(frame.convert_dtypes(), policy)) == _answers(
        evaluate(EXAMPLE, policy))


def test_ele_elig_1_money_as_a_float_that_is_not_whole_cents_is_refused_with_the_fix() -> None:
    frame = pandas.DataFrame({"org_id": ["a", "b"], "kind": ["Practice"] * 2,
                              "clinicians": [3, 3], "allowed_charges": [90_300.5, 0.1 + 0.2]})
    with pytest.raises(qr.InvalidInput, match=r"whole cents.*round\(2\)") as caught:
        evaluate(frame, qr.policy_for(2019))
    assert caught.value.field == "frame[1].allowed_charges"


def test_gaps_of_every_kind_are_blanks() -> None:
    """None, NaN, pd.NA, NaT and polars nulls all read as a missing fact (ELE-ELIG-1:
    unknown opt-in status), never as a refusal."""
    rows = {"org_id": ["a", "b", "c", "d"], "kind": ["Practice"] * 4, "clinicians": [30] * 4,
            "patients": pandas.array([None, pandas.NA, 150, 250], dtype=object),
            "allowed_charges": [None, float("nan"), "90300", pandas.NaT],
            "covered_services": [234, 234, 234, 234]}
    table = evaluate(pandas.DataFrame(rows), qr.policy_for(2019))
    assert table.column("opt_in_status")[:2] == ("unknown", "unknown")
    lazy = polars.DataFrame({"org_id": ["a"], "kind": ["Practice"], "clinicians": [30],
                             "patients": [None]}, schema_overrides={"patients": polars.Int64})
    assert evaluate(lazy, qr.policy_for(2019)).column("opt_in_status") == ("unknown",)


def test_a_column_of_your_own_is_carried_through_to_the_outputs() -> None:
    frame = pandas.read_csv(EXAMPLE).assign(region="West").convert_dtypes()
    table = evaluate(frame, qr.policy_for(2021))
    out = table.to_dataframe(include_input=True)
    assert list(out["region"].unique()) == ["West"]
    assert {"web_interface", "web_interface_rules", "web_interface_why"} <= set(out.columns)
    assert out["web_interface_rules"].iloc[0]
    assert isinstance(out["web_interface_why"].iloc[0], str)
    mine = polars.read_csv(EXAMPLE).with_columns(region=polars.lit("West"))
    joined = evaluate(mine, qr.policy_for(2021)).to_polars(include_input=True)
    assert joined["region"].unique().to_list() == ["West"]
    assert joined.schema["web_interface_rules"] == polars.List(polars.Categorical)


def test_a_near_miss_of_a_fact_column_says_did_you_mean() -> None:
    for source in (pandas.DataFrame({"org_id": ["a"], "kind": ["Practice"], "clinicians": [3],
                                     "pateints": [150]}),
                   [{"org_id": "a", "kind": "Practice", "clinicians": 3, "Patients": 150}]):
        with pytest.raises(qr.InvalidInput, match="did you mean 'patients'"):
            evaluate(source, qr.policy_for(2019))


def test_a_result_names_the_fact_columns_it_did_not_find() -> None:
    table = evaluate([{"org_id": "a", "kind": "Practice", "clinicians": 3}], qr.policy_for(2019))
    assert "patients" in table.missing
    assert "kind" not in table.missing


def test_an_excel_csv_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    file = tmp_path / "excel.csv"
    file.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    assert _answers(evaluate(file, qr.policy_for(2019))) == _answers(
        evaluate(EXAMPLE, qr.policy_for(2019)))
    text = "\ufefforg_id,kind,clinicians\nA,Practice,30\n"
    assert len(Population.from_csv(io.StringIO(text))) == 1


def test_the_command_line_aliases_are_read_in_files_and_frames() -> None:
    """``--apm-model ssp`` and ``--allowed-charges $90,300`` are read the same way in a CSV
    cell and a DataFrame value (REG-ELIG-4: a PY2021 SSP ACO holds both programs)."""
    text = ("org_id,kind,clinicians,apm_model,allowed_charges,patients,covered_services\n"
            'A,APM Entity,120,ssp,"$90,300",150,234\n')
    table = evaluate(Population.from_csv(io.StringIO(text)), qr.policy_for(2021))
    assert table.column("automatic") == ("web_interface+cahps",)
    frame = pandas.DataFrame({"org_id": ["A"], "kind": ["apm-entity"], "clinicians": [120],
                              "apm_model": ["MSSP"]})
    assert evaluate(frame, qr.policy_for(2021)).column("automatic") == ("web_interface+cahps",)


def test_a_repeated_csv_header_column_is_refused() -> None:
    text = "org_id,kind,clinicians,clinicians\nA,Practice,30,3\n"
    with pytest.raises(qr.InvalidInput, match="appears twice") as caught:
        Population.from_csv(io.StringIO(text))
    assert caught.value.field == "csv line 1, column clinicians"


def test_a_pandas_frame_with_a_duplicated_column_is_refused_as_input() -> None:
    frame = pandas.DataFrame([["a", "Practice", 30, 3]],
                             columns=["org_id", "kind", "clinicians", "clinicians"])
    with pytest.raises(qr.InvalidInput, match="appears twice"):
        evaluate(frame, qr.policy_for(2019))
    with pytest.raises(qr.InvalidInput, match="appears twice"):
        Population.from_dataframe(frame)


def test_a_later_row_with_a_misspelt_column_is_judged_like_the_first() -> None:
    rows = [{"org_id": "a", "kind": "Practice", "clinicians": 30, "patients": 150},
            {"org_id": "b", "kind": "Practice", "clinicians": 30, "pateints": 150}]
    with pytest.raises(qr.InvalidInput, match="did you mean 'patients'") as caught:
        evaluate(rows, qr.policy_for(2019))
    assert caught.value.field == "records[1].pateints"


def test_reg_elig_1_comparison_frame_one_row_per_organization_and_the_changed_ones() -> None:
    """PY2019 -> PY2021: APM Entities gain the Web Interface (REG-ELIG-3)."""
    diff = compare(example_population(), qr.policy_for(2019), qr.policy_for(2021))
    frame = diff.to_dataframe()
    assert len(frame) == len(example_population())
    assert list(frame.columns[:6]) == [
        "org_id", "web_interface_before", "web_interface_after", "web_interface_changed",
        "web_interface_rules_before", "web_interface_rules_after"]
    moved = diff.changed("web_interface")
    assert len(moved) == sum(diff.changes("web_interface").values())
    assert len(moved) == int(frame["web_interface_changed"].sum())
    assert all("REG-ELIG-3" in rules for rules in moved["rules_before"])


@pytest.mark.parametrize(("path", "values"), [
    ("election.low_volume.patients", [100, 200, 201, 400]),
    ("election.low_volume.allowed_charges", [Decimal("0"), Decimal("90000"), Decimal("90300")]),
    ("registration.cahps_min_clinicians", [2, 16, 30]),
])
def test_ele_elig_1_and_reg_elig_2_sweeps_count_every_question_as_evaluate_does(
        path: str, values: list[Any]) -> None:
    """A sweep counts a question once when the swept path is outside what it reads (the
    registration questions under a low-volume sweep, ELE-ELIG-1 under a registration one):
    the counts are still each reform's own."""
    py2021 = qr.policy_for(2021)
    curve = sweep(EXAMPLE, py2021, path, values)
    for value, counts in zip(values, curve.counts, strict=True):
        reformed = qr.reform(py2021, {path: value}, label="one")
        for name in NAMES:
            assert counts[name] == evaluate(EXAMPLE, reformed).counts(name)


def test_values_a_frame_library_cannot_group_are_refused_naming_the_row() -> None:
    frame = pandas.DataFrame({"org_id": ["a", "b"], "kind": ["Practice", "Practice"],
                              "clinicians": [30, [3]]})
    with pytest.raises(qr.InvalidInput) as caught:
        evaluate(frame, qr.policy_for(2019))
    assert caught.value.field == "frame[1].clinicians"
    lists = polars.DataFrame({"org_id": ["a"], "kind": ["Practice"], "clinicians": [[30]]})
    with pytest.raises(qr.InvalidInput) as caught:
        evaluate(lists, qr.policy_for(2019))
    assert caught.value.field == "frame[0].clinicians"


def test_the_command_line_evaluates_a_parquet_population(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from qpp_rules.cli import main

    file = tmp_path / "population.parquet"
    polars.read_csv(EXAMPLE, infer_schema=False).write_parquet(file)
    assert main(["evaluate", str(file), "--year", "2019", "--rows", "0"]) == 0
    assert "PY2019: 4000 organizations (population.parquet)" in capsys.readouterr().out
