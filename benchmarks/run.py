"""qpp_rules benchmarks: ratios measured in one run, on the same inputs, against baselines.

    python benchmarks/run.py                 # everything (a few minutes)
    python benchmarks/run.py --quick         # smaller sizes, for a smoke run
    python benchmarks/run.py --only single   # one part: single, population, growth, batch,
                                             # import

Writes benchmarks/results.json and prints a table. No figure here is an absolute bar: every
bar is a ratio to a baseline timed in the same process on the same inputs.
Needs the ``bench`` extra (zen-engine, pandas) for the zen-engine and DataFrame baselines.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import qpp_rules as qr
from qpp_rules.access import Actor, Evidence, OrganizationRecord, validate_first_security_official
from qpp_rules.analysis import QUESTIONS, Population, compare, evaluate
from qpp_rules.election import (
    Choice,
    LowVolumeFacts,
    OptInStatus,
    Participant,
    elect_batch,
    opt_in_status,
)
from qpp_rules.registration import Organization, options

HERE = Path(__file__).resolve().parent
WI_QUESTION = tuple(q for q in QUESTIONS if q.name == "web_interface")


def best_of(fn: Callable[[], Any], repeat: int = 5, number: int = 1) -> float:
    """The best time of ``repeat`` runs of ``number`` calls, in seconds per call."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return min(times)


# -- the plain, hand-written baselines: the same rules over tuples ------------------------
def plain_wi(kind: str, clinicians: int, ssp: bool, split: int | None, year: int) -> bool:
    """PY-table-free hand-written WI rule (REG-ELIG-1/3/4/7) over plain values."""
    allowed = {2018: ("Practice",), 2019: ("Practice", "Virtual Group"),
               2021: ("Practice", "Virtual Group", "APM Entity")}[year]
    if year == 2021 and ssp and kind == "APM Entity":
        return True
    count = split if split is not None else clinicians
    return kind in allowed and count >= 25


def plain_opt_in(charges: Decimal, patients: int, services: int) -> str:
    exceeded = (charges > 90000) + (patients > 200) + (services > 200)
    return "mips_eligible" if exceeded == 3 else "opt_in_eligible" if exceeded else "exempt"


def plain_practice_validation(tin: str, npi: str, ptan: str,
                              tins: frozenset[str], clinicians: frozenset[tuple[str, str]]
                              ) -> bool:
    return tin in tins and (npi, ptan) in clinicians


# -- zen-engine baselines: the same rules as decision tables -------------------------------
def _zen(inputs: list[tuple[str, str]], output: str, rules: list[tuple[list[str], str]]) -> Any:
    import zen

    table = {
        "hitPolicy": "first",
        "inputs": [{"id": f"i{n}", "name": name, "field": field}
                   for n, (name, field) in enumerate(inputs)],
        "outputs": [{"id": "o", "name": output, "field": output}],
        "rules": [{"_id": f"r{n}", **{f"i{k}": cell for k, cell in enumerate(cells)}, "o": out}
                  for n, (cells, out) in enumerate(rules)],
    }
    content = {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "in", "position": {"x": 0, "y": 0}},
            {"id": "t", "type": "decisionTableNode", "name": "t",
             "position": {"x": 0, "y": 0}, "content": table},
            {"id": "out", "type": "outputNode", "name": "out", "position": {"x": 0, "y": 0}},
        ],
        "edges": [{"id": "a", "sourceId": "in", "targetId": "t", "type": "edge"},
                  {"id": "b", "sourceId": "t", "targetId": "out", "type": "edge"}],
    }
    engine = zen.ZenEngine({"loader": lambda key: json.dumps(content)})
    return engine


def zen_tables() -> dict[str, Any]:
    wi = _zen([("kind", "kind"), ("clinicians", "clinicians")], "allowed", [
        (['"Practice","Virtual Group"', ">= 25"], "true"),
        (["", ""], "false"),
    ])
    opt_in = _zen([("c", "charges"), ("p", "patients"), ("s", "services")], "status", [
        (["> 90000", "> 200", "> 200"], '"mips_eligible"'),
        (["<= 90000", "<= 200", "<= 200"], '"exempt"'),
        (["", "", ""], '"opt_in_eligible"'),
    ])
    practice = _zen([("tin_ok", "tin_ok"), ("clinician_ok", "clinician_ok")], "valid", [
        (["true", "true"], "true"),
        (["", ""], "false"),
    ])
    return {"wi": wi, "opt_in": opt_in, "practice": practice}


def bench_single(quick: bool) -> dict[str, Any]:
    policy = qr.policy_for(2019)
    number = 2_000 if quick else 20_000
    orgs = [Organization(kind=k, size=s) for k in (qr.OrgType.PRACTICE, qr.OrgType.VIRTUAL_GROUP)
            for s in qr.SizeBand]
    tuples = [(o.kind.value, o.size.minimum, False, None, 2019) for o in orgs]
    facts = [LowVolumeFacts(allowed_charges=Decimal(c), patients=p, covered_services=s)
             for c, p, s in (("90300", 150, 234), ("80000", 100, 100), ("95000", 250, 250))]
    fact_tuples = [(f.allowed_charges, f.patients, f.covered_services) for f in facts]
    tin, npi, ptan = qr.TIN("000765630"), qr.NPI("1234567893"), qr.PTAN("AB1234")
    record = OrganizationRecord(kind=qr.OrgType.PRACTICE, tins=frozenset({tin}),
                                clinicians=frozenset({(npi, ptan)}))
    evidence = Evidence(tin=tin, npi=npi, ptan=ptan)
    plain_record = (frozenset({"000765630"}), frozenset({("1234567893", "AB1234")}))
    zen = zen_tables()

    def cycle(items: list[Any], fn: Callable[[Any], Any]) -> Callable[[], None]:
        def run() -> None:
            for item in items:
                fn(item)
        return run

    results: dict[str, Any] = {}
    cases = {
        "registration.options": (
            cycle(orgs, lambda o: options(o, policy)),
            cycle(tuples, lambda t: plain_wi(*t)),
            cycle(tuples, lambda t: zen["wi"].evaluate("wi", {"kind": t[0], "clinicians": t[1]})),
            len(orgs),
        ),
        "election.opt_in_status": (
            cycle(facts, lambda f: opt_in_status(f, policy)),
            cycle(fact_tuples, lambda t: plain_opt_in(*t)),
            cycle(fact_tuples, lambda t: zen["opt_in"].evaluate(
                "o", {"charges": float(t[0]), "patients": t[1], "services": t[2]})),
            len(facts),
        ),
        "access.validate_first_security_official": (
            lambda: validate_first_security_official(record, evidence),
            lambda: plain_practice_validation("000765630", "1234567893", "AB1234", *plain_record),
            lambda: zen["practice"].evaluate("p", {"tin_ok": True, "clinician_ok": True}),
            1,
        ),
    }
    for name, (ours, plain, zen_fn, per) in cases.items():
        zen_number = max(number // 100, 20)
        t_ours = best_of(ours, number=number // per) / per
        t_plain = best_of(plain, number=number // per) / per
        t_zen = best_of(zen_fn, repeat=3, number=max(zen_number // per, 5)) / per
        results[name] = {
            "ours_ns": round(t_ours * 1e9, 1),
            "plain_ns": round(t_plain * 1e9, 1),
            "zen_ns": round(t_zen * 1e9, 1),
            "ours_over_plain": round(t_ours / t_plain, 2),
            "zen_over_ours": round(t_zen / t_ours, 1),
            "bar": "ours <= 5x plain and zen >= 7x ours",
            "pass": t_ours <= 5 * t_plain and t_zen >= 7 * t_ours,
        }
    return results


def synthetic_records(count: int) -> list[dict[str, Any]]:
    """``count`` records cycling through the bundled example population, as a service holds
    them: plain Python values (text, int, bool, None)."""
    csv_file = HERE.parent / "src/qpp_rules/analysis/data/example_population.csv"
    base = []
    for row in Population.from_csv(csv_file).rows():
        plain = dict(row)
        plain["kind"] = row["kind"].value
        plain["apm_model"] = row["apm_model"].value if row["apm_model"] else None
        plain["allowed_charges"] = (str(row["allowed_charges"])
                                    if row["allowed_charges"] is not None else None)
        base.append(plain)
    rows = []
    for index in range(count):
        row = dict(base[index % len(base)])
        row["org_id"] = f"ORG-{index}"
        rows.append(row)
    return rows


_PY2019_WI_KINDS = frozenset({"Practice", "Virtual Group"})


def plain_wi_2019(record: dict[str, Any]) -> bool:
    """The PY2019 Web Interface rule, hand-written over one record (REG-ELIG-1/3/7)."""
    if record["kind"] not in _PY2019_WI_KINDS or record["clinicians"] < 25:
        return False
    split = record["split_tin_mips_clinicians"]
    return split is None or split >= 25


_PY2019_CARRY_OVER = frozenset({"Practice", "Virtual Group"})


def plain_wi_2019_explained(record: dict[str, Any]) -> tuple[bool, tuple[str, ...]]:
    """The same PY2019 Web Interface rule, hand-written, with the rule IDs the library's
    answer carries (REG-ELIG-3/1/7, and the notes REG-ELIG-6 / REG-AUTO-1 on a yes)."""
    kind = record["kind"]
    no: list[str] = []
    yes: list[str] = []
    (yes if kind in _PY2019_WI_KINDS else no).append("REG-ELIG-3")
    (yes if record["clinicians"] >= 25 else no).append("REG-ELIG-1")
    split = record["split_tin_mips_clinicians"]
    if split is not None:
        (yes if split >= 25 else no).append("REG-ELIG-7")
    if no:
        return False, tuple(no)
    if record["ssp_aco_participant"]:
        yes.append("REG-ELIG-6")
    if record["submitted_web_interface_prior_year"] and kind in _PY2019_CARRY_OVER:
        yes.append("REG-AUTO-1")
    return True, tuple(yes)


def bench_population(quick: bool) -> dict[str, Any]:
    count = 100_000 if quick else 1_000_000
    records = synthetic_records(count)
    policy = qr.policy_for(2019)
    fields = ("kind", "clinicians", "apm_model", "ssp_aco_participant",
              "split_tin_mips_clinicians", "submitted_web_interface_prior_year")

    def plain_loop() -> list[bool]:
        return [plain_wi_2019(r) for r in records]

    def plain_explained_loop() -> list[tuple[bool, tuple[str, ...]]]:
        return [plain_wi_2019_explained(r) for r in records]

    table = {tuple(r[f] for f in fields): plain_wi_2019(r) for r in records}

    def lookup_floor() -> list[bool]:
        return [table[(r["kind"], r["clinicians"], r["apm_model"], r["ssp_aco_participant"],
                       r["split_tin_mips_clinicians"], r["submitted_web_interface_prior_year"])]
                for r in records]

    def ours_records() -> Any:
        return evaluate(records, policy, WI_QUESTION)

    def ours_records_column() -> Any:
        return evaluate(records, policy, WI_QUESTION).column("web_interface")

    # the same answers and rule IDs, or the comparison means nothing
    table_ours = evaluate(records, policy, WI_QUESTION)
    ours_pairs = list(zip([a == "yes" for a in table_ours.column("web_interface")],
                          table_ours.column("web_interface_rules"), strict=True))
    assert ours_pairs == plain_explained_loop()
    assert [a for a, _ in ours_pairs] == plain_loop()
    t_plain_answer = best_of(plain_loop, repeat=3)
    t_plain = best_of(plain_explained_loop, repeat=3)
    t_floor = best_of(lookup_floor, repeat=3)
    t_ours = best_of(ours_records, repeat=3)
    t_column = best_of(ours_records_column, repeat=3)
    result: dict[str, Any] = {
        "organizations": count,
        "plain_loop_answer_only_s": round(t_plain_answer, 3),
        "plain_loop_s": round(t_plain, 3),
        "lookup_floor_s": round(t_floor, 3),
        "records_s": round(t_ours, 3),
        "records_with_answer_column_s": round(t_column, 3),
        "records_over_plain": round(t_ours / t_plain, 2),
        "records_over_plain_answer_only": round(t_ours / t_plain_answer, 2),
        "records_with_column_over_plain": round(t_column / t_plain, 2),
        "records_over_floor": round(t_ours / t_floor, 2),
    }
    try:
        import pandas

        frame = pandas.DataFrame(records)
        t_frame = best_of(lambda: evaluate(frame, policy, WI_QUESTION), repeat=3)
        result["dataframe_s"] = round(t_frame, 3)
        result["dataframe_over_plain"] = round(t_frame / t_plain, 2)
    except ImportError:
        result["dataframe_s"] = None
    t_diff = best_of(lambda: compare(records, policy, qr.policy_for(2021)).summary(),
                     repeat=1)
    result["compare_2019_2021_all_questions_s"] = round(t_diff, 3)
    result["pass"] = t_ours <= t_plain and t_ours <= 5 * t_floor
    result["bar"] = ("records path <= plain loop of the hand-written function giving the same "
                     "answer and rule IDs, and <= 5x the lookup floor")
    return result


def bench_growth(quick: bool) -> dict[str, Any]:
    sizes = (10_000, 100_000) if quick else (10_000, 100_000, 1_000_000)
    policy = qr.policy_for(2019)
    out: dict[str, Any] = {}
    for size in sizes:
        records = synthetic_records(size)
        elapsed = best_of(lambda r=records: evaluate(r, policy), repeat=2)
        tracemalloc.start()
        evaluate(records, policy)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out[str(size)] = {"s": round(elapsed, 4), "us_per_org": round(elapsed / size * 1e6, 3),
                          "peak_mib": round(peak / 2**20, 1)}
    per_org = [v["us_per_org"] for v in out.values()]
    out["linear"] = max(per_org) <= 2 * min(per_org)
    return out


def _upload_rows(count: int) -> tuple[dict[Participant, Choice], dict[Participant, OptInStatus]]:
    """``count`` distinct clinicians (one TIN, NPIs with a valid check digit), choices cycling
    Opt-in, Report voluntarily, No decision, every one opt-in eligible."""
    npis = (qr.NPI(f"{n:09d}{d}") for n in range(100_000_000, 200_000_000) for d in range(10)
            if qr.NPI.is_valid(f"{n:09d}{d}"))
    tin = qr.TIN("000765630")
    choices = {}
    order = (Choice.OPT_IN, Choice.VOLUNTARY, Choice.NO_DECISION)
    for index, npi in zip(range(count), npis, strict=False):
        choices[Participant(tin, npi)] = order[index % 3]
    return choices, dict.fromkeys(choices, OptInStatus.OPT_IN_ELIGIBLE)


def bench_batch(quick: bool) -> dict[str, Any]:
    """A registry upload (``elect_batch``, ELE-BATCH-1) of 1,000 to 100,000 rows, confirmed
    and accepted: the time per row must not grow with the upload (it was quadratic)."""
    sizes = (1_000, 10_000) if quick else (1_000, 10_000, 100_000)
    policy = qr.policy_for(2019)
    actor = Actor(qr.OrgType.REGISTRY, qr.Role.STAFF_USER)
    at = qr.eastern(2020, 2, 3, 12)
    out: dict[str, Any] = {}
    for size in sizes:
        choices, statuses = _upload_rows(size)

        def upload(c: Any = choices, s: Any = statuses) -> Any:
            return elect_batch(None, c, at=at, policy=policy, confirmation="CONFIRM",
                               actor=actor, statuses=s)

        assert upload().accepted
        elapsed = best_of(upload, repeat=2 if size >= 100_000 else 3)
        out[str(size)] = {"s": round(elapsed, 4), "us_per_row": round(elapsed / size * 1e6, 2)}
    per_row = [v["us_per_row"] for v in out.values()]
    out["bar"] = "time per row at the largest upload <= 2x at the smallest (linear)"
    out["pass"] = max(per_row) <= 2 * min(per_row)
    return out


def _cold(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return min(times)  # the least disturbed run: start-up noise only ever adds time


def bench_import(quick: bool) -> dict[str, Any]:
    runs = 5 if quick else 25
    bare = _cold("pass", runs)
    deps = _cold("import attrs, cattrs, pendulum", runs) - bare
    lib = _cold("import qpp_rules", runs) - bare
    cli = _cold("import qpp_rules.cli", runs) - bare
    return {
        "interpreter_s": round(bare, 4),
        "dependencies_s": round(deps, 4),
        "qpp_rules_s": round(lib, 4),
        "cli_s": round(cli, 4),
        "library_over_dependencies": round(lib / deps, 2),
        "cli_over_dependencies": round(cli / deps, 2),
        "bar": "library and CLI import <= 2x their dependencies alone",
        "pass": lib <= 2 * deps and cli <= 2 * deps,
    }


PARTS = {"single": bench_single, "population": bench_population, "growth": bench_growth,
         "batch": bench_batch, "import": bench_import}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=sorted(PARTS), action="append")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "processor": platform.processor() or platform.machine()},
        "quick": args.quick,
    }
    for name in args.only or list(PARTS):
        print(f"== {name}", flush=True)
        results[name] = PARTS[name](args.quick)
        print(json.dumps(results[name], indent=1), flush=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
