"""Write the bundled example population: synthetic, deterministic, no real identifiers.

    python tools/make_example_population.py          # rewrites the bundled CSV
    python tools/make_example_population.py --check  # exits 1 if the bundled CSV differs

A few thousand organizations of every type and size band, with the facts the rules read:
size, APM model, SSP ACO participation, split-TIN counts, last year's Web Interface
submission, and low-volume facts near the thresholds. Fixed seed: the same file every run.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from pathlib import Path

from qpp_rules.analysis.population import COLUMNS  # the columns the library reads

SEED = 20191
COUNT = 4000
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src/qpp_rules/analysis/data/example_population.csv"
_WORDS = ("Harbor", "Valley", "Summit", "Lakeside", "Pine", "River", "Cedar", "Meadow",
          "Granite", "Willow", "Prairie", "Bay", "Maple", "Canyon", "Orchard", "Ridge")
_SUFFIX = {"Practice": ("Family Medicine", "Health Partners", "Clinic", "Medical Group"),
           "Virtual Group": ("Virtual Group",), "APM Entity": ("ACO", "Care Network"),
           "Registry": ("Registry", "QCDR")}


def _clinicians(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.2:
        return rng.randint(22, 27)  # around the 24/25 edge
    if roll < 0.55:
        return rng.randint(2, 24)
    if roll < 0.85:
        return rng.randint(25, 99)
    return rng.randint(100, 400)


def _near(rng: random.Random, edge: int, spread: int) -> int:
    return max(0, edge + rng.randint(-spread, spread))


def rows() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    out: list[dict[str, str]] = []
    for index in range(1, COUNT + 1):
        kind = rng.choices(
            ("Practice", "Virtual Group", "APM Entity", "Registry"), (70, 10, 15, 5)
        )[0]
        clinicians = _clinicians(rng)
        apm_model = ""
        ssp_participant = False
        split = ""
        if kind == "APM Entity":
            apm_model = rng.choice(
                ("Medicare Shared Savings Program", "Next Generation ACO Model",
                 "Comprehensive Primary Care Plus")
            )
        elif kind == "Practice":
            ssp_participant = rng.random() < 0.15
            if not ssp_participant and rng.random() < 0.08:
                split = str(rng.randint(1, clinicians))
        prior_wi = kind in ("Practice", "Virtual Group") and clinicians >= 25 and rng.random() < 0.3
        name = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {rng.choice(_SUFFIX[kind])}"
        out.append(
            {
                "org_id": f"ORG-{index:05d}",
                "kind": kind,
                "name": name,
                "clinicians": str(clinicians),
                "apm_model": apm_model,
                "ssp_aco_participant": "true" if ssp_participant else "false",
                "split_tin_mips_clinicians": split,
                "submitted_web_interface_prior_year": "true" if prior_wi else "false",
                "reporting_track": "",  # traditional MIPS: the APP exists from PY2021 only
                "allowed_charges": f"{_near(rng, 90000, 4000)}.{rng.randint(0, 99):02d}",
                "patients": str(_near(rng, 200, 25)),
                "covered_services": str(_near(rng, 200, 25)),
            }
        )
    return out


def render() -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows())
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the bundled file differs")
    args = parser.parse_args()
    text = render()
    if args.check:
        same = TARGET.exists() and TARGET.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{TARGET} differs from the generator")
        return 0 if same else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET} ({COUNT} organizations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
