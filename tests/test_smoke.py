"""The package imports and its built-in years load."""

from __future__ import annotations

import qpp_rules as qr


def test_builtin_years_load() -> None:
    assert {2018, 2019, 2021} <= set(qr.available_years())
    assert qr.plugin_errors() == ()
