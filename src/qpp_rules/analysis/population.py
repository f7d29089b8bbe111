"""A population of organizations, held as columns, read from records, CSV or DataFrames.

Every organization is a row of facts the rules read (``COLUMNS``). Reading validates each
value and names the row and column of anything malformed; nothing is half-read.

>>> from qpp_rules.analysis import Population
>>> pop = Population.from_records([{"org_id": "A", "kind": "Practice", "clinicians": 30}])
>>> len(pop), pop.column("clinicians")
(1, (30,))
"""

from __future__ import annotations

import csv
import io
import operator
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from qpp_rules.errors import InvalidInput, QppRulesError
from qpp_rules.vocabulary import ApmModel, OrgType

__all__ = ["COLUMNS", "Population", "example_population"]

COLUMNS: tuple[str, ...] = (
    "org_id",
    "kind",
    "name",
    "clinicians",
    "apm_model",
    "ssp_aco_participant",
    "split_tin_mips_clinicians",
    "submitted_web_interface_prior_year",
    "allowed_charges",
    "patients",
    "covered_services",
)
"""The columns of a population, in order. Only ``org_id``, ``kind`` and ``clinicians`` are
required; the others default to empty (unknown / no / none)."""

_REQUIRED = ("org_id", "kind", "clinicians")
_KINDS = {kind.value.lower(): kind for kind in OrgType} | {k.name.lower(): k for k in OrgType}
_MODELS = {m.value.lower(): m for m in ApmModel} | {m.name.lower(): m for m in ApmModel}
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f", ""}


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN from a DataFrame
        return True
    return isinstance(value, str) and not value.strip()


def _kind(value: object) -> OrgType:
    if isinstance(value, OrgType):
        return value
    if isinstance(value, str) and value.strip().lower() in _KINDS:
        return _KINDS[value.strip().lower()]
    raise ValueError(f"an organization type ({', '.join(k.value for k in OrgType)})")


def _model(value: object) -> ApmModel | None:
    if _blank(value):
        return None
    if isinstance(value, ApmModel):
        return value
    if isinstance(value, str) and value.strip().lower() in _MODELS:
        return _MODELS[value.strip().lower()]
    raise ValueError(f"an APM model ({', '.join(m.value for m in ApmModel)}) or empty")


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if _blank(value):
        return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError("true or false")


def _count(value: object, *, optional: bool) -> int | None:
    if optional and _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("+").isdigit():
        number = int(value.strip())
    else:
        raise ValueError("a whole number")
    if number < 0:
        raise ValueError("a whole number, 0 or more")
    return number


def _money(value: object) -> Decimal | None:
    if _blank(value):
        return None
    if isinstance(value, bool | float):
        raise ValueError("dollars as text or Decimal (never a float)")
    try:
        amount = Decimal(value) if isinstance(value, str | int | Decimal) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        raise ValueError("an amount of dollars, 0 or more")
    return amount


def _text(value: object) -> str:
    if _blank(value):
        return ""
    if isinstance(value, str | int):
        return str(value).strip()
    raise ValueError("text")


def _parse_one(name: str, value: Any) -> Any:
    """Parse one raw value of column ``name``; ValueError/TypeError says what was expected."""
    if name in _REQUIRED and _blank(value):
        raise ValueError("required")
    try:
        return _PARSERS[name](value)
    except (ValueError, TypeError, ArithmeticError) as error:
        raise ValueError(f"{error}; got {str(value)[:40]!r}") from None


_PLAIN = frozenset({str, int, bool, type(None), Decimal, OrgType, ApmModel})

_PARSERS: dict[str, Any] = {
    "org_id": _text,
    "kind": _kind,
    "name": _text,
    "clinicians": lambda v: _count(v, optional=False),
    "apm_model": _model,
    "ssp_aco_participant": _bool,
    "split_tin_mips_clinicians": lambda v: _count(v, optional=True),
    "submitted_web_interface_prior_year": _bool,
    "allowed_charges": _money,
    "patients": lambda v: _count(v, optional=True),
    "covered_services": lambda v: _count(v, optional=True),
}


@attrs.frozen
class _Bad:
    message: str


def _key(value: Any) -> tuple[type, Any]:
    return (type(value), value)


class Population:
    """Organizations as rows of facts (keyed by ``COLUMNS``), decoded lazily and
    column-wise: each column is parsed when first asked for, each distinct raw value once,
    so a million rows with few distinct values read fast. Unknown columns are refused on
    construction; a malformed value raises ``InvalidInput`` naming its row and column."""

    __slots__ = ("_columns", "_rows", "source", "start")

    def __init__(self, rows: list[Mapping[str, Any]], source: str = "records",
                 start: int = 1) -> None:
        self._rows = rows
        self.source = source
        self.start = start
        self._columns: dict[str, tuple[Any, ...]] = {}
        for number, record in enumerate(rows, start):
            if not isinstance(record, Mapping):
                raise InvalidInput(f"{source}[{number}]", "a mapping of column to value")
        for keys in set(map(tuple, rows)):
            unknown = [key for key in keys if key not in _PARSERS]
            if unknown:
                number = next(i for i, r in enumerate(rows, start) if tuple(r) == keys)
                raise InvalidInput(
                    f"{source}[{number}].{unknown[0]}",
                    f"unknown column; columns: {', '.join(COLUMNS)}",
                )

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return f"<Population of {len(self)} from {self.source}>"

    def column(self, name: str) -> tuple[Any, ...]:
        """One column by name, parsed (and cached)."""
        if name not in _PARSERS:
            raise InvalidInput("column", f"no column {name!r}; columns: {', '.join(COLUMNS)}")
        cached = self._columns.get(name)
        if cached is None:
            raw = list(map(operator.methodcaller("get", name), self._rows))
            cached = self._parse_column(name, raw, self.source, self.start)
            self._columns[name] = cached
        return cached

    def validate(self) -> Population:
        """Parse every column now (raising on the first malformed value); returns self."""
        for name in COLUMNS:
            self.column(name)
        return self

    def keys(self, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
        """The parsed tuple of ``names`` for every row: raw tuples are taken in one pass
        (C speed) and each *distinct* raw tuple is parsed once."""
        try:
            raw = list(map(operator.itemgetter(*names), self._rows)) if len(names) > 1 \
                else [(v,) for v in map(operator.itemgetter(names[0]), self._rows)]
            distinct = set(raw)
            seen: list[set[type]] = [set() for _ in names]
            for key in distinct:
                for position, value in enumerate(key):
                    seen[position].add(type(value))
            # plain values only, and never bool beside int in one column (True == 1)
            clean = all(kinds <= _PLAIN and not (bool in kinds and int in kinds)
                        for kinds in seen)
        except (KeyError, TypeError):  # a missing key or an unhashable value
            clean = False
        if not clean:
            return list(zip(*(self.column(n) for n in names), strict=True))
        parsed: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        for key in distinct:
            try:
                parsed[key] = tuple(
                    _parse_one(n, v) for n, v in zip(names, key, strict=True)
                )
            except (ValueError, TypeError, ArithmeticError):
                # let the column-wise reader name the row and column of the bad value
                return list(zip(*(self.column(n) for n in names), strict=True))
        return list(map(parsed.__getitem__, raw))

    def rows(self) -> Iterator[dict[str, Any]]:
        """The organizations as dicts of parsed values."""
        columns = [self.column(n) for n in COLUMNS]
        for values in zip(*columns, strict=True):
            yield dict(zip(COLUMNS, values, strict=True))

    # -- readers ------------------------------------------------------------------------
    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], *, source: str = "records",
                     start: int = 1) -> Population:
        """From mappings (dicts, CSV rows) keyed by ``COLUMNS``; unknown keys are refused."""
        if isinstance(records, str | bytes) or not isinstance(records, Iterable):
            raise InvalidInput("records", "an iterable of mappings (one per organization)")
        rows = records if isinstance(records, list) else list(records)
        return cls(rows, source, start)

    @classmethod
    def from_csv(cls, file: str | Path | io.TextIOBase) -> Population:
        """From a CSV file (a path or an open text file) with a header of ``COLUMNS``."""
        if isinstance(file, str | Path):
            path = Path(file)
            try:
                with path.open(newline="", encoding="utf-8") as handle:
                    return cls._read_csv(handle, path.name)
            except OSError as error:
                raise InvalidInput("file", f"{path}: {error.strerror}") from None
        return cls._read_csv(file, "csv")

    @classmethod
    def _read_csv(cls, handle: Any, name: str) -> Population:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None:
            raise InvalidInput(name, "an empty file: no header")
        unknown = [field for field in reader.fieldnames if field not in _PARSERS]
        if unknown:
            raise InvalidInput(
                f"{name}[1].{unknown[0]}", f"unknown column; columns: {', '.join(COLUMNS)}"
            )
        return cls(list(reader), name, 2)

    @classmethod
    def from_dataframe(cls, frame: Any) -> Population:
        """From a pandas or polars DataFrame with columns named as ``COLUMNS``."""
        module = type(frame).__module__.split(".")[0]
        if module == "polars":
            rows: list[Mapping[str, Any]] = frame.to_dicts()
        elif module == "pandas":
            rows = frame.to_dict("records")
        else:
            raise InvalidInput(
                "frame", f"a pandas or polars DataFrame; got {type(frame).__name__}"
            )
        return cls(rows, "frame", 0)

    @staticmethod
    def _parse_column(name: str, raw: list[Any], source: str, start: int) -> tuple[Any, ...]:
        kinds = set(map(type, raw)) - {type(None)}
        distinct: set[Any] | None = None
        if len(kinds) <= 1 and not kinds & {bool, float}:  # no 1 == True == 1.0 collisions
            try:
                distinct = set(raw)
            except TypeError:  # unhashable values: parse one by one
                distinct = None
        if distinct is not None:
            parsed: dict[Any, Any] = {}
            for value in distinct:
                try:
                    parsed[value] = _parse_one(name, value)
                except (ValueError, TypeError, ArithmeticError) as error:
                    parsed[value] = _Bad(str(error))
            if not any(isinstance(result, _Bad) for result in parsed.values()):
                return tuple(map(parsed.__getitem__, raw))
        out: list[Any] = []
        for number, value in enumerate(raw, start):
            try:
                out.append(_parse_one(name, value))
            except (ValueError, TypeError, ArithmeticError) as error:
                raise InvalidInput(f"{source}[{number}].{name}", str(error)) from None
        return tuple(out)

def example_population() -> Population:
    """The bundled example: a few thousand synthetic organizations of every type and size
    band (written by ``tools/make_example_population.py`` with a fixed seed; no real TINs).

    >>> len(example_population())
    4000
    """
    file = resources.files("qpp_rules.analysis").joinpath("data/example_population.csv")
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:  # pragma: no cover - a broken install
        raise QppRulesError(f"the bundled example population is missing: {error}") from None
    return Population._read_csv(io.StringIO(text, newline=""), "example_population.csv")
