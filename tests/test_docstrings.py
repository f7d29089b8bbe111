"""Every public class and function of ``qpp_rules`` has a docstring with a runnable example.

The modules below are the public surface (their ``__all__``); pytest runs the examples
through ``--doctest-modules``. Names re-exported from outside ``qpp_rules`` and values that
are not classes or functions (enum members, constants) are out of scope.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

PUBLIC_MODULES = (
    "qpp_rules",
    "qpp_rules.registration",
    "qpp_rules.election",
    "qpp_rules.access",
    "qpp_rules.analysis",
    "qpp_rules.serialization",
    "qpp_rules.testing",
    "qpp_rules.policy",
    "qpp_rules.cli",
    "qpp_rules.identifiers",
    "qpp_rules.time",
    "qpp_rules.decisions",
    "qpp_rules.errors",
    "qpp_rules.vocabulary",
    "qpp_rules.kernel",
)


def public_objects() -> dict[str, object]:
    """Each public class and function once, keyed by where it is defined."""
    found: dict[str, object] = {}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            value = getattr(module, name)
            if not (inspect.isclass(value) or inspect.isfunction(value)):
                continue
            home = getattr(value, "__module__", "") or ""
            if home != "qpp_rules" and not home.startswith("qpp_rules."):
                continue
            found[f"{home}.{value.__qualname__}"] = value
    return found


def test_the_walk_finds_the_public_surface() -> None:
    names = public_objects()
    assert "qpp_rules.errors.InvalidInput" in names
    assert "qpp_rules.policy.model.PolicyYear" in names
    assert "qpp_rules.testing.strategies.tins" in names
    assert all(name.startswith("qpp_rules.") for name in names)


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_module_declares_all(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert isinstance(getattr(module, "__all__", None), list | tuple)


def test_every_public_class_and_function_has_an_example() -> None:
    offenders = sorted(
        name for name, value in public_objects().items() if ">>>" not in (value.__doc__ or "")
    )
    assert not offenders, (
        f"{len(offenders)} public names lack a docstring example (>>>):\n  "
        + "\n  ".join(offenders)
    )
