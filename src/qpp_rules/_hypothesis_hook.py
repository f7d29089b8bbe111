"""Hypothesis's ``hypothesis`` entry point (``pyproject.toml``): when Hypothesis is imported it
calls :func:`_hypothesis_setup_hook`, which registers the library's strategies for
``st.from_type``. It lives outside ``qpp_rules.testing`` so that importing that package first
(which imports Hypothesis, which calls the hook) is not a circular import.

>>> _hypothesis_setup_hook()  # registering again changes nothing
"""

from __future__ import annotations

__all__ = ["_hypothesis_setup_hook"]


def _hypothesis_setup_hook() -> None:
    """Register every strategy of :mod:`qpp_rules.testing` for ``st.from_type`` (lazily: a
    strategy is built at its first draw)."""
    import sys

    loading = sys.modules.get("qpp_rules.testing.strategies")
    if loading is not None and not hasattr(loading, "register_type_strategies"):
        return  # qpp_rules.testing is being imported (it imported Hypothesis): it registers
        # the strategies itself when its import completes
    from qpp_rules.testing.strategies import register_type_strategies

    register_type_strategies()
