"""Explained decisions: every answer says which rule gave it and where that rule is written.

A :class:`Decision` is a value: equal inputs give equal decisions, and a decision can be
shared, cached and compared. Each :class:`Reason` carries the rule ID from the rule catalogue
(``spec/RULES.md``), a sentence a person can read, and the citation (guide and section).

>>> from qpp_rules import Decision, Reason
>>> why = Reason("REG-ELIG-2", "CAHPS needs 2 or more clinicians.", "REG-GUIDE-2019 IV")
>>> d = Decision.allow(why)
>>> bool(d)
True
>>> print(d.explain())
allowed
  - [REG-ELIG-2] CAHPS needs 2 or more clinicians. (REG-GUIDE-2019 IV)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

import attrs

from qpp_rules.errors import InvalidInput, mask_tins, shown
from qpp_rules.kernel.citations import Citation, as_citation

__all__ = ["Decision", "Outcome", "Reason", "accept", "refuse"]


def _text(field: str) -> Callable[[Any, Any, Any], None]:
    def check(_: Any, __: Any, value: Any) -> None:
        if not isinstance(value, str) or not value:
            raise InvalidInput(field, f"non-empty text; got {shown(value)}")

    return check


def _masked(value: Any) -> Any:
    return mask_tins(value) if isinstance(value, str) else value


@attrs.frozen(cache_hash=True)
class Reason:
    """Why: the rule ID, a sentence, and where the rule is written: ``citation`` is a
    :class:`Citation` (``source``, ``section``, ``quote``, ``rules``) whose ``str()`` is the
    short text; text given for it is read as that short text.

    The message is rendered text: free text a caller typed that it quotes (an organization
    or contact name) shows with anything shaped like a TIN masked, as in error messages.

    >>> r = Reason("ELE-CONF-1", "Confirmation is typing CONFIRM.", "ELECTION-GUIDE-2019")
    >>> r.rule_id, str(r.citation), r.citation.source
    ('ELE-CONF-1', 'ELECTION-GUIDE-2019', 'ELECTION-GUIDE-2019')
    >>> Reason("X-1", "Renamed to 'Clinic 123-45-6789'.", "an example").message
    "Renamed to 'Clinic *******6789'."
    """

    rule_id: str = attrs.field(validator=_text("rule_id"))
    message: str = attrs.field(converter=_masked, validator=_text("message"))
    citation: Citation = attrs.field(converter=as_citation)

    def __str__(self) -> str:
        return f"[{self.rule_id}] {self.message} ({self.citation})"


def _boolean(field: str) -> Callable[[Any, Any, Any], None]:
    def check(_: Any, __: Any, value: Any) -> None:
        if not isinstance(value, bool):
            raise InvalidInput(field, f"True or False; got {type(value).__name__}")

    return check


def _reasons(value: Iterable[Reason]) -> tuple[Reason, ...]:
    try:
        reasons = tuple(value)
    except TypeError:
        raise InvalidInput("reasons", "an iterable of Reason") from None
    for reason in reasons:
        if not isinstance(reason, Reason):
            raise InvalidInput("reasons", f"each reason is a Reason; got {type(reason).__name__}")
    return reasons


@attrs.frozen(cache_hash=True)
class Decision:
    """An answer (``allowed``) and the reasons behind it. ``bool(decision)`` is ``allowed``.

    >>> why = Reason("REG-ELIG-1", "WI needs 25 or more clinicians.", "REG-GUIDE-2019 IV")
    >>> no = Decision.refuse(why)
    >>> bool(no), no.rule_ids
    (False, ('REG-ELIG-1',))
    """

    allowed: bool = attrs.field(validator=_boolean("allowed"))
    reasons: tuple[Reason, ...] = attrs.field(default=(), converter=_reasons)

    @classmethod
    def allow(cls, *reasons: Reason) -> Decision:
        """A yes, with its reasons."""
        return cls(True, reasons)

    @classmethod
    def refuse(cls, *reasons: Reason) -> Decision:
        """A no, with its reasons."""
        return cls(False, reasons)

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The rule IDs of the reasons, in order."""
        return tuple(reason.rule_id for reason in self.reasons)

    def explain(self, quotes: bool = False) -> str:
        """The decision and every reason, one a line, as a person reads it; with
        ``quotes=True``, each reason's source sentence under it.

        >>> from qpp_rules.kernel.citations import Citation
        >>> c = Citation("REG-GUIDE-2019", "II", quote="CMS Web Interface (25 or more clinicians)")
        >>> print(Decision.allow(Reason("REG-ELIG-1", "30 is 25 or more.", c)).explain(quotes=True))
        allowed
          - [REG-ELIG-1] 30 is 25 or more. (REG-GUIDE-2019, II)
              "CMS Web Interface (25 or more clinicians)"
        """
        head = "allowed" if self.allowed else "refused"
        lines = [head]
        for reason in self.reasons:
            lines.append(f"  - {reason}")
            if quotes and reason.citation.quote:
                lines.append(f'      "{reason.citation.quote}"')
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()


def _sequence(field: str, value: Any) -> tuple[Any, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput(field, f"a sequence; got {type(value).__name__}")
    return tuple(value)


def _events(value: Any) -> tuple[Any, ...]:
    return _sequence("events", value)


def _notifications(value: Any) -> tuple[Any, ...]:
    return _sequence("notifications", value)


def _refusal(_: Any, __: Any, value: Any) -> None:
    if value is not None and not isinstance(value, Decision):
        raise InvalidInput("refusal", f"a Decision or None; got {type(value).__name__}")


S = TypeVar("S")
E = TypeVar("E")
N = TypeVar("N")


@attrs.frozen
class Outcome(Generic[S, E, N]):
    """What a lifecycle command did, in every domain: the events that happened (with the
    notifications they send) and the state after, or a refusal with its reasons and the state
    unchanged. ``counts`` carries per-kind tallies where a command has them (a registry
    upload's elections per choice), else None.

    >>> o = Outcome.refused("state", Decision.refuse(Reason("X-1", "no", "here")))
    >>> o.accepted, o.state, o.events, o.counts
    (False, 'state', (), None)
    """

    accepted: bool = attrs.field(validator=_boolean("accepted"))
    state: S
    events: tuple[E, ...] = attrs.field(default=(), converter=_events)
    notifications: tuple[N, ...] = attrs.field(default=(), converter=_notifications)
    refusal: Decision | None = attrs.field(default=None, validator=_refusal)
    counts: Any = None

    @classmethod
    def refused(cls, state: S, refusal: Decision) -> Outcome[S, E, N]:
        """A refused command: nothing happened, the state is the one given."""
        return cls(False, state, (), (), refusal)

    def __bool__(self) -> bool:
        return self.accepted

    def explain(self) -> str:
        """What happened, or why not; an upload's counts first. Anything shaped like a TIN
        is masked."""
        head = [] if self.counts is None else [_counted(self.counts)]
        if self.refusal is not None:
            return "\n".join([*head, self.refusal.explain()])
        lines = [*head, "accepted", *(f"  - {event}" for event in self.events)]
        lines += [f"  notify: {notification}" for notification in self.notifications]
        return mask_tins("\n".join(lines))  # events and notifications hold free text


def _counted(counts: Any) -> str:
    """The counts as text: their ``str``, or, for a value whose ``str`` fails (a datetime
    whose time zone gives an impossible offset), as a message shows it."""
    try:
        return mask_tins(str(counts))
    except Exception:  # the caller's value may fail in any way
        return shown(counts)


def accept(
    state: S,
    events: Iterable[E],
    evolve: Callable[[Any, E], S],
    notify: Callable[[S, E], Iterable[N]] | None = None,
    *,
    counts: Any = None,
) -> Outcome[S, E, N]:
    """The one way a decider accepts a command: fold ``events`` into ``state`` through the
    domain's ``evolve``, collecting ``notify(state_after, event)`` for each, and return the
    accepted :class:`Outcome` (the state after every event).

    >>> def evolve(total, event):
    ...     return (total or 0) + event
    >>> o = accept(None, (2, 3), evolve, lambda total, event: [f"now {total}"])
    >>> o.accepted, o.state, o.notifications
    (True, 5, ('now 2', 'now 5'))
    """
    happened = _sequence("events", events)
    if not callable(evolve):
        raise InvalidInput("evolve", f"the domain's evolve function; got {shown(evolve)}")
    if notify is not None and not callable(notify):
        raise InvalidInput("notify", f"a function or None; got {shown(notify)}")
    current: Any = state
    notes: list[N] = []
    for event in happened:
        current = evolve(current, event)
        if notify is not None:
            notes.extend(notify(current, event))
    return Outcome(True, current, happened, tuple(notes), None, counts)


def refuse(state: S, *reasons: Reason) -> Outcome[S, Any, Any]:
    """The one way a decider refuses a command: nothing happens, the state is the one given,
    and the refusal carries ``reasons``.

    >>> o = refuse("before", Reason("REG-WIN-1", "The window is closed.", "REG-GUIDE-2019, III"))
    >>> o.accepted, o.state, o.refusal.rule_ids
    (False, 'before', ('REG-WIN-1',))
    """
    return Outcome.refused(state, Decision.refuse(*reasons))
