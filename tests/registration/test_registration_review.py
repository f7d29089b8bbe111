"""The reviewers' findings against the guides and API.md, one test (or more) per finding, each
naming its rule ID: registration IDs without an identifier and as given (REG-REC-1), a
record not tied to a year, automatic registrations with no previous record (REG-ELIG-4,
REG-AUTO-1, REG-AUTO-3, REG-REC-4), unchanged names (REG-REC-3), lenient addresses and
contacts with the 2021 guide's own screen data (REG-REC-2), CAHPS required of a PY2021 SSP
ACO (REG-ELIG-5), REG-ELIG-6 before PY2021 only, citations checked against the guides'
text, and split-TIN counts bounded by the group (REG-ELIG-7)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import attrs
import pytest
from registration_helpers import BBH_ADDRESS, GUIDE_ID, JANE, JOHN, bbh, inside, replayed, so

import qpp_rules as qr
from qpp_rules.policy.unknown import known
from qpp_rules.registration import (
    AddContact,
    Address,
    AutomaticallyRegistered,
    Cancel,
    CarriedOver,
    ChangeSize,
    Contact,
    ContactAdded,
    ContactDeleted,
    DeleteContact,
    EditContact,
    Organization,
    Program,
    Register,
    Registered,
    Registration,
    SizeBand,
    UpdateOrganization,
    cahps_required,
    carry_over,
    decide,
    derive_registration_id,
    evolve,
    options,
    replay,
    sampling_consequences,
)
from qpp_rules.serialization import converter

WI, CAHPS = Program.WEB_INTERFACE, Program.CAHPS
P2018, P2019, P2021 = qr.policy_for(2018), qr.policy_for(2019), qr.policy_for(2021)
SOURCES = Path(__file__).resolve().parents[2] / "sources"
SSP = qr.ApmModel.SHARED_SAVINGS_PROGRAM
APM_SO = so(qr.OrgType.APM_ENTITY)


def guide_text(year: int) -> str:
    """The year's registration guide, whitespace collapsed, lower case."""
    text = (SOURCES / f"REG-GUIDE-{year}.txt").read_text(encoding="utf-8")
    return " ".join(text.split()).lower()


def ssp_aco(**changes: object) -> Organization:
    fields: dict[str, object] = {"name": "Sample ACO", "address": BBH_ADDRESS,
                                 "apm_model": SSP}
    fields.update(changes)
    return Organization(qr.OrgType.APM_ENTITY, SizeBand.LARGE, **fields)  # type: ignore[arg-type]


def act(state: Registration | None, command: object, policy: qr.PolicyYear = P2021,
        actor: object = None, at: object = None) -> qr.registration.RegistrationOutcome:
    """decide inside the window (or at ``at``), by a Security Official of the record's type."""
    kind = (state.organization.kind if state is not None else qr.OrgType.PRACTICE)
    return decide(state, command, at=inside(policy.year) if at is None else at,  # type: ignore[arg-type]
                  policy=policy, actor=actor or so(kind))  # type: ignore[arg-type]


# -- 1. REG-REC-1: a registration ID for every organization ----------------------------------
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


# -- 5. REG-REC-1: the caller's ID is kept as given ------------------------------------------
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
    assert caught.value.field == "registration_id"


# -- 2. a record not tied to a year -----------------------------------------------------------
def test_a_registration_without_a_year_as_api_md_builds_it() -> None:
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


# -- 3. REG-ELIG-4 / REG-AUTO-1: automatic registrations with no previous record --------------
def test_reg_elig_4_carry_over_without_a_previous_record() -> None:
    """REG-ELIG-4 (PY2021: SSP ACOs are automatically registered for WI and CAHPS): with no
    previous record carry_over starts one from ``org``, with a derived ID and no contact."""
    aco = ssp_aco(apm_entity_id="A1234")
    record = carry_over(None, aco, P2021)
    assert record is not None
    assert record.programs == frozenset({WI, CAHPS})
    assert record.registration_id == derive_registration_id(aco, 2021)
    assert record.contacts == ()
    assert record.year == 2021
    assert record.organization == aco
    assert [type(e) for e in record.history] == [AutomaticallyRegistered]
    assert replayed(record.history) == record
    assert "CMS Web Interface: registered" in record.summary()
    with_jane = carry_over(None, aco, P2021, contacts=(JANE,), registration_id=219043)
    assert with_jane is not None
    assert with_jane.contacts == (JANE,)
    assert with_jane.registration_id == 219043
    assert carry_over(None, aco, P2019) is None  # no automatic registration in PY2019


@pytest.mark.parametrize("year", [2018, 2019, 2021])
def test_reg_auto_1_a_group_s_automatic_wi_without_a_previous_record(year: int) -> None:
    """REG-AUTO-1: a group that submitted through WI last year holds WI this year even when
    the caller has no previous record: carry_over starts one (WI only, REG-AUTO-2)."""
    group = bbh(SizeBand.LARGE, submitted_web_interface_prior_year=True)
    record = carry_over(None, group, qr.policy_for(year), contacts=(JANE,))
    assert record is not None
    assert record.programs == frozenset({WI})
    assert record.contacts == (JANE,)
    assert record.registration_id == derive_registration_id(group, year)


def test_reg_auto_3_an_automatic_record_is_edited_and_cancelled_inside_the_window() -> None:
    """REG-AUTO-3 / REG-REC-4: the contactless automatic record takes a first contact; from
    then on the last contact cannot be deleted; it can be resized and cancelled inside the
    window, and not after close."""
    record = carry_over(None, ssp_aco(apm_entity_id="A1234"), P2021)
    assert record is not None
    nobody = act(record, DeleteContact(JANE))
    assert nobody.refusal is not None
    assert nobody.refusal.rule_ids == ("REG-REC-4",)
    added = act(record, AddContact(JANE))
    assert added.accepted, added.explain()
    assert added.state is not None
    assert added.state.contacts == (JANE,)
    assert [n.contact for n in added.notifications] == [JANE]  # REG-REC-5
    last = act(added.state, DeleteContact(JANE))
    assert last.refusal is not None
    assert last.refusal.rule_ids == ("REG-REC-4",)
    with pytest.raises(qr.InvalidInput, match="contacts"):
        evolve(added.state, ContactDeleted(added.state.registration_id, JANE, inside(2021)))
    edited = act(added.state, EditContact(JANE, JOHN))
    assert edited.state is not None
    assert edited.state.contacts == (JOHN,)
    renamed = act(record, UpdateOrganization(name="Sample ACO, LLC"))
    assert renamed.accepted, renamed.explain()
    cancelled = act(record, Cancel(CAHPS, confirmed=True))
    assert cancelled.state is not None
    assert cancelled.state.programs == frozenset({WI})
    assert cancelled.notifications == ()  # nobody to email yet
    resized = act(record, ChangeSize(SizeBand.SMALL, confirmed=True))
    assert resized.state is not None
    assert resized.state.programs == frozenset({CAHPS})
    closes = known(P2021, "registration.window", "REG-WIN-1").closes
    late = act(record, Cancel(WI, confirmed=True), at=closes)
    assert late.refusal is not None
    assert late.refusal.rule_ids == ("REG-WIN-1", "REG-AUTO-3", "REG-WIN-2")
    for outcome in (added, edited, renamed, cancelled, resized):
        assert outcome.state is not None
        assert replayed(outcome.state.history) == outcome.state


def test_reg_rec_2_re_registering_a_contactless_record_needs_a_contact_first() -> None:
    """REG-REC-2: after cancelling, registering again needs a contact on the record."""
    record = carry_over(None, ssp_aco(apm_entity_id="A1234"), P2021)
    assert record is not None
    empty = act(record, Cancel(CAHPS, confirmed=True)).state
    assert empty is not None
    again = act(empty, Register(CAHPS))
    assert again.refusal is not None
    assert again.refusal.rule_ids == ("REG-REC-2",)
    with_contact = act(empty, AddContact(JANE)).state
    back = act(with_contact, Register(CAHPS))
    assert back.accepted, back.explain()
    assert back.state is not None
    assert back.state.registration_id == record.registration_id


def test_reg_rec_4_only_an_automatic_record_may_have_no_contact() -> None:
    """REG-REC-4: a record has at least one contact, except an automatic one that began
    without and has never had one."""
    with pytest.raises(qr.InvalidInput, match="contacts"):
        Registration(GUIDE_ID, bbh(), ())
    start = AutomaticallyRegistered(GUIDE_ID, 2021, bbh(), (), frozenset({WI}))
    assert Registration(GUIDE_ID, bbh(), (), frozenset({WI}), (start,), year=2021).contacts == ()
    added = ContactAdded(GUIDE_ID, JANE, inside(2021))
    with pytest.raises(qr.InvalidInput, match="contacts"):
        Registration(GUIDE_ID, bbh(), (), frozenset({WI}), (start, added), year=2021)
    with pytest.raises(qr.InvalidInput, match="contacts"):
        carry_over(None, ssp_aco(), P2021, contacts=(Contact("Jane", "Doe", "", ""),))
    with pytest.raises(qr.InvalidInput, match="contacts"):
        carry_over(None, ssp_aco(), P2021, contacts="Jane Doe")  # type: ignore[arg-type]
    last = Registration(GUIDE_ID, bbh(), (JANE,), frozenset({WI}), year=2019)
    with pytest.raises(qr.InvalidInput, match="registration_id"):
        carry_over(last, bbh(submitted_web_interface_prior_year=True), P2021,
                   registration_id="999999")


# -- 4. REG-REC-3: only a different name is an edit of the name -------------------------------
@pytest.mark.parametrize(
    ("year", "kind", "ids"),
    [
        (2018, qr.OrgType.PRACTICE, {"tin": "000765630"}),
        (2019, qr.OrgType.VIRTUAL_GROUP, {"virtual_group_id": "VG-2019-0042"}),
    ],
)
def test_reg_rec_3_the_unchanged_name_with_a_new_address_is_accepted(
    year: int, kind: qr.OrgType, ids: dict[str, str]
) -> None:
    """REG-REC-3: where the name is not editable (PY2018; a PY2019 virtual group), giving the
    unchanged name along with a new address is accepted; a different name is refused."""
    policy = qr.policy_for(year)
    org = Organization(kind, SizeBand.MEDIUM, name="Sample Organization",
                       address=BBH_ADDRESS, **ids)  # type: ignore[arg-type]
    record = act(None, Register(CAHPS, org, (JANE,)), policy, actor=so(kind)).state
    assert record is not None
    moved = attrs.evolve(BBH_ADDRESS, zip="21240")
    same_name = act(record, UpdateOrganization(name="Sample Organization", address=moved), policy)
    assert same_name.accepted, same_name.explain()
    assert same_name.state is not None
    assert same_name.state.organization.address == moved
    assert same_name.state.organization.name == "Sample Organization"
    renamed = act(record, UpdateOrganization(name="Renamed", address=moved), policy)
    assert renamed.refusal is not None
    assert renamed.refusal.rule_ids == ("REG-REC-3",)
    assert "name" in renamed.refusal.reasons[0].message
    nothing = act(record, UpdateOrganization(name="Sample Organization"), policy)
    assert nothing.refusal is not None
    assert nothing.refusal.rule_ids == ("REG-REC-3",)
    assert "already as given" in nothing.refusal.reasons[0].message


# -- 6. REG-REC-2: lenient addresses and contacts, the 2021 guide's screen data ----------------
def test_reg_rec_2_the_2021_guide_s_connected_organization_screen() -> None:
    """REG-REC-2 with REG-GUIDE-2021 III step 5 (Connected Organizations): 'TIN: 000765630 |
    9888 Nguyen Fields Suite 6592, Port Madisonstad, MP 742583214446924'."""
    screen = "TIN: 000765630 | 9888 Nguyen Fields Suite 6592, Port Madisonstad, MP 742583214446924"
    assert screen.lower() in guide_text(2021)
    address = Address("9888 Nguyen Fields Suite 6592", "Port Madisonstad", "MP",
                      "742583214446924")
    assert address.is_complete
    assert address.missing == ()
    assert address.one_line() == screen.split(" | ")[1]
    org = bbh(address=address, tin="000765630")
    record = act(None, Register(WI, org, (JANE,))).state
    assert record is not None
    assert record.organization.address == address
    assert "Port Madisonstad, MP 742583214446924" in record.summary()
    # IV step 7's contact screen: phone 1112223344, extension left empty.
    assert Contact("Jane", "Doe", "jdoe@betterhealth.com", "1112223344").is_complete


def test_reg_rec_2_addresses_and_contacts_are_checked_leniently() -> None:
    """REG-REC-2: text is enough; a two-letter state is upper-cased, other state text kept;
    any ZIP text; an int ZIP becomes text, zero-padded to 5; any phone with a digit; any
    extension; an email with one '@' and text on both sides."""
    assert Address("1 Main St", "Towson", "Maryland", "21204").state == "Maryland"
    assert Address("1 Main St", "Towson", "md", "21204").state == "MD"
    assert Address("1 Main St", "Towson", "MD", 21204).zip == "21204"
    assert Address("1 Harvard Yard", "Cambridge", "MA", 2138).zip == "02138"
    assert Address("1 Main St", "Towson", "MD", "2120").zip == "2120"
    assert Address("1 Main St", "Towson", "MD", "21204-1234").zip == "21204-1234"
    uk = Contact("Ann", "Lee", "ann.lee@nhs.example", "+44 20 7946 0958", "x12")
    assert uk.is_complete
    assert uk.phone == "+44 20 7946 0958"
    assert uk.extension == "x12"
    assert Contact("Jane", "Doe", "jdoe@localhost", "ext. 5").is_complete
    assert Address(" ", "Towson", "MD", "21204").missing == ("line1",)
    assert Contact("Jane", " ", "jdoe@betterhealth.com", "1").missing == ("last_name",)
    record = act(None, Register(CAHPS, bbh(address=Address("1 Main St", "Towson",
                                                            "Maryland", 21204)), (uk,))).state
    assert record is not None
    assert record.contacts == (uk,)


# -- 7. REG-ELIG-5: CAHPS is required of a PY2021 SSP ACO -------------------------------------
def test_reg_elig_5_cahps_is_required_of_a_2021_ssp_aco() -> None:
    """REG-ELIG-5 with REG-ELIG-4 (REG-GUIDE-2021 'Who can register for the CAHPS for MIPS
    Survey?': "Because Shared Savings Program ACOs are required to report through the APP,
    they're automatically registered for the CAHPS for MIPS Survey"): required, with or
    without through_app; optional for an SSP ACO where the year has no automatic CAHPS."""
    aco = ssp_aco()
    for through_app in (False, True):
        decision = cahps_required(aco, P2021, through_app=through_app)
        assert decision.allowed
        assert decision.rule_ids == ("REG-ELIG-5", "REG-ELIG-4")
        assert "required" in decision.reasons[0].message
        assert "Who can register for the CAHPS for MIPS Survey?" in decision.reasons[1].citation
    assert cahps_required(aco, P2021) is cahps_required(ssp_aco(name="Other ACO"), P2021)
    for year in (2018, 2019):
        assert not cahps_required(aco, qr.policy_for(year))
    no_auto = qr.reform(P2021, {"registration.ssp_aco_automatic": []}, label="no automatic")
    assert not cahps_required(aco, no_auto)
    assert cahps_required(aco, no_auto, through_app=True)
    ngaco = ssp_aco(apm_model=qr.ApmModel.NEXT_GENERATION_ACO)
    assert not cahps_required(ngaco, P2021)


# -- 8. REG-ELIG-6: before PY2021 only ----------------------------------------------------------
def test_reg_elig_6_no_note_in_2021() -> None:
    """REG-ELIG-6: in PY2021 SSP ACOs "aren't required to report quality data through the
    CMS Web Interface", so the note (the ACO reports through WI for its participants) is not
    given; before, it cites 'Who does not need to register?'."""
    participant = bbh(SizeBand.LARGE, ssp_aco_participant=True)
    answer = options(participant, P2021)
    assert answer.web_interface
    assert answer.cahps
    for program in Program:
        assert "REG-ELIG-6" not in answer[program].rule_ids
    for year in (2018, 2019):
        why = [r for r in options(participant, qr.policy_for(year)).web_interface.reasons
               if r.rule_id == "REG-ELIG-6"]
        assert len(why) == 1
        assert why[0].citation.startswith(f"REG-GUIDE-{year}, I 'Who does not need to register?'")
        assert why[0].citation.endswith("[REG-ELIG-6]")
        assert "who does not need to register?" in guide_text(year)
    automatic = qr.reform(P2019, {"registration.ssp_aco_automatic": ["CMS Web Interface"]},
                          label="SSP ACOs automatic")
    assert "REG-ELIG-6" not in options(participant, automatic).web_interface.rule_ids


# -- 9. citations checked against the guides ------------------------------------------------
def _citation(decision: qr.Decision, rule_id: str) -> str:
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
    """REG-ELIG-7: the 2021 guide has no split-TIN section: the citation says so."""
    org = bbh(SizeBand.LARGE, apm_model=qr.ApmModel.NEXT_GENERATION_ACO,
              split_tin_mips_clinicians=30)
    citation = _citation(options(org, P2021).web_interface, "REG-ELIG-7")
    assert citation.startswith("REG-GUIDE-2021, ")
    assert "(inference from REG-GUIDE-2019)" in citation
    assert "split tin" not in guide_text(2021)


def test_reg_auto_2_in_2021_cites_who_can_register_for_cahps() -> None:
    """REG-AUTO-2 (REG-GUIDE-2021: "Advance registration is required ... except for Shared
    Savings Program ACOs")."""
    group = bbh(SizeBand.LARGE, submitted_web_interface_prior_year=True)
    citation = _citation(options(group, P2021).cahps, "REG-AUTO-2")
    assert citation.startswith("REG-GUIDE-2021, Who can register for the CAHPS for MIPS Survey?")
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
    citation = _citation(late.refusal, "REG-AUTO-3")
    assert citation.startswith(f"REG-GUIDE-{year}, ")
    assert phrase in citation.lower()
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
    citation = _citation(refused.refusal, "REG-REC-7")
    assert f"VII step {step.group(1)} (Continue or Cancel)" in citation
    expected_v = {2018: "V step 3", 2019: "V step 2", 2021: "V 'Update Organization Size'"}
    assert expected_v[year] in citation
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
        assert "won't be able to administer the CAHPS for MIPS Survey?" in why.citation
        assert "CMS Web Interface?" not in why.citation
    assert "is it possible we won't be able to administer the cahps for mips survey?" in (
        guide_text(year).replace("’", "'"))
    wi = sampling_consequences(WI, qr.policy_for(year))
    assert all("CMS Web Interface?" in why.citation for why in wi.reasons)


# -- 10. REG-ELIG-7: the part outside the APM is part of the group ------------------------------
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
