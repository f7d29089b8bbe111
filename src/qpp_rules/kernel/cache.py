"""The one answer cache: explained answers computed once per distinct question, then shared.

A rule's explained answer (a :class:`~qpp_rules.decisions.Decision` with its reasons, or a
value built from decisions) depends only on the few facts the rule reads and on the policy,
and answers are immutable, so an answer can be computed once and shared. Every rule that
caches goes through an :class:`AnswerCache`:

- **keyed by the rule's identity**: the key's first element is the rule's function object (or
  another object that is the rule: an analysis ``Question``), never a display name, so two
  rules cannot collide by naming themselves alike; the rest of the key is the facts the rule
  reads. The policy is the cache itself: each :class:`~qpp_rules.PolicyYear` owns one
  (``policy.answers``), and :data:`SHARED` holds the answers of rules that read no policy;
- **bounded**: at most ``limit`` answers; past that the oldest answer is dropped first, so a
  service that sees millions of distinct inputs keeps flat memory;
- **safe when the rule raises**: the answer is built first and stored only when it is whole
  (and, with ``kind=``, of the expected type), so nothing half-built is ever shared;
- **safe across threads**: reading is one dictionary look-up; storing takes a lock, and the
  first answer stored for a key is the one every caller gets.

>>> cache = AnswerCache(limit=2)
>>> def double(n: int) -> int:
...     return 2 * n
>>> cache.answer((double, 21), lambda: double(21))
42
>>> cache.get((double, 21))
42
>>> for n in range(5):
...     _ = cache.answer((double, n), lambda: double(n))
>>> len(cache)                      # bounded: the oldest answers were dropped
2
>>> import copy
>>> len(copy.deepcopy(cache)), copy.deepcopy(cache).limit   # a copy starts empty
(0, 2)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Container, Hashable
from typing import Any, TypeVar

from qpp_rules.errors import QppRulesError

__all__ = ["DEFAULT_LIMIT", "SHARED", "AnswerCache", "holds"]

T = TypeVar("T")


def holds(mapping: Container[Any], key: object) -> bool:
    """Whether ``key`` is in ``mapping``; an unhashable probe is in no mapping (False, not a
    TypeError): the membership test of every mapping-like value of the library.

    >>> holds({"a": 1}, "a"), holds({"a": 1}, ["a"])
    (True, False)
    """
    try:
        return key in mapping
    except TypeError:
        return False

#: How many answers one cache keeps by default. An explained answer takes about one to three
#: KiB, so a full cache stays within a few tens of MiB.
DEFAULT_LIMIT = 8192


class AnswerCache:
    """A bounded map from ``(rule, *facts)`` to the rule's immutable answer.

    >>> cache = AnswerCache()
    >>> def rule(x: int) -> str:
    ...     return "yes" if x > 1 else "no"
    >>> cache.answer((rule, 2), lambda: rule(2), kind=str)
    'yes'
    >>> cache.answer((rule, 3), lambda: 3, kind=str)
    Traceback (most recent call last):
      ...
    qpp_rules.errors.QppRulesError: the rule ... gave int, not str: nothing was cached
    >>> (rule, 3) in cache
    False
    """

    __slots__ = ("_answers", "_limit", "_lock", "get")

    get: Callable[[Hashable], Any | None]
    """The answer stored for a key, or None (the hot path: the dictionary's own ``get``,
    one C call)."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise QppRulesError(f"limit: a whole number of answers, at least 1; got {limit!r}")
        self._answers: dict[Hashable, Any] = {}
        self._limit = limit
        self._lock = threading.Lock()
        self.get = self._answers.get

    @property
    def limit(self) -> int:
        """The most answers this cache keeps."""
        return self._limit

    def put(self, key: Hashable, value: T) -> T:
        """Store a whole answer for ``key`` and return the one every caller shares: the first
        stored wins when two threads race. Drops the oldest answer when the cache is full."""
        answers = self._answers
        with self._lock:
            found = answers.get(key)
            if found is not None:
                return found  # type: ignore[no-any-return]
            while len(answers) >= self._limit:
                del answers[next(iter(answers))]
            answers[key] = value
        return value

    def answer(
        self, key: Hashable, build: Callable[[], T], *, kind: type | tuple[type, ...] | None = None
    ) -> T:
        """The answer for ``key``: the stored one, or ``build()`` stored and returned. When
        ``build`` raises nothing is stored; with ``kind``, an answer of another type raises
        :class:`~qpp_rules.QppRulesError` and is not stored either."""
        found = self._answers.get(key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        value = build()
        if kind is not None and not isinstance(value, kind):
            rule = key[0] if isinstance(key, tuple) and key else key
            name = getattr(rule, "__qualname__", None) or getattr(rule, "name", None) or "?"
            expected = (
                " or ".join(k.__name__ for k in kind)
                if isinstance(kind, tuple) else kind.__name__
            )
            raise QppRulesError(
                f"the rule {name} gave {type(value).__name__}, not {expected}: "
                "nothing was cached"
            )
        return self.put(key, value)

    def clear(self) -> None:
        """Drop every answer (they are rebuilt on the next question)."""
        with self._lock:
            self._answers.clear()

    def __len__(self) -> int:
        return len(self._answers)

    def __contains__(self, key: object) -> bool:
        return holds(self._answers, key)

    def __repr__(self) -> str:
        return f"<AnswerCache {len(self._answers)}/{self._limit} answers>"

    # A copy (or a pickle) of a value that holds a cache gets an empty cache of the same
    # limit: answers are rebuilt on demand, and a lock cannot be copied.
    def __copy__(self) -> AnswerCache:
        return AnswerCache(self._limit)

    def __deepcopy__(self, memo: dict[int, Any]) -> AnswerCache:
        return AnswerCache(self._limit)

    def __reduce__(self) -> tuple[type[AnswerCache], tuple[int]]:
        return (AnswerCache, (self._limit,))


#: The answers of rules that read no policy (first Security Official validation, organization
#: types): one process-wide, bounded cache.
SHARED = AnswerCache()
