"""The append-only map behind an :class:`~qpp_rules.election.ElectionLedger`: ledgers grown
from one another share one log, so recording an election costs the same however many are
recorded (a registry upload of 100,000 rows is linear, ELE-BATCH-1).

>>> m = AppendOnlyMap.of({"a": 1}).appended("b", 2)
>>> dict(m), "b" in m, len(m)
({'a': 1, 'b': 2}, True, 2)
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar

from qpp_rules.policy.frozenmap import FrozenMap

__all__ = ["AppendOnlyMap"]

K = TypeVar("K")
V = TypeVar("V")


class _Log(Generic[K, V]):
    """The append-only log that ledgers grown from one another share."""

    __slots__ = ("index", "keys", "lock", "values")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: dict[K, int] = {}
        self.keys: list[K] = []
        self.values: list[V] = []


class AppendOnlyMap(FrozenMap[K, V]):
    """A :class:`~qpp_rules.policy.FrozenMap` that is a prefix of a log shared with the maps
    it grew from, so that adding one more key costs the same however many there are. Compares,
    hashes and reads as the plain mapping it shows; an older map keeps showing what it held.

    >>> one = AppendOnlyMap.of({})
    >>> two = one.appended("a", 1)
    >>> other = one.appended("b", 2)  # a branch from an older map: a copy
    >>> len(one), dict(two), dict(other), two == {"a": 1}
    (0, {'a': 1}, {'b': 2}, True)
    """

    __slots__ = ("_copy", "_log", "_size")

    def __init__(self, log: _Log[K, V], size: int) -> None:
        self._log = log
        self._size = size
        self._copy: dict[K, V] | None = None
        self._hash = None

    @classmethod
    def of(cls, data: Mapping[K, V]) -> AppendOnlyMap[K, V]:
        """A fresh log holding ``data``."""
        log: _Log[K, V] = _Log()
        for key, value in data.items():
            log.index[key] = len(log.keys)
            log.keys.append(key)
            log.values.append(value)
        return cls(log, len(log.keys))

    @property
    def _data(self) -> dict[K, V]:  # type: ignore[override]  # FrozenMap's methods read it
        if self._copy is None:
            size = self._size
            self._copy = dict(zip(self._log.keys[:size], self._log.values[:size], strict=True))
        return self._copy

    def __getitem__(self, key: K) -> V:
        position = self._log.index.get(key)
        if position is None or position >= self._size:
            raise KeyError(key)
        return self._log.values[position]

    def __contains__(self, key: object) -> bool:
        try:
            position = self._log.index.get(key)  # type: ignore[arg-type]
        except TypeError:  # unhashable: not a key
            return False
        return position is not None and position < self._size

    def __iter__(self) -> Iterator[K]:
        return itertools.islice(self._log.keys, self._size)

    def __len__(self) -> int:
        return self._size

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._data,))

    def appended(self, key: K, value: V) -> AppendOnlyMap[K, V]:
        """This map and ``key`` set to ``value`` (a key it does not hold): in place on the
        shared log when this is its latest view (constant time), else on a copy of this view."""
        log = self._log
        with log.lock:
            if self._size == len(log.keys) and key not in log.index:
                log.index[key] = self._size
                log.keys.append(key)
                log.values.append(value)
                return AppendOnlyMap(log, self._size + 1)
        return AppendOnlyMap.of(self).appended(key, value)
