"""The years beyond the guides (PY2017, PY2020, PY2022-PY2026): every value from a public source
quoted beside it, every other value unknown and refused (POL-UNK-1), and their edges: the
PY2023 window in ET (REG-WIN-3), the later thresholds (ELE-ELIG-2), the end of the CMS Web
Interface (REG-END-1, REG-END-2)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pendulum
import pytest

import qpp_rules as qr
from qpp_rules.access import Actor, Permission, Role, authorize, may
from qpp_rules.decisions import Decision
from qpp_rules.election import LowVolumeFacts, OptInStatus, explain_opt_in, opt_in_status
from qpp_rules.errors import InvalidInput, PolicyFileError, UnknownPolicyValue
from qpp_rules.policy import Citation, known, load_policy_text, policy_diff
from qpp_rules.policy._changes import PAGE, render
from qpp_rules.registration import (
    Organization,
    Register,
    automatic_registrations,
    cahps_required,
    decide,
    minimum_clinicians,
    options,
    registration_needed,
)

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = (2017, 2020, 2022, 2023, 2024, 2025, 2026)
GUIDE_YEARS = (2018, 2019, 2021)
GUIDES = {path.stem for path in (ROOT / "sources").glob("*.txt")}
SOURCES = "\n".join(path.read_text(encoding="utf-8")
                    for path in (ROOT / "sources" / "external").glob("*.md"))
RULE_IDS = set(re.findall(r"\*\*([A-Z]+(?:-[A-Z]+)*-\d+)\*\*",
                          (ROOT / "spec" / "RULES.md").read_text(encoding="utf-8")))
WI, CAHPS = qr.Program.WEB_INTERFACE, qr.Program.CAHPS
SSP_ACO = Organization(qr.OrgType.APM_ENTITY, qr.SizeBand.LARGE,
                       apm_model=qr.ApmModel.SHARED_SAVINGS_PROGRAM)


def _organizations() -> list[Organization]:
    found = [SSP_ACO]
    for kind in (qr.OrgType.PRACTICE, qr.OrgType.VIRTUAL_GROUP, qr.OrgType.APM_ENTITY):
        for size in qr.SizeBand:
            for submitted in (False, True):
                found.append(Organization(kind, size,
                                          submitted_web_interface_prior_year=submitted))
    return found


def _normal(text: str) -> str:
    return " ".join(text.split())


def test_the_years_beyond_the_guides_are_available() -> None:
    assert set(EXTERNAL) | set(GUIDE_YEARS) <= set(qr.available_years())
    assert qr.plugin_errors() == ()


@pytest.mark.parametrize("year", EXTERNAL)
def test_every_known_value_is_cited_by_a_public_source_with_its_words(year: int) -> None:
    policy = qr.policy_for(year)
    assert policy.known_values(), year
    for path in policy.known_values():
        citation = policy.cite(path)
        assert path in policy.citations or path.rpartition(".")[0] in policy.citations, path
        assert citation.authority in {"cms", "federal-register", "omb", "secondary"}, path
        assert citation.source not in GUIDES, path
        assert citation.url is not None, path
        assert citation.url.startswith("https://"), path
        assert citation.quote is not None, path
        assert citation.quote.strip(), path
        assert set(citation.rules) <= RULE_IDS, path
        if citation.authority == "secondary":
            assert "Secondary source" in (citation.note or ""), path
        # the quoted passage and the address are copied into sources/external
        assert _normal(citation.quote) in _normal(SOURCES), (path, citation.quote)
        assert citation.url in SOURCES, path


@pytest.mark.parametrize("year", EXTERNAL)
def test_pol_unk_1_an_unknown_value_is_none_and_says_why(year: int) -> None:
    policy = qr.policy_for(year)
    unknown = policy.unknown_values()
    assert unknown, year
    for path, why in unknown.items():
        assert why.strip(), path
        with pytest.raises(UnknownPolicyValue) as raised:
            known(policy, path, "POL-UNK-1")
        assert raised.value.path == path
        assert raised.value.year == year
        assert path not in policy.known_values()


def test_the_guide_years_know_every_value() -> None:
    for year in GUIDE_YEARS:
        assert qr.policy_for(year).unknown_values() == {}


# -- REG-WIN-3: PY2023's window in ET --------------------------------------------------------

def test_reg_win_3_py2023_opens_april_3_10am_and_closes_june_30_8pm_et() -> None:
    window = known(qr.policy_for(2023), "registration.window", "REG-WIN-3")
    opens = pendulum.datetime(2023, 4, 3, 14, tz="UTC")  # 10:00 EDT
    closes = pendulum.datetime(2023, 7, 1, 0, tz="UTC")  # 20:00 EDT on June 30
    assert window.opens == opens
    assert window.closes == closes
    assert not window.contains(opens.subtract(microseconds=1))
    assert window.contains(opens)
    assert window.contains(closes.subtract(microseconds=1))
    assert not window.contains(closes)


def test_reg_win_3_a_year_without_instants_refuses_every_registration_command() -> None:
    for year in (2017, 2024):
        policy = qr.policy_for(year)
        assert "registration.window" in policy.unknown_values()
        org = Organization(qr.OrgType.PRACTICE, qr.SizeBand.SMALL, name="Example Clinic",
                           address=qr.registration.Address("1 Main Street", "Baltimore", "MD",
                                                            "21239"), tin="000765630")
        outcome = decide(None, Register(CAHPS, org), at=qr.eastern(year, 5, 1),
                         policy=policy, actor=Actor(qr.OrgType.PRACTICE, Role.SECURITY_OFFICIAL))
        assert not outcome.accepted
        assert outcome.refusal is not None
        assert "REG-WIN-1" in outcome.refusal.rule_ids
        assert "registration.window is not known" in outcome.refusal.explain()


# -- ELE-ELIG-2: the later thresholds ----------------------------------------------------------

@pytest.mark.parametrize("year", [2020, 2022, 2024, 2025])
def test_ele_elig_2_threshold_is_90000_200_200_with_opt_in(year: int) -> None:
    policy = qr.policy_for(year)
    limit = known(policy, "election.low_volume", "ELE-ELIG-2")
    assert (limit.allowed_charges, limit.patients, limit.covered_services) == (
        Decimal("90000"), 200, 200)
    assert policy.election.opt_in is True
    at_the_line = LowVolumeFacts(Decimal("90000"), 200, 200)
    assert opt_in_status(at_the_line, policy) is OptInStatus.EXEMPT  # equal is not exceeding
    for one_over in (LowVolumeFacts(Decimal("90000.01"), 200, 200),
                     LowVolumeFacts(Decimal("90000"), 201, 200),
                     LowVolumeFacts(Decimal("90000"), 200, 201)):
        assert opt_in_status(one_over, policy) is OptInStatus.OPT_IN_ELIGIBLE
        assert explain_opt_in(one_over, policy).allowed
    all_over = LowVolumeFacts(Decimal("90000.01"), 201, 201)
    assert opt_in_status(all_over, policy) is OptInStatus.MIPS_ELIGIBLE


def test_ele_elig_2_py2024_cites_its_own_source() -> None:
    citation = qr.policy_for(2024).cite("election.low_volume")
    assert citation.authority == "secondary"
    assert "more than $90,000" in (citation.quote or "")
    assert qr.policy_for(2024).cite("election.opt_in").authority == "federal-register"


def test_ele_elig_2_py2017_has_two_elements_and_no_opt_in() -> None:
    policy = qr.policy_for(2017)
    assert policy.election.opt_in is False
    assert policy.election.window is None
    limit = known(policy, "election.low_volume", "ELE-ELIG-2")
    assert (limit.allowed_charges, limit.patients, limit.covered_services) == (
        Decimal("30000"), 100, None)
    assert opt_in_status(LowVolumeFacts(Decimal("30000"), 100), policy) is OptInStatus.EXEMPT
    assert opt_in_status(LowVolumeFacts(Decimal("30000.01"), 100), policy) is OptInStatus.EXEMPT
    assert opt_in_status(LowVolumeFacts(Decimal("30000.01"), 101),
                         policy) is OptInStatus.MIPS_ELIGIBLE


# -- REG-END-1 / REG-END-2: the end of the CMS Web Interface ---------------------------------

@pytest.mark.parametrize("year", [2025, 2026])
def test_reg_end_1_nobody_registers_or_is_registered_for_the_web_interface(year: int) -> None:
    policy = qr.policy_for(year)
    assert policy.registration.web_interface_offered is False
    for org in _organizations():
        decision = options(org, policy).web_interface
        assert not decision.allowed
        assert decision.rule_ids == ("REG-END-1",), decision.explain()
        assert WI not in automatic_registrations(org, policy)


def test_reg_end_1_the_web_interface_is_offered_through_py2024() -> None:
    offered = {year: qr.policy_for(year).registration.web_interface_offered
               for year in qr.available_years()}
    assert offered == {**{year: True for year in range(2017, 2025)}, 2025: False, 2026: False}
    assert qr.policy_for(2024).cite("registration.web_interface_offered").authority == "cms"


def test_reg_end_2_the_last_year_of_the_web_interface_per_organization_type() -> None:
    group = Organization(qr.OrgType.PRACTICE, qr.SizeBand.LARGE)
    virtual = Organization(qr.OrgType.VIRTUAL_GROUP, qr.SizeBand.LARGE)
    registrable = known(qr.policy_for(2020), "registration.may_register.CMS Web Interface",
                        "REG-ELIG-3")
    assert {qr.OrgType.PRACTICE, qr.OrgType.VIRTUAL_GROUP, qr.OrgType.APM_ENTITY} == registrable
    for year in (2023, 2024):
        policy = qr.policy_for(year)
        assert policy.registration.may_register == {WI: frozenset()}
        for org in (group, virtual):
            decision = options(org, policy).web_interface
            assert not decision.allowed
            assert decision.rule_ids == ("REG-ELIG-3",)
        # an SSP ACO might still hold it (the APP): unknown, so refused for that reason
        aco = options(SSP_ACO, policy).web_interface
        assert not aco.allowed
        assert "not known" in aco.explain()
    assert qr.policy_for(2024).registration.web_interface_offered is True


# -- POL-UNK-1: decisions needing an unknown value refuse ------------------------------------

def _says_unknown(decision: Decision, year: int, path: str, rule: str) -> None:
    assert not decision.allowed
    assert rule in decision.rule_ids
    text = decision.explain()
    assert f"PY{year}'s {path} is not known" in text
    assert f"{rule} needs it" in text


def test_pol_unk_1_registration_options_refuse_for_an_unknown_value() -> None:
    group = Organization(qr.OrgType.PRACTICE, qr.SizeBand.LARGE)
    _says_unknown(options(group, qr.policy_for(2022)).web_interface, 2022,
                  "registration.registered_by_cms", "REG-ELIG-3")
    _says_unknown(options(group, qr.policy_for(2020)).cahps, 2020,
                  "registration.cahps_min_clinicians", "REG-ELIG-2")
    _says_unknown(options(SSP_ACO, qr.policy_for(2023)).cahps, 2023,
                  "registration.ssp_aco_automatic", "REG-ELIG-4")
    _says_unknown(registration_needed("eCQMs", qr.policy_for(2026)), 2026,
                  "registration.no_registration_needed", "REG-ELIG-8")
    _says_unknown(cahps_required(SSP_ACO, qr.policy_for(2024)), 2024,
                  "registration.cahps_required_under_app", "REG-ELIG-5")
    with pytest.raises(UnknownPolicyValue, match="REG-ELIG-1 needs it"):
        minimum_clinicians(WI, qr.policy_for(2022))


def test_pol_unk_1_elections_refuse_for_an_unknown_threshold() -> None:
    facts = LowVolumeFacts(Decimal("90000.01"), 200, 200)
    for year in (2023, 2026):
        _says_unknown(explain_opt_in(facts, qr.policy_for(year)), year, "election.low_volume",
                      "ELE-ELIG-1")
        with pytest.raises(UnknownPolicyValue):
            opt_in_status(facts, qr.policy_for(year))


def test_pol_unk_1_access_refuses_for_an_unknown_permission_table() -> None:
    actor = Actor(qr.OrgType.PRACTICE, Role.STAFF_USER)
    for year in EXTERNAL:
        policy = qr.policy_for(year)
        _says_unknown(authorize(actor, Permission.SUBMIT_DATA, policy), year,
                      "access.permissions", "ACC-PERM-1")
        assert not may(qr.OrgType.PRACTICE, Role.STAFF_USER, Permission.SUBMIT_DATA, policy)
    # a registration right follows the year's registration table, where it is known
    so = Actor(qr.OrgType.VIRTUAL_GROUP, Role.SECURITY_OFFICIAL)
    assert authorize(so, Permission.REGISTER_WEB_INTERFACE, qr.policy_for(2020)).allowed
    _says_unknown(authorize(so, Permission.REGISTER_CAHPS, qr.policy_for(2023)), 2023,
                  "registration.may_register.CAHPS for MIPS Survey", "ACC-PERM-1")


# -- the data file, the citation, the diff -----------------------------------------------------

def _file(tail: str) -> str:
    text = (ROOT / "src/qpp_rules/policy/years/py2023.toml").read_text(encoding="utf-8")
    return text.replace('[registration.cahps_min_clinicians]\nvalue = 2\n', tail, 1)


def test_pol_unk_1_an_unknown_leaf_has_only_its_reason() -> None:
    with pytest.raises(PolicyFileError, match="only 'unknown'"):
        load_policy_text(_file('[registration.cahps_min_clinicians]\nunknown = "x"\nvalue = 2\n'),
                         "mine.toml")
    with pytest.raises(PolicyFileError, match="why the value is not known"):
        load_policy_text(_file('[registration.cahps_min_clinicians]\nunknown = " "\n[x]\n'),
                         "mine.toml")


def test_a_citation_beyond_the_guides_names_its_address_and_quotes_it() -> None:
    with pytest.raises(InvalidInput, match="url"):
        Citation("a page", "a section", authority="cms", quote="words")
    with pytest.raises(InvalidInput, match="quote"):
        Citation("a page", "a section", authority="omb", url="https://example.gov/x")
    with pytest.raises(InvalidInput, match="authority"):
        Citation("a page", "a section", authority="blog")
    assert Citation("REG-GUIDE-2019", "II").authority == "guide"


def test_the_guide_years_cite_guides_only() -> None:
    for year in GUIDE_YEARS:
        policy = qr.policy_for(year)
        assert {c.authority for c in policy.citations.values()} == {"guide"}


def test_policy_diff_gives_both_values_and_both_citations() -> None:
    changes = {c.path: c for c in policy_diff(qr.policy_for(2024), qr.policy_for(2025))}
    offered = changes["registration.web_interface_offered"]
    assert (offered.before, offered.after) == (True, False)
    assert offered.before_citation is not None
    assert offered.after_citation is not None
    assert "measures/2024" in (offered.before_citation.url or "")
    assert "measures/2025" in (offered.after_citation.url or "")
    assert "election.low_volume.allowed_charges" not in changes  # $90,000 in both
    lvt = {c.path: c for c in policy_diff(qr.policy_for(2022), qr.policy_for(2023))}
    assert lvt["election.low_volume"].after is None
    assert lvt["election.low_volume"].after_citation is None
    with pytest.raises(InvalidInput):
        policy_diff(qr.policy_for(2019), 2020)  # type: ignore[arg-type]


def test_policy_diff_is_empty_exactly_when_the_policies_are_equal() -> None:
    for before in EXTERNAL:
        for after in EXTERNAL:
            same = policy_diff(qr.policy_for(before), qr.policy_for(after)) == ()
            assert same is (before == after)


def test_the_committed_changes_page_is_the_generated_one() -> None:
    committed = (ROOT / PAGE).read_text(encoding="utf-8")
    assert committed == render(), (
        "docs/policy-changes.md is stale: run `python -m qpp_rules.policy._changes --write`")
    assert "policy-changes.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_pol_unk_1_elections_refuse_and_sampling_raises_for_unknown_values() -> None:
    from qpp_rules.election import Choice, Participant, elect, elect_batch
    from qpp_rules.registration import sampling_consequences

    policy = qr.policy_for(2024)
    registry = Actor(qr.OrgType.REGISTRY, Role.STAFF_USER)
    one = Participant("123456789")
    result = elect(None, one, Choice.OPT_IN, at=qr.eastern(2025, 1, 2), policy=policy,
                   confirmation="CONFIRM", actor=registry, status=OptInStatus.OPT_IN_ELIGIBLE)
    assert not result.accepted
    assert result.state is None
    assert result.refusal is not None
    _says_unknown(result.refusal, 2024, "election.may_elect", "ELE-WHO-1")
    upload = elect_batch(None, {one: Choice.OPT_IN}, at=qr.eastern(2025, 1, 2), policy=policy,
                         confirmation="CONFIRM", actor=registry,
                         statuses={one: OptInStatus.OPT_IN_ELIGIBLE})
    assert not upload.accepted
    assert upload.state is None
    assert upload.events == ()
    assert upload.counts == {Choice.OPT_IN: 1}  # the upload's tally, refused or not
    assert upload.refusal is not None
    _says_unknown(upload.refusal, 2024, "election.confirmation_word", "ELE-CONF-1")
    with pytest.raises(UnknownPolicyValue, match="REG-SAMP-1 needs it"):
        sampling_consequences(CAHPS, qr.policy_for(2023))
