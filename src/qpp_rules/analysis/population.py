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
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from qpp_rules.errors import InvalidInput, QppRulesError, shown
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
        raise ValueError(f"{error}; got {shown(value, 44)}") from None


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
    construction; a malformed value raises ``InvalidInput`` naming its row and column.

    >>> pop = Population.from_records([
    ...     {"org_id": "A", "kind": "Practice", "clinicians": "30"},
    ...     {"org_id": "B", "kind": "Virtual Group", "clinicians": 12},
    ... ])
    >>> pop, pop.ids(), pop.column("clinicians")
    (<Population of 2 from records>, ('A', 'B'), (30, 12))
    """

    __slots__ = ("_columns", "_frame", "_length", "_raw_columns", "_rows", "source", "start")

    def __init__(self, rows: list[Mapping[str, Any]], source: str = "records",
                 start: int = 1) -> None:
        if not isinstance(rows, list | tuple):
            raise InvalidInput("rows", f"a list of mappings; got {type(rows).__name__}")
        if not isinstance(source, str):
            raise InvalidInput("source", f"a name (text); got {type(source).__name__}")
        if isinstance(start, bool) or not isinstance(start, int):
            raise InvalidInput("start", f"a whole number; got {type(start).__name__}")
        self._rows = rows
        self._raw_columns: Mapping[str, list[Any]] | None = None
        self._frame: Any = None
        self._length = len(rows)
        self.source = source
        self.start = start
        self._columns: dict[str, tuple[Any, ...]] = {}
        # Checked per distinct shape, not per row, so that a million rows cost little:
        # every row's type must be a mapping; the first row of each distinct length has its
        # keys checked (rows from one source share their keys; a CSV's header is checked
        # whole). Values are checked when their column is first read.
        for kind in set(map(type, rows)):
            if not issubclass(kind, Mapping):
                number = next(i for i, r in enumerate(rows, start) if type(r) is kind)
                raise InvalidInput(f"{source}[{number}]", "a mapping of column to value")
        for length in set(map(len, rows)):
            number, first = next((i, r) for i, r in enumerate(rows, start) if len(r) == length)
            unknown = [key for key in first if key not in _PARSERS]
            if unknown:
                raise InvalidInput(
                    f"{source}[{number}].{unknown[0]}",
                    f"unknown column; columns: {', '.join(COLUMNS)}",
                )

    @classmethod
    def from_columns(cls, columns: Mapping[str, Iterable[Any]], *,
                     source: str = "columns") -> Population:
        """From raw columns (name to values, all of one length), e.g. a DataFrame's; the
        column names are checked against ``COLUMNS`` and values when first read."""
        if not isinstance(columns, Mapping):
            raise InvalidInput(source, "a mapping of column name to values")
        unknown = [name for name in columns if name not in _PARSERS]
        if unknown:
            raise InvalidInput(f"{source}.{unknown[0]}",
                               f"unknown column; columns: {', '.join(COLUMNS)}")
        raw = {name: list(values) for name, values in columns.items()}
        lengths = {len(values) for values in raw.values()}
        if len(lengths) > 1:
            raise InvalidInput(source, f"columns of different lengths: {sorted(lengths)}")
        population = cls([], source, 0)
        population._raw_columns = raw
        population._length = lengths.pop() if lengths else 0
        return population

    def _raw(self, name: str) -> list[Any]:
        if self._raw_columns is not None:
            values = self._raw_columns.get(name)
            return values if values is not None else [None] * self._length
        return list(map(operator.methodcaller("get", name), self._rows))

    def __len__(self) -> int:
        return self._length

    def __repr__(self) -> str:
        return f"<Population of {len(self)} from {self.source}>"

    def column(self, name: str) -> tuple[Any, ...]:
        """One column by name, parsed (and cached)."""
        if not isinstance(name, str) or name not in _PARSERS:
            raise InvalidInput("column", f"no column {shown(name)}; columns: {', '.join(COLUMNS)}")
        cached = self._columns.get(name)
        if cached is None:
            raw = self._raw(name)
            cached = self._parse_column(name, raw, self.source, self.start)
            self._columns[name] = cached
        return cached

    def validate(self) -> Population:
        """Parse every column now (raising on the first malformed value); returns self."""
        for name in COLUMNS:
            self.column(name)
        return self

    def keys(self, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
        """The parsed tuple of ``names`` for every row."""
        raw, parsed = self.encoded(names)
        return list(map(parsed.__getitem__, raw))

    def encoded(self, names: tuple[str, ...]) -> tuple[list[Any], dict[Any, tuple[Any, ...]]]:
        """Every row's *raw* key for ``names`` and, for each distinct raw key, its parsed
        tuple: raw keys are taken in one C-speed pass and each distinct one is parsed once.
        Raises ``InvalidInput`` naming the row and column of the first malformed value."""
        if not isinstance(names, tuple | list) or not names \
                or not all(isinstance(name, str) for name in names):
            raise InvalidInput("names", "a non-empty tuple of column names")
        names = tuple(names)
        if self._frame is not None and len(names) > 1:
            grouped = self._grouped(names)
            if grouped is not None:
                return grouped
        getter = operator.itemgetter(*names)
        try:
            if self._raw_columns is None:
                raw = list(map(getter, self._rows))
            elif len(names) == 1:
                raw = list(self._raw_columns[names[0]])
            else:
                raw = list(zip(*(self._raw_columns[n] for n in names), strict=True))
            distinct = set(raw)
            if len(names) == 1:
                seen = [set(map(type, distinct))]
            else:
                seen = [set(map(type, column)) for column in zip(*distinct, strict=True)]
            # plain values only, and never bool beside int in one column (True == 1)
            clean = all(kinds <= _PLAIN and not (bool in kinds and int in kinds)
                        for kinds in seen)
        except (KeyError, TypeError):  # a missing key or an unhashable value
            clean = False
        if clean:
            try:
                if len(names) == 1:
                    return raw, {key: (_parse_one(names[0], key),) for key in distinct}
                # each column's distinct values parsed once, then the tuples assembled
                by_position = [
                    {value: _parse_one(name, value) for value in {key[i] for key in distinct}}
                    for i, name in enumerate(names)
                ]
                parsed = {
                    key: tuple(table[value] for table, value in zip(by_position, key,
                                                                    strict=True))
                    for key in distinct
                }
            except (ValueError, TypeError, ArithmeticError):
                clean = False  # the column-wise reader names the row and column
            else:
                return raw, parsed
        columns = list(zip(*(self.column(n) for n in names), strict=True))
        return columns, {key: key for key in set(columns)}

    def _grouped(
        self, names: tuple[str, ...]
    ) -> tuple[list[Any], dict[Any, tuple[Any, ...]]] | None:
        """A pandas frame's combinations, grouped in C: each row's group number, and each
        group's parsed facts (read from its first row). None where grouping could merge
        values the rules tell apart (an object column holding both True and 1)."""
        frame = self._frame
        if any(name not in frame.columns for name in names):
            return None
        for name in names:
            if frame[name].dtype.kind == "O":
                kinds = set(map(type, frame[name].tolist()))
                if bool in kinds and (int in kinds or float in kinds):
                    return None
        codes = frame.groupby(list(names), dropna=False, sort=False).ngroup()
        firsts = codes.drop_duplicates()
        sample = frame.loc[firsts.index]
        columns = [_from_pandas(sample[name].tolist()) for name in names]
        parsed: dict[Any, tuple[Any, ...]] = {}
        for group, values in zip(firsts.tolist(), zip(*columns, strict=True), strict=True):
            try:
                parsed[group] = tuple(
                    _parse_one(n, v) for n, v in zip(names, values, strict=True)
                )
            except (ValueError, TypeError, ArithmeticError):
                return None  # the column-wise reader names the row and column
        return codes.tolist(), parsed

    def ids(self) -> tuple[Any, ...]:
        """The ``org_id`` column; text ids are taken as given (no per-row parsing)."""
        cached = self._columns.get("org_id")
        if cached is None:
            try:
                raw = (tuple(self._raw_columns["org_id"]) if self._raw_columns is not None
                       else tuple(map(operator.itemgetter("org_id"), self._rows)))
            except KeyError:
                return self.column("org_id")
            if set(map(type, raw)) != {str} or "" in raw:
                return self.column("org_id")
            self._columns["org_id"] = cached = raw
        return cached

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
            except (ValueError, UnicodeError, csv.Error) as error:  # a NUL in the path, a
                # file that is not UTF-8 text or not CSV
                raise InvalidInput("file", f"{shown(str(path))}: {error}") from None
        if isinstance(file, str | bytes | bytearray) or not isinstance(file, Iterable):
            raise InvalidInput("file", f"a path or an open text file; got {type(file).__name__}")
        try:
            return cls._read_csv(file, "csv")
        except (csv.Error, UnicodeError) as error:  # lines that are not text, or not CSV
            raise InvalidInput("file", f"not CSV text: {error}") from None

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
        """From a pandas or polars DataFrame with columns named as ``COLUMNS`` (read
        column-wise: no per-row dicts)."""
        module = type(frame).__module__.split(".")[0]
        if module == "polars":
            columns: dict[str, Any] = frame.to_dict(as_series=False)
        elif module == "pandas":
            names = [str(name) for name in frame.columns]
            unknown = [name for name in names if name not in _PARSERS]
            if unknown:
                raise InvalidInput(f"frame.{unknown[0]}",
                                   f"unknown column; columns: {', '.join(COLUMNS)}")
            population = cls([], "frame", 0)
            def loader(name: str) -> Callable[[], list[Any]]:
                series = frame[name]
                if getattr(series.dtype, "kind", "O") in "iub":  # ints and bools: as they are
                    return lambda: list(series.tolist())
                return lambda: _from_pandas(series.tolist())

            population._raw_columns = _LazyColumns({name: loader(name) for name in names})
            population._frame = frame
            population._length = len(frame)
            return population
        else:
            raise InvalidInput(
                "frame", f"a pandas or polars DataFrame; got {type(frame).__name__}"
            )
        return cls.from_columns(columns, source="frame")

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

class _LazyColumns(Mapping[str, list[Any]]):
    """Columns loaded when first read (a DataFrame's: only the columns a question reads)."""

    def __init__(self, loaders: dict[str, Callable[[], list[Any]]]) -> None:
        self._loaders = loaders
        self._loaded: dict[str, list[Any]] = {}

    def __getitem__(self, name: str) -> list[Any]:
        values = self._loaded.get(name)
        if values is None:
            values = self._loaded[name] = self._loaders[name]()
        return values

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaders)

    def __len__(self) -> int:
        return len(self._loaders)


def _from_pandas(values: list[Any]) -> list[Any]:
    """pandas stores a whole-number column with gaps as floats with NaN: read those back as
    ints and None (other columns are returned as they are)."""
    kinds = set(map(type, values))
    if kinds and kinds <= {float, type(None)}:
        return [None if value is None or value != value
                else int(value) if value.is_integer() else value for value in values]
    if float in kinds:  # a text column with gaps: NaN marks the gap
        return [None if isinstance(value, float) and value != value else value
                for value in values]
    return values


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
