"""``qpp-rules paths``: every policy path a reform can change, with its declared type, its
value in a year and where that value is written.

>>> from qpp_rules.cli import main
>>> main(["paths", "--year", "2019", "--format", "csv"])  # doctest: +ELLIPSIS
path,type,value,citation
registration.window,Window | None,2019-04-04 10:00 EDT to 2019-07-01 17:00 EDT (closed from ...
0
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from .base import (
    command,
    near,
    one_year_argument,
    output_arguments,
    policy,
    table_format,
    warn_plugins,
    year_label,
)
from .render import csv_text, markdown_text, show, wrapped, write_output

__all__ = ["paths"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    one_year_argument(parser, None, "whose values are shown")
    parser.add_argument("prefix", nargs="?", metavar="PREFIX",
                        help="only the paths starting with PREFIX, e.g. election")
    output_arguments(parser, format_help="table (default), csv, markdown or json")


@command("paths", help="every policy path a reform can change: type, value, citation",
         arguments=_arguments)
def paths(args: argparse.Namespace) -> int:
    """``qpp-rules paths [PREFIX] [--year Y] [--format table|csv|markdown|json]``: the paths
    ``--reform PATH=VALUE`` and ``--reform-file`` take, each with its type, value and
    citation; a PREFIX that matches nothing is refused with the nearest paths."""
    from qpp_rules.errors import InvalidInput
    from qpp_rules.serialization import to_dict

    from .policyvalues import declared_type, type_name, value_paths
    warn_plugins()
    chosen = policy(args.year)
    every = value_paths(chosen)
    listed = [path for path in every if args.prefix is None or path.startswith(args.prefix)]
    if not listed:
        raise InvalidInput("PREFIX", f"no policy path starts with {args.prefix!r}"
                           f"{near(args.prefix or '', value_paths(chosen, tables=True))}")
    rows: list[list[Any]] = []
    for path in listed:
        value = chosen.value_at(path)
        rows.append([path, type_name(declared_type(path)), "; ".join(show(value)),
                     str(chosen.cite(path))])
    form = table_format(args)
    if form == "json":
        data = {"year": chosen.year, "policy": chosen.label, "paths": [
            {"path": path, "type": type_name(declared_type(path)),
             "value": to_dict(chosen.value_at(path)), "citation": to_dict(chosen.cite(path))}
            for path in listed]}
        write_output(json.dumps(data, indent=2, ensure_ascii=False), args.output)
        return 0
    header = ["path", "type", "value", "citation"]
    if form in ("csv", "markdown"):
        write_output((csv_text if form == "csv" else markdown_text)(header, rows), args.output)
        return 0
    lines = [f"{len(listed)} policy paths of {year_label(chosen, args.year)} (qpp-rules diff "
             "--reform PATH=VALUE changes one):"]
    for path, kind, shown, cited in rows:
        lines.append("")
        lines.append(f"{path}  ({kind})")
        lines += wrapped(shown, 2)
        lines += wrapped(f"[{cited}]", 2)
    write_output("\n".join(lines) + "\n", args.output)
    return 0
