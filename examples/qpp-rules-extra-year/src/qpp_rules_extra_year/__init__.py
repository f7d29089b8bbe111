"""An EXAMPLE policy-year plug-in for ``qpp_rules``: performance year 2099.

PY2099 is illustrative, NOT CMS policy: it reuses the PY2021 table so that the plug-in
mechanism can be shown and tested. A real plug-in ships a real year the same way.

Installed, the year is found through the entry point ``py2099`` of the group
``qpp_rules.policy_years`` (see ``pyproject.toml``)::

    >>> import qpp_rules as qr                               # doctest: +SKIP
    >>> qr.policy_for(2099).title                            # doctest: +SKIP
    'Performance year 2099 (EXAMPLE, not CMS policy)'
"""

from __future__ import annotations

from importlib import resources

from qpp_rules.policy import PolicyYear, load_policy_text

__all__ = ["DATA_FILE", "years"]

DATA_FILE = "py2099.toml"


def years() -> tuple[PolicyYear, ...]:
    """The years this distribution provides, each loaded from its data file (errors name the
    file and the field, and qpp_rules reports them with this distribution's name)."""
    text = resources.files(__name__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return (load_policy_text(text, f"qpp-rules-extra-year/{DATA_FILE}"),)
