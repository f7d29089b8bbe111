"""A population under two policies or many: :func:`compare`, :func:`compare_many`,
:func:`sweep`.

The population is read and grouped once; each policy costs only its distinct combinations
of facts (decided once each, through the policy's answer cache), and the tables are counted
from the groups' sizes, never by a pass over the organizations.

>>> import qpp_rules as qr
>>> from qpp_rules.analysis import example_population, sweep
>>> curve = sweep(example_population(), qr.policy_for(2019),
...               "registration.web_interface_min_clinicians", [10, 25, 50])
>>> [round(s, 2) for s in curve.shares("web_interface")]
[0.7, 0.44, 0.28]
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from qpp_rules.errors import InvalidInput, QppRulesError, shown
from qpp_rules.kernel import fields
from qpp_rules.policy.model import PolicyYear, _check_fields

from .classes import Classified
from .evaluate import Evaluation, _name, as_population, check_questions, decide
from .questions import Question

__all__ = ["Comparison", "PolicyTable", "compare", "compare_many", "sweep"]

# what a count reads of an answer before and after: its value and rule IDs, each side
_Pair = tuple[str, tuple[str, ...], str, tuple[str, ...]]


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
    _counted: dict[str, Counter[_Pair]] = attrs.field(factory=dict, init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        _check_fields(self)

    def _pairs(self, question: str) -> Counter[_Pair]:
        # organizations per what the answers say before and after (value and rule IDs),
        # counted once per question over the groups (or each organization's pair of keys)
        _name(question, "question")
        cached = self._counted.get(question)
        if cached is not None:
            return cached
        before, after = self.before.answers(question), self.after.answers(question)
        counted: Iterable[tuple[Any, Any, int]]
        groups = self.before.groups(question)
        if groups is self.after.groups(question):  # one population, grouped once
            counts = groups.counts()
            counted = zip(counts, counts, counts.values(), strict=True)
        else:
            pairs = Counter(zip(self.before.keys(question), self.after.keys(question),
                                strict=True))
            counted = ((b, a, count) for (b, a), count in pairs.items())
        tally: dict[_Pair, int] = {}
        get = tally.get
        for key_before, key_after, count in counted:
            b, a = before[key_before], after[key_after]
            said = (b.value, b.rule_ids, a.value, a.rule_ids)
            tally[said] = get(said, 0) + count
        result = self._counted[question] = Counter(tally)
        return result

    def changes(self, question: str) -> Counter[tuple[str, str]]:
        """Counts of (answer before, answer after) over organizations whose answer changed."""
        result: Counter[tuple[str, str]] = Counter()
        for (b, _, a, _), count in self._pairs(question).items():
            if b != a:
                result[b, a] += count
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
        for (b, rules_b, a, rules_a), count in self._pairs(question).items():
            if b == a:
                continue
            if direction is not None and (b, a) != direction:
                continue
            for rule in rules_a if after else rules_b:
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

    def to_dataframe(self, include_input: bool = False) -> Any:
        """One row per organization (pandas): ``org_id`` (with ``include_input``, every
        column of the input, the caller's own included) and, per question, the answer
        ``before`` and ``after``, whether it ``changed``, and the rules that decided each
        side (``rules_before``, ``rules_after``: lists).

        >>> import qpp_rules as qr
        >>> rows = [{"org_id": "A", "kind": "Practice", "clinicians": 12}]
        >>> lower = qr.reform(qr.policy_for(2019),
        ...                   {"registration.web_interface_min_clinicians": 10}, label="WI10")
        >>> frame = compare(rows, qr.policy_for(2019), lower).to_dataframe()
        >>> row = frame.iloc[0]
        >>> before, after = row["web_interface_before"], row["web_interface_after"]
        >>> before, after, bool(row["web_interface_changed"])
        ('no', 'yes', True)
        >>> list(compare(rows, qr.policy_for(2019), lower).to_dataframe(True).columns)[:3]
        ['org_id', 'kind', 'clinicians']
        """
        from .outputs import pandas_table

        if not isinstance(include_input, bool):
            raise InvalidInput("include_input", f"True or False; got {shown(include_input)}")
        columns: dict[str, Any] = {}
        for question in self.before.questions:
            columns.update(self._sides(question))
        return pandas_table(self.before, include_input, columns)

    def _sides(self, question: str) -> dict[str, list[Any]]:
        sides: dict[str, list[Any]] = {}
        for side, table in (("before", self.before), ("after", self.after)):
            answers = table.answers(question)
            keys = table.keys(question)
            values = {k: a.value for k, a in answers.items()}
            rules = {k: list(a.rule_ids) for k, a in answers.items()}
            sides[f"{question}_{side}"] = list(map(values.__getitem__, keys))
            sides[f"{question}_rules_{side}"] = list(map(rules.__getitem__, keys))
        sides[f"{question}_changed"] = [
            b != a for b, a in zip(sides[f"{question}_before"], sides[f"{question}_after"],
                                   strict=True)
        ]
        order = ("before", "after", "changed", "rules_before", "rules_after")
        return {f"{question}_{name}": sides[f"{question}_{name}"] for name in order}

    def changed(self, question: str) -> Any:
        """Only the organizations whose answer to ``question`` changed (pandas): ``org_id``,
        ``before``, ``after``, ``rules_before``, ``rules_after``.

        >>> import qpp_rules as qr
        >>> from qpp_rules.analysis import example_population
        >>> moved = compare(example_population(), qr.policy_for(2019),
        ...                 qr.policy_for(2021)).changed("web_interface")
        >>> sorted(set(zip(moved["before"], moved["after"])))
        [('no', 'yes')]
        """
        from .outputs import _module

        pandas = _module("pandas")
        self.before.answers(question)  # names a question that is not there
        sides = self._sides(question)
        keep = sides[f"{question}_changed"]
        ids = self.before.population.ids()
        columns = {"org_id": [v for v, k in zip(ids, keep, strict=True) if k]}
        for name in ("before", "after", "rules_before", "rules_after"):
            columns[name] = [v for v, k in zip(sides[f"{question}_{name}"], keep, strict=True)
                             if k]
        return pandas.DataFrame(columns)

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
            questions: Sequence[Question] | None = None) -> Comparison:
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
    asked = check_questions(questions)
    people = as_population(population)
    people.check_ids()
    return Comparison(decide(people, before, asked), decide(people, after, asked))


@attrs.frozen(eq=False)
class PolicyTable:
    """Counts of answers per policy and question over one population: one row per policy
    (``label``, the swept ``value``), question and answer, with its ``count`` and ``share``.
    ``asked`` holds the questions themselves (what answers each gives, and which says
    allowed: ``yes``, or ``opt_in_eligible`` for ``opt_in_status``).

    >>> import qpp_rules as qr
    >>> from qpp_rules.analysis import compare_many, example_population
    >>> table = compare_many(example_population(), [qr.policy_for(2019), qr.policy_for(2021)])
    >>> table.labels, table.rows()[0]["question"]
    (('PY2019', 'PY2021'), 'web_interface')
    """

    labels: tuple[str, ...] = attrs.field(converter=fields.tuple_of(str))  # type: ignore[misc]
    values: tuple[Any, ...] = attrs.field(converter=fields.tuple_of(object))  # type: ignore[misc]
    questions: tuple[str, ...] = attrs.field(
        converter=fields.tuple_of(str)  # type: ignore[misc]
    )
    total: int = attrs.field(validator=fields.whole(minimum=0))
    counts: tuple[dict[str, Counter[str]], ...] = attrs.field(
        converter=fields.tuple_of(dict)  # type: ignore[misc]
    )
    path: str | None = attrs.field(default=None, validator=fields.text(optional=True))
    asked: tuple[Question, ...] = attrs.field(
        default=(), converter=fields.tuple_of(Question), repr=False  # type: ignore[misc]
    )

    def __attrs_post_init__(self) -> None:
        if not len(self.labels) == len(self.values) == len(self.counts):
            raise InvalidInput(
                "policy_table", "one label, value and counts per policy (the lengths differ)"
            )

    def rows(self) -> list[dict[str, Any]]:
        """One dict per policy, question and answer."""
        rows: list[dict[str, Any]] = []
        for label, value, counts in zip(self.labels, self.values, self.counts, strict=True):
            for question in self.questions:
                for answer, count in sorted(counts[question].items()):
                    rows.append({"policy": label, "value": value, "question": question,
                                 "answer": answer, "count": count,
                                 "share": count / self.total if self.total else 0.0})
        return rows

    def _question(self, question: object, field: str) -> str:
        _name(question, field)
        assert isinstance(question, str)
        if question not in self.questions:
            raise InvalidInput(field, f"no question {shown(question, 60)} in this table; its "
                               f"questions: {', '.join(self.questions) or 'none'}")
        return question

    def answers(self, question: str) -> tuple[str, ...]:
        """The answers ``question`` gives (as the question declares them), then any other
        answer a policy of the table gave it.

        >>> import qpp_rules as qr
        >>> from qpp_rules.analysis import compare_many, example_population
        >>> compare_many(example_population(), [qr.policy_for(2021)]).answers("opt_in_status")
        ('exempt', 'opt_in_eligible', 'mips_eligible', 'unknown')
        """
        self._question(question, "question")
        declared = next((q.answers for q in self.asked if q.name == question), ())
        seen = sorted({answer for counts in self.counts for answer in counts[question]})
        return (*declared, *(answer for answer in seen if answer not in declared))

    def _answer(self, question: str, answer: object) -> str:
        """``answer`` to ``question`` as checked (one it gives); None: the one that says
        allowed (the question's own, else ``yes`` where it answers yes)."""
        known = self.answers(question)
        if answer is None:
            allowed = next((q.allowed for q in self.asked if q.name == question), None)
            if allowed is None and "yes" in known:
                allowed = "yes"
            if allowed is None:
                raise InvalidInput("answer", f"{question} has no answer that says allowed: name "
                                   f"one of {', '.join(known) or 'none'}")
            return allowed
        if not isinstance(answer, str) or answer not in known:
            raise InvalidInput("answer", f"{question} never answers {shown(answer, 60)} here; "
                               f"its answers: {', '.join(known) or 'none'}")
        return answer

    def count(self, question: str, answer: str | None = None) -> list[int]:
        """How many organizations got ``answer`` to ``question``, per policy; ``answer``
        defaults to the one that says allowed (``yes``; ``opt_in_eligible`` for
        ``opt_in_status``). An answer the question never gives is refused (``InvalidInput``
        naming ``answer`` and listing its answers).

        >>> import qpp_rules as qr
        >>> from qpp_rules.analysis import compare_many, example_population
        >>> table = compare_many(example_population(), [qr.policy_for(2021)])
        >>> table.count("opt_in_status") == table.count("opt_in_status", "opt_in_eligible")
        True
        """
        question = self._question(question, "question")
        chosen = self._answer(question, answer)
        return [counts[question][chosen] for counts in self.counts]

    def shares(self, question: str, answer: str | None = None) -> list[float]:
        """The share of organizations that got ``answer`` to ``question``, per policy (the
        answer as :meth:`count` reads it)."""
        return [n / self.total if self.total else 0.0 for n in self.count(question, answer)]

    def to_dataframe(self) -> Any:
        """:meth:`rows` as a pandas DataFrame."""
        from .outputs import _module

        return _module("pandas").DataFrame(self.rows())

    def to_polars(self) -> Any:
        """:meth:`rows` as a polars DataFrame."""
        from .outputs import _module

        return _module("polars").DataFrame(self.rows(), strict=False)

    def to_json(self) -> str:
        """:meth:`rows` as JSON."""
        return json.dumps(self.rows(), indent=1, default=str)

    def _plotted(self, questions: str | Sequence[str] | None,
                 answer: str | None) -> list[tuple[str, str]]:
        """Each question to draw and the answer drawn for it, checked."""
        if questions is None:
            named: list[str] = [q for q in ("web_interface", "cahps") if q in self.questions]
            if not named:  # every question of the table with an answer that says allowed
                named = [q for q in self.questions if answer is not None or
                         next((a.allowed for a in self.asked if a.name == q), None) or
                         "yes" in self.answers(q)]
            if not named:
                raise InvalidInput("questions", "none of this table's questions "
                                   f"({', '.join(self.questions) or 'none'}) has an answer "
                                   "that says allowed: name a question and its answer")
            chosen = [self._question(q, "questions") for q in named]
        elif isinstance(questions, str):  # one question named
            chosen = [self._question(questions, "questions")]
        elif isinstance(questions, bytes) or not isinstance(questions, Iterable):
            raise InvalidInput("questions", f"a question's name or a sequence of them; got "
                               f"{type(questions).__name__}")
        else:
            chosen = [self._question(q, f"questions[{i}]") for i, q in enumerate(questions)]
            if not chosen:
                raise InvalidInput("questions", "at least one question to draw; got none")
        return [(q, self._answer(q, answer)) for q in chosen]

    def plot(self, questions: str | Sequence[str] | None = None,
             answer: str | None = None) -> Any:
        """The share of organizations allowed against the swept value (or the policy), one
        line per question (the ``plot`` extra: matplotlib); returns the figure.

        ``questions`` is one question's name or several (default ``web_interface`` and
        ``cahps`` where the table has them, else every question of the table with an
        answer that says allowed). ``answer`` is the answer drawn (default each question's
        allowed answer: ``yes``; ``opt_in_eligible`` for ``opt_in_status``). A question not
        in the table, or an answer it never gives, is refused (``InvalidInput`` naming
        ``questions`` or ``answer`` and listing what the table has).

        >>> import qpp_rules as qr
        >>> from qpp_rules.analysis import example_population, sweep
        >>> curve = sweep(example_population(), qr.policy_for(2021),
        ...               "election.low_volume.patients", [100, 200])
        >>> curve.plot("opt_in_status", answer="maybe")
        Traceback (most recent call last):
          ...
        qpp_rules.errors.InvalidInput: answer: opt_in_status never answers 'maybe' here; \
its answers: exempt, opt_in_eligible, mips_eligible, unknown
        """
        drawn = self._plotted(questions, answer)
        try:
            from matplotlib.figure import Figure
        except ImportError:  # pragma: no cover - depends on the environment
            raise QppRulesError("plot needs matplotlib: pip install 'qpp-rules[plot]'") from None
        figure = Figure(figsize=(8, 4))
        axis = figure.subplots()
        numeric = all(isinstance(v, int | float) and not isinstance(v, bool)
                      for v in self.values)
        xs = list(self.values) if numeric else list(range(len(self.values)))
        for question, said in drawn:
            axis.plot(xs, [100 * s for s in self.shares(question, said)], marker=".",
                      label=f"{question}: {said}")
        if not numeric:
            axis.set_xticks(xs, [str(v) for v in self.values], rotation=30)
        axis.set_xlabel(self.path or "policy")
        axis.set_ylabel(f"% of {self.total:,} organizations")
        axis.legend()
        figure.tight_layout()
        return figure


def _table(population: Any, policies: Sequence[PolicyYear], values: Sequence[Any],
           questions: Sequence[Question] | None, path: str | None,
           base: PolicyYear | None = None) -> PolicyTable:
    asked = check_questions(questions)
    people = as_population(population)
    people.check_ids()
    groups = {q.name: people.groups(q.columns) for q in asked}  # grouped once
    sizes = {name: found.counts() for name, found in groups.items()}
    ready = {q.name: Classified.of(q, groups[q.name]) for q in asked
             if q.classes is not None}
    counts: list[dict[str, Counter[str]]] = []
    # a sweep of a path a question's answers cannot depend on: counted once for all values
    fixed = {q.name for q in asked if path is not None and q.classes is not None
             and not q.classes.depends_on(path)}
    for policy in policies:
        per: dict[str, Counter[str]] = {}
        for question in asked:
            if question.name in fixed and counts:
                per[question.name] = counts[0][question.name]
            elif question.name in ready:
                per[question.name] = ready[question.name].counts(policy, path, base)
            else:
                counter: Counter[str] = Counter()
                answered = question.answer_all(groups[question.name].facts, policy)
                for key, answer in answered.items():
                    counter[answer.value] += sizes[question.name][key]
                per[question.name] = counter
        counts.append(per)
    total = sum(next(iter(sizes.values())).values()) if sizes else len(people)
    return PolicyTable(tuple(p.label for p in policies), tuple(values),
                       tuple(q.name for q in asked), total, tuple(counts), path, tuple(asked))


def compare_many(population: Any, policies: Iterable[PolicyYear],
                 questions: Sequence[Question] | None = None) -> PolicyTable:
    """Many policies (years, reforms) over one population, read and grouped once: a
    :class:`PolicyTable` of counts per policy, question and answer.

    >>> import qpp_rules as qr
    >>> from qpp_rules.analysis import example_population
    >>> table = compare_many(example_population(), [qr.policy_for(y) for y in (2018, 2021)])
    >>> [n > 0 for n in table.count("web_interface")]
    [True, True]
    """
    if isinstance(policies, PolicyYear):
        raise InvalidInput("policies", "an iterable of PolicyYear; got one PolicyYear")
    chosen = list(fields.sequence_of(policies, PolicyYear, "policies"))
    if not chosen:
        raise InvalidInput("policies", "at least one PolicyYear to compare; got none")
    return _table(population, chosen, [p.label for p in chosen], questions, None)


def sweep(population: Any, policy: PolicyYear, path: str, values: Iterable[Any],
          questions: Sequence[Question] | None = None) -> PolicyTable:
    """``policy`` reformed at ``path`` to each of ``values`` (``qr.reform``), over one
    population read and grouped once: a :class:`PolicyTable` of counts per value, question
    and answer; ``.plot()`` draws the share allowed against the value.

    >>> import qpp_rules as qr
    >>> from qpp_rules.analysis import example_population
    >>> curve = sweep(example_population(), qr.policy_for(2019),
    ...               "registration.web_interface_min_clinicians", range(2, 101))
    >>> len(curve.values), curve.count("web_interface")[0] >= curve.count("web_interface")[-1]
    (99, True)
    """
    from qpp_rules.policy.loading import reform
    from qpp_rules.policy.unknown import refuse_below_unknown

    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    _name(path, "path")
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidInput("values", "an iterable of values for the path")
    chosen = list(values)
    if not chosen:
        raise InvalidInput("values", f"at least one value for {path} to sweep; got none")
    refuse_below_unknown(policy, path, "path")  # a table the year does not know (POL-UNK-1)
    reforms: list[PolicyYear] = []
    for index, value in enumerate(chosen):
        label = f"{policy.label} {path}={shown(value, 60)}"
        try:
            reforms.append(reform(policy, {path: value}, label=label))
        except InvalidInput as error:  # the value, named by its position (as qr.reform says)
            if error.field != path:
                raise
            raise InvalidInput(f"values[{index}]", f"{path}: {error.message}") from None
    return _table(population, reforms, chosen, questions, path, policy)
