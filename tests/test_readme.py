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
