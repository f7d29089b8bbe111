"""The value types of elections (RULES.md section 2, ELE-*): the opt-in status, the choices,
the participants, the ledger of confirmed elections with its one event (:class:`Elected`),
and the commands of the lifecycle (:class:`Elect`, :class:`UploadElections`).

Every value is frozen and validated on construction (:mod:`qpp_rules.kernel.fields`); a TIN
appears masked in every ``repr`` and ``str``. :class:`~qpp_rules.election.LowVolumeFacts`
lives in :mod:`qpp_rules.election.facts` and is re-exported here.

>>> from qpp_rules import TIN
>>> Participant(TIN("123456789"))
Participant(tin=TIN('*****6789'), npi=None)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs
import pendulum

from qpp_rules.election.appendmap import AppendOnlyMap
from qpp_rules.election.facts import ELEMENTS, LowVolumeFacts, element_label
from qpp_rules.errors import ImpossibleEvent, InvalidInput, masked_repr, shown
from qpp_rules.identifiers import NPI, TIN
from qpp_rules.kernel import fields
from qpp_rules.kernel.cache import holds
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.time import utc_key
from qpp_rules.vocabulary import OrgType

__all__ = [
    "ELEMENTS",
    "Choice",
    "ChoiceCounts",
    "Elect",
    "Elected",
    "Election",
    "ElectionLedger",
    "FileFormat",
    "LowVolumeFacts",
    "OptInStatus",
    "Participant",
    "UploadElections",
    "element_label",
]


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
        return holds(self._data, key)

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

    def __str__(self) -> str:
        """Every choice's count, as the Submit Elections screen shows them."""
        return ", ".join(f"{choice.value}: {self[choice]}" for choice in Choice)
# ---------------------------------------------------------------------------------------------
# Participants
# ---------------------------------------------------------------------------------------------
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
    qpp_rules.errors.InvalidChecksum: participant.npi: the NPI check digit does not match \
('******7890')
    >>> debara = Participant("123456789", NPI("1234567890", check_digit=False))
    >>> debara.npi.value, debara.npi.has_valid_check_digit
    ('1234567890', False)
    """

    tin: TIN = attrs.field(converter=fields.converted(TIN, kind=TIN))  # type: ignore[misc]
    npi: NPI | None = attrs.field(
        default=None, converter=fields.converted(NPI, kind=NPI, optional=True)  # type: ignore[misc]
    )

    @property
    def is_group(self) -> bool:
        """True for a group (a TIN without an NPI)."""
        return self.npi is None

    def __str__(self) -> str:
        if self.npi is None:
            return f"TIN {self.tin}"
        return f"TIN {self.tin} NPI {self.npi.value}"


# ---------------------------------------------------------------------------------------------
# The event and the ledger of confirmed elections
# ---------------------------------------------------------------------------------------------
def _recorded(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Choice) or not value.is_election:
        raise InvalidInput(
            fields.field_path(instance, attribute),
            f"Opt-in or Report voluntarily; got {shown(value)}",
        )


@masked_repr
@attrs.frozen(cache_hash=True)
class Elected:
    """The one event of the election lifecycle: a confirmed election (ELE-FINAL-1: final).
    ``by`` is the organization type of the actor (Practice or Registry); ``confirmation`` is
    the word typed to confirm it (ELE-CONF-1; the year's word, whatever its case). Two
    events compare and hash by the instant ``at`` (two readings of November's repeated hour
    are different events).

    >>> import qpp_rules as qr
    >>> e = Elected(2019, Participant("123456789"), Choice.OPT_IN,
    ...             qr.eastern(2020, 1, 2, 10), qr.OrgType.PRACTICE)
    >>> str(e)
    'PY2019: TIN *****6789 elected Opt-in (by a Practice representative)'
    """

    year: int = attrs.field(validator=fields.year())
    participant: Participant = attrs.field(validator=fields.instance_of(Participant))
    choice: Choice = attrs.field(validator=_recorded)
    at: pendulum.DateTime = attrs.field(converter=fields.moment(), eq=utc_key)  # type: ignore[misc]
    by: OrgType = attrs.field(validator=fields.instance_of(OrgType))
    confirmation: str = attrs.field(
        default="CONFIRM", kw_only=True, validator=fields.text(nonempty=True, limit=100)
    )

    def __str__(self) -> str:
        return (
            f"PY{self.year}: {self.participant} elected {self.choice.value} "
            f"(by {a_or_an(self.by.value)} representative)"
        )


@attrs.frozen(cache_hash=True)
class Election:
    """A confirmed election as the ledger keeps it; compares by the instant ``at``.

    >>> import qpp_rules as qr
    >>> p = Participant("123456789")
    >>> ledger = ElectionLedger(2019).add(
    ...     Elected(2019, p, Choice.OPT_IN, qr.eastern(2020, 1, 2, 10), qr.OrgType.PRACTICE))
    >>> election = ledger.election_of(p)
    >>> election.choice, election.at.isoformat(), election.by
    (<Choice.OPT_IN: 'Opt-in'>, '2020-01-02T10:00:00-05:00', <OrgType.PRACTICE: 'Practice'>)
    """

    choice: Choice = attrs.field(validator=_recorded)
    at: pendulum.DateTime = attrs.field(converter=fields.moment(), eq=utc_key)  # type: ignore[misc]
    by: OrgType = attrs.field(validator=fields.instance_of(OrgType))


def _elections(value: Any) -> FrozenMap[Participant, Election]:
    if isinstance(value, AppendOnlyMap):
        return value
    if not isinstance(value, Mapping):
        try:
            value = dict(value)
        except (TypeError, ValueError):
            raise InvalidInput("ledger.elections", "a mapping of Participant to Election") from None
    for participant, election in value.items():
        if not isinstance(participant, Participant) or not isinstance(election, Election):
            raise InvalidInput("ledger.elections", "a mapping of Participant to Election")
    return AppendOnlyMap.of(value)


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

    __field_prefix__ = "ledger"

    year: int = attrs.field(validator=fields.year())
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
        election = self.election_of(participant)
        return None if election is None else election.choice

    def add(self, event: Elected) -> ElectionLedger:
        """The ledger with ``event`` recorded (in constant time); ``ImpossibleEvent`` for
        another year's event or for a participant that already elected (ELE-FINAL-1: a
        confirmed election is final).
        """
        if not isinstance(event, Elected):
            raise InvalidInput("event", f"an Elected event; got {type(event).__name__}")
        if event.year != self.year:
            raise ImpossibleEvent(
                "event.year", f"a PY{self.year} ledger cannot record a PY{event.year} election"
            )
        if event.participant in self.elections:
            raise ImpossibleEvent(
                "event.participant",
                f"{event.participant} already elected; a confirmed election is final "
                "(ELE-FINAL-1)",
            )
        elections = self.elections
        if not isinstance(elections, AppendOnlyMap):  # a copied ledger: a log of its own
            elections = AppendOnlyMap.of(elections)
        grown = elections.appended(event.participant, Election(event.choice, event.at, event.by))
        return ElectionLedger(self.year, grown)

    def __contains__(self, participant: object) -> bool:
        return participant in self.elections

    def __iter__(self) -> Iterator[Participant]:
        return iter(self.elections)

    def __len__(self) -> int:
        return len(self.elections)


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
class FileFormat(enum.Enum):
    """The format of a file in a registry upload (ELE-BATCH-3): QPP JSON or QRDA III XML;
    QPP XML is named so that it can be refused (not accepted for 2019, erratum E10).

    >>> FileFormat("QRDA III XML")
    <FileFormat.QRDA_III_XML: 'QRDA III XML'>
    """

    QPP_JSON = "QPP JSON"
    QRDA_III_XML = "QRDA III XML"
    QPP_XML = "QPP XML"


@masked_repr
@attrs.frozen
class Elect:
    """The command of one election (ELE-CHOICE-1): ``participant`` chooses ``choice``; its
    opt-in status is ``status`` and ``confirmation`` is the text typed (None: not typed).

    >>> c = Elect(Participant("123456789"), Choice.OPT_IN, OptInStatus.OPT_IN_ELIGIBLE, "CONFIRM")
    >>> c.choice
    <Choice.OPT_IN: 'Opt-in'>
    >>> typed = Elect(Participant("123456789"), Choice.OPT_IN, OptInStatus.OPT_IN_ELIGIBLE,
    ...               "123-45-6789")  # free text: masked where it shows
    >>> "*******6789" in repr(typed), "123-45-6789" in repr(typed)
    (True, False)
    >>> Elect(Participant("123456789"), "Opt-in", OptInStatus.OPT_IN_ELIGIBLE)
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: choice: a Choice; got str 'Opt-in'
    """

    __field_prefix__ = ""  # the arguments of elect: participant, choice, status, confirmation

    participant: Participant = attrs.field(validator=fields.instance_of(Participant))
    choice: Choice = attrs.field(validator=fields.instance_of(Choice))
    status: OptInStatus = attrs.field(validator=fields.instance_of(OptInStatus))
    confirmation: str | None = attrs.field(
        default=None, validator=fields.text(optional=True, limit=1_000)
    )


def _rows(value: Any) -> tuple[tuple[Participant, Choice], ...]:
    if isinstance(value, Mapping):
        items: Iterable[Any] = value.items()
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes):
        items = value
    else:
        raise InvalidInput(
            "choices", f"a mapping of Participant to Choice; got {type(value).__name__}"
        )
    rows: list[tuple[Participant, Choice]] = []
    for index, item in enumerate(items):
        try:
            participant, choice = item
        except (TypeError, ValueError):
            raise InvalidInput(f"choices[{index}]", "a (Participant, Choice) pair") from None
        if not isinstance(participant, Participant):
            raise InvalidInput(
                f"choices[{index}]", f"a Participant; got {type(participant).__name__}"
            )
        if not isinstance(choice, Choice):
            raise InvalidInput(f"choices[{participant}]", f"a Choice; got {shown(choice)}")
        rows.append((participant, choice))
    return tuple(rows)


def _statuses(value: Any) -> FrozenMap[Participant, OptInStatus]:
    if not isinstance(value, Mapping):
        raise InvalidInput(
            "statuses", f"a mapping of Participant to OptInStatus; got {type(value).__name__}"
        )
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


def file_formats(value: Any) -> tuple[FileFormat, ...] | None:
    """The formats of an upload's files (ELE-BATCH-3), text read as :class:`FileFormat`."""
    if value is None:
        return None
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidInput("files", f"a sequence of FileFormat, one per file; got {shown(value)}")
    formats = []
    known = {kind.value: kind for kind in FileFormat}
    for index, item in enumerate(value):
        found = item if isinstance(item, FileFormat) else (
            known.get(item) if isinstance(item, str) else None
        )
        if found is None:
            raise InvalidInput(f"files[{index}]", f"one of {', '.join(known)}; got {shown(item)}")
        formats.append(found)
    return tuple(formats)


@attrs.frozen
class UploadElections:
    """The command of a registry upload (ELE-BATCH-1): one choice per participant
    (``choices``, a mapping or pairs: a participant listed twice is kept, and refuses the
    upload), each participant's opt-in status (``statuses``), the text typed to confirm, and
    the format of each file uploaded (``files``, ELE-BATCH-3; None when the choices are given
    directly rather than as files).

    >>> a = Participant("123456789")
    >>> c = UploadElections({a: Choice.NO_DECISION}, {a: OptInStatus.OPT_IN_ELIGIBLE},
    ...                     files=["QPP JSON"])
    >>> c.files, c.left_exempt(None)
    ((<FileFormat.QPP_JSON: 'QPP JSON'>,), (Participant(tin=TIN('*****6789'), npi=None),))
    >>> UploadElections({a: Choice.OPT_IN}, {})
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: statuses[TIN *****6789]: missing: every row needs its status
    """

    __field_prefix__ = ""

    choices: tuple[tuple[Participant, Choice], ...] = attrs.field(converter=_rows)
    statuses: FrozenMap[Participant, OptInStatus] = attrs.field(converter=_statuses)
    confirmation: str | None = attrs.field(
        default=None, validator=fields.text(optional=True, limit=1_000)
    )
    files: tuple[FileFormat, ...] | None = attrs.field(
        default=None, kw_only=True, converter=file_formats
    )

    def __attrs_post_init__(self) -> None:
        statuses = self.statuses
        for participant, _ in self.choices:
            status = statuses.get(participant)
            if status is None:
                raise InvalidInput(
                    f"statuses[{participant}]", "missing: every row needs its status"
                )
            if not isinstance(status, OptInStatus):
                raise InvalidInput(
                    f"statuses[{participant}]", f"an OptInStatus; got {shown(status)}"
                )

    def rows(self) -> tuple[list[tuple[Participant, Choice]], list[Participant]]:
        """The rows, each participant's first, and the participants listed again."""
        seen: set[Participant] = set()
        rows: list[tuple[Participant, Choice]] = []
        again: list[Participant] = []
        for participant, choice in self.choices:
            if participant in seen:
                again.append(participant)
            else:
                seen.add(participant)
                rows.append((participant, choice))
        return rows, again

    def left_exempt(self, ledger: ElectionLedger | None) -> tuple[Participant, ...]:
        """The No decision participants this upload leaves exempt, free to elect later
        (ELE-CHOICE-1): opt-in eligible and not elected in ``ledger`` (the ledger before the
        upload, or after it: No decision records nothing). A No decision row for a participant
        that is not opt-in eligible (ELE-BATCH-2) or already elected (ELE-FINAL-1) is never
        left exempt: it refuses the upload."""
        if ledger is not None and not isinstance(ledger, ElectionLedger):
            raise InvalidInput("ledger", f"an ElectionLedger or None; got {type(ledger).__name__}")
        return tuple(
            participant
            for participant, choice in self.rows()[0]
            if choice is Choice.NO_DECISION
            and self.statuses[participant] is OptInStatus.OPT_IN_ELIGIBLE
            and (ledger is None or participant not in ledger)
        )
