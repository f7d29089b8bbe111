"""REG-ELIG-7 with REG-SIZE-1 and REG-AUTO-4: a split TIN's count of MIPS eligible clinicians
outside the APM is a fact of the current year. A size change may restate it (and is never
blocked by it: the guides' size step exempts no one), and carry-over takes this year's."""

from __future__ import annotations

import pytest
from registration_helpers import GUIDE_ID, JANE, bbh, inside, so

import qpp_rules as qr
from qpp_rules.registration import (
    Cancelled,
    ChangeSize,
    Organization,
    Register,
    Registration,
    SizeBand,
    SizeChanged,
    carry_over,
    decide,
    options,
    replay,
)

WI, CAHPS = qr.Program.WEB_INTERFACE, qr.Program.CAHPS
P2021 = qr.policy_for(2021)
NEXT_GEN = qr.ApmModel.NEXT_GENERATION_ACO


def _split_record(split: int = 30) -> Registration:
    """A practice of 150 whose 30 clinicians outside its Next Generation ACO registered for
    the Web Interface (REG-ELIG-7)."""
    org = bbh(SizeBand.LARGE, clinicians=150, apm_model=NEXT_GEN,
              split_tin_mips_clinicians=split)
    done = decide(None, Register(WI, org, (JANE,), GUIDE_ID), at=inside(2021), policy=P2021,
                  actor=so())
    assert done.accepted, done.explain()
    assert done.state is not None
    return done.state


def test_reg_size_1_a_split_tin_resized_to_2_24_loses_the_web_interface() -> None:
    """REG-SIZE-1: a confirmed ChangeSize(2-24) of a split TIN registered for WI cancels the
    WI registration, as for any group (it raised InvalidInput before)."""
    record = _split_record()
    done = decide(record, ChangeSize(SizeBand.SMALL, confirmed=True), at=inside(2021),
                  policy=P2021, actor=so())
    assert done.accepted, done.explain()
    assert [type(event) for event in done.events] == [SizeChanged, Cancelled]
    assert done.events[1] == Cancelled(GUIDE_ID, WI, inside(2021), "REG-SIZE-1")
    assert done.state is not None
    assert WI not in done.state.programs
    assert done.state.organization.size is SizeBand.SMALL
    # Not restated, the count is read within the new band: at most 24 (design).
    assert done.state.organization.split_tin_mips_clinicians == 24
    assert replay(done.state.history) == done.state


def test_reg_elig_7_a_size_change_restates_the_split_count() -> None:
    """REG-ELIG-7: the size change restates the count outside the APM with the new band."""
    record = _split_record()
    done = decide(record, ChangeSize(SizeBand.SMALL, confirmed=True, split_tin_mips_clinicians=12),
                  at=inside(2021), policy=P2021, actor=so())
    assert done.accepted
    assert done.state is not None
    assert done.state.organization.split_tin_mips_clinicians == 12
    assert done.events[0] == SizeChanged(GUIDE_ID, SizeBand.SMALL, SizeBand.LARGE, inside(2021),
                                         split_tin_mips_clinicians=12)
    assert replay(done.state.history) == done.state
    assert not options(done.state.organization, P2021).web_interface


def test_reg_elig_7_restating_only_the_count_is_a_change() -> None:
    """REG-ELIG-7: the same band with a new count is accepted; the same band and count is
    refused (nothing changes, REG-SIZE-1)."""
    record = _split_record()
    same = decide(record, ChangeSize(SizeBand.LARGE, confirmed=True), at=inside(2021),
                  policy=P2021, actor=so())
    assert not same.accepted
    assert same.refusal is not None
    assert same.refusal.rule_ids == ("REG-SIZE-1",)
    restated = decide(record, ChangeSize(SizeBand.LARGE, confirmed=True,
                                         split_tin_mips_clinicians=40),
                      at=inside(2021), policy=P2021, actor=so())
    assert restated.accepted
    assert restated.state is not None
    assert restated.state.organization.split_tin_mips_clinicians == 40
    assert restated.state.programs == record.programs


def test_reg_elig_7_a_restated_count_cannot_outnumber_the_new_band() -> None:
    """REG-ELIG-7: the part outside the APM is part of the group."""
    with pytest.raises(qr.InvalidInput, match="split_tin_mips_clinicians"):
        ChangeSize(SizeBand.SMALL, confirmed=True, split_tin_mips_clinicians=30)
    with pytest.raises(qr.InvalidInput, match="split_tin_mips_clinicians"):
        ChangeSize(SizeBand.SMALL, confirmed=True, split_tin_mips_clinicians=True)


def test_reg_elig_7_a_count_for_an_organization_that_cannot_split_is_bad_input() -> None:
    """REG-ELIG-7: an SSP ACO participant is no split TIN; restating a count for it raises."""
    org = bbh(SizeBand.LARGE, ssp_aco_participant=True)
    record = decide(None, Register(CAHPS, org, (JANE,), GUIDE_ID), at=inside(2021),
                    policy=P2021, actor=so()).state
    with pytest.raises(qr.InvalidInput, match="split_tin_mips_clinicians"):
        decide(record, ChangeSize(SizeBand.SMALL, confirmed=True, split_tin_mips_clinicians=3),
               at=inside(2021), policy=P2021, actor=so())


def test_reg_auto_4_carry_over_takes_this_year_s_split_count() -> None:
    """REG-AUTO-4 with REG-ELIG-7: a group of 60 last year, now a split TIN of 150 with 120
    outside its APM, carries over (it raised InvalidInput before): last year's band, this
    year's count read within it."""
    last = Registration(GUIDE_ID, bbh(SizeBand.MEDIUM, clinicians=60), (JANE,),
                        frozenset({WI}), year=2020)
    now = bbh(SizeBand.LARGE, clinicians=150, apm_model=NEXT_GEN, split_tin_mips_clinicians=120,
              submitted_web_interface_prior_year=True)
    record = carry_over(last, now, P2021)
    assert record is not None
    assert record.programs == frozenset({WI})
    assert record.organization.size is SizeBand.MEDIUM
    assert record.organization.split_tin_mips_clinicians == 99
    assert record.organization.clinicians is None
    smaller = carry_over(last, bbh(SizeBand.LARGE, apm_model=NEXT_GEN,
                                   split_tin_mips_clinicians=40,
                                   submitted_web_interface_prior_year=True), P2021)
    assert smaller is not None
    assert smaller.organization.split_tin_mips_clinicians == 40
    assert smaller.organization.clinicians == 60


@pytest.mark.parametrize(
    ("size", "clinicians", "split", "ok"),
    [
        (SizeBand.SMALL, None, 24, True),
        (SizeBand.SMALL, None, 25, False),
        (SizeBand.SMALL, None, 30, False),
        (SizeBand.MEDIUM, None, 99, True),
        (SizeBand.MEDIUM, None, 100, False),
        (SizeBand.MEDIUM, 40, 40, True),
        (SizeBand.MEDIUM, 40, 41, False),
        (SizeBand.LARGE, None, 5000, True),
        (SizeBand.LARGE, 120, 121, False),
    ],
)
def test_reg_elig_7_split_tin_cannot_outnumber_the_group(
    size: SizeBand, clinicians: int | None, split: int, ok: bool
) -> None:
    """REG-ELIG-7: the MIPS eligible clinicians outside the APM are at most the group's
    clinicians where given, else the band's maximum (100 or more has none)."""
    def build() -> Organization:
        return Organization(qr.OrgType.PRACTICE, size, apm_model=qr.ApmModel.NEXT_GENERATION_ACO,
                            split_tin_mips_clinicians=split, clinicians=clinicians)

    if ok:
        assert build().split_tin_mips_clinicians == split
    else:
        with pytest.raises(qr.InvalidInput) as caught:
            build()
        assert caught.value.field == "organization.split_tin_mips_clinicians"
        assert str(split) in caught.value.message
