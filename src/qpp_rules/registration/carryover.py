"""The carry-over of last year's registration record (REG-AUTO-1, REG-AUTO-4, REG-ELIG-4):
this year's record for an organization with automatic registrations, started from last
year's record or, where the caller holds none, from the organization as given.

>>> import qpp_rules as qr
>>> from qpp_rules.registration import Organization
>>> group = Organization(qr.OrgType.PRACTICE, qr.SizeBand.SMALL, tin="000765630")
>>> carry_over(None, group, qr.policy_for(2021)) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from qpp_rules.errors import InvalidInput
from qpp_rules.policy.model import PolicyYear
from qpp_rules.registration.eligibility import automatic_registrations, check_policy
from qpp_rules.registration.lifecycle import evolve
from qpp_rules.registration.model import (
    AutomaticallyRegistered,
    CarriedOver,
    Contact,
    Organization,
    Registration,
    RegistrationId,
    contact_list,
    issued_id,
)
from qpp_rules.registration.records import derive_registration_id, same_organization
from qpp_rules.registration.values import split_within

__all__ = ["carry_over"]


def carry_over(
    previous: Registration | None,
    org: Organization,
    policy: PolicyYear,
    *,
    contacts: Iterable[Contact] = (),
    registration_id: RegistrationId | None = None,
) -> Registration | None:
    """This year's record for an organization with automatic registrations; None when it
    holds none (:func:`~qpp_rules.registration.automatic_registrations` of it: WI carries
    over, CAHPS never, REG-AUTO-1/2; PY2021 SSP ACOs both, REG-ELIG-4).

    With last year's record ``previous`` (REG-AUTO-4): the same registration ID (REG-REC-1),
    last year's size, name, address and contacts (to be checked and corrected inside the
    window), and this year's facts from ``org`` (its flags and model); a record with no
    ``year`` is read as last year's. The record begins with a :class:`CarriedOver` event.

    With no previous record (``previous`` None: a PY2021 SSP ACO, or a group whose last WI
    record the caller does not hold), the record starts from ``org`` as given, with
    ``registration_id`` (the ID the caller's system issued, kept as given) or one derived
    from the year and the organization, and ``contacts`` (complete ones), which may be none:
    an automatic registration exists whether or not anyone is named. REG-REC-4 ("at least
    one contact") then applies from the first contact added: until then the record has none;
    once one is added the last can no longer be deleted. It begins with an
    :class:`AutomaticallyRegistered` event, and can then be viewed, edited or cancelled
    inside the window like any other (REG-AUTO-3). ``contacts`` is also used when the
    previous record has none.

    >>> import qpp_rules as qr
    >>> from qpp_rules.registration import Contact, Organization, Registration
    >>> org = Organization(qr.OrgType.PRACTICE, qr.SizeBand.LARGE, tin="000765630")
    >>> last = Registration("181234", org, (Contact("Jane", "Doe", "jd@example.org",
    ...     "1112223344"),), frozenset({qr.Program.WEB_INTERFACE, qr.Program.CAHPS}), year=2018)
    >>> now = carry_over(last, attrs.evolve(org, submitted_web_interface_prior_year=True),
    ...                  qr.policy_for(2019))
    >>> now.registration_id, sorted(p.name for p in now.programs), now.year
    ('181234', ['WEB_INTERFACE'], 2019)
    >>> carry_over(last, org, qr.policy_for(2019)) is None
    True
    >>> aco = Organization(qr.OrgType.APM_ENTITY, qr.SizeBand.LARGE, name="Sample ACO",
    ...                    apm_model=qr.ApmModel.SHARED_SAVINGS_PROGRAM)
    >>> fresh = carry_over(None, aco, qr.policy_for(2021))
    >>> sorted(p.name for p in fresh.programs), fresh.contacts, type(fresh.history[0]).__name__
    (['CAHPS', 'WEB_INTERFACE'], (), 'AutomaticallyRegistered')
    """
    policy = check_policy(policy)
    if not isinstance(org, Organization):
        raise InvalidInput("organization", f"an Organization; got {type(org).__name__}")
    given = contact_list(contacts)
    for index, contact in enumerate(given):
        if not contact.is_complete:
            raise InvalidInput(
                f"contacts[{index}]",
                f"a complete contact (REG-REC-2); missing: {', '.join(contact.missing)}",
            )
    issued = issued_id(registration_id)
    if previous is None:
        programs = automatic_registrations(org, policy)
        if not programs:
            return None
        rid = issued if issued is not None else derive_registration_id(org, policy.year)
        return evolve(
            None, AutomaticallyRegistered(rid, policy.year, org, given, programs)
        )
    if not isinstance(previous, Registration):
        raise InvalidInput("previous", f"a Registration or None; got {type(previous).__name__}")
    if previous.year is not None and previous.year >= policy.year:
        raise InvalidInput(
            "previous",
            f"last year's record: PY{previous.year} is not before PY{policy.year}",
        )
    if issued is not None and str(issued) != str(previous.registration_id):
        raise InvalidInput(
            "registration_id",
            f"the record keeps last year's ID {previous.registration_id} (REG-REC-1); got "
            f"{issued}",
        )
    same_organization(previous.organization, org, "organization")
    last = previous.organization
    # REG-ELIG-7: a split TIN's count is this year's, read within the record's (last year's)
    # band until a size change restates both; last year's exact count, where this year's
    # split count outnumbers it, no longer holds.
    split = org.split_tin_mips_clinicians
    count = last.clinicians
    if split is not None and count is not None and split > count:
        count = None
    carried = attrs.evolve(
        org,
        size=last.size,
        clinicians=count,
        split_tin_mips_clinicians=split_within(split, last.size),
        name=last.name or org.name,
        address=last.address if last.address is not None else org.address,
        tin=org.tin if org.tin is not None else last.tin,
        virtual_group_id=(
            org.virtual_group_id if org.virtual_group_id is not None else last.virtual_group_id
        ),
        apm_entity_id=org.apm_entity_id if org.apm_entity_id is not None else last.apm_entity_id,
    )
    programs = automatic_registrations(carried, policy)
    if not programs:
        return None
    from_year = previous.year if previous.year is not None else policy.year - 1
    return evolve(
        None,
        CarriedOver(
            previous.registration_id,
            policy.year,
            from_year,
            carried,
            previous.contacts or given,
            programs,
        ),
    )
