"""Issue 7, concurrency: decisions made by 16 threads at once (each answer computed once per
distinct facts and policy, through ``policy.answers``, and shared) equal the sequential ones;
so does the first ``qr.policy_for`` after ``qpp_rules.policy.reload()``, raced by every thread:
one policy object, the same for all.

The interpreter is made to switch threads every microsecond while the threads run, so that
the answer caches are filled by several threads at once.
"""

from __future__ import annotations

import itertools
import sys
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from robustness_support import (
    NPI_1,
    NPI_2,
    RECORD,
    ROWS,
    TIN_FORMATTED,
    TIN_TEXT,
)

import qpp_rules as qr
import qpp_rules.policy
from qpp_rules import access, analysis, election, registration

THREADS = 16
YEARS = (2018, 2019, 2021)


@pytest.fixture
def busy_switching() -> Iterator[None]:
    """Switch threads as often as the interpreter allows, for the test's duration."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def run_together(work: Callable[[int], Any], threads: int = THREADS) -> list[Any]:
    """``work(i)`` in ``threads`` threads released together by a Barrier; the results in
    thread order (an exception in a thread is re-raised here)."""
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * threads
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in pool), "a thread did not finish"
    if errors:
        raise errors[0]
    return results


# -- the questions -----------------------------------------------------------------------------
def organizations() -> list[registration.Organization]:
    orgs = []
    for kind, size, prior in itertools.product(qr.OrgType, qr.SizeBand, (False, True)):
        fields: dict[str, Any] = {"submitted_web_interface_prior_year": prior}
        if kind is qr.OrgType.APM_ENTITY:
            fields["apm_model"] = qr.ApmModel.SHARED_SAVINGS_PROGRAM
        if kind is qr.OrgType.PRACTICE:
            fields["tin"] = TIN_TEXT
        orgs.append(registration.Organization(kind, size, **fields))
    orgs.append(registration.Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM,
                                          ssp_aco_participant=True))
    orgs.append(registration.Organization(qr.OrgType.PRACTICE, qr.SizeBand.LARGE,
                                          apm_model=qr.ApmModel.NEXT_GENERATION_ACO,
                                          split_tin_mips_clinicians=30))
    orgs.append(registration.Organization(qr.OrgType.PRACTICE, qr.SizeBand.SMALL,
                                          clinicians=24))
    return orgs


FACTS = [
    election.LowVolumeFacts(Decimal(charges), patients, services)
    for charges, patients, services in itertools.product(
        ("30000", "90000", "90000.01", "90300"), (100, 200, 201), (0, 200, 234))
] + [
    election.LowVolumeFacts.from_exceeded(allowed_charges=a, patients=b, covered_services=c)
    for a, b, c in itertools.product((True, False), repeat=3)
]

EVIDENCE = [
    access.Evidence(tin=TIN_FORMATTED, npi=NPI_1, ptan="AB1234"),
    access.Evidence(tin=TIN_TEXT, npi=NPI_2, ptan="CD5678"),
    access.Evidence(tin=TIN_TEXT, npi=NPI_2, ptan="AB1234"),
    access.Evidence(tin="0007656301", npi="1234567890", ptan="AB-12"),
    access.Evidence(),
    access.Evidence(tins=[TIN_TEXT, "001234567"]),
]
RECORDS = [
    RECORD,
    access.OrganizationRecord(qr.OrgType.VIRTUAL_GROUP, tins=[TIN_TEXT, "001234567"]),
    access.OrganizationRecord(qr.OrgType.REGISTRY, tins=[TIN_TEXT], vendor_id="1234567"),
]


def answers(policies: dict[int, qr.PolicyYear]) -> dict[str, Any]:
    """Every answer of the four questions, under the given policies."""
    out: dict[str, Any] = {}
    for year, policy in policies.items():
        for index, org in enumerate(organizations()):
            found = registration.options(org, policy)
            out[f"options {year} {index}"] = (found.web_interface, found.cahps)
        for index, facts in enumerate(FACTS):
            try:
                out[f"opt_in {year} {index}"] = (
                    election.opt_in_status(facts, policy), election.explain_opt_in(facts, policy)
                )
            except qr.QppRulesError as error:  # PY2018 facts without the services flag
                out[f"opt_in {year} {index}"] = str(error)
        table = analysis.evaluate([dict(row) for row in ROWS], policy)
        out[f"evaluate {year}"] = table.rows()
    for (r, record), (e, evidence) in itertools.product(enumerate(RECORDS), enumerate(EVIDENCE)):
        out[f"validate {r} {e}"] = access.validate_first_security_official(record, evidence)
    return out


def _sequential() -> dict[str, Any]:
    return answers({year: qr.policy_for(year) for year in YEARS})


# -- the tests ---------------------------------------------------------------------------------
def test_decisions_from_16_threads_equal_the_sequential_ones(busy_switching: None) -> None:
    """registration.options (REG-ELIG-*), election.opt_in_status (ELE-ELIG-1),
    access.validate_first_security_official (ACC-SO-1) and analysis.evaluate, asked by 16
    threads at once of freshly loaded policies (their caches empty): every thread's answers
    equal the sequential ones."""
    expected = _sequential()
    qpp_rules.policy.reload()  # fresh policies: empty caches, filled by the threads at once

    def work(index: int) -> dict[str, Any]:
        policies = {year: qr.policy_for(year) for year in YEARS}
        return answers(policies)

    results = run_together(work)
    for index, result in enumerate(results):
        assert result.keys() == expected.keys()
        different = [key for key in expected if result[key] != expected[key]]
        assert not different, f"thread {index} answered differently: {different[:5]}"


def test_the_first_policy_for_after_reload_is_one_policy_for_every_thread(
    busy_switching: None,
) -> None:
    """The catalogue is discovered once and each year's amended policy built once, however
    many threads ask first: they all get the same object (so its cache is shared), equal to
    the sequential answer."""
    sequential = {year: qr.policy_for(year) for year in YEARS}
    for _ in range(10):
        qpp_rules.policy.reload()

        def work(index: int) -> tuple[qr.PolicyYear, ...]:
            years = YEARS if index % 2 else tuple(reversed(YEARS))
            got = {year: qr.policy_for(year) for year in years}
            return tuple(got[year] for year in YEARS)

        results = run_together(work)
        for position, year in enumerate(YEARS):
            first = results[0][position]
            assert all(result[position] is first for result in results), year
            assert first == sequential[year]
            assert first.answers is qr.policy_for(year).answers
        assert set(YEARS) <= set(qr.available_years())


def test_one_cached_answer_is_shared_by_every_thread(busy_switching: None) -> None:
    """An explained answer is computed once per facts and policy and then shared: whichever
    thread fills the cache, every thread ends up holding equal answers, and later calls
    return the cached one."""
    qpp_rules.policy.reload()
    org = registration.Organization(qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, tin=TIN_TEXT)

    def work(index: int) -> registration.Options:
        return registration.options(org, qr.policy_for(2021))

    results = run_together(work)
    assert all(result == results[0] for result in results)
    assert registration.options(org, qr.policy_for(2021)) in results
