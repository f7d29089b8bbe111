"""Loading a policy data file: each way a real data file can be broken gives a
PolicyFileError naming the file and the field path. Each case mutates the text of the
built-in py2019.toml.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import qpp_rules as qr
from qpp_rules.errors import PolicyFileError
from qpp_rules.policy import load_policy_file, load_policy_text

SOURCE = "py2019.toml"
TEXT = resources.files("qpp_rules.policy.years").joinpath(SOURCE).read_text(encoding="utf-8")

WI_MIN = '''[registration.web_interface_min_clinicians]
value = 25
'''
CAHPS_MIN = '''[registration.cahps_min_clinicians]
value = 2
'''
WINDOW = "value = { opens = 2019-04-04T10:00:00, closes = 2019-07-01T17:00:00 }"
MAY_REGISTER = '''"CMS Web Interface" = ["Practice", "Virtual Group"]'''
VG_STAFF = '''[access.permissions.value."Virtual Group"]
"Staff User" = ["view members", "submit data", "view feedback"]'''
THRESHOLD = '''value = { allowed_charges = "90000", patients = 200, covered_services = 200 }'''
A1_CHANGES = (
    'changes = { "election.window" = { opens = 2020-01-02T10:00:00, closes = 2020-04-30T20:00:00 }'
)

CASES = [
    # (case, the text replaced, its replacement, the field path named, a word of the message)
    ("unknown key in a cited value", WI_MIN, WI_MIN + "bogus = 1\n",
     "registration.web_interface_min_clinicians", "unknown keys ['bogus']"),
    ("unknown policy value", CAHPS_MIN,
     '[registration.bogus]\nvalue = 1\ncite = { source = "x", section = "y" }\n\n' + CAHPS_MIN,
     "registration.bogus", "unknown key"),
    ("unknown key in a citation", 'rules = ["REG-ELIG-1"], quote = "Determine',
     'rules = ["REG-ELIG-1"], page = 3, quote = "Determine',
     "registration.web_interface_min_clinicians.cite.page", "unknown key"),
    ("unknown key in a window", WINDOW, WINDOW.replace(" }", ", grace = 1 }"),
     "registration.window.grace", "unknown key"),
    ("a value without its citation", WI_MIN + "cite = ", WI_MIN + "citation = ",
     "registration.web_interface_min_clinicians", "unknown keys ['citation']"),
    ("a value with no cite at all",
     '[registration.cahps_min_clinicians]\nvalue = 2\ncite = { source = "REG-GUIDE-2019", '
     'section = "I (group definition); IV steps 1-2", rules = ["REG-ELIG-2"], quote = "A group '
     'is defined as a single Taxpayer Identification Number (TIN) with 2 or more clinicians" }',
     "[registration.cahps_min_clinicians]\nvalue = 2",
     "registration.cahps_min_clinicians", "citation"),
    ("a citation without its value", CAHPS_MIN, "[registration.cahps_min_clinicians]\n",
     "registration.cahps_min_clinicians", "needs its 'value'"),
    ("a bare value, not a cited table", CAHPS_MIN,
     "[registration.extra]\ncahps_min_clinicians = 2\n\n" + CAHPS_MIN,
     "registration.extra.cahps_min_clinicians", "'value' and 'cite'"),
    ("a string for an int", WI_MIN, WI_MIN.replace("25", '"25"'),
     "registration.web_interface_min_clinicians", "expected int; got str '25'"),
    ("a bool for an int", WI_MIN, WI_MIN.replace("25", "true"),
     "registration.web_interface_min_clinicians", "expected int; got bool True"),
    ("a float for an int", WI_MIN, WI_MIN.replace("25", "25.0"),
     "registration.web_interface_min_clinicians", "expected int"),
    ("an int for a bool", "[election.opt_in]\nvalue = true", "[election.opt_in]\nvalue = 1",
     "election.opt_in", "expected bool"),
    ("a string for an array", 'rules = ["REG-ELIG-1"], quote = "Determine',
     'rules = "REG-ELIG-1", quote = "Determine',
     "registration.web_interface_min_clinicians.cite.rules", "an array; got str"),
    ("a float for an amount", THRESHOLD, THRESHOLD.replace('"90000"', "90000.5"),
     "election.low_volume.allowed_charges", "an amount"),
    ("text that is no amount", THRESHOLD, THRESHOLD.replace('"90000"', '"ninety"'),
     "election.low_volume.allowed_charges", "not an amount"),
    ("an unknown organization type", MAY_REGISTER, MAY_REGISTER.replace("Practice", "Clinic"),
     "registration.may_register.CMS Web Interface[0]", "'Clinic' is not a valid OrgType"),
    ("an unknown permission", VG_STAFF, VG_STAFF.replace('"view members"', '"fly"'),
     "access.permissions.Virtual Group.Staff User[0]", "'fly' is not a valid Permission"),
    ("a duplicate in a set", MAY_REGISTER, MAY_REGISTER.replace('"Virtual Group"', '"Practice"'),
     "registration.may_register.CMS Web Interface[1]", "listed twice"),
    ("a window that closes before it opens", WINDOW,
     WINDOW.replace("closes = 2019-07-01", "closes = 2019-03-01"),
     "registration.window.closes", "closes after it opens"),
    ("a window without its close", WINDOW, WINDOW.replace(", closes = 2019-07-01T17:00:00", ""),
     "registration.window.closes", "missing"),
    ("a window that is not a table", WINDOW, 'value = "April to July"',
     "registration.window", "a table with opens and closes"),
    ("a threshold below 0", THRESHOLD, THRESHOLD.replace("patients = 200", "patients = -1"),
     "election.low_volume.patients", "0 or more"),
    ("an amount below 0", THRESHOLD, THRESHOLD.replace('"90000"', '"-1"'),
     "election.low_volume.allowed_charges", "cannot be negative"),
    ("opt-in without the services element", THRESHOLD,
     THRESHOLD.replace(", covered_services = 200", ""),
     "election.low_volume.covered_services", "three-element"),
    ("min clinicians below 2", CAHPS_MIN, CAHPS_MIN.replace("value = 2", "value = 1"),
     "registration.cahps_min_clinicians", "2 or more"),
    ("Registry in may_register", MAY_REGISTER,
     MAY_REGISTER.replace('"Virtual Group"]', '"Virtual Group", "Registry"]'),
     "registration.may_register", "registries never register"),
    ("registration rights in the permission table", VG_STAFF,
     VG_STAFF.replace('"view members"', '"view members", "register for the CAHPS for MIPS Survey"'),
     "access.permissions.Virtual Group.Staff User", "registration rights"),
    ("a staff user above the security official", VG_STAFF,
     VG_STAFF.replace('"view members"', '"view members", "request a Targeted Review"'),
     "access.permissions.Virtual Group", "every Staff User permission"),
    ("an identifier made editable", '"Virtual Group" = ["address"]',
     '"Virtual Group" = ["address", "tin"]',
     "registration.editable_fields.Virtual Group", "identifiers never change"),
    ("the registration window in another year", WINDOW,
     WINDOW.replace("opens = 2019-04-04", "opens = 2018-04-04"),
     "registration.window.opens", "opens in 2019"),
    ("a year given as text", "year = 2019", 'year = "2019"', "year", "expected int"),
    ("a year QPP never had", "year = 2019", "year = 2016", "year", "2017"),
    ("a missing key", CAHPS_MIN, CAHPS_MIN.replace("cahps_min", "cahps_minimum"),
     "registration.cahps_min_clinicians", "missing"),
    ("a missing title", 'title = "Performance year 2019"\n', "", "title", "missing"),
    ("an erratum without its id", 'erratum = { id = "E4"', 'erratum = { code = "E4"',
     "registration.editable_fields.erratum.id", "missing"),
    ("bad TOML", WI_MIN, WI_MIN.replace("value = 25", "value = = 25"), "", "not valid TOML"),
    ("a duplicate TOML key", WI_MIN, WI_MIN + "value = 26\n", "", "not valid TOML"),
    ("an amendment of no value", A1_CHANGES, A1_CHANGES.replace('"election.window"',
                                                                '"election.windows"'),
     "amendments[0].changes", "no policy value at 'election.windows'"),
    ("an impossible amendment", A1_CHANGES,
     A1_CHANGES.replace("closes = 2020-04-30", "closes = 2019-04-30"),
     "amendments[0].changes.election.window.closes", "closes after it opens"),
    ("an amendment without its date", 'announced = 2020-03-22T00:00:00\n', "",
     "amendments[0].announced", "missing"),
    ("an amendment with an unknown key", 'id = "A1"\n', 'id = "A1"\nby = "CMS"\n',
     "amendments[0]", "unknown keys ['by']"),
]


@pytest.mark.parametrize(("case", "old", "new", "field", "words"), CASES,
                         ids=[row[0] for row in CASES])
def test_a_broken_data_file_names_the_file_and_the_field(
    case: str, old: str, new: str, field: str, words: str
) -> None:
    assert TEXT.count(old) == 1, f"{case}: the data file changed; update the case"
    with pytest.raises(PolicyFileError) as raised:
        load_policy_text(TEXT.replace(old, new), SOURCE)
    error = raised.value
    assert error.source == SOURCE
    assert error.field == field, str(error)
    assert str(error).startswith(f"{SOURCE}: {field}: " if field else f"{SOURCE}: "), str(error)
    assert words in str(error), str(error)
    assert isinstance(error, qr.PolicyError)


def test_the_unchanged_file_loads_as_the_built_in_year() -> None:
    loaded = load_policy_text(TEXT, SOURCE)
    built_in = qr.policy_for(2019, as_of=qr.eastern(2019, 1, 1))
    assert loaded.registration == built_in.registration
    assert loaded.election == built_in.election
    assert loaded.access == built_in.access
    assert loaded.citations == built_in.citations
    assert loaded.errata == built_in.errata


def test_several_problems_are_all_reported() -> None:
    text = TEXT.replace(WI_MIN, WI_MIN.replace("25", '"25"')).replace(
        CAHPS_MIN, CAHPS_MIN.replace("value = 2", "value = true"))
    with pytest.raises(PolicyFileError) as raised:
        load_policy_text(text, SOURCE)
    message = str(raised.value)
    assert "registration.web_interface_min_clinicians" in message
    assert "registration.cahps_min_clinicians" in message


def test_load_policy_file_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "py2019-local.toml"
    broken.write_text(TEXT.replace(WI_MIN, WI_MIN.replace("25", '"25"')), encoding="utf-8")
    with pytest.raises(PolicyFileError, match=r"^py2019-local\.toml: registration\.web_interface"):
        load_policy_file(broken)
    good = tmp_path / "py2019.toml"
    good.write_text(TEXT, encoding="utf-8")
    assert load_policy_file(good).year == 2019
    assert load_policy_file(str(good)).year == 2019
    with pytest.raises(PolicyFileError, match="cannot be read"):
        load_policy_file(tmp_path / "missing.toml")
