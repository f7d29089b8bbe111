"""The questions a population is asked, each decided by the library's scalar rules.

A :class:`Question` names the columns it reads and decides one distinct combination of them
under a policy; the population path decides each distinct combination once and broadcasts
the :class:`Answer` (through the policy's one answer cache, ``policy.answers``).

>>> import qpp_rules as qr
>>> from qpp_rules.analysis import QUESTIONS
>>> [q.name for q in QUESTIONS]
['web_interface', 'cahps', 'automatic', 'opt_in_status']
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

import attrs

from qpp_rules.analysis.classes import Classes
from qpp_rules.analysis.columns import COLUMNS
from qpp_rules.errors import InvalidInput, QppRulesError, UnknownPolicyValue
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.policy.model import PolicyYear, _check_fields
from qpp_rules.registration.values import _MAX_CLINICIANS
from qpp_rules.vocabulary import Program, SizeBand

__all__ = ["QUESTIONS", "Answer", "Question"]

K = TypeVar("K", bound=Hashable)


@attrs.frozen(cache_hash=True)
class Answer:
    """One question's answer for one combination of facts, with the deciding rule IDs and
    (not shown in the repr) a readable sentence of why.

    >>> import qpp_rules as qr
    >>> from qpp_rules.analysis import evaluate
    >>> records = [{"org_id": "A", "kind": "Practice", "clinicians": 10}]
    >>> (answer,) = evaluate(records, qr.policy_for(2019)).answers("web_interface").values()
    >>> answer
    Answer(value='no', rule_ids=('REG-ELIG-1',))
    >>> answer.why  # doctest: +ELLIPSIS
    'The CMS Web Interface needs 25 or more clinicians: 10 do not, so the CMS Web ...'
    """

    value: str
    rule_ids: tuple[str, ...]
    why: str = attrs.field(default="", repr=False)

    def __attrs_post_init__(self) -> None:
        _check_fields(self)


@attrs.frozen(cache_hash=True)
class Question:
    """A question asked of every organization: its ``name``, the ``columns`` it reads, and
    ``decide(facts, policy) -> Answer`` over the tuple of those columns' parsed values.
    ``keys(facts, policy)`` optionally turns one distinct tuple of facts into the facts the
    decision reads under that policy (a threshold's comparisons), so that equal keys share
    one decision. ``classes`` optionally says how facts fall into classes that share an
    answer under a policy, for counting many policies
    (:class:`~qpp_rules.analysis.classes.Classes`). ``answers`` optionally lists the answers
    it can give, and ``allowed`` the one of them that says the organization may (what
    ``PolicyTable.count`` and ``.plot`` read when no answer is named).

    >>> import qpp_rules as qr
    >>> from qpp_rules.analysis import evaluate
    >>> def decide(facts, policy):
    ...     return Answer("yes" if facts[0] >= 25 else "no", ("REG-ELIG-1",))
    >>> large = Question("large", ("clinicians",), decide)
    >>> records = [{"org_id": "A", "kind": "Practice", "clinicians": 30},
    ...            {"org_id": "B", "kind": "Practice", "clinicians": 10}]
    >>> evaluate(records, qr.policy_for(2019), [large]).column("large")
    ('yes', 'no')
    """

    name: str
    columns: tuple[str, ...]
    decide: Callable[[tuple[Any, ...], PolicyYear], Answer]
    keys: Callable[[tuple[Any, ...], PolicyYear], Hashable] | None = None
    classes: Classes | None = None
    answers: tuple[str, ...] = ()
    allowed: str | None = None

    def __attrs_post_init__(self) -> None:
        _check_fields(self)
        if self.allowed is not None and self.answers and self.allowed not in self.answers:
            raise InvalidInput(f"question {self.name!r}.allowed",
                               f"one of its answers {list(self.answers)}; got {self.allowed!r}")

    def answer(self, facts: tuple[Any, ...], policy: PolicyYear) -> Answer:
        """The answer for one distinct tuple of facts, through ``policy.answers`` (the one
        answer cache, keyed by this question itself and the facts it decides on).

        >>> import qpp_rules as qr
        >>> from qpp_rules.analysis import QUESTIONS
        >>> from qpp_rules.vocabulary import OrgType, ReportingTrack
        >>> facts = (OrgType.PRACTICE, 30, None, False, None, False, ReportingTrack.APP)
        >>> QUESTIONS[0].answer(facts, qr.policy_for(2021)).rule_ids
        ('REG-ELIG-10',)
        """
        key = facts if self.keys is None else self.keys(facts, policy)
        try:
            found: Answer | None = policy.answers.get((self, key))
        except TypeError:  # a caller's ``keys`` returned a list, a dict, ...
            raise self._unhashable(key) from None
        if found is not None:
            return found
        return policy.answers.answer((self, key), lambda: self.decide(key, policy),  # type: ignore[arg-type]
                                     kind=Answer)

    def answer_all(self, facts: Mapping[K, tuple[Any, ...]],
                   policy: PolicyYear) -> dict[K, Answer]:
        """:meth:`answer` of each distinct tuple of ``facts`` (by key), in one pass.

        >>> import qpp_rules as qr
        >>> from qpp_rules.analysis import QUESTIONS
        >>> from decimal import Decimal
        >>> found = QUESTIONS[3].answer_all({"a": (Decimal(1), 1, 1), "b": (None, 1, 1)},
        ...                                 qr.policy_for(2019))
        >>> found["a"].value, found["b"].value
        ('exempt', 'unknown')
        """
        get, keys = policy.answers.get, self.keys
        answers: dict[K, Answer] = {}
        for name, values in facts.items():
            key = values if keys is None else keys(values, policy)
            try:
                found: Answer | None = get((self, key))
            except TypeError:  # a caller's ``keys`` returned a list, a dict, ...
                raise self._unhashable(key) from None
            answers[name] = found if found is not None else self.answer(values, policy)
        return answers

    def _unhashable(self, key: object) -> InvalidInput:
        return InvalidInput(
            f"question {self.name!r}.keys",
            f"a hashable key (a tuple of facts); got {a_or_an(type(key).__name__)}",
        )


# What the registration rules read: the organization's columns of a population (its type,
# then every column from its clinician count up to the low-volume facts).
_ORG_COLUMNS = ("kind", *COLUMNS[COLUMNS.index("clinicians"):COLUMNS.index("allowed_charges")])


def _organization(facts: tuple[Any, ...]) -> Any:
    from qpp_rules.registration import Organization

    named = dict(zip(_ORG_COLUMNS, facts, strict=True))  # the columns are its field names
    return Organization(size=SizeBand.from_clinicians(named["clinicians"]), **named)


def _answered(value: str, decision: Any) -> Answer:
    """An answer saying what the domain's ``decision`` says: its rules and its sentences."""
    return Answer(value, decision.rule_ids, " ".join(r.message for r in decision.reasons))


def _registration(facts: tuple[Any, ...], policy: PolicyYear, few: str,
                  read: Callable[[Any], Answer]) -> Answer:
    """``read`` of the organization the facts describe: fewer than 2 clinicians is no group
    (the registration domain says why); facts that describe no organization answer
    "invalid"."""
    from qpp_rules.registration.eligibility import too_few_clinicians

    refused = too_few_clinicians(facts[1], policy)
    if refused is not None:
        return _answered(few, refused)
    try:
        return read(_organization(facts))
    except QppRulesError as error:
        return Answer("invalid", (), f"These facts do not describe an organization: {error}")


def _may_hold(program: Program) -> Callable[[tuple[Any, ...], PolicyYear], Answer]:
    def decide(facts: tuple[Any, ...], policy: PolicyYear) -> Answer:
        from qpp_rules.registration import options

        def read(organization: Any) -> Answer:
            found = options(organization, policy)
            decision = found.web_interface if program is Program.WEB_INTERFACE else found.cahps
            return _answered("yes" if decision.allowed else "no", decision)

        return _registration(facts, policy, "no", read)

    return decide


def _automatic(facts: tuple[Any, ...], policy: PolicyYear) -> Answer:
    from qpp_rules.registration import automatic_registrations
    from qpp_rules.registration.automatic import explain_automatic

    def read(organization: Any) -> Answer:
        # The registration domain says why: no rule wording here.
        held = automatic_registrations(organization, policy)
        names = [p.name.lower() for p in Program if p in held]
        decision = explain_automatic(organization, policy)
        return _answered("+".join(names) if names else "none", decision)

    return _registration(facts, policy, "none", read)


def _low_volume_keys(facts: tuple[Any, ...], policy: PolicyYear) -> tuple[bool | None, ...]:
    # The threshold's own comparisons (LowVolumeThreshold.exceeded_by, the one LowVolumeFacts
    # makes): strictly greater (ELE-ELIG-1), None for a missing fact. tests/analysis pins that
    # this agrees with election.opt_in_status. A year that does not know its threshold
    # (POL-UNK-1) answers every record alike.
    limit = policy.election.low_volume
    if limit is None:
        return (False, False, False)
    return limit.exceeded_by(*facts)


def _opt_in(facts: tuple[Any, ...], policy: PolicyYear) -> Answer:
    from qpp_rules.election import LowVolumeFacts, explain_opt_in, opt_in_status
    from qpp_rules.election.eligibility import explain_missing_facts

    if any(flag is None for flag in facts):  # the election domain says why
        return _answered("unknown", explain_missing_facts(policy))
    charges, patients, services = facts
    low_volume = LowVolumeFacts.from_exceeded(
        allowed_charges=charges, patients=patients, covered_services=services
    )
    try:
        status = opt_in_status(low_volume, policy).name.lower()
    except UnknownPolicyValue:  # the year does not know its threshold: explain says so
        status = "unknown"
    return _answered(status, explain_opt_in(low_volume, policy))


def _org_static(facts: tuple[Any, ...]) -> Hashable:
    # What the registration rules read as it is; the clinician counts only through their
    # size band, their range and the split count's relation to the group (REG-ELIG-7).
    kind, clinicians, model, ssp, split, prior, track = facts
    band = (SizeBand.from_clinicians(clinicians) if 2 <= clinicians <= _MAX_CLINICIANS
            else clinicians < 2)
    shape = None if split is None else (0 <= split <= _MAX_CLINICIANS, split <= clinicians)
    return kind, model, ssp, prior, band, shape, track


def _org_bounds(policy: PolicyYear) -> tuple[tuple[Any, ...], ...]:
    table = policy.registration
    both = (table.web_interface_min_clinicians, table.cahps_min_clinicians)
    return both, both


_ORG_CLASSES = Classes(_org_static, (1, 4), _org_bounds,
                       ("registration.web_interface_min_clinicians",
                        "registration.cahps_min_clinicians"), ("registration",))


def _low_volume_bounds(policy: PolicyYear) -> tuple[tuple[Any, ...], ...]:
    limit = policy.election.low_volume
    if limit is None:  # not known for the year (POL-UNK-1): no threshold splits the facts
        return (), (), ()
    return (limit.allowed_charges,), (limit.patients,), (limit.covered_services,)


_LOW_VOLUME_CLASSES = Classes(lambda facts: tuple(v is None for v in facts), (0, 1, 2),
                              _low_volume_bounds,
                              ("election.low_volume.allowed_charges",
                               "election.low_volume.patients",
                               "election.low_volume.covered_services"), ("election",))

_YES_NO = ("yes", "no")

QUESTIONS: tuple[Question, ...] = (
    Question("web_interface", _ORG_COLUMNS, _may_hold(Program.WEB_INTERFACE),
             classes=_ORG_CLASSES, answers=_YES_NO, allowed="yes"),
    Question("cahps", _ORG_COLUMNS, _may_hold(Program.CAHPS), classes=_ORG_CLASSES,
             answers=_YES_NO, allowed="yes"),
    Question("automatic", _ORG_COLUMNS, _automatic, classes=_ORG_CLASSES,
             answers=("none", "web_interface", "cahps", "web_interface+cahps")),
    Question("opt_in_status", ("allowed_charges", "patients", "covered_services"), _opt_in,
             _low_volume_keys, _LOW_VOLUME_CLASSES,
             answers=("exempt", "opt_in_eligible", "mips_eligible", "unknown"),
             allowed="opt_in_eligible"),
)
"""The questions asked by default: may it register for the Web Interface, for CAHPS (``yes``
allowed); what it holds automatically (no answer says allowed); its opt-in status
(``opt_in_eligible`` allowed: it may choose to opt in)."""
