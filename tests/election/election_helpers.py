"""Shared values for the election tests (a uniquely named module, imported by the tests)."""

from __future__ import annotations

from decimal import Decimal

import pendulum

import qpp_rules as qr
from qpp_rules.access import Actor
from qpp_rules.election import LowVolumeFacts, OptInStatus, Participant
from qpp_rules.identifiers import npi_check_digit

PY2018 = qr.policy_for(2018)
PY2019 = qr.policy_for(2019)
"""PY2019 with every amendment (A1: the election window closes 2020-04-30 8:00 pm EDT)."""
PY2019_PUBLISHED = qr.policy_for(2019, as_of=qr.eastern(2020, 3, 21))
"""PY2019 as published (closes 2020-03-31 8:00 pm EDT)."""
PY2021 = qr.policy_for(2021)

OPEN = qr.eastern(2020, 2, 3, 12)
"""An instant inside every version of the PY2019 election window."""

PRACTICE_SO = Actor(qr.OrgType.PRACTICE, qr.Role.SECURITY_OFFICIAL)
PRACTICE_STAFF = Actor(qr.OrgType.PRACTICE, qr.Role.STAFF_USER)
REGISTRY_SO = Actor(qr.OrgType.REGISTRY, qr.Role.SECURITY_OFFICIAL)
REGISTRY_STAFF = Actor(qr.OrgType.REGISTRY, qr.Role.STAFF_USER)
APM_SO = Actor(qr.OrgType.APM_ENTITY, qr.Role.SECURITY_OFFICIAL)
APM_STAFF = Actor(qr.OrgType.APM_ENTITY, qr.Role.STAFF_USER)
VIRTUAL_GROUP_SO = Actor(qr.OrgType.VIRTUAL_GROUP, qr.Role.SECURITY_OFFICIAL)
ALL_ACTORS = tuple(Actor(kind, role) for kind in qr.OrgType for role in qr.Role)

ELIGIBLE = OptInStatus.OPT_IN_ELIGIBLE

SCREEN_FACTS = LowVolumeFacts(
    allowed_charges=Decimal("90300"), patients=150, covered_services=234
)
"""The guide's practice summary (Miami Medical and Greenville Podiatry): 150 Medicare
patients, $90,300 allowed charges, 234 covered services."""


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
    microsecond: int = 0,
) -> pendulum.DateTime:
    """An instant written in UTC."""
    return pendulum.datetime(year, month, day, hour, minute, second, microsecond, tz="UTC")


def tin(n: int) -> qr.TIN:
    """A synthetic, valid TIN (the guide's example TINs have 10 digits: erratum E9)."""
    return qr.TIN(f"{900_000_000 + n % 10**8:09d}")


def npi(n: int) -> qr.NPI:
    """A synthetic NPI with a correct check digit."""
    first = f"1{n % 10**8:08d}"
    return qr.NPI(first + npi_check_digit(first))


def group(n: int) -> Participant:
    """A group participant (TIN only)."""
    return Participant(tin(n))


def clinician(n: int, m: int) -> Participant:
    """A clinician participant (TIN/NPI)."""
    return Participant(tin(n), npi(m))
