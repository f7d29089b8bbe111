"""A population through one policy: :func:`evaluate` and its table, :class:`Evaluation`.

Fast by design: every question names the few facts it reads; the population's *distinct*
combinations of those facts are found once (by polars or pandas for a frame, in one C-speed
pass for records), each is decided once by the library's one scalar implementation of the
rule (the same function a service calls for one organization), and the answers are
broadcast back (a join or an index take) only when a column is asked for. Counts come
straight from the groups' sizes.

>>> import qpp_rules as qr
>>> from qpp_rules.analysis import evaluate, example_population
>>> table = evaluate(example_population(), qr.policy_for(2019))
>>> table.counts("web_interface")["yes"] > 0
True
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from qpp_rules.errors import InvalidInput, QppRulesError, mask_tins
from qpp_rules.kernel import fields
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.policy.model import PolicyYear

from .groups import Groups
from .population import Population
from .questions import QUESTIONS, Answer, Question

__all__ = ["Evaluation", "as_population", "evaluate"]


def as_population(source: Any) -> Population:
    """A Population from a Population, a CSV or Parquet path, records, a pandas or polars
    DataFrame, a polars ``LazyFrame`` (kept lazy) or an Arrow table (through polars).

    >>> people = as_population([{"org_id": "A", "kind": "Practice", "clinicians": 30}])
    >>> people, as_population(people) is people
    (<Population of 1 from records>, True)
    >>> as_population(42)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: population: records, a CSV or Parquet path or a ...; got int
    """
    if isinstance(source, Population):
        return source
    if isinstance(source, str | Path):
        return Population.from_csv(source)
    module = type(source).__module__.split(".")[0]
    if module in ("pandas", "polars"):
        return Population.from_dataframe(source)
    if module == "pyarrow" and type(source).__name__ in ("Table", "RecordBatch"):
        try:
            import polars
        except ImportError:  # pragma: no cover - depends on the environment
            raise QppRulesError("Arrow tables are read through polars: "
                                "pip install 'qpp-rules[polars]'") from None
        return Population.from_dataframe(polars.from_arrow(source))
    if isinstance(source, Iterable) and not isinstance(source, bytes | bytearray):
        return Population.from_records(source)
    raise InvalidInput(
        "population", f"records, a CSV or Parquet path or a DataFrame; got {type(source).__name__}"
    )


def _name(value: object, field: str) -> None:
    if not isinstance(value, str):
        raise InvalidInput(field, f"a name (text); got {type(value).__name__}")


def _take(groups: Groups, lookup: Mapping[Hashable, Any]) -> list[Any]:
    """Each organization's value: its group's entry of ``lookup``."""
    return list(map(lookup.__getitem__, groups.row_keys()))


class Evaluation:
    """A table of decisions: ``org_id`` and, per question, its answer and deciding rules.

    Held as the population's distinct combinations and their answers; a column is built when
    first read (``column``, ``columns``, ``rows``, ``to_dataframe``, ``to_polars``) and
    counts come from the combinations' sizes, so evaluating a million organizations does not
    build a million answers. ``missing`` names the fact columns the input did not have.

    >>> import qpp_rules as qr
    >>> records = [{"org_id": "A", "kind": "Practice", "clinicians": 30},
    ...            {"org_id": "B", "kind": "Practice", "clinicians": 10}]
    >>> table = evaluate(records, qr.policy_for(2019))
    >>> table
    <Evaluation of 2 organizations under PY2019>
    >>> table.column("web_interface"), table.column("web_interface_rules")[1]
    (('yes', 'no'), ('REG-ELIG-1',))
    >>> table.counts("cahps"), table.missing[:2]
    (Counter({'yes': 2}), ('apm_model', 'ssp_aco_participant'))
    """

    __slots__ = ("_answers", "_columns", "_groups", "_population", "policy_label", "questions")

    def __init__(self, policy_label: str, questions: tuple[str, ...], population: Population,
                 groups: Mapping[str, Groups], answers: Mapping[str, Mapping[Any, Answer]]
                 ) -> None:
        checks = ((policy_label, str, "policy_label"), (questions, tuple, "questions"),
                  (population, Population, "population"), (groups, Mapping, "groups"),
                  (answers, Mapping, "answers"))
        for value, kind, field in checks:
            if not isinstance(value, kind):
                raise InvalidInput(field, f"{a_or_an(kind.__name__)}; got {type(value).__name__}")
        self.policy_label = policy_label
        self.questions = questions
        self._population = population
        self._groups = groups
        self._answers = answers
        self._columns: dict[str, tuple[Any, ...]] = {}

    def __len__(self) -> int:
        return len(self._population)

    def __repr__(self) -> str:
        return mask_tins(f"<Evaluation of {len(self)} organizations under {self.policy_label}>")

    @property
    def population(self) -> Population:
        """The population evaluated."""
        return self._population

    @property
    def missing(self) -> tuple[str, ...]:
        """The fact columns the questions read that the input did not have (read as blank)."""
        read = dict.fromkeys(n for g in self._groups.values() for n in g.names)
        return self._population.missing(tuple(read))

    def column(self, name: str) -> tuple[Any, ...]:
        """One column: ``org_id``, a question's answers, or ``<question>_rules``."""
        _name(name, "column")
        cached = self._columns.get(name)
        if cached is not None:
            return cached
        if name == "org_id":
            return self._population.ids()
        question = name.removesuffix("_rules")
        lookup: dict[Any, Any]
        if name.endswith("_rules") and question in self._answers:
            lookup = {key: answer.rule_ids for key, answer in self._answers[question].items()}
        elif name in self._answers:
            lookup = {key: answer.value for key, answer in self._answers[name].items()}
            question = name
        else:
            raise InvalidInput(
                "column", f"no column {name!r}; columns: {', '.join(self._names())}"
            )
        values = tuple(_take(self._groups[question], lookup))
        self._columns[name] = values
        return values

    def groups(self, question: str) -> Groups:
        """The distinct combinations ``question`` was decided on."""
        _name(question, "question")
        if question not in self._groups:
            raise InvalidInput("question", f"no question {question!r}; {self.questions}")
        return self._groups[question]

    def keys(self, question: str) -> Sequence[Any]:
        """Each organization's key into :meth:`answers` for ``question``."""
        return self.groups(question).row_keys()

    def answers(self, question: str) -> Mapping[Any, Answer]:
        """The distinct answers to ``question``, by key."""
        _name(question, "question")
        if question not in self._answers:
            raise InvalidInput("question", f"no question {question!r}; {self.questions}")
        return self._answers[question]

    def _names(self) -> list[str]:
        names = ["org_id"]
        for question in self.questions:
            names += [question, f"{question}_rules"]
        return names

    @property
    def columns(self) -> dict[str, tuple[Any, ...]]:
        """Every column, by name (built on first access)."""
        return {name: self.column(name) for name in self._names()}

    def counts(self, question: str) -> Counter[str]:
        """How many organizations got each answer to ``question``."""
        answers = self.answers(question)
        result: Counter[str] = Counter()
        for key, count in self._groups[question].counts().items():
            result[answers[key].value] += count
        return result

    def rows(self) -> list[dict[str, Any]]:
        """One dict per organization."""
        columns = self.columns
        names = list(columns)
        return [dict(zip(names, values, strict=True))
                for values in zip(*(columns[n] for n in names), strict=True)]

    def to_csv(self) -> str:
        """The table as CSV text (rule IDs space-separated)."""
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        columns = self.columns
        names = list(columns)
        writer.writerow(names)
        for values in zip(*(columns[n] for n in names), strict=True):
            writer.writerow([" ".join(v) if isinstance(v, tuple) else v for v in values])
        return buffer.getvalue()

    def to_json(self) -> str:
        """The table as JSON: the policy, the questions, and one object per organization."""
        return json.dumps({"policy": self.policy_label, "questions": list(self.questions),
                           "rows": self.rows()}, indent=1)

    def to_dataframe(self, include_input: bool = False) -> Any:
        """The table as a pandas DataFrame (the ``pandas`` extra): ``org_id`` (or, with
        ``include_input``, every input column as given, yours included), then per question
        its answer, ``<question>_rules`` (a list of rule IDs) and ``<question>_why`` (text).

        >>> import qpp_rules as qr
        >>> records = [{"org_id": "A", "kind": "Practice", "clinicians": 30, "region": "W"}]
        >>> frame = evaluate(records, qr.policy_for(2019)).to_dataframe(include_input=True)
        >>> list(frame.columns[:4]), frame["web_interface_rules"][0]
        (['org_id', 'kind', 'clinicians', 'region'], ['REG-ELIG-3', 'REG-ELIG-1'])
        """
        from .outputs import evaluation_pandas

        return evaluation_pandas(self, include_input)

    def to_polars(self, include_input: bool = False) -> Any:
        """The table as a polars DataFrame (the ``polars`` extra), columns as
        :meth:`to_dataframe`'s, rule IDs as a ``list[str]`` column. A polars population is
        joined back in polars; a ``LazyFrame`` population gives a ``LazyFrame`` (collect it,
        streaming if you like).

        >>> import qpp_rules as qr
        >>> records = [{"org_id": "A", "kind": "Practice", "clinicians": 30}]
        >>> evaluate(records, qr.policy_for(2019)).to_polars()["web_interface"].to_list()
        ['yes']
        """
        from .outputs import evaluation_polars

        return evaluation_polars(self, include_input)


def check_questions(questions: object) -> tuple[Question, ...]:
    """The questions asked (None: ``QUESTIONS``), checked."""
    if questions is None:
        return QUESTIONS
    asked: tuple[Question, ...] = fields.sequence_of(questions, Question, "questions")
    named: dict[str, int] = {}
    for index, question in enumerate(asked):
        first = named.setdefault(question.name, index)
        if first != index:  # a table has one column per name
            raise InvalidInput(
                f"questions[{index}].name",
                f"{question.name!r} is the name of questions[{first}] too; each question "
                "needs its own name (a question of your own may not reuse a built-in's)",
            )
    return asked


def decide(people: Population, policy: PolicyYear,
           questions: tuple[Question, ...]) -> Evaluation:
    """``evaluate`` of a checked population: each question's groups (found once per
    population) decided under ``policy``."""
    groups: dict[str, Groups] = {}
    answers: dict[str, dict[Any, Answer]] = {}
    for question in questions:
        found = groups[question.name] = people.groups(question.columns)
        answers[question.name] = question.answer_all(found.facts, policy)
    return Evaluation(policy.label, tuple(q.name for q in questions), people, groups, answers)


def evaluate(population: Any, policy: PolicyYear,
             questions: Sequence[Question] | None = None) -> Evaluation:
    """Every organization of ``population`` under ``policy`` (a year or a reform).

    ``population`` is a :class:`Population`, records, a CSV or Parquet path, a pandas or
    polars DataFrame or a polars ``LazyFrame``; ``questions`` default to ``QUESTIONS``.

    >>> import qpp_rules as qr
    >>> records = [{"org_id": "A", "kind": "Practice", "clinicians": 30}]
    >>> table = evaluate(records, qr.policy_for(2019))
    >>> table.questions
    ('web_interface', 'cahps', 'automatic', 'opt_in_status')
    >>> table.rows()[0]["web_interface"], table.rows()[0]["web_interface_rules"]
    ('yes', ('REG-ELIG-3', 'REG-ELIG-1'))
    """
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    asked = check_questions(questions)
    people = as_population(population)
    people.check_ids()  # now, so that a bad org_id refuses the whole population
    return decide(people, policy, asked)
