"""Reading the Eligibility API's opt-in rows (tests/fixtures, CMS's sample as quoted on the QPP
APIs forum) into participants, opt-in statuses and elections (ELE-ELIG-1, ELE-CHOICE-1,
ELE-BATCH-2), and building the ``Qpp-Opt-In-Entities`` header from participants."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pendulum
import pytest
from election_helpers import ELIGIBLE, clinician, group
from hypothesis import given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.election import (
    Choice,
    OptInRow,
    Participant,
    opt_in_entities_header,
    read_opt_in_rows,
)
from qpp_rules.election.opt_in_rows import HEADER

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = json.loads((FIXTURES / "eligibility-api-opt-in-sample.json").read_text("utf-8"))
CMS_NPI = qr.NPI("1234567890", check_digit=False)  # CMS's sample NPI fails the check digit


def sample() -> Any:
    return copy.deepcopy(SAMPLE)


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = dict(SAMPLE["data"][0])
    base.update(changes)
    return base


def test_ele_choice_1_cms_sample_reads_a_voluntary_clinician_and_an_undecided_group() -> None:
    """The sample's clinician row (isOptedIn false, with a decision date) is read as Report
    voluntarily; its group row (no npi, not opt-in eligible, isOptedIn null) has no
    election and is not opt-in eligible."""
    clinician_row, group_row = read_opt_in_rows(sample(), year=2019)
    assert clinician_row.participant == Participant("000456789", CMS_NPI)
    assert clinician_row.status is ELIGIBLE
    assert clinician_row.election is Choice.VOLUNTARY
    assert clinician_row.decision_date is not None
    assert clinician_row.decision_date == pendulum.datetime(2020, 1, 27, 16, 57, 38, 646000)
    assert (clinician_row.year, clinician_row.run) == (2019, 1)
    assert group_row.participant == Participant("000987654")
    assert group_row.participant.is_group
    assert group_row.status is None
    assert not group_row.opt_in_eligible
    assert group_row.election is None
    assert not group_row.elected


def test_ele_choice_1_opted_in_true_is_opt_in_and_null_is_no_election_yet() -> None:
    opted, undecided, no_date = read_opt_in_rows([
        row(isOptedIn=True), row(isOptedIn=None, optInDecisionDate=None),
        row(isOptedIn=False, optInDecisionDate=None),
    ])
    assert opted.election is Choice.OPT_IN
    assert undecided.election is None
    assert no_date.election is None
    assert all(r.status is ELIGIBLE for r in (opted, undecided, no_date))


def test_the_rows_may_come_bare_or_in_the_apis_data_envelope() -> None:
    assert read_opt_in_rows(sample()["data"]) == read_opt_in_rows(sample())
    assert read_opt_in_rows({"data": []}) == ()


@pytest.mark.parametrize(("opted_in", "date", "said"), [
    (True, None, "isOptedIn true"),
    (True, "2020-01-27T16:57:38.646Z", "isOptedIn true"),
    (False, "2020-01-27T16:57:38.646Z", "isOptedIn false with an optInDecisionDate"),
])
def test_ele_batch_2_a_row_not_opt_in_eligible_that_says_it_elected_is_refused(
    opted_in: bool, date: str | None, said: str,
) -> None:
    """"Can never happen": no election for a participant that is not opt-in eligible
    (ELE-BATCH-2). The error names the row, its TIN masked."""
    rows = sample()
    rows["data"][1].update(isOptedIn=opted_in, optInDecisionDate=date)
    with pytest.raises(qr.InvalidInput, match=r"^\$\.data\[1\]: ") as caught:
        read_opt_in_rows(rows)
    text = str(caught.value)
    assert "TIN *****7654" in text
    assert said in text
    assert "ELE-BATCH-2" in text
    assert "000987654" not in text
    assert "987654" not in repr(caught.value.__cause__) + repr(caught.value.__context__)


def test_ele_batch_2_an_opt_in_row_value_cannot_hold_an_election_without_eligibility() -> None:
    with pytest.raises(qr.InvalidInput, match="ELE-BATCH-2"):
        OptInRow(group(1), None, Choice.OPT_IN, 2019)
    assert OptInRow(group(1), ELIGIBLE, Choice.OPT_IN, 2019).elected


@pytest.mark.parametrize(("changes", "path"), [
    ({"tin": "12"}, r"\$\[0\]\.tin"),
    ({"tin": 456789}, r"\$\[0\]\.tin"),
    ({"npi": "12"}, r"\$\[0\]\.npi"),
    ({"isOptInEligible": None}, r"\$\[0\]\.isOptInEligible"),
    ({"isOptInEligible": "true"}, r"\$\[0\]\.isOptInEligible"),
    ({"isOptedIn": 1}, r"\$\[0\]\.isOptedIn"),
    ({"optInDecisionDate": "yesterday"}, r"\$\[0\]\.optInDecisionDate"),
    ({"year": "2019"}, r"\$\[0\]\.year"),
    ({"year": 2021}, r"\$\[0\]\.year"),
    ({"runNum": -1}, r"\$\[0\]\.runNum"),
])
def test_malformed_opt_in_rows_name_the_json_path(changes: dict[str, object], path: str) -> None:
    with pytest.raises(qr.InvalidInput, match=path):
        read_opt_in_rows([row(**changes)], year=2019)


@pytest.mark.parametrize("junk", ["[]", b"[]", 5, {"rows": []}, [1]])
def test_junk_is_refused_as_invalid_input(junk: object) -> None:
    with pytest.raises(qr.InvalidInput):
        read_opt_in_rows(junk)
    with pytest.raises(qr.InvalidInput, match="year"):
        read_opt_in_rows([], year="2019")  # type: ignore[arg-type]


def test_the_header_is_built_from_participants_as_cms_writes_it() -> None:
    """``Qpp-Opt-In-Entities: 000456789|1234567890,000987654``: a clinician as TIN|NPI, a
    group as its TIN; each entity once, in order."""
    sample_participants = [r.participant for r in read_opt_in_rows(sample())]
    assert HEADER == "Qpp-Opt-In-Entities"
    assert opt_in_entities_header(sample_participants) == "000456789|1234567890,000987654"
    twice = [*sample_participants, sample_participants[0]]
    assert opt_in_entities_header(twice) == "000456789|1234567890,000987654"


@pytest.mark.parametrize("junk", [[], "000987654", [Participant("000987654"), "000456789"], 5])
def test_the_header_refuses_what_is_not_participants(junk: object) -> None:
    with pytest.raises(qr.InvalidInput, match="participants"):
        opt_in_entities_header(junk)  # type: ignore[arg-type]


@given(st.lists(st.integers(0, 30), min_size=1, max_size=8),
       st.lists(st.booleans(), min_size=8, max_size=8))
def test_the_header_names_exactly_the_rows_participants(numbers: list[int],
                                                        groups: list[bool]) -> None:
    """Property: reading rows written for the header's participants gives the same
    participants back, in the header's order."""
    participants = list(dict.fromkeys(
        group(n) if groups[i % 8] else clinician(n, n) for i, n in enumerate(numbers)
    ))
    header = opt_in_entities_header(participants)
    rows = []
    for entity in header.split(","):
        tin, _, npi = entity.partition("|")
        rows.append({"tin": tin, "npi": npi or None, "isOptInEligible": True,
                     "isOptedIn": None, "year": 2019})
    assert [r.participant for r in read_opt_in_rows(rows)] == participants
