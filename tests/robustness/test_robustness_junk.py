"""Issue 7, robustness: junk fed to every public function and constructor of qpp_rules (and
the public methods that take input) either answers or raises a QppRulesError subclass;
never a bare KeyError, TypeError, AttributeError, ValueError, IndexError or RecursionError
(python-stdnum's tests/test_robustness.doctest habit; DESIGN.md "Errors").

The names come from each module's ``__all__``; ``robustness_table`` says how to call each.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from robustness_support import JUNK, TIN_IN_JUNK, check, fresh, junk
from robustness_table import ALL_ROWS, JUNK_CALLS, MODULES, TABLE, exemption

import qpp_rules as qr


def _module_of(spec: Any) -> str:
    """The package a row's callable lives in (``registration``, ``identifiers``, ...)."""
    func = spec.func
    owner = getattr(func, "__self__", None)
    name = getattr(func, "__module__", None) if owner is None else None
    if owner is not None:
        name = owner.__module__ if isinstance(owner, type) else type(owner).__module__
    if not isinstance(name, str) or not name.startswith("qpp_rules."):
        name = getattr(getattr(func, "__origin__", None), "__module__", "qpp_rules.other")
    return str(name).split(".")[1]


_BY_MODULE: dict[str, list[tuple[str, Any, bool]]] = {}
for _row, _spec in ALL_ROWS.items():
    for _name, _call in _spec.parameters():
        _BY_MODULE.setdefault(_module_of(_spec), []).append(
            (f"{_row}.{_name}", _call, _name in _spec.answers)
        )


def _public_names() -> list[tuple[str, str, Any]]:
    return [
        (module.__name__, name, getattr(module, name))
        for module in MODULES
        for name in module.__all__
    ]


def test_every_public_name_has_a_row() -> None:
    """Every callable public name of every module (from ``__all__``) is in the table, or
    exempt with a stated reason: a new public name fails here until it gets its row."""
    rows = {id(spec.func) for spec in TABLE.values()}
    missing = [
        f"{module}.{name}"
        for module, name, value in _public_names()
        if exemption(value) is None and id(value) not in rows
    ]
    assert not missing, f"give these a row in robustness_table.TABLE: {missing}"


def test_every_row_names_every_parameter() -> None:
    """Each row passes every parameter of its callable (defaults too), so that junk reaches
    each one."""
    incomplete = {}
    for row, spec in ALL_ROWS.items():
        try:
            signature = inspect.signature(spec.func)
        except (TypeError, ValueError):  # pragma: no cover - every row has a signature
            continue
        wanted = {
            p.name for p in signature.parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in ("cls", "self")
        }
        given_names = {name for name, _ in spec.parameters()}
        if wanted - given_names:
            incomplete[row] = sorted(wanted - given_names)
    assert not incomplete


@pytest.mark.parametrize("row", sorted(row for row, spec in ALL_ROWS.items() if spec.baseline))
def test_the_valid_call_answers(row: str) -> None:
    """The table's own call is valid: junk, not the rest of the call, is what is refused."""
    ALL_ROWS[row].call()


@pytest.mark.parametrize(("row", "call", "answers"), JUNK_CALLS, ids=[c[0] for c in JUNK_CALLS])
def test_fixed_junk_in_each_parameter(row: str, call: Any, answers: bool) -> None:
    """Each fixed junk value (None, 10**100, 10**5000, inf, nan, lookalike digits, naive
    datetimes, a 30-hour UTC offset, JSON nested 100,000 deep, bytes, lists nested past the
    recursion limit, ...) in this parameter; what it raises for junk holding a TIN (in every
    layout: compact, NN-NNNNNNN, NNN-NN-NNNN, spaced, lookalike digits) never shows it."""
    for name in JUNK:
        result = check(call, fresh(name), f"{row} <- JUNK[{name!r}]", TIN_IN_JUNK.get(name))
        if answers:
            assert not isinstance(result, qr.QppRulesError), (
                f"{row} must answer any junk; raised for JUNK[{name!r}]: {result}"
            )


def test_some_junk_is_refused_everywhere() -> None:
    """The table is exercised: nearly every parameter refuses at least one junk value (a
    parameter that takes anything is listed here on purpose)."""
    takes_anything = set()
    for row, call, _answers in JUNK_CALLS:
        refused = False
        for name in ("object", "deep_list", "none", "nan"):
            if isinstance(check(call, fresh(name), row), qr.QppRulesError):
                refused = True
                break
        if not refused:
            takes_anything.add(row)
    answering = {row for row, _, answers in JUNK_CALLS if answers}
    assert takes_anything - answering == _TAKES_ANYTHING, sorted(
        (takes_anything - answering) ^ _TAKES_ANYTHING
    )


# Parameters that accept any value by design: the state an Outcome carries is the caller's
# (None before the first command), and so are its counts (a domain's own tally, e.g. an
# upload's per-choice counts); a field name only labels a message, asking what role an
# unknown user holds answers "none", a direction of change nothing took counts nothing, and
# a policy change holds the two values of any policy type it compares.
_TAKES_ANYTHING = {
    "PolicyChange.before", "PolicyChange.after",
    "Outcome.state", "RegistrationOutcome.state", "ElectionResult.state", "AccessOutcome.state",
    "Outcome.counts", "accept.state", "accept.counts", "refuse.state",
    "mask.text", "shown.value",
    "instant.field", "utc_key.field", "AccessState.role_of.user", "AccessState.pending_for.user",
    "Comparison.rules.direction", "Comparison.rules_before.direction",
}


def _group_test(module: str) -> Any:
    calls = _BY_MODULE[module]

    @given(st.sampled_from(calls), junk())
    def test(entry: tuple[str, Any, bool], value: Any) -> None:
        row, call, answers = entry
        result = check(call, value, row)
        if answers:
            assert not isinstance(result, qr.QppRulesError), f"{row} must answer: {result}"

    test.__name__ = test.__qualname__ = f"test_generated_junk_{module}"
    test.__doc__ = f"Hypothesis junk into every parameter of every {module} call."
    return test


for _module in sorted(_BY_MODULE):
    globals()[f"test_generated_junk_{_module}"] = _group_test(_module)
