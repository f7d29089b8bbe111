"""Tables of results as pandas or polars frames, joined back onto the input.

A polars population is joined back in polars (one join per distinct set of fact columns,
lazy for a ``LazyFrame``); other populations are broadcast by an index take of each
organization's combination.

>>> import qpp_rules as qr
>>> from qpp_rules.analysis import evaluate
>>> table = evaluate([{"org_id": "A", "kind": "Practice", "clinicians": 3}], qr.policy_for(2019))
>>> answer_columns(table)["web_interface"]
['no']
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from qpp_rules.errors import InvalidInput, QppRulesError

from .groups import group_index, polars_errors

if TYPE_CHECKING:
    from .evaluate import Evaluation

__all__ = ["answer_columns", "evaluation_pandas", "evaluation_polars", "input_columns"]

_G = "__qpp_group"


def _module(name: str) -> Any:
    try:
        return __import__(name)
    except ImportError:  # pragma: no cover - depends on the environment
        raise QppRulesError(f"this needs {name}: pip install 'qpp-rules[{name}]'") from None


def answer_columns(table: Evaluation, arrays: bool = False) -> dict[str, Any]:
    """Per question: its answers, ``_rules`` (lists) and ``_why`` (text), one per
    organization, broadcast by each organization's combination: lists, or with ``arrays``
    numpy object arrays where a take can build them (for a pandas frame)."""
    out: dict[str, Any] = {}
    for question in table.questions:
        answers = table.answers(question)
        keys = table.groups(question).row_keys()
        take = _index_take(answers, keys) if arrays else None
        for suffix, pick in (("", lambda a: a.value), ("_rules", lambda a: list(a.rule_ids)),
                             ("_why", lambda a: a.why)):
            if take is not None:  # one C-speed take of the combinations' values
                out[question + suffix] = take([pick(a) for a in answers.values()])
                continue
            lookup: dict[Hashable, Any] = {k: pick(a) for k, a in answers.items()}
            out[question + suffix] = list(map(lookup.__getitem__, keys))
    return out


def _index_take(answers: Mapping[Hashable, Any],
                keys: Sequence[Hashable]) -> Callable[[list[Any]], Any] | None:
    """Where the combinations are numbered 0..n-1 in order (as the frame libraries number
    their groups), each organization's value is a numpy take by its number; None
    otherwise (or without numpy)."""
    try:
        import numpy
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    if list(answers) != list(range(len(answers))):
        return None
    codes = numpy.asarray(keys)
    if codes.dtype.kind not in "iu":
        return None

    def take(values: list[Any]) -> Any:
        column = numpy.empty(len(values), dtype=object)
        column[:] = values
        return column[codes]

    return take


def input_columns(table: Evaluation, include_input: bool) -> dict[str, list[Any]]:
    """``org_id``, or every input column as given (raw values, yours included)."""
    people = table.population
    if not include_input:
        return {"org_id": list(people.ids())}
    return {name: list(people._raw(name)) for name in people.names}


def check_clash(table: Evaluation, include_input: bool, outputs: Iterable[str]) -> None:
    """With ``include_input``, an input column named like an output column would be
    overwritten (pandas) or refused (polars): ``InvalidInput`` naming it instead."""
    if not include_input:
        return
    clash = [name for name in outputs if name in table.population.names and name != "org_id"]
    if clash:
        raise InvalidInput(
            "include_input", f"the input's column {clash[0]!r} has the name of an output "
            "column; rename it in the input, or leave include_input out"
        )


def pandas_table(table: Evaluation, include_input: bool, columns: dict[str, list[Any]]) -> Any:
    """A pandas frame of ``org_id`` (or, with ``include_input``, the input as given: a pandas
    input keeps its own index, so that the rows join back to it) and ``columns``."""
    pandas = _module("pandas")
    check_clash(table, include_input, columns)
    table.population.check_unique()  # a table lists each organization once
    frame = table.population.native()
    if include_input and frame is not None and type(frame).__module__.startswith("pandas"):
        out = frame.copy()
        for name, values in columns.items():
            out[name] = values
        return out
    return pandas.DataFrame({**input_columns(table, include_input), **columns})


def evaluation_pandas(table: Evaluation, include_input: bool) -> Any:
    """:meth:`Evaluation.to_dataframe`."""
    return pandas_table(table, include_input, answer_columns(table, arrays=True))


def evaluation_polars(table: Evaluation, include_input: bool) -> Any:
    """:meth:`Evaluation.to_polars`."""
    pl = _module("polars")
    people = table.population
    check_clash(table, include_input, [f"{q}{suffix}" for q in table.questions
                                       for suffix in ("", "_rules", "_why")])
    people.check_unique()  # a table lists each organization once
    frame = people.native()
    if frame is None or not type(frame).__module__.startswith("polars"):
        columns = {**input_columns(table, include_input), **answer_columns(table)}
        series = [pl.Series(name, values, strict=False,
                            dtype=pl.List(pl.String) if name.endswith("_rules")
                            and name.removesuffix("_rules") in table.questions else None)
                  for name, values in columns.items()]
        return pl.DataFrame(series)
    out = frame
    added: list[str] = []
    by_groups: dict[int, tuple[Any, list[Any]]] = {}
    for question in table.questions:
        groups = table.groups(question)
        answers = table.answers(question)
        values = [answers[key] for key in groups.facts]
        extra = [pl.Series(question, [a.value for a in values], dtype=pl.Categorical),
                 pl.Series(f"{question}_rules", [list(a.rule_ids) for a in values],
                           dtype=pl.List(pl.Categorical)),
                 pl.Series(f"{question}_why", [a.why for a in values], dtype=pl.Categorical)]
        added += [s.name for s in extra]
        by_groups.setdefault(id(groups), (groups, []))[1].extend(extra)
    for groups, extra in by_groups.values():  # one index take per set of fact columns
        if groups.native is None:  # no fact column present: one combination for all
            out = out.with_columns([pl.lit(s).first().alias(s.name) for s in extra])
            continue
        present = [c for c in groups.native.columns if c != _G]
        index = group_index(groups.native, present)
        if index is None:  # two groups share a hash: join
            small = groups.native.select(present).with_columns(extra)
            out = out.join(small.lazy(), on=present, how="left", nulls_equal=True,
                           maintain_order="left")
            continue
        out = out.with_columns(index.alias(_G)).with_columns(
            [pl.lit(s).gather(pl.col(_G)).alias(s.name) for s in extra])
    kept = list(people.names) if include_input else ["org_id"]
    out = out.select([*kept, *added])
    if not people.eager:
        return out
    with polars_errors(people.source):
        return out.collect()
