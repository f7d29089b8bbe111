"""``qpp_rules.testing.examples``: a few values of a strategy, the same on every run."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.testing import examples, organizations, tins


def test_examples_are_the_same_on_every_run_and_differ_by_seed() -> None:
    first = examples(tins(), 5)
    assert len(first) == 5
    assert first == examples(tins(), 5)
    assert examples(tins(), 5, random_seed=1) != first


def test_examples_are_valid_values_of_the_strategy() -> None:
    drawn = examples(organizations(), 25)
    assert len(drawn) == 25
    assert all(isinstance(o, qr.registration.Organization) for o in drawn)


def test_examples_of_a_small_strategy_come_back_fewer() -> None:
    assert sorted(examples(st.sampled_from([1, 2]), 50)) == [1, 2]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        (("not a strategy",), "strategy"),
        ((st.integers(), 0), "count"),
        ((st.integers(), True), "count"),
        ((st.integers(), 10_001), "count"),
        ((st.integers(), "3"), "count"),
    ],
)
def test_examples_refuse_bad_arguments_naming_the_field(arguments: tuple[Any, ...],
                                                         field: str) -> None:
    with pytest.raises(qr.InvalidInput, match=f"^{field}: "):
        examples(*arguments)


def test_examples_refuse_a_seed_that_is_not_a_whole_number() -> None:
    with pytest.raises(qr.InvalidInput, match=r"^random_seed: "):
        examples(st.integers(), 3, random_seed=1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("strategy", [st.nothing(), st.integers().filter(lambda n: False)])
def test_examples_of_a_strategy_that_draws_nothing_is_invalid_input(strategy: Any) -> None:
    with pytest.raises(qr.InvalidInput, match=r"^strategy: a strategy that draws values"):
        examples(strategy, 3)
