"""Reading the QPP Eligibility API v6 NPI response (tests/fixtures, CMS's own sample)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pendulum
import pytest
from election_helpers import PY2018, PY2019, PY2021
from hypothesis import given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.election import (
    Choice,
    EligibilityApiError,
    EligibilityRecord,
    LowVolumeFacts,
    OptInStatus,
    Participant,
    opt_in_status,
    read_eligibility_payload,
)
from qpp_rules.election.payload import REASON_CODES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


SAMPLE = load("eligibility-api-v6-npi-sample.json")


def sample() -> Any:
    return copy.deepcopy(SAMPLE)


# -- CMS's sample, end to end ---------------------------------------------------------------
def test_cms_sample_read_end_to_end() -> None:
    records = read_eligibility_payload(sample(), year=2019)
    assert [record.scenario for record in records] == ["individual", "group"]
    for record in records:
        assert isinstance(record, EligibilityRecord)
        assert record.organization_name == "Scooby Gang Health Partners"
        assert record.year == 2019
        # BOTH: patients and charges fell below; services exceeded
        assert record.reason_codes == ("BOTH",)
        assert record.fell_below == frozenset({"patients", "allowed_charges"})
        assert record.facts == LowVolumeFacts.from_exceeded(
            allowed_charges=False, patients=False, covered_services=True
        )
        assert record.payload_opt_in_eligible is True
        assert record.is_opted_in is True
        assert record.election is Choice.OPT_IN
        assert record.decision_date == pendulum.datetime(2019, 9, 13, tz="UTC")
        assert record.small_group_practitioner is False
        assert record.rural_clinician is False
        assert record.eligible is False
        assert record.low_volume_services == 23
        # the NPI fails its check digit: read without it
        assert record.npi.value == "1234567890"
        assert not qr.NPI.is_valid("1234567890")
        # CMS's mask stays a masked string, never a TIN
        assert record.tin == "XXXXXXXXXX"
        assert record.tin_masked
        assert not isinstance(record.tin, qr.TIN)
        assert record.participant is None
    assert dict(records[0].is_eligible) == {
        "individual": False, "group": False, "mipsApm": False, "virtualGroup": False
    }


def test_ele_elig_1_library_agrees_with_payload_on_cms_sample() -> None:
    """ELE-ELIG-1: opt_in_status on what was read agrees with the payload's isOptInEligible."""
    for record in read_eligibility_payload(sample(), year=2019):
        status = opt_in_status(record.facts, PY2019)
        assert (status is OptInStatus.OPT_IN_ELIGIBLE) is record.payload_opt_in_eligible
        assert record.status() is status
        assert record.status(PY2021) is status


def test_low_volume_services_is_not_the_services_element() -> None:
    """lowVolumeServices counts claim lines: it never decides the services element."""
    payload = sample()
    for key in ("individualScenario", "groupScenario"):
        payload["data"]["organizations"][0][key]["lowVolumeServices"] = 0
    low = read_eligibility_payload(payload, year=2019)
    for key in ("individualScenario", "groupScenario"):
        payload["data"]["organizations"][0][key]["lowVolumeServices"] = 10**6
    high = read_eligibility_payload(payload, year=2019)
    assert [r.facts for r in low] == [r.facts for r in high]
    assert [r.status() for r in low] == [OptInStatus.OPT_IN_ELIGIBLE] * 2


# -- reason codes --------------------------------------------------------------------------------
def scenario_with(**fields: Any) -> Any:
    payload = sample()
    organization = payload["data"]["organizations"][0]
    del organization["groupScenario"]
    organization["individualScenario"].update(fields)
    return payload


@pytest.mark.parametrize(("switch", "code", "exceeded", "status"), [
    (True, "BENE", (True, False, True), OptInStatus.OPT_IN_ELIGIBLE),
    (True, "CHRG", (False, True, True), OptInStatus.OPT_IN_ELIGIBLE),
    (True, "SRVC", (True, True, False), OptInStatus.OPT_IN_ELIGIBLE),
    (True, "BOTH", (False, False, True), OptInStatus.OPT_IN_ELIGIBLE),
    (True, "BENE/SRVC", (True, False, False), OptInStatus.OPT_IN_ELIGIBLE),
    (True, "CHRG/SRVC", (False, True, False), OptInStatus.OPT_IN_ELIGIBLE),
    (True, "ALL", (False, False, False), OptInStatus.EXEMPT),
    (False, "", (True, True, True), OptInStatus.MIPS_ELIGIBLE),
])
def test_ele_elig_1_reason_codes(switch: bool, code: str, exceeded: tuple[bool, bool, bool],
                                 status: OptInStatus) -> None:
    """ELE-ELIG-1 on the reason codes: a code names the elements that fell below (BENE =
    patients, CHRG = charges, SRVC = services); lowVolumeSwitch false = all exceeded."""
    payload = scenario_with(lowVolumeSwitch=switch,
                            lowVolumeStatusReasons=[{"lowVolStusRsnCd": code}])
    (record,) = read_eligibility_payload(payload, year=2019)
    assert record.facts.exceeded == exceeded  # (charges, patients, services)
    assert record.status() is status


def test_switch_false_with_no_reasons_and_several_codes() -> None:
    (record,) = read_eligibility_payload(
        scenario_with(lowVolumeSwitch=False, lowVolumeStatusReasons=[]), year=2019
    )
    assert record.status() is OptInStatus.MIPS_ELIGIBLE
    payload = scenario_with(lowVolumeStatusReasons=[{"lowVolStusRsnCd": "BENE"},
                                                    {"lowVolStusRsnCd": "chrg "}])
    (record,) = read_eligibility_payload(payload, year=2019)
    assert record.fell_below == frozenset({"patients", "allowed_charges"})
    assert record.reason_codes == ("BENE", "CHRG")


@pytest.mark.parametrize("reasons", [[], None, [{"lowVolStusRsnCd": ""}],
                                     [{"lowVolStusRsnCd": None}]])
def test_ele_elig_1_switch_true_without_an_element_keeps_raising(reasons: Any) -> None:
    """ELE-ELIG-1 facts: lowVolumeSwitch true says some element fell below, but no code says
    which. LowVolumeFacts.from_exceeded cannot express 'below on an unknown element' (only
    covered services may be left unknown, and that would not say 'below'), so the reader
    keeps raising, naming both fields and why."""
    payload = scenario_with(lowVolumeSwitch=True, lowVolumeStatusReasons=reasons)
    with pytest.raises(qr.InvalidInput) as caught:
        read_eligibility_payload(payload, year=2019)
    scenario = "$.data.organizations[0].individualScenario"
    assert caught.value.field == f"{scenario}.lowVolumeStatusReasons"
    message = str(caught.value)
    assert f"{scenario}.lowVolumeSwitch is true" in message
    assert "lowVolumeStatusReasons names no element" in message
    assert "unknown element" in message
    with pytest.raises(qr.InvalidInput):  # no LowVolumeFacts says "unknown" for charges
        LowVolumeFacts.from_exceeded(allowed_charges=None, patients=None)  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["BENE", "CHRG", "SRVC", "BOTH", "ALL"])
def test_ele_elig_1_switch_false_with_codes_below_is_a_contradiction(code: str) -> None:
    """ELE-ELIG-1 facts: lowVolumeSwitch false (every element exceeded) with a code naming
    an element below contradicts itself: refused, the message naming both fields."""
    payload = scenario_with(lowVolumeSwitch=False,
                            lowVolumeStatusReasons=[{"lowVolStusRsnCd": code}])
    with pytest.raises(qr.InvalidInput) as caught:
        read_eligibility_payload(payload, year=2019)
    scenario = "$.data.organizations[0].individualScenario"
    assert caught.value.field == f"{scenario}.lowVolumeStatusReasons"
    message = str(caught.value)
    assert f"{scenario}.lowVolumeSwitch is false" in message
    assert f"lowVolumeStatusReasons has codes {code!r}" in message
    assert "contradict" in message


@pytest.mark.parametrize("switch", [True, False])
def test_ele_elig_1_unknown_codes_still_raise(switch: bool) -> None:
    payload = scenario_with(lowVolumeSwitch=switch,
                            lowVolumeStatusReasons=[{"lowVolStusRsnCd": "LOW"}])
    with pytest.raises(qr.InvalidInput, match="unknown reason code"):
        read_eligibility_payload(payload, year=2019)


def test_py2018_payload_reads_under_the_two_element_threshold() -> None:
    payload = scenario_with(lowVolumeStatusReasons=[{"lowVolStusRsnCd": "SRVC"}])
    (record,) = read_eligibility_payload(payload, year=2018)
    assert record.status() is OptInStatus.MIPS_ELIGIBLE  # no services element in PY2018
    assert record.status(PY2018) is OptInStatus.MIPS_ELIGIBLE


@given(st.booleans(), st.lists(st.sampled_from(sorted(REASON_CODES)), max_size=3))
def test_ele_elig_1_agrees_with_cms_meaning_of_the_codes(switch: bool, codes: list[str]) -> None:
    """Property: whatever the codes, the status is opt-in eligible exactly when one or two of
    the three elements fell below (the meaning of isOptInEligible)."""
    below: set[str] = set()
    for code in codes:
        below |= REASON_CODES[code]
    payload = scenario_with(lowVolumeSwitch=switch,
                            lowVolumeStatusReasons=[{"lowVolStusRsnCd": c} for c in codes])
    if switch != bool(below):
        with pytest.raises(qr.InvalidInput, match="lowVolumeStatusReasons"):
            read_eligibility_payload(payload, year=2019)
        return
    (record,) = read_eligibility_payload(payload, year=2019)
    assert (record.status() is OptInStatus.OPT_IN_ELIGIBLE) is (0 < len(below) < 3)


# -- elections -------------------------------------------------------------------------------
@pytest.mark.parametrize(("opted_in", "date", "expected"), [
    (True, "2019-09-13T00:00:00.000Z", Choice.OPT_IN),
    (True, None, Choice.OPT_IN),
    (False, "2020-01-03T15:00:00.000Z", Choice.VOLUNTARY),  # API users' reading, unconfirmed
    (False, None, None),
    (None, None, None),
])
def test_election_read_from_is_opted_in(opted_in: bool | None, date: str | None,
                                        expected: Choice | None) -> None:
    (record,) = read_eligibility_payload(
        scenario_with(isOptedIn=opted_in, optInDecisionDate=date), year=2019
    )
    assert record.election is expected
    assert record.is_opted_in is opted_in


def test_missing_optional_fields_are_none() -> None:
    payload = {"data": {"npi": "1234567893", "organizations": [
        {"TIN": "XXXXXXXXXX", "individualScenario": {"lowVolumeSwitch": False}}]}}
    (record,) = read_eligibility_payload(payload, year=2019)
    assert record.organization_name is None
    assert record.payload_opt_in_eligible is None
    assert record.election is None
    assert record.decision_date is None
    assert record.small_group_practitioner is None
    assert record.rural_clinician is None
    assert record.eligible is None
    assert record.low_volume_services is None
    empty = read_eligibility_payload({"data": {"npi": "1234567893", "organizations": []}},
                                     year=2019)
    assert empty == ()


def test_real_tin_becomes_a_participant() -> None:
    payload = sample()
    payload["data"]["organizations"][0]["TIN"] = "98-7654321"
    individual, grouped = read_eligibility_payload(payload, year=2019)
    assert individual.tin == qr.TIN("987654321")
    assert not individual.tin_masked
    npi = qr.NPI("1234567890", check_digit=False)
    assert individual.participant == Participant(qr.TIN("987654321"), npi)
    assert grouped.participant == Participant(qr.TIN("987654321"))
    assert "987654321" not in repr(individual)
    assert "98765" not in repr(individual)


def test_group_is_eligible_may_be_a_string() -> None:
    payload = sample()
    payload["data"]["organizations"][0]["groupScenario"]["isEligible"] = {"group": "true"}
    _, grouped = read_eligibility_payload(payload, year=2019)
    assert grouped.is_eligible["group"] == "true"
    assert grouped.eligible is None


# -- error envelopes -----------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "kind", "message"), [
    ("eligibility-api-v6-error-400.json", "InvalidFormatNpi", "Please supply a valid NPI"),
    ("eligibility-api-v6-error-404.json", "NoProviderInformation",
     "No individual clinician information exists for this NPI"),
])
def test_error_envelopes(name: str, kind: str, message: str) -> None:
    with pytest.raises(EligibilityApiError) as caught:
        read_eligibility_payload(load(name), year=2019)
    assert caught.value.type == kind
    assert caught.value.message == message
    assert kind in str(caught.value)
    assert message in str(caught.value)
    assert isinstance(caught.value, qr.QppRulesError)
    assert not isinstance(caught.value, qr.InvalidInput)


def test_error_envelope_masks_a_tin_in_its_message() -> None:
    envelope = {"error": {"type": "NoTin", "message": "No data for TIN 123456789"}}
    with pytest.raises(EligibilityApiError) as caught:
        read_eligibility_payload(envelope, year=2019)
    assert "123456789" not in str(caught.value)


@pytest.mark.parametrize(("envelope", "path"), [
    ({"error": "boom"}, r"\$\.error"),
    ({"error": {"message": "x"}}, r"\$\.error\.type"),
    ({"error": {"type": "X", "message": 5}}, r"\$\.error\.message"),
])
def test_malformed_error_envelope(envelope: Any, path: str) -> None:
    with pytest.raises(qr.InvalidInput, match=path):
        read_eligibility_payload(envelope, year=2019)


# -- malformed payloads name the JSON path ---------------------------------------------------
ORG = "$.data.organizations[0]"
IND = f"{ORG}.individualScenario"


def _set(path: list[Any], value: Any) -> Any:
    payload = sample()
    target = payload
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return payload


ORG_KEYS = ["data", "organizations", 0]
IND_KEYS = [*ORG_KEYS, "individualScenario"]


@pytest.mark.parametrize(("payload", "path"), [
    ([], r"^\$: "),
    ("{}", r"^\$: "),
    ({}, r"^\$\.data: "),
    ({"data": []}, r"^\$\.data: "),
    (_set(["data", "npi"], KeyError), r"^\$\.data\.npi: "),
    (_set(["data", "npi"], "12345"), r"^\$\.data\.npi: "),
    (_set(["data", "organizations"], {}), r"^\$\.data\.organizations: "),
    (_set(ORG_KEYS, "org"), "^" + re.escape(f"{ORG}: ")),
    (_set([*ORG_KEYS, "TIN"], KeyError), r"\.TIN: "),
    (_set([*ORG_KEYS, "TIN"], "12345"), r"\.TIN: "),
    (_set([*ORG_KEYS, "prvdrOrgName"], 5), r"\.prvdrOrgName: "),
    (_set([*ORG_KEYS, "groupScenario"], []), r"\.groupScenario: "),
    (_set([*IND_KEYS, "lowVolumeSwitch"], KeyError), r"\.individualScenario\.lowVolumeSwitch: "),
    (_set([*IND_KEYS, "lowVolumeSwitch"], "true"), r"\.individualScenario\.lowVolumeSwitch: "),
    (_set([*IND_KEYS, "lowVolumeSwitch"], None), r"\.individualScenario\.lowVolumeSwitch: "),
    (_set([*IND_KEYS, "lowVolumeStatusReasons"], {}), r"\.lowVolumeStatusReasons: "),
    (_set([*IND_KEYS, "lowVolumeStatusReasons"], [5]), r"\.lowVolumeStatusReasons\[0\]: "),
    (_set([*IND_KEYS, "lowVolumeStatusReasons", 0, "lowVolStusRsnCd"], "NONE"),
     r"\.lowVolumeStatusReasons\[0\]\.lowVolStusRsnCd: "),
    (_set([*IND_KEYS, "lowVolumeStatusReasons", 0, "lowVolStusRsnCd"], 3),
     r"\.lowVolumeStatusReasons\[0\]\.lowVolStusRsnCd: "),
    (_set([*IND_KEYS, "lowVolumeStatusReasons"], []),
     r"\.individualScenario\.lowVolumeStatusReasons: "),
    (_set([*IND_KEYS, "lowVolumeSwitch"], False),
     r"\.individualScenario\.lowVolumeStatusReasons: "),
    (_set([*IND_KEYS, "isOptedIn"], "yes"), r"\.individualScenario\.isOptedIn: "),
    (_set([*IND_KEYS, "isOptInEligible"], 1), r"\.individualScenario\.isOptInEligible: "),
    (_set([*IND_KEYS, "optInDecisionDate"], "13/09/2019"), r"\.optInDecisionDate: "),
    (_set([*IND_KEYS, "optInDecisionDate"], 20190913), r"\.optInDecisionDate: "),
    (_set([*IND_KEYS, "isEligible"], True), r"\.individualScenario\.isEligible: "),
    (_set([*IND_KEYS, "isEligible", "individual"], 1), r"\.isEligible\.individual: "),
    (_set([*IND_KEYS, "lowVolumeServices"], -1), r"\.lowVolumeServices: "),
    (_set([*IND_KEYS, "ruralClinician"], "N"), r"\.individualScenario\.ruralClinician: "),
])
def test_malformed_payload_names_the_json_path(payload: Any, path: str) -> None:
    with pytest.raises(qr.InvalidInput, match=path):
        read_eligibility_payload(payload, year=2019)


def test_the_path_in_full() -> None:
    with pytest.raises(qr.InvalidInput) as caught:
        read_eligibility_payload(_set([*IND_KEYS, "lowVolumeSwitch"], "true"), year=2019)
    assert caught.value.field == "$.data.organizations[0].individualScenario.lowVolumeSwitch"


def test_bad_tin_message_is_masked() -> None:
    with pytest.raises(qr.InvalidIdentifier) as caught:
        read_eligibility_payload(_set([*ORG_KEYS, "TIN"], "1234567890"), year=2019)
    assert caught.value.field == f"{ORG}.TIN"
    assert "1234567890" not in str(caught.value)


@pytest.mark.parametrize("year", ["2019", 2019.0, True, None])
def test_year_is_a_whole_number(year: Any) -> None:
    with pytest.raises(qr.InvalidInput, match="year"):
        read_eligibility_payload(sample(), year=year)
