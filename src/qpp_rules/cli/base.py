"""What every command shares: the command table, the usage error, TIN scrubbing, the year
arguments and the policy a command decides under.

>>> scrub("org 000765630 failed")
'org *****5630 failed'
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable, Sequence

import attrs
import pendulum

import qpp_rules as qr
from qpp_rules.errors import InvalidInput, mask_tins
from qpp_rules.policy import PolicyYear
from qpp_rules.policy.years import BUILTIN_FILES

__all__ = [
    "COMMANDS",
    "PROG",
    "TABLE_FORMATS",
    "WIDTH",
    "Command",
    "UsageError",
    "command",
    "json_argument",
    "near",
    "newest_builtin_year",
    "one_year_argument",
    "output_arguments",
    "plot_argument",
    "policies",
    "policy",
    "scrub",
    "table_format",
    "warn_plugins",
    "year_argument",
    "year_label",
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

    >>> from qpp_rules.cli import COMMANDS
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

    >>> from qpp_rules.cli import main
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


class UsageError(Exception):
    """A command line that argparse (or a command's own check of its arguments) refuses."""


def scrub(text: str) -> str:
    """``text`` with anything shaped like a TIN masked (:func:`qpp_rules.errors.mask_tins`)."""
    return mask_tins(text)


def near(name: str, known: Iterable[str]) -> str:
    """``" (did you mean ...?)"`` naming the known names closest to ``name``, or ``""``.

    >>> near("registration.web_interface_min_clinican", ["registration.cahps_min_clinicians",
    ...      "registration.web_interface_min_clinicians"])
    ' (did you mean registration.web_interface_min_clinicians?)'
    >>> near("zzz", ["kind", "size"])
    ''
    """
    import difflib

    found = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if not found:
        return ""
    best = difflib.SequenceMatcher(None, name, found[0]).ratio()
    found = [item for item in found
             if difflib.SequenceMatcher(None, name, item).ratio() >= best - 0.05]
    return f" (did you mean {' or '.join(found)}?)"


def warn_plugins() -> None:
    """Report each plug-in that failed to load as one warning line on standard error."""
    for error in qr.plugin_errors():
        print(f"{PROG}: warning: {scrub(str(error))}", file=sys.stderr)


def policies(years: Sequence[int] | None) -> list[PolicyYear]:
    """The policies of ``years`` (every known year when none is named), oldest first."""
    chosen = sorted(set(years)) if years else list(qr.available_years())
    return [qr.policy_for(year) for year in chosen]


def year_argument(parser: argparse.ArgumentParser) -> None:
    """``--year Y``, repeatable: only these years (default every known year)."""
    parser.add_argument(
        "--year",
        type=int,
        action="append",
        metavar="Y",
        help="only this performance year (repeat for several); default every known year",
    )


def json_argument(parser: argparse.ArgumentParser) -> None:
    """``--json``: JSON for machines."""
    parser.add_argument("--json", action="store_true", help="JSON for machines")


TABLE_FORMATS = ("table", "csv", "markdown", "json")
"""The forms a command's table is written in, unless the command says otherwise."""


def output_arguments(
    parser: argparse.ArgumentParser,
    formats: Sequence[str] = TABLE_FORMATS,
    *,
    format_help: str,
    default: str | None = None,
    output_help: str = "write to PATH instead of standard output",
) -> None:
    """``--format F`` (one of ``formats``), ``--json`` (the same as ``--format json``) and
    ``--output PATH``: how a command writes its table, and where (read by
    :func:`table_format`).

    >>> parser = argparse.ArgumentParser()
    >>> output_arguments(parser, ("table", "json"), format_help="the form")
    >>> vars(parser.parse_args(["--json", "--output", "out.json"]))
    {'format': None, 'json': True, 'output': 'out.json'}
    """
    parser.add_argument("--format", choices=tuple(formats), default=default, help=format_help)
    parser.add_argument("--json", action="store_true", help="the same as --format json")
    parser.add_argument("--output", metavar="PATH", help=output_help)


def plot_argument(parser: argparse.ArgumentParser, what: str) -> None:
    """``--plot FILE``: also draw ``what`` to FILE, in the format its extension names (the
    ``plot`` extra; written by :func:`qpp_rules.cli.render.save_figure`).

    >>> parser = argparse.ArgumentParser()
    >>> plot_argument(parser, "the curve")
    >>> parser.parse_args(["--plot", "curve.svg"]).plot
    'curve.svg'
    """
    parser.add_argument("--plot", metavar="PNG", help=f"also draw {what} to PNG (or .svg, "
                        ".pdf, ...: the plot extra, matplotlib)")


def table_format(args: argparse.Namespace) -> str:
    """The form :func:`output_arguments` chose: ``json`` for ``--json``, else ``--format``
    (default ``table``); ``--json`` with another ``--format`` is a usage error.

    >>> table_format(argparse.Namespace(json=True, format=None))
    'json'
    >>> table_format(argparse.Namespace(json=False, format=None))
    'table'
    """
    if args.json and args.format not in (None, "json"):
        raise UsageError(f"--json and --format {args.format} disagree")
    chosen: str = "json" if args.json else (args.format or "table")
    return chosen


_BUILTIN_YEAR = re.compile(r"(\d{4})")


def newest_builtin_year() -> int:
    """The newest performance year the library ships (the default of ``explain``).

    >>> newest_builtin_year() >= 2021
    True
    """
    years = [int(found.group(1)) for name in BUILTIN_FILES if (found := _BUILTIN_YEAR.search(name))]
    return max(years)


def one_year_argument(parser: argparse.ArgumentParser, default: int | None, what: str) -> None:
    """``--year Y``: the one year a command decides under."""
    shown = (f"{newest_builtin_year()}, the newest year whose CMS guides are bundled"
             if default is None else str(default))
    parser.add_argument(
        "--year", type=int, default=default, metavar="Y",
        help=f"the performance year {what} (default {shown})",
    )


def policy(year: int | None, as_of: pendulum.DateTime | None = None) -> PolicyYear:
    """The policy of ``year`` (default the newest built-in year), as it stood at ``as_of``."""
    return qr.policy_for(newest_builtin_year() if year is None else year, as_of=as_of)


def year_label(chosen: PolicyYear, given: int | None) -> str:
    """How an output header names the policy it decided under: its label, and "(default
    year)" when ``--year`` was not given, so that the default is never silent.

    >>> import qpp_rules as qr
    >>> year_label(qr.policy_for(2021), None), year_label(qr.policy_for(2019), 2019)
    ('PY2021 (default year)', 'PY2019')
    """
    return f"{chosen.label} (default year)" if given is None else chosen.label


def instant(text: str | None, flag: str = "--as-of") -> pendulum.DateTime | None:
    """An ISO 8601 instant with its UTC offset (``NaiveDateTime`` without one), or None.

    >>> instant("2020-03-01T00:00:00-05:00").isoformat()
    '2020-03-01T00:00:00-05:00'
    """
    from qpp_rules.serialization import from_dict
    if text is None:
        return None
    try:
        moment: pendulum.DateTime = from_dict(text, pendulum.DateTime)
    except InvalidInput as error:
        raise type(error)(flag, error.message) from None
    return moment
