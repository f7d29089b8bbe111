"""qpp_rules.analysis: populations through one policy or two.

The population path must give, for every organization, exactly the answer of the library's
scalar rules (REG-ELIG-1..4, REG-AUTO-1/2, ELE-ELIG-1): broadcasting is an optimisation,
never a second implementation.
"""

from __future__ import annotations

import importlib.util
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.analysis import (
    COLUMNS,
    Population,
    compare,
    evaluate,
    example_population,
)
from qpp_rules.election import LowVolumeFacts, opt_in_status
from qpp_rules.registration import Organization, automatic_registrations, options

ROOT = Path(__file__).resolve().parents[2]


def _organization(row: dict[str, Any]) -> Organization:
    return Organization(
        kind=row["kind"],
        size=qr.SizeBand.from_clinicians(row["clinicians"]),
        apm_model=row["apm_model"],
        ssp_aco_participant=row["ssp_aco_participant"],
        split_tin_mips_clinicians=row["split_tin_mips_clinicians"],
        submitted_web_interface_prior_year=row["submitted_web_interface_prior_year"],
        clinicians=row["clinicians"],
    )


def test_example_population_is_the_generators_output() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_example_population", ROOT / "tools" / "make_example_population.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    bundled = (ROOT / "src/qpp_rules/analysis/data/example_population.csv").read_text()
    assert module.render() == bundled


def test_example_population_covers_every_type_and_band() -> None:
    population = example_population().validate()
    kinds = set(population.column("kind"))
    assert kinds == set(qr.OrgType)
    bands = {qr.SizeBand.from_clinicians(n) for n in population.column("clinicians")}
    assert bands == set(qr.SizeBand)
    assert {24, 25} <= set(population.column("clinicians"))


@pytest.mark.parametrize("year", [2018, 2019, 2021])
def test_every_answer_is_the_scalar_rules_answer(year: int) -> None:
    """REG-ELIG-1, REG-ELIG-3, REG-AUTO-1, ELE-ELIG-1: broadcast equals scalar, row by row."""
    policy = qr.policy_for(year)
    population = example_population()
    table = evaluate(population, policy)
    for row, wi, cahps, auto, status in zip(
        population.rows(),
        table.column("web_interface"),
        table.column("cahps"),
        table.column("automatic"),
        table.column("opt_in_status"),
        strict=True,
    ):
        found = options(_organization(row), policy)
        assert wi == ("yes" if found.web_interface.allowed else "no")
        assert cahps == ("yes" if found.cahps.allowed else "no")
        held = automatic_registrations(_organization(row), policy)
        assert (auto == "none") == (not held)
        facts = LowVolumeFacts(
            allowed_charges=row["allowed_charges"],
            patients=row["patients"],
            covered_services=row["covered_services"],
        )
        assert status == opt_in_status(facts, policy).name.lower()


def test_rule_ids_travel_with_each_answer() -> None:
    table = evaluate(example_population(), qr.policy_for(2019))
    for rules in table.column("web_interface_rules"):
        assert rules
        assert all(rule.startswith("REG-") for rule in rules)
    assert any("REG-ELIG-1" in rules for rules in table.column("web_interface_rules"))


def test_csv_records_and_dataframes_agree() -> None:
    policy = qr.policy_for(2021)
    csv_path = ROOT / "src/qpp_rules/analysis/data/example_population.csv"
    from_csv = evaluate(csv_path, policy)
    from_records = evaluate(list(example_population().rows()), policy)
    assert from_csv.columns == from_records.columns
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(csv_path, dtype=str, keep_default_na=False)
    assert evaluate(frame, policy).columns == from_csv.columns
    polars = pytest.importorskip("polars")
    assert evaluate(polars.read_csv(csv_path, infer_schema=False), policy).columns == (
        from_csv.columns
    )


def test_edge_24_versus_25_clinicians() -> None:
    """REG-ELIG-1: 24 clinicians may not register for the Web Interface, 25 may."""
    rows = [
        {"org_id": "small", "kind": "Practice", "clinicians": 24},
        {"org_id": "medium", "kind": "Practice", "clinicians": 25},
    ]
    table = evaluate(rows, qr.policy_for(2019))
    assert table.column("web_interface") == ("no", "yes")
    assert table.column("cahps") == ("yes", "yes")


def test_exactly_at_the_threshold_is_not_exceeding() -> None:
    """ELE-ELIG-1: exactly $90,000 / 200 / 200 exceeds nothing; a cent or one more does."""
    rows = [
        {"org_id": "at", "kind": "Practice", "clinicians": 5,
         "allowed_charges": "90000", "patients": 200, "covered_services": 200},
        {"org_id": "two", "kind": "Practice", "clinicians": 5,
         "allowed_charges": "90000.01", "patients": 201, "covered_services": 200},
        {"org_id": "all", "kind": "Practice", "clinicians": 5,
         "allowed_charges": "90000.01", "patients": 201, "covered_services": 201},
        {"org_id": "unknown", "kind": "Practice", "clinicians": 5},
    ]
    table = evaluate(rows, qr.policy_for(2019))
    assert table.column("opt_in_status") == (
        "exempt", "opt_in_eligible", "mips_eligible", "unknown"
    )


def test_compare_2019_with_2021_apm_entities_gain_the_web_interface() -> None:
    """REG-ELIG-3: APM Entities may register in 2021, not in 2019."""
    rows = [{"org_id": "aco", "kind": "APM Entity", "clinicians": 40,
             "apm_model": "Next Generation ACO Model"}]
    diff = compare(rows, qr.policy_for(2019), qr.policy_for(2021))
    assert diff.changes("web_interface") == {("no", "yes"): 1}
    assert "REG-ELIG-3" in diff.rules("web_interface")
    assert diff.rules_before("web_interface") == {"REG-ELIG-3": 1}
    (row,) = [r for r in diff.table() if r["question"] == "web_interface"]
    assert row["rules_before"] == ["REG-ELIG-3"]
    assert "REG-ELIG-3" in row["rules"]
    summary = json.loads(diff.to_json())
    assert summary["questions"]["web_interface"]["changed"] == 1
    assert summary["from"] == "PY2019"
    assert summary["to"] == "PY2021"


def test_a_reform_moves_the_web_interface_size_rule() -> None:
    """REG-ELIG-1 read from the table: with the Web Interface at 15 clinicians (a reform),
    a population that knows each count admits 15-24 and still refuses 14."""
    policy = qr.policy_for(2019)
    reform = qr.reform(policy, {"registration.web_interface_min_clinicians": 15},
                       label="WI at 15")
    rows = [{"org_id": str(n), "kind": "Practice", "clinicians": n} for n in (14, 15, 24, 25)]
    assert evaluate(rows, policy).column("web_interface") == ("no", "no", "no", "yes")
    assert evaluate(rows, reform).column("web_interface") == ("no", "yes", "yes", "yes")
    diff = compare(rows, policy, reform)
    assert diff.changes("web_interface") == {("no", "yes"): 2}
    assert diff.rules("web_interface")["REG-ELIG-1"] == 2
    assert diff.after.policy_label == "WI at 15"


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"org_id": "x", "kind": "Hospital", "clinicians": 3}, "records[0].kind"),
        ({"org_id": "x", "kind": "Practice", "clinicians": "many"}, "records[0].clinicians"),
        ({"org_id": "x", "kind": "Practice", "clinicians": 3, "allowed_charges": 1.005},
         "records[0].allowed_charges"),
        ({"org_id": "x", "kind": "Practice"}, "records.clinicians"),
        ({"org_id": "x", "kind": "Practice", "clinicians": 3, "pateints": "000765630"},
         "records[0].pateints"),
    ],
)
def test_bad_rows_name_their_row_and_column(row: dict[str, Any], field: str) -> None:
    with pytest.raises(qr.InvalidInput) as caught:
        evaluate([row], qr.policy_for(2019))
    assert caught.value.field == field
    assert "000765630" not in str(caught.value)


def test_csv_with_a_near_miss_of_a_known_column_is_refused_with_did_you_mean() -> None:
    text = "org_id,kind,clinicians,pateints\nA,Practice,3,150\n"
    with pytest.raises(qr.InvalidInput, match="did you mean 'patients'"):
        Population.from_csv(io.StringIO(text))


def test_outputs_csv_json_dataframe() -> None:
    rows = [{"org_id": "A", "kind": "Practice", "clinicians": 30}]
    table = evaluate(rows, qr.policy_for(2019))
    text = table.to_csv()
    assert text.splitlines()[0].startswith("org_id,web_interface,web_interface_rules")
    assert json.loads(table.to_json())["rows"][0]["web_interface"] == "yes"
    pytest.importorskip("pandas")
    assert list(table.to_dataframe()["org_id"]) == ["A"]


_rows = st.fixed_dictionaries(
    {
        "org_id": st.text("ABC123", min_size=1, max_size=5),
        "kind": st.sampled_from([k.value for k in qr.OrgType]),
        "clinicians": st.integers(2, 150),
    },
    optional={
        "ssp_aco_participant": st.booleans(),
        "submitted_web_interface_prior_year": st.booleans(),
        "allowed_charges": st.integers(85_000, 95_000).map(lambda n: str(Decimal(n))),
        "patients": st.integers(180, 220),
        "covered_services": st.integers(180, 220),
    },
)


@settings(max_examples=50)
@given(st.lists(_rows, min_size=1, max_size=30, unique_by=lambda row: row["org_id"]),
       st.randoms())
def test_evaluation_is_deterministic_and_order_free(rows: list[dict[str, Any]],
                                                    rng: Any) -> None:
    """Decisions are values: the same facts get the same answers, in any order."""
    policy = qr.policy_for(2021)
    first = evaluate(rows, policy).rows()
    assert evaluate(rows, policy).rows() == first
    shuffled = list(zip(rows, first, strict=True))
    rng.shuffle(shuffled)
    again = evaluate([r for r, _ in shuffled], policy).rows()
    assert again == [answer for _, answer in shuffled]


def test_columns_constant_lists_every_reader_column() -> None:
    assert COLUMNS[0] == "org_id"
    assert set(example_population().rows().__next__()) == set(COLUMNS)


def test_pandas_frames_with_gaps_agree_with_records() -> None:
    """A pandas frame of plain values, with gaps (NaN in number and text columns), gives the
    same answers as the same records: grouped in C, decided once per combination."""
    pandas = pytest.importorskip("pandas")
    rows = [
        {"org_id": "a", "kind": "Practice", "clinicians": 30, "apm_model": None,
         "split_tin_mips_clinicians": None, "ssp_aco_participant": True},
        {"org_id": "b", "kind": "Practice", "clinicians": 30, "apm_model": None,
         "split_tin_mips_clinicians": 20, "ssp_aco_participant": False},
        {"org_id": "c", "kind": "APM Entity", "clinicians": 120,
         "apm_model": "Medicare Shared Savings Program", "split_tin_mips_clinicians": None,
         "ssp_aco_participant": False},
        {"org_id": "d", "kind": "Virtual Group", "clinicians": 24, "apm_model": None,
         "split_tin_mips_clinicians": None, "ssp_aco_participant": False},
    ]
    frame = pandas.DataFrame(rows)
    assert frame["split_tin_mips_clinicians"].dtype.kind == "f"  # NaN gaps make floats
    for year in (2019, 2021):
        policy = qr.policy_for(year)
        assert evaluate(frame, policy).columns == evaluate(rows, policy).columns


def test_an_object_column_mixing_true_and_1_is_not_merged() -> None:
    """True == 1 in Python: grouping must not let a bool pass for a count of clinicians."""
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({
        "org_id": ["a", "b"], "kind": ["Practice", "Practice"],
        "clinicians": pandas.Series([25, True], dtype=object),
    })
    with pytest.raises(qr.InvalidInput) as caught:
        evaluate(frame, qr.policy_for(2019))
    assert caught.value.field == "frame[1].clinicians"


_LIMIT = st.integers(min_value=0, max_value=3)
_AMOUNT = st.one_of(st.none(), st.integers(min_value=0, max_value=4))


@settings(max_examples=150)
@given(_LIMIT, _LIMIT, st.one_of(st.none(), _LIMIT), _AMOUNT, _AMOUNT, _AMOUNT,
       st.booleans())
def test_ele_elig_1_opt_in_keys_agree_with_low_volume_facts_exceeds(
    charges_limit: int, patients_limit: int, services_limit: int | None,
    charges: int | None, patients: int | None, services: int | None, cents: bool,
) -> None:
    """The population's opt-in keys are the threshold's own comparison, the one
    ``LowVolumeFacts.exceeds`` makes: strictly greater (equality does not exceed), None for a
    missing amount, False for an element the year does not have (PY2018)."""
    from qpp_rules.analysis import QUESTIONS
    from qpp_rules.policy.model import LowVolumeThreshold

    threshold = LowVolumeThreshold(Decimal(charges_limit), patients_limit, services_limit)
    year = 2018 if services_limit is None else 2019  # PY2018: the two-element threshold
    policy = qr.reform(qr.policy_for(year), {"election.low_volume": threshold}, label="t")
    money = None if charges is None else Decimal(charges) + (Decimal("0.5") if cents else 0)
    keys = QUESTIONS[3].keys
    assert keys is not None
    found = keys((money, patients, services), policy)
    filled = LowVolumeFacts(money or Decimal(0), patients or 0, services or 0)
    flags = dict(zip(threshold.elements, filled.exceeds(threshold), strict=True))
    assert found == (None if money is None else flags["allowed_charges"],
                     None if patients is None else flags["patients"],
                     False if services_limit is None else None if services is None
                     else flags["covered_services"])
    if None not in found:  # every amount known: the facts themselves answer alike
        known = LowVolumeFacts(money, patients, services)
        assert found[:len(threshold.elements)] == known.exceeds(threshold)


def test_pol_unk_1_a_year_without_its_threshold_keys_every_record_alike() -> None:
    from qpp_rules.analysis import QUESTIONS

    unknown = qr.reform(qr.policy_for(2019), {"election.low_volume": None}, label="unknown")
    keys = QUESTIONS[3].keys
    assert keys is not None
    assert keys((Decimal(1), None, 5), unknown) == keys((None, 900, None), unknown) == (
        False, False, False)
    assert evaluate([{"org_id": "A", "kind": "Practice", "clinicians": 3,
                      "allowed_charges": "100", "patients": 1, "covered_services": 1}],
                    unknown).column("opt_in_status") == ("unknown",)
