"""Why a population's answers change between two policies: per question, how many
organizations change answer (and their share), in which direction, the rules that decided
each change (with their titles), the policy values behind it, and breakdowns by columns.

A rule counts for an organization whose answer changed only where it decided the change:
the reasons of the refused side (a ``no`` lists exactly what refused it, while a ``yes`` lists
every check it passed), and where neither side is a refusal, the reasons that differ between
the two sides (or, where both sides give the same reasons, those reasons); of these, only the
rules a changed policy value cites, where any of them is.

>>> import qpp_rules as qr
>>> from qpp_rules.analysis import Answer
>>> sorted(deciding_rules(Answer("no", ("WHO",)), Answer("yes", ("WHO", "SIZE"))))
['WHO']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

import qpp_rules as qr
from qpp_rules.errors import InvalidInput

from .base import near, scrub
from .policyvalues import PolicyChange

if TYPE_CHECKING:
    from qpp_rules.analysis import Answer, Evaluation, Population

__all__ = [
    "REFUSED",
    "Change",
    "QuestionWhy",
    "RuleShare",
    "Why",
    "by_columns",
    "deciding_rules",
    "explain_changes",
    "rule_title",
]

REFUSED = "no"
"""The answer of a refusal (``analysis`` answers ``yes`` or ``no`` to a may-register
question)."""


def deciding_rules(before: Answer, after: Answer,
                   changed: frozenset[str] = frozenset()) -> frozenset[str]:
    """The rules that decided a change of answer from ``before`` to ``after``: the refused
    side's reasons, or where neither side is a refusal a rule both cite whose policy value
    changed, else the reasons that differ (the same reasons on both sides: those); of these,
    only the ones a changed policy value cites (``changed``, the rule IDs the differing
    values' citations name) where any is.

    >>> from qpp_rules.analysis import Answer
    >>> none = Answer("none", ("CARRY", "NEVER"))
    >>> held = Answer("cahps", ("CARRY", "ACO"))
    >>> sorted(deciding_rules(none, held)), sorted(deciding_rules(none, held, {"ACO"}))
    (['ACO', 'NEVER'], ['ACO'])
    >>> sorted(deciding_rules(Answer("none", ("CARRY", "ACO")), held, {"ACO", "NEVER"}))
    ['ACO']
    """
    if before.value == REFUSED:
        candidates = frozenset(before.rule_ids)
    elif after.value == REFUSED:
        candidates = frozenset(after.rule_ids)
    else:
        # A rule both sides cite whose policy value changed decided it (the same rule,
        # answering differently); else the rules that differ.
        both = frozenset(before.rule_ids) & frozenset(after.rule_ids)
        if both & changed:
            return both & changed
        candidates = frozenset(set(before.rule_ids) ^ set(after.rule_ids) or before.rule_ids)
    return (candidates & changed) or candidates


def rule_title(rule_id: str) -> str:
    """The catalogue's title of ``rule_id`` ("" for a rule it does not hold).

    >>> from qpp_rules.kernel.citations import catalogue
    >>> some = next(iter(catalogue()))
    >>> rule_title(some) == catalogue()[some].title, rule_title("NO-SUCH-RULE")
    (True, '')
    """
    from qpp_rules.kernel.citations import rule
    try:
        return rule(rule_id).title
    except InvalidInput:
        return ""


@attrs.frozen
class RuleShare:
    """A rule, its title, and the organizations whose change it decided (and their share)."""

    rule_id: str
    title: str
    organizations: int
    share: float


@attrs.frozen
class Change:
    """One direction of change (``before`` -> ``after``) within a group of organizations
    (``group``: the values of the ``--by`` columns, empty for the whole population) of
    ``of`` organizations."""

    group: tuple[str, ...]
    before: str
    after: str
    organizations: int
    of: int
    rules: tuple[RuleShare, ...]

    @property
    def share(self) -> float:
        """The changed organizations' share of the group."""
        return self.organizations / self.of if self.of else 0.0


@attrs.frozen
class QuestionWhy:
    """One question: how many changed, each direction (over the population and per group),
    the deciding rules, and the policy values behind them."""

    question: str
    changed: int
    of: int
    directions: tuple[Change, ...]
    rules: tuple[RuleShare, ...]
    policy_values: tuple[PolicyChange, ...]
    groups: tuple[Change, ...]

    @property
    def share(self) -> float:
        """The changed organizations' share of the population."""
        return self.changed / self.of if self.of else 0.0


@attrs.frozen
class Why:
    """The whole explanation of a diff."""

    before: str
    after: str
    organizations: int
    by: tuple[str, ...]
    questions: tuple[QuestionWhy, ...]
    policy_changes: tuple[PolicyChange, ...]

    def to_json(self) -> dict[str, Any]:
        """As JSON data."""
        from .years import change_json

        def shares(rules: Sequence[RuleShare]) -> dict[str, Any]:
            return {r.rule_id: {"title": r.title, "organizations": r.organizations,
                                "share": round(r.share, 6)} for r in rules}

        def change(item: Change) -> dict[str, Any]:
            data: dict[str, Any] = {"before": item.before, "after": item.after,
                                    "organizations": item.organizations, "of": item.of,
                                    "share": round(item.share, 6), "rules": shares(item.rules)}
            if item.group:
                data["group"] = dict(zip(self.by, item.group, strict=True))
            return data

        return {
            "from": self.before,
            "to": self.after,
            "organizations": self.organizations,
            "by": list(self.by),
            "policy_changes": [change_json(c) for c in self.policy_changes],
            "questions": {
                q.question: {
                    "changed": q.changed,
                    "share": round(q.share, 6),
                    "directions": {f"{d.before} -> {d.after}": d.organizations
                                   for d in q.directions},
                    "changes": [change(d) for d in q.directions],
                    "rules": shares(q.rules),
                    "policy_values": [c.path for c in q.policy_values],
                    "groups": [change(g) for g in q.groups],
                }
                for q in self.questions
            },
        }


BY_DERIVED = ("size",)
"""Columns ``--by`` takes besides the population's own: ``size`` (the size band of the
clinician count)."""


def by_columns(text: str | None) -> tuple[str, ...]:
    """``--by kind,size``: the columns to break the changes down by; an unknown column is
    refused with the nearest names.

    >>> by_columns("kind, size")
    ('kind', 'size')
    """
    from qpp_rules.analysis import COLUMNS
    if not text:
        return ()
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    known = (*COLUMNS, *BY_DERIVED)
    for name in names:
        if name not in known or name == "org_id":
            raise InvalidInput("--by", f"no column {name!r}{near(name, known)}; columns: "
                               f"{', '.join(c for c in known if c != 'org_id')}")
    if len(set(names)) != len(names):
        raise InvalidInput("--by", f"a column is named twice: {text!r}")
    return names


def _cell(value: Any) -> str:
    if value is None:
        return "(blank)"
    return scrub(str(getattr(value, "value", value)))  # a report: free text masked


def _size(clinicians: Any) -> str:
    if not isinstance(clinicians, int) or clinicians < 2:
        return "(fewer than 2)"
    return qr.SizeBand.from_clinicians(clinicians).value


def _group_columns(population: Population, by: Sequence[str]) -> list[tuple[str, ...]]:
    columns = []
    for name in by:
        if name == "size":
            columns.append([_size(c) for c in population.column("clinicians")])
        else:
            columns.append([_cell(v) for v in population.column(name)])
    if not columns:
        return [()] * len(population)
    return list(zip(*columns, strict=True))


def _shares(counter: Counter[str], of: int) -> tuple[RuleShare, ...]:
    return tuple(
        RuleShare(rule_id, rule_title(rule_id), count, count / of if of else 0.0)
        for rule_id, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    )


def _question(question: str, first: Evaluation, second: Evaluation,
              groups: list[tuple[str, ...]], sizes: Counter[tuple[str, ...]],
              changes: Sequence[PolicyChange], total: int, grouping: bool) -> QuestionWhy:
    before, after = first.answers(question), second.answers(question)
    counted = Counter(zip(first.keys(question), second.keys(question), groups, strict=True))
    directions: Counter[tuple[str, str]] = Counter()
    by_direction: dict[tuple[str, str], Counter[str]] = {}
    grouped: Counter[tuple[tuple[str, ...], str, str]] = Counter()
    by_group: dict[tuple[tuple[str, ...], str, str], Counter[str]] = {}
    rules: Counter[str] = Counter()
    cited = frozenset(rule_id for change in changes for rule_id in change.rules)
    for (b, a, group), count in counted.items():
        old, new = before[b], after[a]
        if old.value == new.value:
            continue
        way = (old.value, new.value)
        deciding = deciding_rules(old, new, cited)
        directions[way] += count
        grouped[(group, *way)] += count
        for rule_id in deciding:
            rules[rule_id] += count
            by_direction.setdefault(way, Counter())[rule_id] += count
            by_group.setdefault((group, *way), Counter())[rule_id] += count
    changed = sum(directions.values())
    behind = tuple(change for change in changes if change.rules & set(rules))
    return QuestionWhy(
        question, changed, total,
        tuple(Change((), b, a, n, total, _shares(by_direction.get((b, a), Counter()), total))
              for (b, a), n in sorted(directions.items())),
        _shares(rules, total),
        behind,
        tuple(Change(g, b, a, n, sizes[g],
                     _shares(by_group.get((g, b, a), Counter()), sizes[g]))
              for (g, b, a), n in sorted(grouped.items())) if grouping else (),
    )


def explain_changes(population: Population, first: Evaluation, second: Evaluation,
                    changes: Sequence[PolicyChange], by: Sequence[str] = ()) -> Why:
    """Why the answers of ``population`` change from ``first`` to ``second`` (the same
    population evaluated under two policies), given the policy values that differ."""
    groups = _group_columns(population, by)
    sizes = Counter(groups)
    total = len(first)
    return Why(
        first.policy_label, second.policy_label, total, tuple(by),
        tuple(_question(q, first, second, groups, sizes, changes, total, bool(by))
              for q in first.questions),
        tuple(changes),
    )
