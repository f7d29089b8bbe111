"""Counting many policies cheaply: a question's facts fall into a few classes under a policy.

A rule compares its numeric facts with the policy's thresholds (25 clinicians, $90,000) and
reads its other facts as they are. Two combinations of facts that agree on the other facts
(``static``) and on every comparison of a number with its thresholds (below, equal, above)
get the same answer value and rule IDs. A count table (``sweep``, ``compare_many``) decides
one representative per class instead of every distinct combination, and, across a sweep of
one of the thresholds' own paths, one representative per class for the whole sweep. Every
decision is still the scalar rule's own; the tests check class answers against decisions of
every combination.

>>> from qpp_rules.analysis import QUESTIONS
>>> QUESTIONS[0].classes.paths
('registration.web_interface_min_clinicians', 'registration.cahps_min_clinicians')
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

import attrs

from qpp_rules.policy.model import PolicyYear

if TYPE_CHECKING:
    from .groups import Groups
    from .questions import Answer, Question

__all__ = ["Classes", "Classified"]

_SWEPT = object()  # marks a class answer shared across a sweep of one threshold path


@attrs.frozen(cache_hash=True)
class Classes:
    """The classes of a question's facts: ``static(facts)`` (what is read as it is),
    ``numbers`` (positions of the facts compared with thresholds), ``bounds(policy)`` (for
    each of those positions, the policy's thresholds), ``paths`` (the policy paths those
    thresholds come from: a sweep of one of them shares class answers across its values) and
    ``reads`` (the sections of the policy the answer's value and rule IDs can depend on: a
    sweep of a path outside them counts once for all its values).

    >>> path = "registration.web_interface_min_clinicians"
    >>> c = Classes(lambda f: (), (0,), lambda p: ((25,),), (path,))
    >>> c.numbers
    (0,)
    """

    static: Callable[[tuple[Any, ...]], Hashable]
    numbers: tuple[int, ...]
    bounds: Callable[[PolicyYear], tuple[tuple[Any, ...], ...]]
    paths: tuple[str, ...] = ()
    reads: tuple[str, ...] | None = None

    def depends_on(self, path: str) -> bool:
        """Whether the answers may change with the policy value at ``path``.

        >>> from qpp_rules.analysis import QUESTIONS
        >>> QUESTIONS[3].classes.depends_on("registration.web_interface_min_clinicians")
        False
        """
        if self.reads is None:
            return True
        return any(path == r or path.startswith(r + ".") for r in self.reads)


class Classified:
    """One question's distinct combinations, prepared once for counting under many
    policies: each combination's static class and the rank of each of its numbers (shared by
    the questions of the same :class:`Classes` over the same groups:
    :meth:`Classified.of`).

    >>> import qpp_rules as qr
    >>> from qpp_rules.analysis import QUESTIONS, example_population
    >>> question = QUESTIONS[0]
    >>> ready = Classified(question, example_population().groups(question.columns))
    >>> ready.counts(qr.policy_for(2019))["yes"] > 0
    True
    """

    def __init__(self, question: Question, groups: Groups) -> None:
        classes = question.classes
        assert classes is not None
        self.question = question
        self.classes = classes
        found = groups.derived.get(classes)
        if not isinstance(found, _Prepared):
            found = groups.derived[classes] = _Prepared(classes, groups)
        self.prepared: _Prepared = found
        self.facts = found.facts
        # the answer value of each class, per answer cache and swept path (a few kept)
        self._values: dict[tuple[int, str | None, int], tuple[Any, _Known]] = {}

    @classmethod
    def of(cls, question: Question, groups: Groups) -> Classified:
        """The question's classes over ``groups``, prepared once per groups.

        >>> from qpp_rules.analysis import QUESTIONS, example_population
        >>> groups = example_population().groups(QUESTIONS[0].columns)
        >>> Classified.of(QUESTIONS[0], groups) is Classified.of(QUESTIONS[0], groups)
        True
        """
        found = groups.derived.get(question)
        if not isinstance(found, Classified):
            found = groups.derived[question] = cls(question, groups)
        return found

    def counts(self, policy: PolicyYear, swept: str | None = None,
               base: PolicyYear | None = None) -> Counter[str]:
        """How many organizations get each answer under ``policy``: one decision per class
        (through ``policy.answers``; through ``base.answers`` for a ``swept`` threshold
        path, shared by the whole sweep)."""
        prepared = self.prepared
        cuts = prepared.cuts(policy)
        codes = prepared.codes(cuts)
        shared = swept is not None and base is not None and swept in self.classes.paths
        cache = base.answers if shared and base is not None else policy.answers
        digits = len(cuts)
        known = self._known(cache, swept if shared else None, digits)

        def value(code: int) -> str:  # the class's answer, decided by its first combination
            facts = self.facts[prepared.first(codes, code)]
            # the class as a value: the static facts and each comparison (the code's digits)
            key = (self.question, _SWEPT, swept if shared else None,
                   prepared.static_values[code >> 2 * digits], code & (4 ** digits - 1), digits)
            answer: Answer = cache.answer(key, _deciding(self.question, facts, policy))
            return answer.value

        return known.count(codes, prepared, value)

    def _known(self, cache: Any, swept: str | None, digits: int) -> _Known:
        key = (id(cache), swept, digits)
        found = self._values.get(key)
        if found is not None and found[0] is cache:
            return found[1]
        if len(self._values) >= _KEPT:
            del self._values[next(iter(self._values))]
        known = _Known(self.prepared.statics * 4 ** digits, self.prepared.np)
        self._values[key] = (cache, known)  # the cache held: its id names no other
        return known


_DENSE = 1 << 16  # the most class codes kept in one array of answers
_KEPT = 16  # answer tables (policies) and code arrays (cuts) kept per prepared groups


class _Known:
    """The answer values found so far per class code (under one answer cache): an array from
    code to the value's index, for counting by numpy where the codes are few."""

    def __init__(self, space: int, np: Any) -> None:
        self.values: list[str] = []
        self.index: dict[str, int] = {}
        self.np = np if space <= _DENSE else None
        self.lookup: Any = None if self.np is None else np.full(space, -1, dtype=np.int64)
        self.by_code: dict[int, str] = {}

    def count(self, codes: Any, prepared: _Prepared,
              value: Callable[[int], str]) -> Counter[str]:
        """Organizations per answer: each combination's class code (``codes``) read in the
        table, a class not yet known decided by ``value(code)``."""
        np = self.np
        result: Counter[str] = Counter()
        if np is None or isinstance(codes, list):
            per_class: dict[int, int] = {}
            plain = codes if isinstance(codes, list) else codes.tolist()
            for code, size in zip(plain, prepared.sizes, strict=True):
                per_class[code] = per_class.get(code, 0) + size
            for code, size in per_class.items():
                found = self.by_code.get(code)
                if found is None:
                    found = self.by_code[code] = value(code)
                result[found] += size
            return result
        index = self.lookup[codes]
        unknown = index < 0
        if unknown.any():
            for code in np.unique(codes[unknown]).tolist():
                found = value(code)
                self.lookup[code] = self.index.setdefault(found, len(self.values))
                if len(self.values) < len(self.index):
                    self.values.append(found)
            index = self.lookup[codes]
        per_value = np.bincount(index, weights=prepared.np_sizes, minlength=len(self.values))
        for found, size in zip(self.values, per_value.tolist(), strict=True):
            if size:
                result[found] = int(size)
        return result


class _Prepared:
    """What :class:`Classified` needs of the groups, whatever the question of these
    classes: each combination's static class and ranks, and its class code per cuts."""

    def __init__(self, classes: Classes, groups: Groups) -> None:
        self.classes = classes
        sizes = groups.counts()
        self.facts = list(groups.facts.values())
        self.sizes = [sizes[key] for key in groups.facts]
        statics: dict[Hashable, int] = {}
        self.static = [statics.setdefault(classes.static(f), len(statics)) for f in self.facts]
        self.statics = len(statics)
        self.static_values = list(statics)
        self.sorted: list[list[Any]] = []
        self.ranks: list[list[int]] = []
        for position in classes.numbers:
            values = sorted({f[position] for f in self.facts if f[position] is not None})
            index = {value: rank for rank, value in enumerate(values)}
            self.sorted.append(values)
            self.ranks.append([-1 if f[position] is None else index[f[position]]
                               for f in self.facts])
        self._codes: dict[tuple[tuple[int, int, int], ...], Any] = {}
        self._digits: dict[tuple[int, int, int], Any] = {}
        try:  # vectorised where numpy is at hand (it comes with pandas and polars)
            import numpy
        except ImportError:  # pragma: no cover - depends on the environment
            self.np: Any = None
        else:
            self.np = numpy
            self.np_static = numpy.array(self.static, dtype=numpy.int64)
            # each rank + 1, so that a missing number (-1) reads entry 0 of a digit table
            self.np_ranks = [numpy.array(r, dtype=numpy.int64) + 1 for r in self.ranks]
            self.np_sizes = numpy.array(self.sizes, dtype=numpy.int64)

    def cuts(self, policy: PolicyYear) -> tuple[tuple[int, int, int], ...]:
        """Per number and threshold of ``policy``: the number's position, and the ranks where
        its values stop being below the threshold and stop being equal to it."""
        cuts: list[tuple[int, int, int]] = []
        for position, (values, bounds) in enumerate(zip(self.sorted,
                                                        self.classes.bounds(policy),
                                                        strict=True)):
            cuts += [(position, bisect.bisect_left(values, bound),
                      bisect.bisect_right(values, bound)) for bound in bounds
                     if bound is not None]
        return tuple(cuts)

    def codes(self, cuts: tuple[tuple[int, int, int], ...]) -> Any:
        """Each combination's class code under ``cuts``: the static class and, per number and
        threshold, below (0), equal (1), above (2) or missing (3), as base-4 digits. Kept per
        cuts (a few): many policies cut the numbers alike."""
        found = self._codes.get(cuts)
        if found is None:
            if len(self._codes) >= _KEPT:
                del self._codes[next(iter(self._codes))]
            found = self._codes[cuts] = self._classify(cuts)
        return found

    def first(self, codes: Any, code: int) -> int:
        """The first combination of the class ``code``."""
        if isinstance(codes, list):
            return codes.index(code)
        return int(self.np.argmax(codes == code))

    def _classify(self, cuts: tuple[tuple[int, int, int], ...]) -> Any:
        np = self.np
        if np is None or len(self.facts) * 4 ** len(cuts) * self.statics >= 2 ** 62:
            codes = list(self.static)
            for position, low, high in cuts:
                codes = [4 * code + (3 if rank < 0 else 0 if rank < low else 1 if rank < high
                                     else 2)
                         for code, rank in zip(codes, self.ranks[position], strict=True)]
            return codes
        array = self.np_static
        for cut in cuts:
            array = array * 4 + self._digit(cut)
        return array

    def _digit(self, cut: tuple[int, int, int]) -> Any:
        """Each combination's digit for one number and threshold (kept: a sweep of one
        threshold cuts by the others alike)."""
        found = self._digits.get(cut)
        if found is None:
            np = self.np
            position, low, high = cut
            digit = np.empty(len(self.sorted[position]) + 1, dtype=np.int64)
            digit[0], digit[1:low + 1], digit[low + 1:high + 1], digit[high + 1:] = 3, 0, 1, 2
            if len(self._digits) >= 4 * _KEPT:
                del self._digits[next(iter(self._digits))]
            found = self._digits[cut] = digit[self.np_ranks[position]]
        return found


def _deciding(question: Question, facts: tuple[Any, ...],
              policy: PolicyYear) -> Callable[[], Answer]:
    return lambda: question.answer(facts, policy)
