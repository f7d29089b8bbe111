"""A Hypothesis state machine over random registration command sequences: whatever the
commands, instants and actors, the registration ID never changes (REG-REC-1), a record
always keeps a contact (REG-REC-4: from the first one on, for an automatic record that began
with none, REG-AUTO-3), a 2-24 organization never holds WI (REG-ELIG-1, REG-SIZE-1),
nothing changes outside the window (REG-WIN-1) or for a Staff User (REG-ELIG-9), a refusal
changes nothing, and replaying the events rebuilds the state."""

from __future__ import annotations

import pendulum
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from registration_helpers import BBH_ADDRESS, GUIDE_ID, JANE, JOHN, YEARS, bbh

import qpp_rules as qr
from qpp_rules.access import Actor, Role
from qpp_rules.policy.unknown import known
from qpp_rules.registration import (
    AddContact,
    Address,
    Cancel,
    ChangeSize,
    Command,
    Contact,
    DeleteContact,
    EditContact,
    Program,
    Register,
    Registration,
    SizeBand,
    UpdateOrganization,
    carry_over,
    decide,
    replay,
)

PAT = Contact("Pat", "Lee", "plee@betterhealth.com", "410-555-0100")
HALF = Contact("Sam", "Roe", "", "")
CONTACTS = st.sampled_from([JANE, JOHN, PAT, HALF])
ADDRESSES = st.sampled_from(
    [BBH_ADDRESS, Address("1 Main St", "Towson", "MD", "21204"), Address("", "Towson", "MD", "")]
)
PROGRAMS = st.sampled_from(Program)
SIZES = st.sampled_from(SizeBand)

commands: st.SearchStrategy[Command] = st.one_of(
    st.builds(
        Register,
        PROGRAMS,
        st.one_of(SIZES.map(bbh), st.none()),
        st.one_of(
            st.lists(st.sampled_from([JANE, JOHN, PAT]), min_size=1, max_size=3, unique=True),
            st.lists(CONTACTS, max_size=3, unique=True),
        ).map(tuple),
        st.sampled_from([None, GUIDE_ID, "777777"]),
    ),
    st.builds(Cancel, PROGRAMS, st.booleans()),
    st.builds(ChangeSize, SIZES, st.booleans()),
    st.tuples(
        st.sampled_from([None, "Better Business Health", "BBH Renamed"]),
        st.one_of(st.none(), ADDRESSES),
    )
    .filter(lambda pair: pair != (None, None))
    .map(lambda pair: UpdateOrganization(name=pair[0], address=pair[1])),
    st.builds(AddContact, CONTACTS),
    st.builds(EditContact, CONTACTS, CONTACTS),
    st.builds(DeleteContact, CONTACTS),
)
SO = Actor(qr.OrgType.PRACTICE, Role.SECURITY_OFFICIAL)
actors = st.sampled_from(
    [
        *[SO] * 6,
        Actor(qr.OrgType.PRACTICE, Role.STAFF_USER),
        Actor(qr.OrgType.VIRTUAL_GROUP, Role.SECURITY_OFFICIAL),
    ]
)


class RegistrationMachine(RuleBasedStateMachine):
    """One organization's record through random commands at random instants."""

    def __init__(self) -> None:
        super().__init__()
        self.policy = qr.policy_for(2021)
        self.state: Registration | None = None
        self.first_id: str | int | None = None
        self.had_contact = True  # False only for an automatic record begun with no contact

    @initialize(year=st.sampled_from(YEARS), carried=st.booleans(), automatic=st.booleans())
    def start(self, year: int, carried: bool, automatic: bool) -> None:
        self.policy = qr.policy_for(year)
        if automatic:  # REG-AUTO-1 with no previous record: no contact yet
            self.state = carry_over(
                None, bbh(SizeBand.LARGE, submitted_web_interface_prior_year=True), self.policy
            )
            assert self.state is not None
            assert self.state.contacts == ()
            self.first_id = self.state.registration_id
            self.had_contact = False
        elif carried and year > min(YEARS):
            previous = Registration(
                "17000042", bbh(SizeBand.LARGE), (JANE,), frozenset(Program), year=year - 1
            )
            self.state = carry_over(
                previous, bbh(SizeBand.LARGE, submitted_web_interface_prior_year=True),
                self.policy,
            )
            assert self.state is not None
            assert self.state.programs == frozenset({Program.WEB_INTERFACE})  # REG-AUTO-2
            self.first_id = self.state.registration_id

    def _instant(self, permille: int, utc: bool) -> pendulum.DateTime:
        """An instant ``permille`` thousandths of the way through the window (below 0 and
        from 1000 on: outside it)."""
        window = known(self.policy, "registration.window", "REG-WIN-1")
        span = int((window.closes - window.opens).total_seconds())
        at: pendulum.DateTime = window.opens.add(seconds=span * permille // 1000)
        return at.in_timezone("UTC") if utc else at

    @rule(
        command=commands,
        offset=st.one_of(st.integers(0, 999), st.integers(-200, 1200)),
        at_close=st.sampled_from([*[None] * 12, -1, 0, 1]),
        utc=st.booleans(),
        actor=actors,
    )
    def act(
        self, command: Command, offset: int, at_close: int | None, utc: bool, actor: Actor
    ) -> None:
        window = known(self.policy, "registration.window", "REG-WIN-1")
        at = self._instant(offset, utc) if at_close is None else window.closes.add(seconds=at_close)
        self._check(command, at, actor)

    @precondition(lambda self: self.state is None)
    @rule(
        program=PROGRAMS,
        size=SIZES,
        contacts=st.lists(st.sampled_from([JANE, JOHN, PAT]), min_size=1, max_size=3,
                          unique=True),
        permille=st.integers(0, 999),
    )
    def register_first(
        self, program: Program, size: SizeBand, contacts: list[Contact], permille: int
    ) -> None:
        """The first registration, mostly well-formed, so that the record exists early."""
        command = Register(program, bbh(size), tuple(contacts))
        self._check(command, self._instant(permille, False), SO)

    def _check(self, command: Command, at: pendulum.DateTime, actor: Actor) -> None:
        window = known(self.policy, "registration.window", "REG-WIN-1")
        before = self.state
        outcome = decide(before, command, at=at, policy=self.policy, actor=actor)
        open_now = window.contains(at)
        if not open_now:  # REG-WIN-1: nothing changes outside the window
            assert not outcome.accepted
            assert outcome.refusal is not None
            assert "REG-WIN-1" in outcome.refusal.rule_ids
        if actor.role is Role.STAFF_USER:  # REG-ELIG-9
            assert not outcome.accepted
        if outcome.accepted:
            assert outcome.refusal is None
            assert outcome.events
            assert replay(outcome.events, before) == outcome.state
            notified = known(self.policy, "registration.notified_events", "REG-REC-5")
            expected = 0
            current = before
            for event in outcome.events:
                current = replay((event,), current)
                assert current is not None
                if event.kind in notified:
                    expected += len(current.contacts)
            assert len(outcome.notifications) == expected  # REG-REC-5
        else:
            assert outcome.state is before
            assert outcome.events == ()
            assert outcome.notifications == ()
            assert outcome.refusal is not None
            assert outcome.refusal.reasons
            assert all(r.rule_id.startswith("REG-") for r in outcome.refusal.reasons)
        self.state = outcome.state
        if self.state is not None and self.state.contacts:
            self.had_contact = True

    @invariant()
    def the_registration_id_never_changes(self) -> None:
        """REG-REC-1."""
        if self.state is None:
            return
        if self.first_id is None:
            self.first_id = self.state.registration_id
        assert self.state.registration_id == self.first_id

    @invariant()
    def a_registration_keeps_a_contact(self) -> None:
        """REG-REC-4 (and REG-REC-2: every contact is complete): every record made by
        Register has a contact; an automatic one begun with none has one from the first
        added on."""
        if self.state is not None:
            if self.had_contact:
                assert self.state.contacts
            else:
                assert self.state.contacts == ()
            assert all(contact.is_complete for contact in self.state.contacts)

    @invariant()
    def a_small_organization_never_holds_wi(self) -> None:
        """REG-ELIG-1 / REG-SIZE-1."""
        if self.state is not None and self.state.organization.size is SizeBand.SMALL:
            assert Program.WEB_INTERFACE not in self.state.programs

    @invariant()
    def replaying_the_history_rebuilds_the_record(self) -> None:
        """evolve: the record is the fold of its history from None."""
        if self.state is not None:
            assert replay(self.state.history) == self.state
            assert self.state.year == self.policy.year


RegistrationMachine.TestCase.settings = settings(
    RegistrationMachine.TestCase.settings, stateful_step_count=25
)
TestRegistrationMachine = RegistrationMachine.TestCase
