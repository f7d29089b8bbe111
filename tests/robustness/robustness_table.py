"""The explicit table of how to call every public name of qpp_rules with valid arguments.

Every callable public name of the modules in ``MODULES`` (enumerated from their ``__all__``,
so that a new name fails ``test_every_public_name_has_a_row`` until it is given a row here)
has a :class:`Spec`: the callable and one valid set of arguments, every parameter named (a
parameter with a default too, so that junk reaches it). The robustness tests then put junk
in each argument in turn. Attrs value types get their row from one valid instance.

Public methods that take input (``TIN.is_valid``, ``SizeBand.parse``, ``Window.contains``,
``PolicyYear.cite``, ``Population.column``, ...) have rows too, in ``METHODS``.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import attrs
from robustness_support import (
    ACCESS_AT,
    ACCESS_STATE,
    ADDRESS,
    CLINICIAN,
    ELECTION_OPEN,
    EVIDENCE,
    FACTS,
    FIRST_SO,
    JANE,
    JOHN,
    LEDGER,
    NPI_1,
    ORGANIZATION,
    PARTICIPANT,
    PENDING,
    POLICY_FILE,
    POLICY_TEXT,
    PRACTICE_SO,
    PY2018,
    PY2019,
    PY2021,
    RECORD,
    REGISTER,
    REGISTERED,
    REGISTRATION,
    REGISTRATION_OPEN,
    REGISTRY_SO,
    REQUEST,
    ROWS,
    TIN_FORMATTED,
    TIN_TEXT,
    payload,
    population,
)

import qpp_rules as qr
import qpp_rules.access as access
import qpp_rules.analysis as analysis
import qpp_rules.decisions as decisions
import qpp_rules.election as election
import qpp_rules.errors as errors
import qpp_rules.identifiers as identifiers
import qpp_rules.policy as policy
import qpp_rules.registration as registration
import qpp_rules.time as qtime

MODULES = (qr, registration, election, access, analysis, policy, identifiers, qtime, decisions)


@attrs.frozen
class Spec:
    """How to call ``func`` validly: ``args`` positionally, ``kwargs`` by name.

    ``answers``: the parameters where *any* junk must be answered, never raised on (the
    function's documented contract, e.g. ``is_valid`` and the evidence of
    ``validate_first_security_official``). ``baseline``: False for a row whose valid call is
    not made by the baseline test (the abstract ``Identifier`` refuses every text; ``reload``
    would drop every cached policy in the middle of the session).
    """

    func: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = attrs.field(factory=dict)
    answers: frozenset[str] = frozenset()
    baseline: bool = True

    def call(self) -> Any:
        return self.func(*self.args, **self.kwargs)

    def parameters(self) -> Iterator[tuple[str, Callable[[Any], Any]]]:
        """(name of the parameter, a call with junk in it) for every argument."""
        names = _positional_names(self.func, len(self.args))
        for index, name in enumerate(names):
            def positional(junk: Any, index: int = index) -> Any:
                args = (*self.args[:index], junk, *self.args[index + 1:])
                return self.func(*args, **self.kwargs)

            yield name, positional
        for name in self.kwargs:
            def keyword(junk: Any, name: str = name) -> Any:
                return self.func(*self.args, **{**self.kwargs, name: junk})

            yield name, keyword


def _positional_names(func: Callable[..., Any], count: int) -> list[str]:
    try:
        parameters = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return [f"arg{i}" for i in range(count)]
    names = [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    names += [f"arg{i}" for i in range(len(names), count)]
    return names[:count]


def of(instance: Any, func: Callable[..., Any] | None = None) -> Spec:
    """The row of a value type: its constructor, called with ``instance``'s own values (an
    attrs class's init fields; otherwise each parameter read back from the private attribute
    of that name, or the public one)."""
    cls = type(instance)
    if attrs.has(cls):
        kwargs = {
            field.alias: getattr(instance, field.name)
            for field in attrs.fields(cls)
            if field.init
        }
    else:
        names = [name for name in inspect.signature(cls).parameters if name != "self"]
        kwargs = {
            name: getattr(instance, f"_{name}") if hasattr(instance, f"_{name}")
            else getattr(instance, name)
            for name in names
        }
    return Spec(func if func is not None else cls, (), kwargs)


def _results() -> dict[str, Any]:
    """Valid instances made by the library itself."""
    out = registration.options(ORGANIZATION, PY2021)
    batch = election.elect_batch(
        None, {PARTICIPANT: election.Choice.OPT_IN}, at=ELECTION_OPEN, policy=PY2019,
        confirmation="CONFIRM", actor=REGISTRY_SO,
        statuses={PARTICIPANT: election.OptInStatus.OPT_IN_ELIGIBLE},
    )
    (individual, _group) = election.read_eligibility_payload(payload(), year=2019)
    evaluated = analysis.evaluate(population(), PY2019)
    return {
        "options": out,
        "batch": batch,
        "record": individual,
        "evaluation": evaluated,
        "comparison": analysis.Comparison(evaluated, evaluated),
        "policy_table": analysis.compare_many(population(), [PY2019, PY2021]),
        "sampling": registration.sampling_consequences(qr.Program.CAHPS, PY2019),
        "outcome": election.outcome_of(election.Choice.OPT_IN, group=True, policy=PY2019),
        "advice": access.organization_type_for(access.Represents.GROUP, vendor=True),
        "granted_outcome": access.decide(None, FIRST_SO, at=ACCESS_AT, policy=PY2019),
    }


RESULTS = _results()

_AT = REGISTRATION_OPEN
_RID = REGISTRATION.registration_id
_ELECTED = election.Elected(2019, PARTICIPANT, election.Choice.OPT_IN, ELECTION_OPEN,
                            qr.OrgType.PRACTICE)
_REASON = qr.Reason("REG-ELIG-1", "WI needs 25 or more clinicians.", "REG-GUIDE-2019 IV")
_DECISION = qr.Decision.refuse(_REASON)
_OUTCOME = registration.decide(
    None, REGISTER, at=REGISTRATION_OPEN, policy=PY2021, actor=PRACTICE_SO
)


@attrs.frozen
class _Masked:
    """A value holding free text, for the row of ``masked_repr``."""

    name: str = "Dr Lee"


def _keep(state: Any, event: Any) -> Any:
    return state


def _outcome_spec(alias: Any) -> Spec:
    return Spec(alias, (), {"accepted": True, "state": None, "events": (),
                            "notifications": (), "refusal": None})


# -- the table ---------------------------------------------------------------------------------
TABLE: dict[str, Spec] = {
    # identifiers
    "TIN": Spec(qr.TIN, (TIN_FORMATTED,)),
    "contact_list": Spec(registration.contact_list, ((JANE,),)),
    "issued_id": Spec(registration.issued_id, ("219043",)),
    "element_label": Spec(election.element_label, ("patients",)),
    "NPI": Spec(qr.NPI, (NPI_1,), {"check_digit": True}),
    "PTAN": Spec(qr.PTAN, ("AB1234",)),
    "ApmEntityId": Spec(qr.ApmEntityId, ("A1234",)),
    "PracticeSiteId": Spec(qr.PracticeSiteId, ("T1AR0058",)),
    "VirtualGroupId": Spec(qr.VirtualGroupId, ("VG-2019-0042",)),
    "VendorId": Spec(qr.VendorId, ("1234567",)),
    "Identifier": Spec(identifiers.Identifier, ("A1",), baseline=False),
    "npi_check_digit": Spec(identifiers.npi_check_digit, ("123456789",)),
    # time
    "Window": of(qr.Window(qr.eastern(2019, 4, 4, 10), qr.eastern(2019, 7, 1, 17))),
    "eastern": Spec(qr.eastern, (2019, 7, 1), {"hour": 17, "minute": 0, "second": 0}),
    "instant": Spec(qr.instant, (ELECTION_OPEN,), {"field": "at"}),
    # masking
    "mask": Spec(errors.mask, (TIN_TEXT,), {"keep": 4}),
    "mask_tins": Spec(errors.mask_tins, (f"TIN {TIN_TEXT}",)),
    "shown": Spec(errors.shown, (TIN_TEXT,), {"limit": 80}),
    "masked_repr": Spec(errors.masked_repr, (_Masked,)),
    "utc_key": Spec(qtime.utc_key, (ELECTION_OPEN,), {"field": "at"}),
    # decisions
    "Reason": of(_REASON),
    "Decision": of(_DECISION),
    "Outcome": of(_OUTCOME),
    "accept": Spec(decisions.accept, (None, (), _keep), {"notify": None, "counts": None}),
    "refuse": Spec(decisions.refuse, ("state", _REASON)),
    # policy
    "policy_for": Spec(qr.policy_for, (2019,), {"as_of": ELECTION_OPEN}),
    "available_years": Spec(qr.available_years),
    "plugin_errors": Spec(qr.plugin_errors),
    "reload": Spec(policy.reload, baseline=False),
    "load_policy_file": Spec(qr.load_policy_file, (POLICY_FILE,)),
    "load_policy_text": Spec(policy.load_policy_text, (POLICY_TEXT,), {"source": "py2019.toml"}),
    "reform": Spec(qr.reform, (PY2019, {"registration.web_interface_min_clinicians": 15}),
                   {"label": "WI at 15"}),
    "apply_changes": Spec(policy.apply_changes,
                          (PY2019, {"registration.cahps_min_clinicians": 3}), {"label": "x"}),
    "PolicyYear": of(PY2019),
    "RegistrationPolicy": of(PY2019.registration),
    "ElectionPolicy": of(PY2019.election),
    "AccessPolicy": of(PY2019.access),
    "SamplingPolicy": of(PY2019.registration.sampling),
    "LowVolumeThreshold": of(PY2019.election.low_volume),
    "Citation": of(PY2019.cite("registration.window")),
    "Erratum": of(PY2019.errata["registration.window"]),
    "Amendment": of(PY2019.known_amendments[0]),
    "FrozenMap": Spec(policy.FrozenMap, ({"a": 1},)),
    "policy_diff": Spec(qr.policy_diff, (PY2019, PY2021)),
    "PolicyChange": of(qr.policy_diff(PY2019, PY2021)[0]),
    "known": Spec(policy.known, (PY2019, "registration.window", "REG-WIN-1")),
    "refuse_unknown": Spec(policy.refuse_unknown, (PY2019, [("registration.window", "REG-WIN-1")])),
    "unknown_reason": Spec(policy.unknown_reason, (PY2019, "registration.window", "REG-WIN-1")),
    # registration
    "Address": of(ADDRESS),
    "Contact": of(JANE),
    "Organization": of(ORGANIZATION),
    "Options": of(RESULTS["options"]),
    "Register": of(REGISTER),
    "Cancel": of(registration.Cancel(qr.Program.CAHPS, confirmed=True)),
    "ChangeSize": of(registration.ChangeSize(qr.SizeBand.LARGE, confirmed=True)),
    "UpdateOrganization": of(registration.UpdateOrganization(name="BBH", address=ADDRESS)),
    "AddContact": of(registration.AddContact(JOHN)),
    "EditContact": of(registration.EditContact(JANE, JOHN)),
    "DeleteContact": of(registration.DeleteContact(JANE)),
    "Registered": of(REGISTERED),
    "CarriedOver": of(registration.CarriedOver(_RID, 2022, 2021, ORGANIZATION, (JANE,),
                                               frozenset({qr.Program.WEB_INTERFACE}))),
    "AutomaticallyRegistered": of(registration.AutomaticallyRegistered(
        _RID, 2021, ORGANIZATION, (JANE,), frozenset({qr.Program.WEB_INTERFACE}))),
    "Cancelled": of(registration.Cancelled(_RID, qr.Program.WEB_INTERFACE, _AT)),
    "SizeChanged": of(registration.SizeChanged(_RID, qr.SizeBand.LARGE, qr.SizeBand.MEDIUM,
                                               _AT)),
    "OrganizationUpdated": of(registration.OrganizationUpdated(_RID, "BBH", ADDRESS, _AT)),
    "ContactAdded": of(registration.ContactAdded(_RID, JOHN, _AT)),
    "ContactEdited": of(registration.ContactEdited(_RID, JANE, JOHN, _AT)),
    "ContactDeleted": of(registration.ContactDeleted(_RID, JANE, _AT)),
    "Registration": of(REGISTRATION),
    "registration.Notification": of(_OUTCOME.notifications[0]),
    "SamplingConsequences": of(RESULTS["sampling"]),
    "RegistrationOutcome": _outcome_spec(registration.RegistrationOutcome),
    "options": Spec(registration.options, (ORGANIZATION, PY2021)),
    "automatic_registrations": Spec(registration.automatic_registrations,
                                    (ORGANIZATION, PY2021)),
    "band_allows": Spec(registration.band_allows,
                        (qr.Program.WEB_INTERFACE, qr.SizeBand.SMALL, PY2019)),
    "minimum_clinicians": Spec(registration.minimum_clinicians, (qr.Program.CAHPS, PY2019)),
    "too_few_clinicians": Spec(registration.too_few_clinicians, (1, PY2021)),
    "has_app": Spec(registration.has_app, (PY2021,)),
    "registration_needed": Spec(registration.registration_needed, ("eCQMs", PY2019)),
    "cahps_required": Spec(registration.cahps_required, (ORGANIZATION, PY2021),
                           {"through_app": True}),
    "carry_over": Spec(registration.carry_over, (
        registration.Registration(_RID, ORGANIZATION, (JANE,),
                                  frozenset({qr.Program.WEB_INTERFACE}), year=2018),
        attrs.evolve(ORGANIZATION, submitted_web_interface_prior_year=True), PY2019),
        {"contacts": (JANE,), "registration_id": None}),
    "registration.decide": Spec(registration.decide, (None, REGISTER),
                                {"at": _AT, "policy": PY2021, "actor": PRACTICE_SO}),
    "registration.evolve": Spec(registration.evolve, (None, REGISTERED)),
    "replay": Spec(registration.replay, (REGISTRATION.history,), {"state": None}),
    "derive_registration_id": Spec(registration.derive_registration_id, (ORGANIZATION, 2021)),
    "sampling_consequences": Spec(registration.sampling_consequences,
                                  (qr.Program.WEB_INTERFACE, PY2021), {"ssp_aco": True}),
    "eligibility_table_markdown": Spec(registration.eligibility_table_markdown,
                                       ([PY2018, PY2019, PY2021],)),
    # election
    "LowVolumeFacts": of(FACTS),
    "ChoiceCounts": Spec(election.ChoiceCounts, ({election.Choice.OPT_IN: 2},)),
    "Participant": of(CLINICIAN),
    "Elected": of(_ELECTED),
    "Election": of(election.Election(election.Choice.OPT_IN, ELECTION_OPEN,
                                     qr.OrgType.PRACTICE)),
    "ElectionLedger": of(LEDGER.add(_ELECTED)),
    "ElectionOutcome": of(RESULTS["outcome"]),
    "EligibilityRecord": of(RESULTS["record"]),
    "ElectionResult": _outcome_spec(election.ElectionResult),
    "opt_in_status": Spec(election.opt_in_status, (FACTS, PY2019)),
    "explain_opt_in": Spec(election.explain_opt_in, (FACTS, PY2019)),
    "explain_missing_facts": Spec(election.explain_missing_facts, (PY2019,)),
    "outcome_of": Spec(election.outcome_of, (election.Choice.VOLUNTARY,),
                       {"group": True, "policy": PY2019}),
    "effective_final_score": Spec(election.effective_final_score, (80, 75.5)),
    "individual_election_needed": Spec(
        election.individual_election_needed, (election.OptInStatus.OPT_IN_ELIGIBLE,),
        {"submits_individual_data": True, "practice_reports_as_group": False}),
    "elect": Spec(election.elect, (LEDGER, PARTICIPANT, election.Choice.OPT_IN),
                  {"at": ELECTION_OPEN, "policy": PY2019, "confirmation": "CONFIRM",
                   "actor": PRACTICE_SO, "status": election.OptInStatus.OPT_IN_ELIGIBLE}),
    "elect_batch": Spec(election.elect_batch,
                        (LEDGER, {PARTICIPANT: election.Choice.OPT_IN,
                                  CLINICIAN: election.Choice.NO_DECISION}),
                        {"at": ELECTION_OPEN, "policy": PY2019, "confirmation": "CONFIRM",
                         "actor": REGISTRY_SO,
                         "statuses": {PARTICIPANT: election.OptInStatus.OPT_IN_ELIGIBLE,
                                      CLINICIAN: election.OptInStatus.EXEMPT}}),
    "election.evolve": Spec(election.evolve, (None, _ELECTED)),
    "election.replay": Spec(election.replay, ((_ELECTED,),), {"state": None}),
    "Elect": of(election.Elect(PARTICIPANT, election.Choice.OPT_IN,
                               election.OptInStatus.OPT_IN_ELIGIBLE, "CONFIRM")),
    "UploadElections": of(election.UploadElections(
        {PARTICIPANT: election.Choice.OPT_IN},
        {PARTICIPANT: election.OptInStatus.OPT_IN_ELIGIBLE}, "CONFIRM",
        files=(election.FileFormat.QPP_JSON,))),
    "election.decide": Spec(election.decide, (LEDGER, election.Elect(
        PARTICIPANT, election.Choice.OPT_IN, election.OptInStatus.OPT_IN_ELIGIBLE, "CONFIRM")),
        {"at": ELECTION_OPEN, "policy": PY2019, "actor": PRACTICE_SO}),
    "check_upload_files": Spec(election.check_upload_files,
                               ((election.FileFormat.QRDA_III_XML,), PY2019)),
    "OptInRow": of(election.OptInRow(CLINICIAN, election.OptInStatus.OPT_IN_ELIGIBLE,
                                     election.Choice.OPT_IN, 2019, 1, ELECTION_OPEN)),
    "read_opt_in_rows": Spec(election.read_opt_in_rows, ([{
        "tin": TIN_TEXT, "isOptInEligible": True, "isOptedIn": None, "year": 2019}],),
        {"year": 2019}),
    "opt_in_entities_header": Spec(election.opt_in_entities_header,
                                   ((PARTICIPANT, CLINICIAN),)),
    "may_submit_data": Spec(election.may_submit_data, (LEDGER.add(_ELECTED), PARTICIPANT),
                            {"status": election.OptInStatus.OPT_IN_ELIGIBLE,
                             "at": ELECTION_OPEN, "policy": PY2019}),
    "read_eligibility_payload": Spec(election.read_eligibility_payload, (payload(),),
                                     {"year": 2019}),
    # access
    "Actor": of(PRACTICE_SO),
    "OrganizationRecord": of(RECORD),
    "Evidence": of(EVIDENCE),
    "Request": of(REQUEST),
    "Member": of(ACCESS_STATE.members[0]),
    "AccessState": of(ACCESS_STATE),
    "RequestRole": of(FIRST_SO),
    "Approve": of(access.Approve(PENDING, by="ann@example.org")),
    "Deny": of(access.Deny(PENDING, by="ann@example.org")),
    "ChangeRole": of(access.ChangeRole("bob@example.org", access.Role.SECURITY_OFFICIAL,
                                       by="ann@example.org")),
    "RemoveUser": of(access.RemoveUser("bob@example.org", by="ann@example.org")),
    "RoleRequested": of(access.RoleRequested(REQUEST, RECORD)),
    "RoleGranted": of(access.RoleGranted(REQUEST, "ann@example.org", ACCESS_AT)),
    "RequestDenied": of(access.RequestDenied(REQUEST, "ann@example.org", ACCESS_AT)),
    "access.Notification": of(RESULTS["granted_outcome"].notifications[0]),
    "Connection": of(access.Connection(qr.OrgType.APM_ENTITY, qr.ApmModel.CPC_PLUS)),
    "TypeAdvice": of(RESULTS["advice"]),
    "AccessOutcome": _outcome_spec(access.AccessOutcome),
    "permissions": Spec(access.permissions,
                        (qr.OrgType.APM_ENTITY, access.Role.STAFF_USER, PY2019),
                        {"model": qr.ApmModel.CPC_PLUS},
                        answers=frozenset({"kind", "role", "policy", "model"})),
    "may": Spec(access.may,
                (qr.OrgType.PRACTICE, access.Role.SECURITY_OFFICIAL,
                 access.Permission.REGISTER_CAHPS, PY2019), {"model": None},
                answers=frozenset({"kind", "role", "permission", "policy", "model"})),
    "authorize": Spec(access.authorize, (PRACTICE_SO, access.Permission.SUBMIT_DATA, PY2019),
                      {"model": None},
                      answers=frozenset({"actor", "permission", "policy", "model"})),
    "validate_first_security_official": Spec(
        access.validate_first_security_official, (RECORD, EVIDENCE),
        answers=frozenset({"evidence"})),
    "required_evidence": Spec(access.required_evidence, (RECORD,)),
    "find_organization": Spec(access.find_organization,
                              ([RECORD], qr.OrgType.PRACTICE, TIN_TEXT), {"model": None},
                              answers=frozenset({"kind"})),
    "organization_type_for": Spec(access.organization_type_for, (access.Represents.GROUP,),
                                  {"vendor": False}),
    "access.decide": Spec(access.decide,
                          (ACCESS_STATE, access.Approve(PENDING, by="ann@example.org")),
                          {"at": ACCESS_AT, "policy": PY2019}),
    "access.evolve": Spec(access.evolve, (ACCESS_STATE, access.RoleRequested(REQUEST, RECORD))),
    "access.replay": Spec(access.replay, (RESULTS["granted_outcome"].events,), {"state": None}),
    "role_of": Spec(access.role_of, (ACCESS_STATE, "ann@example.org")),
    "pending_requests": Spec(access.pending_requests, (ACCESS_STATE,)),
    "security_officials": Spec(access.security_officials, (ACCESS_STATE,)),
    # analysis
    "Population": Spec(analysis.Population, (list(ROWS),),
                       {"source": "records", "start": 1, "lines": None}),
    "as_population": Spec(analysis.as_population, (list(ROWS),)),
    "evaluate": Spec(analysis.evaluate, (list(ROWS), PY2019),
                     {"questions": analysis.QUESTIONS}),
    "compare": Spec(analysis.compare, (list(ROWS), PY2019, PY2021),
                    {"questions": analysis.QUESTIONS}),
    "example_population": Spec(analysis.example_population),
    "Answer": of(analysis.Answer("yes", ("REG-ELIG-1",))),
    "Question": of(analysis.QUESTIONS[0]),
    "Evaluation": of(RESULTS["evaluation"]),
    "Comparison": of(RESULTS["comparison"]),
    "PolicyTable": of(RESULTS["policy_table"]),
    "compare_many": Spec(analysis.compare_many, (list(ROWS), [PY2019, PY2021]),
                         {"questions": None}),
    "sweep": Spec(analysis.sweep, (
        list(ROWS), PY2021, "registration.web_interface_min_clinicians", [10, 25]
    ), {"questions": None}),
}

_WINDOW = qr.Window(qr.eastern(2019, 4, 4, 10), qr.eastern(2019, 7, 1, 17))

METHODS: dict[str, Spec] = {
    "TIN.is_valid": Spec(qr.TIN.is_valid, (TIN_TEXT,), answers=frozenset({"text"})),
    "NPI.is_valid": Spec(qr.NPI.is_valid, (NPI_1,), {"check_digit": True},
                         answers=frozenset({"text", "check_digit"})),
    "PTAN.is_valid": Spec(qr.PTAN.is_valid, ("AB1234",), answers=frozenset({"text"})),
    "VirtualGroupId.is_valid": Spec(qr.VirtualGroupId.is_valid, ("VG-1",),
                                    answers=frozenset({"text"})),
    "TIN.validate": Spec(qr.TIN.validate, (TIN_TEXT,)),
    "NPI.validate": Spec(qr.NPI.validate, (NPI_1,), {"check_digit": False}),
    "TIN.compact": Spec(qr.TIN.compact, (TIN_FORMATTED,)),
    "PTAN.compact": Spec(qr.PTAN.compact, (" ab12 ",)),
    "SizeBand.from_clinicians": Spec(qr.SizeBand.from_clinicians, (25,)),
    "SizeBand.parse": Spec(qr.SizeBand.parse, ("25-99",)),
    "Window.contains": Spec(_WINDOW.contains, (qr.eastern(2019, 5, 1),)),
    "PolicyYear.cite": Spec(PY2019.cite, ("registration.window",)),
    "PolicyYear.value_at": Spec(PY2019.value_at, ("election.low_volume.patients",)),
    "LowVolumeFacts.from_exceeded": Spec(
        election.LowVolumeFacts.from_exceeded, (),
        {"allowed_charges": True, "patients": False, "covered_services": None}),
    "LowVolumeFacts.exceeds": Spec(FACTS.exceeds, (PY2019.election.low_volume,)),
    "ElectionLedger.add": Spec(LEDGER.add, (_ELECTED,)),
    "ElectionLedger.choice_of": Spec(LEDGER.add(_ELECTED).choice_of, (PARTICIPANT,)),
    "ElectionLedger.election_of": Spec(LEDGER.add(_ELECTED).election_of, (PARTICIPANT,)),
    "EligibilityRecord.status": Spec(RESULTS["record"].status, (PY2019,)),
    "Options.__getitem__": Spec(RESULTS["options"].__getitem__, (qr.Program.CAHPS,)),
    "Registration.holds": Spec(REGISTRATION.holds, (qr.Program.CAHPS,)),
    "AccessState.role_of": Spec(ACCESS_STATE.role_of, ("ann@example.org",)),
    "AccessState.pending_for": Spec(ACCESS_STATE.pending_for, ("bob@example.org",)),
    "Population.from_records": Spec(analysis.Population.from_records, (list(ROWS),),
                                    {"source": "records", "start": 1}),
    "Population.from_csv": Spec(analysis.Population.from_csv, (
        __import__("io").StringIO("org_id,kind,clinicians\nA,Practice,30\n"),)),
    "Population.from_dataframe": Spec(analysis.Population.from_dataframe, (
        __import__("pandas").DataFrame(
            [{"org_id": "A", "kind": "Practice", "clinicians": 30}]),),
        {"source": "people.parquet"}),
    "Population.column": Spec(population().column, ("clinicians",)),
    "Population.keys": Spec(population().keys, (("kind", "clinicians"),)),
    "Evaluation.column": Spec(RESULTS["evaluation"].column, ("web_interface",)),
    "Evaluation.counts": Spec(RESULTS["evaluation"].counts, ("web_interface",)),
    "Comparison.changes": Spec(RESULTS["comparison"].changes, ("web_interface",)),
    "Comparison.rules": Spec(RESULTS["comparison"].rules, ("web_interface",),
                             {"direction": ("no", "yes")}),
    "Comparison.rules_before": Spec(RESULTS["comparison"].rules_before, ("web_interface",),
                                    {"direction": None}),
}

EXEMPT: dict[str, str] = {
    "enum": "enum classes: ``OrgType(x)`` is Python's own lookup by value; the library's "
            "parsers (SizeBand.parse, the serializer) are the validated way in",
    "exception": "exception classes: the library raises them with its own, masked messages",
    "value": "constants and type aliases are not called",
}


def exemption(value: Any) -> str | None:
    """Why a public name has no row (None when it needs one)."""
    if inspect.isclass(value) and issubclass(value, enum.Enum):
        return EXEMPT["enum"]
    if inspect.isclass(value) and issubclass(value, BaseException):
        return EXEMPT["exception"]
    if not callable(value) or _is_union(value):
        return EXEMPT["value"]
    return None


def _is_union(value: Any) -> bool:
    import types
    import typing

    return typing.get_origin(value) in (typing.Union, types.UnionType) \
        or isinstance(value, types.UnionType)


ALL_ROWS: dict[str, Spec] = {**TABLE, **METHODS}


def junk_calls() -> list[tuple[str, Callable[[Any], Any], bool]]:
    """(row.parameter, a call with junk in that parameter, must it answer) for every row."""
    calls = []
    for row, spec in ALL_ROWS.items():
        for name, call in spec.parameters():
            calls.append((f"{row}.{name}", call, name in spec.answers))
    return calls


JUNK_CALLS = junk_calls()

