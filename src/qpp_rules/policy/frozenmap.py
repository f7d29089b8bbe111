"""An immutable, hashable mapping for the tables inside frozen values."""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, Mapping
from typing import Any, Generic, TypeVar

from qpp_rules.errors import InvalidInput

__all__ = ["FrozenMap"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """A read-only mapping that hashes and compares by content.

    >>> m = FrozenMap({"a": 1})
    >>> m["a"], hash(m) == hash(FrozenMap({"a": 1})), m == {"a": 1}
    (1, True, True)
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        if data is not None and not isinstance(data, Mapping):
            raise InvalidInput("data", f"a mapping; got {type(data).__name__}")
        self._data: dict[K, V] = dict(data or {})
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def items(self) -> ItemsView[K, V]:
        """The entries (read-only), read at the underlying dict's speed."""
        return self._data.items()

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._data,))

    def set(self, key: K, value: V) -> FrozenMap[K, V]:
        """A copy with ``key`` set to ``value``."""
        data = dict(self._data)
        data[key] = value
        return FrozenMap(data)
