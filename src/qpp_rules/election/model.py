"""The value types of elections (RULES.md section 2, ELE-*).

Low-volume facts, the opt-in status, the choices, the participants, the outcome of a choice,
and the ledger of confirmed elections with its one event. Every value is frozen and validated
on construction; a TIN appears masked in every ``repr`` and ``str``.

>>> from decimal import Decimal
>>> from qpp_rules import TIN
>>> facts = LowVolumeFacts(allowed_charges=Decimal("90300"), patients=150, covered_services=234)
>>> facts.patients
150
>>> Participant(TIN("123456789"))
Participant(tin=TIN('*****6789'), npi=None)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from qpp_rules.errors import InvalidInput, shown
from qpp_rules.identifiers import NPI, TIN
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.model import LowVolumeThreshold
from qpp_rules.time import instant
from qpp_rules.vocabulary import OrgType

__all__ = [
    "Choice",
    "ChoiceCounts",
    "Elected",
    "Election",
    "ElectionLedger",
    "LowVolumeFacts",
    "OptInStatus",
    "Participant",
]

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
    return _LABELS[name]


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


def _count(name: str) -> Any:
    def check(_: Any, __: Any, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(
                f"facts.{name}", f"a whole number, 0 or more; got {type(value).__name__}"
            )
        if value < 0:
            raise InvalidInput(f"facts.{name}", f"a whole number, 0 or more; got {shown(value)}")

    return check


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

    allowed_charges: Decimal | None = attrs.field(default=None, converter=_money)
    patients: int | None = attrs.field(default=None, validator=_count("patients"))
    covered_services: int | None = attrs.field(
        default=None, validator=_count("covered_services")
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
        charges, patients, services = self.allowed_charges, self.patients, self.covered_services
        if self.exceeded is None and charges is not None and patients is not None:
            # every amount known: the comparisons directly (the common, hot case)
            if threshold.covered_services is None:
                return (charges > threshold.allowed_charges, patients > threshold.patients)
            if services is not None:
                return (
                    charges > threshold.allowed_charges,
                    patients > threshold.patients,
                    services > threshold.covered_services,
                )
        result: list[bool] = []
        limits = {
            "allowed_charges": threshold.allowed_charges,
            "patients": threshold.patients,
            "covered_services": threshold.covered_services,
        }
        for index, name in enumerate(ELEMENTS):
            limit = limits[name]
            if limit is None:
                continue
            if self.exceeded is not None:
                flag = self.exceeded[index]
                if flag is None:
                    raise InvalidInput(
                        f"facts.{name}",
                        f"the year's threshold has a {element_label(name)} element; "
                        "whether it was exceeded is not known",
                    )
                result.append(flag)
                continue
            amount = getattr(self, name)
            if amount is None:
                raise InvalidInput(
                    f"facts.{name}",
                    f"the year's threshold has a {element_label(name)} element; give the amount",
                )
            result.append(bool(amount > limit))
        return tuple(result)


# ---------------------------------------------------------------------------------------------
# Status and choices
# ---------------------------------------------------------------------------------------------
_RANK = {"MIPS exempt": 0, "Opt-in eligible": 1, "MIPS eligible": 2}


class OptInStatus(enum.Enum):
    """Where a clinician or group stands against the low-volume threshold (ELE-ELIG-1),
    ordered ``EXEMPT < OPT_IN_ELIGIBLE < MIPS_ELIGIBLE``.

    >>> OptInStatus.EXEMPT < OptInStatus.OPT_IN_ELIGIBLE < OptInStatus.MIPS_ELIGIBLE
    True
    """

    EXEMPT = "MIPS exempt"
    OPT_IN_ELIGIBLE = "Opt-in eligible"
    MIPS_ELIGIBLE = "MIPS eligible"

    @property
    def rank(self) -> int:
        """0, 1, 2 in the order above."""
        return _RANK[self.value]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, OptInStatus):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, OptInStatus):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, OptInStatus):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, OptInStatus):
            return NotImplemented
        return self.rank >= other.rank


class Choice(enum.Enum):
    """What an opt-in eligible participant may choose (ELE-CHOICE-1); a registry upload
    also shows No decision.

    >>> Choice.VOLUNTARY.value
    'Report voluntarily'
    """

    OPT_IN = "Opt-in"
    VOLUNTARY = "Report voluntarily"
    NO_DECISION = "No decision"

    @property
    def is_election(self) -> bool:
        """True for Opt-in and Report voluntarily: the choices that record an election."""
        return self is not Choice.NO_DECISION


class ChoiceCounts(FrozenMap[Choice, int]):
    """How many rows of an upload chose each :class:`Choice` (ELE-BATCH-1), read like a
    ``collections.Counter`` that cannot change: only the non-zero counts are stored (in the
    order of :class:`Choice`), so it compares equal to a plain ``dict`` of the non-zero counts;
    indexing (or ``.get``) a Choice that no row chose answers 0, while ``in``, ``len`` and
    iteration see only the stored counts, as with a Counter. Immutable and hashable, a
    :class:`~qpp_rules.policy.FrozenMap`.

    >>> counts = ChoiceCounts({Choice.OPT_IN: 1, Choice.NO_DECISION: 0})
    >>> counts == {Choice.OPT_IN: 1}, counts[Choice.NO_DECISION], Choice.NO_DECISION in counts
    (True, 0, False)
    >>> counts.total()
    1
    >>> ChoiceCounts({Choice.OPT_IN: -1})
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: counts[Opt-in]: a whole number, 0 or more; got -1
    """

    __slots__ = ()

    def __init__(self, data: Mapping[Choice, int] | None = None) -> None:
        if data is not None and not isinstance(data, Mapping):
            raise InvalidInput("counts", f"a mapping of Choice to a count; got {shown(data)}")
        given = dict(data or {})
        for choice, count in given.items():
            if not isinstance(choice, Choice):
                raise InvalidInput("counts", f"a Choice for each key; got {shown(choice)}")
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise InvalidInput(
                    f"counts[{choice.value}]", f"a whole number, 0 or more; got {shown(count)}"
                )
        super().__init__({choice: given[choice] for choice in Choice if given.get(choice)})

    @classmethod
    def of(cls, choices: Iterable[Choice]) -> ChoiceCounts:
        """The counts of ``choices`` (one per row).

        >>> ChoiceCounts.of([Choice.OPT_IN, Choice.OPT_IN, Choice.VOLUNTARY])
        ChoiceCounts({<Choice.OPT_IN: 'Opt-in'>: 2, <Choice.VOLUNTARY: 'Report voluntarily'>: 1})
        """
        if isinstance(choices, str | bytes | Mapping) or not isinstance(choices, Iterable):
            raise InvalidInput("choices", f"an iterable of Choice; got {shown(choices)}")
        tally = dict.fromkeys(Choice, 0)
        for choice in choices:
            if not isinstance(choice, Choice):
                raise InvalidInput("choices", f"a Choice; got {shown(choice)}")
            tally[choice] += 1
        return cls(tally)

    def __getitem__(self, key: Choice) -> int:
        try:
            return self._data[key]
        except KeyError:
            if isinstance(key, Choice):
                return 0
            raise

    def __contains__(self, key: object) -> bool:
        try:
            return key in self._data
        except TypeError:  # an unhashable key is not a Choice
            return False

    def total(self) -> int:
        """The number of rows counted."""
        return sum(self._data.values())

    def set(self, key: Choice, value: int) -> ChoiceCounts:
        """A copy with the count of ``key`` set to ``value`` (0 removes it)."""
        if not isinstance(key, Choice):
            raise InvalidInput("counts", f"a Choice for each key; got {shown(key)}")
        return ChoiceCounts({**self._data, key: value})

    def __repr__(self) -> str:
        return f"ChoiceCounts({self._data!r})"


def _choice_counts(value: object) -> ChoiceCounts:
    """A FrozenMap of counts as :class:`ChoiceCounts` (the converter of ``counts`` fields)."""
    if isinstance(value, ChoiceCounts):
        return value
    if not isinstance(value, FrozenMap):
        raise InvalidInput(
            "counts", f"a ChoiceCounts (a FrozenMap of Choice to a count); got {shown(value)}"
        )
    return ChoiceCounts(value)


# ---------------------------------------------------------------------------------------------
# Participants
# ---------------------------------------------------------------------------------------------
def _tin(value: TIN | str) -> TIN:
    if isinstance(value, TIN):
        return value
    if isinstance(value, str):
        return TIN(value)
    raise InvalidInput("participant.tin", f"a TIN; got {type(value).__name__}")


def _npi(value: NPI | str | None) -> NPI | None:
    if value is None or isinstance(value, NPI):
        return value
    if isinstance(value, str):
        return NPI(value)
    raise InvalidInput("participant.npi", f"an NPI or None; got {type(value).__name__}")


@attrs.frozen(cache_hash=True, order=False)
class Participant:
    """Who an election is for: a group (its TIN) or a clinician (TIN and NPI), ELE-ELIG-1.
    Hashable; the TIN is masked in ``repr`` and ``str``.

    Text is validated strictly: ``TIN(text)`` and ``NPI(text)`` with its check digit, so a
    mistyped NPI raises ``InvalidChecksum``. An :class:`~qpp_rules.NPI` instance is taken as
    given: ``NPI(text, check_digit=False)`` admits the guides' own example NPIs, which fail
    the check digit (ELECTION-GUIDE-2019's Debara Jones, NPI 1234567890, Individual Reporting
    step 4). The guide's 10-digit example TINs are not TINs (nine digits) and stay refused.

    >>> from qpp_rules import NPI
    >>> p = Participant("123456789", NPI("1234567893"))
    >>> str(p), p.is_group
    ('TIN *****6789 NPI 1234567893', False)
    >>> Participant("123456789", "1234567890")
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidChecksum: npi: the NPI check digit does not match ('******7890')
    >>> debara = Participant("123456789", NPI("1234567890", check_digit=False))
    >>> debara.npi.value, debara.npi.has_valid_check_digit
    ('1234567890', False)
    """

    tin: TIN = attrs.field(converter=_tin)
    npi: NPI | None = attrs.field(default=None, converter=_npi)

    @property
    def is_group(self) -> bool:
        """True for a group (a TIN without an NPI)."""
        return self.npi is None

    def __str__(self) -> str:
        if self.npi is None:
            return f"TIN {self.tin}"
        return f"TIN {self.tin} NPI {self.npi.value}"


# ---------------------------------------------------------------------------------------------
# The ledger of confirmed elections and its event
# ---------------------------------------------------------------------------------------------
def _election_choice(_: Any, __: Any, value: Any) -> None:
    if not isinstance(value, Choice) or not value.is_election:
        raise InvalidInput("election.choice", f"Opt-in or Report voluntarily; got {shown(value)}")


def _participant(_: Any, __: Any, value: Any) -> None:
    if not isinstance(value, Participant):
        raise InvalidInput("participant", f"a Participant; got {type(value).__name__}")


def _kind(_: Any, __: Any, value: Any) -> None:
    if not isinstance(value, OrgType):
        raise InvalidInput("election.by", f"an OrgType; got {shown(value)}")


def _year(_: Any, __: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("year", f"a performance year; got {shown(value)}")


def _at(value: Any) -> pendulum.DateTime:
    return instant(value, "at")


@attrs.frozen(cache_hash=True)
class Elected:
    """The one event of the election lifecycle: a confirmed election (ELE-FINAL-1: final).
    ``by`` is the organization type of the actor (Practice or Registry).

    >>> import qpp_rules as qr
    >>> e = Elected(2019, Participant("123456789"), Choice.OPT_IN,
    ...             qr.eastern(2020, 1, 2, 10), qr.OrgType.PRACTICE)
    >>> str(e)
    'PY2019: TIN *****6789 elected Opt-in (by a Practice representative)'
    """

    year: int = attrs.field(validator=_year)
    participant: Participant = attrs.field(validator=_participant)
    choice: Choice = attrs.field(validator=_election_choice)
    at: pendulum.DateTime = attrs.field(converter=_at)
    by: OrgType = attrs.field(validator=_kind)

    def __str__(self) -> str:
        return (
            f"PY{self.year}: {self.participant} elected {self.choice.value} "
            f"(by a {self.by.value} representative)"
        )


@attrs.frozen(cache_hash=True)
class Election:
    """A confirmed election as the ledger keeps it.

    >>> import qpp_rules as qr
    >>> p = Participant("123456789")
    >>> ledger = ElectionLedger(2019).add(
    ...     Elected(2019, p, Choice.OPT_IN, qr.eastern(2020, 1, 2, 10), qr.OrgType.PRACTICE))
    >>> election = ledger.election_of(p)
    >>> election.choice, election.at.isoformat(), election.by
    (<Choice.OPT_IN: 'Opt-in'>, '2020-01-02T10:00:00-05:00', <OrgType.PRACTICE: 'Practice'>)
    """

    choice: Choice = attrs.field(validator=_election_choice)
    at: pendulum.DateTime = attrs.field(converter=_at)
    by: OrgType = attrs.field(validator=_kind)


def _elections(value: Any) -> FrozenMap[Participant, Election]:
    if isinstance(value, FrozenMap):
        data = value
    else:
        try:
            data = FrozenMap(dict(value))
        except (TypeError, ValueError):
            raise InvalidInput("ledger.elections", "a mapping of Participant to Election") from None
    for participant, election in data.items():
        if not isinstance(participant, Participant) or not isinstance(election, Election):
            raise InvalidInput("ledger.elections", "a mapping of Participant to Election")
    return data


@attrs.frozen(cache_hash=True)
class ElectionLedger:
    """The confirmed elections of one performance year (the state of the election
    lifecycle). ``None`` stands for the ledger before the first election.

    >>> import qpp_rules as qr
    >>> p = Participant("123456789")
    >>> ledger = ElectionLedger(2019).add(
    ...     Elected(2019, p, Choice.OPT_IN, qr.eastern(2020, 1, 2, 10), qr.OrgType.PRACTICE))
    >>> ledger.choice_of(p), p in ledger, len(ledger)
    (<Choice.OPT_IN: 'Opt-in'>, True, 1)
    """

    year: int = attrs.field(validator=_year)
    elections: FrozenMap[Participant, Election] = attrs.field(
        factory=FrozenMap, converter=_elections
    )

    def election_of(self, participant: Participant) -> Election | None:
        """The participant's confirmed election, or None."""
        if not isinstance(participant, Participant):
            raise InvalidInput("participant", f"a Participant; got {type(participant).__name__}")
        return self.elections.get(participant)

    def choice_of(self, participant: Participant) -> Choice | None:
        """The participant's confirmed choice, or None (not elected: still exempt)."""
        if not isinstance(participant, Participant):
            raise InvalidInput("participant", f"a Participant; got {type(participant).__name__}")
        election = self.elections.get(participant)
        return None if election is None else election.choice

    def add(self, event: Elected) -> ElectionLedger:
        """The ledger with ``event`` recorded; ``InvalidInput`` for another year's event or
        for a participant that already elected (ELE-FINAL-1: a confirmed election is final).
        """
        if not isinstance(event, Elected):
            raise InvalidInput("event", f"an Elected event; got {type(event).__name__}")
        if event.year != self.year:
            raise InvalidInput(
                "event.year", f"a PY{self.year} ledger cannot record a PY{event.year} election"
            )
        if event.participant in self.elections:
            raise InvalidInput(
                "event.participant",
                f"{event.participant} already elected; a confirmed election is final "
                "(ELE-FINAL-1)",
            )
        return attrs.evolve(
            self,
            elections=self.elections.set(
                event.participant, Election(event.choice, event.at, event.by)
            ),
        )

    def __contains__(self, participant: object) -> bool:
        return participant in self.elections

    def __iter__(self) -> Iterator[Participant]:
        return iter(self.elections)

    def __len__(self) -> int:
        return len(self.elections)
