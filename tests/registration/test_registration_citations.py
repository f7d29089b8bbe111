"""Each registration reason cites the guide's own section and sentence (the rule catalogue),
checked against the guides' text: REG-ELIG-7 by guide (carried forward to PY2021), REG-AUTO-2,
REG-AUTO-3, REG-REC-7 (the cancel's and the size change's confirmation) and REG-SAMP-2."""

from __future__ import annotations

import re

import pytest
from registration_helpers import (
    CAHPS,
    JANE,
    P2021,
    WI,
    act,
    bbh,
    guide_text,
)

import qpp_rules as qr
from qpp_rules.policy.unknown import known
from qpp_rules.registration import (
    Cancel,
    ChangeSize,
    Register,
    SizeBand,
    carry_over,
    options,
    sampling_consequences,
)


def _citation(decision: qr.Decision, rule_id: str) -> str:
    return str(_cited(decision, rule_id))


def _cited(decision: qr.Decision, rule_id: str) -> qr.Citation:
    found = [r.citation for r in decision.reasons if r.rule_id == rule_id]
    assert found, decision.explain()
    return found[0]


@pytest.mark.parametrize(
    ("year", "section"),
    [
        (2018, "groups with clinicians participating in a next generation aco or other "
               "(non-ssp) advanced apm"),
        (2019, "groups with clinicians participating in a next generation aco model or other "
               "(non-ssp) advanced apm"),
    ],
)
def test_reg_elig_7_cites_each_guide_s_split_tin_section(year: int, section: str) -> None:
    """REG-ELIG-7: the split-TIN section as each guide titles it."""
    org = bbh(SizeBand.LARGE, apm_model=qr.ApmModel.NEXT_GENERATION_ACO,
              split_tin_mips_clinicians=30)
    citation = _citation(options(org, qr.policy_for(year)).web_interface, "REG-ELIG-7")
    assert citation.startswith(f"REG-GUIDE-{year}, I '")
    assert section in citation.lower()
    assert section in guide_text(year)


def test_reg_elig_7_in_2021_is_an_inference_from_the_2019_guide() -> None:
    """REG-ELIG-7: the 2021 guide has no split-TIN section: the citation is the 2019 guide's,
    carried forward, and says so."""
    org = bbh(SizeBand.LARGE, apm_model=qr.ApmModel.NEXT_GENERATION_ACO,
              split_tin_mips_clinicians=30)
    citation = _citation(options(org, P2021).web_interface, "REG-ELIG-7")
    assert citation.startswith("REG-GUIDE-2019, ")
    assert "carried forward to REG-GUIDE-2021" in citation
    assert "inference" in citation
    assert "split tin" not in guide_text(2021)


def test_reg_auto_2_in_2021_cites_who_can_register_for_cahps() -> None:
    """REG-AUTO-2 (REG-GUIDE-2021: "Advance registration is required ... except for Shared
    Savings Program ACOs")."""
    group = bbh(SizeBand.LARGE, submitted_web_interface_prior_year=True)
    citation = _citation(options(group, P2021).cahps, "REG-AUTO-2")
    assert citation.startswith(
        "REG-GUIDE-2021, I 'Who can register for the CAHPS for MIPS Survey?'")
    assert "advance registration is required for any group" in guide_text(2021)
    for year in (2018, 2019):
        older = _citation(options(group, qr.policy_for(year)).cahps, "REG-AUTO-2")
        assert older.startswith(f"REG-GUIDE-{year}, I 'Who needs to register?'")


@pytest.mark.parametrize(
    ("year", "phrase"),
    [
        (2018, "may be edited or canceled"),
        (2019, "can be edited"),
        (2021, "including an automatic cms web interface registration"),
    ],
)
def test_reg_auto_3_cites_where_each_guide_says_it_can_be_edited(year: int, phrase: str) -> None:
    """REG-AUTO-3: the section of each guide that says an automatic registration can be
    edited or cancelled."""
    policy = qr.policy_for(year)
    group = bbh(SizeBand.LARGE, submitted_web_interface_prior_year=True)
    record = carry_over(None, group, policy, contacts=(JANE,))
    closes = known(policy, "registration.window", "REG-WIN-1").closes
    late = act(record, Cancel(WI, confirmed=True), policy, at=closes)
    assert late.refusal is not None
    citation = _cited(late.refusal, "REG-AUTO-3")
    assert str(citation).startswith(f"REG-GUIDE-{year}, ")
    assert phrase in (citation.quote or "").lower()
    assert phrase in guide_text(year)


@pytest.mark.parametrize("year", [2018, 2019, 2021])
def test_reg_rec_7_cites_the_guide_s_own_step_numbers(year: int) -> None:
    """REG-REC-7: the cancel's Continue-or-Cancel step is the one the guide numbers (2021:
    VII step 2; 2018/2019: VII step 3); the size change's confirmation is in V."""
    step = re.search(r"(\d)\. once you select \**cancel registration", guide_text(year))
    assert step is not None
    record = act(None, Register(WI, bbh(), (JANE,)), qr.policy_for(year)).state
    refused = act(record, Cancel(WI, confirmed=False), qr.policy_for(year))
    assert refused.refusal is not None
    citation = _cited(refused.refusal, "REG-REC-7")
    assert str(citation).endswith(f"VII step {step.group(1)} [REG-REC-7]")
    assert (citation.quote or "").startswith("Once you select Cancel Registration")
    resize = act(record, ChangeSize(SizeBand.SMALL, confirmed=False), qr.policy_for(year))
    assert resize.refusal is not None
    expected_v = {2018: "V step 3", 2019: "V step 2", 2021: "V 'Update Organization Size'"}
    assert expected_v[year] in _citation(resize.refusal, "REG-REC-7")
    assert "confirmation message" in (_cited(resize.refusal, "REG-REC-7").quote or "")
    confirm = {2018: "3. select the correct group size and confirm or cancel the change",
               2019: "2. to edit the group size, select edit next to size. [image: ] select "
                     "the correct group size and confirm or cancel the change",
               2021: "## update organization size to edit the size of your organization, "
                     "select **edit** next to **size**. select the correct organization size "
                     "and confirm or cancel the change"}
    assert confirm[year] in guide_text(year)


@pytest.mark.parametrize("year", [2019, 2021])
def test_reg_samp_2_the_cahps_notice_cites_the_cahps_question(year: int) -> None:
    """REG-SAMP-2: the CAHPS sample's notice cites the guide's CAHPS question; the WI
    notice (REG-SAMP-1) keeps the WI question."""
    cahps = sampling_consequences(CAHPS, qr.policy_for(year))
    for why in cahps.reasons[:2]:
        assert why.rule_id == "REG-SAMP-2"
        assert "won't be able to administer the CAHPS for MIPS Survey?" in str(why.citation)
        assert "CMS Web Interface?" not in str(why.citation)
    assert "is it possible we won't be able to administer the cahps for mips survey?" in (
        guide_text(year).replace("’", "'"))
    wi = sampling_consequences(WI, qr.policy_for(year))
    assert all("CMS Web Interface?" in str(why.citation) for why in wi.reasons)
