"""The one answer cache (``qpp_rules.kernel.cache``): keyed by the rule's identity, bounded,
never poisoned by a caller's rule, nothing half-built kept."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import pytest

import qpp_rules as qr
from qpp_rules.analysis import QUESTIONS, Answer, Question, evaluate
from qpp_rules.kernel import AnswerCache
from qpp_rules.registration import Organization, options

RECORDS = [
    {"org_id": "A", "kind": "Practice", "clinicians": 30},
    {"org_id": "B", "kind": "Practice", "clinicians": 10},
]


def test_a_callers_question_reusing_a_builtin_name_leaves_builtin_answers_unchanged() -> None:
    policy = qr.reform(qr.policy_for(2019), {}, label="fresh cache")
    before = evaluate(RECORDS, policy).column("web_interface")

    def always_yes(facts: tuple[Any, ...], policy: qr.PolicyYear) -> Answer:
        return Answer("yes", ("MY-RULE-1",))

    impostor = Question("web_interface", QUESTIONS[0].columns, always_yes)
    assert evaluate(RECORDS, policy, [impostor]).column("web_interface") == ("yes", "yes")
    assert evaluate(RECORDS, policy).column("web_interface") == before
    assert before != ("yes", "yes")


def always_no(facts: tuple[Any, ...], policy: qr.PolicyYear) -> Answer:
    return Answer("no", ("MY-RULE-1",))


@pytest.mark.parametrize("ask", ["evaluate", "compare", "compare_many", "sweep"])
def test_two_questions_of_one_name_are_refused_by_every_table(ask: str) -> None:
    from qpp_rules import analysis

    impostor = Question("web_interface", ("clinicians",), always_no)
    asked = [*QUESTIONS, impostor]
    py2019, py2021 = qr.policy_for(2019), qr.policy_for(2021)
    calls: dict[str, Callable[[], object]] = {
        "evaluate": lambda: analysis.evaluate(RECORDS, py2019, asked),
        "compare": lambda: analysis.compare(RECORDS, py2019, py2021, asked),
        "compare_many": lambda: analysis.compare_many(RECORDS, [py2019, py2021], asked),
        "sweep": lambda: analysis.sweep(RECORDS, py2019,
                                        "registration.web_interface_min_clinicians", [10], asked),
    }
    with pytest.raises(qr.InvalidInput, match=r"questions\[4\]\.name: 'web_interface' is the"):
        calls[ask]()


def test_a_question_returning_junk_raises_and_poisons_nothing() -> None:
    policy = qr.reform(qr.policy_for(2019), {}, label="fresh cache")

    def junk(facts: tuple[Any, ...], policy: qr.PolicyYear) -> Answer:
        return "not an answer"  # type: ignore[return-value]

    impostor = Question("web_interface", QUESTIONS[0].columns, junk)
    with pytest.raises(qr.QppRulesError, match="nothing was cached"):
        evaluate(RECORDS, policy, [impostor])
    with pytest.raises(qr.QppRulesError):  # raises again: the junk was not kept
        evaluate(RECORDS, policy, [impostor])
    assert evaluate(RECORDS, policy).column("web_interface")[0] in {"yes", "no"}


def test_a_rule_that_raises_leaves_nothing_in_the_cache() -> None:
    cache = AnswerCache()

    def broken() -> str:
        raise RuntimeError("the caller's code failed")

    with pytest.raises(RuntimeError):
        cache.answer(("rule", 1), broken)
    assert ("rule", 1) not in cache
    assert len(cache) == 0


def test_the_cache_stays_within_its_limit_however_many_distinct_organizations() -> None:
    policy = qr.reform(qr.policy_for(2019), {}, label="fresh cache")
    limit = policy.answers.limit
    for count in range(2, 2 + limit + 500):
        band = qr.SizeBand.from_clinicians(count)
        options(Organization(qr.OrgType.PRACTICE, band, clinicians=count), policy)
    assert len(policy.answers) <= limit


def test_an_evicted_answer_is_rebuilt_equal() -> None:
    policy = qr.reform(qr.policy_for(2019), {}, label="fresh cache")
    first = options(Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, clinicians=30), policy)
    policy.answers.clear()
    again = options(Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, clinicians=30), policy)
    assert again == first


def test_racing_threads_share_the_first_answer_stored() -> None:
    cache = AnswerCache(limit=4)
    results: list[object] = []

    def work() -> None:
        for n in range(200):
            answer = functools.partial(tuple, ("answer", n % 3))
            results.append(cache.answer(("rule", n % 3), answer))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) <= 4
    assert {r for r in results} == {("answer", 0), ("answer", 1), ("answer", 2)}


@pytest.mark.parametrize("limit", [0, -1, True, 1.5, "8"])
def test_a_cache_limit_must_be_a_positive_whole_number(limit: Any) -> None:
    with pytest.raises(qr.QppRulesError, match="limit"):
        AnswerCache(limit=limit)


def test_a_policy_copies_and_pickles_with_an_empty_cache_of_the_same_limit() -> None:
    import copy
    import pickle

    policy = qr.policy_for(2019)
    options(Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM), policy)
    assert len(policy.answers) > 0
    for twin in (copy.deepcopy(policy), pickle.loads(pickle.dumps(policy))):
        assert twin == policy
        assert twin.answers is not policy.answers
        assert len(twin.answers) == 0
        assert twin.answers.limit == policy.answers.limit


def test_a_question_whose_keys_are_unhashable_is_invalid_input_naming_it() -> None:
    def answer(facts: tuple[Any, ...], policy: qr.PolicyYear) -> Answer:
        return Answer("yes", ())

    def listed(facts: tuple[Any, ...], policy: qr.PolicyYear) -> Any:
        return list(facts)

    odd = Question("odd", ("clinicians",), answer, keys=listed)
    with pytest.raises(qr.InvalidInput, match=r"^question 'odd'\.keys: a hashable key"):
        evaluate(RECORDS, qr.policy_for(2019), [odd])
