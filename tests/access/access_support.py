"""Fixtures shared by the access tests: valid identifiers (NPIs with correct check digits),
one organization record of each type, and the evidence that validates each.

The guides' own example identifiers are not all valid (10-digit Vendor IDs, NPIs failing the
check digit), so the fixtures use valid ones and the tests use the guides' as malformed.
"""

from __future__ import annotations

import re
from typing import Any

import qpp_rules as qr
from qpp_rules.access import Evidence, OrganizationRecord
from qpp_rules.identifiers import npi_check_digit

# TINs: the registration guides' "Better Business Health" TIN and three more.
TIN_A = "000765630"
TIN_B = "001234567"
TIN_C = "002345678"
TIN_D = "003456789"
TIN_E = "004567891"
ALL_TINS = (TIN_A, TIN_B, TIN_C, TIN_D, TIN_E)

NPI_1 = "1234567893"
NPI_2 = "1987654328"
NPI_3 = "1555555550"
NPI_4 = "1666666668"
NPI_BAD_CHECK = "1234567890"  # well formed, check digit fails
PTAN_1 = "AB1234"
PTAN_2 = "CD5678"
ACO_ID = "A1234"
SITE_ID = "T1AR0058"
VENDOR_ID = "1234567"
GUIDE_VENDOR_ID = "1234567892"  # ELECTION-GUIDE-2019's example: 10 digits, not a Vendor ID
VG_ID = "VG-2019-0042"

assert all(npi[-1] == npi_check_digit(npi[:9]) for npi in (NPI_1, NPI_2, NPI_3, NPI_4))
assert NPI_BAD_CHECK[-1] != npi_check_digit(NPI_BAD_CHECK[:9])

# An unmasked TIN: 9 digits (or 2-7 with a hyphen) that are not part of a longer number.
UNMASKED_TIN = re.compile(r"(?<![\d*])(\d{9}|\d{2}-\d{7})(?!\d)")


def practice() -> OrganizationRecord:
    return OrganizationRecord(
        qr.OrgType.PRACTICE,
        name="Better Business Health",
        tins=[TIN_A],
        clinicians=[(NPI_1, PTAN_1), (NPI_2, PTAN_2)],
    )


def aco(model: qr.ApmModel = qr.ApmModel.SHARED_SAVINGS_PROGRAM) -> OrganizationRecord:
    return OrganizationRecord(
        qr.OrgType.APM_ENTITY,
        name="Coastal Accountable Care",
        apm_model=model,
        apm_entity_id=ACO_ID,
        tins=[TIN_A, TIN_B, TIN_C],
    )


def single_tin_aco() -> OrganizationRecord:
    return OrganizationRecord(
        qr.OrgType.APM_ENTITY,
        name="Better Business Health ACO",
        apm_model=qr.ApmModel.SHARED_SAVINGS_PROGRAM,
        apm_entity_id=ACO_ID,
        tins=[TIN_A],
        single_tin_aco=True,
    )


def cpc_site() -> OrganizationRecord:
    return OrganizationRecord(
        qr.OrgType.APM_ENTITY,
        name="Hillside CPC+ Site",
        apm_model=qr.ApmModel.CPC_PLUS,
        practice_site_id=SITE_ID,
        tin_npis=[(TIN_A, NPI_1), (TIN_B, NPI_2), (TIN_B, NPI_3)],
    )


def registry() -> OrganizationRecord:
    return OrganizationRecord(
        qr.OrgType.REGISTRY,
        name="American College of Medical Standards Registry",
        tins=[TIN_D],
        vendor_id=VENDOR_ID,
    )


def virtual_group() -> OrganizationRecord:
    return OrganizationRecord(
        qr.OrgType.VIRTUAL_GROUP,
        name="Lakes Virtual Group",
        virtual_group_id=VG_ID,
        tins=[TIN_A, TIN_B, TIN_E],
    )


# Each case: the record, the evidence that validates it (as Evidence keyword arguments), and
# for each item of the form a wrong (well formed, not matching) and a malformed value.
Mutation = tuple[str, str, Any, Any, Any]
"""(item short name, evidence field, wrong value, malformed value, missing value)."""

CASES: dict[str, tuple[OrganizationRecord, dict[str, Any], tuple[Mutation, ...]]] = {
    "practice": (
        practice(),
        {"tin": "00-0765630", "npi": NPI_1, "ptan": PTAN_1},
        (
            ("TIN", "tin", TIN_C, "0007656301", None),
            ("NPI", "npi", NPI_3, NPI_BAD_CHECK, None),
            ("PTAN", "ptan", PTAN_2, "AB-12#4", ""),  # PTAN_2 is another clinician's
        ),
    ),
    "ssp_aco": (
        aco(),
        {"apm_entity_id": ACO_ID, "tins": (TIN_A, TIN_B)},
        (
            ("APM Entity ID", "apm_entity_id", "A9999", "A-12 34!", None),
            ("TIN", "tins", (TIN_A, TIN_D), (TIN_A, "12345"), (TIN_A,)),
        ),
    ),
    "next_generation_aco": (
        aco(qr.ApmModel.NEXT_GENERATION_ACO),
        {"apm_entity_id": ACO_ID, "tins": (TIN_C, TIN_B)},
        (
            ("APM Entity ID", "apm_entity_id", "B1234", "B12.34", None),
            ("TIN", "tins", (TIN_E, TIN_B), ("0023456789", TIN_B), ()),
        ),
    ),
    "cpc_plus": (
        cpc_site(),
        {"practice_site_id": SITE_ID, "tin": TIN_B, "npi": NPI_3},
        (
            ("Practice Site ID", "practice_site_id", "T1AR0059", "T1AR 0058?", None),
            ("TIN", "tin", TIN_C, "00123456", None),
            ("NPI", "npi", NPI_1, NPI_BAD_CHECK, None),  # NPI_1 is the site's, in TIN_A
        ),
    ),
    "registry": (
        registry(),
        {"tin": TIN_D, "vendor_id": VENDOR_ID},
        (
            ("TIN", "tin", TIN_A, "00-345678X", None),
            ("Vendor ID", "vendor_id", "7654321", GUIDE_VENDOR_ID, None),
        ),
    ),
    "virtual_group": (
        virtual_group(),
        {"tins": (TIN_E, TIN_A)},
        (("TIN", "tins", (TIN_E, TIN_C), (TIN_E, "00456789O"), (TIN_E, TIN_E)),),
    ),
}


def evidence(**fields: Any) -> Evidence:
    return Evidence(**fields)


def failing_items(decision: qr.Decision) -> set[str]:
    """The short names the per-item ACC-SO-1 reasons name (their text before the colon)."""
    items = set()
    for reason in decision.reasons:
        if reason.rule_id == "ACC-SO-1" and not reason.message.startswith("Validation"):
            items.add(reason.message.split(":")[0].split(" #")[0])
    return items


_ESCAPE = re.compile(r"\\(?:U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2})")


def assert_no_tin_shown(text: str, *tins: str) -> None:
    """No unmasked TIN: none of ``tins`` (compact or formatted), and nothing shaped like one.

    A ``repr`` writes an unprintable character as an escape (``\\U00089070``) whose hex
    digits reveal nothing typed; they are set aside before looking for nine digits in a row
    (Hypothesis found junk whose escape, beside a masked ``0``, read like a TIN)."""
    assert not UNMASKED_TIN.search(_ESCAPE.sub("\\~", text)), text
    for tin in (*tins, *ALL_TINS):
        compact = tin.replace("-", "")
        assert compact not in text
        assert f"{compact[:2]}-{compact[2:]}" not in text
