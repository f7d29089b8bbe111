"""The built-in performance years: one data file each (2018, 2019, 2021)."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qpp_rules.policy.model import PolicyYear

__all__ = ["BUILTIN_FILES", "builtin_years"]

BUILTIN_FILES = ("py2018.toml", "py2019.toml", "py2021.toml")


def builtin_years() -> tuple[PolicyYear, ...]:
    """The years the library ships, loaded from their data files (the entry point
    ``builtin`` of the group ``qpp_rules.policy_years``)."""
    from qpp_rules.policy.loading import load_policy_text

    folder = resources.files(__name__)
    return tuple(
        load_policy_text(folder.joinpath(name).read_text(encoding="utf-8"), name)
        for name in BUILTIN_FILES
    )
