"""The command line ``qpp-rules`` (also ``python -m qpp_rules``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import qpp_rules as qr

__all__ = ["main"]


def _years(args: argparse.Namespace) -> int:
    for year in qr.available_years():
        policy = qr.policy_for(year)
        reg = policy.registration
        print(f"{policy.label}: {policy.title}")
        print(f"  registration window: {reg.window.describe()}")
        election = policy.election.window
        print(f"  election window:     {election.describe() if election else 'unknown'}")
        print(f"  Web Interface from {reg.web_interface_min_clinicians} clinicians; "
              f"CAHPS from {reg.cahps_min_clinicians}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="qpp-rules", description=qr.__doc__.splitlines()[0]
                                     if qr.__doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("years", help="every known year's calendar and policy table")
    args = parser.parse_args(argv)
    try:
        return _years(args)
    except qr.QppRulesError as error:
        print(f"qpp-rules: error: {error}", file=sys.stderr)
        return 2
