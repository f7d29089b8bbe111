"""A few values of a strategy, the same on every run: :func:`examples`."""

from __future__ import annotations

from typing import TypeVar

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, Unsatisfiable

from qpp_rules.errors import InvalidInput, shown

__all__ = ["examples"]

T = TypeVar("T")


def examples(strategy: st.SearchStrategy[T], count: int = 10, *,
             random_seed: int = 0) -> list[T]:
    """``count`` values drawn from ``strategy`` by Hypothesis's own engine with a fixed seed
    (the same values on every run, no example database, no shrinking): for a doctest, a
    notebook, or a table of fixtures. Fewer come back when the strategy has fewer distinct
    values. Inside a ``@given`` test, draw from the strategy instead.

    >>> from qpp_rules.testing import size_bands, tins
    >>> len(examples(tins(), 3)), examples(tins(), 3) == examples(tins(), 3)
    (3, True)
    >>> all(str(tin) == "*****" + tin.value[-4:] for tin in examples(tins()))
    True
    >>> examples(size_bands(), 0)
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: count: a whole number from 1 to 10,000; got 0
    """
    if not isinstance(strategy, st.SearchStrategy):
        raise InvalidInput("strategy", f"a Hypothesis strategy; got {type(strategy).__name__}")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 10_000:
        raise InvalidInput("count", f"a whole number from 1 to 10,000; got {shown(count)}")
    if isinstance(random_seed, bool) or not isinstance(random_seed, int):
        raise InvalidInput("random_seed", f"a whole number; got {shown(random_seed)}")
    drawn: list[T] = []

    @seed(random_seed)
    @settings(max_examples=count, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck), derandomize=False)
    @given(strategy)
    def draw(value: T) -> None:
        drawn.append(value)

    try:
        draw()
    except (Unsatisfiable, InvalidArgument) as error:  # no value to draw, or none at all
        raise InvalidInput("strategy", f"a strategy that draws values: {error}"[:300]) from None
    return drawn[:count]
