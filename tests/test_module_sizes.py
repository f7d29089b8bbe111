"""The house stays readable: no module under ``src/`` is longer than 600 lines (a module
that grows past it is split by concern, as ``policy/checks.py`` was split from
``policy/model.py``)."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def test_no_module_under_src_is_longer_than_600_lines() -> None:
    long = {str(path.relative_to(SRC)): n for path in sorted(SRC.rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600}
    assert not long, f"split these by concern: {long}"
