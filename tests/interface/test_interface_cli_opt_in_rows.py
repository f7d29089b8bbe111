"""``qpp-rules check-eligibility`` reads the Eligibility API's opt-in rows as well as its NPI
responses (ELE-BATCH-2: an election only for an opt-in eligible participant); TINs masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qpp_rules import cli

Capsys = pytest.CaptureFixture[str]
SAMPLE = Path(__file__).parents[1] / "fixtures" / "eligibility-api-opt-in-sample.json"


def test_ele_batch_2_opt_in_rows_are_read_with_each_election(capsys: Capsys) -> None:
    assert cli.main(["check-eligibility", str(SAMPLE), "--json"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert err == ""
    assert [row["opt_in_eligible"] for row in data["rows"]] == [True, False]
    assert [row["election"] for row in data["rows"]] == ["Report voluntarily", None]
    assert [row["npi"] for row in data["rows"]] == ["1234567890", None]
    assert "000456789" not in out
    assert "000987654" not in out


def test_ele_batch_2_a_row_not_eligible_that_elected_is_bad_input(
    capsys: Capsys, tmp_path: Path
) -> None:
    rows = [{"tin": "000987654", "isOptInEligible": False, "isOptedIn": True, "year": 2019}]
    bad = tmp_path / "rows.json"
    bad.write_text(json.dumps(rows), encoding="utf-8")
    assert cli.main(["check-eligibility", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "not opt-in eligible" in err
    assert "000987654" not in err
    assert "*****7654" in err


def test_opt_in_rows_as_text_show_masked_participants(capsys: Capsys) -> None:
    assert cli.main(["check-eligibility", str(SAMPLE)]) == 0
    out, _ = capsys.readouterr()
    assert "TIN *****6789 NPI 1234567890" in out
    assert "no election yet" in out
