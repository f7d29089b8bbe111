"""qpp_rules.testing: the strategies other suites use generate valid values, and
the invariants hold over what they generate (REG-REC-1, REG-REC-4, REG-ELIG-1,
ELE-FINAL-1, ACC-PERM-1)."""

from __future__ import annotations

import importlib
import importlib.util
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules import testing as qrst
from qpp_rules.access import Actor, Permission, Role, permissions
from qpp_rules.election import (
    Choice,
    ElectionLedger,
    LowVolumeFacts,
    OptInStatus,
    Participant,
    elect,
)
from qpp_rules.policy.unknown import known
from qpp_rules.registration import Organization, Program, options

ROOT = Path(__file__).resolve().parents[2]


@given(st.from_type(qr.NPI))
def test_from_type_npi_gives_valid_npis(npi: qr.NPI) -> None:
    assert qr.NPI.is_valid(npi.value)
    assert npi.has_valid_check_digit


@given(st.from_type(qr.TIN), st.from_type(qr.VendorId), st.from_type(qr.PTAN))
def test_from_type_identifiers(tin: qr.TIN, vendor: qr.VendorId, ptan: qr.PTAN) -> None:
    assert qr.TIN.is_valid(tin.value)
    assert qr.VendorId.is_valid(vendor.value)
    assert qr.PTAN.is_valid(ptan.value)
    assert tin.value not in repr(tin)


@given(qrst.organizations(), qrst.policy_years())
def test_generated_organizations_get_explained_answers(org: Organization,
                                                       policy: qr.PolicyYear) -> None:
    """REG-ELIG-1: a 2-24 organization is never offered the Web Interface."""
    found = options(org, policy)
    for decision in (found.web_interface, found.cahps):
        assert decision.reasons
    if org.size is qr.SizeBand.SMALL:
        assert not found.web_interface


@given(st.from_type(Organization))
def test_from_type_organization(org: Organization) -> None:
    assert isinstance(org.kind, qr.OrgType)


@given(qrst.reforms())
def test_reforms_are_valid_policy_years(policy: qr.PolicyYear) -> None:
    assert known(policy, "registration.web_interface_min_clinicians", "REG-ELIG-1") >= 2
    assert policy.label.startswith("PY")


@given(qrst.low_volume_facts())
def test_low_volume_facts_near_the_threshold(facts: LowVolumeFacts) -> None:
    from qpp_rules.election import opt_in_status

    assert opt_in_status(facts, qr.policy_for(2019)) in set(OptInStatus)


@settings(max_examples=50)
@given(qrst.registration_states())
def test_registration_states_keep_their_invariants(state: Any) -> None:
    """REG-REC-4: at least one contact; REG-ELIG-1: 2-24 never holds the Web Interface."""
    assert state is not None
    assert len(state.contacts) >= 1
    if state.organization.size is qr.SizeBand.SMALL:
        assert Program.WEB_INTERFACE not in state.programs
    assert state.registration_id


@settings(max_examples=30)
@given(qrst.election_ledgers(), qrst.participants(), st.sampled_from(list(Choice)))
def test_a_confirmed_election_never_changes(ledger: ElectionLedger, participant: Participant,
                                            choice: Choice) -> None:
    """ELE-FINAL-1: electing again for anyone already in the ledger is refused."""
    policy = qr.policy_for(2019)
    assert policy.election.window is not None
    at = policy.election.window.opens.add(days=1)
    for existing in ledger.elections:
        before = ledger.elections
        again = elect(ledger, existing, choice, at=at, policy=policy,
                      confirmation="CONFIRM", actor=Actor(qr.OrgType.PRACTICE,
                                                          Role.SECURITY_OFFICIAL),
                      status=OptInStatus.OPT_IN_ELIGIBLE)
        if choice is not Choice.NO_DECISION:
            assert not again.accepted
        assert ledger.elections == before


@given(qrst.policy_years(), st.sampled_from(list(qr.OrgType)))
def test_no_staff_user_ever_registers(policy: qr.PolicyYear, kind: qr.OrgType) -> None:
    """ACC-PERM-1 / REG-ELIG-9."""
    granted = permissions(kind, Role.STAFF_USER, policy)
    assert Permission.REGISTER_WEB_INTERFACE not in granted
    assert Permission.REGISTER_CAHPS not in granted


@given(qrst.aware_datetimes())
def test_aware_datetimes_are_aware(at: Any) -> None:
    assert at.tzinfo is not None
    known(qr.policy_for(2019), "registration.window", "REG-WIN-1").contains(at)


# ---------------------------------------------------------------------------------------------
# st.from_type for every public value type, registered through Hypothesis's entry point
# ---------------------------------------------------------------------------------------------
def _public_value_types() -> list[type]:
    from qpp_rules.access import AccessState, Evidence, Member, OrganizationRecord, Request
    from qpp_rules.election import Election, ElectionLedger
    from qpp_rules.policy import AccessPolicy, ElectionPolicy, RegistrationPolicy, SamplingPolicy
    from qpp_rules.registration import Address, Contact, Registration

    return [
        qr.TIN, qr.NPI, qr.PTAN, qr.ApmEntityId, qr.PracticeSiteId, qr.VirtualGroupId,
        qr.VendorId, qr.Window, qr.PolicyYear, qr.Citation, qr.Reason, qr.Decision,
        qr.LowVolumeThreshold, qr.Outcome, RegistrationPolicy, ElectionPolicy, AccessPolicy,
        SamplingPolicy, Organization, Address, Contact, Registration, LowVolumeFacts,
        Participant, Election, ElectionLedger, AccessState, OrganizationRecord, Member,
        Request, Evidence,
    ]


@pytest.mark.parametrize("kind", _public_value_types(), ids=lambda kind: kind.__name__)
def test_from_type_builds_every_public_value_type(kind: type) -> None:
    @settings(max_examples=5, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(st.from_type(kind))
    def check(value: object) -> None:
        assert isinstance(value, kind)

    check()


def test_the_setup_hook_is_what_the_entry_point_names() -> None:
    """pyproject.toml's ``hypothesis`` entry point names the hook, and the hook registers."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    target = project["entry-points"]["hypothesis"]["_"]
    module, _, name = target.partition(":")
    hook = getattr(importlib.import_module(module), name)
    from qpp_rules._hypothesis_hook import _hypothesis_setup_hook

    assert hook is _hypothesis_setup_hook
    hook()
    assert st.from_type(qr.Window) is not None


_FRESH = """
import sys
from hypothesis import given, settings, strategies as st
from qpp_rules import Window
from qpp_rules.registration import Organization
assert "qpp_rules.testing" not in sys.modules or "hypothesis" in sys.modules
found = []
@settings(max_examples=20, database=None)
@given(st.from_type(Organization), st.from_type(Window))
def check(org, window):
    assert isinstance(org, Organization) and org.clinicians is not None
    assert window.contains(window.opens)
    found.append(org.kind)
check()
print(len(found), "ok")
"""


def _installed_entry_point(python: str) -> bool:
    probe = ("from importlib.metadata import entry_points; print(any("
             "e.value == 'qpp_rules._hypothesis_hook:_hypothesis_setup_hook' "
             "for e in entry_points(group='hypothesis')))")
    done = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True,
                          env=_clean_env())
    return done.stdout.strip() == "True"


def _clean_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


@pytest.fixture(scope="module")
def python_with_the_entry_point(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A Python whose installed qpp_rules carries this checkout's entry points: the running
    one when its metadata has them (an install of this checkout, as CI's), else a virtual
    environment holding a wheel built from this checkout (dependencies from the running one)."""
    if _installed_entry_point(sys.executable) and importlib.util.find_spec("qpp_rules") and \
            Path(importlib.import_module("qpp_rules").__file__ or "").is_relative_to(ROOT):
        return sys.executable
    if importlib.util.find_spec("hatchling") is None:
        pytest.skip("hatchling is needed to build a wheel of this checkout")
    where = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(where), str(ROOT)], check=True, env=_clean_env())
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    python = str(venv / "bin" / "python")
    wheel = next(where.glob("qpp_rules-*.whl"))
    subprocess.run([python, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True, env=_clean_env())
    if not _installed_entry_point(python):
        pytest.skip("the installed metadata lacks the hypothesis entry point")
    return python


def test_from_type_works_in_a_fresh_interpreter_without_importing_testing(
    python_with_the_entry_point: str, tmp_path: Path
) -> None:
    """The user's suite imports only hypothesis and qpp_rules: Hypothesis loads the entry
    point itself."""
    done = subprocess.run([python_with_the_entry_point, "-c", _FRESH], capture_output=True,
                          text=True, cwd=tmp_path, env=_clean_env())
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "20 ok"


# ---------------------------------------------------------------------------------------------
# organizations() and election_ledgers()
# ---------------------------------------------------------------------------------------------
def test_organizations_have_exact_counts_addresses_and_useful_kind_proportions() -> None:
    """REG-ELIG-1/2 edges: an exact count in the org's size band and an address on every
    organization; over many draws Practices are the most common kind and every kind
    appears."""
    kinds: Counter[qr.OrgType] = Counter()

    @settings(max_examples=300, database=None, deadline=None, derandomize=True)
    @given(qrst.organizations())
    def check(org: Organization) -> None:
        assert org.clinicians is not None
        assert qr.SizeBand.from_clinicians(org.clinicians) is org.size
        assert org.address is not None
        kinds[org.kind] += 1

    check()
    assert kinds.most_common(1)[0][0] is qr.OrgType.PRACTICE
    assert set(kinds) == set(qr.OrgType)


@settings(max_examples=30, database=None, deadline=None)
@given(qrst.election_ledgers())
def test_election_ledgers_never_yield_none_unless_asked(ledger: ElectionLedger) -> None:
    assert ledger is not None
    assert ledger.elections


def test_election_ledgers_yield_none_when_asked() -> None:
    assert find(qrst.election_ledgers(allow_none=True), lambda ledger: ledger is None,
                settings=settings(database=None)) is None


def test_importing_the_strategies_first_is_not_a_circular_import() -> None:
    """``import qpp_rules.testing`` in a fresh interpreter (it imports Hypothesis, whose entry
    point calls the library's hook) works, with or without the entry point installed."""
    done = subprocess.run(
        [sys.executable, "-c", "import qpp_rules.testing as t; print(callable(t.organizations))"],
        capture_output=True, text=True, env=os.environ.copy(), check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True"
