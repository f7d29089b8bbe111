"""``qpp-rules check-eligibility``: a QPP Eligibility API v6 payload checked against the
library's opt-in rule, exit code 3 when a record disagrees.

>>> from qpp_rules.cli import main
>>> main(["check-eligibility", "no-such-file.json"])  # bad input: one line, exit code 2
2
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from qpp_rules.decisions import Decision

from .base import command, json_argument, one_year_argument, policy, scrub, warn_plugins
from .inputs import read_json
from .render import decision_json, emit_json, reason_lines, table, when, yes_no

if TYPE_CHECKING:
    from qpp_rules.election import EligibilityRecord, OptInStatus

__all__ = ["EXIT_DISAGREES", "check_eligibility"]

EXIT_DISAGREES = 3
"""The exit code of ``check-eligibility`` when some record disagrees with the rules."""


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE",
        help="a QPP Eligibility API v6 NPI response, or its opt-in rows (a list of rows, or "
        "{\"data\": [...]}) (JSON; '-': stdin)",
    )
    one_year_argument(parser, 2019, "the payload is about")
    json_argument(parser)
    parser.epilog = (
        "Exit codes: 0 every record agrees with the rules (or states nothing to compare); "
        f"{EXIT_DISAGREES} some record disagrees; 2 bad input, or the API's error envelope "
        "(its type and message on one line); 1 internal error."
    )


def _agrees(record: EligibilityRecord, status: OptInStatus) -> bool | None:
    from qpp_rules.election import OptInStatus
    if record.payload_opt_in_eligible is None:
        return None
    return record.payload_opt_in_eligible is (status is OptInStatus.OPT_IN_ELIGIBLE)


def _elements(names: Iterable[str]) -> str:
    from qpp_rules.election.model import ELEMENTS, element_label

    chosen = set(names)
    return ", ".join(element_label(name) for name in ELEMENTS if name in chosen) or "none"


def _record_json(record: EligibilityRecord, status: OptInStatus,
                 decision: Decision) -> dict[str, Any]:
    return {
        "organization_name": scrub(record.organization_name or ""),
        "tin": str(record.tin),
        "scenario": record.scenario,
        "payload_opt_in_eligible": record.payload_opt_in_eligible,
        "status": status.value,
        "agrees": _agrees(record, status),
        "reasons": decision_json(decision)["reasons"],
        "reason_codes": list(record.reason_codes),
        "fell_below": sorted(record.fell_below),
        "election": record.election.value if record.election is not None else None,
        "is_opted_in": record.is_opted_in,
        "decision_date": (
            record.decision_date.isoformat() if record.decision_date is not None else None
        ),
        "small_group_practitioner": record.small_group_practitioner,
        "rural_clinician": record.rural_clinician,
        "is_eligible": dict(record.is_eligible),
        "low_volume_services": record.low_volume_services,
    }


@command(
    "check-eligibility",
    help="read a QPP Eligibility API v6 payload and check it against the rules",
    arguments=_arguments,
)
def check_eligibility(args: argparse.Namespace) -> int:
    """``qpp-rules check-eligibility FILE [--year 2019] [--json]``: for each organization and
    scenario of the payload, what it says (opt-in eligible, election, dates, flags) and
    whether the library's opt-in status on the facts read agrees. Exit 0 when
    every record agrees, 3 when some record disagrees, 2 for the API's error envelope.
    """
    from qpp_rules.election import explain_opt_in, opt_in_status, read_eligibility_payload
    warn_plugins()
    chosen = policy(args.year)
    payload = read_json(args.file)
    if _is_opt_in_rows(payload):
        return _opt_in_rows(payload, chosen.year, as_json=args.json)
    records = read_eligibility_payload(payload, year=chosen.year)
    answers = [(opt_in_status(r.facts, chosen), explain_opt_in(r.facts, chosen)) for r in records]
    verdicts = [_agrees(record, status) for record, (status, _) in zip(records, answers,
                                                                       strict=True)]
    tally = Counter("not stated" if v is None else ("agree" if v else "disagree")
                    for v in verdicts)
    code = EXIT_DISAGREES if tally["disagree"] else 0
    if args.json:
        emit_json({
            "year": chosen.year,
            "policy": chosen.label,
            "npi": records[0].npi.value if records else None,
            "records": [_record_json(record, status, decision)
                        for record, (status, decision) in zip(records, answers, strict=True)],
            "agree": tally["agree"],
            "disagree": tally["disagree"],
            "not_stated": tally["not stated"],
        })
        return code
    npi = f"NPI {records[0].npi.value}" if records else "no records"
    print(f"QPP Eligibility API payload ({npi}) read under {chosen.label}")
    for record, (status, decision), verdict in zip(records, answers, verdicts, strict=True):
        print()
        name = scrub(record.organization_name or "(no name)")
        print(f"{name}, TIN {record.tin}: {record.scenario} scenario")
        said = "no claim to compare" if verdict is None else ("agrees" if verdict else
                                                             "DISAGREES")
        codes = ", ".join(code or "(empty)" for code in record.reason_codes) or "none"
        election = record.election.value if record.election is not None else "none"
        if record.decision_date is not None:
            election += f", decided {when(record.decision_date)}"
        rows: list[tuple[str, Sequence[str]]] = [
            ("payload: opt-in eligible", [yes_no(record.payload_opt_in_eligible)]),
            ("our rules", [f"{status.value} ({said})"]),
            ("fell below", [f"{_elements(record.fell_below)} (reason codes: {codes})"]),
            ("election", [election]),
            ("small group practitioner", [yes_no(record.small_group_practitioner)]),
            ("rural clinician", [yes_no(record.rural_clinician)]),
            ("eligible", [", ".join(f"{key} {yes_no(v) if isinstance(v, bool) else v}"
                                    for key, v in record.is_eligible.items()) or "not stated"]),
        ]
        if record.low_volume_services is not None:
            rows.append(("low-volume claim lines",
                         [f"{record.low_volume_services} (a count of claim lines, not used)"]))
        for line in table(rows):
            print(line)
        for line in reason_lines(decision.reasons):
            print(line)
    print()
    print(f"{len(records)} records: {tally['agree']} agree, {tally['disagree']} disagree, "
          f"{tally['not stated']} state no opt-in eligibility to compare.")
    return code




def _is_opt_in_rows(payload: Any) -> bool:
    """The opt-in answer is a list of rows (or ``{"data": [...]}``); the NPI response's
    ``data`` is an object."""
    data = payload.get("data") if isinstance(payload, dict) else payload
    return isinstance(data, list)


def _opt_in_rows(payload: Any, year: int, *, as_json: bool) -> int:
    """The Eligibility API's opt-in rows: who, opt-in eligible or not, and the election each
    row records (a row that contradicts itself is bad input, exit 2)."""
    from qpp_rules.election import read_opt_in_rows

    rows = read_opt_in_rows(payload, year=year)
    if as_json:
        emit_json({
            "year": year,
            "rows": [{
                "tin": str(row.participant.tin),
                "npi": row.participant.npi.value if row.participant.npi is not None else None,
                "opt_in_eligible": row.opt_in_eligible,
                "election": row.election.value if row.election is not None else None,
                "decision_date": (
                    row.decision_date.isoformat() if row.decision_date is not None else None
                ),
                "run": row.run,
            } for row in rows],
        })
        return 0
    print(f"QPP Eligibility API opt-in rows, PY{year}: {len(rows)} rows")
    for row in rows:
        election = row.election.value if row.election is not None else "no election yet"
        if row.decision_date is not None:
            election += f", decided {when(row.decision_date)}"
        print()
        print(scrub(str(row.participant)))
        for line in table([("opt-in eligible", [yes_no(row.opt_in_eligible)]),
                           ("election", [election])]):
            print(line)
    return 0
