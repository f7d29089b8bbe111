"""``qpp-rules years``: each year's policy table, what the year knows and what it does not
(POL-UNK-1); ``--diff A B``: every value that differs between two years, with both values and
both citations (``qr.policy_diff``).

>>> from qpp_rules.cli import main
>>> main(["years", "--diff", "2019", "2019"])
PY2019 -> PY2019: no policy value differs
0
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from qpp_rules.policy import PolicyYear

from .base import command, json_argument, policies, policy, warn_plugins, year_argument
from .render import cited, emit_json, show, table, wrapped

if TYPE_CHECKING:
    from qpp_rules.policy.diff import PolicyChange

__all__ = ["YEAR_ROWS", "change_json", "change_lines", "years"]

YEAR_ROWS: tuple[tuple[str, str], ...] = (
    ("registration.window", "registration window"),
    ("registration.web_interface_min_clinicians", "Web Interface needs"),
    ("registration.cahps_min_clinicians", "CAHPS needs"),
    ("registration.may_register", "who may register"),
    ("registration.registered_by_cms", "registered by CMS"),
    ("registration.web_interface_carry_over", "Web Interface carries over to"),
    ("registration.ssp_aco_automatic", "SSP ACOs automatically hold"),
    ("election.opt_in", "MIPS opt-in"),
    ("election.window", "election window"),
    ("election.submission_window", "data submission window"),
    ("election.low_volume", "low-volume threshold"),
)
"""The rows of ``qpp-rules years``: (the value's path in the policy, its label)."""


def _arguments(parser: argparse.ArgumentParser) -> None:
    json_argument(parser)
    year_argument(parser)
    parser.add_argument(
        "--cite", action="store_true", help="show where each value is written"
    )
    parser.add_argument(
        "--diff", nargs=2, type=int, metavar=("A", "B"),
        help="every policy value that differs from year A to year B, with both citations",
    )


@command("years", help="every known year's policy table", arguments=_arguments)
def years(args: argparse.Namespace) -> int:
    """``qpp-rules years [--json] [--year Y] [--cite]``: each year's windows, size rules, who
    may register for what, carry-over, SSP ACO automatic registration, the opt-in switch,
    the election window and the low-volume threshold; with citations in ``--json``. Each
    year also says how many of its values it knows and which it does not, with why (a value
    no public source read gives, POL-UNK-1). ``--diff A B``: every value that differs
    between the years A and B."""
    warn_plugins()
    if args.diff is not None:
        return _diff(policy(args.diff[0]), policy(args.diff[1]), as_json=args.json)
    chosen = policies(args.year)
    if args.json:
        emit_json({"years": [_year_json(item) for item in chosen]})
        return 0
    for index, item in enumerate(chosen):
        if index:
            print()
        print(f"{item.label}: {item.title}")
        unknown = item.unknown_values()
        rows: list[tuple[str, Sequence[str]]] = []
        for path, label in YEAR_ROWS:
            value = item.value_at(path)
            shown = show(value)
            if path in unknown:
                shown = [f"not known ({unknown[path]})"]
            elif path.endswith("_min_clinicians") and value is not None:
                shown = [f"{value} or more clinicians"]
            shown = [*shown, *(f"{sub[len(path) + 1:]}: not known" for sub in unknown
                               if sub.startswith(f"{path}."))]
            rows.append((label, shown))
            if args.cite:
                rows.append(("", [f"[{item.cite(path)}]"]))
        rows += _known_rows(item)
        for amendment in item.amendments:
            rows.append(
                (
                    f"amendment {amendment.id}",
                    [f"announced {amendment.announced.format('YYYY-MM-DD')}: {amendment.summary}"],
                )
            )
        for line in table(rows):
            print(line)
    return 0


def _known_rows(item: PolicyYear) -> list[tuple[str, Sequence[str]]]:
    """What the year knows (how many values, each cited) and what it does not (each with
    why: no public source read gives it, POL-UNK-1).

    >>> import qpp_rules as qr
    >>> _known_rows(qr.policy_for(2019))[1]
    ('not known', ['nothing: every value is cited'])
    """
    known, unknown = item.known_values(), item.unknown_values()
    rows: list[tuple[str, Sequence[str]]] = [
        ("known", [f"{len(known)} values, each cited"]),
        ("not known", [f"{path}: {why}" for path, why in unknown.items()]
         or ["nothing: every value is cited"]),
    ]
    return rows


def _year_json(item: PolicyYear) -> dict[str, Any]:
    from qpp_rules.serialization import to_dict
    return {
        "year": item.year,
        "label": item.label,
        "title": item.title,
        "values": {path: cited(item, path) for path, _ in YEAR_ROWS},
        "known": list(item.known_values()),
        "unknown": dict(item.unknown_values()),
        "amendments": [to_dict(amendment) for amendment in item.amendments],
    }


def change_json(change: PolicyChange) -> dict[str, Any]:
    """One differing value as JSON data: path, both values, both citations."""
    from qpp_rules.serialization import to_dict
    return {
        "path": change.path,
        "before": to_dict(change.before),
        "after": to_dict(change.after),
        "before_citation": to_dict(change.before_citation),
        "after_citation": to_dict(change.after_citation),
    }


def change_lines(change: PolicyChange, indent: int = 2) -> list[str]:
    """One differing value as text: the path, then each side's value and citation."""
    lines = [" " * indent + change.path]
    for side, value, citation in (("before", change.before, change.before_citation),
                                  ("after", change.after, change.after_citation)):
        where = f" [{citation}]" if citation is not None else ""
        lines += wrapped(f"{side}: {'; '.join(show(value))}{where}", indent + 2)
    return lines


def _diff(before: PolicyYear, after: PolicyYear, *, as_json: bool) -> int:
    from qpp_rules.policy.diff import policy_diff
    changes = policy_diff(before, after)
    if as_json:
        emit_json({"from": before.label, "to": after.label,
                   "changes": [change_json(change) for change in changes]})
        return 0
    if not changes:
        print(f"{before.label} -> {after.label}: no policy value differs")
        return 0
    print(f"{before.label} -> {after.label}: {len(changes)} policy values differ")
    for change in changes:
        print()
        for line in change_lines(change):
            print(line)
    return 0
