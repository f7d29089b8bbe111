"""``qpp-rules calendar``: every window of every year, in US Eastern time and in a zone.

>>> from qpp_rules.cli import main
>>> main(["calendar", "--year", "2019", "--tz", "UTC"])  # doctest: +ELLIPSIS
year    what  ...
0
"""

from __future__ import annotations

import argparse
from typing import Any

import attrs
import pendulum
from pendulum.tz.local_timezone import get_local_timezone

import qpp_rules as qr
from qpp_rules.errors import InvalidInput
from qpp_rules.policy import PolicyYear

from .base import command, json_argument, policies, warn_plugins, year_argument
from .render import emit_json, when

__all__ = ["CALENDAR_LABELS", "calendar"]

CALENDAR_LABELS: dict[str, str] = {
    "registration.window": "registration",
    "election.window": "opt-in / voluntary election",
    "election.submission_window": "data submission",
    "access.cpc_plus_connections_open": "CPC+ Practice Site connections",
}
"""How the calendar names a dated policy value; others are named by their path."""

_NOT_DATES = frozenset({"citations", "errata", "amendments", "known_amendments"})


@attrs.frozen
class _Dated:
    year: int
    label: str
    path: str
    opens: pendulum.DateTime
    closes: pendulum.DateTime | None


def _dated(policy: PolicyYear) -> list[_Dated]:
    """Every window (and every opening instant) in a policy, found by walking its tables."""
    found: list[_Dated] = []

    def walk(value: Any, prefix: str) -> None:
        for field in attrs.fields(type(value)):
            if field.name.startswith("_") or field.name in _NOT_DATES:
                continue
            item = getattr(value, field.name)
            path = f"{prefix}{field.name}"
            if isinstance(item, qr.Window):
                found.append(_Dated(policy.year, policy.label, path, item.opens, item.closes))
            elif isinstance(item, pendulum.DateTime):
                found.append(_Dated(policy.year, policy.label, path, item, None))
            elif attrs.has(type(item)):
                walk(item, f"{path}.")

    walk(policy, "")
    return sorted(found, key=lambda entry: (entry.year, entry.opens, entry.path))


def _zone(name: str | None) -> Any:
    if name is None:
        try:
            return get_local_timezone()
        except Exception:  # no local zone configured: say so by showing UTC
            return pendulum.timezone("UTC")
    try:
        return pendulum.timezone(name)
    except Exception:
        raise InvalidInput(
            "--tz", f"unknown time zone {name!r}; give an IANA name such as Europe/London"
        ) from None


def _arguments(parser: argparse.ArgumentParser) -> None:
    json_argument(parser)
    year_argument(parser)
    parser.add_argument(
        "--tz",
        metavar="ZONE",
        help="show times in this IANA zone too (e.g. Europe/London); default the local zone",
    )


@command(
    "calendar",
    help="every window of every year, in ET and in your zone",
    arguments=_arguments,
)
def calendar(args: argparse.Namespace) -> int:
    """``qpp-rules calendar [--json] [--tz ZONE] [--year Y]``: every window of every year,
    in US Eastern time and in the local zone (or ``--tz``)."""
    zone = _zone(args.tz)
    warn_plugins()
    chosen = policies(args.year)
    entries = [entry for item in chosen for entry in _dated(item)]
    if args.json:
        emit_json(
            {
                "zone": zone.name,
                "entries": [_calendar_json(chosen, entry, zone) for entry in entries],
            }
        )
        return 0
    header = ("year", "what", "", "US Eastern (ET)", zone.name)
    lines: list[tuple[str, ...]] = []
    for entry in entries:
        what = CALENDAR_LABELS.get(entry.path, entry.path)
        lines.append((entry.label, what, "opens", when(entry.opens), when(entry.opens, zone)))
        if entry.closes is not None:
            lines.append(("", "", "closes", when(entry.closes), when(entry.closes, zone)))
    widths = [max(len(row[column]) for row in [header, *lines]) for column in range(5)]
    for row in [header, *lines]:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    print()
    print("A window is open from the instant it opens up to, not including, the instant it "
          "closes.")
    return 0


def _calendar_json(chosen: list[PolicyYear], entry: _Dated, zone: Any) -> dict[str, Any]:
    from qpp_rules.serialization import to_dict
    policy = next(item for item in chosen if item.year == entry.year)
    closes = entry.closes
    return {
        "year": entry.year,
        "label": entry.label,
        "path": entry.path,
        "what": CALENDAR_LABELS.get(entry.path, entry.path),
        "opens": entry.opens.isoformat(),
        "closes": closes.isoformat() if closes is not None else None,
        "opens_local": entry.opens.in_timezone(zone).isoformat(),
        "closes_local": closes.in_timezone(zone).isoformat() if closes is not None else None,
        "citation": to_dict(policy.cite(entry.path)),
    }
