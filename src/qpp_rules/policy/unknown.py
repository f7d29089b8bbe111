"""Values a year does not know: the one way every rule reads a value that may be unknown.

A policy value no public source gives for a year is ``None`` in that year's table (POL-UNK-1;
the data file writes ``unknown = "why"``), never a value borrowed from another year. A rule
reads such a value with :func:`known`, which raises :class:`~qpp_rules.errors.UnknownPolicyValue`
naming the year, the value and the rule; a decision turns that into a refusal whose
:class:`~qpp_rules.decisions.Reason` says so (:func:`unknown_reason`, :func:`refuse_unknown`).

>>> import qpp_rules as qr
>>> known(qr.policy_for(2019), "registration.web_interface_min_clinicians", "REG-ELIG-1")
25
>>> print(refuse_unknown(qr.policy_for(2022), [("registration.window", "REG-WIN-1")])
...       .reasons[0].message)
PY2022's registration.window is not known (no public source read gives it for this year). \
REG-WIN-1 needs it, so this is refused rather than decided with another year's value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from qpp_rules.decisions import Decision, Reason
from qpp_rules.errors import InvalidInput, UnknownPolicyValue, shown
from qpp_rules.kernel.citations import Citation
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.model import PolicyYear

__all__ = ["known", "refuse_below_unknown", "refuse_unknown", "unknown_reason"]


def _check(policy: object, path: object, rule: object) -> PolicyYear:
    if not isinstance(policy, PolicyYear):
        raise InvalidInput("policy", f"a PolicyYear; got {type(policy).__name__}")
    for name, value in (("path", path), ("rule", rule)):
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(name, f"non-empty text; got {shown(value)}")
    return policy


def known(policy: PolicyYear, path: str, rule: str) -> Any:
    """The value at ``path`` in ``policy``; :class:`UnknownPolicyValue` (naming the year,
    the path and ``rule``, the rule that needs it) when the year does not know it. A
    program missing from ``registration.may_register`` is unknown too.

    >>> import qpp_rules as qr
    >>> known(qr.policy_for(2017), "election.low_volume", "ELE-ELIG-1").patients
    100
    >>> known(qr.policy_for(2023), "election.low_volume", "ELE-ELIG-1")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.UnknownPolicyValue: PY2023: election.low_volume is not known (no public \
source read gives it); ELE-ELIG-1 needs it, so this is not decided
    """
    policy = _check(policy, path, rule)
    head, _, program = path.partition("registration.may_register.")
    if not head and program:
        kinds = policy.registration.may_register or FrozenMap()
        for key, value in kinds.items():
            if key.value == program:
                return value
        raise UnknownPolicyValue(policy.year, path, rule)
    value = policy.value_at(path)
    if value is None:
        raise UnknownPolicyValue(policy.year, path, rule)
    return value


def unknown_reason(policy: PolicyYear, path: str, rule: str) -> Reason:
    """The reason a decision is refused for want of the value at ``path``.

    >>> import qpp_rules as qr
    >>> c = unknown_reason(qr.policy_for(2026), "registration.window", "REG-WIN-1").citation
    >>> str(c), c.authority
    ('not known for PY2026, registration.window [REG-WIN-1, POL-UNK-1]', 'unknown')
    """
    policy = _check(policy, path, rule)
    why = policy.unknown_values().get(path, "not known")
    return Reason(
        rule,
        f"PY{policy.year}'s {path} is not known ({why}). {rule} needs it, so this is refused "
        "rather than decided with another year's value.",
        Citation(f"not known for PY{policy.year}", path, (rule, "POL-UNK-1"),
                 note=f"{why}; the sources read are listed in sources/README.md",
                 authority="unknown"),
    )


def refuse_unknown(policy: PolicyYear, needs: Iterable[tuple[str, str]]) -> Decision | None:
    """A refusal naming every ``(path, rule)`` in ``needs`` whose value the year does not
    know, or None when the year knows them all.

    >>> import qpp_rules as qr
    >>> refuse_unknown(qr.policy_for(2019), [("registration.window", "REG-WIN-1")]) is None
    True
    """
    if isinstance(needs, str | bytes) or not isinstance(needs, Iterable):
        raise InvalidInput("needs", f"pairs of (path, rule); got {type(needs).__name__}")
    missing: list[Reason] = []
    for index, need in enumerate(needs):
        if not isinstance(need, tuple) or len(need) != 2:
            raise InvalidInput(f"needs[{index}]", f"a (path, rule) pair; got {shown(need)}")
        path, rule = need
        try:
            known(policy, path, rule)
        except UnknownPolicyValue:
            missing.append(unknown_reason(policy, path, rule))
    return Decision.refuse(*missing) if missing else None


def refuse_below_unknown(policy: PolicyYear, path: str, field: str) -> None:
    """Refuse ``path`` when it lies below a table the year does not know (POL-UNK-1): the
    year has no value there to change, so a reform or a sweep of it says which table is not
    known (``InvalidInput`` naming ``field``) rather than that the path does not exist.
    Nothing is raised for a path the year holds, nor for one no policy has.

    >>> import qpp_rules as qr
    >>> refuse_below_unknown(qr.policy_for(2021), "election.low_volume.patients", "path")
    >>> refuse_below_unknown(qr.policy_for(2026), "election.low_volume.patients", "path")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: path: PY2026 does not know election.low_volume (no public \
source read gives it for this year; POL-UNK-1), so it has no election.low_volume.patients to \
change; a reform can give election.low_volume as a whole
    """
    policy = _check(policy, path, field)
    parts = path.split(".")
    for end in range(1, len(parts)):
        table = ".".join(parts[:end])
        try:
            value = policy.value_at(table)
        except InvalidInput:  # no policy has this path: the caller names it
            return
        if value is None:
            why = policy.unknown_values().get(table, "not known")
            raise InvalidInput(field, f"PY{policy.year} does not know {table} ({why}; "
                               f"POL-UNK-1), so it has no {path} to change; a reform can give "
                               f"{table} as a whole")
