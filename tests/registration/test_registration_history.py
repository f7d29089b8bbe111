"""The record's history: ``evolve`` and ``replay`` refuse every event ``decide`` (or
``carry_over``) could not have produced from the state, as far as the record can tell, and
events that hold an instant compare and hash by the instant (REG-REC-*, REG-SIZE-1,
REG-AUTO-4)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pytest
from registration_helpers import GUIDE_ID, JANE, JOHN, bbh, inside, so

import qpp_rules as qr
from qpp_rules.registration import (
    AutomaticallyRegistered,
    Cancelled,
    CarriedOver,
    ChangeSize,
    Contact,
    ContactAdded,
    ContactDeleted,
    ContactEdited,
    Organization,
    OrganizationUpdated,
    Register,
    Registered,
    Registration,
    RegistrationEvent,
    SizeBand,
    SizeChanged,
    decide,
    evolve,
    replay,
)

WI, CAHPS = qr.Program.WEB_INTERFACE, qr.Program.CAHPS
P2021 = qr.policy_for(2021)
AT = inside(2021)


def _record() -> Registration:
    done = decide(None, Register(WI, bbh(), (JANE, JOHN), GUIDE_ID), at=AT, policy=P2021,
                  actor=so())
    assert done.state is not None
    return done.state


FORGED: dict[str, tuple[bool, RegistrationEvent]] = {
    # (begins a record?, event)
    "another registration ID": (False, Cancelled("111111", WI, AT)),
    "a program not held cancelled": (False, Cancelled(GUIDE_ID, CAHPS, AT)),
    "a size cancel with no size change": (False, Cancelled(GUIDE_ID, WI, AT, "REG-SIZE-1")),
    "a cancel with an unknown cause": (False, Cancelled(GUIDE_ID, WI, AT, "REG-X")),
    "a program registered twice": (False, Registered(GUIDE_ID, 2021, WI, bbh(), (JANE, JOHN),
                                                     AT)),
    "a second program for another organization": (False, Registered(
        GUIDE_ID, 2021, CAHPS, bbh(name="Mallory Health"), (JANE, JOHN), AT)),
    "a second program for another year": (False, Registered(GUIDE_ID, 2019, CAHPS, bbh(),
                                                            (JANE, JOHN), AT)),
    "a size change from another band": (False, SizeChanged(GUIDE_ID, SizeBand.SMALL,
                                                           SizeBand.LARGE, AT)),
    "a size change to the same band": (False, SizeChanged(GUIDE_ID, SizeBand.MEDIUM,
                                                          SizeBand.MEDIUM, AT)),
    "an update that changes nothing": (False, OrganizationUpdated(
        GUIDE_ID, bbh().name, bbh().address, AT)),
    "a contact added twice": (False, ContactAdded(GUIDE_ID, JANE, AT)),
    "an incomplete contact added": (False, ContactAdded(GUIDE_ID, Contact("Pat", "Lee", "", ""),
                                                        AT)),
    "a contact not held edited": (False, ContactEdited(
        GUIDE_ID, Contact("Pat", "Lee", "p@x.org", "4105550101"), JANE, AT)),
    "an edit to a contact already held": (False, ContactEdited(GUIDE_ID, JANE, JOHN, AT)),
    "an automatic registration of an existing record": (False, AutomaticallyRegistered(
        GUIDE_ID, 2021, bbh(), (JANE,), {WI})),
    "a first registration with incomplete information": (True, Registered(
        GUIDE_ID, 2021, WI, Organization(qr.OrgType.PRACTICE, SizeBand.MEDIUM), (JANE,), AT)),
    "a first registration with no contact": (True, Registered(GUIDE_ID, 2021, WI, bbh(), (), AT)),
    "a carried-over record from the same year": (True, CarriedOver(
        GUIDE_ID, 2021, 2021, bbh(), (JANE,), {WI})),
    "a carried-over record from a later year": (True, CarriedOver(
        GUIDE_ID, 2019, 2021, bbh(), (JANE,), {WI})),
    "an automatic registration holding nothing": (True, AutomaticallyRegistered(
        GUIDE_ID, 2021, bbh(), (JANE,), ())),
    "a record beginning with a cancel": (True, Cancelled(GUIDE_ID, WI, AT)),
}


@pytest.mark.parametrize("name", sorted(FORGED))
def test_reg_rec_evolve_refuses_an_event_decide_could_not_produce(name: str) -> None:
    """evolve (and replay) refuse forged events with a QppRulesError, the state unchanged."""
    begins, event = FORGED[name]
    state = None if begins else _record()
    with pytest.raises(qr.QppRulesError):
        evolve(state, event)
    history = (event,) if begins else (*_record().history, event)
    with pytest.raises(qr.QppRulesError):
        replay(history)


def test_reg_rec_4_evolve_refuses_deleting_the_last_contact() -> None:
    only_jane = decide(None, Register(WI, bbh(), (JANE,), GUIDE_ID), at=AT, policy=P2021,
                       actor=so()).state
    with pytest.raises(qr.QppRulesError, match="contacts"):
        evolve(only_jane, ContactDeleted(GUIDE_ID, JANE, AT))


def test_reg_size_1_a_size_cancel_right_after_its_size_change_replays() -> None:
    """REG-SIZE-1: what decide produced replays, a size cancel included."""
    record = decide(None, Register(WI, bbh(), (JANE,), GUIDE_ID), at=AT, policy=P2021,
                    actor=so()).state
    done = decide(record, ChangeSize(SizeBand.SMALL, confirmed=True), at=AT.add(minutes=5),
                  policy=P2021, actor=so())
    assert done.state is not None
    assert replay(done.state.history) == done.state


# -- instants -----------------------------------------------------------------------------------
_NEW_YORK = ZoneInfo("America/New_York")


def _repeated_hour() -> tuple[dt.datetime, dt.datetime]:
    """01:30 EDT and 01:30 EST on 2021-11-07: the same wall time, an hour apart."""
    first = dt.datetime(2021, 11, 7, 1, 30, tzinfo=_NEW_YORK)
    return first, first.replace(fold=1)


def test_registration_events_compare_and_hash_by_the_instant() -> None:
    """Two instants in November's repeated hour are different events (they compared equal
    before: Python compares datetimes of one zone by their wall-clock reading)."""
    early, late = _repeated_hour()
    assert qr.time.utc_key(late) - qr.time.utc_key(early) == dt.timedelta(hours=1)
    pairs = [
        (Cancelled(GUIDE_ID, WI, early), Cancelled(GUIDE_ID, WI, late)),
        (ContactAdded(GUIDE_ID, JANE, early), ContactAdded(GUIDE_ID, JANE, late)),
        (SizeChanged(GUIDE_ID, SizeBand.SMALL, SizeBand.MEDIUM, early),
         SizeChanged(GUIDE_ID, SizeBand.SMALL, SizeBand.MEDIUM, late)),
    ]
    for one, other in pairs:
        assert one != other
        assert len({one, other}) == 2
        same = attrs.evolve(one)  # built again from its fields
        assert same == one
        assert hash(same) == hash(one)
    utc = dt.datetime(2021, 11, 7, 6, 30, tzinfo=dt.UTC)  # 01:30 EST, as UTC
    assert Cancelled(GUIDE_ID, WI, utc) == Cancelled(GUIDE_ID, WI, late)
    assert hash(Cancelled(GUIDE_ID, WI, utc)) == hash(Cancelled(GUIDE_ID, WI, late))
