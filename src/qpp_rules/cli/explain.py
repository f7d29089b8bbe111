"""``qpp-rules explain``: every decision for one organization, with reasons and citations.

>>> from qpp_rules.cli import main
>>> main(["explain", "--kind", "Practice", "--clinicians", "30", "--year", "2019"])
... # doctest: +ELLIPSIS
(no name) (no identifier, size 25-99), Practice, 30 clinicians, under PY2019
<BLANKLINE>
CMS Web Interface: may register
    [...] In PY2019 practices (groups) and virtual groups may register for ...
0
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import qpp_rules as qr
from qpp_rules.errors import InvalidInput

from .base import (
    UsageError,
    command,
    instant,
    json_argument,
    one_year_argument,
    policy,
    scrub,
    warn_plugins,
    year_label,
)
from .inputs import apm_model, choice, dollars, read_text, source_name
from .render import decision_json, emit_json, reason_lines

if TYPE_CHECKING:
    from qpp_rules.election import LowVolumeFacts
    from qpp_rules.registration import Organization

__all__ = ["explain", "facts_text"]

_ORG_FLAGS = (
    "kind", "clinicians", "size", "name", "ssp_aco_participant", "apm_model",
    "split_tin_mips_clinicians", "submitted_wi_prior_year",
)
_LOW_VOLUME_FLAGS = ("allowed_charges", "patients", "covered_services")


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", nargs="?", metavar="FILE",
        help="a JSON file holding one Organization as the serializer writes it ('-': stdin); "
        "or describe the organization with --kind and --clinicians",
    )
    one_year_argument(parser, None, "to decide under")
    parser.add_argument(
        "--as-of", metavar="INSTANT",
        help="the policy as it stood at this instant (ISO 8601 with a UTC offset, e.g. "
        "2020-03-01T00:00:00-05:00); default every known amendment",
    )
    json_argument(parser)
    org = parser.add_argument_group("the organization, instead of FILE")
    org.add_argument("--kind", type=choice(qr.OrgType, "an organization type"),
                     help="Practice, Virtual Group, APM Entity or Registry")
    org.add_argument("--clinicians", type=int, metavar="N", help="how many clinicians")
    org.add_argument("--size", type=choice(qr.SizeBand, "a size band"), metavar="BAND",
                     help="the size band (2-24, 25-99, 100 or more) where the count is unknown")
    org.add_argument("--name", help="the organization's name")
    org.add_argument("--ssp-aco-participant", action="store_true",
                     help="a Practice that is a Shared Savings Program ACO participant TIN")
    org.add_argument("--apm-model", type=apm_model,
                     metavar="MODEL",
                     help="an APM Entity's model (or a split-TIN Practice's): "
                     + ", ".join(repr(model.value) for model in qr.ApmModel)
                     + " (or ssp, ngaco, cpc+)")
    org.add_argument("--split-tin-mips-clinicians", type=int, metavar="N",
                     help="a split TIN's MIPS eligible clinicians outside the APM")
    org.add_argument("--submitted-wi-prior-year", action="store_true",
                     help="it submitted quality data through the CMS Web Interface last year")
    low = parser.add_argument_group(
        "low-volume facts (optional, with FILE or the flags above): the opt-in status"
    )
    low.add_argument("--allowed-charges", type=dollars, metavar="DOLLARS",
                     help="allowed charges for covered professional services, e.g. 90300")
    low.add_argument("--patients", type=int, metavar="N", help="Medicare Part B patients")
    low.add_argument("--covered-services", type=int, metavar="N",
                     help="covered professional services (not in PY2018's threshold)")


def _given(args: argparse.Namespace, names: Sequence[str]) -> list[str]:
    return [name for name in names if getattr(args, name) not in (None, False)]


def _flag_name(name: str) -> str:
    return "--" + name.replace("_", "-")


def _organization(args: argparse.Namespace) -> Organization:
    from qpp_rules.registration import Organization
    from qpp_rules.serialization import from_json
    flags = _given(args, _ORG_FLAGS)
    if args.file is not None:
        if flags:
            raise UsageError(
                f"give FILE or the organization flags, not both (got FILE and "
                f"{_flag_name(flags[0])})"
            )
        try:
            return from_json(read_text(args.file), Organization)
        except RecursionError:  # JSON nested past the reader's depth: bad input
            raise InvalidInput(source_name(args.file), "nested too deeply to read") from None
    if args.kind is None:
        raise UsageError("give FILE (a JSON Organization) or --kind with --clinicians")
    if args.clinicians is None and args.size is None:
        raise UsageError("--kind needs --clinicians N (or --size BAND)")
    size = args.size
    if args.clinicians is not None:
        counted = qr.SizeBand.from_clinicians(args.clinicians)
        if size is not None and size is not counted:
            raise InvalidInput(
                "--size", f"{args.clinicians} clinicians are in the band {counted.value}, "
                f"not {size.value}",
            )
        size = counted
    return Organization(
        kind=args.kind,
        size=size,
        name=args.name or "",
        apm_model=args.apm_model,
        ssp_aco_participant=args.ssp_aco_participant,
        split_tin_mips_clinicians=args.split_tin_mips_clinicians,
        submitted_web_interface_prior_year=args.submitted_wi_prior_year,
        clinicians=args.clinicians,
    )


def _low_volume(args: argparse.Namespace) -> LowVolumeFacts | None:
    from qpp_rules.election import LowVolumeFacts
    given = _given(args, _LOW_VOLUME_FLAGS)
    if not given:
        return None
    missing = [name for name in ("allowed_charges", "patients") if name not in given]
    if missing:
        raise UsageError(
            f"the low-volume facts need {_flag_name(missing[0])} too "
            "(--allowed-charges and --patients, and --covered-services from PY2019)"
        )
    return LowVolumeFacts(args.allowed_charges, args.patients, args.covered_services)


def _masked_organization(org: Organization) -> dict[str, Any]:
    from qpp_rules.serialization import to_dict
    data: dict[str, Any] = to_dict(org)
    if org.tin is not None:
        data["tin"] = org.tin.masked
    return dict(_scrubbed(data))  # free text (name, address) may hold a TIN


def _scrubbed(data: Any) -> Any:
    """JSON data with every text in it scrubbed (free text is masked where it is shown)."""
    if isinstance(data, str):
        return scrub(data)
    if isinstance(data, dict):
        return {key: _scrubbed(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_scrubbed(value) for value in data]
    return data


@command(
    "explain",
    help="every decision for one organization, with reasons and citations",
    arguments=_arguments,
)
def explain(args: argparse.Namespace) -> int:
    """``qpp-rules explain FILE [--year Y] [--json]`` (or the organization as flags): may it
    register for the CMS Web Interface and for the CAHPS for MIPS Survey, what it holds
    without registering, and, given low-volume facts, its opt-in status; every answer with
    its reasons (rule ID, sentence, citation)."""
    from qpp_rules.election import explain_opt_in, opt_in_status
    from qpp_rules.errors import UnknownPolicyValue
    from qpp_rules.registration import automatic_registrations, options
    from qpp_rules.registration.automatic import explain_automatic
    from qpp_rules.serialization import to_dict
    warn_plugins()
    org = _organization(args)
    facts = _low_volume(args)
    chosen = policy(args.year, instant(args.as_of))
    found = options(org, chosen)
    held = automatic_registrations(org, chosen)
    automatic = explain_automatic(org, chosen).reasons
    opt_in = None
    if facts is not None:
        try:
            status = opt_in_status(facts, chosen).value
        except UnknownPolicyValue:  # the year does not know its threshold: the reason says so
            status = "not known for the year"
        opt_in = (status, explain_opt_in(facts, chosen))
    if args.json:
        emit_json({
            "year": chosen.year,
            "policy": chosen.label,
            "organization": _masked_organization(org),
            "options": {
                "web_interface": decision_json(found.web_interface),
                "cahps": decision_json(found.cahps),
            },
            "automatic_registrations": {
                "programs": [program.value for program in qr.Program if program in held],
                "reasons": [to_dict(why) for why in automatic],
            },
            "opt_in": None if opt_in is None or facts is None else {
                "facts": to_dict(facts),
                "status": opt_in[0],
                "decision": decision_json(opt_in[1]),
            },
        })
        return 0
    counted = f", {org.clinicians} clinicians" if org.clinicians is not None else ""
    under = year_label(chosen, args.year)
    print(scrub(f"{org.describe()}, {org.kind.value}{counted}, under {under}"))
    for program in qr.Program:
        decision = found[program]
        print()
        verdict = "may register" if decision.allowed else "may not register"
        if program in held:
            verdict = "held automatically"
        print(f"{program.value}: {verdict}")
        for line in reason_lines(decision.reasons):
            print(line)
    print()
    names = ", ".join(program.value for program in qr.Program if program in held)
    print(f"Held without registering: {names or 'nothing'}")
    for line in reason_lines(automatic):
        print(line)
    if opt_in is not None and facts is not None:
        print()
        print(f"MIPS opt-in ({facts_text(facts)}): {opt_in[0]}")
        for line in reason_lines(opt_in[1].reasons):
            print(line)
    return 0


def facts_text(facts: LowVolumeFacts) -> str:
    """Low-volume facts as words.

    >>> from decimal import Decimal
    >>> from qpp_rules.election import LowVolumeFacts
    >>> facts_text(LowVolumeFacts(Decimal("90300"), 150, 234))
    'allowed charges $90,300, 150 Part B patients, 234 covered services'
    """
    parts = [f"allowed charges ${facts.allowed_charges:,}", f"{facts.patients} Part B patients"]
    if facts.covered_services is not None:
        parts.append(f"{facts.covered_services} covered services")
    return ", ".join(parts)
