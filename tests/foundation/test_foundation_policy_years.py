"""The built-in policy years: every value cited, the errata recorded, and every value
cross-checked against the guides in sources/ and the rule catalogue spec/RULES.md.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from guide_text import GUIDES
from guide_text import normal as _normal

import qpp_rules as qr
from qpp_rules.policy.model import Citation
from qpp_rules.policy.paths import leaf_paths
from qpp_rules.policy.unknown import known
from qpp_rules.time import Window, eastern
from qpp_rules.vocabulary import (
    ApmModel,
    OrgType,
    Permission,
    Program,
    RegistrationEventKind,
    Role,
)

ROOT = Path(__file__).resolve().parents[2]
YEARS = (2018, 2019, 2021)

RULES = (ROOT / "spec" / "RULES.md").read_text(encoding="utf-8")
RULE_IDS = set(re.findall(r"\*\*([A-Z]+(?:-[A-Z]+)*-\d+)\*\*", RULES))
ERRATA_IDS = set(re.findall(r"^- \*\*(E\d+)\*\*", RULES, flags=re.MULTILINE))


def published(year: int) -> qr.PolicyYear:
    return qr.policy_for(year, as_of=eastern(year, 1, 1))


def test_the_built_in_years_are_available() -> None:
    assert set(YEARS) <= set(qr.available_years())
    assert qr.available_years() == tuple(sorted(qr.available_years()))
    assert qr.plugin_errors() == ()


@pytest.mark.parametrize("year", YEARS)
def test_every_value_has_a_citation(year: int) -> None:
    policy = qr.policy_for(year)
    paths = leaf_paths(policy)
    assert "registration.window" in paths
    assert "election.low_volume.patients" in paths
    for path in paths:
        citation = policy.cite(path)
        assert isinstance(citation, Citation), path
        # cited at the value itself, or at the cited table holding it (low_volume)
        assert path in policy.citations or path.rpartition(".")[0] in policy.citations, path
        assert citation.source in GUIDES or citation.source.startswith("external:"), path
        assert citation.section, path
        assert citation.rules, path
        for rule in citation.rules:
            assert rule in RULE_IDS, f"{path}: {rule} is not in RULES.md"
        assert str(citation).startswith(f"{citation.source}, {citation.section}")


@pytest.mark.parametrize("year", YEARS)
def test_every_quote_is_the_guides_own_words(year: int) -> None:
    """A quote is verbatim (markup and line breaks aside; '...' marks an omission)."""
    policy = qr.policy_for(year)
    quoted = 0
    for path, citation in policy.citations.items():
        if citation.quote is None or citation.source not in GUIDES:
            continue
        for fragment in re.split(r"\.\.\.|…", citation.quote):
            words = _normal(fragment).strip(" .")
            if words:
                assert words in GUIDES[citation.source], f"PY{year} {path}: {words!r}"
                quoted += 1
    assert quoted >= 5


def test_cite_finds_the_nearest_cited_value_and_refuses_unknown_paths() -> None:
    policy = qr.policy_for(2019)
    assert policy.cite("election.low_volume.patients") == policy.cite("election.low_volume")
    assert str(policy.cite("registration.window")) == (
        "REG-GUIDE-2019, Registration Information; III [REG-WIN-1]"
    )
    with pytest.raises(qr.InvalidInput, match="path"):
        policy.cite("nowhere")


# -- errata (RULES.md "Errata"): recorded beside the values they touch ---------------------------

ERRATA = [
    # (year, path, erratum ID, a word of the reading taken)
    (2018, "registration.window", "E1", "Eastern"),
    (2019, "registration.window", "E2", "April 4"),
    (2018, "registration.web_interface_carry_over", "E3", "submitted"),
    (2019, "registration.editable_fields", "E4", "name"),
    (2021, "registration.window", "E5", "PY2021"),
    (2018, "access.permissions", "E8", "registration guides"),
    (2019, "access.permissions", "E8", "registration guides"),
    (2021, "access.permissions", "E8", "registration guides"),
]


@pytest.mark.parametrize(("year", "path", "erratum", "reading"), ERRATA)
def test_errata_touching_table_values_are_recorded(
    year: int, path: str, erratum: str, reading: str
) -> None:
    recorded = qr.policy_for(year).errata[path]
    assert recorded.id == erratum
    assert reading in recorded.reading
    assert recorded.alternative, "the reading not taken is recorded too"


@pytest.mark.parametrize("year", YEARS)
def test_every_recorded_erratum_is_in_rules_md(year: int) -> None:
    policy = qr.policy_for(year)
    assert {"E1", "E2", "E3", "E4", "E5", "E8"} <= ERRATA_IDS
    for path, erratum in policy.errata.items():
        assert erratum.id in ERRATA_IDS, path
        assert path in policy.citations, f"{path}: an erratum sits beside a cited value"


# -- every value against the guides and RULES.md -------------------------------------------------

P, VG, APM, REG = OrgType.PRACTICE, OrgType.VIRTUAL_GROUP, OrgType.APM_ENTITY, OrgType.REGISTRY
WI, CAHPS = Program.WEB_INTERFACE, Program.CAHPS
SUB, MOD, CAN = (RegistrationEventKind.SUBMITTED, RegistrationEventKind.MODIFIED,
                 RegistrationEventKind.CANCELLED)

VALUES = [
    # REG-WIN-1
    (2018, "registration.window",
     Window(eastern(2018, 4, 1), eastern(2018, 7, 1)),
     ("REG-GUIDE-2018", "between April 1, 2018 and June 30, 2018 (11:59pm EDT)")),
    (2019, "registration.window",
     Window(eastern(2019, 4, 4, 10), eastern(2019, 7, 1, 17)),
     ("REG-GUIDE-2019", "between April 4, 2019 and July 1, 2019 (5:00 pm ET)")),
    (2021, "registration.window",
     Window(eastern(2021, 4, 1, 10), eastern(2021, 6, 30, 20)),
     ("REG-GUIDE-2021", "between April 1, 2021 (10 a.m. ET) and June 30, 2021 (8 p.m. ET)")),
    # REG-ELIG-1, REG-ELIG-2
    *[(year, "registration.web_interface_min_clinicians", 25, None) for year in YEARS],
    *[(year, "registration.cahps_min_clinicians", 2, None) for year in YEARS],
    (2018, "registration.web_interface_min_clinicians", 25,
     ("REG-GUIDE-2018", "Selecting '25-99' or '100 or greater' will allow you to register for "
                        "the CMS Web Interface")),
    (2021, "registration.cahps_min_clinicians", 2,
     ("REG-GUIDE-2021", "the CAHPS for MIPS Survey (2 or more eligible clinicians)")),
    # REG-ELIG-3
    (2018, "registration.may_register", {WI: {P}, CAHPS: {P}},
     ("REG-GUIDE-2018", "The registration system isn't yet configured to allow approved "
                        "Virtual Groups to register")),
    (2019, "registration.may_register", {WI: {P, VG}, CAHPS: {P, VG}},
     ("REG-GUIDE-2019", "The registration system will not allow registrations at the APM "
                        "Entity (Primary TIN) level")),
    (2021, "registration.may_register", {WI: {P, VG, APM}, CAHPS: {P, VG, APM}},
     ("REG-GUIDE-2021", "CMS Web Interface registration is open to groups, virtual groups, "
                        "and APM Entities")),
    (2018, "registration.registered_by_cms", {VG},
     ("REG-GUIDE-2018", "we will complete your registration for you")),
    (2019, "registration.registered_by_cms", set(), None),
    (2021, "registration.registered_by_cms", set(), None),
    # REG-AUTO-1, REG-ELIG-4 / REG-AUTO-2
    (2018, "registration.web_interface_carry_over", {P},
     ("REG-GUIDE-2018", "Groups that submitted their 2017 MIPS quality measures through the "
                        "CMS Web Interface")),
    (2019, "registration.web_interface_carry_over", {P, VG},
     ("REG-GUIDE-2019", "You were automatically registered if you submitted quality data "
                        "through the CMS Web Interface in 2018")),
    (2021, "registration.web_interface_carry_over", {P, VG},
     ("REG-GUIDE-2021", "Groups and virtual groups that submitted quality data through the CMS "
                        "Web Interface for the 2020 performance period are automatically")),
    (2018, "registration.ssp_aco_automatic", set(), None),
    (2019, "registration.ssp_aco_automatic", set(), None),
    (2021, "registration.ssp_aco_automatic", {WI, CAHPS},
     ("REG-GUIDE-2021", "Shared Savings Program ACOs are automatically registered for the CMS "
                        "Web Interface")),
    # REG-REC-3
    (2018, "registration.editable_fields", {P: {"address"}},
     ("REG-GUIDE-2018", "Enter the Address, City, State and Zip Code for the Organization")),
    (2019, "registration.editable_fields", {P: {"name", "address"}, VG: {"address"}},
     ("REG-GUIDE-2019", "Can update: · Organization name · Address")),
    (2019, "registration.editable_fields", {P: {"name", "address"}, VG: {"address"}},
     ("REG-GUIDE-2019", "Can't update: · Organization name · Group size*")),
    (2021, "registration.editable_fields",
     {P: {"name", "address"}, VG: {"name", "address"}, APM: {"name", "address"}},
     ("REG-GUIDE-2021", "Edit your organization name and address")),
    # REG-REC-5
    (2018, "registration.notified_events", {SUB, CAN},
     ("REG-GUIDE-2018", "all contacts will be notified by email when a registration is "
                        "submitted or cancelled")),
    (2019, "registration.notified_events", {SUB, MOD, CAN},
     ("REG-GUIDE-2019", "all contacts will be notified by email when a registration is "
                        "submitted, modified or cancelled")),
    (2021, "registration.notified_events", {SUB, MOD, CAN},
     ("REG-GUIDE-2021", "all contacts will be notified by email when a registration is "
                        "submitted, modified, or cancelled")),
    # REG-WIN-2
    (2018, "registration.other_submission_types", "other submission mechanisms",
     ("REG-GUIDE-2018", "still able to submit their quality measures through other submission "
                        "mechanisms")),
    (2019, "registration.other_submission_types", "other submission types",
     ("REG-GUIDE-2019", "you can submit quality measures through other submission types")),
    (2021, "registration.other_submission_types",
     "a different submission type (i.e., EHR, Qualified Registry, QCDR)",
     ("REG-GUIDE-2021", "would need to select a different submission type")),
    # REG-ELIG-8
    (2018, "registration.no_registration_needed", ("Qualified Registry", "QCDR", "EHR"),
     ("REG-GUIDE-2018", "submit their 2018 quality measures via Qualified Registry, QCDR, or "
                        "EHR")),
    (2019, "registration.no_registration_needed", ("eCQMs", "MIPS CQMs", "QCDR measures"),
     ("REG-GUIDE-2019", "plan to submit eCQMs, MIPS CQMs and/or QCDR measures")),
    # REG-SAMP-1..3
    (2018, "registration.sampling.notice", "the Fall of 2018",
     ("REG-GUIDE-2018", "this notification will occur in the Fall of 2018")),
    (2019, "registration.sampling.notice", "the Fall of 2019",
     ("REG-GUIDE-2019", "We anticipate notifications to be sent in the Fall of 2019")),
    (2021, "registration.sampling.notice", "the fall of 2021",
     ("REG-GUIDE-2021", "We anticipate notifications will be sent in the fall 2021")),
    (2019, "registration.sampling.web_interface_alternatives", ("eCQMs", "MIPS CQMs"),
     ("REG-GUIDE-2019", "(such as eCQMs or MIPS CQMs)")),
    (2018, "registration.sampling.cahps_other_improvement_activity", False, None),
    (2019, "registration.sampling.cahps_other_improvement_activity", True,
     ("REG-GUIDE-2019", "Will need to select a different activity for the Improvement "
                        "Activities performance category")),
    (2021, "registration.sampling.cahps_unattestable_activity", "IA_PSPA_11",
     ("REG-GUIDE-2021", "Questionnaire (IA_PSPA_11)")),
    (2019, "registration.sampling.cahps_unattestable_activity", None, None),
    (2018, "registration.sampling.cahps_denominator_reduction", False, None),
    (2019, "registration.sampling.cahps_denominator_reduction", True,
     ("REG-GUIDE-2019", "May qualify for a denominator reduction in the Quality performance "
                        "category")),
    (2019, "registration.sampling.ssp_aco_denominator_reduction", False, None),
    (2021, "registration.sampling.ssp_aco_denominator_reduction", True,
     ("REG-GUIDE-2021", "will receive a denominator reduction")),
    (2018, "registration.sampling.cahps_vendor_required", True,
     ("REG-GUIDE-2018", "must contract with a CMS-Approved Survey Vendor")),
    (2019, "registration.sampling.cahps_vendor_required", False, None),
    # ELE-ELIG-1, ELE-WIN-1, ELE-OUT-1 (the published table, before amendment A1)
    (2018, "election.opt_in", False, None),
    (2019, "election.opt_in", True, None),
    (2021, "election.opt_in", True, None),
    (2018, "election.window", None, None),
    (2021, "election.window", None, None),
    (2019, "election.window", Window(eastern(2020, 1, 2, 10), eastern(2020, 3, 31, 20)),
     ("ELECTION-GUIDE-2019", "The submission period opens on January 2, 2020 at 10:00 am "
                             "Eastern Time (ET) and closes March 31, 2020 at 8:00 pm ET")),
    (2019, "election.submission_window", Window(eastern(2020, 1, 2, 10), eastern(2020, 3, 31, 20)),
     ("ELECTION-GUIDE-2019", "2019 opt-in and voluntary reporting election period and data "
                             "submission period opens January 2, 2020")),
    (2018, "election.low_volume", qr.LowVolumeThreshold(Decimal("90000"), 200, None), None),
    (2019, "election.low_volume", qr.LowVolumeThreshold(Decimal("90000"), 200, 200), None),
    (2021, "election.low_volume", qr.LowVolumeThreshold(Decimal("90000"), 200, 200), None),
    *[(year, "election.payment_year_offset", 2, None) for year in YEARS],
    (2019, "election.payment_year_offset", 2,
     ("ELECTION-GUIDE-2019", "You will receive a MIPS final score and a payment adjustment in "
                             "2021")),
    *[(year, "election.public_reporting_preview_days", 30, None) for year in YEARS],
    (2019, "election.public_reporting_preview_days", 30,
     ("ELECTION-GUIDE-2019", "during the 30-day preview period (in late 2020)")),
    # ACC-PERM-1, ACC-DATE-1
    *[(year, "access.apm_feedback_models",
       {ApmModel.SHARED_SAVINGS_PROGRAM, ApmModel.NEXT_GENERATION_ACO},
       ("ACCESS-GUIDE", "View MIPS performance feedback for the Shared Savings Program ACO "
                        "entity or Next Generation ACO entity")) for year in YEARS],
    *[(year, "access.cpc_plus_connections_open", eastern(2019, 1, 2),
       ("ACCESS-GUIDE", "You can connect to a CPC+ Practice Site beginning January 2, 2019"))
      for year in YEARS],
]


def _plain(value: Any) -> Any:
    """A table value as plain sets and dicts, to compare with the rows above."""
    if isinstance(value, frozenset):
        return set(value)
    if hasattr(value, "items") and not isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


@pytest.mark.parametrize(("year", "path", "expected", "evidence"), VALUES,
                         ids=[f"PY{row[0]}-{row[1]}" for row in VALUES])
def test_values_against_the_guides(year: int, path: str, expected: Any, evidence: Any) -> None:
    assert _plain(published(year).value_at(path)) == expected
    if evidence is not None:
        guide, words = evidence
        assert _normal(words) in GUIDES[guide], f"the guide says so: {words!r}"


ACCESS_GUIDE_PERMISSIONS = {
    P: ({Permission.VIEW_ELIGIBILITY, Permission.VIEW_CLAIMS_MEASURE_DATA,
         Permission.PHYSICIAN_COMPARE_PREVIEW, Permission.SUBMIT_DATA, Permission.VIEW_FEEDBACK,
         Permission.REQUEST_TARGETED_REVIEW},
        "Request a Targeted Review"),
    APM: ({Permission.SUBMIT_DATA, Permission.VIEW_FEEDBACK},
          "Submit quality data on behalf of the Shared Savings Program ACO entity"),
    REG: ({Permission.SUBMIT_DATA, Permission.VIEW_FEEDBACK},
          "View preliminary performance feedback for your clients"),
    VG: ({Permission.VIEW_MEMBERS, Permission.SUBMIT_DATA, Permission.VIEW_FEEDBACK},
         "View a list of all the practices and clinicians participating in your virtual group"),
}


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("kind", list(ACCESS_GUIDE_PERMISSIONS))
def test_acc_perm_1_table_against_the_access_guide(year: int, kind: OrgType) -> None:
    """ACC-PERM-1: the access guide's matrix, without the registration rights (E8), plus
    approving requests and the API token for every Security Official (ELECTION-GUIDE-2019)."""
    staff, words = ACCESS_GUIDE_PERMISSIONS[kind]
    table = known(qr.policy_for(year), "access.permissions", "ACC-PERM-1")[kind]
    assert set(table[Role.STAFF_USER]) == staff
    assert set(table[Role.SECURITY_OFFICIAL]) == staff | {
        Permission.APPROVE_ACCESS_REQUESTS, Permission.DOWNLOAD_API_TOKEN}
    assert _normal(words) in GUIDES["ACCESS-GUIDE"]
    assert "Approve all additional user requests" in GUIDES["ACCESS-GUIDE"]
    assert "Security Official must download your API token" in GUIDES["ELECTION-GUIDE-2019"]


def test_the_rules_md_windows_match_the_tables() -> None:
    """RULES.md REG-WIN-1 and ELE-WIN-1 say the same as the tables."""
    for words in ("PY2019: opens 2019-04-04 10:00 am ET, closes 2019-07-01 5:00 pm ET",
                  "PY2021: opens 2021-04-01 10:00 am ET, closes 2021-06-30 8:00 pm ET",
                  "the window closes at 2018-07-01 00:00 EDT",
                  "from 2020-01-02 10:00 am ET to 2020-03-31 8:00 pm ET"):
        assert words in " ".join(RULES.split())


def test_amendment_a1_is_recorded_on_py2019() -> None:
    """A1 (RULES.md Amendments): announced 2020-03-22, the close moves to 2020-04-30 8 pm ET."""
    (a1,) = published(2019).known_amendments
    assert a1.id == "A1"
    assert a1.announced == eastern(2020, 3, 22)
    assert a1.citation.source.startswith("external:")
    moved = Window(eastern(2020, 1, 2, 10), eastern(2020, 4, 30, 20))
    assert dict(a1.changes) == {"election.window": moved, "election.submission_window": moved}
    assert published(2018).known_amendments == ()
    assert published(2021).known_amendments == ()


def test_payment_year_is_py_plus_two() -> None:
    assert [qr.policy_for(year).payment_year for year in YEARS] == [2020, 2021, 2023]
