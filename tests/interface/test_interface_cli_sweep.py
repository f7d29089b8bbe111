"""``qpp-rules sweep``: one policy value over a range, counts and shares per value, the same
numbers as ``analysis.sweep`` (REG-ELIG-1 moves with the Web Interface minimum)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

import qpp_rules as qr
from qpp_rules import cli
from qpp_rules.analysis import QUESTIONS, example_population, sweep

Capsys = pytest.CaptureFixture[str]
WI_MIN = "registration.web_interface_min_clinicians"


def run(capsys: Capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_reg_elig_1_sweep_counts_are_the_librarys(capsys: Capsys) -> None:
    code, out, err = run(capsys, "sweep", WI_MIN, "20..26", "--year", "2021",
                         "--question", "web_interface", "--format", "csv")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    expected = sweep(example_population(), qr.policy_for(2021), WI_MIN, range(20, 27),
                     [q for q in QUESTIONS if q.name == "web_interface"])
    yes = [int(r["organizations"]) for r in rows if r["answer"] == "yes"]
    assert yes == expected.count("web_interface")
    assert yes == sorted(yes, reverse=True)  # a higher minimum never allows more
    assert yes[0] > yes[-1]


def test_reg_elig_1_sweep_writes_json_and_the_plot(capsys: Capsys, tmp_path: Path) -> None:
    plot = tmp_path / "curve.png"
    code, out, err = run(capsys, "sweep", WI_MIN, "10,25,50", "--year", "2019",
                         "--format", "json", "--plot", str(plot))
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert plot.stat().st_size > 1000
    assert data


@pytest.mark.parametrize(("argv", "words"), [
    (["sweep", "registration.web_interface_min_clinican", "2..3"], "did you mean"),
    (["sweep", WI_MIN, "9..2"], "A <= B"),
    (["sweep", WI_MIN, "x..3"], "two whole numbers"),
    (["sweep", WI_MIN, "2..3", "--question", "web_interfce"], "did you mean"),
    (["sweep", WI_MIN, "1,,2"], "empty value"),
])
def test_a_bad_sweep_is_a_one_line_usage_error(capsys: Capsys, argv: list[str],
                                               words: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert words in err
    assert len(err.strip().splitlines()) == 1


def test_a_sweep_value_the_policy_refuses_is_bad_input(capsys: Capsys) -> None:
    code, _, err = run(capsys, "sweep", WI_MIN, "\"many\"", "--year", "2019")
    assert code == 2
    assert "internal error" not in err


def test_a_switch_can_be_swept_with_true_and_false(capsys: Capsys) -> None:
    code, out, err = run(capsys, "sweep", "election.opt_in", "true,false", "--year", "2021",
                         "--question", "opt_in_status", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)


def test_a_plot_that_cannot_be_written_is_bad_input(capsys: Capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "sweep", WI_MIN, "2..3", "--plot",
                         str(tmp_path / "no-such-folder" / "x.png"))
    assert (code, out) == (2, "")
    assert "--plot" in err
    assert "internal error" not in err


def test_pol_unk_1_explain_in_a_year_without_a_threshold_still_answers_registration(
    capsys: Capsys,
) -> None:
    """POL-UNK-1: PY2023's low-volume threshold is not known; the registration answers are
    still given and the opt-in status says it is not known (exit 0, nothing was bad)."""
    code, out, err = run(capsys, "explain", "--year", "2023", "--kind", "Practice",
                         "--clinicians", "30", "--allowed-charges", "90300", "--patients", "150",
                         "--covered-services", "234", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["opt_in"]["status"] == "not known for the year"
    assert "POL-UNK-1" in json.dumps(data["opt_in"]["decision"])
    assert data["options"]["cahps"]["reasons"]


def test_sweep_takes_json_as_every_command_does(capsys: Capsys) -> None:
    code, out, err = run(capsys, "sweep", WI_MIN, "10,25", "--year", "2019", "--json")
    assert (code, err) == (0, "")
    _, same, _ = run(capsys, "sweep", WI_MIN, "10,25", "--year", "2019", "--format", "json")
    assert json.loads(out) == json.loads(same)
    assert {row["value"] for row in json.loads(out)} == {10, 25}


def test_sweep_json_and_another_format_disagree(capsys: Capsys) -> None:
    code, out, err = run(capsys, "sweep", WI_MIN, "10,25", "--json", "--format", "csv")
    assert (code, out) == (2, "")
    assert "--json and --format csv disagree" in err


@pytest.mark.parametrize("where", ["folder", "", "chart.unknownext"])
def test_a_plot_to_no_file_or_an_unknown_format_is_bad_input(
        capsys: Capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    code, out, err = run(capsys, "sweep", WI_MIN, "2..3", "--year", "2019", "--plot", where)
    assert (code, out) == (2, "")
    assert err.startswith("qpp-rules: error: --plot")
    assert len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]  # nothing written
    assert not list((tmp_path / "folder").iterdir())


def test_a_plot_named_svg_is_written_as_svg(capsys: Capsys, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    chart = tmp_path / "curve.svg"
    code, _, err = run(capsys, "sweep", WI_MIN, "2..3", "--year", "2019", "--plot", str(chart))
    assert (code, err) == (0, "")
    assert chart.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_ele_elig_1_the_opt_in_status_plot_draws_opt_in_eligible(
        capsys: Capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    drawn: list[list[tuple[str, list[float]]]] = []
    save = Figure.savefig

    def record(figure: Any, *args: Any, **kwargs: Any) -> None:
        drawn.append([(line.get_label(), list(line.get_ydata()))
                      for line in figure.axes[0].get_lines()])
        save(figure, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", record)
    code, _, err = run(capsys, "sweep", "election.low_volume.patients", "100,200,400",
                       "--year", "2021", "--question", "opt_in_status",
                       "--plot", str(tmp_path / "oi.png"))
    assert (code, err) == (0, "")
    ((label, shares),) = drawn[0]
    assert label == "opt_in_status: opt_in_eligible"
    assert max(shares) > 0


def test_reg_auto_1_a_plot_of_automatic_alone_is_refused_naming_what_to_add(
        capsys: Capsys, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    code, out, err = run(capsys, "sweep", WI_MIN, "2..3", "--question", "automatic",
                         "--plot", str(tmp_path / "a.png"))
    assert (code, out) == (2, "")
    assert "--question" in err
    assert not (tmp_path / "a.png").exists()


def test_pol_unk_1_a_sweep_below_what_the_year_does_not_know_says_so(capsys: Capsys) -> None:
    code, out, err = run(capsys, "sweep", "election.low_volume.patients", "100..300",
                         "--year", "2026")
    assert (code, out) == (2, "")
    assert "PY2026 does not know election.low_volume" in err
    assert "no policy value" not in err


def test_a_swept_value_shaped_like_a_tin_is_masked_and_the_json_stays_valid(
    capsys: Capsys,
) -> None:
    code, out, _ = run(capsys, "sweep", "registration.web_interface_min_clinicians",
                       "123456789", "--json")
    assert code == 0
    assert "123456789" not in out
    assert {row["value"] for row in json.loads(out)} == {"*****6789"}
