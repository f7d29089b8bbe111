"""``qpp-rules diff`` says why: per question what changed, the rules that decided it with
their titles (a rule counted only where it decided the change), the policy values behind it,
shares, ``--by`` breakdowns, formats and ``--output``, ``--reform-file``; ``years --diff``;
``paths``; nearest-name suggestions; CSV cells neutralised; usage errors masked."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

import qpp_rules as qr
from qpp_rules import cli
from qpp_rules.analysis import compare, example_population
from qpp_rules.cli.policyvalues import declared_type, policy_diff, value_paths
from qpp_rules.kernel.citations import rule
from qpp_rules.serialization import from_dict, to_dict

Capsys = pytest.CaptureFixture[str]


def run(capsys: Capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: Capsys, *argv: str) -> Any:
    code, out, err = run(capsys, *argv, "--json")
    assert (code, err) == (0, ""), err
    return json.loads(out)


def assert_one_line_error(err: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("qpp-rules: error: ")


# ---------------------------------------------------------------------------------------------
# diff: what changed, and why
# ---------------------------------------------------------------------------------------------
def test_diff_counts_each_question_s_changes_as_compare_does(capsys: Capsys) -> None:
    data = run_json(capsys, "diff", "--from", "2019", "--to", "2021")
    summary = compare(example_population(), qr.policy_for(2019), qr.policy_for(2021)).summary()
    assert (data["from"], data["to"], data["organizations"]) == ("PY2019", "PY2021", 4000)
    for question, entry in summary["questions"].items():
        mine = data["questions"][question]
        assert mine["changed"] == entry["changed"]
        assert mine["directions"] == entry["directions"]
        assert mine["share"] == pytest.approx(entry["changed"] / 4000)


def test_diff_reg_elig_1_is_not_counted_where_the_minimum_did_not_change(
    capsys: Capsys,
) -> None:
    """REG-ELIG-1 (25 clinicians for the CMS Web Interface) is the same in PY2019 and PY2021:
    it decided none of the 299 changes; REG-ELIG-3 (who may register) decided them all."""
    data = run_json(capsys, "diff", "--from", "2019", "--to", "2021")
    web = data["questions"]["web_interface"]
    assert web["changed"] == 299
    assert "REG-ELIG-1" not in web["rules"]
    assert web["rules"]["REG-ELIG-3"]["organizations"] == 299
    assert web["rules"]["REG-ELIG-3"]["title"] == rule("REG-ELIG-3").title
    assert web["policy_values"] == ["registration.may_register"]
    assert "registration.web_interface_min_clinicians" not in {
        change["path"] for change in data["policy_changes"]}


def test_diff_reg_elig_4_decides_the_py2021_automatic_registrations(capsys: Capsys) -> None:
    """REG-ELIG-4: PY2021 registers SSP ACOs automatically; the carry-over rule REG-AUTO-1,
    which did not change, is not counted."""
    automatic = run_json(capsys, "diff", "--from", "2019", "--to", "2021")["questions"][
        "automatic"]
    assert automatic["rules"]["REG-ELIG-4"]["organizations"] == automatic["changed"] == 160
    assert "REG-AUTO-1" not in automatic["rules"]
    assert automatic["policy_values"] == ["registration.ssp_aco_automatic"]


def test_diff_reform_of_reg_elig_1_is_decided_by_reg_elig_1(capsys: Capsys) -> None:
    """REG-ELIG-1 reformed to 15 clinicians: the changes are decided by the minimum
    (REG-ELIG-1, and REG-ELIG-7 for a split TIN's count against it), the policy value behind
    them is the minimum, with both values and citations."""
    data = run_json(capsys, "diff", "--from", "2021", "--to", "2021",
                    "--reform", "registration.web_interface_min_clinicians=15")
    web = data["questions"]["web_interface"]
    assert data["to"] == "PY2021 + reform"
    assert web["changed"] > 0
    assert set(web["rules"]) <= {"REG-ELIG-1", "REG-ELIG-7"}
    assert web["rules"]["REG-ELIG-1"]["organizations"] > web["changed"] / 2
    assert web["policy_values"] == ["registration.web_interface_min_clinicians"]
    (change,) = data["policy_changes"]
    assert (change["before"], change["after"]) == (25, 15)
    assert "REG-ELIG-1" in change["before_citation"]["rules"]
    assert change["after_citation"]["source"] == "reform"
    assert data["reform"] == [{"path": "registration.web_interface_min_clinicians",
                               "value": 15}]


def test_diff_table_names_each_rule_with_its_title_count_and_share(capsys: Capsys) -> None:
    code, out, err = run(capsys, "diff", "--from", "2019", "--to", "2021")
    assert (code, err) == (0, "")
    assert out.startswith("PY2019 -> PY2021: 4000 organizations")
    flat = " ".join(out.split())
    assert "web_interface: 299 of 4000 organizations change answer (7.5%)" in flat
    assert f"REG-ELIG-3 299 (7.5%) {' '.join(rule('REG-ELIG-3').title.split())}" in flat
    assert "registration.may_register:" in out
    assert "opt_in_status: no change" in out


def test_diff_by_kind_and_size_breaks_each_change_down(capsys: Capsys) -> None:
    data = run_json(capsys, "diff", "--from", "2019", "--to", "2021", "--by", "kind,size")
    population = example_population()
    kinds = [kind.value for kind in population.column("kind")]
    sizes = [qr.SizeBand.from_clinicians(n).value for n in population.column("clinicians")]
    for entry in data["questions"].values():
        assert sum(group["organizations"] for group in entry["groups"]) == entry["changed"]
        for group in entry["groups"]:
            kind, size = group["group"]["kind"], group["group"]["size"]
            assert group["of"] == sum(1 for k, s in zip(kinds, sizes, strict=True)
                                      if (k, s) == (kind, size))
            assert group["share"] == pytest.approx(group["organizations"] / group["of"])
    apm = [g for g in data["questions"]["web_interface"]["groups"]
           if g["group"]["kind"] == "APM Entity"]
    assert apm
    assert all(g["before"] == "no" for g in apm)


def test_diff_csv_markdown_and_output_file(capsys: Capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "diff", "--from", "2019", "--to", "2021", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    web = [row for row in rows if row["question"] == "web_interface"]
    assert [(row["before"], row["after"], row["organizations"]) for row in web] == [
        ("no", "yes", "299")]
    assert web[0]["share"] == "7.5%"
    assert web[0]["rules"].startswith("REG-ELIG-3 (")
    assert web[0]["policy values"] == "registration.may_register"
    target = tmp_path / "diff.md"
    code, out, _ = run(capsys, "diff", "--from", "2019", "--to", "2021", "--format",
                       "markdown", "--by", "kind", "--output", str(target))
    assert (code, out) == (0, "")
    table = target.read_text(encoding="utf-8").splitlines()
    assert table[0] == ("| question | before | after | kind | organizations | of | share | rules "
                        "| policy values |")
    assert any(line.startswith("| web_interface | no | yes | APM Entity |") for line in table)


def test_diff_csv_neutralises_cells_a_spreadsheet_would_run(
    capsys: Capsys, tmp_path: Path
) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("org_id,kind,clinicians,name\nA,APM Entity,30,=HYPERLINK(1)\n"
                    "B,APM Entity,30,@SUM(1)\nC,Practice,30,+1\n", encoding="utf-8")
    code, out, _ = run(capsys, "diff", "--from", "2019", "--to", "2021", str(path),
                       "--by", "name", "--format", "csv")
    assert code == 0
    names = {row["name"] for row in csv.DictReader(io.StringIO(out)) if row["name"]}
    assert names == {"'=HYPERLINK(1)", "'@SUM(1)"}
    assert "\n=" not in out
    assert ",=" not in out


def test_diff_reform_file_applies_several_changes_at_once(capsys: Capsys, tmp_path: Path) -> None:
    """REG-ELIG-1 and ELE-ELIG-1 reformed together from one TOML file."""
    reform = tmp_path / "reform.toml"
    reform.write_text(
        'label = "lower bars"\n[registration]\nweb_interface_min_clinicians = 15\n'
        '[election.low_volume]\nallowed_charges = "50000"\npatients = 100\n'
        "covered_services = 100\n", encoding="utf-8")
    data = run_json(capsys, "diff", "--from", "2021", "--to", "2021", "--reform-file",
                    str(reform))
    assert data["to"] == "lower bars"
    assert {c["path"] for c in data["policy_changes"]} == {
        "registration.web_interface_min_clinicians", "election.low_volume.allowed_charges",
        "election.low_volume.patients", "election.low_volume.covered_services"}
    assert "REG-ELIG-1" in data["questions"]["web_interface"]["rules"]
    assert "election.low_volume.patients" in data["questions"]["opt_in_status"]["policy_values"]


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["--reform", "registration.web_interface_min_clinican=15"],
         "did you mean registration.web_interface_min_clinicians"),
        (["--by", "knd"], "did you mean kind"),
        (["--by", "sise"], "did you mean size"),
    ],
)
def test_a_mistyped_path_or_column_suggests_the_nearest(
    capsys: Capsys, argv: list[str], suggestion: str
) -> None:
    code, out, err = run(capsys, "diff", "--from", "2019", "--to", "2021", *argv)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert suggestion in err


def test_a_mistyped_path_in_a_reform_file_suggests_the_nearest(
    capsys: Capsys, tmp_path: Path
) -> None:
    reform = tmp_path / "reform.toml"
    reform.write_text("[registration]\ncahps_min_clinician = 3\n", encoding="utf-8")
    code, _, err = run(capsys, "diff", "--from", "2021", "--to", "2021", "--reform-file",
                       str(reform))
    assert code == 2
    assert_one_line_error(err)
    assert "did you mean registration.cahps_min_clinicians" in err
    for text in ("not toml [", "label = 3\n", ""):
        reform.write_text(text, encoding="utf-8")
        code, _, err = run(capsys, "diff", "--from", "2021", "--to", "2021", "--reform-file",
                           str(reform))
        assert code == 2, text
        assert_one_line_error(err)


def test_a_mistyped_csv_column_suggests_the_nearest(capsys: Capsys, tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("org_id,kind,clinicans\nA,Practice,30\n", encoding="utf-8")
    code, _, err = run(capsys, "evaluate", str(path))
    assert code == 2
    assert "did you mean 'clinicians'" in err


def test_diff_plot_labels_counts_and_shares(capsys: Capsys, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.axes import Axes
    labels: list[str] = []
    original = Axes.bar_label

    def spy(self: Axes, container: Any, *args: Any, **kwargs: Any) -> Any:
        labels.extend(kwargs.get("labels") or [])
        return original(self, container, *args, **kwargs)

    monkeypatch.setattr(Axes, "bar_label", spy)
    target = tmp_path / "diff.png"
    code, _, _ = run(capsys, "diff", "--from", "2019", "--to", "2021", "--plot", str(target))
    assert code == 0
    assert target.read_bytes().startswith(b"\x89PNG")
    assert "299 (7.5%)" in labels


# ---------------------------------------------------------------------------------------------
# years --diff and paths
# ---------------------------------------------------------------------------------------------
def test_years_diff_lists_every_differing_value_with_both_citations(capsys: Capsys) -> None:
    data = run_json(capsys, "years", "--diff", "2019", "2021")
    before, after = qr.policy_for(2019), qr.policy_for(2021)
    expected = policy_diff(before, after)
    assert [c["path"] for c in data["changes"]] == [c.path for c in expected]
    assert "registration.may_register" in [c["path"] for c in data["changes"]]
    for entry in data["changes"]:
        path = entry["path"]
        assert from_dict(entry["before"], declared_type(path)) == before.value_at(path)
        assert from_dict(entry["after"], declared_type(path)) == after.value_at(path)
        assert entry["before_citation"] == to_dict(before.cite(path))
        assert entry["after_citation"] == to_dict(after.cite(path))
    code, out, _ = run(capsys, "years", "--diff", "2019", "2021")
    assert code == 0
    assert out.startswith(f"PY2019 -> PY2021: {len(expected)} policy values differ")
    assert "  registration.ssp_aco_automatic\n" in out


def test_paths_lists_every_reformable_path_with_type_value_and_citation(
    capsys: Capsys,
) -> None:
    data = run_json(capsys, "paths", "--year", "2019")
    policy = qr.policy_for(2019)
    assert [entry["path"] for entry in data["paths"]] == value_paths(policy)
    for entry in data["paths"]:
        assert entry["citation"] == to_dict(policy.cite(entry["path"]))
        assert from_dict(entry["value"], declared_type(entry["path"])) == policy.value_at(
            entry["path"])
    minimum = next(e for e in data["paths"]
                   if e["path"] == "registration.web_interface_min_clinicians")
    # None: a year no public source gives it for does not know it (POL-UNK-1)
    assert (minimum["type"], minimum["value"]) == ("int | None", 25)
    code, out, _ = run(capsys, "paths", "election", "--year", "2019")
    assert code == 0
    assert "election.low_volume.allowed_charges  (Decimal)" in out
    assert "registration." not in out
    code, _, err = run(capsys, "paths", "electoin")
    assert code == 2
    assert "did you mean election" in err


def test_every_listed_path_is_one_a_reform_accepts(capsys: Capsys) -> None:
    policy = qr.policy_for(2021)
    for path in value_paths(policy):
        assert qr.reform(policy, {path: policy.value_at(path)}, label="same").value_at(
            path) == policy.value_at(path)


# ---------------------------------------------------------------------------------------------
# Usage errors never echo a TIN
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [["explain", "--kind", "000765630"],
                                  ["explain", "--kind", "00-0765630"],
                                  ["explain", "--apm-model", "000765630"],
                                  ["000765630"],
                                  ["diff", "--from", "2019", "--to", "000765630"]])
def test_usage_errors_mask_the_tin(capsys: Capsys, argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert "0765630" not in err
    assert "5630" in err


# ---------------------------------------------------------------------------------------------
# Bad input is exit 2, never "internal error"
# ---------------------------------------------------------------------------------------------
def test_deeply_nested_json_and_repeated_csv_columns_are_bad_input(
    capsys: Capsys, tmp_path: Path
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"kind": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    repeated = tmp_path / "repeated.csv"
    repeated.write_text("org_id,kind,clinicians,clinicians\nA,Practice,30,3\n",
                        encoding="utf-8")
    for argv in (["explain", str(deep)], ["evaluate", str(repeated)]):
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, ""), err
        assert_one_line_error(err)
        assert "internal error" not in err
    assert "repeated.csv line 1, column clinicians: this column appears twice" in err


def test_evaluate_csv_neutralises_cells_a_spreadsheet_would_run(
    capsys: Capsys, tmp_path: Path
) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("org_id,kind,clinicians\n=cmd|' /C calc'!A0,Practice,30\n-2,Practice,30\n"
                    "B,Practice,30\n", encoding="utf-8")
    code, out, _ = run(capsys, "evaluate", str(path), "--format", "csv")
    assert code == 0
    ids = [row["org_id"] for row in csv.DictReader(io.StringIO(out))]
    assert ids == ["'=cmd|' /C calc'!A0", "'-2", "B"]


def test_diff_masks_a_tin_in_a_by_column_and_explain_json_masks_the_name(
    capsys: Capsys, tmp_path: Path
) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("org_id,kind,clinicians,name\nA,APM Entity,30,Clinic 000765630\n",
                    encoding="utf-8")
    for form in ("table", "csv", "markdown", "json"):
        code, out, _ = run(capsys, "diff", "--from", "2019", "--to", "2021", str(path),
                           "--by", "name", "--format", form)
        assert code == 0
        assert "000765630" not in out
        assert "*****5630" in out
    code, out, _ = run(capsys, "explain", "--kind", "Practice", "--clinicians", "30",
                       "--name", "Clinic 000765630", "--json")
    assert code == 0
    assert json.loads(out)["organization"]["name"] == "Clinic *****5630"


def test_the_diff_reads_the_library_s_policy_diff(capsys: Capsys) -> None:
    """One mechanism: the command line's ``policy_diff`` is ``qr.policy_diff`` (path, before,
    after and both citations), and ``years --diff`` lists exactly its changes."""
    from qpp_rules.cli import policyvalues
    assert policyvalues.policy_diff is qr.policy_diff
    assert policyvalues.PolicyChange is qr.policy.PolicyChange
    expected = qr.policy_diff(qr.policy_for(2024), qr.policy_for(2025))
    data = run_json(capsys, "years", "--diff", "2024", "2025")
    assert [c["path"] for c in data["changes"]] == [c.path for c in expected]
    assert "registration.web_interface_offered" in [c.path for c in expected]
    for shown, change in zip(data["changes"], expected, strict=True):
        assert shown["after_citation"] == to_dict(change.after_citation)
