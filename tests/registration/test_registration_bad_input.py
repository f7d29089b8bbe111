"""Bad input to registration is a ``QppRulesError`` naming the field, never a bare Python
error: junk nested past the recursion limit, numbers too long to print, and wrong types, in
the values, the rules and the results (each once raised RecursionError, ValueError,
TypeError or AttributeError)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest
from registration_helpers import GUIDE_ID, JANE, P2019, P2021, bbh

import qpp_rules as qr
from qpp_rules import registration


def _deep_list(depth: int = 5_000) -> list[Any]:
    """A list nested deeper than the interpreter's recursion limit (repr, ==, copy fail)."""
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


HUGE: Any = 10**5_000  # str() refuses it: more than 4300 digits
DEEP: Any = _deep_list()
NONE: Any = None
EMPTY: Any = []
TEXT: Any = "APP"
RECORD = registration.Registration(GUIDE_ID, bbh(), (JANE,), frozenset({qr.Program.CAHPS}),
                                   year=2021)
ORGANIZATION = bbh()

BAD: dict[str, Callable[[], Any]] = {
    # messages built with repr() of the junk
    "Registration(year=deep list)": lambda: attrs.evolve(RECORD, year=DEEP),
    "Options[huge]": lambda: registration.options(ORGANIZATION, P2019)[HUGE],
    "cahps_required(through_app=deep list)": lambda: registration.cahps_required(
        ORGANIZATION, P2021, through_app=DEEP),
    # numbers too long to print
    "Organization(clinicians=huge)": lambda: registration.Organization(
        qr.OrgType.PRACTICE, qr.SizeBand.LARGE, clinicians=HUGE),
    "Organization(split_tin_mips_clinicians=huge)": lambda: registration.Organization(
        qr.OrgType.PRACTICE, qr.SizeBand.LARGE, split_tin_mips_clinicians=HUGE),
    "ChangeSize(split_tin_mips_clinicians=huge)": lambda: registration.ChangeSize(
        qr.SizeBand.LARGE, confirmed=True, split_tin_mips_clinicians=HUGE),
    "derive_registration_id(year=huge)": lambda: registration.derive_registration_id(
        ORGANIZATION, HUGE),
    "Register(registration_id=huge)": lambda: registration.Register(
        qr.Program.CAHPS, registration_id=HUGE),
    # wrong types
    "Registration(programs=[[]])": lambda: attrs.evolve(RECORD, programs=[[]]),
    "band_allows(size=None)": lambda: registration.band_allows(qr.Program.CAHPS, NONE, P2019),
    "minimum_clinicians(policy=None)": lambda: registration.minimum_clinicians(
        qr.Program.CAHPS, NONE),
    "Registration.holds([])": lambda: RECORD.holds(EMPTY),
    "registration_needed(collection=deep list)": lambda: registration.registration_needed(
        DEEP, P2019),
    "Organization(reporting_track='APP')": lambda: registration.Organization(
        qr.OrgType.PRACTICE, qr.SizeBand.LARGE, reporting_track=TEXT),
    # result types built with junk that then could not be read (explain() raised)
    "SamplingConsequences(program=None)": lambda: attrs.evolve(
        registration.sampling_consequences(qr.Program.CAHPS, P2019), program=NONE),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_registration_input_raises_a_qpp_rules_error(name: str) -> None:
    with pytest.raises(qr.InvalidInput) as raised:
        BAD[name]()
    str(raised.value)  # the message reads


@pytest.mark.parametrize(
    "build",
    [
        lambda: registration.Register(qr.Program.CAHPS, bbh(), (JANE, JANE)),
        lambda: registration.Registered(GUIDE_ID, 2021, qr.Program.CAHPS, bbh(), [JANE, JANE],
                                        qr.eastern(2021, 4, 5)),
        lambda: attrs.evolve(RECORD, contacts=(JANE, JANE)),
        lambda: registration.contact_list([JANE, JANE]),
    ],
    ids=["Register", "Registered", "Registration", "contact_list"],
)
def test_reg_rec_4_a_contact_listed_twice_is_refused_naming_contacts(
    build: Callable[[], Any],
) -> None:
    with pytest.raises(qr.InvalidInput, match="contacts: the same contact is listed twice"):
        build()


@pytest.mark.parametrize(
    "build",
    [
        lambda: registration.Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM,
                                          name="x" * 10_001),
        lambda: registration.Contact("J" * 10_001, "Doe", "", ""),
        lambda: registration.Address("1" * 10_001, "Baltimore", "MD", "21239"),
    ],
    ids=["organization.name", "contact.first_name", "address.line1"],
)
def test_free_text_longer_than_10000_characters_is_refused_naming_the_field(
    build: Callable[[], Any],
) -> None:
    with pytest.raises(qr.InvalidInput, match="at most 10,000 characters"):
        build()
