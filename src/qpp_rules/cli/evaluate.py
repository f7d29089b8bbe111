"""``qpp-rules evaluate``: a population through one year, as counts or the whole table.

>>> from qpp_rules.cli import main
>>> main(["evaluate", "--year", "2019", "--rows", "0"])  # doctest: +ELLIPSIS
PY2019: 4000 organizations (the bundled example population)
...
0
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qpp_rules.policy import PolicyYear

from . import progress as _progress
from .base import (
    UsageError,
    command,
    one_year_argument,
    output_arguments,
    policy,
    scrub,
    table_format,
    warn_plugins,
    year_label,
)
from .inputs import read_population
from .render import csv_text, grid, write_output

if TYPE_CHECKING:
    from qpp_rules.analysis import Evaluation, Population

__all__ = ["FIRST_ROWS", "evaluate_all", "evaluate_command", "population_argument"]

FIRST_ROWS = 10
"""How many organizations ``evaluate`` shows in its table by default."""


def population_argument(parser: argparse.ArgumentParser) -> None:
    """The optional population ``FILE`` (default the bundled example)."""
    from qpp_rules.analysis import COLUMNS
    parser.add_argument(
        "file", nargs="?", metavar="FILE",
        help="a population CSV with a header of the columns "
        f"{', '.join(COLUMNS)} ('-': stdin); default the bundled example population",
    )


def evaluate_all(population: Population, policies: Sequence[PolicyYear],
                 bar: _progress.Progress) -> list[Evaluation]:
    """``analysis.evaluate`` of ``population`` under each policy, one stage of ``bar`` each."""
    from qpp_rules.analysis import evaluate
    results = []
    for item in policies:
        bar.stage(f"deciding under {item.label}")
        results.append(evaluate(population, item))
    return results


def _arguments(parser: argparse.ArgumentParser) -> None:
    population_argument(parser)
    one_year_argument(parser, None, "to decide under")
    output_arguments(
        parser, ("table", "csv", "json"),
        format_help="table (default): counts per question and answer and the first rows; csv, "
        "json: the whole table (csv cells a spreadsheet would run as formulas start with ')",
        output_help="write the csv or json table to PATH instead of standard output",
    )
    parser.add_argument("--rows", type=int, default=FIRST_ROWS, metavar="N",
                        help=f"how many organizations the table shows (default {FIRST_ROWS})")


def _format(args: argparse.Namespace) -> str:
    chosen = table_format(args)
    if args.output is not None and chosen == "table":
        raise UsageError("--output writes the whole table: add --format csv or --format json")
    if args.rows < 0:
        raise UsageError(f"--rows must be 0 or more; got {args.rows}")
    return chosen


def _csv(table: Evaluation) -> str:
    columns = table.columns
    names = list(columns)
    rows = (
        [" ".join(v) if isinstance(v, tuple) else v for v in values]
        for values in zip(*(columns[n] for n in names), strict=True)
    )
    return csv_text(names, rows)


@command(
    "evaluate",
    help="a population through one year: counts per question and answer, or the whole table",
    arguments=_arguments,
)
def evaluate_command(args: argparse.Namespace) -> int:
    """``qpp-rules evaluate [FILE] [--year Y] [--format table|csv|json] [--output PATH]``:
    every organization of a population CSV (default the bundled example) through
    ``qpp_rules.analysis.evaluate``."""
    warn_plugins()
    chosen = _format(args)
    year = policy(args.year)
    progress = _progress.terminal_progress(chosen == "json")
    population, source = read_population(args.file, progress=progress)
    bar = _progress.stages(f"evaluate {scrub(source)}", population, 2, progress=progress)
    try:
        (table,) = evaluate_all(population, [year], bar)
        if chosen != "table" or args.rows:  # the output lists organizations: each once
            table.population.check_unique()
        bar.stage(f"writing {chosen}" if chosen != "table" else "counting")
        if chosen == "csv":
            text = _csv(table)
        elif chosen == "json":
            text = table.to_json()
        else:
            counts = _count_rows(table)
    finally:
        bar.close()
    if chosen != "table":
        write_output(text, args.output)
        return 0
    print(f"{year_label(year, args.year)}: {len(table)} organizations ({scrub(source)})")
    print()
    for line in grid(("question", "answer", "organizations", "share", "rules"), counts):
        print(line)
    shown = min(args.rows, len(table))
    if shown:
        print()
        print(f"The first {shown} of {len(table)} organizations (the whole table: "
              "--format csv or --format json):")
        names = ("org_id", *table.questions)
        rows = [
            tuple(scrub(str(value)) for value in values)
            for values in zip(*(table.column(name)[:shown] for name in names), strict=True)
        ]
        for line in grid(names, rows):
            print(line)
    return 0


def _count_rows(table: Evaluation) -> list[tuple[str, ...]]:
    total = max(len(table), 1)
    rows: list[tuple[str, ...]] = []
    for question in table.questions:
        rules: dict[str, set[str]] = {}
        for answer, why in set(zip(table.column(question), table.column(f"{question}_rules"),
                                   strict=True)):
            rules.setdefault(answer, set()).update(why)
        for index, (answer, count) in enumerate(sorted(table.counts(question).items())):
            rows.append((
                question if index == 0 else "",
                answer,
                str(count),
                f"{count / total:.1%}",
                ", ".join(sorted(rules.get(answer, ()))),
            ))
    return rows
