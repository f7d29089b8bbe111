"""The command line ``qpp-rules`` (also ``python -m qpp_rules``).

Every command is one function registered in :data:`COMMANDS` by the :func:`command`
decorator, with a second function that adds its arguments; adding a command is writing those
two functions. Every command prints a readable table on a terminal and JSON with ``--json``.

Exit codes: 0 done; 2 bad input or usage (an unknown year, a bad file, a wrong option);
1 an internal error; 3 from ``check-eligibility`` when a record of the payload disagrees with
the library's rules. Errors are one line on standard error, ``qpp-rules: error: ...``, never a
traceback (``--debug`` shows it). A TIN never appears unmasked in what a command prints.

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
import os
import re
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

import attrs
import pendulum
from pendulum.tz.local_timezone import get_local_timezone

import qpp_rules as qr

if TYPE_CHECKING:  # the domains load when a command runs, keeping start-up fast
    from qpp_rules.analysis import (
        Evaluation,
        Population,
    )
    from qpp_rules.election import (
        EligibilityRecord,
        LowVolumeFacts,
        OptInStatus,
    )
    from qpp_rules.registration import Organization
from qpp_rules.decisions import Decision, Reason
from qpp_rules.errors import InvalidInput, QppRulesError, mask
from qpp_rules.policy import FrozenMap, LowVolumeThreshold, PolicyYear
from qpp_rules.policy.years import BUILTIN_FILES

__all__ = [
    "COMMANDS",
    "EXIT_DISAGREES",
    "Command",
    "build_parser",
    "command",
    "main",
    "newest_builtin_year",
]

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
        epilog="Exit codes: 0 done, 2 bad input or usage, 1 internal error, "
        "3 a record that disagrees with the rules (check-eligibility).",
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
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit code.

    >>> argv = ["explain", "--kind", "Practice", "--clinicians", "10", "--year", "2019"]
    >>> main(argv)  # doctest: +ELLIPSIS
    (no name) (no identifier, size 2-24), Practice, 10 clinicians, under PY2019
    <BLANKLINE>
    CMS Web Interface: may not register
        [REG-ELIG-1] ...
    0
    >>> main(["no-such-command"])  # a usage error: one line on standard error, exit code 2
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as error:
        return _fail(str(error), 2)
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    try:
        return COMMANDS[args.command].run(args)
    except _UsageError as error:  # a command's own check of its arguments
        return _fail(f"{error} (see '{PROG} {args.command} --help')", 2)
    except QppRulesError as error:
        return _fail(_scrub(str(error)), 2)
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


_TIN_LIKE = re.compile(r"(?<![0-9])[0-9]{2}-?[0-9]{7}(?![0-9])")


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
    from qpp_rules.serialization import to_dict
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
    from qpp_rules.serialization import to_dict
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
    from qpp_rules.serialization import to_dict
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


# ---------------------------------------------------------------------------------------------
# Shared by the commands that read files
# ---------------------------------------------------------------------------------------------
EXIT_DISAGREES = 3
"""The exit code of ``check-eligibility`` when some record disagrees with the rules."""

PROGRESS_ROWS = 50_000
"""Populations of more rows than this show a progress indicator (on a terminal only)."""

PROGRESS_BYTES = 4_000_000
"""Population files of more bytes than this show a reading indicator (on a terminal only)."""

FIRST_ROWS = 10
"""How many organizations ``evaluate`` shows in its table by default."""

_BUILTIN_YEAR = re.compile(r"(\d{4})")


def newest_builtin_year() -> int:
    """The newest performance year the library ships (the default of ``explain``).

    >>> newest_builtin_year()
    2021
    """
    years = [int(found.group(1)) for name in BUILTIN_FILES if (found := _BUILTIN_YEAR.search(name))]
    return max(years)


def _one_year_argument(parser: argparse.ArgumentParser, default: int | None, what: str) -> None:
    shown = "the newest built-in year" if default is None else str(default)
    parser.add_argument(
        "--year", type=int, default=default, metavar="Y",
        help=f"the performance year {what} (default {shown})",
    )


def _policy(year: int | None, as_of: pendulum.DateTime | None = None) -> PolicyYear:
    return qr.policy_for(newest_builtin_year() if year is None else year, as_of=as_of)


def _source_name(file: str) -> str:
    return "stdin" if file == "-" else Path(file).name


def _read_text(file: str) -> str:
    """The text of ``file`` (``-``: standard input); a one-line InvalidInput otherwise."""
    name = _source_name(file)
    try:
        if file == "-":
            return sys.stdin.read()
        return Path(file).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(name, "not UTF-8 text") from None
    except OSError as error:
        raise InvalidInput(name, error.strerror or type(error).__name__) from None


def _read_json(file: str) -> Any:
    text = _read_text(file)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(_source_name(file), f"not valid JSON: {error}") from None


def _write_output(text: str, path: str | None) -> None:
    if path is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InvalidInput("--output", f"{path}: {reason}") from None


def _wrapped(text: str, indent: int, hanging: int = 4) -> Iterator[str]:
    """``text`` wrapped at :data:`WIDTH`, continuation lines indented further."""
    yield from textwrap.wrap(
        text, WIDTH, initial_indent=" " * indent, subsequent_indent=" " * (indent + hanging),
        break_on_hyphens=False, break_long_words=False,
    ) or [""]


def _reason_lines(reasons: Iterable[Reason], indent: int = 4) -> Iterator[str]:
    for why in reasons:
        yield from _wrapped(_scrub(str(why)), indent)


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Iterator[str]:
    """Rows of cells in aligned columns under ``header``; the last column wraps at
    :data:`WIDTH`."""
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    start = sum(widths[:-1]) + 2 * (len(widths) - 1)
    room = max(WIDTH - start, 20)
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False)]
        pieces = textwrap.wrap(row[-1], room, break_on_hyphens=False) or [""]
        yield "  ".join([*cells, pieces[0]]).rstrip()
        for piece in pieces[1:]:
            yield " " * start + piece


def _yes_no(value: bool | None) -> str:
    return "not stated" if value is None else ("yes" if value else "no")


# ---------------------------------------------------------------------------------------------
# A progress indicator on standard error (a terminal only, never with --json)
# ---------------------------------------------------------------------------------------------
class _Progress:
    """A one-line progress bar on standard error, redrawn in place; silent when disabled.
    It redraws only when the shown percentage or the note changes (no clock is read)."""

    WIDTH = 30

    def __init__(self, label: str, total: int, *, enabled: bool) -> None:
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
        self.done = 0
        self._shown: tuple[int, str] | None = None
        self._length = 0
        self._stage = 0

    def update(self, done: int, note: str = "") -> None:
        self.done = min(max(done, 0), self.total)
        if not self.enabled:
            return
        percent = self.done * 100 // self.total
        if (percent, note) == self._shown:
            return
        self._shown = (percent, note)
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"{PROG}: {self.label} [{bar}] {percent:3d}% {note}".rstrip()
        padding = " " * max(self._length - len(line), 0)
        self._length = len(line)
        sys.stderr.write("\r" + line + padding)
        sys.stderr.flush()

    def stage(self, note: str) -> None:
        """Start the next stage, named ``note`` (the stages before it are done)."""
        self.update(self._stage, f"({self._stage + 1}/{self.total}) {note}")
        self._stage += 1

    def close(self) -> None:
        if self.enabled and self._length:
            sys.stderr.write("\r" + " " * self._length + "\r")
            sys.stderr.flush()
            self._length = 0


def _stderr_is_terminal() -> bool:
    isatty = getattr(sys.stderr, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (OSError, ValueError):  # a closed or odd stream
        return False


def _terminal_progress(machine_output: bool) -> bool:
    """Whether to show progress: standard error is a terminal and the output is not JSON."""
    return not machine_output and _stderr_is_terminal()


class _CountingLines:
    """A text file's lines, reporting the characters read so far to a progress bar."""

    def __init__(self, handle: IO[str], progress: _Progress) -> None:
        self.handle = handle
        self.progress = progress
        self.read = 0
        self.lines = 0

    def __iter__(self) -> _CountingLines:
        return self

    def __next__(self) -> str:
        line = next(self.handle)
        self.read += len(line)
        self.lines += 1
        if self.lines % 20_000 == 0:
            self.progress.update(self.read)
        return line


def _read_population(file: str | None, *, progress: bool) -> tuple[Population, str]:
    """The population in the CSV ``file`` (``-``: standard input; None: the bundled example)
    and the words that name it."""
    from qpp_rules.analysis import example_population
    if file is None:
        return example_population(), "the bundled example population"
    name = _source_name(file)
    if file.lower().endswith(".parquet"):
        from qpp_rules.analysis import Population
        return Population.from_parquet(file), name
    try:
        if file == "-":
            return _read_csv(sys.stdin, name, None, progress=progress), "standard input"
        with open(file, encoding="utf-8", newline="") as handle:
            size = os.fstat(handle.fileno()).st_size
            return _read_csv(handle, name, size, progress=progress), name
    except UnicodeDecodeError:
        raise InvalidInput(name, "not UTF-8 text") from None
    except OSError as error:
        raise InvalidInput(name, error.strerror or type(error).__name__) from None


def _read_csv(handle: IO[str], name: str, size: int | None, *, progress: bool) -> Population:
    from qpp_rules.analysis import Population
    bar = _Progress(
        f"reading {name}", size or 1, enabled=progress and (size or 0) > PROGRESS_BYTES
    )
    try:
        lines: Iterable[str] = _CountingLines(handle, bar) if bar.enabled else handle
        return Population.read_csv(lines, name)
    finally:
        bar.close()


def _stages(label: str, population: Population, stages: int, *, progress: bool) -> _Progress:
    """The progress bar of a command's stages over ``population``: shown on a terminal for
    more than :data:`PROGRESS_ROWS` organizations."""
    return _Progress(label, stages, enabled=progress and len(population) > PROGRESS_ROWS)


def _evaluate(population: Population, policies: Sequence[PolicyYear],
              bar: _Progress) -> list[Evaluation]:
    """``analysis.evaluate`` of ``population`` under each policy, one stage of ``bar`` each."""
    from qpp_rules.analysis import evaluate
    results = []
    for policy in policies:
        bar.stage(f"deciding under {policy.label}")
        results.append(evaluate(population, policy))
    return results


# ---------------------------------------------------------------------------------------------
# explain
# ---------------------------------------------------------------------------------------------
_ORG_FLAGS = (
    "kind", "clinicians", "size", "name", "ssp_aco_participant", "apm_model",
    "split_tin_mips_clinicians", "submitted_wi_prior_year",
)
_LOW_VOLUME_FLAGS = ("allowed_charges", "patients", "covered_services")


def _choice(enum: Any, what: str, aliases: dict[str, Any] | None = None) -> Callable[[str], Any]:
    """An argparse type reading an enum member as every population reader does
    (``qpp_rules.analysis.columns``)."""
    from qpp_rules.analysis.columns import argument_type, choice
    return argument_type(choice(enum, what, aliases), what)


def _apm_model(text: str) -> Any:
    from qpp_rules.analysis.columns import argument_type, parse_apm_model
    return argument_type(parse_apm_model, "an APM model")(text)


def _dollars(text: str) -> Decimal:
    from qpp_rules.analysis.columns import argument_type, parse_dollars
    amount: Decimal = argument_type(parse_dollars, "an amount of dollars, e.g. 90300")(text)
    return amount


def _instant(text: str | None) -> pendulum.DateTime | None:
    """``--as-of``: an ISO 8601 instant with its UTC offset (NaiveDateTime without one)."""
    from qpp_rules.serialization import from_dict
    if text is None:
        return None
    try:
        moment: pendulum.DateTime = from_dict(text, pendulum.DateTime)
    except InvalidInput as error:
        raise type(error)("--as-of", error.message) from None
    return moment


def _explain_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", nargs="?", metavar="FILE",
        help="a JSON file holding one Organization as the serializer writes it ('-': stdin); "
        "or describe the organization with --kind and --clinicians",
    )
    _one_year_argument(parser, None, "to decide under")
    parser.add_argument(
        "--as-of", metavar="INSTANT",
        help="the policy as it stood at this instant (ISO 8601 with a UTC offset, e.g. "
        "2020-03-01T00:00:00-05:00); default every known amendment",
    )
    _json_argument(parser)
    org = parser.add_argument_group("the organization, instead of FILE")
    org.add_argument("--kind", type=_choice(qr.OrgType, "an organization type"),
                     help="Practice, Virtual Group, APM Entity or Registry")
    org.add_argument("--clinicians", type=int, metavar="N", help="how many clinicians")
    org.add_argument("--size", type=_choice(qr.SizeBand, "a size band"), metavar="BAND",
                     help="the size band (2-24, 25-99, 100 or more) where the count is unknown")
    org.add_argument("--name", help="the organization's name")
    org.add_argument("--ssp-aco-participant", action="store_true",
                     help="a Practice that is a Shared Savings Program ACO participant TIN")
    org.add_argument("--apm-model", type=_apm_model,
                     metavar="MODEL",
                     help="an APM Entity's model (or a split-TIN Practice's): "
                     + ", ".join(repr(model.value) for model in qr.ApmModel)
                     + " (or ssp, ngaco, cpc+)")
    org.add_argument("--split-tin-mips-clinicians", type=int, metavar="N",
                     help="a split TIN's MIPS eligible clinicians outside the APM")
    org.add_argument("--submitted-wi-prior-year", action="store_true",
                     help="it submitted quality data through the CMS Web Interface last year")
    low = parser.add_argument_group(
        "low-volume facts (optional, with FILE or the flags above): the opt-in status"
    )
    low.add_argument("--allowed-charges", type=_dollars, metavar="DOLLARS",
                     help="allowed charges for covered professional services, e.g. 90300")
    low.add_argument("--patients", type=int, metavar="N", help="Medicare Part B patients")
    low.add_argument("--covered-services", type=int, metavar="N",
                     help="covered professional services (not in PY2018's threshold)")


def _given(args: argparse.Namespace, names: Sequence[str]) -> list[str]:
    return [name for name in names if getattr(args, name) not in (None, False)]


def _flag_name(name: str) -> str:
    return "--" + name.replace("_", "-")


def _organization(args: argparse.Namespace) -> Organization:
    from qpp_rules.registration import Organization
    from qpp_rules.serialization import from_json
    flags = _given(args, _ORG_FLAGS)
    if args.file is not None:
        if flags:
            raise _UsageError(
                f"give FILE or the organization flags, not both (got FILE and "
                f"{_flag_name(flags[0])})"
            )
        return from_json(_read_text(args.file), Organization)
    if args.kind is None:
        raise _UsageError("give FILE (a JSON Organization) or --kind with --clinicians")
    if args.clinicians is None and args.size is None:
        raise _UsageError("--kind needs --clinicians N (or --size BAND)")
    size = args.size
    if args.clinicians is not None:
        counted = qr.SizeBand.from_clinicians(args.clinicians)
        if size is not None and size is not counted:
            raise InvalidInput(
                "--size", f"{args.clinicians} clinicians are in the band {counted.value}, "
                f"not {size.value}",
            )
        size = counted
    return Organization(
        kind=args.kind,
        size=size,
        name=args.name or "",
        apm_model=args.apm_model,
        ssp_aco_participant=args.ssp_aco_participant,
        split_tin_mips_clinicians=args.split_tin_mips_clinicians,
        submitted_web_interface_prior_year=args.submitted_wi_prior_year,
        clinicians=args.clinicians,
    )


def _low_volume(args: argparse.Namespace) -> LowVolumeFacts | None:
    from qpp_rules.election import LowVolumeFacts
    given = _given(args, _LOW_VOLUME_FLAGS)
    if not given:
        return None
    missing = [name for name in ("allowed_charges", "patients") if name not in given]
    if missing:
        raise _UsageError(
            f"the low-volume facts need {_flag_name(missing[0])} too "
            "(--allowed-charges and --patients, and --covered-services from PY2019)"
        )
    return LowVolumeFacts(args.allowed_charges, args.patients, args.covered_services)


def _automatic_reasons(
    org: Organization, held: frozenset[qr.Program], policy: PolicyYear
) -> tuple[Reason, ...]:
    """Why ``org`` holds (or holds nothing) without registering: the reasons of its options
    that make a program automatic; where nothing is held, the year's carry-over rules."""
    from qpp_rules.registration import options
    if held:
        found = options(org, policy)
        return tuple(
            why for program in qr.Program if program in held
            for why in found[program].reasons if why.rule_id in ("REG-AUTO-1", "REG-ELIG-4")
        )
    table = policy.registration
    carry = _show(table.web_interface_carry_over)[0]
    ssp = _show(table.ssp_aco_automatic)[0]
    return (
        Reason(
            "REG-AUTO-1",
            f"In PY{policy.year} the CMS Web Interface carries over to these types that "
            f"submitted quality data through it in {policy.year - 1} and may hold it: {carry}.",
            str(policy.cite("registration.web_interface_carry_over")),
        ),
        Reason(
            "REG-AUTO-2",
            "The CAHPS for MIPS Survey never carries over: it is registered for every year.",
            str(policy.cite("registration.web_interface_carry_over")),
        ),
        Reason(
            "REG-ELIG-4",
            f"In PY{policy.year} Shared Savings Program ACOs are registered automatically "
            f"for: {ssp}.",
            str(policy.cite("registration.ssp_aco_automatic")),
        ),
    )


def _masked_organization(org: Organization) -> dict[str, Any]:
    from qpp_rules.serialization import to_dict
    data: dict[str, Any] = to_dict(org)
    if org.tin is not None:
        data["tin"] = org.tin.masked
    return data


def _decision_json(decision: Decision) -> dict[str, Any]:
    from qpp_rules.serialization import to_dict
    data: dict[str, Any] = to_dict(decision)
    for why in data["reasons"]:
        why["message"] = _scrub(why["message"])
    return data


@command(
    "explain",
    help="every decision for one organization, with reasons and citations",
    arguments=_explain_arguments,
)
def explain(args: argparse.Namespace) -> int:
    """``qpp-rules explain FILE [--year Y] [--json]`` (or the organization as flags): may it
    register for the CMS Web Interface and for the CAHPS for MIPS Survey, what it holds
    without registering, and, given low-volume facts, its opt-in status; every answer with
    its reasons (rule ID, sentence, citation).

    >>> main(["explain", "--kind", "Practice", "--clinicians", "30", "--year", "2019"])
    ... # doctest: +ELLIPSIS
    (no name) (no identifier, size 25-99), Practice, 30 clinicians, under PY2019
    <BLANKLINE>
    CMS Web Interface: may register
        [REG-ELIG-3] In PY2019 practices (groups) and virtual groups may register for ...
    0
    """
    from qpp_rules.election import explain_opt_in, opt_in_status
    from qpp_rules.registration import automatic_registrations, options
    from qpp_rules.serialization import to_dict
    _warn_plugins()
    org = _organization(args)
    facts = _low_volume(args)
    policy = _policy(args.year, _instant(args.as_of))
    found = options(org, policy)
    held = automatic_registrations(org, policy)
    automatic = _automatic_reasons(org, held, policy)
    opt_in: tuple[OptInStatus, Decision] | None = None
    if facts is not None:
        opt_in = (opt_in_status(facts, policy), explain_opt_in(facts, policy))
    if args.json:
        _emit_json({
            "year": policy.year,
            "policy": policy.label,
            "organization": _masked_organization(org),
            "options": {
                "web_interface": _decision_json(found.web_interface),
                "cahps": _decision_json(found.cahps),
            },
            "automatic_registrations": {
                "programs": [program.value for program in qr.Program if program in held],
                "reasons": [to_dict(why) for why in automatic],
            },
            "opt_in": None if opt_in is None or facts is None else {
                "facts": to_dict(facts),
                "status": opt_in[0].value,
                "decision": _decision_json(opt_in[1]),
            },
        })
        return 0
    counted = f", {org.clinicians} clinicians" if org.clinicians is not None else ""
    print(_scrub(f"{org.describe()}, {org.kind.value}{counted}, under {policy.label}"))
    for program in qr.Program:
        decision = found[program]
        print()
        verdict = "may register" if decision.allowed else "may not register"
        if program in held:
            verdict = "held automatically"
        print(f"{program.value}: {verdict}")
        for line in _reason_lines(decision.reasons):
            print(line)
    print()
    names = ", ".join(program.value for program in qr.Program if program in held)
    print(f"Held without registering: {names or 'nothing'}")
    for line in _reason_lines(automatic):
        print(line)
    if opt_in is not None and facts is not None:
        print()
        print(f"MIPS opt-in ({_facts_text(facts)}): {opt_in[0].value}")
        for line in _reason_lines(opt_in[1].reasons):
            print(line)
    return 0


def _facts_text(facts: LowVolumeFacts) -> str:
    parts = [f"allowed charges ${facts.allowed_charges:,}", f"{facts.patients} Part B patients"]
    if facts.covered_services is not None:
        parts.append(f"{facts.covered_services} covered services")
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# evaluate
# ---------------------------------------------------------------------------------------------
def _population_argument(parser: argparse.ArgumentParser) -> None:
    from qpp_rules.analysis import COLUMNS
    parser.add_argument(
        "file", nargs="?", metavar="FILE",
        help="a population CSV with a header of the columns "
        f"{', '.join(COLUMNS)} ('-': stdin); default the bundled example population",
    )


def _evaluate_arguments(parser: argparse.ArgumentParser) -> None:
    _population_argument(parser)
    _one_year_argument(parser, None, "to decide under")
    parser.add_argument(
        "--format", choices=("table", "csv", "json"), default=None,
        help="table (default): counts per question and answer and the first rows; csv, json: "
        "the whole table",
    )
    parser.add_argument("--json", action="store_true", help="the same as --format json")
    parser.add_argument("--output", metavar="PATH",
                        help="write the csv or json table to PATH instead of standard output")
    parser.add_argument("--rows", type=int, default=FIRST_ROWS, metavar="N",
                        help=f"how many organizations the table shows (default {FIRST_ROWS})")


def _format(args: argparse.Namespace) -> str:
    if args.json and args.format not in (None, "json"):
        raise _UsageError(f"--json and --format {args.format} disagree")
    chosen: str = "json" if args.json else (args.format or "table")
    if args.output is not None and chosen == "table":
        raise _UsageError("--output writes the whole table: add --format csv or --format json")
    if args.rows < 0:
        raise _UsageError(f"--rows must be 0 or more; got {args.rows}")
    return chosen


@command(
    "evaluate",
    help="a population through one year: counts per question and answer, or the whole table",
    arguments=_evaluate_arguments,
)
def evaluate_command(args: argparse.Namespace) -> int:
    """``qpp-rules evaluate [FILE] [--year Y] [--format table|csv|json] [--output PATH]``:
    every organization of a population CSV (default the bundled example) through
    ``qpp_rules.analysis.evaluate``.

    >>> main(["evaluate", "--year", "2019", "--rows", "0"])  # doctest: +ELLIPSIS
    PY2019: 4000 organizations (the bundled example population)
    ...
    0
    """
    _warn_plugins()
    chosen = _format(args)
    policy = _policy(args.year)
    progress = _terminal_progress(chosen == "json")
    population, source = _read_population(args.file, progress=progress)
    bar = _stages(f"evaluate {_scrub(source)}", population, 2, progress=progress)
    try:
        (table,) = _evaluate(population, [policy], bar)
        bar.stage(f"writing {chosen}" if chosen != "table" else "counting")
        if chosen == "csv":
            text = table.to_csv()
        elif chosen == "json":
            text = table.to_json()
        else:
            counts = _count_rows(table)
    finally:
        bar.close()
    if chosen != "table":
        _write_output(text, args.output)
        return 0
    print(f"{policy.label}: {len(table)} organizations ({_scrub(source)})")
    print()
    for line in _grid(("question", "answer", "organizations", "share", "rules"), counts):
        print(line)
    shown = min(args.rows, len(table))
    if shown:
        print()
        print(f"The first {shown} of {len(table)} organizations (the whole table: "
              "--format csv or --format json):")
        names = ("org_id", *table.questions)
        rows = [
            tuple(_scrub(str(value)) for value in values)
            for values in zip(*(table.column(name)[:shown] for name in names), strict=True)
        ]
        for line in _grid(names, rows):
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


# ---------------------------------------------------------------------------------------------
# diff
# ---------------------------------------------------------------------------------------------
def _reform_change(text: str) -> tuple[str, Any]:
    """``PATH=VALUE``: the value read as JSON where it is JSON, else as text."""
    path, equals, raw = text.partition("=")
    path = path.strip()
    if not equals or not path:
        raise InvalidInput("--reform", f"PATH=VALUE, e.g. registration.web_interface_min_"
                           f"clinicians=15; got {text[:60]!r}")
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return path, value


def _diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="before", type=int, required=True, metavar="Y",
                        help="the performance year before")
    parser.add_argument("--to", dest="after", type=int, required=True, metavar="Y",
                        help="the performance year after")
    _population_argument(parser)
    _json_argument(parser)
    parser.add_argument(
        "--reform", action="append", type=_reform_change, default=[], metavar="PATH=VALUE",
        help="change a value of the --to year (repeat for several), e.g. "
        "registration.web_interface_min_clinicians=15; VALUE is read as JSON where it is "
        "JSON, else as text",
    )


def _reformed(year: int, changes: Sequence[tuple[str, Any]]) -> PolicyYear:
    policy = _policy(year)
    if not changes:
        return policy
    table: dict[str, Any] = {}
    for path, value in changes:
        if path in table:
            raise InvalidInput("--reform", f"{path} is changed twice")
        table[path] = value
    return qr.reform(policy, table, label=f"{policy.label} + reform")


@command(
    "diff",
    help="how a population's answers change from one year (or reform) to another",
    arguments=_diff_arguments,
)
def diff(args: argparse.Namespace) -> int:
    """``qpp-rules diff --from Y --to Y [FILE] [--json] [--reform PATH=VALUE ...]``: per
    question, how many organizations change answer, in which direction and because of which
    rules (``qpp_rules.analysis.compare``; default the bundled example population).

    >>> main(["diff", "--from", "2019", "--to", "2019"])  # doctest: +ELLIPSIS
    PY2019 -> PY2019: 4000 organizations (the bundled example population)
    ...
    0
    """
    from qpp_rules.analysis import Comparison
    _warn_plugins()
    before = _policy(args.before)
    after = _reformed(args.after, args.reform)
    progress = _terminal_progress(args.json)
    population, source = _read_population(args.file, progress=progress)
    bar = _stages(f"diff {_scrub(source)}", population, 3, progress=progress)
    try:
        first, second = _evaluate(population, [before, after], bar)
        bar.stage("comparing")
        comparison = Comparison(first, second)
        summary = comparison.summary()
    finally:
        bar.close()
    if args.json:
        print(comparison.to_json())
        return 0
    print(f"{summary['from']} -> {summary['to']}: {summary['organizations']} organizations "
          f"({_scrub(source)})")
    for path, value in args.reform:
        print(f"  reform: {path} = {json.dumps(value, ensure_ascii=False)}")
    print()
    rows: list[tuple[str, ...]] = []
    notes: dict[int, str] = {}
    for question, entry in summary["questions"].items():
        directions = list(entry["directions"].items()) or [("", 0)]
        for index, (direction, count) in enumerate(directions):
            rows.append((
                question if index == 0 else "",
                str(entry["changed"]) if index == 0 else "",
                direction or "no change",
                str(count) if direction else "",
            ))
        if entry["rules"]:
            notes[len(rows) - 1] = (
                "decided before by " + ", ".join(
                    f"{rule} ({count})" for rule, count in entry["rules_before"].items()
                ) + "; now by " + ", ".join(
                    f"{rule} ({count})" for rule, count in entry["rules"].items()
                )
            )
    lines = list(_grid(("question", "changed", "direction", "organizations"), rows))
    print(lines[0])
    for index, line in enumerate(lines[1:]):
        print(line)
        if index in notes:
            for wrapped in _wrapped(notes[index], 2):
                print(wrapped)
    print()
    print("A rule counts once per organization whose old (before) or new (now) answer it "
          "decides.")
    return 0


# ---------------------------------------------------------------------------------------------
# check-eligibility
# ---------------------------------------------------------------------------------------------
def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE",
        help="a QPP Eligibility API v6 NPI response (JSON; '-': stdin)",
    )
    _one_year_argument(parser, 2019, "the payload is about")
    _json_argument(parser)
    parser.epilog = (
        "Exit codes: 0 every record agrees with the rules (or states nothing to compare); "
        f"{EXIT_DISAGREES} some record disagrees; 2 bad input, or the API's error envelope "
        "(its type and message on one line); 1 internal error."
    )


def _agrees(record: EligibilityRecord, status: OptInStatus) -> bool | None:
    from qpp_rules.election import OptInStatus
    if record.payload_opt_in_eligible is None:
        return None
    return record.payload_opt_in_eligible is (status is OptInStatus.OPT_IN_ELIGIBLE)


def _elements(names: Iterable[str]) -> str:
    from qpp_rules.election.model import ELEMENTS, element_label

    chosen = set(names)
    return ", ".join(element_label(name) for name in ELEMENTS if name in chosen) or "none"


def _record_json(record: EligibilityRecord, status: OptInStatus,
                 decision: Decision) -> dict[str, Any]:
    return {
        "organization_name": _scrub(record.organization_name or ""),
        "tin": str(record.tin),
        "scenario": record.scenario,
        "payload_opt_in_eligible": record.payload_opt_in_eligible,
        "status": status.value,
        "agrees": _agrees(record, status),
        "reasons": _decision_json(decision)["reasons"],
        "reason_codes": list(record.reason_codes),
        "fell_below": sorted(record.fell_below),
        "election": record.election.value if record.election is not None else None,
        "is_opted_in": record.is_opted_in,
        "decision_date": (
            record.decision_date.isoformat() if record.decision_date is not None else None
        ),
        "small_group_practitioner": record.small_group_practitioner,
        "rural_clinician": record.rural_clinician,
        "is_eligible": dict(record.is_eligible),
        "low_volume_services": record.low_volume_services,
    }


@command(
    "check-eligibility",
    help="read a QPP Eligibility API v6 payload and check it against the rules",
    arguments=_check_arguments,
)
def check_eligibility(args: argparse.Namespace) -> int:
    """``qpp-rules check-eligibility FILE [--year 2019] [--json]``: for each organization and
    scenario of the payload, what it says (opt-in eligible, election, dates, flags) and
    whether the library's opt-in status on the facts read agrees (ELE-ELIG-1). Exit 0 when
    every record agrees, 3 when some record disagrees, 2 for the API's error envelope.
    """
    from qpp_rules.election import explain_opt_in, opt_in_status, read_eligibility_payload
    _warn_plugins()
    policy = _policy(args.year)
    records = read_eligibility_payload(_read_json(args.file), year=policy.year)
    answers = [(opt_in_status(r.facts, policy), explain_opt_in(r.facts, policy)) for r in records]
    verdicts = [_agrees(record, status) for record, (status, _) in zip(records, answers,
                                                                       strict=True)]
    tally = Counter("not stated" if v is None else ("agree" if v else "disagree")
                    for v in verdicts)
    code = EXIT_DISAGREES if tally["disagree"] else 0
    if args.json:
        _emit_json({
            "year": policy.year,
            "policy": policy.label,
            "npi": records[0].npi.value if records else None,
            "records": [_record_json(record, status, decision)
                        for record, (status, decision) in zip(records, answers, strict=True)],
            "agree": tally["agree"],
            "disagree": tally["disagree"],
            "not_stated": tally["not stated"],
        })
        return code
    npi = f"NPI {records[0].npi.value}" if records else "no records"
    print(f"QPP Eligibility API payload ({npi}) read under {policy.label}")
    for record, (status, decision), verdict in zip(records, answers, verdicts, strict=True):
        print()
        name = _scrub(record.organization_name or "(no name)")
        print(f"{name}, TIN {record.tin}: {record.scenario} scenario")
        said = "no claim to compare" if verdict is None else ("agrees" if verdict else
                                                             "DISAGREES")
        codes = ", ".join(code or "(empty)" for code in record.reason_codes) or "none"
        election = record.election.value if record.election is not None else "none"
        if record.decision_date is not None:
            election += f", decided {_when(record.decision_date)}"
        rows: list[tuple[str, Sequence[str]]] = [
            ("payload: opt-in eligible", [_yes_no(record.payload_opt_in_eligible)]),
            ("our rules", [f"{status.value} ({said})"]),
            ("fell below", [f"{_elements(record.fell_below)} (reason codes: {codes})"]),
            ("election", [election]),
            ("small group practitioner", [_yes_no(record.small_group_practitioner)]),
            ("rural clinician", [_yes_no(record.rural_clinician)]),
            ("eligible", [", ".join(f"{key} {_yes_no(v) if isinstance(v, bool) else v}"
                                    for key, v in record.is_eligible.items()) or "not stated"]),
        ]
        if record.low_volume_services is not None:
            rows.append(("low-volume claim lines",
                         [f"{record.low_volume_services} (a count of claim lines, not used)"]))
        for line in _table(rows):
            print(line)
        for line in _reason_lines(decision.reasons):
            print(line)
    print()
    print(f"{len(records)} records: {tally['agree']} agree, {tally['disagree']} disagree, "
          f"{tally['not stated']} state no opt-in eligibility to compare.")
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
