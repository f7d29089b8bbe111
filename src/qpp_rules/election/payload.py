"""Reading a QPP Eligibility API (v6) NPI response: ``GET /api/eligibility/npi/{npi}``.

:func:`read_eligibility_payload` takes the already-parsed JSON object and gives one
:class:`EligibilityRecord` per organization and scenario (``individualScenario``,
``groupScenario``). How it reads the fields:

- the low-volume facts come from the reason codes alone (``LowVolumeFacts.from_exceeded``):
  ``lowVolumeSwitch`` false means every element exceeded; true means the codes in
  ``lowVolumeStatusReasons[].lowVolStusRsnCd`` name the elements that fell below (``BENE`` =
  patients, ``CHRG`` = allowed charges, ``SRVC`` = covered services, ``BOTH`` = patients and
  charges, ``BENE/SRVC``, ``CHRG/SRVC``, ``ALL``; empty only with the switch false), and the
  others were exceeded. A switch true with no code naming an element raises ``InvalidInput``
  (:class:`LowVolumeFacts` cannot say "below on an element not known"; guessing one would
  invent a fact), and so does a switch false with codes naming elements (a contradiction);
  an unknown code raises too. ``lowVolumeServices`` is a count of claim lines, not the services
  element: it is kept (``low_volume_services``) and never used to decide;
- ``isOptedIn`` true is ``Choice.OPT_IN``; false *with* an ``optInDecisionDate`` is read as
  ``Choice.VOLUNTARY`` (API users read it so; CMS has not confirmed this reading in anything
  we found); false without a date, or null, is no election (None);
- the NPI is read without its check digit (CMS's own sample NPI ``1234567890`` fails it);
- CMS masks TINs in public responses (``XXXXXXXXXX``): a masked TIN stays the masked text
  it is, never a :class:`~qpp_rules.TIN`; a real 9-digit TIN becomes a TIN (masked in every
  repr).

A malformed payload raises :class:`~qpp_rules.InvalidInput` naming the JSON path (for example
``$.data.organizations[0].individualScenario.lowVolumeSwitch``); the API's error envelope
``{"error": {"type", "message"}}`` raises :class:`EligibilityApiError`.

>>> payload = {"data": {"npi": "1234567890", "organizations": [{
...     "TIN": "XXXXXXXXXX", "prvdrOrgName": "Scooby Gang Health Partners",
...     "individualScenario": {"lowVolumeSwitch": True, "isOptInEligible": True,
...         "lowVolumeStatusReasons": [{"lowVolStusRsnCd": "BOTH"}], "isOptedIn": None}}]}}
>>> (record,) = read_eligibility_payload(payload, year=2019)
>>> record.scenario, record.facts.exceeded, record.election, record.tin
('individual', (False, False, True), None, 'XXXXXXXXXX')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

import attrs
import pendulum

from qpp_rules.election.eligibility import opt_in_status
from qpp_rules.election.model import Choice, LowVolumeFacts, OptInStatus, Participant
from qpp_rules.errors import (
    InvalidIdentifier,
    InvalidInput,
    QppRulesError,
    mask,
    mask_tins,
    shown,
)
from qpp_rules.identifiers import NPI, TIN
from qpp_rules.kernel import fields
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.model import PolicyYear
from qpp_rules.policy.registry import policy_for

__all__ = [
    "REASON_CODES",
    "EligibilityApiError",
    "EligibilityRecord",
    "read_eligibility_payload",
]

REASON_CODES: Mapping[str, frozenset[str]] = FrozenMap(
    {
        "BENE": frozenset({"patients"}),
        "CHRG": frozenset({"allowed_charges"}),
        "SRVC": frozenset({"covered_services"}),
        "BOTH": frozenset({"patients", "allowed_charges"}),
        "BENE/SRVC": frozenset({"patients", "covered_services"}),
        "CHRG/SRVC": frozenset({"allowed_charges", "covered_services"}),
        "ALL": frozenset({"patients", "allowed_charges", "covered_services"}),
        "": frozenset(),
    }
)
"""``lowVolStusRsnCd``: the elements that fell below the threshold (the swagger model)."""

_SCENARIOS: tuple[tuple[str, Literal["individual", "group"]], ...] = (
    ("individualScenario", "individual"),
    ("groupScenario", "group"),
)
_MASKED_TIN = re.compile(r"[Xx*]+[0-9]{0,4}")
_NINE_DIGITS = re.compile(r"(?<![0-9])[0-9]{9}(?![0-9])")


class EligibilityApiError(QppRulesError):
    """The Eligibility API answered with its error envelope ``{"error": {"type",
    "message"}}``: ``.type`` (e.g. ``"NoProviderInformation"``) and ``.message``.

    >>> try:
    ...     read_eligibility_payload({"error": {"type": "InvalidFormatNpi",
    ...                                         "message": "Please supply a valid NPI"}}, year=2019)
    ... except EligibilityApiError as error:
    ...     print(error.type, "|", error)
    InvalidFormatNpi | QPP Eligibility API error InvalidFormatNpi: Please supply a valid NPI
    """

    def __init__(self, type: str, message: str) -> None:
        self.type = type
        self.message = mask_tins(message)  # the API's text may quote the TIN asked about
        shown = _NINE_DIGITS.sub(lambda match: mask(match.group(0)), message)
        super().__init__(f"QPP Eligibility API error {type}: {shown}")


_maybe_flag = fields.instance_of(bool, optional=True)


@attrs.frozen
class EligibilityRecord:
    """One organization's individual or group scenario, as the payload reports it.

    ``facts`` is what the reason codes say (:meth:`LowVolumeFacts.from_exceeded`);
    ``payload_opt_in_eligible`` is the payload's own ``isOptInEligible``; :meth:`status`
    is the library's answer on ``facts``, which agrees with it on CMS's sample. ``tin`` is a
    :class:`~qpp_rules.TIN`, or the masked text CMS sent (``"XXXXXXXXXX"``).

    >>> payload = {"data": {"npi": "1234567890", "organizations": [{
    ...     "TIN": "000765630", "individualScenario": {"lowVolumeSwitch": True,
    ...         "isOptInEligible": True, "lowVolumeStatusReasons": [{"lowVolStusRsnCd": "BOTH"}],
    ...         "isOptedIn": None}}]}}
    >>> (record,) = read_eligibility_payload(payload, year=2019)
    >>> record.tin, record.tin_masked, sorted(record.fell_below)
    (TIN('*****5630'), False, ['allowed_charges', 'patients'])
    >>> record.status(), record.payload_opt_in_eligible
    (<OptInStatus.OPT_IN_ELIGIBLE: 'Opt-in eligible'>, True)
    """

    __field_prefix__ = "record"

    year: int = attrs.field(validator=fields.whole())
    npi: NPI = attrs.field(validator=fields.instance_of(NPI))
    tin: TIN | str = attrs.field(validator=fields.instance_of((TIN, str)))
    organization_name: str | None = attrs.field(validator=fields.text(optional=True))
    scenario: Literal["individual", "group"] = attrs.field(validator=fields.text())
    facts: LowVolumeFacts = attrs.field(validator=fields.instance_of(LowVolumeFacts))
    fell_below: frozenset[str] = attrs.field(
        converter=fields.frozenset_of(str)  # type: ignore[misc]
    )
    reason_codes: tuple[str, ...] = attrs.field(converter=fields.tuple_of(str))  # type: ignore[misc]
    payload_opt_in_eligible: bool | None = attrs.field(validator=_maybe_flag)
    election: Choice | None = attrs.field(validator=fields.instance_of(Choice, optional=True))
    is_opted_in: bool | None = attrs.field(validator=_maybe_flag)
    decision_date: pendulum.DateTime | None = attrs.field(
        validator=fields.instance_of(pendulum.DateTime, optional=True)
    )
    small_group_practitioner: bool | None = attrs.field(validator=_maybe_flag)
    rural_clinician: bool | None = attrs.field(validator=_maybe_flag)
    is_eligible: FrozenMap[str, bool | str] = attrs.field(
        validator=fields.instance_of(FrozenMap)
    )
    low_volume_services: int | None = attrs.field(
        validator=fields.whole(minimum=0, optional=True)
    )

    def __attrs_post_init__(self) -> None:
        if self.scenario not in ("individual", "group"):
            raise InvalidInput(
                "record.scenario", f"individual or group; got {shown(self.scenario)}"
            )

    @property
    def tin_masked(self) -> bool:
        """True when CMS sent the TIN masked (no TIN to act on)."""
        return not isinstance(self.tin, TIN)

    @property
    def participant(self) -> Participant | None:
        """The election participant (the group's TIN, or the clinician's TIN and NPI), or
        None when the TIN came masked."""
        if not isinstance(self.tin, TIN):
            return None
        return Participant(self.tin, self.npi if self.scenario == "individual" else None)

    @property
    def eligible(self) -> bool | None:
        """``isEligible`` for this scenario (``individual`` or ``group``), when a boolean."""
        value = self.is_eligible.get(self.scenario)
        return value if isinstance(value, bool) else None

    def status(self, policy: PolicyYear | None = None) -> OptInStatus:
        """The library's opt-in status on :attr:`facts` under ``policy`` (the record's year
        by default), ELE-ELIG-1."""
        return opt_in_status(self.facts, policy if policy is not None else policy_for(self.year))


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------
def _object(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise InvalidInput(path, f"a JSON object; got {_kind(value)}")
    return value


def _kind(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _bool(
    scenario: Mapping[str, object], key: str, path: str, *, required: bool = False
) -> bool | None:
    value = scenario.get(key)
    if value is None:
        if required:
            where = "missing" if key not in scenario else "null"
            raise InvalidInput(f"{path}.{key}", f"a boolean is required; {where}")
        return None
    if not isinstance(value, bool):
        raise InvalidInput(f"{path}.{key}", f"a boolean or null; got {_kind(value)}")
    return value


def _fell_below(
    scenario: Mapping[str, object], switch: bool, path: str
) -> tuple[frozenset[str], tuple[str, ...]]:
    where = f"{path}.lowVolumeStatusReasons"
    raw = scenario.get("lowVolumeStatusReasons")
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise InvalidInput(where, f"an array; got {_kind(raw)}")
    below: set[str] = set()
    codes: list[str] = []
    for index, item in enumerate(raw):
        entry = _object(item, f"{where}[{index}]")
        code_path = f"{where}[{index}].lowVolStusRsnCd"
        code = entry.get("lowVolStusRsnCd")
        if code is None:
            code = ""
        if not isinstance(code, str):
            raise InvalidInput(code_path, f"a reason code (string); got {_kind(code)}")
        cleaned = code.strip().upper()
        if cleaned not in REASON_CODES:
            known = ", ".join(repr(known) for known in REASON_CODES)
            raise InvalidInput(code_path, f"unknown reason code {code[:20]!r}; one of {known}")
        codes.append(cleaned)
        below |= REASON_CODES[cleaned]
    if switch and not below:
        # "below on some element, not known which": LowVolumeFacts.from_exceeded can leave
        # only covered services unknown (charges and patients are True or False), so it cannot
        # say this; guessing either element would invent a fact.
        raise InvalidInput(
            where,
            f"{path}.lowVolumeSwitch is true (fell below the low-volume threshold) but "
            "lowVolumeStatusReasons names no element that fell below (no reason code, or only "
            "blank codes); the facts cannot be read: LowVolumeFacts cannot express 'below on "
            "an unknown element'",
        )
    if not switch and below:
        named = ", ".join(repr(code) for code in codes if REASON_CODES[code])
        raise InvalidInput(
            where,
            f"{path}.lowVolumeSwitch is false (every element exceeded) but "
            f"lowVolumeStatusReasons has codes {named} naming elements that fell below: the two "
            "fields contradict each other",
        )
    return frozenset(below), tuple(codes)


def _date(scenario: Mapping[str, object], path: str) -> pendulum.DateTime | None:
    value = scenario.get("optInDecisionDate")
    where = f"{path}.optInDecisionDate"
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(where, f"a date-time string or null; got {_kind(value)}")
    try:
        parsed = pendulum.parse(value)
    except (ValueError, TypeError, OverflowError):
        raise InvalidInput(where, f"not an ISO 8601 date-time: {value[:40]!r}") from None
    if not isinstance(parsed, pendulum.DateTime):
        raise InvalidInput(where, f"a date and time; got {value[:40]!r}")
    return parsed


def _eligible(scenario: Mapping[str, object], path: str) -> FrozenMap[str, bool | str]:
    value = scenario.get("isEligible")
    where = f"{path}.isEligible"
    if value is None:
        return FrozenMap()
    table = _object(value, where)
    result: dict[str, bool | str] = {}
    for key, flag in table.items():
        if flag is None:
            continue
        if not isinstance(flag, bool | str):
            raise InvalidInput(f"{where}.{key}", f"a boolean (or string); got {_kind(flag)}")
        result[str(key)] = flag
    return FrozenMap(result)


def _count(scenario: Mapping[str, object], key: str, path: str) -> int | None:
    value = scenario.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"{path}.{key}", f"a whole number, 0 or more; got {_kind(value)}")
    return value


def _tin(value: object, path: str) -> TIN | str:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**20:
        value = str(value)
    if not isinstance(value, str):
        raise InvalidInput(path, f"a TIN (string); got {_kind(value)}")
    text = value.strip()
    if _MASKED_TIN.fullmatch(text):
        return text
    try:
        return TIN(text)
    except InvalidIdentifier as error:
        raise type(error)(path, error.message) from None


def _npi(value: object, path: str) -> NPI:
    try:
        return NPI(value, check_digit=False)
    except InvalidIdentifier as error:
        raise type(error)(path, error.message) from None


def _record(
    scenario: Mapping[str, object],
    path: str,
    *,
    kind: Literal["individual", "group"],
    year: int,
    npi: NPI,
    tin: TIN | str,
    name: str | None,
) -> EligibilityRecord:
    switch = _bool(scenario, "lowVolumeSwitch", path, required=True)
    assert switch is not None
    below, codes = _fell_below(scenario, switch, path)
    facts = LowVolumeFacts.from_exceeded(
        allowed_charges="allowed_charges" not in below,
        patients="patients" not in below,
        covered_services="covered_services" not in below,
    )
    opted_in = _bool(scenario, "isOptedIn", path)
    decided = _date(scenario, path)
    election = election_read(opted_in, decided)
    return EligibilityRecord(
        year=year,
        npi=npi,
        tin=tin,
        organization_name=name,
        scenario=kind,
        facts=facts,
        fell_below=below,
        reason_codes=codes,
        payload_opt_in_eligible=_bool(scenario, "isOptInEligible", path),
        election=election,
        is_opted_in=opted_in,
        decision_date=decided,
        small_group_practitioner=_bool(scenario, "smallGroupPractitioner", path),
        rural_clinician=_bool(scenario, "ruralClinician", path),
        is_eligible=_eligible(scenario, path),
        low_volume_services=_count(scenario, "lowVolumeServices", path),
    )


def election_read(opted_in: bool | None, decided: pendulum.DateTime | None) -> Choice | None:
    """The election an Eligibility API answer records: ``isOptedIn`` true is Opt-in; false
    with an ``optInDecisionDate`` is Report voluntarily (API users' reading; not confirmed by
    CMS); false without a date, or null, is no election yet."""
    if opted_in is True:
        return Choice.OPT_IN
    if opted_in is False and decided is not None:
        return Choice.VOLUNTARY
    return None


def _raise_envelope(envelope: object) -> None:
    error = _object(envelope, "$.error")
    kind = error.get("type")
    message = error.get("message")
    if not isinstance(kind, str):
        raise InvalidInput("$.error.type", f"a string; got {_kind(kind)}")
    if not isinstance(message, str):
        raise InvalidInput("$.error.message", f"a string; got {_kind(message)}")
    raise EligibilityApiError(kind, message)


def read_eligibility_payload(obj: object, *, year: int) -> tuple[EligibilityRecord, ...]:
    """The records of a QPP Eligibility API v6 NPI response (already-parsed JSON), one per
    organization and scenario, in the payload's order (individual before group).

    >>> (only,) = read_eligibility_payload({"data": {"npi": "1234567893", "organizations": [{
    ...     "TIN": "123456789", "groupScenario": {"lowVolumeSwitch": False,
    ...         "isOptedIn": False, "optInDecisionDate": "2020-01-03T00:00:00.000Z"}}]}},
    ...     year=2019)
    >>> only.scenario, only.election, only.participant
    ('group', <Choice.VOLUNTARY: 'Report voluntarily'>, Participant(tin=TIN('*****6789'), npi=None))
    >>> read_eligibility_payload({"data": {"npi": "1234567893", "organizations": [{
    ...     "TIN": "XXXXXXXXXX", "groupScenario": {"lowVolumeSwitch": "no"}}]}}, year=2019)
    Traceback (most recent call last):
    ...
    qpp_rules.errors.InvalidInput: $.data.organizations[0].groupScenario.lowVolumeSwitch: a \
boolean or null; got string
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidInput("year", f"a performance year; got {shown(year)}")
    if isinstance(obj, str | bytes):
        raise InvalidInput("$", "parsed JSON (an object); parse the text with json.loads first")
    root = _object(obj, "$")
    if "error" in root and root.get("data") is None:
        _raise_envelope(root["error"])
    data = _object(root.get("data"), "$.data")
    npi = _npi(data.get("npi"), "$.data.npi")
    organizations = data.get("organizations")
    if organizations is None:
        organizations = []
    if not isinstance(organizations, list):
        raise InvalidInput("$.data.organizations", f"an array; got {_kind(organizations)}")
    records: list[EligibilityRecord] = []
    for index, item in enumerate(organizations):
        path = f"$.data.organizations[{index}]"
        organization = _object(item, path)
        tin = _tin(organization.get("TIN"), f"{path}.TIN")
        name = organization.get("prvdrOrgName")
        if name is not None and not isinstance(name, str):
            raise InvalidInput(f"{path}.prvdrOrgName", f"a string; got {_kind(name)}")
        for key, kind in _SCENARIOS:
            scenario = organization.get(key)
            if scenario is None:
                continue
            where = f"{path}.{key}"
            records.append(
                _record(
                    _object(scenario, where),
                    where,
                    kind=kind,
                    year=year,
                    npi=npi,
                    tin=tin,
                    name=name or None,
                )
            )
    return tuple(records)
