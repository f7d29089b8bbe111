"""The one set of column names and value parsers for populations: records, CSV files, pandas
and polars frames and the command line all read a value the same way.

Each parser takes one raw value as it comes (text from a CSV cell or a command-line flag, an
int, a float or a null from a DataFrame) and returns the value the rules read, or raises
``ValueError`` saying what was expected. ``None``, ``NaN``, ``pd.NA``, ``NaT`` and empty text are
all blanks. Names are read in any case and spacing, and the aliases the command line has
always taken (``ssp``, ``$90,300``) are accepted everywhere.

>>> from qpp_rules.analysis.columns import parse_apm_model, parse_dollars
>>> parse_apm_model("ssp").value, parse_dollars("$90,300"), parse_dollars(90300.0)
('Medicare Shared Savings Program', Decimal('90300'), Decimal('90300.0'))
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from qpp_rules.errors import InvalidInput, shown
from qpp_rules.vocabulary import ApmModel, OrgType, ReportingTrack

__all__ = [
    "COLUMNS",
    "MODEL_ALIASES",
    "REQUIRED",
    "TRACK_ALIASES",
    "LazyColumns",
    "argument_type",
    "cell",
    "check_names",
    "check_required",
    "choice",
    "from_pandas",
    "is_blank",
    "parse_apm_model",
    "parse_bool",
    "parse_count",
    "parse_dollars",
    "parse_kind",
    "parse_reporting_track",
    "parse_value",
    "read_csv_rows",
]

E = TypeVar("E", bound=Enum)

COLUMNS: tuple[str, ...] = (
    "org_id",
    "kind",
    "name",
    "clinicians",
    "apm_model",
    "ssp_aco_participant",
    "split_tin_mips_clinicians",
    "submitted_web_interface_prior_year",
    "reporting_track",
    "allowed_charges",
    "patients",
    "covered_services",
)
"""The columns of a population, in order. Only ``org_id``, ``kind`` and ``clinicians`` are
required; the others default to empty (unknown / no / none). Other columns are carried
through untouched."""

REQUIRED: tuple[str, ...] = ("org_id", "kind", "clinicians")

TRACK_ALIASES: dict[str, ReportingTrack] = {
    "app": ReportingTrack.APP,
    "apm performance pathway": ReportingTrack.APP,
    "traditional": ReportingTrack.TRADITIONAL_MIPS,
    "mips": ReportingTrack.TRADITIONAL_MIPS,
}
"""Short names a reporting track also takes."""

MODEL_ALIASES: dict[str, ApmModel] = {
    "ssp": ApmModel.SHARED_SAVINGS_PROGRAM,
    "mssp": ApmModel.SHARED_SAVINGS_PROGRAM,
    "shared savings program": ApmModel.SHARED_SAVINGS_PROGRAM,
    "next generation aco": ApmModel.NEXT_GENERATION_ACO,
    "ngaco": ApmModel.NEXT_GENERATION_ACO,
    "cpc+": ApmModel.CPC_PLUS,
    "cpc plus": ApmModel.CPC_PLUS,
}
"""Short names an APM model is also read by (``--apm-model ssp``, a CSV cell ``ssp``)."""

_TRUE = frozenset({"true", "yes", "1", "y", "t"})
_FALSE = frozenset({"false", "no", "0", "n", "f", ""})
_CENT = Decimal("0.01")
# Digits a count may have (Python's default limit for int <-> str): a Decimal such as 1e999999
# is refused before int() spends seconds writing out its million digits.
_LONGEST = 4300


def is_blank(value: object) -> bool:
    """Whether ``value`` is a gap: None, NaN, ``pd.NA``, ``NaT`` or blank text.

    >>> [is_blank(v) for v in (None, float("nan"), "  ", 0, "x")]
    [True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    if isinstance(value, str):
        return not value.strip()
    return type(value).__name__ in ("NAType", "NaTType")


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text).strip().lower()


def choice(enum: type[E], what: str,
           aliases: Mapping[str, E] | None = None) -> Callable[[object], E]:
    """A parser reading a member of ``enum`` by its value, its name or an alias, in any case,
    with spaces, hyphens or underscores.

    >>> from qpp_rules.vocabulary import SizeBand
    >>> choice(SizeBand, "a size band")("small").name
    'SMALL'
    """
    table = ({_key(str(m.value)): m for m in enum} | {_key(m.name): m for m in enum}
             | {_key(alias): m for alias, m in (aliases or {}).items()})
    known = ", ".join(repr(m.value) for m in enum)

    def parse(value: object) -> E:
        if isinstance(value, enum):
            return value
        found = table.get(_key(value)) if isinstance(value, str) else None
        if found is None:
            raise ValueError(f"{what}: one of {known}")
        return found

    return parse


parse_kind = choice(OrgType, "an organization type")
_model = choice(ApmModel, "an APM model", MODEL_ALIASES)


def parse_apm_model(value: object) -> ApmModel | None:
    """An APM model by value, name or alias (``ssp``, ``ngaco``, ``cpc+``); blank is None.

    >>> parse_apm_model("MSSP").name, parse_apm_model(None)
    ('SHARED_SAVINGS_PROGRAM', None)
    """
    return None if is_blank(value) else _model(value)


_track = choice(ReportingTrack, "a reporting track", TRACK_ALIASES)


def parse_reporting_track(value: object) -> ReportingTrack:
    """A reporting track by value, name or alias (``app``, ``traditional``); blank is
    traditional MIPS, the default and the only track before PY2021 (REG-ELIG-10).

    >>> parse_reporting_track("APP").name, parse_reporting_track(None).name
    ('APP', 'TRADITIONAL_MIPS')
    """
    return ReportingTrack.TRADITIONAL_MIPS if is_blank(value) else _track(value)


def parse_bool(value: object) -> bool:
    """Yes or no: a bool, 0/1, or text (true/false, yes/no, y/n, t/f, 1/0); blank is no.

    >>> parse_bool("Yes"), parse_bool(0), parse_bool(None)
    (True, False, False)
    """
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return False
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError("true or false")


_WHOLE = re.compile(r"\+?\d+(?:\.0*)?")
_GROUPED = re.compile(r"\+?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?")


def _ungrouped(text: str, what: str) -> str:
    """``text`` without its thousands separators: a comma only between groups of three
    digits before the point (``1,234,567.50``); a comma anywhere else (``90.300,50``,
    ``2,5``) is refused, never dropped."""
    if "," not in text:
        return text
    if not _GROUPED.fullmatch(text):
        raise ValueError(f"{what}; a comma only between groups of three digits (1,234)")
    return text.replace(",", "")


def parse_count(value: object, *, optional: bool = True) -> int | None:
    """A whole number, 0 or more (an int, a whole float from a DataFrame, or digits, with
    commas between groups of three and ``.0`` as a CSV written by pandas has them); blank is
    None when ``optional``.

    >>> parse_count("150"), parse_count(234.0), parse_count("1,200"), parse_count("3.0")
    (150, 234, 1200, 3)
    >>> parse_count("2,5")
    Traceback (most recent call last):
      ...
    ValueError: a whole number; a comma only between groups of three digits (1,234)
    """
    if is_blank(value):
        if optional:
            return None
        raise ValueError("required")
    if isinstance(value, bool):
        raise ValueError("a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, Decimal) and value.is_finite() and value.adjusted() >= _LONGEST:
        raise ValueError("a whole number; this one has more digits than Python prints")
    elif (isinstance(value, float) and value.is_integer()) or (
            isinstance(value, Decimal) and value.is_finite() and value == value.to_integral()):
        number = int(value)
    elif isinstance(value, str) and _WHOLE.fullmatch(_ungrouped(value.strip(), "a whole number")):
        number = int(Decimal(_ungrouped(value.strip(), "a whole number")))
    else:
        raise ValueError("a whole number")
    if number < 0:
        raise ValueError("a whole number, 0 or more")
    return number


def parse_dollars(value: object) -> Decimal | None:
    """An amount of dollars, 0 or more: text (``90300``, ``$90,300.50``), an int, a Decimal,
    or a float holding a whole number of cents (as pandas reads money); blank is None.

    >>> parse_dollars("$90,300.50"), parse_dollars(None)
    (Decimal('90300.50'), None)
    >>> parse_dollars("90.300,50")
    Traceback (most recent call last):
      ...
    ValueError: an amount of dollars, e.g. 90300 or $90,300; a comma only between groups of \
three digits (1,234)
    >>> parse_dollars(0.1 + 0.2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    ValueError: dollars in whole cents; this float is not (round it: ...
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("an amount of dollars, 0 or more")
    amount: Decimal | None = None
    if isinstance(value, float):
        amount = Decimal(repr(value))
        if amount.is_finite() and amount != amount.quantize(_CENT):
            raise ValueError("dollars in whole cents; this float is not (round it: "
                             "df[col].round(2), or read the column as text: dtype=str)")
    elif isinstance(value, int | Decimal):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().removeprefix("$").strip()
        if "_" in text:  # Python reads 1_000; a person does not write it
            raise ValueError("an amount of dollars, e.g. 90300 or $90,300")
        try:
            amount = Decimal(_ungrouped(text, "an amount of dollars, e.g. 90300 or $90,300"))
        except InvalidOperation:
            amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        raise ValueError("an amount of dollars, 0 or more, e.g. 90300 or $90,300")
    return amount


def _text(value: object) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value).strip()
    raise ValueError("text")


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "org_id": _text,
    "kind": parse_kind,
    "name": _text,
    "clinicians": lambda v: parse_count(v, optional=False),
    "apm_model": parse_apm_model,
    "ssp_aco_participant": parse_bool,
    "split_tin_mips_clinicians": parse_count,
    "submitted_web_interface_prior_year": parse_bool,
    "reporting_track": parse_reporting_track,
    "allowed_charges": parse_dollars,
    "patients": parse_count,
    "covered_services": parse_count,
}


def parse_value(name: str, value: Any) -> Any:
    """One raw value of column ``name``, parsed; ``ValueError`` says what was expected and
    what came (shortened).

    >>> parse_value("kind", "virtual-group").value
    'Virtual Group'
    >>> parse_value("clinicians", "many")
    Traceback (most recent call last):
      ...
    ValueError: a whole number; got 'many'
    """
    if name in REQUIRED and is_blank(value):
        raise ValueError("required")
    try:
        return _PARSERS[name](value)
    except (ValueError, TypeError, ArithmeticError) as error:
        raise ValueError(f"{error}; got {shown(value, 44)}") from None


def _near(name: str) -> str | None:
    if not isinstance(name, str):
        return None
    normal = _key(name).replace(" ", "_")
    if normal in _PARSERS:
        return normal
    found = difflib.get_close_matches(normal, COLUMNS, n=1, cutoff=0.8)
    return found[0] if found else None


def check_names(names: Iterable[Any], where: str) -> tuple[str, ...]:
    """Judge a header (or a record's keys): a repeated name, a name that is not text, or a
    near miss of a known column (``pateints``) raises ``InvalidInput`` with "did you mean";
    returns the other unknown names, which are carried through untouched.

    >>> check_names(["org_id", "kind", "clinicians", "region"], "file.csv")
    ('region',)
    >>> check_names(["org_id", "pateints"], "file.csv")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: file.csv.pateints: unknown column; did you mean 'patients'?
    """
    seen: set[Any] = set()
    carried: list[str] = []
    for name in names:
        if not isinstance(name, str):
            raise InvalidInput(where, f"a column name must be text; got {shown(name, 30)}")
        if name in seen:
            raise InvalidInput(cell(where, name)[:120], "this column appears twice")
        seen.add(name)
        if name in _PARSERS:
            continue
        near = _near(name)
        if near is not None and near not in names:
            raise InvalidInput(cell(where, name)[:120],
                               f"unknown column; did you mean {near!r}?")
        carried.append(name)
    return tuple(carried)


_LINE = re.compile(r"(?: line \d+| row \d+|\.parquet)$")  # a place in a file


def cell(where: str, column: str) -> str:
    """The path an error names for ``column`` of a row: ``where.column`` for a position in
    Python data (``records[0].clinicians``, ``frame[3].patients``); ``where, column
    column`` for a line of a CSV file (``file.csv line 5, column clinicians``), a row or
    the header of a Parquet file (``file.parquet row 3, column clinicians``).

    >>> cell("records[0]", "clinicians"), cell("file.csv line 5", "clinicians")
    ('records[0].clinicians', 'file.csv line 5, column clinicians')
    """
    return f"{where}, column {column}" if _LINE.search(where) else f"{where}.{column}"


def check_required(names: Iterable[str], where: str) -> None:
    """Refuse input without a required column (``REQUIRED``) once, naming the column (with
    "did you mean" for a column of the input whose name is close), rather than row by row.

    >>> check_required(["org_id", "kind", "clinician_count"], "file.csv line 1")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: file.csv line 1, column clinicians: a required column; \
the input has none (did you mean 'clinician_count'?)
    """
    given = [name for name in names if isinstance(name, str)]
    for name in REQUIRED:
        if name in given:
            continue
        others = {_key(other).replace(" ", "_"): other for other in given
                  if other not in _PARSERS}
        near = difflib.get_close_matches(name, list(others), n=1, cutoff=0.6)
        hint = f" (did you mean {others[near[0]]!r}?)" if near else ""
        raise InvalidInput(cell(where, name), f"a required column; the input has none{hint}")


def read_csv_rows(lines: Iterable[str], name: str
                  ) -> tuple[tuple[str, ...], list[dict[str, Any]], list[int]]:
    """The one CSV reader: the header (a UTF-8 byte-order mark ignored, judged by
    :func:`check_names` and :func:`check_required`), one dict per row and the line of the
    file each row starts on (blank lines are skipped, a quoted cell may span lines). A row
    with more cells than the header is refused, naming its line; a shorter row's missing
    cells are blanks.

    >>> header, rows, numbers = read_csv_rows(
    ...     ["\\ufefforg_id,kind,clinicians", "", "A,Practice,30"], "x.csv")
    >>> header, numbers
    (('org_id', 'kind', 'clinicians'), [3])
    >>> rows
    [{'org_id': 'A', 'kind': 'Practice', 'clinicians': '30'}]
    """
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    try:
        reader = csv.reader(lines)
        fields: list[str] | None = next(reader, None)
        if fields is None:
            raise InvalidInput(name, "an empty file: no header")
        if fields and fields[0].startswith("\ufeff"):
            fields[0] = fields[0].removeprefix("\ufeff")
        header_line = reader.line_num
        check_names(fields, f"{name} line {header_line}")
        check_required(fields, f"{name} line {header_line}")
        width = len(fields)
        done = header_line
        for row in reader:
            first, done = done + 1, reader.line_num
            if not row:
                continue
            if len(row) > width:
                raise InvalidInput(f"{name} line {first}",
                                   f"more cells than the header's {width}")
            record: dict[str, Any] = dict(zip(fields, row, strict=False))
            if len(row) < width:
                record.update(dict.fromkeys(fields[len(row):]))
            rows.append(record)
            numbers.append(first)
    except csv.Error as error:
        raise InvalidInput(name, f"not a readable CSV file: {error}") from None
    return tuple(fields), rows, numbers


def argument_type(parse: Callable[[str], Any], what: str) -> Callable[[str], Any]:
    """An ``argparse`` type from one of these parsers: the command line reads a flag's value
    the way a CSV cell or a DataFrame value is read (``--apm-model ssp``,
    ``--allowed-charges $90,300``).

    >>> argument_type(parse_dollars, "an amount of dollars")("$90,300")
    Decimal('90300')
    """
    import argparse

    def read(text: str) -> Any:
        try:
            value = parse(text)
        except ValueError as error:  # the parser's own words say what it expected
            raise argparse.ArgumentTypeError(f"{error}; got {text[:40]!r}") from None
        if value is None:
            raise argparse.ArgumentTypeError(f"{what}; got {text[:40]!r}")
        return value

    return read


class LazyColumns(Mapping[str, list[Any]]):
    """Columns loaded when first read (a DataFrame's: only the columns a question reads).

    >>> columns = LazyColumns({"clinicians": lambda: [30, 12]})
    >>> list(columns), columns["clinicians"]
    (['clinicians'], [30, 12])
    """

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


def from_pandas(values: list[Any]) -> list[Any]:
    """pandas stores a whole-number column with gaps as floats with NaN: read those back as
    ints and None; ``pd.NA``, ``NaT`` and NaN in other columns are gaps (None).

    >>> from_pandas([30.0, float("nan"), 12.0])
    [30, None, 12]
    """
    kinds = set(map(type, values))
    if kinds and kinds <= {float, type(None)}:
        return [None if value is None or value != value
                else int(value) if value.is_integer() else value for value in values]
    gaps = {kind for kind in kinds if kind is float or kind.__name__ in ("NAType", "NaTType")}
    if gaps:
        return [None if type(value) in gaps and (type(value) is not float or value != value)
                else value for value in values]
    return values
