"""``qpp-rules diff``: how a population's answers change from one year (or reform) to
another, and why: the rules that decided each change, with their titles, the policy values
behind them, shares of the population and breakdowns by columns.

>>> from qpp_rules.cli import main
>>> main(["diff", "--from", "2019", "--to", "2019"])  # doctest: +ELLIPSIS
PY2019 -> PY2019: 4000 organizations (the bundled example population)
...
0
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from qpp_rules.errors import QppRulesError

from . import base
from . import progress as _progress
from .base import PROG, command, policy, scrub, table_format, warn_plugins
from .evaluate import evaluate_all, population_argument
from .inputs import read_population, read_reform_file, reform_change, reformed
from .render import csv_text, markdown_text, save_figure, show, wrapped, write_output

if TYPE_CHECKING:  # loaded when the command runs, keeping start-up fast
    from .why import Change, QuestionWhy, RuleShare, Why

__all__ = ["diff", "flat_rows", "plot"]

RULE_NOTE = (
    "A rule counts for an organization whose answer changed only where it decided the change: "
    "the reasons of the refused side, else the reasons that differ between the two sides; of "
    "these, the rules a changed policy value cites, where any is."
)


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="before", type=int, required=True, metavar="Y",
                        help="the performance year before")
    parser.add_argument("--to", dest="after", type=int, required=True, metavar="Y",
                        help="the performance year after")
    population_argument(parser)
    parser.add_argument(
        "--reform", action="append", type=reform_change, default=[], metavar="PATH=VALUE",
        help="change a value of the --to year (repeat for several), e.g. "
        "registration.web_interface_min_clinicians=15; VALUE is read as JSON where it is "
        f"JSON, else as text ('{PROG} paths' lists the paths)",
    )
    parser.add_argument(
        "--reform-file", metavar="FILE",
        help="a TOML file of changes to the --to year, applied at once (see docs/cli.md)",
    )
    parser.add_argument(
        "--by", metavar="COLUMNS",
        help="break the changes down by these columns, e.g. kind,size (size: the size band)",
    )
    base.output_arguments(parser, format_help="table (default), csv (cells a spreadsheet would "
                          "run as formulas start with '), markdown or json")
    base.plot_argument(parser, "the changes, labelled with counts and shares,")


@command(
    "diff",
    help="how a population's answers change from one year (or reform) to another, and why",
    arguments=_arguments,
)
def diff(args: argparse.Namespace) -> int:
    """``qpp-rules diff --from Y --to Y [FILE] [--reform PATH=VALUE ...] [--reform-file F]
    [--by COLUMNS] [--format table|csv|markdown|json] [--output PATH] [--plot PNG]``."""
    from .policyvalues import policy_diff, value_paths
    from .why import by_columns, explain_changes
    chosen = table_format(args)
    warn_plugins()
    by = by_columns(args.by)
    before = policy(args.before)
    changes: list[tuple[str, Any]] = list(args.reform)
    label = None
    known = value_paths(before, tables=True)
    if args.reform_file is not None:
        label, from_file = read_reform_file(args.reform_file, known)
        changes += from_file
    after = reformed(policy(args.after), changes, known, label)
    progress = _progress.terminal_progress(chosen == "json")
    population, source = read_population(args.file, progress=progress)
    bar = _progress.stages(f"diff {scrub(source)}", population, 3, progress=progress)
    try:
        first, second = evaluate_all(population, [before, after], bar)
        bar.stage("comparing")
        why = explain_changes(population, first, second, policy_diff(before, after), by)
    finally:
        bar.close()
    if args.plot is not None:
        plot(why, args.plot)
    if chosen == "json":
        data = why.to_json()
        data["reform"] = [{"path": path, "value": value} for path, value in changes]
        text = json.dumps(data, indent=2, ensure_ascii=False)
    elif chosen in ("csv", "markdown"):
        header, rows = flat_rows(why)
        text = (csv_text if chosen == "csv" else markdown_text)(header, rows)
    else:
        text = "\n".join(_text(why, scrub(source), changes)) + "\n"
    write_output(text, args.output)
    return 0


def _percent(share: float) -> str:
    return f"{share:.1%}"


def _rules_cell(rules: Sequence[RuleShare]) -> str:
    return "; ".join(f"{r.rule_id} ({r.title}) {r.organizations}" for r in rules)


def flat_rows(why: Why) -> tuple[list[str], list[list[object]]]:
    """The diff as one table: a row per question, direction (and group with ``--by``)."""
    header = ["question", "before", "after", *why.by, "organizations", "of", "share",
              "rules", "policy values"]
    rows: list[list[object]] = []
    for q in why.questions:
        paths = " ".join(c.path for c in q.policy_values)
        entries: Sequence[Change] = q.groups if why.by else q.directions
        if not entries:
            rows.append([q.question, "", "", *([""] * len(why.by)), 0, q.of,
                         _percent(0.0), "", ""])
        for item in entries:
            rows.append([q.question, item.before, item.after, *item.group, item.organizations,
                         item.of, _percent(item.share), _rules_cell(item.rules), paths])
    return header, rows


def _question_lines(q: QuestionWhy, by: Sequence[str]) -> Iterator[str]:
    if not q.changed:
        yield f"{q.question}: no change"
        return
    yield (f"{q.question}: {q.changed} of {q.of} organizations change answer "
           f"({_percent(q.share)})")
    for item in q.directions:
        yield f"  {item.before} -> {item.after}: {item.organizations} ({_percent(item.share)})"
    yield "  decided by"
    width = max(len(r.rule_id) for r in q.rules) if q.rules else 0
    for r in q.rules:
        yield from wrapped(f"{r.rule_id.ljust(width)}  {r.organizations} "
                           f"({_percent(r.share)})  {r.title}", 4, width + 2)
    if q.policy_values:
        yield "  because of the policy values"
        for change in q.policy_values:
            yield from wrapped(f"{change.path}: {'; '.join(show(change.before))} -> "
                               f"{'; '.join(show(change.after))}", 4)
    if by:
        yield f"  by {', '.join(by)}"
        for item in q.groups:
            group = ", ".join(item.group)
            yield from wrapped(f"{group}: {item.before} -> {item.after} {item.organizations} "
                               f"of {item.of} ({_percent(item.share)})", 4)


def _text(why: Why, source: str, reform: Sequence[tuple[str, Any]]) -> Iterator[str]:
    yield f"{why.before} -> {why.after}: {why.organizations} organizations ({source})"
    for path, value in reform:
        yield f"  reform: {path} = {json.dumps(value, ensure_ascii=False)}"
    behind = {c.path for q in why.questions for c in q.policy_values}
    others = [c for c in why.policy_changes if c.path not in behind]
    for q in why.questions:
        yield ""
        yield from _question_lines(q, why.by)
    yield ""
    if others:
        yield from wrapped(f"{len(others)} other policy values differ "
                           f"('{PROG} years --diff' lists every value with its citations): "
                           + ", ".join(c.path for c in others), 0, 2)
        yield ""
    yield from wrapped(RULE_NOTE, 0, 0)


def plot(why: Why, path: str) -> None:
    """Draw the changes per question and direction to the PNG ``path``, each bar labelled
    with its count and its share of the population (needs matplotlib: the plot extra)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        raise QppRulesError(
            "--plot needs matplotlib: pip install 'qpp-rules[plot]'"
        ) from None
    bars = [(f"{q.question}: {d.before} -> {d.after}", d.organizations, d.share)
            for q in why.questions for d in q.directions]
    figure, axis = pyplot.subplots(figsize=(9, 2 + 0.5 * max(len(bars), 1)))
    try:
        labels = [label for label, _, _ in bars] or ["no change"]
        drawn = axis.barh(labels, [count for _, count, _ in bars] or [0])
        axis.bar_label(drawn, labels=[f"{count} ({_percent(share)})"
                                      for _, count, share in bars] or ["0"], padding=3)
        axis.set_xlabel(f"organizations (of {why.organizations})")
        axis.set_title(f"{why.before} -> {why.after}")
        axis.margins(x=0.2)
        figure.tight_layout()
        save_figure(figure, path)
    finally:
        pyplot.close(figure)
