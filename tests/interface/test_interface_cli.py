"""The command line ``qpp-rules``: ``years`` and ``calendar`` as tables and as JSON, exit codes
(0 done, 2 bad input or usage, 1 internal), one-line errors without a traceback, and the
command table new commands register in."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import typing
from collections.abc import Iterator
from typing import Any

import pendulum
import pytest

import qpp_rules as qr
from qpp_rules import cli
from qpp_rules.errors import PolicyFileError
from qpp_rules.policy import PolicyYear
from qpp_rules.serialization import from_dict


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("qpp-rules: error: ")
    assert "Traceback" not in err


def declared_type(path: str) -> Any:
    """The type a policy declares for the value at ``path``."""
    kind: Any = PolicyYear
    for part in path.split("."):
        kind = typing.get_type_hints(kind)[part]
    return kind


# ---------------------------------------------------------------------------------------------
# years
# ---------------------------------------------------------------------------------------------
def test_years_shows_every_known_year_and_its_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "years")
    assert code == 0
    assert err == ""
    for year in qr.available_years():
        assert f"PY{year}: " in out
    for _, label in cli.YEAR_ROWS:
        assert out.count(f"  {label} ") == len(qr.available_years())
    assert "2019-04-04 10:00 EDT to 2019-07-01 17:00 EDT" in out
    assert "amendment A1" in out


def test_years_reads_each_row_from_the_years_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "years", "--year", "2018", "--year", "2021")
    assert code == 0
    py2018, py2021 = out.split("\n\nPY2021: ")
    assert "PY2019" not in out
    opt_in_2018 = next(line for line in py2018.splitlines() if "MIPS opt-in" in line)
    opt_in_2021 = next(line for line in py2021.splitlines() if "MIPS opt-in" in line)
    assert opt_in_2018.split()[-1] == "no"
    assert opt_in_2021.split()[-1] == "yes"
    ssp = next(line for line in py2021.splitlines() if "SSP ACOs" in line)
    assert "CMS Web Interface" in ssp
    assert "CAHPS for MIPS Survey" in ssp
    vg_2018 = next(line for line in py2018.splitlines() if "registered by CMS" in line)
    assert vg_2018.endswith("Virtual Group")


def test_years_cite_shows_where_each_value_is_written(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "years", "--year", "2019", "--cite")
    assert code == 0
    policy = qr.policy_for(2019)
    for path, _ in cli.YEAR_ROWS:
        assert f"[{policy.cite(path).source}" in out


def test_years_json_gives_every_value_with_its_citation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "years", "--json")
    assert code == 0
    data = json.loads(out)
    assert [entry["year"] for entry in data["years"]] == list(qr.available_years())
    for entry in data["years"]:
        policy = qr.policy_for(entry["year"])
        assert set(entry["values"]) == {path for path, _ in cli.YEAR_ROWS}
        for path, cited in entry["values"].items():
            assert cited["citation"]["source"] == policy.cite(path).source
            assert from_dict(cited["value"], declared_type(path)) == policy.value_at(path)
    py2019 = next(entry for entry in data["years"] if entry["year"] == 2019)
    assert py2019["values"]["registration.window"]["erratum"]["id"] == "E2"
    assert [amendment["id"] for amendment in py2019["amendments"]] == ["A1"]


def test_pol_unk_1_years_shows_what_each_year_knows_and_what_it_does_not(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """POL-UNK-1: a value no source gives is shown as not known, with why; every year says
    how many values it knows and lists the ones it does not; nothing reads "None"."""
    code, out, _ = run(capsys, "years")
    assert code == 0
    assert "None" not in out
    blocks = dict(zip(qr.available_years(), out.split("\n\nPY")[0:], strict=True))
    for year, block in blocks.items():
        policy = qr.policy_for(year)
        assert "  known " in block
        assert f"{len(policy.known_values())} values, each cited" in block
        unknown = policy.unknown_values()
        if not unknown:
            assert "nothing: every value is cited" in block
        for path in unknown:
            assert path in " ".join(block.split()), (year, path)
    py2024 = " ".join(blocks[2024].split())
    assert "Web Interface needs not known (no public source read gives it" in py2024
    assert "CAHPS for MIPS Survey: not known" in py2024
    code, out, _ = run(capsys, "years", "--json", "--year", "2024")
    entry = json.loads(out)["years"][0]
    policy = qr.policy_for(2024)
    assert entry["unknown"] == dict(policy.unknown_values())
    assert entry["known"] == list(policy.known_values())
    assert entry["values"]["registration.window"]["value"] is None
    assert entry["values"]["registration.window"]["citation"]["authority"] == "unknown"


# ---------------------------------------------------------------------------------------------
# calendar
# ---------------------------------------------------------------------------------------------
def windows_of(policy: PolicyYear) -> Iterator[tuple[str, qr.Window]]:
    for path in ("registration.window", "election.window", "election.submission_window"):
        window = policy.value_at(path)
        if window is not None:
            yield path, window


def test_calendar_json_has_every_window_in_et_and_in_the_zone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "calendar", "--json", "--tz", "Asia/Kolkata")
    assert code == 0
    data = json.loads(out)
    assert data["zone"] == "Asia/Kolkata"
    entries = {(entry["year"], entry["path"]): entry for entry in data["entries"]}
    for year in qr.available_years():
        for path, window in windows_of(qr.policy_for(year)):
            entry = entries[(year, path)]
            opens = pendulum.parse(entry["opens"])
            closes = pendulum.parse(entry["closes"])
            assert opens == window.opens
            assert closes == window.closes
            assert entry["opens"].endswith(("-04:00", "-05:00"))
            assert pendulum.parse(entry["opens_local"]) == window.opens
            assert entry["opens_local"].endswith("+05:30")
            assert pendulum.parse(entry["closes_local"]) == window.closes
            assert entry["citation"]["rules"]
    cpc = entries[(2019, "access.cpc_plus_connections_open")]
    assert cpc["closes"] is None


def test_calendar_table_shows_et_and_the_named_zone(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar", "--tz", "Europe/London", "--year", "2019")
    assert code == 0
    header = out.splitlines()[0]
    assert "US Eastern (ET)" in header
    assert "Europe/London" in header
    assert "2019-07-01 17:00 EDT  2019-07-01 22:00 BST" in out
    assert "PY2018" not in out


def test_calendar_defaults_to_the_local_zone(capsys: pytest.CaptureFixture[str]) -> None:
    with pendulum.test_local_timezone(pendulum.timezone("Asia/Tokyo")):
        code, out, _ = run(capsys, "calendar", "--year", "2021")
    assert code == 0
    assert "Asia/Tokyo" in out.splitlines()[0]
    assert "2021-06-30 20:00 EDT  2021-07-01 09:00 JST" in out


def test_an_unknown_zone_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "calendar", "--tz", "Mars/Olympus_Mons")
    assert code == 2
    assert out == ""
    assert_one_line_error(err)
    assert "--tz" in err


# ---------------------------------------------------------------------------------------------
# Exit codes and errors
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        ["years", "--year", "1999"],
        ["years", "--year", "twenty"],
        ["yeers"],
        [],
        ["years", "--no-such-option"],
    ],
)
def test_bad_input_and_usage_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert_one_line_error(err)


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for name in cli.COMMANDS:
        assert name in out
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert qr.__version__ in out


@pytest.fixture
def temporary_command() -> Iterator[str]:
    name = "boom-for-test"

    def arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--kind", default="internal")

    @cli.command(name, help="fails on purpose", arguments=arguments)
    def boom(args: argparse.Namespace) -> int:
        if args.kind == "input":
            raise PolicyFileError("file.toml", "year", "missing")
        raise RuntimeError("no TIN 000765630 here")

    try:
        yield name
    finally:
        del cli.COMMANDS[name]


def test_an_internal_error_exits_1_in_one_masked_line(
    capsys: pytest.CaptureFixture[str], temporary_command: str
) -> None:
    code, _, err = run(capsys, temporary_command)
    assert code == 1
    assert_one_line_error(err)
    assert "RuntimeError" in err
    assert "000765630" not in err
    assert "*****5630" in err


def test_debug_shows_the_traceback_of_an_internal_error(temporary_command: str) -> None:
    with pytest.raises(RuntimeError):
        cli.main(["--debug", temporary_command])


def test_a_library_error_in_a_command_exits_2(
    capsys: pytest.CaptureFixture[str], temporary_command: str
) -> None:
    code, _, err = run(capsys, temporary_command, "--kind", "input")
    assert code == 2
    assert_one_line_error(err)
    assert "file.toml" in err


def test_a_command_name_is_registered_once(temporary_command: str) -> None:
    with pytest.raises(ValueError, match="registered twice"):
        cli.command(temporary_command, help="again")(lambda args: 0)


def test_broken_plugins_are_warned_about_and_the_rest_shown(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = (PolicyFileError("broken-plugin (x = y:z)", "", "failed to load"),)
    monkeypatch.setattr(qr, "plugin_errors", lambda: broken)
    code, out, err = run(capsys, "years", "--year", "2019")
    assert code == 0
    assert "PY2019" in out
    assert err.startswith("qpp-rules: warning: broken-plugin")


def test_python_dash_m_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "qpp_rules", "years"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "PY2019: " in done.stdout
    failed = subprocess.run(
        [sys.executable, "-m", "qpp_rules", "years", "--year", "1999"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert failed.returncode == 2
    assert failed.stderr.startswith("qpp-rules: error: no policy for performance year 1999")
