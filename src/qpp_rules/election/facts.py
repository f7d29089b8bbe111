"""Low-volume facts: what is known of one clinician or group against the low-volume
threshold (ELE-ELIG-1), as amounts or as which elements were exceeded.

>>> from decimal import Decimal
>>> LowVolumeFacts(allowed_charges=Decimal("90300"), patients=150, covered_services=234).patients
150
"""

from __future__ import annotations

from decimal import Decimal
from typing import cast

import attrs

from qpp_rules.errors import InvalidInput, shown
from qpp_rules.kernel import fields
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.policy.model import LowVolumeThreshold

__all__ = ["ELEMENTS", "LowVolumeFacts", "element_label"]

ELEMENTS = ("allowed_charges", "patients", "covered_services")
"""The names of the low-volume threshold's elements, in the order the library keeps them."""

_LABELS = {
    "allowed_charges": "allowed charges",
    "patients": "Part B patients",
    "covered_services": "covered professional services",
}


def element_label(name: str) -> str:
    """The words for an element in a message.

    >>> element_label("patients")
    'Part B patients'
    """
    label = _LABELS.get(name) if isinstance(name, str) else None
    if label is None:
        raise InvalidInput("name", f"one of {', '.join(_LABELS)}; got {shown(name)}")
    return label


# ---------------------------------------------------------------------------------------------
# Low-volume facts
# ---------------------------------------------------------------------------------------------
def _money(value: Decimal | int | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool | float):
        raise InvalidInput(
            "facts.allowed_charges",
            f"money is a Decimal (or a whole number of dollars), never {type(value).__name__}",
        )
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise InvalidInput(
            "facts.allowed_charges",
            f"money is a Decimal amount of dollars; got {type(value).__name__}",
        )
    if not value.is_finite():
        raise InvalidInput("facts.allowed_charges", f"a finite amount; got {shown(value)}")
    if value < 0:
        raise InvalidInput("facts.allowed_charges", f"cannot be negative; got {shown(value)}")
    return value


def _flags(
    value: tuple[bool | None, bool | None, bool | None] | None,
) -> tuple[bool | None, bool | None, bool | None] | None:
    if value is None:
        return None
    try:
        flags = tuple(value)
    except TypeError:
        raise InvalidInput("facts.exceeded", "three flags (True, False or None)") from None
    if len(flags) != 3 or any(flag is not None and not isinstance(flag, bool) for flag in flags):
        raise InvalidInput(
            "facts.exceeded",
            "three flags (allowed charges, patients, covered services), each True, False or None",
        )
    return (flags[0], flags[1], flags[2])


@attrs.frozen(cache_hash=True)
class LowVolumeFacts:
    """What is known of one clinician (TIN/NPI) or group (TIN) against the low-volume
    threshold (ELE-ELIG-1): either the amounts themselves, or only which elements were
    exceeded (:meth:`from_exceeded`, as the Eligibility API reports it).

    Money is a ``Decimal`` (a whole number of dollars is accepted as ``int``), never a float;
    ``covered_services`` may be left out (None) for a year without that element (PY2018).

    >>> from decimal import Decimal
    >>> LowVolumeFacts(allowed_charges=Decimal("90000.01"), patients=201, covered_services=0)
    LowVolumeFacts(allowed_charges=Decimal('90000.01'), patients=201, covered_services=0, \
exceeded=None)
    >>> LowVolumeFacts(allowed_charges=90000.0, patients=1, covered_services=1)
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: facts.allowed_charges: money is a Decimal (or a whole number \
of dollars), never float
    """

    __field_prefix__ = "facts"

    allowed_charges: Decimal | None = attrs.field(default=None, converter=_money)
    patients: int | None = attrs.field(
        default=None, validator=fields.whole(minimum=0, optional=True)
    )
    covered_services: int | None = attrs.field(
        default=None, validator=fields.whole(minimum=0, optional=True)
    )
    exceeded: tuple[bool | None, bool | None, bool | None] | None = attrs.field(
        default=None, kw_only=True, converter=_flags
    )

    def __attrs_post_init__(self) -> None:
        amounts = (self.allowed_charges, self.patients, self.covered_services)
        if self.exceeded is None:
            if self.allowed_charges is None or self.patients is None:
                raise InvalidInput(
                    "facts",
                    "give allowed_charges and patients (and covered_services where the year "
                    "has that element), or use LowVolumeFacts.from_exceeded",
                )
        elif any(amount is not None for amount in amounts):
            raise InvalidInput(
                "facts", "either the amounts or which elements were exceeded, not both"
            )

    @classmethod
    def from_exceeded(
        cls,
        *,
        allowed_charges: bool,
        patients: bool,
        covered_services: bool | None = None,
    ) -> LowVolumeFacts:
        """Facts where only which elements were exceeded is known (the Eligibility API's
        reason codes). ``covered_services=None``: not known (enough for PY2018).

        >>> f = LowVolumeFacts.from_exceeded(allowed_charges=True, patients=False,
        ...                                  covered_services=True)
        >>> f.exceeded
        (True, False, True)
        """
        for name, flag in (("allowed_charges", allowed_charges), ("patients", patients)):
            if not isinstance(flag, bool):
                raise InvalidInput(f"facts.{name}", f"True or False; got {shown(flag)}")
        if covered_services is not None and not isinstance(covered_services, bool):
            raise InvalidInput(
                "facts.covered_services", f"True, False or None; got {shown(covered_services)}"
            )
        return cls(exceeded=(allowed_charges, patients, covered_services))

    @property
    def measured(self) -> bool:
        """True when the facts hold the amounts, False when only the exceeded flags."""
        return self.exceeded is None

    def exceeds(self, threshold: LowVolumeThreshold) -> tuple[bool, ...]:
        """For each element the year's ``threshold`` has (in its order: allowed charges,
        patients, then covered services where the year has it), whether these facts
        strictly exceed it. ``InvalidInput`` naming the element when it is not known.

        >>> from decimal import Decimal
        >>> t = LowVolumeThreshold(Decimal("90000"), 200, 200)
        >>> LowVolumeFacts(Decimal("90000"), 201, 200).exceeds(t)
        (False, True, False)
        """
        if not isinstance(threshold, LowVolumeThreshold):
            raise InvalidInput(
                "threshold", f"a LowVolumeThreshold; got {type(threshold).__name__}"
            )
        if self.exceeded is None:  # the amounts: the threshold's own comparison
            flags = threshold.exceeded_by(self.allowed_charges, self.patients,
                                          self.covered_services)
            if None not in flags:  # every amount known (the common, hot case)
                measured = cast(tuple[bool, bool, bool], flags)
                return measured if threshold.covered_services is not None else measured[:2]
        else:
            flags = self.exceeded
        result: list[bool] = []
        for name, flag in zip(threshold.elements, flags, strict=False):
            if flag is None:
                known = "whether it was exceeded is not known" if self.exceeded is not None \
                    else "give the amount"
                raise InvalidInput(
                    f"facts.{name}",
                    f"the year's threshold has {a_or_an(element_label(name))} element; {known}",
                )
            result.append(flag)
        return tuple(result)
