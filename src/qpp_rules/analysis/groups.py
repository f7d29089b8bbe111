"""Distinct fact tuples, found by the frame library itself (the columnar path).

A question reads a few columns; a population has few distinct combinations of them. A
:class:`Groups` holds those combinations parsed (``facts``), how many organizations hold each
(``counts``), and, only when asked, each organization's combination (``row_keys``): for a
polars frame or ``LazyFrame`` by ``group_by(...).len()`` and a join back, for a pandas frame by
``groupby(...).size()`` and ``ngroup()``, for records by one C-speed pass. Nothing loops over
rows in Python on the columnar path.

>>> import polars as pl
>>> from qpp_rules.analysis.groups import polars_groups
>>> frame = pl.DataFrame({"kind": ["Practice", "Practice", "Registry"], "clinicians": [3, 3, 9]})
>>> groups = polars_groups(frame.lazy(), ("kind", "clinicians"), "frame")
>>> sorted(groups.counts().values()), groups.row_keys()[0] == groups.row_keys()[1]
([1, 2], True)
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Any

from qpp_rules.errors import InvalidInput, QppRulesError, mask_tins

from .columns import parse_value

__all__ = ["Groups", "pandas_groups", "parse_distinct", "polars_errors", "polars_groups"]

_N = "__qpp_n"
_G = "__qpp_group"


class Groups:
    """The distinct combinations of ``names`` in a population: each key's parsed facts, the
    organizations per key, and each organization's key (computed when first asked for).

    >>> groups = Groups(("clinicians",), {0: (30,), 1: (10,)}, lambda: [0, 1, 0])
    >>> groups.counts(), groups.row_keys()
    ({0: 2, 1: 1}, [0, 1, 0])
    """

    __slots__ = ("_counts", "_row_keys", "_rows", "derived", "facts", "names", "native")

    def __init__(self, names: tuple[str, ...], facts: dict[Hashable, tuple[Any, ...]],
                 rows: Callable[[], Sequence[Hashable]],
                 counts: dict[Hashable, int] | None = None, native: Any = None) -> None:
        self.names = names
        self.facts = facts
        self._rows = rows
        self._row_keys: Sequence[Hashable] | None = None
        self._counts = counts
        self.native = native  # the frame library's table of distinct keys (for joins back)
        self.derived: dict[Hashable, Any] = {}  # tables built from these groups, kept with them

    def row_keys(self) -> Sequence[Hashable]:
        """Each organization's key, in the population's order."""
        if self._row_keys is None:
            self._row_keys = self._rows()
        return self._row_keys

    def counts(self) -> dict[Hashable, int]:
        """How many organizations hold each key."""
        if self._counts is None:
            self._counts = dict(Counter(self.row_keys()))
        return self._counts

    def __len__(self) -> int:
        return len(self.facts)


def parse_distinct(names: Sequence[str],
                   tuples: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Parse distinct raw tuples: each column's distinct values once. ``ValueError`` carries
    the column's position and the raw value (``args``: message, position, value).

    >>> parse_distinct(("kind", "clinicians"), [("practice", "30"), ("Practice", 12.0)])
    [(<OrgType.PRACTICE: 'Practice'>, 30), (<OrgType.PRACTICE: 'Practice'>, 12)]
    """
    tuples = list(tuples)
    columns = list(zip(*tuples, strict=True)) if tuples else [() for _ in names]
    parsed_columns: list[list[Any]] = []
    for position, (name, column) in enumerate(zip(names, columns, strict=True)):
        table: dict[tuple[type, Any], Any] = {}
        out: list[Any] = []
        for value in column:
            try:
                key = (type(value), value)  # the type too: True == 1 == 1.0
                found = table.get(key, table)
            except TypeError:  # unhashable: parsed on its own
                key, found = None, table
            if found is table:
                try:
                    found = parse_value(name, value)
                except ValueError as error:
                    raise ValueError(str(error), position, value) from None
                if key is not None:
                    table[key] = found
            out.append(found)
        parsed_columns.append(out)
    return list(zip(*parsed_columns, strict=True)) if tuples else []


def _refuse(source: str, name: str, message: str, column: Sequence[Any]) -> InvalidInput:
    """The first row whose value of ``name`` is refused (only on the error path)."""
    for number, value in enumerate(column):
        try:
            parse_value(name, value)
        except ValueError as error:
            return InvalidInput(f"{source}[{number}].{name}", str(error))
    return InvalidInput(f"{source}.{name}", message)  # pragma: no cover - found above


@contextlib.contextmanager
def polars_errors(source: str) -> Iterator[None]:
    """What polars raises while it reads a lazy population (a file missing or corrupt, a
    value its inferred schema cannot hold) as ``InvalidInput`` naming the population: the
    first line of polars' message, with anything shaped like a TIN masked.

    >>> import polars as pl
    >>> with polars_errors("people.csv"):
    ...     pl.scan_csv("/no/such/people.csv").collect()
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: people.csv: polars could not read it: ...
    """
    try:
        yield
    except QppRulesError:
        raise
    except Exception as error:  # polars' own errors, and the OSError of a file
        import polars as pl

        if not isinstance(error, pl.exceptions.PolarsError | OSError):
            raise
        lines = str(error).strip().splitlines() or [type(error).__name__]
        problem = mask_tins(lines[0])[:300]
        raise InvalidInput(source, f"polars could not read it: {problem}") from None


def polars_groups(frame: Any, names: tuple[str, ...], source: str,
                  streaming: bool = False) -> Groups:
    """Groups of a polars ``LazyFrame`` (kept lazy: polars' engine runs the group-by and the
    index take, its streaming engine with ``streaming``, for a population larger than
    memory); columns of ``names`` the frame lacks read as blanks. What polars raises while
    reading is ``InvalidInput`` naming ``source`` (:func:`polars_errors`)."""
    with polars_errors(source):
        found = _polars_groups(frame, names, source, streaming)
    rows = found._rows

    def read_rows() -> Sequence[Hashable]:
        with polars_errors(source):
            return rows()

    found._rows = read_rows
    return found


def _polars_groups(frame: Any, names: tuple[str, ...], source: str,
                   streaming: bool) -> Groups:
    import polars as pl

    engine = "streaming" if streaming else "auto"

    present = [name for name in names if name in frame.collect_schema()]
    if not present:
        total = frame.select(pl.len()).collect(engine=engine).item()
        return Groups(names, {0: tuple(parse_distinct(names, [(None,) * len(names)])[0])},
                      lambda: [0] * total, {0: total})
    distinct = frame.group_by(present).agg(pl.len().alias(_N)).collect(engine=engine)
    raw = distinct.select(present).rows()
    full = [_widen(names, present, row) for row in raw]
    try:
        parsed = parse_distinct(names, full)
    except ValueError as error:
        name = names[error.args[1]]
        column = frame.select(name).collect().to_series().to_list()
        raise _refuse(source, name, str(error.args[0]), column) from None
    table = distinct.select(present).with_row_index(_G)
    index = group_index(table, present)

    def rows() -> list[Any]:
        if index is not None:
            found = frame.select(index.alias(_G)).collect(engine=engine).to_series()
            if not found.has_nulls():
                keys: list[Any] = found.to_list()
                return keys
        joined = frame.select(present).join(  # the exact way, where hashes could mislead
            table.lazy(), on=present, how="left", nulls_equal=True, maintain_order="left"
        )
        keys = joined.select(_G).collect(engine=engine).to_series().to_list()
        return keys

    return Groups(names, dict(enumerate(parsed)), rows,
                  dict(enumerate(distinct[_N].to_list())), native=table)


def group_index(table: Any, present: Sequence[str]) -> Any:
    """A polars expression giving each row's group number (an index take, no join): the
    hash of the row's fact columns looked up among the groups' hashes; None when two groups
    share a hash (then a join is the exact way)."""
    import polars as pl

    hashes = table.select(pl.struct(present).hash().alias("h"))["h"]
    if hashes.n_unique() != len(hashes):
        return None
    return pl.struct(present).hash().replace_strict(
        hashes, table[_G], default=None, return_dtype=pl.UInt32
    )


def _widen(names: Sequence[str], present: Sequence[str], row: tuple[Any, ...]) -> tuple[Any, ...]:
    found = dict(zip(present, row, strict=True))
    return tuple(found.get(name) for name in names)


def pandas_groups(frame: Any, names: tuple[str, ...], source: str) -> Groups | None:
    """Groups of a pandas frame by ``groupby(..., dropna=False, sort=False)``; None where
    pandas' grouping could merge values the rules tell apart (an object column holding both
    ``True`` and ``1``), for the caller to read the column-wise way."""
    present = [name for name in names if name in frame.columns]
    if not present:
        total = len(frame)
        return Groups(names, {0: tuple(parse_distinct(names, [(None,) * len(names)])[0])},
                      lambda: [0] * total, {0: total})
    grouped = frame.groupby(present, dropna=False, sort=False, observed=True)
    sizes = grouped.size()
    index = sizes.index
    raw = [tuple(key) if len(present) > 1 else (key,) for key in index.tolist()]
    for position, name in enumerate(present):
        if frame[name].dtype == object:
            kinds = {type(row[position]) for row in raw}
            if bool in kinds or int in kinds or float in kinds:
                seen = set(map(type, frame[name].tolist()))
                if bool in seen and (int in seen or float in seen):
                    return None
    full = [_widen(names, present, row) for row in raw]
    try:
        parsed = parse_distinct(names, full)
    except ValueError as error:
        name = names[error.args[1]]
        raise _refuse(source, name, str(error.args[0]), frame[name].tolist()) from None

    def rows() -> Sequence[Any]:
        codes: Sequence[Any] = grouped.ngroup().to_numpy().tolist()
        return codes

    return Groups(names, dict(enumerate(parsed)), rows,
                  dict(enumerate(sizes.to_numpy().tolist())), native=None)
