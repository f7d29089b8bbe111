"""Where the command line reads things: files and standard input, population CSV files, the
values its flags take (enum names, dollars, instants) and reforms (``--reform PATH=VALUE``,
``--reform-file``). Value parsing lives here only, so that it can follow the population
readers' parsers (``qpp_rules.analysis``).

>>> dollars("$90,300")
Decimal('90300')
>>> reform_change("registration.web_interface_min_clinicians=15")
('registration.web_interface_min_clinicians', 15)
"""

from __future__ import annotations

import json
import os
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import qpp_rules as qr
from qpp_rules.errors import InvalidInput
from qpp_rules.policy import PolicyYear

from . import progress as _progress
from .base import PROG, near

if TYPE_CHECKING:
    from qpp_rules.analysis import Population

__all__ = [
    "apm_model",
    "choice",
    "dollars",
    "read_json",
    "read_population",
    "read_reform_file",
    "read_text",
    "reform_change",
    "reformed",
    "source_name",
]


def source_name(file: str) -> str:
    """How a file is named in messages: its name, or ``stdin`` for ``-``."""
    return "stdin" if file == "-" else Path(file).name


def read_text(file: str) -> str:
    """The text of ``file`` (``-``: standard input); a one-line InvalidInput otherwise."""
    name = source_name(file)
    try:
        if file == "-":
            return sys.stdin.read()
        return Path(file).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(name, "not UTF-8 text") from None
    except OSError as error:
        raise InvalidInput(name, error.strerror or type(error).__name__) from None


def read_json(file: str) -> Any:
    """The JSON value in ``file``."""
    text = read_text(file)
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise InvalidInput(source_name(file), f"not valid JSON: {error}") from None


def read_population(file: str | None, *, progress: bool) -> tuple[Population, str]:
    """The population in the CSV ``file`` (``-``: standard input; None: the bundled example)
    and the words that name it. A file without organizations (a header only, or a Parquet
    file without rows) is refused, naming the file: every command would answer about
    nobody (exit code 2, as for any bad input)."""
    from qpp_rules.analysis import example_population
    if file is None:
        return example_population(), "the bundled example population"
    name = source_name(file)
    population, words = _read_population(file, name, progress=progress)
    if not len(population):
        raise InvalidInput(name, "no organizations: the file has a header but no rows; "
                           "nothing to decide")
    return population, words


def _read_population(file: str, name: str, *, progress: bool) -> tuple[Population, str]:
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
    bar = _progress.Progress(
        f"reading {name}", size or 1,
        enabled=progress and (size or 0) > _progress.PROGRESS_BYTES,
    )
    try:
        lines: Iterable[str] = _progress.CountingLines(handle, bar) if bar.enabled else handle
        return Population.read_csv(lines, name)  # the one CSV reader (qpp_rules.analysis)
    finally:
        bar.close()


def choice(enum: Any, what: str, aliases: Mapping[str, Any] | None = None
           ) -> Callable[[str], Any]:
    """An argparse type reading an enum member as every population reader does
    (``qpp_rules.analysis.columns``): by its value or its name (or an alias), in any case,
    with spaces, hyphens or underscores.

    >>> choice(qr.OrgType, "an organization type")("virtual-group").value
    'Virtual Group'
    """
    from qpp_rules.analysis.columns import argument_type
    from qpp_rules.analysis.columns import choice as parser

    return argument_type(parser(enum, what, aliases), what)


def apm_model(text: str) -> Any:
    """An APM model as every reader takes it, aliases included (``ssp``, ``ngaco``, ``cpc+``).

    >>> apm_model("ssp").name
    'SHARED_SAVINGS_PROGRAM'
    """
    from qpp_rules.analysis.columns import argument_type, parse_apm_model

    return argument_type(parse_apm_model, "an APM model")(text)


def dollars(text: str) -> Decimal:
    """An amount of dollars as every reader takes it: ``90300``, ``$90,300``."""
    from qpp_rules.analysis.columns import argument_type, parse_dollars

    amount: Decimal = argument_type(parse_dollars, "an amount of dollars, e.g. 90300")(text)
    return amount


def reform_change(text: str) -> tuple[str, Any]:
    """``PATH=VALUE``: the value read as JSON where it is JSON, else as text."""
    path, equals, raw = text.partition("=")
    path = path.strip()
    if not equals or not path:
        raise InvalidInput("--reform", f"PATH=VALUE, e.g. registration.web_interface_min_"
                           f"clinicians=15; got {text[:60]!r}")
    try:
        value: Any = json.loads(raw)
    except (json.JSONDecodeError, RecursionError):
        value = raw
    return path, value


def read_reform_file(file: str, known: Sequence[str]) -> tuple[str | None, list[tuple[str, Any]]]:
    """The label and changes of a reform file (TOML): tables and keys spell the policy
    paths, a value is written as in a policy file; a top-level ``label`` names the reform.

    ``known`` is every path a reform may change: a table that is not one is read as a table
    of paths, and a path that does not exist is refused with the nearest names."""
    name = source_name(file)
    try:
        data = tomllib.loads(read_text(file))
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(name, f"not valid TOML: {error}") from None
    label = data.pop("label", None)
    if label is not None and (not isinstance(label, str) or not label.strip()):
        raise InvalidInput(f"{name}.label", "a non-empty name for the reform")
    changes: list[tuple[str, Any]] = []
    values = set(known)

    def walk(table: Mapping[str, Any], prefix: str) -> None:
        for key, value in table.items():
            path = f"{prefix}{key}"
            if isinstance(value, dict) and any(v.startswith(f"{path}.") for v in values):
                walk(value, f"{path}.")
            elif path in values:
                changes.append((path, value))
            else:
                raise InvalidInput(f"{name}: {path}", f"no policy value at this path"
                                   f"{near(path, values)}")

    walk(data, "")
    if not changes:
        raise InvalidInput(name, "no change: give policy paths and their new values")
    return label, changes


def reformed(base: PolicyYear, changes: Sequence[tuple[str, Any]], known: Sequence[str],
             label: str | None = None) -> PolicyYear:
    """``base`` with ``changes`` applied at once by ``qr.reform`` (labelled ``PYyyyy +
    reform`` unless named); a mistyped path is refused with the nearest names."""
    if not changes:
        return base
    table: dict[str, Any] = {}
    values = set(known)
    for path, value in changes:
        if path in table:
            raise InvalidInput("--reform", f"{path} is changed twice")
        if path not in values:
            raise InvalidInput(path, f"no policy value at this path{near(path, values)}; "
                               f"'{PROG} paths' lists them")
        table[path] = value
    return qr.reform(base, table, label=label or f"{base.label} + reform")
