"""``qpp-rules sweep PATH VALUES``: one policy value swept over a range, the population read
and grouped once (``qpp_rules.analysis.sweep``): how many organizations each answer gets at
each value, as a table, CSV, Markdown or JSON, and with ``--plot FILE`` the curve of the share
allowed against the value.

>>> values("2..5"), values("10,15,25"), values("0.5,1")
([2, 3, 4, 5], [10, 15, 25], [0.5, 1])
>>> from qpp_rules.cli import main
>>> main(["sweep", "registration.web_interface_min_clinician", "2..3"])  # a near miss: exit 2
2
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from qpp_rules.errors import InvalidInput

from .base import (
    UsageError,
    command,
    near,
    one_year_argument,
    output_arguments,
    plot_argument,
    policy,
    scrub,
    table_format,
    warn_plugins,
    year_label,
)
from .evaluate import population_argument
from .inputs import read_population
from .render import csv_text, grid, markdown_text, save_figure, write_output

__all__ = ["sweep_command", "values"]

_MOST = 10_000


def values(text: str) -> list[Any]:
    """The values to sweep: ``A..B`` (every whole number from A to B, both included) or a
    comma-separated list (each read as JSON where it is JSON, else as text)."""
    text = text.strip()
    first, dots, last = text.partition("..")
    if dots:
        try:
            low, high = int(first), int(last)
        except ValueError:
            raise UsageError(f"VALUES: A..B takes two whole numbers; got {text[:40]!r}") from None
        if not 0 <= high - low < _MOST:
            raise UsageError(f"VALUES: from 1 to {_MOST:,} values, A <= B; got {text[:40]!r}")
        return list(range(low, high + 1))
    found: list[Any] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            raise UsageError(f"VALUES: an empty value in {text[:40]!r}")
        try:
            found.append(json.loads(part))
        except (ValueError, RecursionError):
            found.append(part)
    if len(found) > _MOST:
        raise UsageError(f"VALUES: at most {_MOST:,} values")
    return found


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH",
                        help="the policy value to sweep (see `qpp-rules paths`)")
    parser.add_argument("values", metavar="VALUES",
                        help="A..B (whole numbers, both ends included) or a comma-separated list")
    population_argument(parser)
    one_year_argument(parser, None, "whose policy is swept")
    parser.add_argument("--question", action="append", metavar="NAME",
                        help="only these questions (repeatable; default every question)")
    output_arguments(parser, format_help="the table's form (default: table)",
                     output_help="write the table to PATH")
    plot_argument(parser, "the share allowed (yes; opt_in_eligible for opt_in_status) against "
                  "the value,")


@command(
    "sweep",
    help="one policy value over a range of values: counts and shares per value and question",
    arguments=_arguments,
)
def sweep_command(args: argparse.Namespace) -> int:
    """``qpp-rules sweep PATH VALUES [FILE] [--year Y] [--question NAME] [--format ...]
    [--json] [--output F] [--plot PNG]``: the population (default the bundled example)
    under the year's policy with ``PATH`` set to each value."""
    from qpp_rules.analysis import QUESTIONS, sweep
    from qpp_rules.policy.unknown import refuse_below_unknown

    from .policyvalues import value_paths

    warn_plugins()
    chosen_format = table_format(args)
    base = policy(args.year)
    known = value_paths(base)
    if args.path not in known:
        refuse_below_unknown(base, args.path, "PATH")  # below what the year does not know
        raise UsageError(f"PATH: no policy value {args.path!r}{near(args.path, known)}")
    swept = values(args.values)
    names = [question.name for question in QUESTIONS]
    for name in args.question or ():
        if name not in names:
            raise UsageError(f"--question: no question {name!r}{near(name, names)}")
    chosen = [q for q in QUESTIONS if not args.question or q.name in args.question]
    if args.plot is not None and not any(q.allowed for q in chosen):
        raise InvalidInput("--plot", "draws the share allowed, and no question asked has an "
                           "answer that says allowed: add --question " + " or ".join(
                               q.name for q in QUESTIONS if q.allowed))
    population, source = read_population(args.file, progress=False)
    table = sweep(population, base, args.path, swept, chosen)
    header = ("value", "question", "answer", "organizations", "share")
    rows = [
        (json.dumps(row["value"], ensure_ascii=False), row["question"], row["answer"],
         str(row["count"]), f"{row['share']:.1%}")
        for row in table.rows()
    ]
    if args.plot is not None:
        save_figure(table.plot(), args.plot)
    if chosen_format == "json":
        write_output(table.to_json() + "\n", args.output)
    elif chosen_format == "csv":
        write_output(csv_text(header, rows), args.output)
    elif chosen_format == "markdown":
        write_output(markdown_text(header, rows), args.output)
    else:
        lines = [f"{year_label(base, args.year)}: {args.path} swept over {len(swept)} values, "
                 f"{table.total} organizations ({scrub(source)})", ""]
        lines += list(grid(header, rows))
        write_output("\n".join(lines) + "\n", args.output)
    return 0
