"""The rule catalogue page docs/rules.md: generated from spec/RULES.md, the policy tables, src/
and tests/, so that it cannot drift; and the list of rules still without code or a test."""

from __future__ import annotations

import difflib
import re
import textwrap
from pathlib import Path

import pytest

import qpp_rules as qr
from qpp_rules import _catalogue as cat

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_rules_page_is_the_generated_one() -> None:
    committed = (ROOT / cat.PAGE).read_text(encoding="utf-8")
    generated = cat.render(ROOT)
    if committed != generated:  # a short diff, not the whole page
        diff = difflib.unified_diff(
            committed.splitlines(), generated.splitlines(), "committed", "generated",
            lineterm="", n=1,
        )
        shown = "\n".join(list(diff)[:30])
        pytest.fail(
            f"docs/rules.md is stale: run `python -m qpp_rules._catalogue --write`\n{shown}",
            pytrace=False,
        )


def test_every_rule_has_an_implementation_and_a_test() -> None:
    no_code, no_test = cat.missing(cat.catalogue(ROOT))
    assert not no_code, f"rules no Python file under src/ names: {', '.join(no_code)}"
    assert not no_test, f"rules no test names: {', '.join(no_test)}"


def test_the_real_catalogue_parses_into_unique_well_formed_ids() -> None:
    text = (ROOT / cat.SPEC).read_text(encoding="utf-8")
    rules, notes = cat.parse_rules(text)
    ids = [rule.id for rule in rules]
    assert len(ids) == len(set(ids))
    assert len(ids) == len(re.findall(r"^- \*\*(?:REG|ELE|ACC|POL)-", text, re.MULTILINE))
    assert {"REG-WIN-1", "ELE-ELIG-1", "ACC-TIN-ACO-1", "ACC-DENY-1"} <= set(ids)
    assert {rule.section.split(".")[0] for rule in rules} == {"1", "2", "3", "4"}
    assert [note.id for note in notes if note.id.startswith("A")] == ["A1"]
    assert [note.id for note in notes if note.id.startswith("E")] == [f"E{n}" for n in range(1, 13)]
    for rule in rules:
        assert rule.text
        assert not rule.text.startswith("**")


def test_years_come_from_the_builtin_tables_not_from_installed_plugins() -> None:
    entries = {entry.rule.id: entry for entry in cat.catalogue(ROOT)}
    cited_2021_only = {
        rule_id
        for policy in [qr.policy_for(2021)]
        for citation in policy.citations.values()
        for rule_id in citation.rules
    }
    for rule_id in cited_2021_only & set(entries):
        assert 2021 in entries[rule_id].years
    assert all(set(entry.years) <= set(range(2017, 2027)) for entry in entries.values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reason('REG-WIN-1', ...)", {"REG-WIN-1"}),
        ("def test_reg_win_1_closes_at_21_utc", {"REG-WIN-1"}),
        ("REG-SAMP-1..3", {"REG-SAMP-1", "REG-SAMP-2", "REG-SAMP-3"}),
        ("acc_tin_aco_1 and ACC-SO-2", {"ACC-TIN-ACO-1", "ACC-SO-2"}),
        ("REG-WIN-10", {"REG-WIN-10"}),
        ("REG-GUIDE-2019, element_1, selection_2, XREG-WIN-1", {"REG-GUIDE-2019"}),
        ("nothing here", set()),
    ],
)
def test_rule_ids_are_found_in_every_spelling(text: str, expected: set[str]) -> None:
    assert cat.mentioned(text) == expected


SPEC = """\
# catalogue

## 1. Registration

### Windows
- **REG-WIN-1** Open only while open.
  - PY2018: from April.
- **REG-WIN-2** After the close, nothing.

## 2. Elections

- **ELE-CONF-1** Type the word.

  | a | b |
  |---|---|
  | 1 | 2 |

## Errata

- **E1** A slip of the pen.
"""


def make_checkout(root: Path) -> Path:
    (root / "spec").mkdir()
    (root / "spec" / "RULES.md").write_text(SPEC, encoding="utf-8")
    package = root / "src" / "pkg"
    package.mkdir(parents=True)
    (package / "rules.py").write_text('WHY = ("REG-WIN-1", "ELE-CONF-1")\n', encoding="utf-8")
    (package / "data.toml").write_text('rules = ["REG-WIN-2"]\n', encoding="utf-8")
    tests = root / "tests" / "area"
    tests.mkdir(parents=True)
    (tests / "test_area.py").write_text(
        textwrap.dedent(
            '''\
            """Module docstrings do not count: REG-WIN-2."""


            def test_reg_win_1_first_instant():
                assert "ELE-CONF-1"  # code does not count either


            def test_typing_the_word():
                """ELE-CONF-1: the word, whatever its case."""


            class TestWindows:
                """REG-WIN-1"""

                def test_last_instant(self):
                    pass


            def helper_reg_win_2():
                pass
            '''
        ),
        encoding="utf-8",
    )
    return root


def test_sources_and_tests_are_found_by_name(tmp_path: Path) -> None:
    root = make_checkout(tmp_path)
    entries = {entry.rule.id: entry for entry in cat.catalogue(root, policies=())}
    assert entries["REG-WIN-1"].sources == ("src/pkg/rules.py",)
    assert entries["REG-WIN-2"].sources == ("src/pkg/data.toml",)
    assert entries["REG-WIN-1"].tests == (
        "tests/area/test_area.py::test_reg_win_1_first_instant",
        "tests/area/test_area.py::TestWindows::test_last_instant",
    )
    assert entries["ELE-CONF-1"].tests == ("tests/area/test_area.py::test_typing_the_word",)
    assert entries["REG-WIN-2"].tests == ()
    assert entries["REG-WIN-1"].rule.topic == "Windows"
    assert entries["ELE-CONF-1"].rule.topic is None
    assert "| 1 | 2 |" in entries["ELE-CONF-1"].rule.text
    assert cat.missing(entries.values()) == (("REG-WIN-2",), ("REG-WIN-2",))


def test_the_page_lists_each_rule_with_its_anchor_and_notes(tmp_path: Path) -> None:
    page = cat.render(make_checkout(tmp_path), policies=())
    assert "| [REG-WIN-1](#reg-win-1) | none | 1 | 2 |" in page
    assert "#### REG-WIN-1" in page
    assert "### ELE-CONF-1" in page
    assert "> - PY2018: from April." in page
    assert "- **Tests**: none yet" in page
    assert "### E1" in page
    assert page.endswith("\n")


def test_the_command_writes_and_checks_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_checkout(tmp_path)
    (root / "docs").mkdir()
    assert cat.main(["--root", str(root), "--check"]) == 1
    assert cat.main(["--root", str(root), "--write"]) == 0
    assert cat.main(["--root", str(root), "--check"]) == 0
    page = root / "docs" / "rules.md"
    page.write_text(page.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert cat.main(["--root", str(root), "--check"]) == 1
    assert cat.main(["--root", str(root), "--missing"]) == 1
    out = capsys.readouterr().out
    assert "no implementation: REG-WIN-2" in out
    assert cat.main(["--root", str(root)]) == 0
    assert capsys.readouterr().out.startswith("# Rule catalogue")
