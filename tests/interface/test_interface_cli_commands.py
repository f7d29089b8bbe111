"""The command line's working commands: ``explain``, ``evaluate``, ``diff`` and
``check-eligibility``, as tables and as JSON, each checked against the library function it
presents; bad input as one line with exit code 2; the exit code 3 of a payload that
disagrees; the progress indicator (a terminal only, never with JSON); TINs masked."""

from __future__ import annotations

import copy
import io
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import qpp_rules as qr
from qpp_rules import cli
from qpp_rules.analysis import evaluate, example_population
from qpp_rules.cli import progress
from qpp_rules.election import LowVolumeFacts, explain_opt_in
from qpp_rules.policy.years import BUILTIN_FILES
from qpp_rules.registration import Organization, automatic_registrations, options
from qpp_rules.serialization import to_dict, to_json

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = FIXTURES / "eligibility-api-v6-npi-sample.json"
TIN_TEXT = "00-0765630"
TIN_DIGITS = "000765630"
MASKED = "*****5630"

Capsys = pytest.CaptureFixture[str]


def run(capsys: Capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("qpp-rules: error: ")
    assert "Traceback" not in err


def assert_no_tin(text: str) -> None:
    assert TIN_DIGITS not in text
    assert TIN_TEXT not in text


def write_json(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.fixture
def org_file(tmp_path: Path) -> str:
    """A Practice with a TIN, as the serializer writes it."""
    org = Organization(
        qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, name="Better Business Health", tin=TIN_TEXT,
        clinicians=30, submitted_web_interface_prior_year=True,
    )
    path = tmp_path / "org.json"
    path.write_text(to_json(org), encoding="utf-8")
    return str(path)


def sample_payload() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return data


# ---------------------------------------------------------------------------------------------
# explain
# ---------------------------------------------------------------------------------------------
def test_explain_a_file_prints_every_decision_with_reasons_and_citations(
    capsys: Capsys, org_file: str
) -> None:
    """REG-ELIG-1, REG-ELIG-3, REG-AUTO-1: the table names each rule and its citation."""
    code, out, err = run(capsys, "explain", org_file, "--year", "2019")
    assert (code, err) == (0, "")
    policy = qr.policy_for(2019)
    org = Organization(
        qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, name="Better Business Health", tin=TIN_TEXT,
        clinicians=30, submitted_web_interface_prior_year=True,
    )
    found = options(org, policy)
    flat = " ".join(out.split())
    for program in qr.Program:
        for why in found[program].reasons:
            assert f"[{why.rule_id}] {' '.join(why.message.split())}" in flat
            assert " ".join(str(why.citation).split()) in flat
    assert "CMS Web Interface: held automatically" in out
    assert "CAHPS for MIPS Survey: may register" in out
    assert "Held without registering: CMS Web Interface" in out
    assert "under PY2019" in out.splitlines()[0]
    assert "MIPS opt-in" not in out  # no low-volume facts given


def test_explain_never_shows_the_tin_unmasked(capsys: Capsys, org_file: str) -> None:
    for argv in (["explain", org_file], ["explain", org_file, "--json"],
                 ["explain", org_file, "--allowed-charges", "1", "--patients", "1",
                  "--covered-services", "1"]):
        code, out, err = run(capsys, *argv)
        assert code == 0
        assert_no_tin(out + err)
        assert MASKED in out


def test_explain_json_is_the_library_s_answers(capsys: Capsys, org_file: str) -> None:
    """REG-AUTO-1: the JSON carries options, automatic registrations and their reasons."""
    code, out, _ = run(capsys, "explain", org_file, "--json", "--year", "2021")
    assert code == 0
    data = json.loads(out)
    policy = qr.policy_for(2021)
    org = Organization(
        qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, name="Better Business Health", tin=TIN_TEXT,
        clinicians=30, submitted_web_interface_prior_year=True,
    )
    found = options(org, policy)
    assert data["year"] == 2021
    assert data["policy"] == "PY2021"
    assert data["options"]["web_interface"] == to_dict(found.web_interface)
    assert data["options"]["cahps"] == to_dict(found.cahps)
    held = automatic_registrations(org, policy)
    assert data["automatic_registrations"]["programs"] == [
        p.value for p in qr.Program if p in held
    ]
    assert {r["rule_id"] for r in data["automatic_registrations"]["reasons"]} == {"REG-AUTO-1"}
    assert data["organization"]["tin"] == MASKED
    assert data["organization"]["clinicians"] == 30
    assert data["opt_in"] is None


def test_explain_defaults_to_the_newest_builtin_year(capsys: Capsys, org_file: str) -> None:
    code, out, _ = run(capsys, "explain", org_file)
    assert code == 0
    newest = max(int(re.sub(r"\D", "", name)) for name in BUILTIN_FILES)
    assert cli.newest_builtin_year() == newest
    assert f"under PY{newest}" in out.splitlines()[0]


def test_explain_reads_standard_input(
    capsys: Capsys, org_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(Path(org_file).read_text(encoding="utf-8")))
    code, out, _ = run(capsys, "explain", "-", "--json")
    assert code == 0
    assert json.loads(out)["organization"]["name"] == "Better Business Health"


def test_explain_the_election_guide_screen_is_opt_in_eligible_ele_elig_1(capsys: Capsys) -> None:
    """ELECTION-GUIDE-2019's Miami Medical screen: 150 patients, $90,300 allowed charges,
    234 covered services: 2 of 3 elements exceeded, opt-in eligible (ELE-ELIG-1)."""
    argv = ["explain", "--kind", "Practice", "--clinicians", "12", "--year", "2019",
            "--allowed-charges", "$90,300", "--patients", "150", "--covered-services", "234"]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert "MIPS opt-in (allowed charges $90,300, 150 Part B patients, 234 covered services): " \
        "Opt-in eligible" in out
    assert "[ELE-ELIG-1]" in out
    code, out, _ = run(capsys, *argv, "--json")
    data = json.loads(out)
    facts = LowVolumeFacts(Decimal("90300"), 150, 234)
    assert data["opt_in"]["status"] == "Opt-in eligible"
    assert data["opt_in"]["decision"] == to_dict(explain_opt_in(facts, qr.policy_for(2019)))
    assert data["opt_in"]["facts"]["allowed_charges"] == "90300"


def test_explain_py2018_has_no_opt_in_ele_elig_1(capsys: Capsys) -> None:
    """ELE-ELIG-1: PY2018's threshold has two elements and no opt-in."""
    code, out, _ = run(capsys, "explain", "--kind", "Practice", "--clinicians", "5", "--year",
                       "2018", "--allowed-charges", "90300", "--patients", "150", "--json")
    assert code == 0
    assert json.loads(out)["opt_in"]["status"] == "MIPS exempt"


@pytest.mark.parametrize(("clinicians", "verdict"), [("24", "may not register"),
                                                     ("25", "may register")])
def test_explain_24_and_25_clinicians_reg_elig_1(
    capsys: Capsys, clinicians: str, verdict: str
) -> None:
    """REG-ELIG-1: the CMS Web Interface needs 25 or more clinicians."""
    code, out, _ = run(capsys, "explain", "--kind", "Practice", "--clinicians", clinicians,
                       "--year", "2019")
    assert code == 0
    assert f"CMS Web Interface: {verdict}\n" in out
    assert "[REG-ELIG-1]" in out


def test_explain_an_ssp_aco_in_2021_holds_both_reg_elig_4(capsys: Capsys) -> None:
    """REG-ELIG-4: a PY2021 Shared Savings Program ACO is registered automatically for both."""
    code, out, _ = run(capsys, "explain", "--kind", "APM Entity", "--clinicians", "150",
                       "--apm-model", "shared_savings_program", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["automatic_registrations"]["programs"] == [p.value for p in qr.Program]
    assert {r["rule_id"] for r in data["automatic_registrations"]["reasons"]} == {"REG-ELIG-4"}
    code, out, _ = run(capsys, "explain", "--kind", "APM Entity", "--clinicians", "150",
                       "--apm-model", "Medicare Shared Savings Program", "--year", "2019")
    assert code == 0
    assert "Held without registering: nothing" in out
    assert "[REG-ELIG-4]" in out


def test_explain_flags_for_participants_split_tins_and_carry_over(capsys: Capsys) -> None:
    """REG-ELIG-6 (SSP ACO participant), REG-ELIG-7 (split TIN), REG-AUTO-1 (carry-over)."""
    code, out, _ = run(capsys, "explain", "--kind", "Practice", "--clinicians", "40",
                       "--ssp-aco-participant", "--year", "2019", "--json")
    assert code == 0
    rules = {r["rule_id"] for r in json.loads(out)["options"]["web_interface"]["reasons"]}
    assert "REG-ELIG-6" in rules
    code, out, _ = run(capsys, "explain", "--kind", "Practice", "--clinicians", "120",
                       "--apm-model", "Next Generation ACO Model",
                       "--split-tin-mips-clinicians", "10", "--year", "2019", "--json")
    assert code == 0
    web = json.loads(out)["options"]["web_interface"]
    assert web["allowed"] is False
    assert "REG-ELIG-7" in {r["rule_id"] for r in web["reasons"]}
    code, out, _ = run(capsys, "explain", "--kind", "Virtual Group", "--size", "100 or more",
                       "--submitted-wi-prior-year", "--name", "Valley VG", "--year", "2019")
    assert code == 0
    assert out.startswith("Valley VG (no identifier, size 100 or more), Virtual Group, under")
    assert "CMS Web Interface: held automatically" in out


def test_explain_as_of_gives_the_policy_as_it_stood(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "explain", "--kind", "Practice", "--clinicians", "30", "--year",
                       "2019", "--as-of", "2019-05-01T00:00:00-04:00", "--json")
    assert code == 0
    assert json.loads(out)["policy"] == "PY2019"


def bad_explain_inputs(tmp: Path) -> list[list[str]]:
    good = {"kind": "Practice", "size": "25-99"}
    return [
        ["explain", write_text(tmp / "broken.json", "{")],
        ["explain", write_json(tmp / "unknown.json", {**good, "colour": "red"})],
        ["explain", write_json(tmp / "tin.json", {**good, "tin": "12345678"})],
        ["explain", write_json(tmp / "band.json", {"kind": "Practice", "size": "2-24",
                                                   "clinicians": 30})],
        ["explain", write_json(tmp / "list.json", [good])],
        ["explain", write_bytes(tmp / "latin1.json", b'{"name": "Caf\xe9"}')],
        ["explain", str(tmp / "missing.json")],
        ["explain", str(tmp)],
        ["explain"],
        ["explain", write_json(tmp / "ok.json", good), "--kind", "Practice"],
        ["explain", "--kind", "Practice"],
        ["explain", "--kind", "Hospital", "--clinicians", "3"],
        ["explain", "--kind", "Practice", "--clinicians", "1"],
        ["explain", "--kind", "Practice", "--clinicians", "thirty"],
        ["explain", "--kind", "Practice", "--clinicians", "30", "--size", "2-24"],
        ["explain", "--kind", "Registry", "--clinicians", "30", "--apm-model", "CPC_PLUS"],
        ["explain", "--kind", "Practice", "--clinicians", "30", "--apm-model", "HMO"],
        ["explain", "--kind", "Practice", "--clinicians", "30", "--allowed-charges", "lots",
         "--patients", "1"],
        ["explain", "--kind", "Practice", "--clinicians", "30", "--allowed-charges", "5"],
        ["explain", "--kind", "Practice", "--clinicians", "30", "--allowed-charges", "-5",
         "--patients", "1", "--covered-services", "1"],
        ["explain", "--kind", "Practice", "--clinicians", "30", "--allowed-charges", "5",
         "--patients", "1", "--year", "2019"],
        ["explain", "--kind", "Practice", "--clinicians", "30", "--year", "1999"],
        ["explain", "--kind", "Practice", "--clinicians", "30", "--as-of", "2020-03-01T00:00"],
        ["explain", "--kind", "Practice", "--clinicians", "30", "--as-of", "soon"],
    ]


def write_text(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def write_bytes(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_explain_bad_input_is_one_line_and_exit_2(capsys: Capsys, tmp_path: Path) -> None:
    for argv in bad_explain_inputs(tmp_path):
        code, out, err = run(capsys, *argv)
        assert code == 2, (argv, err)
        assert out == "", argv
        assert_one_line_error(err)


def test_explain_names_what_is_wrong(capsys: Capsys, tmp_path: Path) -> None:
    path = write_json(tmp_path / "org.json", {"kind": "Practice", "size": "25-99", "x": 1})
    _, _, err = run(capsys, "explain", path)
    assert "unknown fields: x" in err
    _, _, err = run(capsys, "explain", write_text(tmp_path / "b.json", "{"))
    assert "not valid JSON" in err
    _, _, err = run(capsys, "explain", "--kind", "Practice", "--clinicians", "30",
                    "--as-of", "2020-03-01T00:00")
    assert "--as-of" in err
    assert "UTC offset" in err
    path = write_json(tmp_path / "tin.json", {"kind": "Practice", "size": "25-99",
                                              "tin": "0007656301"})
    _, _, err = run(capsys, "explain", path)
    assert "$.tin" in err
    assert "0007656301" not in err


# ---------------------------------------------------------------------------------------------
# evaluate
# ---------------------------------------------------------------------------------------------
def counted_lines(out: str) -> dict[tuple[str, str], int]:
    """(question, answer) -> organizations, read back from the counts table."""
    table = out.split("\n\n")[1].splitlines()
    assert table[0].split()[:4] == ["question", "answer", "organizations", "share"]
    found: dict[tuple[str, str], int] = {}
    question = ""
    for line in table[1:]:
        if not line.strip() or line.startswith(" " * 20):
            continue  # a wrapped rules cell
        cells = line.split()
        if not line.startswith(" "):
            question = cells.pop(0)
        found[(question, cells[0])] = int(cells[1])
    return found


def test_evaluate_table_counts_every_question_and_answer(capsys: Capsys) -> None:
    code, out, err = run(capsys, "evaluate", "--year", "2019")
    assert (code, err) == (0, "")
    assert out.startswith("PY2019: 4000 organizations (the bundled example population)")
    table = evaluate(example_population(), qr.policy_for(2019))
    expected = {(q, answer): n for q in table.questions
                for answer, n in table.counts(q).items()}
    assert counted_lines(out) == expected
    assert "ELE-ELIG-1" in out
    first = table.column("org_id")
    assert f"The first {cli.FIRST_ROWS} of 4000 organizations" in out
    assert first[cli.FIRST_ROWS - 1] in out
    assert first[cli.FIRST_ROWS] not in out


def test_evaluate_rows_option(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "evaluate", "--rows", "3")
    assert code == 0
    ids = evaluate(example_population(), qr.policy_for(2021)).column("org_id")
    assert ids[2] in out
    assert ids[3] not in out
    code, out, _ = run(capsys, "evaluate", "--rows", "0")
    assert code == 0
    assert "The first" not in out


def test_evaluate_csv_and_json_are_the_whole_table(capsys: Capsys) -> None:
    table = evaluate(example_population(), qr.policy_for(2019))
    code, out, _ = run(capsys, "evaluate", "--year", "2019", "--format", "csv")
    assert code == 0
    assert out == table.to_csv()
    for argv in (["--format", "json"], ["--json"], ["--json", "--format", "json"]):
        code, out, err = run(capsys, "evaluate", "--year", "2019", *argv)
        assert (code, err) == (0, "")
        assert json.loads(out) == json.loads(table.to_json())


def test_evaluate_output_writes_a_file(capsys: Capsys, tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    code, out, _ = run(capsys, "evaluate", "--format", "csv", "--output", str(target))
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8") == evaluate(
        example_population(), qr.policy_for(2021)).to_csv()
    target = tmp_path / "table.json"
    code, out, _ = run(capsys, "evaluate", "--json", "--output", str(target))
    assert (code, out) == (0, "")
    assert len(json.loads(target.read_text(encoding="utf-8"))["rows"]) == 4000


POPULATION_CSV = (
    "org_id,kind,clinicians,apm_model,allowed_charges,patients,covered_services\n"
    "A,Practice,24,,90300,150,234\n"
    "B,Practice,25,,,,\n"
    "C,APM Entity,150,Medicare Shared Savings Program,100000,300,300\n"
)


def test_evaluate_a_file_and_standard_input(
    capsys: Capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "pop.csv"
    path.write_text(POPULATION_CSV, encoding="utf-8")
    expected = evaluate(str(path), qr.policy_for(2021)).to_csv()
    code, out, _ = run(capsys, "evaluate", str(path), "--format", "csv")
    assert code == 0
    assert out == expected
    code, out, _ = run(capsys, "evaluate", str(path))
    assert out.startswith("PY2021 (default year): 3 organizations (pop.csv)")
    monkeypatch.setattr(sys, "stdin", io.StringIO(POPULATION_CSV))
    code, out, _ = run(capsys, "evaluate", "-", "--format", "csv")
    assert code == 0
    assert out == expected


def test_evaluate_masks_tin_shaped_ids_in_every_format(capsys: Capsys, tmp_path: Path) -> None:
    """The command line never shows a TIN: the table, csv and json all mask anything shaped
    like one (the Python API's ``to_dataframe``/``to_csv`` carry the ids as given), and the
    json stays valid JSON."""
    path = tmp_path / "tins.csv"
    path.write_text(f"org_id,kind,clinicians\n{TIN_DIGITS},Practice,30\n", encoding="utf-8")
    for chosen in ("table", "csv", "json"):
        code, out, _ = run(capsys, "evaluate", str(path), "--format", chosen)
        assert code == 0
        assert_no_tin(out)
        assert MASKED in out
        if chosen == "json":
            json.loads(out)


def bad_population_inputs(tmp: Path) -> list[list[str]]:
    return [
        ["evaluate", write_text(tmp / "a.csv", "org_id,kind,clinicians\nA,Practice,many\n")],
        ["evaluate", write_text(tmp / "b.csv", "org_id,kind,colour\nA,Practice,red\n")],
        ["evaluate", write_text(tmp / "c.csv", "")],
        ["evaluate", write_text(tmp / "d.csv", "org_id,kind,clinicians\nA,Hospital,3\n")],
        ["evaluate", write_bytes(tmp / "e.csv", b"org_id,kind,clinicians\n\xff,Practice,3\n")],
        ["evaluate", write_bytes(tmp / "f.csv", b'org_id,kind,clinicians\n"A\x00,Practice,3\n')],
        ["evaluate", str(tmp / "missing.csv")],
        ["evaluate", "--year", "1999"],
        ["evaluate", "--output", str(tmp / "x.txt")],
        ["evaluate", "--json", "--format", "csv"],
        ["evaluate", "--format", "xml"],
        ["evaluate", "--rows", "-1"],
        ["evaluate", "--format", "csv", "--output", str(tmp / "no" / "such" / "dir.csv")],
    ]


def test_evaluate_bad_input_is_one_line_and_exit_2(capsys: Capsys, tmp_path: Path) -> None:
    for argv in bad_population_inputs(tmp_path):
        code, out, err = run(capsys, *argv)
        assert code == 2, (argv, err)
        assert out == "", argv
        assert_one_line_error(err)
    _, _, err = run(capsys, "evaluate", str(tmp_path / "a.csv"))
    assert "a.csv line 2, column clinicians" in err


# ---------------------------------------------------------------------------------------------
# diff
# ---------------------------------------------------------------------------------------------
def test_diff_bad_input_is_one_line_and_exit_2(capsys: Capsys, tmp_path: Path) -> None:
    for argv in [
        ["diff", "--to", "2021"],
        ["diff", "--from", "2019"],
        ["diff", "--from", "2019", "--to", "1999"],
        ["diff", "--from", "1999", "--to", "2021"],
        ["diff", "--from", "2019", "--to", "2021", "--reform", "no-equals-sign"],
        ["diff", "--from", "2019", "--to", "2021", "--reform", "registration.nothing=1"],
        ["diff", "--from", "2019", "--to", "2021", "--reform",
         "registration.web_interface_min_clinicians=many"],
        ["diff", "--from", "2019", "--to", "2021", "--reform",
         "registration.web_interface_min_clinicians=15", "--reform",
         "registration.web_interface_min_clinicians=20"],
        ["diff", "--from", "2019", "--to", "2021",
         write_text(tmp_path / "bad.csv", "org_id,kind,clinicians\nA,Practice,-3\n")],
    ]:
        code, out, err = run(capsys, *argv)
        assert code == 2, (argv, err)
        assert out == "", argv
        assert_one_line_error(err)


def test_python_dash_m_diff_exits_0() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "qpp_rules", "diff", "--from", "2019", "--to", "2021"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("PY2019 -> PY2021: 4000 organizations")
    assert done.stderr == ""  # not a terminal: no progress indicator


# ---------------------------------------------------------------------------------------------
# check-eligibility
# ---------------------------------------------------------------------------------------------
def test_check_eligibility_the_cms_sample_agrees_ele_elig_1(capsys: Capsys) -> None:
    """CMS's sample: reason code BOTH (fell below on patients and charges), opt-in eligible,
    opted in on 2019-09-13; the library's ELE-ELIG-1 answer agrees: exit 0."""
    code, out, err = run(capsys, "check-eligibility", str(SAMPLE))
    assert (code, err) == (0, "")
    assert "NPI 1234567890" in out
    assert out.count("Scooby Gang Health Partners, TIN XXXXXXXXXX") == 2
    assert "individual scenario" in out
    assert "group scenario" in out
    assert out.count("Opt-in eligible (agrees)") == 2
    assert "reason codes: BOTH" in out
    assert "Opt-in, decided 2019-09-13 00:00 UTC" in out
    assert "[ELE-ELIG-1]" in out
    assert "2 records: 2 agree, 0 disagree" in out


def test_check_eligibility_json(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "check-eligibility", str(SAMPLE), "--json", "--year", "2019")
    assert code == 0
    data = json.loads(out)
    assert (data["year"], data["npi"]) == (2019, "1234567890")
    assert (data["agree"], data["disagree"], data["not_stated"]) == (2, 0, 0)
    individual, group = data["records"]
    assert (individual["scenario"], group["scenario"]) == ("individual", "group")
    for record in data["records"]:
        assert record["payload_opt_in_eligible"] is True
        assert record["status"] == "Opt-in eligible"
        assert record["agrees"] is True
        assert record["election"] == "Opt-in"
        assert record["decision_date"] == "2019-09-13T00:00:00+00:00"
        assert record["reason_codes"] == ["BOTH"]
        assert record["fell_below"] == ["allowed_charges", "patients"]
        assert record["reasons"][0]["rule_id"] == "ELE-ELIG-1"
        assert record["tin"] == "XXXXXXXXXX"
    assert individual["small_group_practitioner"] is False
    assert individual["low_volume_services"] == 23


@pytest.mark.parametrize(("fixture", "kind"), [("400", "InvalidFormatNpi"),
                                               ("404", "NoProviderInformation")])
def test_check_eligibility_an_error_envelope_is_one_line_exit_2(
    capsys: Capsys, fixture: str, kind: str
) -> None:
    envelope = json.loads((FIXTURES / f"eligibility-api-v6-error-{fixture}.json").read_text())
    for argv in ([], ["--json"]):
        code, out, err = run(capsys, "check-eligibility",
                             str(FIXTURES / f"eligibility-api-v6-error-{fixture}.json"), *argv)
        assert code == 2
        assert out == ""
        assert_one_line_error(err)
        assert kind in err
        assert envelope["error"]["message"] in err


def test_check_eligibility_a_disagreeing_record_exits_3(capsys: Capsys, tmp_path: Path) -> None:
    """ELE-ELIG-1: reason code ALL (below on every element) is exempt, never opt-in eligible;
    a payload that says opt-in eligible disagrees: exit 3."""
    payload = sample_payload()
    scenario = payload["data"]["organizations"][0]["groupScenario"]
    scenario["lowVolumeStatusReasons"] = [{"lowVolStusRsnCd": "ALL"}]
    scenario["isOptInEligible"] = True
    path = write_json(tmp_path / "disagree.json", payload)
    code, out, _ = run(capsys, "check-eligibility", path)
    assert code == cli.EXIT_DISAGREES == 3
    assert "MIPS exempt (DISAGREES)" in out
    assert "1 agree, 1 disagree" in out
    code, out, _ = run(capsys, "check-eligibility", path, "--json")
    assert code == 3
    data = json.loads(out)
    assert [r["agrees"] for r in data["records"]] == [True, False]
    assert data["disagree"] == 1


def test_check_eligibility_nothing_to_compare_is_not_a_disagreement(
    capsys: Capsys, tmp_path: Path
) -> None:
    payload = sample_payload()
    for key in ("individualScenario", "groupScenario"):
        payload["data"]["organizations"][0][key]["isOptInEligible"] = None
    code, out, _ = run(capsys, "check-eligibility", write_json(tmp_path / "p.json", payload))
    assert code == 0
    assert "payload: opt-in eligible  not stated" in out
    assert "2 state no opt-in eligibility to compare" in out


def test_check_eligibility_masks_a_real_tin(capsys: Capsys, tmp_path: Path) -> None:
    payload = sample_payload()
    payload["data"]["organizations"][0]["TIN"] = TIN_DIGITS
    payload["data"]["organizations"][0]["prvdrOrgName"] = f"Practice {TIN_DIGITS}"
    path = write_json(tmp_path / "tin.json", payload)
    for argv in ([], ["--json"]):
        code, out, err = run(capsys, "check-eligibility", path, *argv)
        assert code == 0
        assert_no_tin(out + err)
        assert MASKED in out


def test_check_eligibility_bad_input_is_one_line_and_exit_2(
    capsys: Capsys, tmp_path: Path
) -> None:
    broken = sample_payload()
    broken["data"]["organizations"][0]["groupScenario"]["lowVolumeSwitch"] = "no"
    bad_code = copy.deepcopy(sample_payload())
    bad_code["data"]["organizations"][0]["groupScenario"]["lowVolumeStatusReasons"] = [
        {"lowVolStusRsnCd": "MAYBE"}]
    for argv in [
        ["check-eligibility", write_json(tmp_path / "switch.json", broken)],
        ["check-eligibility", write_json(tmp_path / "code.json", bad_code)],
        ["check-eligibility", write_text(tmp_path / "text.json", "not json")],
        ["check-eligibility", write_json(tmp_path / "list.json", [1, 2])],
        ["check-eligibility", str(tmp_path / "missing.json")],
        ["check-eligibility", str(SAMPLE), "--year", "1999"],
        ["check-eligibility"],
    ]:
        code, out, err = run(capsys, *argv)
        assert code == 2, (argv, err)
        assert out == "", argv
        assert_one_line_error(err)
    _, _, err = run(capsys, "check-eligibility", str(tmp_path / "switch.json"))
    assert "groupScenario.lowVolumeSwitch" in err


def test_check_eligibility_reads_standard_input(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(SAMPLE.read_text(encoding="utf-8")))
    code, out, _ = run(capsys, "check-eligibility", "-", "--json")
    assert code == 0
    assert len(json.loads(out)["records"]) == 2


def test_help_documents_the_exit_codes(capsys: Capsys) -> None:
    code, out, _ = run(capsys, "check-eligibility", "--help")
    assert code == 0
    assert "3 some record disagrees" in " ".join(out.split())
    code, out, _ = run(capsys, "--help")
    assert code == 0
    flat = " ".join(out.split())
    assert "3 a record that disagrees with the rules" in flat
    for name in ("explain", "evaluate", "diff", "check-eligibility"):
        assert name in cli.COMMANDS
        assert name in out


# ---------------------------------------------------------------------------------------------
# Progress on standard error: a terminal only, never with JSON
# ---------------------------------------------------------------------------------------------
class FakeStream(io.StringIO):
    def __init__(self, tty: bool | Exception) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        if isinstance(self.tty, Exception):
            raise self.tty
        return self.tty


def test_standard_error_is_a_terminal_only_when_it_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for stream, expected in [(FakeStream(True), True), (FakeStream(False), False),
                             (FakeStream(ValueError("closed")), False), (object(), False)]:
        monkeypatch.setattr(sys, "stderr", stream)
        assert progress.stderr_is_terminal() is expected
        assert progress.terminal_progress(True) is False


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard error looks like a terminal; any population counts as long work."""
    monkeypatch.setattr(progress, "stderr_is_terminal", lambda: True)
    monkeypatch.setattr(progress, "PROGRESS_ROWS", 100)
    monkeypatch.setattr(progress, "PROGRESS_BYTES", 100)


@pytest.mark.usefixtures("terminal")
def test_progress_on_a_terminal_for_long_work(capsys: Capsys) -> None:
    code, _, err = run(capsys, "diff", "--from", "2019", "--to", "2021")
    assert code == 0
    assert "qpp-rules: diff the bundled example population [" in err
    assert "(1/3) deciding under PY2019" in err
    assert "(3/3) comparing" in err
    assert err.endswith("\r")  # the line is cleared before the table is printed
    assert "Traceback" not in err
    code, table, err = run(capsys, "evaluate", "--year", "2019")
    assert code == 0
    assert "(1/2) deciding under PY2019" in err
    assert "#" not in table  # progress never on standard output


@pytest.mark.usefixtures("terminal")
def test_progress_while_reading_a_large_file(capsys: Capsys, tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    lines = ["org_id,kind,clinicians"] + [f"O{i},Practice,{2 + i % 200}" for i in range(50_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "evaluate", str(path), "--format", "csv")
    assert code == 0
    assert "qpp-rules: reading pop.csv [" in err
    assert "qpp-rules: evaluate pop.csv [" in err
    assert err.endswith("\r")  # cleared before the table is written
    assert out == evaluate(str(path), qr.policy_for(2021)).to_csv()


@pytest.mark.usefixtures("terminal")
def test_no_progress_with_json(capsys: Capsys) -> None:
    for argv in (["diff", "--from", "2019", "--to", "2021", "--json"],
                 ["evaluate", "--json"], ["evaluate", "--format", "json"]):
        code, out, err = run(capsys, *argv)
        assert code == 0
        assert err == ""
        json.loads(out)


def test_no_progress_when_standard_error_is_not_a_terminal(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "PROGRESS_ROWS", 100)
    code, _, err = run(capsys, "diff", "--from", "2019", "--to", "2021")
    assert (code, err) == (0, "")


def test_no_progress_for_short_work(capsys: Capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "stderr_is_terminal", lambda: True)
    code, _, err = run(capsys, "evaluate")
    assert len(example_population()) <= progress.PROGRESS_ROWS
    assert (code, err) == (0, "")


def test_the_bar_redraws_only_when_what_it_shows_changes(capsys: Capsys) -> None:
    bar = progress.Progress("work", 10_000, enabled=True)
    for done in range(10_001):
        bar.update(done)
    bar.close()
    err = capsys.readouterr().err
    assert err.count("\r") == 101 + 2  # 0% to 100%, then "\r", blanks, "\r" to clear
    assert "[" + "#" * progress.Progress.WIDTH + "] 100%" in err
    silent = progress.Progress("work", 10, enabled=False)
    silent.update(5)
    silent.stage("x")
    silent.close()
    assert capsys.readouterr().err == ""


def test_errors_mask_a_tin_inside_a_bad_value(capsys: Capsys, tmp_path: Path) -> None:
    path = write_text(tmp_path / "t.csv", f"org_id,kind,clinicians\nA,Practice,{TIN_DIGITS}x\n")
    code, out, err = run(capsys, "evaluate", path)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert_no_tin(err)
    assert "t.csv line 2, column clinicians" in err


def test_evaluate_refuses_a_repeated_org_id_before_printing_anything(
    capsys: Capsys, tmp_path: Path,
) -> None:
    path = write_text(tmp_path / "twice.csv",
                      "org_id,kind,clinicians\nA,Practice,30\nA,Practice,10\n")
    code, out, err = run(capsys, "evaluate", path)
    assert code == 2
    assert out == ""
    assert "twice.csv line 3, column org_id" in err
    code, out, _ = run(capsys, "evaluate", path, "--rows", "0")  # counts only: no listing
    assert code == 0
    assert "2 organizations" in out
