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
    policies: each combination's static class and the rank of each of its numbers.

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
        try:  # vectorised where numpy is at hand (it comes with pandas and polars)
            import numpy
        except ImportError:  # pragma: no cover - depends on the environment
            self.np: Any = None
        else:
            self.np = numpy
            self.np_static = numpy.array(self.static, dtype=numpy.int64)
            self.np_ranks = [numpy.array(r, dtype=numpy.int64) for r in self.ranks]
            self.np_sizes = numpy.array(self.sizes, dtype=numpy.int64)

    def _cuts(self, policy: PolicyYear) -> list[tuple[int, int, int]]:
        """Per number and threshold of ``policy``: the number's position, and the ranks where
        its values stop being below the threshold and stop being equal to it."""
        cuts = []
        for position, (values, bounds) in enumerate(zip(self.sorted,
                                                        self.classes.bounds(policy),
                                                        strict=True)):
            cuts += [(position, bisect.bisect_left(values, bound),
                      bisect.bisect_right(values, bound)) for bound in bounds
                     if bound is not None]
        return cuts

    def _classes(self, policy: PolicyYear) -> tuple[dict[int, int], dict[int, int]]:
        """Organizations per class, and each class's first combination. A class code is the
        static class and, per number and threshold, below (0), equal (1), above (2) or
        missing (3), as base-4 digits."""
        np = self.np
        cuts = self._cuts(policy)
        if np is None or len(self.facts) * 4 ** len(cuts) * self.statics >= 2 ** 62:
            codes = list(self.static)
            for position, low, high in cuts:
                codes = [4 * code + (3 if rank < 0 else 0 if rank < low else 1 if rank < high
                                     else 2)
                         for code, rank in zip(codes, self.ranks[position], strict=True)]
            per_class: dict[int, int] = {}
            first: dict[int, int] = {}
            for index, (code, size) in enumerate(zip(codes, self.sizes, strict=True)):
                if code in per_class:
                    per_class[code] += size
                else:
                    per_class[code], first[code] = size, index
            return per_class, first
        array = self.np_static
        for position, low, high in cuts:
            ranks = self.np_ranks[position]
            array = array * 4 + np.where(ranks < 0, 3, (ranks >= low).astype(np.int64)
                                         + (ranks >= high).astype(np.int64))
        unique, firsts, inverse = np.unique(array, return_index=True, return_inverse=True)
        sizes = np.bincount(inverse.ravel(), weights=self.np_sizes, minlength=len(unique))
        return (dict(zip(unique.tolist(), sizes.astype(np.int64).tolist(), strict=True)),
                dict(zip(unique.tolist(), firsts.tolist(), strict=True)))

    def counts(self, policy: PolicyYear, swept: str | None = None,
               base: PolicyYear | None = None) -> Counter[str]:
        """How many organizations get each answer under ``policy``: one decision per class
        (through ``policy.answers``; through ``base.answers`` for a ``swept`` threshold
        path, shared by the whole sweep)."""
        per_class, first = self._classes(policy)
        shared = swept is not None and base is not None and swept in self.classes.paths
        cache = base.answers if shared and base is not None else policy.answers
        digits = len(self._cuts(policy))
        result: Counter[str] = Counter()
        for code, size in per_class.items():
            facts = self.facts[first[code]]
            # the class as a value: the static facts, and each comparison (the code's digits)
            key = (self.question, _SWEPT, swept if shared else None,
                   self.static_values[code >> 2 * digits], code & (4 ** digits - 1), digits)
            answer: Answer = cache.answer(key, _deciding(self.question, facts, policy))
            result[answer.value] += size
        return result


def _deciding(question: Question, facts: tuple[Any, ...],
              policy: PolicyYear) -> Callable[[], Answer]:
    return lambda: question.answer(facts, policy)
