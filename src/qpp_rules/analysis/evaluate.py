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
from qpp_rules.policy.model import PolicyYear
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
    """One question's answer for one combination of facts, with the deciding rule IDs."""

    value: str
    rule_ids: tuple[str, ...]


@attrs.frozen
class Question:
    """A question asked of every organization: its ``name``, the ``columns`` it reads, and
    ``decide(facts, policy) -> Answer`` over the tuple of those columns' values. ``keys``
    optionally turns the columns into the facts tuple per policy (e.g. a threshold's
    comparisons), so that equal facts share one decision."""

    name: str
    columns: tuple[str, ...]
    decide: Callable[[tuple[Any, ...], PolicyYear], Answer]
    keys: Callable[[Population, PolicyYear], list[tuple[Any, ...]]] | None = None


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
    limit = policy.election.low_volume
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
    """A Population from a Population, a CSV path, records, or a pandas/polars DataFrame."""
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


@attrs.frozen(eq=False)
class Evaluation:
    """A table of decisions: ``org_id`` and, per question, its answer and deciding rules."""

    policy_label: str
    questions: tuple[str, ...]
    columns: Mapping[str, tuple[Any, ...]]

    def __len__(self) -> int:
        return len(self.columns["org_id"])

    def column(self, name: str) -> tuple[Any, ...]:
        if name not in self.columns:
            raise InvalidInput("column", f"no column {name!r}; columns: {', '.join(self.columns)}")
        return self.columns[name]

    def counts(self, question: str) -> Counter[str]:
        """How many organizations got each answer to ``question``."""
        return Counter(self.column(question))

    def rows(self) -> list[dict[str, Any]]:
        """One dict per organization."""
        names = list(self.columns)
        return [dict(zip(names, values, strict=True))
                for values in zip(*(self.columns[n] for n in names), strict=True)]

    def to_csv(self) -> str:
        """The table as CSV text (rule IDs space-separated)."""
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        names = list(self.columns)
        writer.writerow(names)
        for values in zip(*(self.columns[n] for n in names), strict=True):
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
             question: Question) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    if question.keys is not None:
        keys = question.keys(population, policy)
    else:
        keys = population.keys(question.columns)
    memo = policy.memo()
    values: dict[tuple[Any, ...], str] = {}
    rules: dict[tuple[Any, ...], tuple[str, ...]] = {}
    for key in set(keys):
        cache_key = ("analysis", question.name, key)
        answer = memo.get(cache_key)
        if answer is None:
            answer = memo.setdefault(cache_key, question.decide(key, policy))
        values[key] = answer.value
        rules[key] = answer.rule_ids
    return tuple(map(values.__getitem__, keys)), tuple(map(rules.__getitem__, keys))


def evaluate(population: Any, policy: PolicyYear,
             questions: Sequence[Question] = QUESTIONS) -> Evaluation:
    """Every organization of ``population`` under ``policy`` (a year or a reform).

    ``population`` is a :class:`Population`, records, a CSV path or a DataFrame."""
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    people = as_population(population)
    columns: dict[str, tuple[Any, ...]] = {"org_id": people.column("org_id")}
    for question in questions:
        values, rules = _answers(people, policy, question)
        columns[question.name] = values
        columns[f"{question.name}_rules"] = rules
    return Evaluation(policy.label, tuple(q.name for q in questions), columns)


@attrs.frozen(eq=False)
class Comparison:
    """How a population's answers change from one policy to another."""

    before: Evaluation
    after: Evaluation

    def changes(self, question: str) -> Counter[tuple[str, str]]:
        """Counts of (answer before, answer after) over organizations whose answer changed."""
        return Counter(
            (b, a) for b, a in zip(self.before.column(question), self.after.column(question),
                                   strict=True) if b != a
        )

    def rules(self, question: str) -> Counter[str]:
        """The rule IDs deciding the new answers of the organizations that changed."""
        counter: Counter[str] = Counter()
        for b, a, why in zip(self.before.column(question), self.after.column(question),
                             self.after.column(f"{question}_rules"), strict=True):
            if b != a:
                counter.update(why)
        return counter

    def table(self) -> list[dict[str, Any]]:
        """One row per question and direction of change: how many, and because of which rules."""
        rows: list[dict[str, Any]] = []
        for question in self.before.questions:
            rules = self.rules(question)
            for (b, a), count in sorted(self.changes(question).items()):
                rows.append({"question": question, "before": b, "after": a, "count": count,
                             "rules": sorted(rules)})
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
    people = as_population(population)
    return Comparison(evaluate(people, before, questions), evaluate(people, after, questions))
