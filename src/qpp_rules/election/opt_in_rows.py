"""Reading the QPP Eligibility API's opt-in rows, and building the header that asks for them.

A registry asks the Eligibility API for its clients' opt-in state with the header
``Qpp-Opt-In-Entities: 000456789|1234567890,000987654`` (a clinician as ``TIN|NPI``, a group
as its TIN, comma-separated: :func:`opt_in_entities_header`) and gets a list of rows (CMS's
opt-in documentation, as quoted on the QPP APIs forum):
``{"tin": "000456789", "npi": "1234567890", "isOptInEligible": true, "optInDecisionDate":
"2020-01-27T16:57:38.646Z", "isOptedIn": false, "year": 2019, "runNum": 1}``; a group's row
has no ``npi``. :func:`read_opt_in_rows` reads each into an :class:`OptInRow`:

- ``participant``: a :class:`~qpp_rules.election.Participant` (the NPI is read without its
  check digit: CMS's sample NPI ``1234567890`` fails it);
- ``status``: ``OptInStatus.OPT_IN_ELIGIBLE`` when ``isOptInEligible`` is true; None when it
  is false (exempt or MIPS eligible: the row does not say which, ELE-ELIG-1);
- ``election``: ``isOptedIn`` true is ``Choice.OPT_IN``; false *with* an
  ``optInDecisionDate`` is ``Choice.VOLUNTARY`` (API users read it so; CMS has not confirmed
  it); false without a date, or null, is no election yet (None).

A row that is not opt-in eligible yet says it elected (``isOptedIn`` true, or false with a
decision date) contradicts ELE-BATCH-2 (no election for a participant that is not opt-in
eligible; the forum's table: "Can never happen") and is refused with ``InvalidInput`` naming
the row, its TIN masked. The rows may come bare (a JSON array) or as the API's
``{"data": [...]}``.

>>> rows = read_opt_in_rows({"data": [
...     {"tin": "000456789", "npi": "1234567890", "isOptInEligible": True,
...      "optInDecisionDate": "2020-01-27T16:57:38.646Z", "isOptedIn": False,
...      "year": 2019, "runNum": 1},
...     {"tin": "000987654", "isOptInEligible": False, "optInDecisionDate": None,
...      "isOptedIn": None, "year": 2019, "runNum": 1}]})
>>> [(str(r.participant), r.status, r.election) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
[('TIN *****6789 NPI 1234567890', <OptInStatus.OPT_IN_ELIGIBLE: 'Opt-in eligible'>,
  <Choice.VOLUNTARY: 'Report voluntarily'>), ('TIN *****7654', None, None)]
>>> opt_in_entities_header(row.participant for row in rows)
'000456789|1234567890,000987654'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs
import pendulum

from qpp_rules.election.model import Choice, OptInStatus, Participant
from qpp_rules.election.payload import _bool, _date, _kind, _npi, _object, election_read
from qpp_rules.errors import InvalidIdentifier, InvalidInput, shown
from qpp_rules.identifiers import TIN
from qpp_rules.kernel import fields

__all__ = ["HEADER", "OptInRow", "opt_in_entities_header", "read_opt_in_rows"]

HEADER = "Qpp-Opt-In-Entities"
"""The request header naming the entities whose opt-in rows the API returns."""


@attrs.frozen
class OptInRow:
    """One row of the Eligibility API's opt-in answer: who (``participant``), whether it is
    opt-in eligible (``status``: ``OPT_IN_ELIGIBLE``, or None when the row says it is not),
    its election (``election``, None before one), and the row's own fields.

    >>> row = OptInRow(Participant("000987654"), None, None, 2019)
    >>> row.opt_in_eligible, row.elected
    (False, False)
    """

    participant: Participant = attrs.field(validator=fields.instance_of(Participant))
    status: OptInStatus | None = attrs.field(
        validator=fields.instance_of(OptInStatus, optional=True)
    )
    election: Choice | None = attrs.field(validator=fields.instance_of(Choice, optional=True))
    year: int = attrs.field(validator=fields.whole(minimum=2017))
    run: int | None = attrs.field(default=None, validator=fields.whole(minimum=0, optional=True))
    decision_date: pendulum.DateTime | None = attrs.field(
        default=None, converter=fields.moment(optional=True)  # type: ignore[misc]
    )

    def __attrs_post_init__(self) -> None:
        if self.election is not None and self.status is not OptInStatus.OPT_IN_ELIGIBLE:
            raise InvalidInput(
                "opt_in_row",
                f"{self.participant} is not opt-in eligible yet elected "
                f"{self.election.value}: no election for it (ELE-BATCH-2)",
            )

    @property
    def opt_in_eligible(self) -> bool:
        """True when the row says the participant is opt-in eligible."""
        return self.status is OptInStatus.OPT_IN_ELIGIBLE

    @property
    def elected(self) -> bool:
        """True when the row records an election (Opt-in or Report voluntarily)."""
        return self.election is not None


def _rows(obj: object) -> tuple[list[object], str]:
    if isinstance(obj, str | bytes):
        raise InvalidInput("$", "parsed JSON (an array); parse the text with json.loads first")
    if isinstance(obj, Mapping) and "data" in obj:
        obj, where = obj["data"], "$.data"
    else:
        where = "$"
    if not isinstance(obj, list):
        raise InvalidInput(where, f"an array of opt-in rows; got {_kind(obj)}")
    return obj, where


def _tin(row: Mapping[str, object], path: str) -> TIN:
    value = row.get("tin")
    if not isinstance(value, str):
        raise InvalidInput(f"{path}.tin", f"a TIN (string); got {_kind(value)}")
    try:
        return TIN(value.strip())
    except InvalidIdentifier as error:
        raise type(error)(f"{path}.tin", error.message) from None


def _whole(row: Mapping[str, object], key: str, path: str, *, required: bool) -> int | None:
    value = row.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"{path}.{key}", f"a whole number, 0 or more; got {_kind(value)}")
    return value


def _row(row: Mapping[str, object], path: str, year: int | None) -> OptInRow:
    tin = _tin(row, path)
    npi = None if row.get("npi") is None else _npi(row.get("npi"), f"{path}.npi")
    participant = Participant(tin, npi)
    eligible = _bool(row, "isOptInEligible", path, required=True)
    opted_in = _bool(row, "isOptedIn", path)
    decided = _date(row, path)
    row_year = _whole(row, "year", path, required=True)
    assert row_year is not None
    if year is not None and row_year != year:
        raise InvalidInput(f"{path}.year", f"the rows asked for are PY{year}; got {row_year}")
    election = election_read(opted_in, decided)
    if not eligible and election is not None:
        said = "isOptedIn true" if opted_in else "isOptedIn false with an optInDecisionDate"
        raise InvalidInput(
            path,
            f"the row for {participant} is not opt-in eligible (isOptInEligible false) yet "
            f"says it elected ({said}): the row contradicts itself (ELE-BATCH-2: no election "
            "for a participant that is not opt-in eligible)",
        )
    return OptInRow(
        participant,
        OptInStatus.OPT_IN_ELIGIBLE if eligible else None,
        election,
        row_year,
        _whole(row, "runNum", path, required=False),
        decided,
    )


def read_opt_in_rows(obj: object, *, year: int | None = None) -> tuple[OptInRow, ...]:
    """The rows of an Eligibility API opt-in answer (already-parsed JSON: an array of rows,
    or ``{"data": [...]}``), in order; with ``year``, every row must be of that year. A
    malformed row raises ``InvalidInput`` naming its JSON path (``$.data[1].isOptedIn``).

    >>> read_opt_in_rows([{"tin": "000987654", "isOptInEligible": False, "isOptedIn": True,
    ...                    "year": 2019}])
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: $[0]: the row for TIN *****7654 is not opt-in eligible \
(isOptInEligible false) yet says it elected (isOptedIn true): the row contradicts itself \
(ELE-BATCH-2: no election for a participant that is not opt-in eligible)
    """
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not 2017 <= year <= 9999
    ):
        raise InvalidInput("year", f"a performance year or None; got {shown(year)}")
    rows, where = _rows(obj)
    return tuple(
        _row(_object(row, f"{where}[{index}]"), f"{where}[{index}]", year)
        for index, row in enumerate(rows)
    )


def opt_in_entities_header(participants: Iterable[Participant]) -> str:
    """The value of the ``Qpp-Opt-In-Entities`` request header for ``participants``: a
    clinician as ``TIN|NPI``, a group as its TIN, comma-separated, in order, each once. The
    value holds the TINs in full (it is what the API reads): never log it.

    >>> from qpp_rules import NPI
    >>> opt_in_entities_header([Participant("000456789", NPI("1234567890", check_digit=False)),
    ...                         Participant("000987654")])
    '000456789|1234567890,000987654'
    """
    entities: dict[str, None] = {}
    for participant in fields.sequence_of(participants, Participant, "participants"):
        tin = participant.tin.value
        entities[tin if participant.npi is None else f"{tin}|{participant.npi.value}"] = None
    if not entities:
        raise InvalidInput("participants", "at least one participant to ask about")
    return ",".join(entities)
