"""What the command line does with a population of nobody and with the year it was not
given: a file without organizations is refused (exit code 2, one line naming the file) by
evaluate, diff and sweep alike; the default year is named in ``--help`` and in the header."""

from __future__ import annotations

from pathlib import Path

import pytest

from qpp_rules import cli
from qpp_rules.cli.base import newest_builtin_year

Capsys = pytest.CaptureFixture[str]

COMMANDS = {
    "evaluate": ["evaluate"],
    "diff": ["diff", "--from", "2019", "--to", "2021"],
    "sweep": ["sweep", "registration.web_interface_min_clinicians", "2..4"],
}


def _run(capsys: Capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("text", ["org_id,kind,clinicians\n", "\ufefforg_id,kind,clinicians\n\n"])
def test_a_population_file_without_organizations_is_refused_with_exit_2(
        capsys: Capsys, tmp_path: Path, command: str, text: str) -> None:
    file = tmp_path / "nobody.csv"
    file.write_text(text, encoding="utf-8")
    code, out, err = _run(capsys, *COMMANDS[command], str(file))
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "qpp-rules: error: nobody.csv: no organizations: the file has a header but no rows; "
        "nothing to decide"]


@pytest.mark.parametrize("command", ["evaluate", "sweep", "explain", "paths"])
def test_the_default_year_is_named_in_help(capsys: Capsys, command: str) -> None:
    code, out, _ = _run(capsys, command, "--help")
    assert code == 0
    out = " ".join(out.split())
    assert f"(default {newest_builtin_year()}, the newest year whose CMS guides are bundled)" \
        in out


def test_the_header_says_the_year_was_the_default(capsys: Capsys, tmp_path: Path) -> None:
    file = tmp_path / "one.csv"
    file.write_text("org_id,kind,clinicians\nA,Practice,30\n", encoding="utf-8")
    year = newest_builtin_year()
    _, out, _ = _run(capsys, "evaluate", str(file), "--rows", "0")
    assert out.splitlines()[0].startswith(f"PY{year} (default year): 1 organizations")
    _, out, _ = _run(capsys, "evaluate", str(file), "--rows", "0", "--year", str(year))
    assert out.splitlines()[0].startswith(f"PY{year}: 1 organizations")
    _, out, _ = _run(capsys, "sweep", "registration.web_interface_min_clinicians", "2..3",
                     str(file))
    assert out.startswith(f"PY{year} (default year): ")
    _, out, _ = _run(capsys, "paths")
    assert f"of PY{year} (default year)" in out.splitlines()[0]
