"""How commands show things: policy values as words, aligned tables, wrapped reasons, JSON,
and the CSV and Markdown tables written with ``--format`` (cells a spreadsheet would run as a
formula neutralised), to standard output or ``--output FILE``.

>>> print(csv_text(["question", "note"], [["web_interface", "=1+1"]]), end="")
question,note
web_interface,'=1+1
"""

from __future__ import annotations

import csv
import io
import json
import sys
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pendulum

import qpp_rules as qr
from qpp_rules.decisions import Decision, Reason
from qpp_rules.errors import InvalidInput, mask_tins, shown
from qpp_rules.policy import FrozenMap, LowVolumeThreshold, PolicyYear

from .base import WIDTH, scrub

__all__ = [
    "FORMULA_STARTS",
    "cited",
    "csv_text",
    "decision_json",
    "emit_json",
    "grid",
    "markdown_text",
    "neutralise",
    "reason_lines",
    "save_figure",
    "show",
    "table",
    "when",
    "word",
    "wrapped",
    "write_output",
    "yes_no",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these is run as a formula by a spreadsheet; such a cell is
written with a leading ``'`` (:func:`neutralise`)."""


def neutralise(cell: object) -> str:
    """``cell`` as text, with a leading ``'`` where a spreadsheet would read it as a formula.

    >>> neutralise("=HYPERLINK(\\"x\\")"), neutralise("-3"), neutralise("no -> yes"), neutralise(5)
    ('\\'=HYPERLINK("x")', "'-3", 'no -> yes', '5')
    """
    text = str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV table, every cell neutralised (:func:`neutralise`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def markdown_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A Markdown table (``|`` in a cell escaped).

    >>> print(markdown_text(["a", "b"], [[1, "x|y"]]), end="")
    | a | b |
    |---|---|
    | 1 | x\\|y |
    """
    def line(cells: Sequence[object]) -> str:
        shown = (" ".join(str(cell).split()).replace("|", "\\|") for cell in cells)
        return "| " + " | ".join(shown) + " |"

    lines = [line(header), "|" + "---|" * len(header)]
    lines += [line(row) for row in rows]
    return "\n".join(lines) + "\n"


def emit_json(data: Any) -> None:
    """``data`` as indented JSON on standard output (TINs masked, as every output)."""
    print(json.dumps(_masked(data), indent=2, ensure_ascii=False))


def masked_output(text: str) -> str:
    """What the command line writes, with anything shaped like a TIN masked: in JSON, a
    masked number becomes masked text (the JSON stays valid); elsewhere the text itself.

    >>> print(masked_output('{"value": 123456789, "label": "x=123-45-6789"}'), end="")
    {
     "value": "*****6789",
     "label": "x=*******6789"
    }
    >>> masked_output("value 000765630")
    'value *****5630'
    """
    if text.lstrip()[:1] in ("{", "["):
        try:
            data = json.loads(text)
        except ValueError:
            pass
        else:
            return json.dumps(_masked(data), indent=1, ensure_ascii=False) + "\n"
    return mask_tins(text)


def _masked(data: Any) -> Any:
    if isinstance(data, str):
        return mask_tins(data)
    if isinstance(data, bool) or data is None or isinstance(data, float):
        return data
    if isinstance(data, int):
        masked = mask_tins(str(data))
        return data if masked == str(data) else masked
    if isinstance(data, list):
        return [_masked(item) for item in data]
    if isinstance(data, dict):
        return {_masked(key): _masked(value) for key, value in data.items()}
    return data


def save_figure(figure: Any, path: str, flag: str = "--plot") -> None:
    """Write the matplotlib ``figure`` to the file ``path``, in the format its extension
    names (PNG without one); a path that names no file (empty, a folder) or a format
    matplotlib cannot write is ``InvalidInput`` naming ``flag``, and nothing is written.

    >>> from matplotlib.figure import Figure
    >>> save_figure(Figure(), "chart.nope")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: --plot: 'chart.nope': matplotlib cannot write .nope files; \
name the file .png (or .avif, .eps, .gif, .jpeg, .jpg, .pdf, .pgf, .ps, .raw, .rgba, .svg, \
.svgz, .tif, .tiff, .webp)
    """
    import os

    if not path.strip() or path.endswith(("/", os.sep)) or os.path.isdir(path):
        raise InvalidInput(flag, f"{shown(path, 80)}: a file to draw the chart in (e.g. "
                           "chart.png); got a folder or no name")
    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    supported = figure.canvas.get_supported_filetypes()
    if suffix and suffix not in supported:
        others = ", ".join(f".{kind}" for kind in sorted(supported) if kind != "png")
        raise InvalidInput(flag, f"{shown(path, 80)}: matplotlib cannot write .{suffix} files; "
                           f"name the file .png (or {others})")
    try:
        figure.savefig(path, format=suffix or "png")  # no extension: the name as given
    except OSError as error:
        raise InvalidInput(flag, f"{path}: {error.strerror or type(error).__name__}") from None


def write_output(text: str, path: str | None) -> None:
    """``text`` to standard output, or to the file ``path`` (``--output``), with anything
    shaped like a TIN masked (a swept value of nine digits too): the command line never
    shows one."""
    text = masked_output(text)
    if path is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InvalidInput("--output", f"{path}: {reason}") from None


def when(at: pendulum.DateTime, zone: Any = None) -> str:
    """An instant as ``YYYY-MM-DD HH:mm ZONE`` (in ``zone`` when given).

    >>> when(pendulum.datetime(2019, 7, 1, 17, tz="America/New_York"))
    '2019-07-01 17:00 EDT'
    """
    moment = at.in_timezone(zone) if zone is not None else at
    name = moment.format("zz")
    if not name or name[0] in "+-":
        name = "UTC" + moment.format("Z") if moment.utcoffset() else "UTC"
    return f"{moment.format('YYYY-MM-DD HH:mm')} {name}"


def show(value: Any) -> list[str]:
    """A policy value as lines of text.

    >>> show(qr.policy_for(2019).registration.ssp_aco_automatic)
    ['none']
    """
    if value is None:
        return ["unknown (not in the library's sources)"]
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(value, qr.Window):
        return [f"{when(value.opens)} to {when(value.closes)} (closed from then on)"]
    if isinstance(value, pendulum.DateTime):
        return [when(value)]
    if isinstance(value, LowVolumeThreshold):
        parts = [
            f"allowed charges > ${value.allowed_charges:,}",
            f"Part B patients > {value.patients}",
        ]
        if value.covered_services is not None:
            parts.append(f"covered professional services > {value.covered_services}")
        return ["; ".join(parts) + " (exceeding)"]
    if isinstance(value, FrozenMap):
        return [f"{word(key)}: {show(item)[0]}" for key, item in value.items()]
    if isinstance(value, frozenset | set):
        words = sorted(word(item) for item in value)
        return [", ".join(words) if words else "none"]
    if isinstance(value, tuple | list):
        return [", ".join(word(item) for item in value) or "none"]
    return [word(value)]


def word(value: Any) -> str:
    """An enum member by its value, anything else as text."""
    if hasattr(value, "value") and hasattr(type(value), "__members__"):
        return str(value.value)
    return str(value)


def cited(policy: PolicyYear, path: str) -> dict[str, Any]:
    """The value at ``path`` with its citation (and erratum), as JSON data."""
    from qpp_rules.serialization import to_dict
    entry: dict[str, Any] = {
        "value": to_dict(policy.value_at(path)),
        "citation": to_dict(policy.cite(path)),
    }
    erratum = policy.errata.get(path)
    if erratum is not None:
        entry["erratum"] = to_dict(erratum)
    return entry


def table(rows: Sequence[tuple[str, Sequence[str]]], indent: int = 2) -> Iterator[str]:
    """Label / value rows, the values aligned and wrapped at :data:`WIDTH`.

    >>> list(table([("a", ["1"]), ("bbb", ["2"])]))
    ['  a    1', '  bbb  2']
    """
    width = max((len(label) for label, _ in rows), default=0) + 2
    room = max(WIDTH - indent - width, 30)
    for label, lines in rows:
        first = True
        for line in lines:
            for piece in textwrap.wrap(line, room, break_on_hyphens=False) or [""]:
                head = label if first else ""
                yield " " * indent + head.ljust(width) + piece
                first = False


def wrapped(text: str, indent: int, hanging: int = 4) -> Iterator[str]:
    """``text`` wrapped at :data:`WIDTH`, continuation lines indented further."""
    yield from textwrap.wrap(
        text, WIDTH, initial_indent=" " * indent, subsequent_indent=" " * (indent + hanging),
        break_on_hyphens=False, break_long_words=False,
    ) or [""]


def reason_lines(reasons: Iterable[Reason], indent: int = 4) -> Iterator[str]:
    """Each reason (``[RULE] sentence (citation)``) wrapped, TINs masked."""
    for why in reasons:
        yield from wrapped(scrub(str(why)), indent)


def grid(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Iterator[str]:
    """Rows of cells in aligned columns under ``header``; the last column wraps at
    :data:`WIDTH`.

    >>> print("\\n".join(grid(("a", "b"), [("1", "x"), ("22", "y")])))
    a   b
    1   x
    22  y
    """
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    start = sum(widths[:-1]) + 2 * (len(widths) - 1)
    room = max(WIDTH - start, 20)
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False)]
        pieces = textwrap.wrap(row[-1], room, break_on_hyphens=False) or [""]
        yield "  ".join([*cells, pieces[0]]).rstrip()
        for piece in pieces[1:]:
            yield " " * start + piece


def yes_no(value: bool | None) -> str:
    """``yes``, ``no`` or ``not stated``."""
    return "not stated" if value is None else ("yes" if value else "no")


def decision_json(decision: Decision) -> dict[str, Any]:
    """A decision as JSON data, TINs in its messages masked."""
    from qpp_rules.serialization import to_dict
    data: dict[str, Any] = to_dict(decision)
    for why in data["reasons"]:
        why["message"] = scrub(why["message"])
    return data
