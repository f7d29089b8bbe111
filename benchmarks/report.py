"""Render benchmarks/README.md from benchmarks/results.json (written by run.py).

    python benchmarks/report.py          # rewrites benchmarks/README.md
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def render(r: dict[str, Any]) -> str:
    s, p, g, im, m = r["single"], r["population"], r["growth"], r["import"], r["machine"]
    c, mem = r["columnar"], r["memory"]
    single_rows = "".join(
        f"| `{k}` | {v['ours_ns']:.0f} ns | {v['plain_ns']:.0f} ns | {v['zen_ns'] / 1000:.1f} us "
        f"| {v['ours_over_plain']} | {v['zen_over_ours']} |\n"
        for k, v in s.items()
    )
    growth_rows = "".join(
        f"| {int(k):,} | {v['s']} s | {v['us_per_org']} us | {v['frame_mib']} MiB "
        f"| {v['peak_growth_mib']} MiB | {v['peak_growth_mib'] / v['frame_mib']:.2f} |\n"
        for k, v in g.items() if isinstance(v, dict)
    )
    bars = "".join(f"| {bar} | {'pass' if ok else '**not met**'} |\n"
                   for bar, ok in c["bars"].items())
    return f"""# Benchmarks

`python3 benchmarks/run.py` (after `pip install -e '.[dev,bench]'`; `--quick` for a smoke run,
`--only single|population|growth|import` for one part) times every figure against a baseline
measured **in the same run, on the same inputs**, and writes `benchmarks/results.json`;
`python3 benchmarks/report.py` renders this page from it. Not part of the test command; no
test asserts a time.

Latest figures: Python {m['python']} on {m['platform']} ({m['processor']}), 2 cores, 24 GiB.

## Single decisions (prebuilt inputs)

Baselines: a hand-written plain-Python function of the same rule over tuples, and the same
rule as a zen-engine decision table through `ZenEngine(...).evaluate`.

| decision | ours | plain function | zen-engine | ours / plain (bar <= 5) | zen / ours (bar >= 7) |
|---|---|---|---|---|---|
{single_rows}
Each explained answer (a `Decision` with its reasons) is computed once per distinct small tuple
of the facts the rule reads and per policy, then shared; the tuple is computed once per value.

## Populations ({p['organizations']:,} organizations)

The question: may each organization register for the Web Interface (PY2019), with the rule
IDs deciding it. Records are dicts of plain values (text, int, bool, None).

| path | time | ratio |
|---|---|---|
| plain loop of a hand-written function giving the answer **and its rule IDs** | {p['plain_loop_s']} s | 1 |
| plain loop of a hand-written function giving the answer only | {p['plain_loop_answer_only_s']} s | |
| lookup-table floor (dict from the full fact tuple to the answer) | {p['lookup_floor_s']} s | |
| `analysis.evaluate` over the records | {p['records_s']} s | {p['records_over_plain']} of the plain loop; {p['records_over_floor']} of the floor (bar <= 5) |
| the same, and the answers column built | {p['records_with_answer_column_s']} s | {p['records_with_column_over_plain']} of the plain loop |
| `analysis.compare` 2019 vs 2021, all four questions | {p['records_compare_2019_2021_all_questions_s']} s | |

The bar "at least as fast as a plain loop of the hand-written function" holds against a
function that returns what the library returns (the answer and its deciding rule IDs). A loop
of a function that returns only the boolean is faster than `evaluate`
({p['records_over_plain_answer_only']}x): reading six facts per record in Python costs more
than the two a bare yes/no needs. The benchmark first checks that both baselines and the
library give the same answers on every record.

## The columnar path ({c['organizations']:,} organizations in one frame)

The bundled example population tiled to {c['organizations']:,} organizations, as a polars
frame and the same as a pandas frame. Each bar is a ratio to a baseline timed in the same
run: the frame library's own group-by over the question's fact columns (the floor for
"look at every row once"), or one `evaluate` of the same frame.

| path | time | baseline | ratio |
|---|---|---|---|
| `evaluate` (Web Interface) of a polars frame | {c['polars_evaluate_s']} s | `group_by(cols).len()` {c['polars_group_by_len_s']} s | {c['polars_evaluate_over_group_by']} (bar <= 3) |
| the same and `.to_polars()` (answers, rule lists, why, broadcast to every row) | {c['polars_evaluate_to_polars_s']} s | `group_by(cols).len()` | {c['polars_evaluate_to_polars_over_group_by']} |
| `evaluate` (Web Interface) of a pandas frame | {c.get('pandas_evaluate_s')} s | `groupby(cols, dropna=False, sort=False).size()` {c.get('pandas_groupby_size_s')} s | {c.get('pandas_evaluate_over_groupby')} (bar <= 1.5) |
| `sweep` of `registration.web_interface_min_clinicians` over 100 values (Web Interface) | {c['sweep_100_values_s']} s | one `evaluate` {c.get('sweep_evaluate_s', c['polars_evaluate_s'])} s (timed between the sweeps) | {c['sweep_over_evaluate']} (bar < 2) |
| of which building the 100 reforms (`qr.reform`) | {c['reforms_100_s']} s | | the rest: {c['sweep_without_reforms_over_evaluate']} |
| the same sweep, all four questions | {c['sweep_100_values_all_questions_s']} s | `evaluate`, all questions {c['evaluate_all_questions_s']} s | {c['sweep_all_over_evaluate_all']} |
| `compare` PY2019 vs PY2021, all four questions | {c['compare_2019_2021_all_questions_s']} s | `evaluate`, all questions {c['evaluate_all_questions_s']} s | {c['compare_over_evaluate_all']} (bar < 1.3) |

| bar | result |
|---|---|
{bars}
## Growth (all four questions, polars frames, one process per size)

| organizations | time | per organization | the frame | peak memory added by `evaluate` | ratio to the frame |
|---|---|---|---|---|---|
{growth_rows}
Linear (from each size to the next, time grows no faster than the size):
{'yes' if g['linear'] else 'NO'}; peak memory within 2x of the frame from 1M organizations
up: {'yes' if g['memory_within_2x_frame'] else 'NO'}. Peak memory is the process's peak
resident set (VmHWM, reset before the evaluation) minus its resident set before it; below 1M
organizations it is mostly polars' fixed cost of a first group-by (thread pools, buffers),
larger than such small frames.

## Memory of a long-running service

{mem['organizations']:,} distinct organizations (each its own number of clinicians) through
`registration.options`, after a warm-up that fills the answer cache: resident memory grows
by {mem['rss_growth_mib']} MiB (bar < 50 MiB); the cache holds {mem['cached_answers']:,} answers,
its bound.

## Import time (cold interpreter, best of 25)

| import | time over a bare interpreter | ratio to the dependencies alone (bar <= 2) |
|---|---|---|
| `attrs`, `cattrs`, `pendulum` | {im['dependencies_s'] * 1000:.0f} ms | 1 |
| `qpp_rules` | {im['qpp_rules_s'] * 1000:.0f} ms | {im['library_over_dependencies']} |
| `qpp_rules.cli` | {im['cli_s'] * 1000:.0f} ms | {im['cli_over_dependencies']} |

`import qpp_rules` does not load cattrs or `importlib.metadata` until a policy year is first
asked for; the command line loads the domain packages when a command runs.
"""


def main() -> None:
    results = json.loads((HERE / "results.json").read_text())
    (HERE / "README.md").write_text(render(results))


if __name__ == "__main__":
    main()
