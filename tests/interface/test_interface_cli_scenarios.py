"""``qpp-rules test FILE...``: the guides' worked examples in ``tests/scenarios/`` pass; a
failing scenario is reported with the decision's explanation (exit 1); a bad file is one
line, exit 2; without PyYAML the error names the extra."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qpp_rules import cli

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

Capsys = pytest.CaptureFixture[str]


def run(capsys: Capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_guides_worked_examples_pass(capsys: Capsys) -> None:
    """Better Business Health (REG-ELIG-1, REG-ELIG-3, REG-AUTO-1, REG-WIN-1), the election
    guide's practice (ELE-ELIG-1), the registry upload of ten (ELE-BATCH-1) and the Security
    Official evidence per organization type (ACC-SO-1)."""
    code, out, err = run(capsys, "test", str(SCENARIOS))
    assert (code, err) == (0, ""), out
    assert "FAIL" not in out
    for name in ("better-business-health.yaml", "election-practice-90300.yaml",
                 "registry-upload.yaml", "security-official-evidence.yaml"):
        assert name in out
    assert out.rstrip().endswith("passed, 0 failed")


def test_python_dash_m_runs_the_scenario_directory() -> None:
    done = subprocess.run([sys.executable, "-m", "qpp_rules", "test", str(SCENARIOS)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


FAILING = """
name: A 24-clinician practice expected (wrongly) to be offered the Web Interface
year: 2019
registration_options:
  organization: {kind: Practice, size: 2-24, clinicians: 24, tin: "000765630"}
  expect:
    web_interface: {allowed: true}
"""


def test_a_failing_scenario_is_reported_with_its_explanation_reg_elig_1(
    capsys: Capsys, tmp_path: Path
) -> None:
    """REG-ELIG-1: the failure says what was expected, what came, and the reasons."""
    path = tmp_path / "wrong.yaml"
    path.write_text(FAILING, encoding="utf-8")
    code, out, _ = run(capsys, "test", str(path), str(SCENARIOS / "registry-upload.yaml"))
    assert code == 1
    assert "FAIL wrong.yaml[0] A 24-clinician practice" in out
    assert "wrong.yaml[0].registration_options.web_interface: expected allowed=True, got False" \
        in out
    assert "because: [REG-ELIG-1] The CMS Web Interface needs 25 or more clinicians" in out
    assert "3 passed, 1 failed" in out
    code, out, _ = run(capsys, "test", str(path), "--json")
    assert code == 1
    data = json.loads(out)
    assert (data["passed"], data["failed"]) == (0, 1)
    assert "REG-ELIG-1" in data["scenarios"][0]["failures"][0]
    assert "000765630" not in out


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("name: x\nyear: 2019\nopt_in_status: [", "not valid YAML"),
        ("name: x\nyear: 2019\nopt_in_stats: {}\n", "did you mean opt_in_status"),
        ("name: x\nyear: 2019\n", "no check"),
        ("year: 2019\nopt_in_status: {facts: {}, expect: {}}\n", "a name"),
        ("name: x\nyear: 1999\nopt_in_status: {facts: {allowed_charges: '1', patients: 1},"
         " expect: {}}\n", "1999"),
        ("name: x\nyear: 2019\nopt_in_status: {facts: {patients: many}, expect: {}}\n",
         "opt_in_status.facts"),
        ("name: x\nyear: 2019\nregistration_options: {organization: {kind: Hospital, size: "
         "2-24}, expect: {}}\n", "registration_options.organization"),
        ("name: x\nyear: 2019\nreform: {registration.web_interface_min_clinican: 5}\n"
         "opt_in_status: {facts: {allowed_charges: '1', patients: 1}, expect: {}}\n",
         "did you mean registration.web_interface_min_clinicians"),
        ("name: x\nyear: 2019\nlifecycle: {actor: {kind: Practice, role: Staff User}, "
         "steps: [{at: 2019-05-01T00:00:00-04:00, command: {type: Explode}, expect: {}}]}\n",
         "command.type"),
    ],
)
def test_a_bad_scenario_file_is_one_line_exit_2(
    capsys: Capsys, tmp_path: Path, text: str, words: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "test", str(path))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith("qpp-rules: error: ")
    assert words in err


def test_missing_files_and_empty_directories_are_bad_input(
    capsys: Capsys, tmp_path: Path
) -> None:
    for argv in (["test", str(tmp_path / "none.yaml")], ["test", str(tmp_path)], ["test"]):
        code, out, _ = run(capsys, *argv)
        assert (code, out) == (2, "")


def test_without_pyyaml_the_error_names_the_extra(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)
    code, _, err = run(capsys, "test", str(SCENARIOS))
    assert code == 2
    assert "pip install 'qpp-rules[scenarios]'" in err


def test_as_of_gives_the_policy_as_it_stood_ele_win_1(capsys: Capsys, tmp_path: Path) -> None:
    """ELE-WIN-1 with amendment A1: the registry-upload file's as_of scenario is refused for
    the closed window; a naive as_of is bad input."""
    code, out, _ = run(capsys, "test", str(SCENARIOS / "registry-upload.yaml"), "--json")
    assert code == 0
    names = [s["name"] for s in json.loads(out)["scenarios"]]
    assert "The same upload is late under the policy as it stood on 2020-03-01" in names
    path = tmp_path / "naive.yaml"
    path.write_text("name: x\nyear: 2019\nas_of: 2020-03-01 00:00:00\nopt_in_status: "
                    "{facts: {allowed_charges: '1', patients: 1}, expect: {}}\n",
                    encoding="utf-8")
    code, out, err = run(capsys, "test", str(path))
    assert (code, out) == (2, "")
    assert "as_of" in err
