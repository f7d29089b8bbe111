"""REG-ELIG-8: which collection types need advance registration. The CAHPS for MIPS Survey
does under every name the guides give it; a collection type is a closed vocabulary."""

from __future__ import annotations

import pytest

import qpp_rules as qr
from qpp_rules.registration import CollectionType, registration_needed


@pytest.mark.parametrize("name", ["CAHPS for MIPS Survey", "CAHPS Survey", "CAHPS",
                                  "cahps  survey", CollectionType.CAHPS, qr.Program.CAHPS])
@pytest.mark.parametrize("year", [2018, 2019, 2021])
def test_reg_elig_8_the_cahps_survey_needs_registration_by_any_of_its_names(
    name: object, year: int
) -> None:
    """REG-ELIG-8: "CAHPS Survey" and "CAHPS" are the survey (they answered "no registration
    needed" before)."""
    decision = registration_needed(name, qr.policy_for(year))  # type: ignore[arg-type]
    assert decision.allowed
    assert decision.rule_ids == ("REG-ELIG-8",)


@pytest.mark.parametrize("name", ["CMS Web Interface", "Web Interface",
                                  CollectionType.WEB_INTERFACE])
def test_reg_elig_8_the_web_interface_needs_registration(name: object) -> None:
    assert registration_needed(name, qr.policy_for(2019)).allowed  # type: ignore[arg-type]


@pytest.mark.parametrize(("year", "names"), [
    (2018, ["Qualified Registry", "QCDR", "EHR"]),
    (2019, ["eCQMs", "MIPS CQMs", "QCDR measures"]),
    (2021, ["EHR", "Qualified Registry", "Qualified Clinical Data Registry (QCDR)", "eCQMs"]),
])
def test_reg_elig_8_the_guides_other_collection_types_need_none(
    year: int, names: list[str]
) -> None:
    for name in names:
        decision = registration_needed(name, qr.policy_for(year))
        assert not decision.allowed
        assert decision.rule_ids == ("REG-ELIG-8",)


@pytest.mark.parametrize("junk", ["fax", "", "CAHPS for everyone", 5, None])
def test_reg_elig_8_an_unknown_collection_type_is_bad_input(junk: object) -> None:
    """REG-ELIG-8: unknown text is InvalidInput, never "no registration needed"."""
    with pytest.raises(qr.InvalidInput, match="collection"):
        registration_needed(junk, qr.policy_for(2019))  # type: ignore[arg-type]


def test_reg_elig_8_a_name_only_the_year_s_table_gives_needs_none() -> None:
    """REG-ELIG-8: a reform (or plug-in year) naming another collection type is read."""
    reformed = qr.reform(qr.policy_for(2019),
                         {"registration.no_registration_needed": ["Claims"]}, label="claims")
    assert not registration_needed("claims", reformed).allowed
    with pytest.raises(qr.InvalidInput):
        registration_needed("claims", qr.policy_for(2019))


def test_reg_elig_8_collection_types_map_to_programs() -> None:
    assert CollectionType.CAHPS.program is qr.Program.CAHPS
    assert CollectionType.WEB_INTERFACE.program is qr.Program.WEB_INTERFACE
    assert {t for t in CollectionType if t.program is None} == set(CollectionType) - {
        CollectionType.CAHPS, CollectionType.WEB_INTERFACE}
