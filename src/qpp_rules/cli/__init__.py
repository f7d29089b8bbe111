"""The command line ``qpp-rules`` (also ``python -m qpp_rules``).

Every command is one function registered in :data:`COMMANDS` by the :func:`command`
decorator, with a second function that adds its arguments; adding a command is writing those
two functions (one module per command in this package). Every command prints a readable
table on a terminal and JSON with ``--json``. The domain packages load when a command runs,
keeping start-up fast.

Exit codes: 0 done; 2 bad input or usage (an unknown year, a bad file, a wrong option);
1 an internal error; 3 from ``check-eligibility`` when a record of the payload disagrees with
the library's rules; ``test``: 1 when a scenario fails. Errors are one line on standard error,
``qpp-rules: error: ...``, never a traceback (``--debug`` shows it). A TIN never appears
unmasked in what a command prints, usage errors included.

>>> main(["years", "--year", "2019"])  # doctest: +ELLIPSIS
PY2019: Performance year 2019
  registration window ...
0
>>> main(["years", "--year", "1999"])
2
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

import qpp_rules as qr
from qpp_rules.errors import QppRulesError

from . import calendar as _calendar
from . import check_eligibility as _check_eligibility
from . import diff as _diff
from . import evaluate as _evaluate
from . import explain as _explain
from . import paths as _paths
from . import scenarios as _scenarios
from . import sweep as _sweep
from . import years as _years
from .base import COMMANDS, PROG, Command, UsageError, command, newest_builtin_year, scrub
from .check_eligibility import EXIT_DISAGREES
from .evaluate import FIRST_ROWS
from .years import YEAR_ROWS

__all__ = [
    "COMMANDS",
    "EXIT_DISAGREES",
    "FIRST_ROWS",
    "YEAR_ROWS",
    "Command",
    "build_parser",
    "command",
    "main",
    "newest_builtin_year",
]

_COMMAND_MODULES = (_years, _calendar, _explain, _evaluate, _diff, _sweep, _check_eligibility,
                    _paths, _scenarios)
"""The modules whose commands are registered on import, in the order ``--help`` lists them."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


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
        "3 a record that disagrees with the rules (check-eligibility); test: 1 a scenario "
        "fails.",
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
        [...] The CMS Web Interface needs 25 or more clinicians: 10 do not, ...
    0
    >>> main(["no-such-command"])  # a usage error: one line on standard error, exit code 2
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        return _fail(str(error), 2)
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    try:
        return COMMANDS[args.command].run(args)
    except UsageError as error:  # a command's own check of its arguments
        return _fail(f"{error} (see '{PROG} {args.command} --help')", 2)
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
            f"internal error: {type(error).__name__}: {error} "
            "(run with --debug for the traceback)",
            1,
        )


def _fail(message: str, code: int) -> int:
    first = " ".join(scrub(message).split())  # one line, whatever the message held
    print(f"{PROG}: error: {first}", file=sys.stderr)
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
