"""Folding a domain's events: the one body behind each domain's ``replay``.

>>> fold(lambda total, n: total + n, [1, 2, 3], 0, "numbers")
6
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from qpp_rules.errors import InvalidInput

__all__ = ["fold"]

S = TypeVar("S")
E = TypeVar("E")


def fold(evolve: Callable[[S, E], S], events: Iterable[E], state: S, what: str) -> S:
    """``state`` after ``evolve`` has taken each of ``events`` in turn; ``events`` must be a
    sequence (a string, bytes or a non-iterable is refused naming ``what`` it should hold).

    >>> fold(max, (3, 9, 4), 0, "numbers")
    9
    >>> fold(max, "39", 0, "numbers")
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: events: a sequence of numbers; got str
    """
    if isinstance(events, str | bytes) or not isinstance(events, Iterable):
        raise InvalidInput("events", f"a sequence of {what}; got {type(events).__name__}")
    for event in events:
        state = evolve(state, event)
    return state
