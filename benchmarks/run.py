"""qpp_rules benchmarks: ratios measured in one run, on the same inputs, against baselines.

    python benchmarks/run.py                 # everything (a few minutes)
    python benchmarks/run.py --quick         # smaller sizes, for a smoke run
    python benchmarks/run.py --only single   # one part: single, population, columnar, growth,
                                             # memory, batch, import

Writes benchmarks/results.json and prints a table. No figure here is an absolute bar: every
bar is a ratio to a baseline timed in the same process on the same inputs.
Needs the ``bench`` extra (zen-engine, pandas) for the zen-engine and DataFrame baselines.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import qpp_rules as qr
from qpp_rules.access import Actor, Evidence, OrganizationRecord, validate_first_security_official
from qpp_rules.analysis import QUESTIONS, Population, compare, evaluate, sweep
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
        plain["reporting_track"] = row["reporting_track"].value
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
    t_diff = best_of(lambda: compare(records, policy, qr.policy_for(2021)).summary(),
                     repeat=1)
    result["records_compare_2019_2021_all_questions_s"] = round(t_diff, 3)
    result["pass"] = t_ours <= t_plain and t_ours <= 5 * t_floor
    result["bar"] = ("records path <= plain loop of the hand-written function giving the same "
                     "answer and rule IDs, and <= 5x the lookup floor")
    return result


def example_frame(count: int) -> Any:
    """``count`` organizations as a polars frame: the bundled example population tiled, each
    with its own ``org_id`` (built in polars, so 10M rows cost no Python objects)."""
    import polars as pl

    base = pl.read_csv(HERE.parent / "src/qpp_rules/analysis/data/example_population.csv",
                       schema_overrides={"allowed_charges": pl.String})
    tiled = pl.concat([base] * -(-count // len(base))).head(count)
    return tiled.with_columns(pl.format("ORG-{}", pl.int_range(pl.len())).alias("org_id"))


def bench_columnar(quick: bool) -> dict[str, Any]:
    """Issue 13's bars: the columnar path against the frame libraries' own group-by, sweeps
    and comparisons against one evaluate; all over the same frame in one run."""
    import polars as pl

    count = 100_000 if quick else 1_000_000
    frame = example_frame(count)
    policy, py2021 = qr.policy_for(2019), qr.policy_for(2021)
    cols = list(WI_QUESTION[0].columns)
    path = "registration.web_interface_min_clinicians"
    values = list(range(2, 102))
    # the same answers as the records path, or the ratios mean nothing
    sample = frame.head(20_000)
    assert evaluate(sample, policy).columns == evaluate(sample.to_dicts(), policy).columns
    out: dict[str, Any] = {"organizations": count}
    t_pl_floor = t_pl = float("inf")
    for _ in range(4):  # interleaved, as above
        t_pl_floor = min(t_pl_floor, best_of(lambda: frame.group_by(cols).len(), repeat=2))
        t_pl = min(t_pl, best_of(lambda: evaluate(frame, policy, WI_QUESTION), repeat=2))
    t_pl_out = best_of(lambda: evaluate(frame, policy, WI_QUESTION).to_polars(), repeat=3)
    out |= {"polars_group_by_len_s": round(t_pl_floor, 4),
            "polars_evaluate_s": round(t_pl, 4),
            "polars_evaluate_over_group_by": round(t_pl / t_pl_floor, 2),
            "polars_evaluate_to_polars_s": round(t_pl_out, 4),
            "polars_evaluate_to_polars_over_group_by": round(t_pl_out / t_pl_floor, 2)}
    try:
        import pandas  # noqa: F401 - only to know it is there
    except ImportError:
        out["pandas_evaluate_s"] = None
    else:
        pframe = frame.to_pandas() if _has_pyarrow() else _to_pandas(frame)
        t_pd_floor = best_of(lambda: pframe.groupby(cols, dropna=False, sort=False).size())
        t_pd = best_of(lambda: evaluate(pframe, policy, WI_QUESTION))
        out |= {"pandas_groupby_size_s": round(t_pd_floor, 4),
                "pandas_evaluate_s": round(t_pd, 4),
                "pandas_evaluate_over_groupby": round(t_pd / t_pd_floor, 2)}
    t_reforms = best_of(lambda: [qr.reform(policy, {path: v}, label=str(v)) for v in values],
                        repeat=3)
    t_sweep, t_one = float("inf"), t_pl
    for _ in range(3):  # interleaved with evaluate, as below (the best evaluate of the run)
        t_one = min(t_one, best_of(lambda: evaluate(frame, policy, WI_QUESTION), repeat=2))
        t_sweep = min(t_sweep, best_of(lambda: sweep(frame, policy, path, values, WI_QUESTION),
                                       repeat=2))
    t_sweep_all = best_of(lambda: sweep(frame, policy, path, values), repeat=3)
    t_all = t_compare = float("inf")
    for _ in range(4):  # interleaved, so that a busy moment of the machine hits both alike
        t_all = min(t_all, best_of(lambda: evaluate(frame, policy), repeat=2))
        t_compare = min(t_compare, best_of(lambda: compare(frame, policy, py2021).summary(),
                                           repeat=2))
    out |= {"reforms_100_s": round(t_reforms, 4),
            "sweep_100_values_s": round(t_sweep, 4),
            "sweep_evaluate_s": round(t_one, 4),
            "sweep_over_evaluate": round(t_sweep / t_one, 2),
            "sweep_without_reforms_over_evaluate": round((t_sweep - t_reforms) / t_one, 2),
            "sweep_100_values_all_questions_s": round(t_sweep_all, 4),
            "evaluate_all_questions_s": round(t_all, 4),
            "sweep_all_over_evaluate_all": round(t_sweep_all / t_all, 2),
            "compare_2019_2021_all_questions_s": round(t_compare, 4),
            "compare_over_evaluate_all": round(t_compare / t_all, 2)}
    out["bars"] = {
        "polars evaluate <= 3x group_by(cols).len()": t_pl <= 3 * t_pl_floor,
        "pandas evaluate <= 1.5x groupby(cols).size()": (
            out.get("pandas_evaluate_over_groupby", 0) <= 1.5),
        "100-value sweep < 2x one evaluate": t_sweep < 2 * t_one,
        "compare 2019/2021 all questions < 1.3x evaluate all": t_compare < 1.3 * t_all,
    }
    del pl
    return out


def _has_pyarrow() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyarrow") is not None


def _to_pandas(frame: Any) -> Any:
    import pandas

    return pandas.DataFrame(frame.to_dict(as_series=False))


_CHILD = """
import gc, json, sys, time
sys.path.insert(0, {here!r})
import qpp_rules as qr
from run import example_frame
from qpp_rules.analysis import evaluate
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096
frame = example_frame({count})
policy = qr.policy_for(2019)
evaluate(frame.head(1000), policy)
gc.collect()
before = rss()
with open("/proc/self/clear_refs", "w") as f:  # restart the peak (VmHWM) from here
    f.write("5")
times = []
for _ in range(2):
    start = time.perf_counter()
    table = evaluate(frame, policy)
    table.counts("web_interface")
    times.append(time.perf_counter() - start)
with open("/proc/self/status") as f:
    peak = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM"))
print(json.dumps({{"s": min(times), "frame_mib": frame.estimated_size() / 2**20,
                   "peak_growth_mib": max(peak - before, 0) / 2**20,
                   "rss_mib": before / 2**20}}))
"""


def _child(code: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True)
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def bench_growth(quick: bool) -> dict[str, Any]:
    """All four questions over polars frames of 10k to 10M organizations, each size in its
    own process: time, and the peak memory the evaluation adds against the frame's size."""
    sizes = (10_000, 100_000) if quick else (10_000, 100_000, 1_000_000, 10_000_000)
    out: dict[str, Any] = {}
    for size in sizes:
        found = _child(_CHILD.format(here=str(HERE), count=size))
        out[str(size)] = {"s": round(found["s"], 4),
                          "us_per_org": round(found["s"] / size * 1e6, 3),
                          "frame_mib": round(found["frame_mib"], 1),
                          "peak_growth_mib": round(found["peak_growth_mib"], 1)}
    out.update(growth_verdicts(out))
    return out


def growth_verdicts(sizes: dict[str, Any]) -> dict[str, bool]:
    """Linear: from each size to the next, time grows no faster than the size (25% noise
    allowed; fixed costs make small sizes sub-linear). Memory: from 1M organizations up (below
    that, polars' fixed first-use cost outweighs the frame), the peak memory evaluate adds
    stays within 2x of the frame."""
    rows = sorted((int(k), v) for k, v in sizes.items() if isinstance(v, dict))
    linear = all(b["s"] / a["s"] <= 1.25 * m / n
                 for (n, a), (m, b) in itertools.pairwise(rows))
    memory = all(v["peak_growth_mib"] <= 2 * v["frame_mib"] for n, v in rows if n >= 1_000_000)
    return {"linear": linear, "memory_within_2x_frame": memory}


_MEMORY = """
import gc, json, sys
import qpp_rules as qr
from qpp_rules.registration import Organization, options
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096
policy = qr.policy_for(2019)
kind = qr.OrgType.PRACTICE
for n in range(2, 20_002):  # warm: the cache fills to its bound
    options(Organization(kind=kind, size=qr.SizeBand.from_clinicians(n), clinicians=n), policy)
gc.collect()
before = rss()
for n in range(20_002, 20_002 + {count}):
    options(Organization(kind=kind, size=qr.SizeBand.from_clinicians(n), clinicians=n), policy)
gc.collect()
print(json.dumps({{"growth_mib": (rss() - before) / 2**20, "cached": len(policy.answers),
                   "limit": policy.answers.limit}}))
"""


def bench_memory(quick: bool) -> dict[str, Any]:
    """Distinct organizations (each its own count of clinicians) through
    ``registration.options``: the answer cache is bounded, so memory stays flat."""
    count = 100_000 if quick else 1_000_000
    found = _child(_MEMORY.format(count=count))
    return {"organizations": count, "rss_growth_mib": round(found["growth_mib"], 1),
            "cached_answers": found["cached"], "cache_limit": found["limit"],
            "bar": "RSS growth < 50 MiB", "pass": found["growth_mib"] < 50}
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


PARTS = {"single": bench_single, "population": bench_population, "columnar": bench_columnar,
         "growth": bench_growth, "memory": bench_memory, "batch": bench_batch,
         "import": bench_import}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=sorted(PARTS), action="append")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    if args.only and args.out.exists():  # one part: the other parts' figures are kept
        results = json.loads(args.out.read_text())
    results |= {
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
