"""The rule catalogue page of the docs site (``docs/rules.md``), generated.

It lists every rule of ``spec/RULES.md`` with its text, the built-in years whose policy table
cites it, the files under ``src/`` that name it and the tests whose name or docstring names it,
then the amendments and errata with where the tables record them. A test compares the
committed page with this output, so the page cannot drift. It reads a source checkout::

    python -m qpp_rules._catalogue            # print the page
    python -m qpp_rules._catalogue --write    # write docs/rules.md
    python -m qpp_rules._catalogue --check    # exit 1 when docs/rules.md is stale
    python -m qpp_rules._catalogue --missing  # the rules without code or without a test

>>> sorted(mentioned("Reason('REG-SAMP-1..3', ...) # test_reg_win_1_closes and ACC-TIN-ACO-1"))
['ACC-TIN-ACO-1', 'REG-SAMP-1', 'REG-SAMP-2', 'REG-SAMP-3', 'REG-WIN-1']
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from qpp_rules.policy.model import PolicyYear

__all__ = [
    "Entry",
    "Note",
    "Rule",
    "catalogue",
    "find_functions",
    "find_sources",
    "find_tests",
    "main",
    "mentioned",
    "missing",
    "parse_rules",
    "render",
]

PAGE = Path("docs") / "rules.md"
SPEC = Path("spec") / "RULES.md"
_SELF = Path("src") / "qpp_rules" / "_catalogue.py"
# The catalogue as data names every rule by construction: it says nothing about what cites one.
_DATA = Path("src") / "qpp_rules" / "kernel" / "catalogue.toml"

_ID = re.compile(
    r"(?<![A-Za-z0-9])((?:REG|ELE|ACC|POL)(?:[-_][A-Za-z]+)+[-_](\d+))(?![0-9])"
    r"(?:(?:\.\.|–)(\d+)(?![0-9]))?",
    re.IGNORECASE,
)
_RULE_LINE = re.compile(r"^- \*\*((?:REG|ELE|ACC|POL)(?:-[A-Z]+)+-\d+)\*\*\s*(.*)$")
_NOTE_LINE = re.compile(r"^- \*\*([AE]\d+)\*\*\s*(.*)$")


@attrs.frozen
class Rule:
    """One rule of the catalogue: its ID, where it sits (section, topic) and its text."""

    id: str
    section: str
    topic: str | None
    text: str


@attrs.frozen
class Note:
    """An amendment (``A1``) or an erratum (``E1``) of the catalogue, with its text."""

    id: str
    section: str
    text: str


@attrs.frozen
class Entry:
    """A rule and what names it: the years whose table cites it, the source files, the tests
    (``path::name``), and the functions and classes (``qpp_rules.module.name``) whose code
    names it."""

    rule: Rule
    years: tuple[int, ...]
    sources: tuple[str, ...]
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()

    @property
    def implemented(self) -> bool:
        """Whether some Python file under ``src/`` names the rule."""
        return any(source.endswith(".py") for source in self.sources)


def mentioned(text: str) -> set[str]:
    """The rule IDs ``text`` names, written ``REG-WIN-1`` or ``reg_win_1`` (a test's name),
    ranges such as ``REG-SAMP-1..3`` expanded.

    >>> sorted(mentioned("ELE-OUT-1..2 and ele_conf_1; not REG-WIN-10 nor selection_1"))
    ['ELE-CONF-1', 'ELE-OUT-1', 'ELE-OUT-2', 'REG-WIN-10']
    """
    found: set[str] = set()
    for match in _ID.finditer(text):
        name = match.group(1).upper().replace("_", "-")
        first = int(match.group(2))
        last = int(match.group(3)) if match.group(3) else first
        stem = name[: len(name) - len(match.group(2))]
        for number in range(first, max(first, last) + 1):
            found.add(f"{stem}{number}")
    return found


def _block(lines: list[str], start: int) -> tuple[list[str], int]:
    """The continuation lines of the bullet at ``start`` (indented or blank), dedented."""
    body: list[str] = []
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if line.strip() and not line.startswith((" ", "\t")):
            break
        body.append(line)
        index += 1
    while body and not body[-1].strip():
        body.pop()
    return [textwrap.dedent("\n".join(body))] if body else [], index


def parse_rules(text: str) -> tuple[tuple[Rule, ...], tuple[Note, ...]]:
    """The rules and the notes (amendments, errata) of the catalogue's Markdown ``text``.

    >>> rules, notes = parse_rules('''## 1. Things
    ... ### Windows
    ... - **REG-WIN-1** Open while open.
    ...   - PY2018: from April.
    ... ## Errata
    ... - **E1** A slip.
    ... ''')
    >>> rules[0].id, rules[0].section, rules[0].topic, rules[0].text
    ('REG-WIN-1', '1. Things', 'Windows', 'Open while open.\\n- PY2018: from April.')
    >>> notes[0].id, notes[0].section
    ('E1', 'Errata')
    """
    lines = text.splitlines()
    rules: list[Rule] = []
    notes: list[Note] = []
    section = ""
    topic: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("## "):
            section, topic = line[3:].strip(), None
        elif line.startswith("### "):
            topic = line[4:].strip()
        rule = _RULE_LINE.match(line)
        note = _NOTE_LINE.match(line)
        if rule or note:
            found = rule or note
            assert found is not None
            rest, after = _block(lines, index)
            body = "\n".join([found.group(2), *rest]).strip()
            if rule:
                rules.append(Rule(found.group(1), section, topic, body))
            else:
                notes.append(Note(found.group(1), section, body))
            index = after
            continue
        index += 1
    return tuple(rules), tuple(notes)


def find_sources(root: Path) -> dict[str, list[str]]:
    """Rule ID -> the files under ``src/`` (Python and policy data) that name it."""
    found: dict[str, list[str]] = {}
    source = root / "src"
    for path in sorted(source.rglob("*")):
        if path.suffix not in {".py", ".toml"} or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(root)
        if relative in (_SELF, _DATA):
            continue
        for rule_id in mentioned(path.read_text(encoding="utf-8")):
            found.setdefault(rule_id, []).append(relative.as_posix())
    return found


def _definitions(tree: ast.Module) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name) of every function and class, nested ones
    included."""
    spans: list[tuple[int, int, str]] = []

    def visit(body: Sequence[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{node.name}"
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                spans.append((first, node.end_lineno or node.lineno, name))
                visit(node.body, f"{name}.")

    visit(tree.body, "")
    return spans


def find_functions(root: Path) -> dict[str, list[str]]:
    """Rule ID -> the functions and classes under ``src/`` whose code (strings, comments,
    docstrings) names it, each as ``qpp_rules.module.qualified_name``; a mention outside any
    function names the module.

    >>> import pathlib
    >>> found = find_functions(pathlib.Path(__file__).resolve().parents[2])
    >>> "qpp_rules.registration" in " ".join(found.get("REG-ELIG-1", []))
    True
    """
    found: dict[str, list[str]] = {}
    source = root / "src"
    for path in sorted(source.rglob("*.py")):
        relative = path.relative_to(root)
        if "__pycache__" in path.parts or relative == _SELF:
            continue
        text = path.read_text(encoding="utf-8")
        try:
            spans = _definitions(ast.parse(text))
        except SyntaxError:
            continue
        parts = list(path.relative_to(source).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        module = ".".join(parts)
        for number, line in enumerate(text.splitlines(), start=1):
            named = mentioned(line)
            if not named:
                continue
            around = [span for span in spans if span[0] <= number <= span[1]]
            inner = min(around, key=lambda span: span[1] - span[0]) if around else None
            where = f"{module}.{inner[2]}" if inner else module
            for rule_id in named:
                places = found.setdefault(rule_id, [])
                if where not in places:
                    places.append(where)
    return found


def _tests_in(tree: ast.Module) -> Iterable[tuple[str, str]]:
    """(node id suffix, name and docstrings) of every test function in a module."""

    def visit(body: Sequence[ast.stmt], prefix: str, context: str) -> Iterable[tuple[str, str]]:
        for node in body:
            if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                text = f"{context}\n{node.name}\n{ast.get_docstring(node) or ''}"
                yield from visit(node.body, f"{prefix}{node.name}::", text)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (
                node.name.startswith("test")
            ):
                text = f"{context}\n{node.name}\n{ast.get_docstring(node) or ''}"
                yield f"{prefix}{node.name}", text

    yield from visit(tree.body, "", "")


def find_tests(root: Path) -> dict[str, list[str]]:
    """Rule ID -> the tests (``tests/path.py::name``) whose name or docstring (or whose
    class's name or docstring) names it."""
    found: dict[str, list[str]] = {}
    for path in sorted((root / "tests").rglob("test_*.py")):
        if "__pycache__" in path.parts:
            continue
        relative = path.relative_to(root).as_posix()
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        for name, text in _tests_in(tree):
            for rule_id in mentioned(text):
                found.setdefault(rule_id, []).append(f"{relative}::{name}")
    return found


def _builtin_years() -> tuple[PolicyYear, ...]:
    from qpp_rules.policy.years import builtin_years

    return builtin_years()


def _cited_years(policies: Sequence[PolicyYear]) -> dict[str, set[int]]:
    years: dict[str, set[int]] = {}
    for policy in policies:
        citations = [*policy.citations.values()]
        citations += [amendment.citation for amendment in policy.known_amendments]
        for citation in citations:
            for rule_id in citation.rules:
                years.setdefault(rule_id, set()).add(policy.year)
    return years


def catalogue(root: Path, policies: Sequence[PolicyYear] | None = None) -> tuple[Entry, ...]:
    """Every rule of ``root/spec/RULES.md`` with what names it (years from the built-in
    tables unless ``policies`` are given, so that installed plug-ins change nothing)."""
    rules, _ = parse_rules((root / SPEC).read_text(encoding="utf-8"))
    years = _cited_years(_builtin_years() if policies is None else policies)
    sources = find_sources(root)
    tests = find_tests(root)
    functions = find_functions(root)
    return tuple(
        Entry(
            rule,
            tuple(sorted(years.get(rule.id, ()))),
            tuple(sources.get(rule.id, ())),
            tuple(tests.get(rule.id, ())),
            tuple(functions.get(rule.id, ())),
        )
        for rule in rules
    )


def missing(entries: Iterable[Entry]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The rule IDs no Python file under ``src/`` names, and those no test names."""
    listed = list(entries)
    return (
        tuple(entry.rule.id for entry in listed if not entry.implemented),
        tuple(entry.rule.id for entry in listed if not entry.tests),
    )


def _anchor(rule_id: str) -> str:
    return rule_id.lower()


def _quote(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in text.splitlines()]


def _tests_lines(tests: Sequence[str]) -> list[str]:
    by_file: dict[str, list[str]] = {}
    for node in tests:
        path, _, name = node.partition("::")
        by_file.setdefault(path, []).append(name)
    return [
        f"    - `{path}`: " + ", ".join(f"`{name}`" for name in names)
        for path, names in by_file.items()
    ]


def _guide_lines(rule_id: str) -> list[str]:
    from qpp_rules.kernel.citations import catalogue as data

    entry = data().get(rule_id)
    if entry is None:
        return []
    lines = [f"- **Title**: {entry.title}", f"- **Mark**: {entry.mark}"]
    for citation in entry.sources:
        where = f"{citation.source}, {citation.section}" if citation.section else citation.source
        lines.append(f"- **{where}**:" + (f" \"{citation.quote}\"" if citation.quote else ""))
    return lines


def _note_places(policies: Sequence[PolicyYear]) -> dict[str, list[str]]:
    places: dict[str, list[str]] = {}
    for policy in policies:
        for path, erratum in policy.errata.items():
            places.setdefault(erratum.id, []).append(f"{policy.label} `{path}`")
        for amendment in policy.known_amendments:
            changed = ", ".join(f"`{path}`" for path in amendment.changes)
            places.setdefault(amendment.id, []).append(f"{policy.label} {changed}")
    return places


def render(root: Path, policies: Sequence[PolicyYear] | None = None) -> str:
    """The whole ``docs/rules.md`` page for the checkout at ``root``."""
    chosen = _builtin_years() if policies is None else policies
    entries = catalogue(root, chosen)
    _, notes = parse_rules((root / SPEC).read_text(encoding="utf-8"))
    out = [
        "# Rule catalogue",
        "",
        "<!-- Generated by `python -m qpp_rules._catalogue --write` from spec/RULES.md, the",
        "     built-in policy tables, src/ and tests/. Do not edit by hand: a test fails when",
        "     this page and the generated output differ. -->",
        "",
        "Every rule the library encodes, with its stable ID: code cites the ID in each decision",
        "it returns (`Reason.rule_id`), tests name it. For each rule:",
        "",
        "- **Years**: the built-in performance years whose policy table cites the rule beside a",
        "  value; none where no table does (the rule then reads no value that changes by year).",
        "- **Guides**: where each CMS guide says it, in the guide's own words (the rule",
        "  catalogue data behind every `Reason.citation`).",
        "- **Code**: the functions and classes whose code names the rule.",
        "- **Cited in**: the files under `src/` that name the rule (code and policy data).",
        "- **Tests**: the tests whose name or docstring names the rule.",
        "",
        "Marks in the text: *(inference)* is read between the guides' lines, *(design)* is a",
        "choice the library makes where the guides are silent, *(external: ...)* is a fact from",
        "outside the five guides.",
        "",
        "## Summary",
        "",
        "| rule | years | cited in (files) | tests |",
        "|---|---|---|---|",
    ]
    for entry in entries:
        years = ", ".join(str(year) for year in entry.years) or "none"
        out.append(
            f"| [{entry.rule.id}](#{_anchor(entry.rule.id)}) | {years} | "
            f"{len(entry.sources)} | {len(entry.tests)} |"
        )
    section: str | None = None
    topic: str | None = None
    for entry in entries:
        rule = entry.rule
        if rule.section != section:
            section, topic = rule.section, None
            out += ["", f"## {section}"]
        if rule.topic != topic:
            topic = rule.topic
            if topic:
                out += ["", f"### {topic}"]
        level = "####" if topic else "###"
        years = ", ".join(f"PY{year}" for year in entry.years) or "none"
        out += ["", f"{level} {rule.id}", "", *_quote(rule.text), "", f"- **Years**: {years}"]
        out += _guide_lines(rule.id)
        if entry.functions:
            out.append("- **Code**: " + ", ".join(f"`{f}`" for f in entry.functions))
        if entry.sources:
            out.append("- **Cited in**: " + ", ".join(f"`{s}`" for s in entry.sources))
        else:
            out.append("- **Cited in**: nothing yet")
        if entry.tests:
            out += [f"- **Tests** ({len(entry.tests)}):", *_tests_lines(entry.tests)]
        else:
            out.append("- **Tests**: none yet")
    places = _note_places(chosen)
    note_section: str | None = None
    for note in notes:
        if note.section != note_section:
            note_section = note.section
            out += ["", f"## {note_section}"]
        out += ["", f"### {note.id}", "", *_quote(note.text)]
        where = places.get(note.id)
        out += ["", "- **Recorded in**: " + ("; ".join(where) if where else "no policy table")]
    return "\n".join(out) + "\n"


def _root(given: str | None) -> Path:
    if given is not None:
        return Path(given)
    here = Path(__file__).resolve().parents[2]
    return here if (here / SPEC).is_file() else Path.cwd()


def main(argv: Sequence[str] | None = None) -> int:
    """Print, write or check the page; ``--missing`` lists rules without code or tests."""
    parser = argparse.ArgumentParser(prog="python -m qpp_rules._catalogue")
    parser.add_argument("--root", help="the checkout (default: this package's)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help=f"write {PAGE.as_posix()}")
    mode.add_argument("--check", action="store_true", help=f"exit 1 if {PAGE} is stale")
    mode.add_argument("--missing", action="store_true", help="rules without code or tests")
    args = parser.parse_args(argv)
    root = _root(args.root)
    if args.missing:
        no_code, no_test = missing(catalogue(root))
        print("no implementation: " + (", ".join(no_code) or "none"))
        print("no test: " + (", ".join(no_test) or "none"))
        return 1 if no_code or no_test else 0
    page = render(root)
    target = root / PAGE
    if args.write:
        target.write_text(page, encoding="utf-8")
        return 0
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != page:
            print(f"{PAGE} is stale: run python -m qpp_rules._catalogue --write", file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
