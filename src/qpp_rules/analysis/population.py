"""A population of organizations, read from records, CSV or Parquet files, pandas or polars
frames (a polars ``LazyFrame`` stays lazy).

Every organization is a row of facts the rules read (``COLUMNS``); other columns are carried
through untouched. Reading validates each value (by the one set of parsers in
:mod:`qpp_rules.analysis.columns`) and names the row and column of anything malformed.

>>> from qpp_rules.analysis import Population
>>> pop = Population.from_records([{"org_id": "A", "kind": "Practice", "clinicians": 30,
...                                 "region": "West"}])
>>> len(pop), pop.column("clinicians"), pop.carried, "patients" in pop.missing()
(1, (30,), ('region',), True)
"""

from __future__ import annotations

import io
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from qpp_rules.errors import InvalidInput, QppRulesError, shown
from qpp_rules.vocabulary import ApmModel, OrgType, ReportingTrack

from .columns import (
    COLUMNS,
    REQUIRED,
    LazyColumns,
    cell,
    check_names,
    check_required,
    from_pandas,
    parse_value,
    read_csv_rows,
)
from .groups import Groups, pandas_groups, polars_errors, polars_groups

__all__ = ["COLUMNS", "Population", "example_population"]

# What a record's value may be for the one-pass read: plain values and the library's own
# vocabularies (a record the library wrote, ``Population.rows()``, holds those).
_PLAIN = frozenset({str, int, bool, type(None), Decimal, OrgType, ApmModel, ReportingTrack})


@attrs.frozen
class _Bad:
    message: str


class Population:
    """Organizations as rows of facts (keyed by ``COLUMNS``), decoded lazily and
    column-wise: each column is parsed when first asked for, each distinct raw value once.
    Unknown columns are carried through (``carried``); a near miss of a known name
    (``pateints``), a repeated column and a missing required one (``REQUIRED``, named once,
    not row by row) are refused; a malformed value raises ``InvalidInput`` naming its row
    and column.

    Rows are named one way whatever the input: a row of Python data by its 0-based position,
    as you would index it (``records[0].clinicians``, ``frame[3].patients`` for a pandas or
    polars frame or a ``LazyFrame``); a row of a CSV file by the line of the file it starts
    on, stated as a line (``population.csv line 5, column clinicians``; the header is line
    1); a row of a Parquet file by the file and its 0-based position, as polars indexes it
    (``population.parquet row 3, column clinicians``). ``start`` numbers records from
    another position (the default is 0).

    >>> pop = Population.from_records([
    ...     {"org_id": "A", "kind": "Practice", "clinicians": "30"},
    ...     {"org_id": "B", "kind": "Virtual Group", "clinicians": 12},
    ... ])
    >>> pop, pop.ids(), pop.column("clinicians")
    (<Population of 2 from records>, ('A', 'B'), (30, 12))
    """

    __slots__ = ("_columns", "_file", "_frame", "_groups", "_length", "_lines", "_names",
                 "_polars", "_raw_columns", "_rows", "_unique", "carried", "eager", "source",
                 "start")

    def __init__(self, rows: list[Mapping[str, Any]], source: str = "records",
                 start: int = 0, *, lines: list[int] | None = None) -> None:
        if not isinstance(rows, list | tuple):
            raise InvalidInput("rows", f"a list of mappings; got {type(rows).__name__}")
        if not isinstance(source, str):
            raise InvalidInput("source", f"a name (text); got {type(source).__name__}")
        if isinstance(start, bool) or not isinstance(start, int) or not 0 <= start <= 2**63:
            raise InvalidInput("start", f"a whole number from 0; got {shown(start, 40)}")
        if lines is not None and (not isinstance(lines, list) or len(lines) != len(rows) or not
                                  all(type(n) is int and n > 0 for n in lines)):
            raise InvalidInput("lines", "a list of one line number (from 1) per row")
        self._rows = rows
        self._lines = lines
        self._file = False  # a Parquet file: rows named "file row N"
        self._unique = False  # the org_ids were found distinct (check_unique)
        self._raw_columns: Mapping[str, list[Any]] | None = None
        self._frame: Any = None
        self._polars: Any = None
        self.eager = True
        self._length: int | None = len(rows)
        self.source = source
        self.start = start
        self._columns: dict[str, tuple[Any, ...]] = {}
        self._groups: dict[tuple[str, ...], Groups] = {}
        # Checked per distinct shape, not per row, so that a million rows cost little:
        # every row's type must be a mapping; the first row of each distinct length has its
        # keys judged. A later row whose keys differ from its length's first row lacks one
        # of that row's columns; when a question reads it, the row is judged the same way
        # (see ``_judge``). Values are checked when their column is first read.
        for kind in set(map(type, rows)):
            if not issubclass(kind, Mapping):
                index = next(i for i, r in enumerate(rows) if type(r) is kind)
                raise InvalidInput(self.where(index), "a mapping of column to value")
        names: dict[str, None] = {}
        for length in set(map(len, rows)):
            index, first = next((i, r) for i, r in enumerate(rows) if len(r) == length)
            check_names(list(first), self.where(index))
            names.update(dict.fromkeys(first))
        if rows:  # a required column no row has is refused once, not row by row
            check_required([*names, *(name for name in REQUIRED if name not in names
                                      and any(name in row for row in rows))], source)
        self._names = tuple(names)
        self.carried = tuple(name for name in names if name not in COLUMNS)

    def where(self, index: int) -> str:
        """How a message names the row at 0-based ``index``: its position in Python data
        (``records[0]``), its line in a CSV file (``file.csv line 2``), its position in a
        Parquet file (``file.parquet row 0``).

        >>> Population.read_csv(["org_id,kind,clinicians", "A,Practice,30"], "x.csv").where(0)
        'x.csv line 2'
        >>> Population.from_records([{"org_id": "A", "kind": "Practice", "clinicians": 1}]
        ...                         ).where(0)
        'records[0]'
        """
        if self._lines is not None:
            return f"{self.source} line {self._lines[index]}"
        if self._file:
            return f"{self.source} row {index + self.start}"
        return f"{self.source}[{index + self.start}]"

    def _judge(self, names: tuple[str, ...]) -> None:
        """Judge every row lacking one of ``names`` as the first rows were judged."""
        for index, row in enumerate(self._rows):
            if any(name not in row for name in names):
                check_names(list(row), self.where(index))

    @classmethod
    def from_columns(cls, columns: Mapping[str, Iterable[Any]], *,
                     source: str = "columns") -> Population:
        """From raw columns (name to values, all of one length), e.g. a DataFrame's; the
        column names are judged as a header is, values when first read.

        >>> Population.from_columns({"org_id": ["A"], "kind": ["Practice"], "clinicians": [3]})
        <Population of 1 from columns>
        """
        if not isinstance(columns, Mapping):
            raise InvalidInput(source, "a mapping of column name to values")
        carried = check_names(list(columns), source)
        if columns:
            check_required(list(columns), source)
        raw = {name: list(values) for name, values in columns.items()}
        lengths = {len(values) for values in raw.values()}
        if len(lengths) > 1:
            raise InvalidInput(source, f"columns of different lengths: {sorted(lengths)}")
        population = cls([], source, 0)
        population._raw_columns = raw
        population._length = lengths.pop() if lengths else 0
        population._names, population.carried = tuple(raw), carried
        return population

    def _raw(self, name: str) -> list[Any]:
        if self._polars is not None:
            if name not in self._names:
                return [None] * len(self)
            with polars_errors(self.source):
                values: list[Any] = self._polars.select(name).collect().to_series().to_list()
            return values
        if self._raw_columns is not None:
            found = self._raw_columns.get(name) if name in self._names else None
            return found if found is not None else [None] * len(self)
        try:  # every row has the column: one C-speed pass
            return list(map(operator.itemgetter(name), self._rows))
        except (KeyError, TypeError):
            return list(map(operator.methodcaller("get", name), self._rows))

    def __len__(self) -> int:
        if self._length is None:
            import polars

            with polars_errors(self.source):
                self._length = int(self._polars.select(polars.len()).collect().item())
        return self._length

    def __repr__(self) -> str:
        return f"<Population of {len(self)} from {self.source}>"

    @property
    def names(self) -> tuple[str, ...]:
        """The input's column names, as given (fact columns and carried ones)."""
        return self._names

    def missing(self, names: Iterable[str] = COLUMNS) -> tuple[str, ...]:
        """The fact columns among ``names`` that the input does not have (read as blanks):
        a result says which it did not find, so a typo never silently answers "unknown"."""
        return tuple(name for name in names if name not in self._names)

    def column(self, name: str) -> tuple[Any, ...]:
        """One fact column by name, parsed (and cached)."""
        if not isinstance(name, str) or name not in COLUMNS:
            raise InvalidInput("column", f"no column {shown(name)}; columns: {', '.join(COLUMNS)}")
        cached = self._columns.get(name)
        if cached is None:
            if self._raw_columns is None and self._polars is None:
                self._judge((name,))
            cached = self._parse_column(name, self._raw(name), self.where)
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

    def groups(self, names: tuple[str, ...]) -> Groups:
        """The distinct combinations of ``names`` (parsed), their counts and each row's
        combination: found by polars or pandas where the population is a frame, by one
        C-speed pass over records otherwise; computed once per population and columns."""
        names = _names(names)
        found = self._groups.get(names)
        if found is None:
            try:
                if self._polars is not None:
                    found = polars_groups(self._polars, names, self.source,
                                          streaming=not self.eager)
                elif self._frame is not None:
                    found = pandas_groups(self._frame, names, self.source)
            except QppRulesError:
                if self._file:  # a file's row named as its reader names it: "x.parquet row 3"
                    for name in names:
                        self.column(name)
                raise
            except Exception:  # values the frame library cannot group (lists, objects): read
                # column-wise, which names the row and column it refuses
                found = None
            if found is None:
                raw, parsed = self.encoded(names)
                found = Groups(names, parsed, lambda: raw)
            self._groups[names] = found
        return found

    def encoded(self, names: tuple[str, ...]) -> tuple[list[Any], dict[Any, tuple[Any, ...]]]:
        """Every row's *raw* key for ``names`` and, for each distinct raw key, its parsed
        tuple: raw keys are taken in one C-speed pass and each distinct one is parsed once.
        Raises ``InvalidInput`` naming the row and column of the first malformed value."""
        names = _names(names)
        getter = operator.itemgetter(*names)
        try:
            if self._polars is not None:
                raise KeyError(names)  # polars: read column-wise below
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
                    return raw, {key: (parse_value(names[0], key),) for key in distinct}
                # each column's distinct values parsed once, then the tuples assembled
                by_position = [
                    {value: parse_value(name, value) for value in {key[i] for key in distinct}}
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

    def ids(self) -> tuple[Any, ...]:
        """The ``org_id`` column; text ids are taken as given (no per-row parsing)."""
        cached = self._columns.get("org_id")
        if cached is None:
            if "org_id" not in self._names and (self._rows or self._length):
                return self.column("org_id")  # refused: required
            raw = tuple(self._raw("org_id"))
            if set(map(type, raw)) - {str} or "" in raw:
                cached = self.column("org_id")
            else:
                self._columns["org_id"] = cached = raw
        if not self._unique:
            if len(set(cached)) != len(cached):
                self._refuse_repeated(cached)
            self._unique = True
        return cached

    def check_ids(self) -> None:
        """Refuse a population with a missing or blank ``org_id`` (vectorised for a frame,
        naming the row only when one is refused). A repeated one is refused where
        organizations are listed by their ids (:meth:`check_unique`).

        >>> Population.from_records([{"org_id": "", "kind": "Practice", "clinicians": 2}]
        ...                         ).check_ids()
        Traceback (most recent call last):
          ...
        qpp_rules.errors.InvalidInput: records[0].org_id: required
        """
        if self._polars is None and self._frame is None:
            self._ids_read()
            return
        if "org_id" not in self._names:
            raise InvalidInput(cell(self.source, "org_id"), "a required column; the input has none")
        if self._polars is not None:
            import polars as pl

            column = pl.col("org_id")
            with polars_errors(self.source):
                if self._polars.collect_schema()["org_id"] == pl.String:
                    blank = column.is_null().any() | (column == "").any()
                else:
                    blank = column.is_null().any()
                refused = self._polars.select(blank).collect(engine=self._engine()).item()
        else:
            series = self._frame["org_id"]
            kind = getattr(series.dtype, "kind", "O")
            # gaps (NaN, None, pd.NA): what a CSV read by pandas leaves; blank text is
            # refused when the ids are read (``ids``)
            refused = kind not in "iuO" or bool(series.isna().any())
        if refused:
            self.column("org_id")  # names the row

    def check_unique(self) -> None:
        """Refuse a repeated ``org_id``, naming both its rows (the id masked where it may be
        a TIN): checked once, where organizations are listed by their ids (``ids``, the
        ``org_id`` column, the tables of :meth:`Evaluation.to_dataframe` and ``to_polars``);
        counts take each row as one organization and do not need it.

        >>> Population.from_records([{"org_id": "A", "kind": "Practice", "clinicians": 2},
        ...                          {"org_id": "A", "kind": "Practice", "clinicians": 3},
        ...                          ]).check_unique()
        Traceback (most recent call last):
          ...
        qpp_rules.errors.InvalidInput: records[1].org_id: the org_id 'A' of records[0] again; \
each organization's org_id is its own
        """
        if self._unique:
            return
        if self._polars is None and self._frame is None:
            self.ids()
            return
        if self._polars is not None:
            import polars as pl

            column = pl.col("org_id")
            with polars_errors(self.source):
                repeated = self._polars.select(column.n_unique() != pl.len()).collect(
                    engine=self._engine()).item()
        else:
            repeated = bool(self._frame["org_id"].duplicated().any())
        if repeated:
            self._refuse_repeated(self.ids())
        self._unique = True

    def _engine(self) -> str:
        return "auto" if self.eager else "streaming"

    def _ids_read(self) -> None:
        """The ids of records or a CSV file read (and each refused if missing or blank),
        without the check for repeats."""
        unique, self._unique = self._unique, True
        try:
            self.ids()
        finally:
            self._unique = unique

    def _refuse_repeated(self, ids: tuple[Any, ...]) -> None:
        """Raise for the first id seen twice, naming both its rows."""
        seen: dict[Any, int] = {}
        for index, org_id in enumerate(ids):
            first = seen.setdefault(org_id, index)
            if first != index:
                raise InvalidInput(
                    cell(self.where(index), "org_id"),
                    f"the org_id {shown(org_id, 60)} of {self.where(first)} again; each "
                    "organization's org_id is its own",
                )

    def rows(self) -> Iterator[dict[str, Any]]:
        """The organizations as dicts of parsed values."""
        columns = [self.column(n) for n in COLUMNS]
        for values in zip(*columns, strict=True):
            yield dict(zip(COLUMNS, values, strict=True))

    # -- readers ------------------------------------------------------------------------
    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], *, source: str = "records",
                     start: int = 0) -> Population:
        """From mappings (dicts, CSV rows) keyed by ``COLUMNS`` (other keys carried)."""
        if isinstance(records, str | bytes) or not isinstance(records, Iterable):
            raise InvalidInput("records", "an iterable of mappings (one per organization)")
        rows = records if isinstance(records, list) else list(records)
        return cls(rows, source, start)

    @classmethod
    def from_csv(cls, file: str | Path | io.TextIOBase) -> Population:
        """From a CSV file (a path or an open text file) with a header naming its columns
        (a UTF-8 byte-order mark, as Excel writes, is ignored); or a ``.parquet`` path."""
        if isinstance(file, str | Path):
            path = Path(file)
            if path.suffix.lower() == ".parquet":
                return cls.from_parquet(path)
            try:
                with path.open(newline="", encoding="utf-8-sig") as handle:
                    return cls.read_csv(handle, path.name)
            except OSError as error:
                raise InvalidInput("file", f"{path}: {error.strerror}") from None
            except (ValueError, UnicodeError) as error:  # a NUL in the path, not UTF-8
                raise InvalidInput("file", f"{shown(str(path))}: {error}") from None
        if isinstance(file, str | bytes | bytearray) or not isinstance(file, Iterable):
            raise InvalidInput("file", f"a path or an open text file; got {type(file).__name__}")
        try:
            return cls.read_csv(file, "csv")
        except (TypeError, UnicodeError) as error:  # lines that are not text
            raise InvalidInput("file", f"not CSV text: {error}") from None

    @classmethod
    def read_csv(cls, lines: Iterable[str], name: str) -> Population:
        """The one CSV reader (the command line's too): ``lines`` of CSV text, ``name`` for
        messages; rows are named by the line of the file they start on (``x.csv line 2``).

        >>> Population.read_csv(["org_id,kind,clinicians", "A,Practice,30"], "x.csv")
        <Population of 1 from x.csv>
        """
        header, rows, numbers = read_csv_rows(lines, name)
        population = cls(list[Mapping[str, Any]](rows), name, lines=numbers)
        if not rows:  # a header only: its columns are still the input's
            population._names = header
            population.carried = tuple(n for n in header if n not in COLUMNS)
        return population

    @classmethod
    def from_parquet(cls, path: str | Path) -> Population:
        """A Parquet file, scanned lazily by polars (needs the ``polars`` extra); messages
        name the file and a row by its 0-based position (``x.parquet row 3``)."""
        try:
            import polars
        except ImportError:  # pragma: no cover - depends on the environment
            raise QppRulesError("Parquet needs polars: pip install 'qpp-rules[polars]'") from None
        if not Path(path).is_file():
            raise InvalidInput("file", f"{shown(str(path))}: no such file")
        return cls.from_dataframe(polars.scan_parquet(path), source=Path(path).name)

    @classmethod
    def from_dataframe(cls, frame: Any, *, source: str | None = None) -> Population:
        """From a pandas or polars DataFrame, or a polars ``LazyFrame`` (kept lazy), with
        columns named as ``COLUMNS`` (others carried through); ``source``: the name of the
        file the frame was read from, for messages (``x.parquet row 3``; default
        ``frame[3]``)."""
        if source is not None and (not isinstance(source, str) or not source.strip()):
            raise InvalidInput("source", f"a file's name (text); got {shown(source, 40)}")
        where = "frame" if source is None else source
        module = type(frame).__module__.split(".")[0]
        if module == "polars" and type(frame).__name__ in ("DataFrame", "LazyFrame"):
            population = cls([], where, 0)
            population._file = source is not None
            population.eager = type(frame).__name__ == "DataFrame"
            population._polars = frame.lazy()
            with polars_errors(population.source):
                population._names = tuple(frame.collect_schema().names())
            population.carried = check_names(population._names, population.source)
            if population._names:
                check_required(population._names, population.source)
            population._length = len(frame) if population.eager else None
            return population
        if module != "pandas" or type(frame).__name__ != "DataFrame":
            raise InvalidInput(
                "frame", f"a pandas or polars DataFrame; got {type(frame).__name__}"
            )
        names = list(frame.columns)
        carried = check_names(names, where)
        if names:
            check_required(names, where)
        population = cls([], where, 0)
        population._file = source is not None

        def loader(name: str) -> Callable[[], list[Any]]:
            series = frame[name]
            if getattr(series.dtype, "kind", "O") in "iub":  # ints and bools: as they are
                return lambda: list(series.tolist())
            return lambda: from_pandas(series.tolist())

        population._raw_columns = LazyColumns({name: loader(name) for name in names})
        population._frame = frame
        population._length = len(frame)
        population._names, population.carried = tuple(names), carried
        return population

    def native(self) -> Any:
        """The frame this population was read from (pandas, or a polars ``LazyFrame``), or
        None for records and CSV."""
        return self._polars if self._polars is not None else self._frame

    @staticmethod
    def _parse_column(name: str, raw: list[Any], where: Callable[[int], str]
                      ) -> tuple[Any, ...]:
        kinds = set(map(type, raw)) - {type(None)}
        distinct: set[Any] | None = None
        if len(kinds) <= 1 and not kinds & {bool, float}:  # no 1 == True == 1.0 collisions
            try:
                distinct = set(raw)
            except (TypeError, ValueError):  # unhashable (a list, a datetime whose UTC
                distinct = None  # offset is impossible): parse one by one
        if distinct is not None:
            parsed: dict[Any, Any] = {}
            for value in distinct:
                try:
                    parsed[value] = parse_value(name, value)
                except (ValueError, TypeError, ArithmeticError) as error:
                    parsed[value] = _Bad(str(error))
            if not any(isinstance(result, _Bad) for result in parsed.values()):
                return tuple(map(parsed.__getitem__, raw))
        out: list[Any] = []
        for index, value in enumerate(raw):
            try:
                out.append(parse_value(name, value))
            except (ValueError, TypeError, ArithmeticError) as error:
                raise InvalidInput(cell(where(index), name), str(error)) from None
        return tuple(out)


def _names(names: object) -> tuple[str, ...]:
    if not isinstance(names, tuple | list) or not names \
            or not all(isinstance(name, str) for name in names):
        raise InvalidInput("names", "a non-empty tuple of column names")
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise InvalidInput("names", f"no column {shown(unknown[0])}; columns: {', '.join(COLUMNS)}")
    return tuple(names)


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
    return Population.read_csv(io.StringIO(text, newline=""), "example_population.csv")
