"""Identifiers: TIN, NPI, PTAN, APM Entity ID, Practice Site ID, Virtual Group ID,
Vendor ID. RULES.md 0 "Identifiers"; ACC-SO-1 uses them as evidence.

The guides' own examples: the TIN ``00-0765630`` / ``000765630`` of REG-GUIDE-2021, the NPI
``1234567890`` and 10-digit "TIN" ``1234567890`` of ELECTION-GUIDE-2019 (E9: not valid), the
ACO ID ``A1234`` and Practice Site ID ``T1AR0058`` of RULES.md.
"""

from __future__ import annotations

import copy
import json
import pickle
import string
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.errors import (
    InvalidChecksum,
    InvalidFormat,
    InvalidIdentifier,
    InvalidInput,
    InvalidLength,
    QppRulesError,
)
from qpp_rules.identifiers import (
    NPI,
    PTAN,
    TIN,
    ApmEntityId,
    Identifier,
    PracticeSiteId,
    VendorId,
    VirtualGroupId,
    npi_check_digit,
)

FIXTURES = Path(__file__).parent.parent / "fixtures"
ALL_KINDS: tuple[type[Identifier], ...] = (
    TIN, NPI, PTAN, ApmEntityId, PracticeSiteId, VirtualGroupId, VendorId,
)

# -- the stdnum surface: compact, validate, is_valid, formatted ------------------------------

GOOD = [
    # (kind, input, compact form, formatted form)
    (TIN, "00-0765630", "000765630", "00-0765630"),  # REG-GUIDE-2021's own screen
    (TIN, "000765630", "000765630", "00-0765630"),
    (TIN, " 12 345 6789 ", "123456789", "12-3456789"),
    (TIN, 123456789, "123456789", "12-3456789"),
    (NPI, "1234567893", "1234567893", "1234567893"),
    (NPI, "1234-567-893", "1234567893", "1234567893"),
    (NPI, 1234567893, "1234567893", "1234567893"),
    (PTAN, " ab1234 ", "AB1234", "AB1234"),
    (ApmEntityId, "a1234", "A1234", "A1234"),  # an ACO ID
    (PracticeSiteId, "T1AR0058", "T1AR0058", "T1AR0058"),
    (VirtualGroupId, "vg-2019-0042", "VG-2019-0042", "VG-2019-0042"),
    (VendorId, "1234567", "1234567", "1234567"),
    (VendorId, 1234567, "1234567", "1234567"),
]


@pytest.mark.parametrize(("kind", "text", "compact", "formatted"), GOOD)
def test_compact_and_formatted_forms(
    kind: type[Identifier], text: Any, compact: str, formatted: str
) -> None:
    identifier = kind(text)
    assert identifier.value == compact
    assert identifier.formatted == formatted
    assert kind.validate(text) == compact
    assert kind.is_valid(text)
    assert kind(compact) == identifier  # the compact form reads back to the same identifier


BAD = [
    # (kind, input, the error, why)
    (TIN, "00-076563", InvalidLength, "8 digits"),
    (TIN, "0007656301", InvalidLength, "10 digits"),
    (TIN, "#1234567890", InvalidFormat, "ELECTION-GUIDE-2019's example 'TIN' (E9)"),
    (TIN, "1234567890", InvalidLength, "ELECTION-GUIDE-2019's 10-digit 'TIN' (E9)"),
    (TIN, "00.0765630", InvalidFormat, "a dot is not a separator"),
    (TIN, "", InvalidFormat, "empty"),
    (TIN, -123456789, InvalidFormat, "a negative number is no TIN"),
    (TIN, 10**5000, InvalidLength, "too long to be turned into text"),
    (TIN, True, InvalidFormat, "a bool is not a number here"),
    (TIN, None, InvalidFormat, "None"),
    (TIN, b"000765630", InvalidFormat, "bytes"),
    (NPI, "1234567890", InvalidChecksum, "ELECTION-GUIDE-2019 / the Eligibility API sample"),
    (NPI, "123456789", InvalidLength, "9 digits"),
    (NPI, "12345678930", InvalidLength, "11 digits"),
    (NPI, "123456789X", InvalidFormat, "a letter"),
    (NPI, -1234567893, InvalidFormat, "negative"),
    (NPI, 12.5, InvalidFormat, "a float"),
    (PTAN, "", InvalidLength, "empty"),
    (PTAN, "AB 1234", InvalidFormat, "an inner space"),
    (PTAN, "A" * 21, InvalidLength, "21 characters"),
    (PTAN, 1234, InvalidFormat, "a PTAN is text: leading zeros would be lost"),
    (PTAN, "ı234", InvalidFormat, "non-ASCII that upper-cases to ASCII ('ı' -> 'I')"),
    (ApmEntityId, "A-1234", InvalidFormat, "a hyphen"),
    (PracticeSiteId, "T1AR 0058", InvalidFormat, "a space"),
    (VirtualGroupId, "-VG1", InvalidFormat, "a leading hyphen"),
    (VirtualGroupId, "VG--1", InvalidFormat, "a double hyphen"),
    (VendorId, "123456", InvalidLength, "6 digits"),
    (VendorId, "12345678", InvalidLength, "8 digits"),
    (VendorId, "12345a7", InvalidFormat, "a letter"),
]


@pytest.mark.parametrize(
    ("kind", "text", "error", "why"), BAD, ids=[f"{row[0].__name__}: {row[3]}" for row in BAD]
)
def test_invalid_identifiers_raise_the_right_error(
    kind: type[Identifier], text: Any, error: type[InvalidIdentifier], why: str
) -> None:
    with pytest.raises(error) as raised:
        kind(text)
    assert raised.value.field == kind.field, why
    assert str(raised.value).startswith(f"{kind.field}: "), why
    assert not kind.is_valid(text), why


def test_the_error_tree() -> None:
    for error in (InvalidFormat, InvalidLength, InvalidChecksum):
        assert issubclass(error, InvalidIdentifier)
        assert issubclass(error, InvalidInput)
        assert issubclass(error, ValueError)
        assert issubclass(error, QppRulesError)
    assert qr.InvalidIdentifier is InvalidIdentifier


def test_tin_accepts_both_written_forms_of_the_guides_example() -> None:
    """REG-GUIDE-2021 shows the same TIN as 00-0765630 and 000765630 (no prefix check)."""
    assert TIN("00-0765630") == TIN("000765630")
    assert TIN("00-0765630").value == "000765630"


# -- NPI: Luhn over 80840 + the number ---------------------------------------------------------


def _luhn_valid(number: str) -> bool:
    """An independent Luhn check (the textbook algorithm), to test the library against."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def test_npi_check_digit_examples() -> None:
    assert NPI.is_valid("1234567893")
    assert not NPI.is_valid("1234567890")
    assert npi_check_digit("123456789") == "3"
    assert NPI("1234567893").has_valid_check_digit


def test_check_digit_false_reads_cms_own_invalid_samples() -> None:
    """The Eligibility API's own sample carries NPI 1234567890, which fails the check digit:
    reading payloads needs check_digit=False; validation for access stays strict."""
    payload = json.loads((FIXTURES / "eligibility-api-v6-npi-sample.json").read_text())
    sample = payload["data"]["npi"]
    assert sample == "1234567890"
    with pytest.raises(InvalidChecksum):
        NPI(sample)
    read = NPI(sample, check_digit=False)
    assert read.value == sample
    assert not read.has_valid_check_digit
    assert NPI.is_valid(sample, check_digit=False)
    assert not NPI.is_valid(sample)
    # the shape is still checked without the check digit
    with pytest.raises(InvalidLength):
        NPI("123456789", check_digit=False)
    with pytest.raises(InvalidFormat):
        NPI("12345678X0", check_digit=False)


def test_check_digit_flag_must_be_a_bool() -> None:
    with pytest.raises(InvalidInput, match="check_digit"):
        NPI("1234567893", check_digit="no")  # type: ignore[arg-type]
    assert not NPI.is_valid("1234567893", check_digit="no")  # type: ignore[arg-type]


def test_an_npi_read_without_the_check_pickles_without_the_check() -> None:
    read = NPI("1234567890", check_digit=False)
    assert pickle.loads(pickle.dumps(read)) == read


nine_digits = st.text(alphabet=string.digits, min_size=9, max_size=9)


@given(nine_digits)
def test_generated_valid_npis_pass(first_nine: str) -> None:
    number = first_nine + npi_check_digit(first_nine)
    assert NPI.is_valid(number)
    assert NPI(number).value == number
    assert _luhn_valid("80840" + number)  # agrees with the textbook algorithm


@given(st.text(alphabet=string.digits, min_size=10, max_size=10))
def test_is_valid_agrees_with_the_textbook_luhn(number: str) -> None:
    assert NPI.is_valid(number) == _luhn_valid("80840" + number)


@given(nine_digits, st.integers(0, 9), st.integers(1, 9))
def test_any_single_changed_digit_fails(first_nine: str, position: int, shift: int) -> None:
    number = first_nine + npi_check_digit(first_nine)
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1:]
    assert changed != number
    assert not NPI.is_valid(changed)
    with pytest.raises(InvalidChecksum):
        NPI(changed)


def test_luhn_detects_every_single_digit_change_at_all_ten_positions() -> None:
    """The proof, exhaustively: at every position of the NPI the digit's contribution to the
    Luhn sum (plain or doubled) is a bijection of 0-9 mod 10, so changing one digit always
    changes the sum mod 10; and every change at every position of a valid NPI fails."""
    plain = [d % 10 for d in range(10)]
    doubled = [(2 * d - 9 if 2 * d > 9 else 2 * d) % 10 for d in range(10)]
    assert sorted(plain) == list(range(10))
    assert sorted(doubled) == list(range(10))
    for first_nine in ("123456789", "000000000", "999999999", "808401234"):
        number = first_nine + npi_check_digit(first_nine)
        assert NPI.is_valid(number)
        for position in range(10):
            for digit in string.digits:
                if digit == number[position]:
                    continue
                changed = number[:position] + digit + number[position + 1:]
                assert not NPI.is_valid(changed), (number, position, digit)


# -- robustness: is_valid never raises, constructors raise only InvalidIdentifier --------------

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([10**5000, -(10**5000)]),
    st.floats(allow_nan=True),
    st.decimals(allow_nan=True),
    st.text(),
    st.text(alphabet=string.digits + " -"),
    st.binary(),
    st.lists(st.text(), max_size=3),
    st.tuples(st.integers()),
    st.dictionaries(st.text(), st.integers(), max_size=2),
    st.builds(object),
    st.sampled_from([object, int, str, Ellipsis, NotImplemented, print, 1j, range(9),
                     frozenset({"000765630"}), memoryview(b"000765630")]),
)


@given(anything)
def test_is_valid_never_raises(value: object) -> None:
    for kind in ALL_KINDS:
        assert kind.is_valid(value) in (True, False)
    assert NPI.is_valid(value, check_digit=False) in (True, False)


@given(anything)
def test_constructors_raise_only_invalid_identifier(value: object) -> None:
    for kind in ALL_KINDS:
        try:
            made = kind(value)
        except InvalidIdentifier as error:
            field = error.field
            assert field == kind.field
        else:
            assert kind.is_valid(value)
            assert isinstance(made.value, str)


# -- a TIN is masked everywhere but .value and .formatted --------------------------------------


@attrs.frozen
class _Holder:
    """An attrs value holding a TIN, as the domain models do."""

    tin: TIN
    tins: tuple[TIN, ...] = ()
    by_tin: dict[TIN, int] = attrs.field(factory=dict)


def _shown(tin: TIN) -> list[str]:
    holder = _Holder(tin, (tin,), {tin: 1})
    return [
        repr(tin), str(tin), f"{tin}", f"{tin!r}", f"{tin:>20}", "%s" % tin, format(tin),  # noqa: UP031
        repr((tin,)), str((tin,)), str([tin]), str({tin: tin}), str({tin}),
        repr(holder), str(holder), str(attrs.asdict(holder)), str(attrs.astuple(holder)),
        tin.masked,
    ]


@given(nine_digits)
def test_a_tin_never_shows_unmasked(digits: str) -> None:
    tin = TIN(digits)
    for shown in _shown(tin):
        assert digits not in shown, shown
        assert tin.formatted not in shown, shown
        assert digits[-4:] in shown  # masked, not dropped: the last four identify it
    assert tin.value == digits  # the explicit way out
    assert tin.formatted == f"{digits[:2]}-{digits[2:]}"


def test_the_masked_form() -> None:
    tin = TIN("00-0765630")
    assert repr(tin) == "TIN('*****5630')"
    assert str(tin) == "*****5630"
    assert f"[{tin:>10}]" == "[ *****5630]"
    assert "0765630" not in repr(_Holder(tin))


malformed_tins = st.one_of(
    st.text(alphabet=string.digits, min_size=5, max_size=30),
    st.text(alphabet=string.digits + "-. x#", min_size=5, max_size=30),
    st.tuples(nine_digits, st.text(alphabet="x#./:", min_size=1, max_size=3)).map("".join),
    st.tuples(st.text(alphabet="x#./:", min_size=1, max_size=3), nine_digits).map("".join),
    st.integers(min_value=10_000, max_value=10**25),
)


@given(malformed_tins)
def test_no_tin_error_message_holds_the_full_digits(text: str | int) -> None:
    digits = "".join(char for char in str(text) if char in string.digits)
    assume(len(digits) >= 5)
    try:
        TIN(text)
    except InvalidIdentifier as error:
        for shown in (str(error), repr(error), error.message, repr(error.problems)):
            assert digits not in shown, shown
    else:
        assert len(digits) == 9


@given(nine_digits)
def test_a_tin_one_digit_too_long_is_masked_in_its_error(digits: str) -> None:
    """A 9-digit TIN typed with one digit too many: neither the typed text nor the 9 digits
    inside it appear in the error."""
    with pytest.raises(InvalidLength) as raised:
        TIN(digits + "0")
    assert digits + "0" not in str(raised.value)
    assert digits not in str(raised.value)


# -- value semantics: pickle, hash, compare, sort, immutability --------------------------------


@pytest.mark.parametrize(("kind", "text", "compact", "formatted"), GOOD)
def test_pickle_copy_hash_and_equality(
    kind: type[Identifier], text: Any, compact: str, formatted: str
) -> None:
    identifier = kind(text)
    for clone in (
        pickle.loads(pickle.dumps(identifier)),
        copy.copy(identifier),
        copy.deepcopy(identifier),
    ):
        assert clone == identifier
        assert hash(clone) == hash(identifier)
        assert type(clone) is kind
    assert len({identifier, kind(compact)}) == 1


def test_different_kinds_never_equal() -> None:
    assert VendorId("1234567") != ApmEntityId("1234567")
    assert PTAN("A1234") != ApmEntityId("A1234")
    assert TIN("123456789") != "123456789"
    with pytest.raises(TypeError):
        _ = TIN("123456789") < NPI("1234567893")  # type: ignore[operator]


@given(st.lists(nine_digits, min_size=1, max_size=8))
def test_identifiers_sort_and_compare_like_their_compact_forms(numbers: list[str]) -> None:
    tins = [TIN(number) for number in numbers]
    assert [tin.value for tin in sorted(tins)] == sorted(numbers)
    first, last = min(tins), max(tins)
    assert first <= last
    assert last >= first
    assert (first < last) == (first.value < last.value)
    assert (last > first) == (last.value > first.value)


def test_identifiers_are_immutable() -> None:
    tin = TIN("000765630")
    with pytest.raises(AttributeError):
        tin.value = "123456789"
    with pytest.raises(AttributeError):
        del tin.value
    with pytest.raises(AttributeError):
        tin.other = 1
    assert tin.value == "000765630"


@pytest.mark.parametrize("kind", [qr.TIN, qr.NPI, qr.PTAN, qr.ApmEntityId, qr.VendorId])
def test_a_huge_identifier_is_refused_with_a_short_masked_message(kind: type[Any]) -> None:
    with pytest.raises(qr.InvalidIdentifier) as caught:
        kind("1" * 1_000_000)
    assert len(str(caught.value)) < 200
    assert "1" * 5 not in str(caught.value)
