"""The built-in performance years: one data file each. ``BUILTIN_FILES`` are the years of the
five guides (PY2018, PY2019, PY2021: every value known); ``EXTERNAL_FILES`` the years beyond
them (PY2017, PY2020, PY2022-PY2026), each value from a public source quoted beside it and every
other value unknown (sources/README.md). Both ship; the newest guide year stays the default
year of the command line.

>>> [p.year for p in builtin_years()]
[2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qpp_rules.policy.model import PolicyYear

__all__ = ["BUILTIN_FILES", "EXTERNAL_FILES", "builtin_years"]

BUILTIN_FILES = ("py2018.toml", "py2019.toml", "py2021.toml")
EXTERNAL_FILES = tuple(
    f"py{year}.toml" for year in (2017, 2020, 2022, 2023, 2024, 2025, 2026)
)


def builtin_years() -> tuple[PolicyYear, ...]:
    """The years the library ships, loaded from their data files (the entry point
    ``builtin`` of the group ``qpp_rules.policy_years``), oldest first."""
    from qpp_rules.policy.loading import load_policy_text

    folder = resources.files(__name__)
    return tuple(sorted(
        (load_policy_text(folder.joinpath(name).read_text(encoding="utf-8"), name)
         for name in (*BUILTIN_FILES, *EXTERNAL_FILES)),
        key=lambda policy: policy.year,
    ))
