"""The command line ``qpp-rules`` (also ``python -m qpp_rules``).

Every command is one function registered in :data:`COMMANDS` by the :func:`command`
decorator, with a second function that adds its arguments; adding a command is writing those
two functions. Every command prints a readable table on a terminal and JSON with ``--json``.

Exit codes: 0 done; 2 bad input or usage (an unknown year, a bad file, a wrong option);
1 an internal error. Errors are one line on standard error, ``qpp-rules: error: ...``, never a
traceback (``--debug`` shows it).

>>> main(["years", "--year", "2019"])  # doctest: +ELLIPSIS
PY2019: Performance year 2019
  registration window ...
0
>>> main(["years", "--year", "1999"])
2
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn

import attrs
import pendulum
from pendulum.tz.local_timezone import get_local_timezone

import qpp_rules as qr
from qpp_rules.errors import InvalidInput, QppRulesError, mask
from qpp_rules.policy import FrozenMap, LowVolumeThreshold, PolicyYear
from qpp_rules.serialization import to_dict

__all__ = ["COMMANDS", "Command", "build_parser", "command", "main"]

PROG = "qpp-rules"
WIDTH = 100
"""Text output wraps at this many characters, whatever the terminal (stable output)."""

Run = Callable[[argparse.Namespace], int]
Arguments = Callable[[argparse.ArgumentParser], None]


@attrs.frozen
class Command:
    """One subcommand: its name, a one-line help, the function that adds its arguments and
    the function that runs it (returning the exit code).

    >>> COMMANDS["years"].help
    "every known year's policy table"
    """

    name: str
    help: str
    arguments: Arguments
    run: Run


COMMANDS: dict[str, Command] = {}
"""The subcommands, by name, in the order ``--help`` lists them."""


def _no_arguments(_: argparse.ArgumentParser) -> None:
    return None


def command(name: str, *, help: str, arguments: Arguments = _no_arguments) -> Callable[[Run], Run]:
    """Register the decorated function as the subcommand ``name``.

    >>> @command("hello", help="say hello")
    ... def hello(args):
    ...     print("hello")
    ...     return 0
    >>> main(["hello"])
    hello
    0
    >>> del COMMANDS["hello"]
    """

    def register(run: Run) -> Run:
        if name in COMMANDS:
            raise ValueError(f"the command {name!r} is registered twice")
        COMMANDS[name] = Command(name, help, arguments, run)
        return run

    return register


# ---------------------------------------------------------------------------------------------
# The parser: usage errors as one line, exit code 2
# ---------------------------------------------------------------------------------------------
class _UsageError(Exception):
    """A command line argparse refuses."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``qpp-rules`` with every registered command.

    >>> sorted(build_parser().parse_args(["calendar", "--tz", "UTC"]).__dict__)
    ['command', 'debug', 'json', 'tz', 'year']
    """
    parser = _Parser(
        prog=PROG,
        description="The US Medicare Quality Payment Program rules for registration, "
        "elections and access, as explained decisions.",
        epilog="Exit codes: 0 done, 2 bad input or usage, 1 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {qr.__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for item in COMMANDS.values():
        sub = commands.add_parser(item.name, help=item.help, description=item.help)
        item.arguments(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as error:
        return _fail(str(error), 2)
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    try:
        return COMMANDS[args.command].run(args)
    except QppRulesError as error:
        return _fail(str(error), 2)
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if args.debug:
            raise
        return _fail(
            f"internal error: {type(error).__name__}: {_scrub(str(error))} "
            "(run with --debug for the traceback)",
            1,
        )


def _fail(message: str, code: int) -> int:
    first = " ".join(message.split())  # one line, whatever the message held
    print(f"{PROG}: error: {first}", file=sys.stderr)
    return code


_TIN_LIKE = re.compile(r"\b\d{2}-?\d{7}\b")


def _scrub(text: str) -> str:
    """An unexpected error's message with anything shaped like a TIN masked."""
    return _TIN_LIKE.sub(lambda found: mask(found.group()), text)


def _warn_plugins() -> None:
    for error in qr.plugin_errors():
        print(f"{PROG}: warning: {error}", file=sys.stderr)


def _emit_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _policies(years: Sequence[int] | None) -> list[PolicyYear]:
    chosen = sorted(set(years)) if years else list(qr.available_years())
    return [qr.policy_for(year) for year in chosen]


def _year_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year",
        type=int,
        action="append",
        metavar="Y",
        help="only this performance year (repeat for several); default every known year",
    )


def _json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="JSON for machines")


# ---------------------------------------------------------------------------------------------
# Showing values
# ---------------------------------------------------------------------------------------------
def _when(at: pendulum.DateTime, zone: Any = None) -> str:
    moment = at.in_timezone(zone) if zone is not None else at
    name = moment.format("zz")
    if not name or name[0] in "+-":
        name = "UTC" + moment.format("Z") if moment.utcoffset() else "UTC"
    return f"{moment.format('YYYY-MM-DD HH:mm')} {name}"


def _show(value: Any) -> list[str]:
    """A policy value as lines of text."""
    if value is None:
        return ["unknown (not in the library's sources)"]
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(value, qr.Window):
        return [f"{_when(value.opens)} to {_when(value.closes)} (closed from then on)"]
    if isinstance(value, pendulum.DateTime):
        return [_when(value)]
    if isinstance(value, LowVolumeThreshold):
        parts = [
            f"allowed charges > ${value.allowed_charges:,}",
            f"Part B patients > {value.patients}",
        ]
        if value.covered_services is not None:
            parts.append(f"covered professional services > {value.covered_services}")
        return ["; ".join(parts) + " (exceeding)"]
    if isinstance(value, FrozenMap):
        return [f"{_word(key)}: {_show(item)[0]}" for key, item in value.items()]
    if isinstance(value, frozenset | set):
        words = sorted(_word(item) for item in value)
        return [", ".join(words) if words else "none"]
    if isinstance(value, tuple | list):
        return [", ".join(_word(item) for item in value) or "none"]
    return [_word(value)]


def _word(value: Any) -> str:
    if isinstance(value, qr.Program | qr.OrgType | qr.ApmModel | qr.SizeBand | qr.Role):
        return str(value.value)
    if hasattr(value, "value") and hasattr(type(value), "__members__"):  # other enums
        return str(value.value)
    return str(value)


def _cited(policy: PolicyYear, path: str) -> dict[str, Any]:
    value = policy.value_at(path)
    entry: dict[str, Any] = {
        "value": to_dict(value),
        "citation": to_dict(policy.cite(path)),
    }
    erratum = policy.errata.get(path)
    if erratum is not None:
        entry["erratum"] = to_dict(erratum)
    return entry


def _table(rows: Sequence[tuple[str, Sequence[str]]], indent: int = 2) -> Iterator[str]:
    """Label / value rows, the values aligned and wrapped at :data:`WIDTH`."""
    width = max((len(label) for label, _ in rows), default=0) + 2
    room = max(WIDTH - indent - width, 30)
    for label, lines in rows:
        first = True
        for line in lines:
            for piece in textwrap.wrap(line, room, break_on_hyphens=False) or [""]:
                head = label if first else ""
                yield " " * indent + head.ljust(width) + piece
                first = False


# ---------------------------------------------------------------------------------------------
# years
# ---------------------------------------------------------------------------------------------
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


def _years_arguments(parser: argparse.ArgumentParser) -> None:
    _json_argument(parser)
    _year_argument(parser)
    parser.add_argument(
        "--cite", action="store_true", help="show where each value is written"
    )


@command("years", help="every known year's policy table", arguments=_years_arguments)
def years(args: argparse.Namespace) -> int:
    """``qpp-rules years [--json] [--year Y] [--cite]``: each year's windows, size rules, who
    may register for what, carry-over, SSP ACO automatic registration, the opt-in switch,
    the election window and the low-volume threshold; with citations in ``--json``."""
    _warn_plugins()
    policies = _policies(args.year)
    if args.json:
        _emit_json({"years": [_year_json(policy) for policy in policies]})
        return 0
    for index, policy in enumerate(policies):
        if index:
            print()
        print(f"{policy.label}: {policy.title}")
        rows: list[tuple[str, Sequence[str]]] = []
        for path, label in YEAR_ROWS:
            value = policy.value_at(path)
            shown = _show(value)
            if path.endswith("_min_clinicians"):
                shown = [f"{value} or more clinicians"]
            rows.append((label, shown))
            if args.cite:
                rows.append(("", [f"[{policy.cite(path)}]"]))
        for amendment in policy.amendments:
            rows.append(
                (
                    f"amendment {amendment.id}",
                    [f"announced {amendment.announced.format('YYYY-MM-DD')}: {amendment.summary}"],
                )
            )
        for line in _table(rows):
            print(line)
    return 0


def _year_json(policy: PolicyYear) -> dict[str, Any]:
    return {
        "year": policy.year,
        "label": policy.label,
        "title": policy.title,
        "values": {path: _cited(policy, path) for path, _ in YEAR_ROWS},
        "amendments": [to_dict(amendment) for amendment in policy.amendments],
    }


# ---------------------------------------------------------------------------------------------
# calendar
# ---------------------------------------------------------------------------------------------
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


def _calendar_arguments(parser: argparse.ArgumentParser) -> None:
    _json_argument(parser)
    _year_argument(parser)
    parser.add_argument(
        "--tz",
        metavar="ZONE",
        help="show times in this IANA zone too (e.g. Europe/London); default the local zone",
    )


@command(
    "calendar",
    help="every window of every year, in ET and in your zone",
    arguments=_calendar_arguments,
)
def calendar(args: argparse.Namespace) -> int:
    """``qpp-rules calendar [--json] [--tz ZONE] [--year Y]``: every window of every year,
    in US Eastern time and in the local zone (or ``--tz``)."""
    zone = _zone(args.tz)
    _warn_plugins()
    policies = _policies(args.year)
    entries = [entry for policy in policies for entry in _dated(policy)]
    if args.json:
        _emit_json(
            {
                "zone": zone.name,
                "entries": [_calendar_json(policies, entry, zone) for entry in entries],
            }
        )
        return 0
    header = ("year", "what", "", "US Eastern (ET)", zone.name)
    lines: list[tuple[str, ...]] = []
    for entry in entries:
        what = CALENDAR_LABELS.get(entry.path, entry.path)
        lines.append((entry.label, what, "opens", _when(entry.opens), _when(entry.opens, zone)))
        if entry.closes is not None:
            lines.append(("", "", "closes", _when(entry.closes), _when(entry.closes, zone)))
    widths = [max(len(row[column]) for row in [header, *lines]) for column in range(5)]
    for row in [header, *lines]:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    print()
    print("A window is open from the instant it opens up to, not including, the instant it "
          "closes.")
    return 0


def _calendar_json(policies: list[PolicyYear], entry: _Dated, zone: Any) -> dict[str, Any]:
    policy = next(policy for policy in policies if policy.year == entry.year)
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


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
