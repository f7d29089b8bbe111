"""The docs site: its examples run, its pages and API blocks exist, the domain sections take
the pages their owners add, and the docstrings' examples show as code.

The site itself is built (strictly) by the check command: ``mkdocs build --strict``.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(path for path in DOCS.glob("*.md"))
PYCON = re.compile(r"^```pycon\n(.*?)^```", re.DOTALL | re.MULTILINE)


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_docs_{name}", DOCS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_the_examples_of_each_page_run(page: Path) -> None:
    blocks = PYCON.findall(page.read_text(encoding="utf-8"))
    source = "\n".join(blocks)
    test = doctest.DocTestParser().get_doctest(source, {}, page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


def test_the_nav_names_only_pages_that_exist() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = config[config.index("\nnav:") :]
    names = re.findall(r"([\w./-]+\.md)", nav)
    assert "rules.md" in names
    for name in names:
        assert (DOCS / name).is_file(), name


def test_every_api_block_names_an_importable_module() -> None:
    for page in DOCS.rglob("*.md"):
        for name in re.findall(r"^::: ([\w.]+)", page.read_text(encoding="utf-8"), re.MULTILINE):
            importlib.import_module(name)


def test_the_domain_sections_list_the_pages_added_under_their_folders(tmp_path: Path) -> None:
    hooks = load("hooks")
    (tmp_path / "registration").mkdir()
    (tmp_path / "registration" / "who-may-register.md").write_text("# Who", encoding="utf-8")
    (tmp_path / "registration" / "a-first.md").write_text("# First", encoding="utf-8")
    (tmp_path / "registration" / "notes.txt").write_text("not a page", encoding="utf-8")
    (tmp_path / "registration" / "index.md").write_text("# Index", encoding="utf-8")
    nav: list[Any] = [
        "index.md",
        {"Registration": ["registration.md", "registration/a-first.md"]},
        {"Elections": ["election.md"]},
        {"Rules": "rules.md"},
    ]
    config = hooks.on_config({"docs_dir": str(tmp_path), "nav": nav})
    assert config["nav"][1] == {
        "Registration": [
            "registration.md",
            "registration/a-first.md",
            "registration/index.md",
            "registration/who-may-register.md",
        ]
    }
    assert config["nav"][2] == {"Elections": ["election.md"]}


def test_doctest_examples_in_docstrings_are_fenced_as_code() -> None:
    fence = load("griffe_doctests").fence_doctests
    text = "See :class:`~qpp_rules.errors.InvalidInput`.\n\n>>> [r.user for r in s]\n['ann']\n"
    assert fence(text) == (
        "See `InvalidInput`.\n\n```pycon\n>>> [r.user for r in s]\n['ann']\n```"
    )
    already = "```python\n>>> x\n```"
    assert fence(already) == already
    indented = "Example:\n    >>> 1\n    1\n\nAfter."
    assert fence(indented) == "Example:\n    ```pycon\n    >>> 1\n    1\n    ```\n\nAfter."
