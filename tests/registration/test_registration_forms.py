"""REG-REC-2 and REG-REC-3: the registration form. Only a different name is an edit of the
name (REG-REC-3); addresses and contacts are checked as leniently as the guides' forms, with
the 2021 guide's own screen data (REG-REC-2)."""

from __future__ import annotations

import attrs
import pytest
from registration_helpers import (
    BBH_ADDRESS,
    CAHPS,
    JANE,
    WI,
    act,
    bbh,
    guide_text,
    so,
)

import qpp_rules as qr
from qpp_rules.registration import (
    Address,
    Contact,
    Organization,
    Register,
    SizeBand,
    UpdateOrganization,
)


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
    any ZIP text; an int ZIP becomes text, zero-padded to 5; an email with one '@' and text on
    both sides (a phone is checked as the form checks it: see the phone tests below)."""
    assert Address("1 Main St", "Towson", "Maryland", "21204").state == "Maryland"
    assert Address("1 Main St", "Towson", "md", "21204").state == "MD"
    assert Address("1 Main St", "Towson", "MD", 21204).zip == "21204"
    assert Address("1 Harvard Yard", "Cambridge", "MA", 2138).zip == "02138"
    assert Address("1 Main St", "Towson", "MD", "2120").zip == "2120"
    assert Address("1 Main St", "Towson", "MD", "21204-1234").zip == "21204-1234"
    uk = Contact("Ann", "Lee", "ann.lee@nhs.example", "+1 (410) 555-0134", "x12")
    assert uk.is_complete
    assert uk.phone == "+1 (410) 555-0134"
    assert uk.extension == "x12"
    assert Contact("Jane", "Doe", "jdoe@localhost", "410.555.0134", "ext. 5").is_complete
    assert Address(" ", "Towson", "MD", "21204").missing == ("line1",)
    assert Contact("Jane", " ", "jdoe@betterhealth.com", "4105550134").missing == ("last_name",)
    record = act(None, Register(CAHPS, bbh(address=Address("1 Main St", "Towson",
                                                            "Maryland", 21204)), (uk,))).state
    assert record is not None
    assert record.contacts == (uk,)


@pytest.mark.parametrize(
    "phone",
    ["1112223344", "111-222-3344", "111-222-4455", "1-866-288-8292", "(111) 222-3344",
     "(111)222-3344", "111.222.3344", "111 222 3344", "+1 111 222 3344", "+1-111-222-3344",
     "11112223344"],
)
def test_reg_rec_2_a_phone_is_a_us_number_of_10_digits_in_common_punctuation(
        phone: str) -> None:
    """REG-REC-2, REG-GUIDE-2021 IV step 7: the contact screen's phone number (1112223344,
    its sample 111-222-3344, the QPP line 1-866-288-8292) in any usual layout."""
    assert Contact("Jane", "Doe", "jdoe@betterhealth.com", phone).phone == phone


@pytest.mark.parametrize(
    ("phone", "digits"),
    [("123-45-6789", "9 digits"), ("123 45 6789", "9 digits"), ("123456789", "9 digits"),
     ("1", "1 digit"), ("call the front desk", "0 digits"), ("+44 20 7946 0958", "12 digits"),
     ("111-222-33445", "11 digits"), ("21112223344", "11 digits"), ("111/222/3344", "10 digits")],
)
def test_reg_rec_2_a_phone_that_is_not_a_us_number_is_refused_and_shown_masked(
        phone: str, digits: str) -> None:
    """An SSN typed as a phone number is refused, and the refusal shows it masked."""
    with pytest.raises(qr.InvalidInput) as caught:
        Contact("Jane", "Doe", "jdoe@betterhealth.com", phone)
    assert caught.value.field == "contact.phone"
    assert f"got {digits}" in str(caught.value)
    if digits == "9 digits":  # shaped like an SSN or a TIN: masked
        assert phone not in str(caught.value)
        assert "6789'" in str(caught.value)


def test_reg_rec_2_an_extension_goes_in_its_own_field() -> None:
    with pytest.raises(qr.InvalidInput, match="its own field") as caught:
        Contact("Jane", "Doe", "jdoe@betterhealth.com", "111-222-3344 x12")
    assert caught.value.field == "contact.phone"
    assert Contact("Jane", "Doe", "jdoe@betterhealth.com", "111-222-3344", "x12").extension \
        == "x12"
    for extension in ("123-45-6789", "call me", "1234567"):
        with pytest.raises(qr.InvalidInput) as caught:
            Contact("Jane", "Doe", "jdoe@betterhealth.com", "111-222-3344", extension)
        assert caught.value.field == "contact.extension"
        assert "123-45-6789" not in str(caught.value)
