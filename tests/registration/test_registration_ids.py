"""REG-REC-1: one registration ID per organization, for ever: derived for an organization
without an identifier (from its APM Entity's primary TIN, or its name), kept as the caller's
system issued it (a number stays a number), refused when malformed; and a record tied to no
year (API.md's ``Registration``), accepted under any year's policy."""

from __future__ import annotations

import hashlib

import attrs
import pytest
from registration_helpers import (
    APM_SO,
    CAHPS,
    GUIDE_ID,
    JANE,
    JOHN,
    P2018,
    P2019,
    P2021,
    WI,
    act,
    bbh,
    replayed,
    ssp_aco,
)

import qpp_rules as qr
from qpp_rules.registration import (
    AddContact,
    Cancel,
    CarriedOver,
    Organization,
    Register,
    Registered,
    Registration,
    SizeBand,
    carry_over,
    derive_registration_id,
    replay,
)
from qpp_rules.serialization import converter


def test_reg_rec_1_an_organization_without_an_identifier_is_registered() -> None:
    """REG-REC-1 (API.md: every identifier is optional): no identifier is no refusal; the ID
    is derived deterministically from the year, the type and the name."""
    anonymous = bbh(tin=None)
    assert anonymous.identifier is None
    first = act(None, Register(WI, anonymous, (JANE,)))
    assert first.accepted, first.explain()
    assert first.state is not None
    rid = first.state.registration_id
    assert rid == derive_registration_id(anonymous, 2021)
    assert isinstance(rid, str)
    assert rid.startswith("21")
    again = act(None, Register(CAHPS, anonymous, (JANE,)))
    assert again.state is not None
    assert again.state.registration_id == rid
    spaced = attrs.evolve(anonymous, name="  better   BUSINESS health ")
    assert derive_registration_id(spaced, 2021) == rid
    other = attrs.evolve(anonymous, name="Another Practice")
    assert derive_registration_id(other, 2021) != rid
    assert derive_registration_id(anonymous, 2019) != rid
    nameless = Organization(qr.OrgType.VIRTUAL_GROUP, SizeBand.SMALL)
    assert derive_registration_id(nameless, 2021) == derive_registration_id(nameless, 2021)


def test_reg_rec_1_an_apm_entity_s_id_is_derived_from_its_primary_tin() -> None:
    """REG-REC-1: without its own identifier an APM Entity's ID comes from its TIN, masked
    wherever it is shown."""
    by_tin = ssp_aco(apm_model=qr.ApmModel.NEXT_GENERATION_ACO, tin="00-0765630")
    rid = derive_registration_id(by_tin, 2021)
    assert rid == derive_registration_id(attrs.evolve(by_tin, name="Renamed"), 2021)
    assert rid != derive_registration_id(attrs.evolve(by_tin, tin="123456789"), 2021)
    assert rid != derive_registration_id(attrs.evolve(by_tin, tin=None), 2021)
    assert "0765630" not in rid
    assert by_tin.identifier_label == "TIN *****5630"
    record = act(None, Register(WI, by_tin, (JANE,)), actor=APM_SO).state
    assert record is not None
    assert record.registration_id == rid
    assert "0765630" not in record.summary()
    stranger = attrs.evolve(by_tin, tin="123456789")
    with pytest.raises(qr.InvalidInput, match=r"command\.organization") as caught:
        act(record, Register(CAHPS, stranger, (JANE,)), actor=APM_SO)
    assert "0765630" not in str(caught.value)


def test_reg_rec_1_an_own_identifier_derives_the_same_id_as_before() -> None:
    """REG-REC-1: the ID derived from an organization's own identifier did not change."""
    text = "qpp_rules.registration|2021|PRACTICE|000765630"
    number = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") % 10**6
    assert derive_registration_id(bbh(), 2021) == f"21{number:06d}"


def test_reg_rec_1_a_numeric_registration_id_stays_a_number() -> None:
    """REG-REC-1: registration_id=219043 stays the int 219043 in the record, its events and
    its notifications; text stays text; a derived ID is text; replay rebuilds the record."""
    done = act(None, Register(WI, bbh(), (JANE, JOHN), registration_id=219043))
    record = done.state
    assert record is not None
    assert record.registration_id == 219043
    assert type(record.registration_id) is int
    assert all(e.registration_id == 219043 for e in done.events)
    assert [n.subject for n in done.notifications] == [
        "Registration 219043: CMS Web Interface registration submitted"] * 2
    assert replayed(record.history) == record
    second = act(record, Register(CAHPS))
    assert second.state is not None
    assert second.state.registration_id == 219043
    assert act(record, Register(CAHPS, registration_id="219043")).accepted  # the same ID
    other = act(record, Register(CAHPS, registration_id=219044))
    assert other.refusal is not None
    assert other.refusal.rule_ids == ("REG-REC-1",)
    cancelled = act(second.state, Cancel(WI, confirmed=True))
    assert cancelled.state is not None
    assert replay(cancelled.events, second.state) == cancelled.state
    assert replayed(cancelled.state.history) == cancelled.state
    as_text = act(None, Register(WI, bbh(), (JANE,), registration_id=GUIDE_ID)).state
    assert as_text is not None
    assert as_text.registration_id == "219043"
    derived = act(None, Register(WI, bbh(), (JANE,))).state
    assert derived is not None
    assert isinstance(derived.registration_id, str)


def test_reg_rec_1_a_numeric_id_round_trips_through_json() -> None:
    """REG-REC-1: the converter keeps an int ID an int and a text ID text."""
    for rid in (219043, GUIDE_ID):
        record = act(None, Register(WI, bbh(), (JANE,), registration_id=rid)).state
        assert record is not None
        back = converter.structure(converter.unstructure(record), Registration)
        assert back == record
        assert type(back.registration_id) is type(rid)


@pytest.mark.parametrize("junk", [-1, 10**40, True, 1.5, "21 90 43", ""])
def test_reg_rec_1_a_malformed_id_is_refused(junk: object) -> None:
    """REG-REC-1: a negative, huge or boolean number, a float or junk text is not an ID."""
    with pytest.raises(qr.InvalidInput) as caught:
        Register(WI, registration_id=junk)
    assert caught.value.field == "register.registration_id"


def test_reg_rec_1_a_record_tied_to_no_year_is_accepted_under_any_year() -> None:
    """REG-REC-1 with API.md's Registration (no year): built positionally, accepted by decide
    under any year's policy, read as last year's by carry_over."""
    record = Registration("201234", bbh(), (JANE,), frozenset({WI}))
    assert record.year is None
    assert record.summary().splitlines()[0] == "Better Business Health (TIN *****5630, size 25-99)"
    for policy in (P2018, P2019, P2021):
        added = act(record, AddContact(JOHN), policy)
        assert added.accepted, added.explain()
        assert added.state is not None
        assert added.state.year is None
        assert replay(added.events, record) == added.state
        second = act(record, Register(CAHPS), policy)
        assert second.accepted, second.explain()
        assert second.state is not None
        registered = second.events[0]
        assert isinstance(registered, Registered)
        assert registered.year is None
        assert replay(second.events, record) == second.state
    now = carry_over(record, bbh(submitted_web_interface_prior_year=True), P2019)
    assert now is not None
    assert now.year == 2019
    first = now.history[0]
    assert isinstance(first, CarriedOver)
    assert first.from_year == 2018
    assert now.registration_id == "201234"
    with pytest.raises(qr.InvalidInput, match="year"):
        Registration("201234", bbh(), (JANE,), year="2021")  # type: ignore[arg-type]
