"""The generated page docs/registration/who-may-register.md equals what the policy tables
give today (so it cannot drift), and says what the rules say (REG-ELIG-3, REG-ELIG-4)."""

from __future__ import annotations

from pathlib import Path

import pytest

import qpp_rules as qr
from qpp_rules.registration import eligibility_table_markdown
from qpp_rules.registration.tables import BUILT_IN_YEARS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "registration" / "who-may-register.md"


def generated() -> str:
    return eligibility_table_markdown([qr.policy_for(year) for year in BUILT_IN_YEARS])


def test_the_docs_page_is_the_generated_table() -> None:
    """Regenerate with ``python -c "from qpp_rules.registration.tables import main; main()"
    > docs/registration/who-may-register.md``."""
    assert PAGE.read_text(encoding="utf-8") == generated()


def test_the_table_follows_the_rules_by_year() -> None:
    """REG-ELIG-3 / REG-ELIG-4: the rows say what options() says."""
    rows = {line.split(" | ")[0].lstrip("| "): line for line in generated().splitlines()
            if line.startswith("| ")}
    assert rows["Virtual Group"].count("no: CMS registers it (REG-ELIG-3)") == 2
    assert rows["APM Entity: Shared Savings Program ACO"].count("automatic (REG-ELIG-4)") == 2
    assert "yes" not in rows["Registry"]
    assert rows["2-24"].count("no (25+, REG-ELIG-1)") == 3


def test_the_table_is_generated_from_the_policy_it_is_given() -> None:
    """A reform shows in the table: the table reads the policy, not literals."""
    reformed = qr.reform(qr.policy_for(2019), {"registration.web_interface_min_clinicians": 100},
                         label="PY2019 WI at 100")
    text = eligibility_table_markdown([reformed])
    assert "no (100+, REG-ELIG-1)" in text
    assert "PY2019 WI at 100 WI" in text
    with pytest.raises(qr.InvalidInput, match="policies"):
        eligibility_table_markdown([])
    with pytest.raises(qr.InvalidInput, match="policy"):
        eligibility_table_markdown([2019])  # type: ignore[list-item]
