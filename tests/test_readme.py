"""The README's example runs as written (what a new user copies first)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_example_runs(capsys: object) -> None:
    match = re.search(r"## Example\n\n```python\n(.*?)```", README.read_text(), re.S)
    assert match is not None
    namespace: dict[str, object] = {}
    exec(compile(match.group(1), "README.md", "exec"), namespace)
    assert "reform" in namespace


def test_the_readme_check_command_is_what_ci_runs() -> None:
    ci = (README.parent / ".ci" / "run").read_text()
    command = ci.strip().splitlines()[-1]
    assert command in README.read_text()


def test_the_readme_makes_a_virtual_environment_before_installing() -> None:
    text = README.read_text()
    venv = text.index("python3 -m venv .venv && . .venv/bin/activate")
    assert venv < text.index("pip install")


def test_the_readme_first_install_is_only_what_the_main_job_needs() -> None:
    """The first command installs the package alone (``diff`` needs only the run-time
    dependencies), not the whole dev extra."""
    first = next(line for line in README.read_text().splitlines()
                 if "pip install" in line and not line.startswith("#"))
    assert first == "python3 -m pip install -e . && qpp-rules diff --from 2019 --to 2021"


def test_the_package_declares_its_licence_urls_and_one_version() -> None:
    import tomllib

    import qpp_rules

    project = tomllib.loads((README.parent / "pyproject.toml").read_text())
    assert (README.parent / "LICENSE").read_text().startswith("MIT License")
    assert project["project"]["license"] == "MIT"
    assert project["project"]["urls"]
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/qpp_rules/__init__.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", qpp_rules.__version__)
