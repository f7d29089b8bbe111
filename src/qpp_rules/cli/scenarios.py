"""``qpp-rules test FILE...``: run YAML scenario files, as OpenFisca users write tests.

A file holds one scenario (a table) or several (``scenarios:``, a list); a scenario has a
``name``, a ``year``, optionally ``as_of`` (the policy as it stood then) and ``reform``
(policy paths and new values), and one or more checks (see :data:`~.scenario_kinds.KINDS`).
A directory runs every ``*.yaml`` / ``*.yml`` file below it. Exit codes: 0 every scenario
passes, 1 some fail (each failure printed with the decision's explanation), 2 a bad file.
Needs PyYAML (the ``scenarios`` extra).

>>> result = run_scenario("example[0]", {
...     "name": "the election guide's practice", "year": 2019,
...     "opt_in_status": {"facts": {"allowed_charges": "90300", "patients": 150,
...                                 "covered_services": 234},
...                       "expect": {"status": "Opt-in eligible"}}})
>>> result.failures
()
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from qpp_rules.errors import InvalidInput, QppRulesError

from .base import command, instant, json_argument, policy, scrub
from .inputs import read_text, reformed
from .render import emit_json

__all__ = ["Result", "load_scenarios", "run_scenario", "test_command"]

_KEYS = frozenset({"name", "year", "as_of", "reform", "source", "notes"})
"""The keys of a scenario besides its checks (``scenario_kinds.KINDS``, loaded when a file
is read)."""


def _yaml() -> Any:
    try:
        import yaml
    except ImportError:
        raise QppRulesError(
            "qpp-rules test reads YAML and needs PyYAML: pip install 'qpp-rules[scenarios]'"
        ) from None
    return yaml


def _files(arguments: list[str]) -> Iterator[Path]:
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = sorted([*path.rglob("*.yaml"), *path.rglob("*.yml")])
            if not found:
                raise InvalidInput(argument, "a directory without *.yaml scenario files")
            yield from found
        else:
            yield path


def load_scenarios(file: str) -> list[tuple[str, Mapping[str, Any]]]:
    """The scenarios of one YAML file, each with where it is (``file[index]``)."""
    from .scenario_kinds import KINDS
    yaml = _yaml()
    name = Path(file).name
    keys = _KEYS | set(KINDS)
    try:
        data = yaml.safe_load(read_text(file))
    except yaml.YAMLError as error:
        raise InvalidInput(name, f"not valid YAML: {' '.join(str(error).split())}") from None
    except RecursionError:
        raise InvalidInput(name, "nested too deeply to read") from None
    if isinstance(data, Mapping) and "scenarios" in data:
        data = data["scenarios"]
    items = data if isinstance(data, list) else [data]
    found = []
    for index, item in enumerate(items):
        where = f"{name}[{index}]"
        if not isinstance(item, Mapping):
            raise InvalidInput(where, f"a scenario (a table); got {type(item).__name__}")
        unknown = sorted(str(key) for key in item if key not in keys)
        if unknown:
            from .base import near
            raise InvalidInput(f"{where}.{unknown[0]}",
                               f"unknown key{near(unknown[0], keys)}; keys: "
                               f"{', '.join(sorted(keys))}")
        if not any(kind in item for kind in KINDS):
            raise InvalidInput(where, f"no check: give one of {', '.join(KINDS)}")
        if not isinstance(item.get("name"), str) or type(item.get("year")) is not int:
            raise InvalidInput(where, "a scenario needs a name (text) and a year (a number)")
        found.append((where, item))
    return found


@attrs.frozen
class Result:
    """One scenario's result: where it is, its name and its failures (none: it passed)."""

    where: str
    name: str
    failures: tuple[str, ...]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def run_scenario(where: str, item: Mapping[str, Any]) -> Result:
    """Run one scenario: its policy (year, ``as_of``, ``reform``), then each check."""
    chosen = policy(item["year"], instant(_text(item.get("as_of")), f"{where}.as_of"))
    reform = item.get("reform")
    if reform is not None:
        if not isinstance(reform, Mapping):
            raise InvalidInput(f"{where}.reform", "a table of policy paths and new values")
        from .policyvalues import value_paths
        chosen = reformed(chosen, list(reform.items()), value_paths(chosen, tables=True))
    from .scenario_kinds import KINDS
    failures: list[str] = []
    for kind, check in KINDS.items():
        if kind in item:
            data = item[kind]
            if not isinstance(data, Mapping):
                raise InvalidInput(f"{where}.{kind}", "a table")
            failures += check(data, chosen, f"{where}.{kind}")
    return Result(where, str(item["name"]), tuple(failures))


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="YAML scenario files, or directories of them")
    json_argument(parser)


@command("test", help="run YAML scenario files: expected decisions and deciding rules",
         arguments=_arguments)
def test_command(args: argparse.Namespace) -> int:
    """``qpp-rules test FILE... [--json]``: every scenario of every file; exit 0 when all
    pass, 1 when some fail (each reported with its explanation), 2 for a bad file."""
    results = [run_scenario(where, item)
               for file in _files(args.files) for where, item in load_scenarios(str(file))]
    failed = [result for result in results if result.failures]
    if args.json:
        emit_json({"passed": len(results) - len(failed), "failed": len(failed),
                   "scenarios": [{"where": r.where, "name": r.name,
                                  "failures": [scrub(f) for f in r.failures]}
                                 for r in results]})
        return 1 if failed else 0
    for result in results:
        print(f"{'FAIL' if result.failures else 'ok  '} {result.where} {scrub(result.name)}")
        for failure in result.failures:
            for line in scrub(failure).splitlines():
                print(f"    {line}")
    print()
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0
