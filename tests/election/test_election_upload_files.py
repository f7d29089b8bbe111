"""ELE-BATCH-3 (erratum E10): a registry upload is QPP JSON or QRDA III XML files, at most 50
files in one upload request; QPP XML is not accepted for 2019 (ELECTION-GUIDE-2019, Registry
Election Process, steps 3 and 4)."""

from __future__ import annotations

import pytest
from election_helpers import ELIGIBLE, OPEN, PY2019, REGISTRY_STAFF, group

import qpp_rules as qr
from qpp_rules.election import (
    Choice,
    FileFormat,
    UploadElections,
    check_upload_files,
    decide,
)

JSON, QRDA, QPP_XML = FileFormat.QPP_JSON, FileFormat.QRDA_III_XML, FileFormat.QPP_XML


def test_ele_batch_3_fifty_files_of_qpp_json_and_qrda_iii_are_accepted() -> None:
    """Step 4: "A maximum of 50 files can be processed in a single upload request."."""
    decision = check_upload_files([JSON] * 25 + [QRDA] * 25, PY2019)
    assert decision.allowed
    assert decision.rule_ids == ("ELE-BATCH-3",)
    assert check_upload_files(["QPP JSON"], PY2019).allowed


def test_ele_batch_3_fifty_one_files_are_refused() -> None:
    decision = check_upload_files([JSON] * 51, PY2019)
    assert not decision.allowed
    assert decision.rule_ids == ("ELE-BATCH-3",)
    assert "51 files" in decision.explain()
    assert "ELE-BATCH-3" in decision.reasons[0].citation.rules
    assert decision.reasons[0].citation.quote is not None
    assert "maximum of 50 files" in decision.reasons[0].citation.quote


def test_e10_qpp_xml_is_not_an_accepted_format_in_2019() -> None:
    """Step 3 (Remember): "QPP XML is NOT an accepted file format in 2019, XML refers to QRDA
    XML"; the reporting screen's "QPP JSON, QPP XML and QRDA-3" is the erratum (E10)."""
    decision = check_upload_files([JSON, QPP_XML], PY2019)
    assert not decision.allowed
    assert decision.rule_ids == ("ELE-BATCH-3",)
    assert "QPP XML is not an accepted file format" in decision.explain()
    assert decision.reasons[0].citation.rules == ("E10",)


def test_ele_batch_3_an_upload_holds_at_least_one_file() -> None:
    assert not check_upload_files([], PY2019).allowed


@pytest.mark.parametrize(("files", "field"), [
    ("QPP JSON", "files"),
    (["CSV"], r"files\[0\]"),
    ([JSON, 3], r"files\[1\]"),
])
def test_ele_batch_3_malformed_file_lists_are_invalid_input(files: object, field: str) -> None:
    with pytest.raises(qr.InvalidInput, match=field):
        check_upload_files(files, PY2019)  # type: ignore[arg-type]
    with pytest.raises(qr.InvalidInput, match=field):
        UploadElections({}, {}, files=files)


def _upload(files: object) -> qr.Outcome:  # type: ignore[type-arg]
    rows = {group(1): Choice.OPT_IN, group(2): Choice.NO_DECISION}
    command = UploadElections(rows, dict.fromkeys(rows, ELIGIBLE), "CONFIRM", files=files)
    return decide(None, command, at=OPEN, policy=PY2019, actor=REGISTRY_STAFF)


def test_ele_batch_3_an_upload_of_accepted_files_records_its_elections() -> None:
    outcome = _upload([QRDA, JSON])
    assert outcome.accepted
    assert outcome.state is not None
    assert outcome.state.choice_of(group(1)) is Choice.OPT_IN


@pytest.mark.parametrize("files", [[QPP_XML], [JSON] * 51, []])
def test_ele_batch_3_an_upload_of_refused_files_records_nothing(files: list[FileFormat]) -> None:
    """The whole upload is refused (ELE-BATCH-1: all or nothing), its counts still shown."""
    outcome = _upload(files)
    assert not outcome.accepted
    assert outcome.state is None
    assert outcome.refusal is not None
    assert outcome.refusal.rule_ids == ("ELE-BATCH-3",)
    assert outcome.counts == {Choice.OPT_IN: 1, Choice.NO_DECISION: 1}


def test_ele_batch_3_an_upload_without_files_is_not_judged_on_them() -> None:
    """``files=None``: the choices were given directly (as ``elect_batch`` gives them)."""
    assert _upload(None).accepted
