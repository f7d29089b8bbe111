"""Populations through one policy or many: tables of decisions, counts, differences and
sweeps (``evaluate``, ``compare``, ``compare_many``, ``sweep``), over records, CSV and Parquet
files, pandas or polars DataFrames and polars LazyFrames."""

from __future__ import annotations

from qpp_rules.analysis.columns import COLUMNS
from qpp_rules.analysis.compare import Comparison, PolicyTable, compare, compare_many, sweep
from qpp_rules.analysis.evaluate import Evaluation, as_population, evaluate
from qpp_rules.analysis.population import Population, example_population
from qpp_rules.analysis.questions import QUESTIONS, Answer, Question

__all__ = [
    "COLUMNS",
    "QUESTIONS",
    "Answer",
    "Comparison",
    "Evaluation",
    "PolicyTable",
    "Population",
    "Question",
    "as_population",
    "compare",
    "compare_many",
    "evaluate",
    "example_population",
    "sweep",
]
