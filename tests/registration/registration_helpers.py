"""Shared values for the registration tests: the guides' own example organization and
contacts (REG-GUIDE-2021: Better Business Health, TIN 00-0765630, size 25-99, registration
ID 219043, contacts Jane Doe and John Smith), actors and instants."""

from __future__ import annotations

from functools import reduce
from pathlib import Path

import pendulum

import qpp_rules as qr
from qpp_rules.access import Actor, Role
from qpp_rules.policy.unknown import known
from qpp_rules.registration import (
    Address,
    Contact,
    Organization,
    Registration,
    RegistrationEvent,
    RegistrationOutcome,
    decide,
    evolve,
)

YEARS = (2018, 2019, 2021)

BBH_ADDRESS = Address("123 Better Health Way", "Baltimore", "MD", "21239")
JANE = Contact("Jane", "Doe", "jdoe@betterhealth.com", "111-222-3344")
JOHN = Contact("John", "Smith", "jsmith@betterhealth.com", "111-222-4455")
GUIDE_ID = "219043"


def bbh(size: qr.SizeBand = qr.SizeBand.MEDIUM, **changes: object) -> Organization:
    """Better Business Health, as the 2021 guide shows it."""
    fields: dict[str, object] = {
        "name": "Better Business Health",
        "address": BBH_ADDRESS,
        "tin": "00-0765630",
    }
    fields.update(changes)
    return Organization(qr.OrgType.PRACTICE, size, **fields)  # type: ignore[arg-type]


WI, CAHPS = qr.Program.WEB_INTERFACE, qr.Program.CAHPS


def so(kind: qr.OrgType = qr.OrgType.PRACTICE) -> Actor:
    """A Security Official of an organization of type ``kind``."""
    return Actor(kind, Role.SECURITY_OFFICIAL)


def staff(kind: qr.OrgType = qr.OrgType.PRACTICE) -> Actor:
    """A Staff User of an organization of type ``kind``."""
    return Actor(kind, Role.STAFF_USER)


def inside(year: int) -> pendulum.DateTime:
    """An instant well inside the year's registration window."""
    opens: pendulum.DateTime = known(qr.policy_for(year), "registration.window", "REG-WIN-1").opens
    return opens.add(days=10)


def replayed(events: tuple[RegistrationEvent, ...]) -> Registration | None:
    """The record rebuilt from its events."""
    result: Registration | None = reduce(evolve, events, None)
    return result


SOURCES = Path(__file__).resolve().parents[2] / "sources"
P2018, P2019, P2021 = qr.policy_for(2018), qr.policy_for(2019), qr.policy_for(2021)
SSP = qr.ApmModel.SHARED_SAVINGS_PROGRAM


def guide_text(year: int) -> str:
    """The year's registration guide, whitespace collapsed, lower case."""
    text = (SOURCES / f"REG-GUIDE-{year}.txt").read_text(encoding="utf-8")
    return " ".join(text.split()).lower()


def ssp_aco(**changes: object) -> Organization:
    """A Shared Savings Program ACO (an APM Entity), with a name and an address."""
    fields: dict[str, object] = {"name": "Sample ACO", "address": BBH_ADDRESS,
                                 "apm_model": SSP}
    fields.update(changes)
    return Organization(qr.OrgType.APM_ENTITY, qr.SizeBand.LARGE, **fields)  # type: ignore[arg-type]


def act(state: Registration | None, command: object, policy: qr.PolicyYear = P2021,
        actor: object = None, at: object = None) -> RegistrationOutcome:
    """decide inside the window (or at ``at``), by a Security Official of the record's type."""
    kind = (state.organization.kind if state is not None else qr.OrgType.PRACTICE)
    return decide(state, command, at=inside(policy.year) if at is None else at,  # type: ignore[arg-type]
                  policy=policy, actor=actor or so(kind))  # type: ignore[arg-type]


APM_SO = so(qr.OrgType.APM_ENTITY)
