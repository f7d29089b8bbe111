"""A population through one policy (``evaluate``) or two (``compare``).

Fast by design: every question names the few facts it reads; each *distinct* combination of
those facts is decided once, by the library's one scalar implementation of the rule (the
same function a service calls for one organization), and the answer is broadcast to every
organization holding that combination. A million organizations have only hundreds of
distinct combinations.

>>> import qpp_rules as qr
>>> from qpp_rules.analysis import evaluate, example_population
>>> table = evaluate(example_population(), qr.policy_for(2019))
>>> table.counts("web_interface")["yes"] > 0
True
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from qpp_rules.errors import InvalidInput, QppRulesError
from qpp_rules.policy.model import LowVolumeThreshold, PolicyYear, _check_fields
from qpp_rules.policy.unknown import known
from qpp_rules.vocabulary import Program, SizeBand

from .population import Population

__all__ = [
    "QUESTIONS",
    "Answer",
    "Comparison",
    "Evaluation",
    "Question",
    "as_population",
    "compare",
    "evaluate",
]


@attrs.frozen
class Answer:
    """One question's answer for one combination of facts, with the deciding rule IDs.

    >>> import qpp_rules as qr
    >>> records = [{"org_id": "A", "kind": "Practice", "clinicians": 10}]
    >>> (answer,) = evaluate(records, qr.policy_for(2019)).answers("web_interface").values()
    >>> answer
    Answer(value='no', rule_ids=('REG-ELIG-1',))
    """

    value: str
    rule_ids: tuple[str, ...]

    def __attrs_post_init__(self) -> None:
        _check_fields(self)


@attrs.frozen
class Question:
    """A question asked of every organization: its ``name``, the ``columns`` it reads, and
    ``decide(facts, policy) -> Answer`` over the tuple of those columns' values. ``keys``
    optionally turns the columns into the facts tuple per policy (e.g. a threshold's
    comparisons), so that equal facts share one decision.

    >>> import qpp_rules as qr
    >>> def decide(facts, policy):
    ...     return Answer("yes" if facts[0] >= 25 else "no", ("REG-ELIG-1",))
    >>> large = Question("large", ("clinicians",), decide)
    >>> records = [{"org_id": "A", "kind": "Practice", "clinicians": 30},
    ...            {"org_id": "B", "kind": "Practice", "clinicians": 10}]
    >>> evaluate(records, qr.policy_for(2019), [large]).column("large")
    ('yes', 'no')
    """

    name: str
    columns: tuple[str, ...]
    decide: Callable[[tuple[Any, ...], PolicyYear], Answer]
    keys: Callable[[Population, PolicyYear], list[tuple[Any, ...]]] | None = None

    def __attrs_post_init__(self) -> None:
        _check_fields(self)


_ORG_COLUMNS = (
    "kind",
    "clinicians",
    "apm_model",
    "ssp_aco_participant",
    "split_tin_mips_clinicians",
    "submitted_web_interface_prior_year",
)


def _organization(facts: tuple[Any, ...]) -> Any:
    from qpp_rules.registration import Organization

    kind, clinicians, model, ssp, split, prior = facts
    return Organization(
        kind=kind,
        size=SizeBand.from_clinicians(clinicians),
        apm_model=model,
        ssp_aco_participant=ssp,
        split_tin_mips_clinicians=split,
        submitted_web_interface_prior_year=prior,
        clinicians=clinicians,
    )


def _may_hold(program: Program) -> Callable[[tuple[Any, ...], PolicyYear], Answer]:
    def decide(facts: tuple[Any, ...], policy: PolicyYear) -> Answer:
        from qpp_rules.registration import options

        if facts[1] < 2:
            return Answer("no", ("REG-ELIG-2",))
        try:
            found = options(_organization(facts), policy)
        except QppRulesError:
            return Answer("invalid", ())
        decision = found.web_interface if program is Program.WEB_INTERFACE else found.cahps
        return Answer("yes" if decision.allowed else "no", decision.rule_ids)

    return decide


def _automatic(facts: tuple[Any, ...], policy: PolicyYear) -> Answer:
    from qpp_rules.registration import automatic_registrations

    if facts[1] < 2:
        return Answer("none", ("REG-ELIG-2",))
    try:
        held = automatic_registrations(_organization(facts), policy)
    except QppRulesError:
        return Answer("invalid", ())
    names = [p.name.lower() for p in Program if p in held]
    rules = ("REG-AUTO-1", "REG-ELIG-4") if held else ("REG-AUTO-1", "REG-AUTO-2")
    return Answer("+".join(names) if names else "none", rules)


def _low_volume_keys(population: Population, policy: PolicyYear) -> list[tuple[Any, ...]]:
    # The threshold's comparisons, column-wise: "exceeds" is strictly greater (ELE-ELIG-1).
    # tests/analysis pins that this agrees with election.opt_in_status for every record.
    limit: LowVolumeThreshold = known(policy, "election.low_volume", "ELE-ELIG-1")
    charges = [None if v is None else v > limit.allowed_charges
               for v in population.column("allowed_charges")]
    patients = [None if v is None else v > limit.patients
                for v in population.column("patients")]
    if limit.covered_services is None:
        services: list[bool | None] = [False] * len(charges)
    else:
        bound = limit.covered_services
        services = [None if v is None else v > bound
                    for v in population.column("covered_services")]
    return list(zip(charges, patients, services, strict=True))


def _opt_in(facts: tuple[Any, ...], policy: PolicyYear) -> Answer:
    from qpp_rules.election import LowVolumeFacts, explain_opt_in, opt_in_status

    if any(flag is None for flag in facts):
        return Answer("unknown", ("ELE-ELIG-1",))
    charges, patients, services = facts
    low_volume = LowVolumeFacts.from_exceeded(
        allowed_charges=charges, patients=patients, covered_services=services
    )
    status = opt_in_status(low_volume, policy)
    return Answer(status.name.lower(), explain_opt_in(low_volume, policy).rule_ids)


QUESTIONS: tuple[Question, ...] = (
    Question("web_interface", _ORG_COLUMNS, _may_hold(Program.WEB_INTERFACE)),
    Question("cahps", _ORG_COLUMNS, _may_hold(Program.CAHPS)),
    Question("automatic", _ORG_COLUMNS, _automatic),
    Question("opt_in_status", ("allowed_charges", "patients", "covered_services"), _opt_in,
             _low_volume_keys),
)
"""The questions asked by default: may it register for the Web Interface, for CAHPS; what it
holds automatically; its opt-in status."""


def as_population(source: Any) -> Population:
    """A Population from a Population, a CSV path, records, or a pandas/polars DataFrame.

    >>> people = as_population([{"org_id": "A", "kind": "Practice", "clinicians": 30}])
    >>> people, as_population(people) is people
    (<Population of 1 from records>, True)
    >>> as_population(42)
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: population: records, a CSV path or a DataFrame; got int
    """
    if isinstance(source, Population):
        return source
    if isinstance(source, str | Path):
        return Population.from_csv(source)
    module = type(source).__module__.split(".")[0]
    if module in ("pandas", "polars"):
        return Population.from_dataframe(source)
    if isinstance(source, Iterable):
        return Population.from_records(source)
    raise InvalidInput(
        "population", f"records, a CSV path or a DataFrame; got {type(source).__name__}"
    )


def _name(value: object, field: str) -> None:
    if not isinstance(value, str):
        raise InvalidInput(field, f"a name (text); got {type(value).__name__}")


class Evaluation:
    """A table of decisions: ``org_id`` and, per question, its answer and deciding rules.

    The table is held as each organization's key into the distinct answers; a column is
    built when first read (``column``, ``columns``, ``rows``) and counts come straight from
    the keys, so evaluating a million organizations does not build a million answers.

    >>> import qpp_rules as qr
    >>> records = [{"org_id": "A", "kind": "Practice", "clinicians": 30},
    ...            {"org_id": "B", "kind": "Practice", "clinicians": 10}]
    >>> table = evaluate(records, qr.policy_for(2019))
    >>> table
    <Evaluation of 2 organizations under PY2019>
    >>> table.column("web_interface"), table.column("web_interface_rules")[1]
    (('yes', 'no'), ('REG-ELIG-1',))
    >>> table.counts("cahps")
    Counter({'yes': 2})
    """

    __slots__ = ("_answers", "_columns", "_keys", "_population", "policy_label", "questions")

    def __init__(self, policy_label: str, questions: tuple[str, ...], population: Population,
                 keys: Mapping[str, list[Any]], answers: Mapping[str, Mapping[Any, Answer]]
                 ) -> None:
        checks = ((policy_label, str, "policy_label"), (questions, tuple, "questions"),
                  (population, Population, "population"), (keys, Mapping, "keys"),
                  (answers, Mapping, "answers"))
        for value, kind, field in checks:
            if not isinstance(value, kind):
                raise InvalidInput(field, f"a {kind.__name__}; got {type(value).__name__}")
        self.policy_label = policy_label
        self.questions = questions
        self._population = population
        self._keys = keys
        self._answers = answers
        self._columns: dict[str, tuple[Any, ...]] = {}

    def __len__(self) -> int:
        return len(self._population)

    def __repr__(self) -> str:
        return f"<Evaluation of {len(self)} organizations under {self.policy_label}>"

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
        values = tuple(map(lookup.__getitem__, self._keys[question]))
        self._columns[name] = values
        return values

    def keys(self, question: str) -> list[Any]:
        """Each organization's key into :meth:`answers` for ``question``."""
        _name(question, "question")
        if question not in self._keys:
            raise InvalidInput("question", f"no question {question!r}; {self.questions}")
        return self._keys[question]

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
        _name(question, "question")
        if question not in self._answers:
            raise InvalidInput("question", f"no question {question!r}; {self.questions}")
        result: Counter[str] = Counter()
        answers = self._answers[question]
        for key, count in Counter(self._keys[question]).items():
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

    def to_dataframe(self) -> Any:
        """The table as a pandas DataFrame (needs the ``pandas`` extra)."""
        try:
            import pandas
        except ImportError:  # pragma: no cover - depends on the environment
            raise QppRulesError(
                "to_dataframe needs pandas: pip install 'qpp-rules[pandas]'"
            ) from None
        return pandas.DataFrame({k: list(v) for k, v in self.columns.items()})


def _answers(population: Population, policy: PolicyYear,
             question: Question) -> tuple[list[Any], dict[Any, Answer]]:
    if question.keys is not None:
        keys: list[Any] = question.keys(population, policy)
        parsed: dict[Any, tuple[Any, ...]] = {key: key for key in set(keys)}
    else:
        keys, parsed = population.encoded(question.columns)
    memo = policy.memo()
    answers: dict[Any, Answer] = {}
    for raw, facts in parsed.items():
        cache_key = ("analysis", question.name, facts)
        answer = memo.get(cache_key)
        if answer is None:
            answer = memo.setdefault(cache_key, question.decide(facts, policy))
        answers[raw] = answer
    return keys, answers


def _check_questions(questions: object) -> None:
    if isinstance(questions, str | bytes) or not isinstance(questions, Sequence):
        raise InvalidInput("questions", f"a sequence of Question; got {type(questions).__name__}")
    for index, question in enumerate(questions):
        if not isinstance(question, Question):
            raise InvalidInput(
                f"questions[{index}]", f"a Question; got {type(question).__name__}"
            )


def evaluate(population: Any, policy: PolicyYear,
             questions: Sequence[Question] = QUESTIONS) -> Evaluation:
    """Every organization of ``population`` under ``policy`` (a year or a reform).

    ``population`` is a :class:`Population`, records, a CSV path or a DataFrame.

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
    _check_questions(questions)
    people = as_population(population)
    people.ids()  # read now, so that a bad org_id refuses the whole population
    keys: dict[str, list[Any]] = {}
    answers: dict[str, dict[Any, Answer]] = {}
    for question in questions:
        keys[question.name], answers[question.name] = _answers(people, policy, question)
    return Evaluation(policy.label, tuple(q.name for q in questions), people, keys, answers)


@attrs.frozen(eq=False)
class Comparison:
    """How a population's answers change from one policy to another.

    >>> import qpp_rules as qr
    >>> records = [{"org_id": "A", "kind": "Practice", "clinicians": 30},
    ...            {"org_id": "B", "kind": "Practice", "clinicians": 10}]
    >>> py2019 = qr.policy_for(2019)
    >>> lower = qr.reform(py2019, {"registration.web_interface_min_clinicians": 10}, label="WI10")
    >>> diff = compare(records, py2019, lower)
    >>> diff.before.policy_label, diff.after.policy_label
    ('PY2019', 'WI10')
    >>> diff.changes("web_interface"), diff.rules_before("web_interface")
    (Counter({('no', 'yes'): 1}), Counter({'REG-ELIG-1': 1}))
    """

    before: Evaluation
    after: Evaluation
    _counted: dict[str, Counter[tuple[Answer, Answer]]] = attrs.field(
        factory=dict, init=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        _check_fields(self)

    def _pairs(self, question: str) -> Counter[tuple[Answer, Answer]]:
        # counted once per question over each organization's pair of keys (C speed), then
        # mapped to answers
        _name(question, "question")
        cached = self._counted.get(question)
        if cached is not None:
            return cached
        before, after = self.before.answers(question), self.after.answers(question)
        pairs = Counter(zip(self.before.keys(question), self.after.keys(question),
                            strict=True))
        result: Counter[tuple[Answer, Answer]] = Counter()
        for (b, a), count in pairs.items():
            result[before[b], after[a]] += count
        self._counted[question] = result
        return result

    def changes(self, question: str) -> Counter[tuple[str, str]]:
        """Counts of (answer before, answer after) over organizations whose answer changed."""
        result: Counter[tuple[str, str]] = Counter()
        for (b, a), count in self._pairs(question).items():
            if b.value != a.value:
                result[b.value, a.value] += count
        return result

    def rules(self, question: str, direction: tuple[str, str] | None = None) -> Counter[str]:
        """The rule IDs deciding the *new* answers of the organizations that changed (or only
        of those changing in ``direction``, a (before, after) pair of answers)."""
        return self._rules(question, direction, after=True)

    def rules_before(self, question: str,
                     direction: tuple[str, str] | None = None) -> Counter[str]:
        """The rule IDs that decided the *old* answers of the organizations that changed: for
        a no that became a yes, what refused before."""
        return self._rules(question, direction, after=False)

    def _rules(self, question: str, direction: tuple[str, str] | None,
               *, after: bool) -> Counter[str]:
        counter: Counter[str] = Counter()
        for (b, a), count in self._pairs(question).items():
            if b.value == a.value:
                continue
            if direction is not None and (b.value, a.value) != direction:
                continue
            for rule in (a if after else b).rule_ids:
                counter[rule] += count
        return counter

    def table(self) -> list[dict[str, Any]]:
        """One row per question and direction of change: how many, the rules that decided
        the old answers (``rules_before``) and those deciding the new ones (``rules``)."""
        rows: list[dict[str, Any]] = []
        for question in self.before.questions:
            for (b, a), count in sorted(self.changes(question).items()):
                rows.append({"question": question, "before": b, "after": a, "count": count,
                             "rules_before": sorted(self.rules_before(question, (b, a))),
                             "rules": sorted(self.rules(question, (b, a)))})
        return rows

    def summary(self) -> dict[str, Any]:
        """Totals per question: organizations, how many changed, the rules behind the change."""
        total = len(self.before)
        return {
            "from": self.before.policy_label,
            "to": self.after.policy_label,
            "organizations": total,
            "questions": {
                q: {"changed": sum(self.changes(q).values()),
                    "directions": {
                        f"{b} -> {a}": n for (b, a), n in sorted(self.changes(q).items())
                    },
                    "rules_before": dict(sorted(self.rules_before(q).items())),
                    "rules": dict(sorted(self.rules(q).items()))}
                for q in self.before.questions
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.summary(), indent=1)

    def plot(self) -> Any:
        """A bar chart of the changes per question (needs the ``plot`` extra: matplotlib)."""
        try:
            import matplotlib

            matplotlib.use("Agg") if not matplotlib.get_backend() else None
            from matplotlib import pyplot
        except ImportError:  # pragma: no cover - depends on the environment
            raise QppRulesError("plot needs matplotlib: pip install 'qpp-rules[plot]'") from None
        figure, axis = pyplot.subplots(figsize=(8, 3 + 0.3 * len(self.table())))
        labels = [f"{r['question']}: {r['before']} -> {r['after']}" for r in self.table()]
        axis.barh(labels, [r["count"] for r in self.table()])
        axis.set_xlabel("organizations")
        axis.set_title(f"{self.before.policy_label} -> {self.after.policy_label}")
        figure.tight_layout()
        return figure


def compare(population: Any, before: PolicyYear, after: PolicyYear,
            questions: Sequence[Question] = QUESTIONS) -> Comparison:
    """The same population under two policies (two years, or a year and a reform).

    >>> import qpp_rules as qr
    >>> from qpp_rules.analysis import compare, example_population
    >>> diff = compare(example_population(), qr.policy_for(2019), qr.policy_for(2021))
    >>> diff.summary()["questions"]["web_interface"]["changed"] > 0
    True
    """
    for name, policy in (("before", before), ("after", after)):
        if not isinstance(policy, PolicyYear):
            raise InvalidInput(name, f"a PolicyYear; got {type(policy).__name__}")
    _check_questions(questions)
    people = as_population(population)
    return Comparison(evaluate(people, before, questions), evaluate(people, after, questions))
