"""Populations through one policy or two: tables of decisions, counts, differences
(``evaluate``, ``compare``), over records, CSV files and pandas or polars DataFrames."""

from __future__ import annotations

from qpp_rules.analysis.evaluate import (
    QUESTIONS,
    Answer,
    Comparison,
    Evaluation,
    Question,
    as_population,
    compare,
    evaluate,
)
from qpp_rules.analysis.population import COLUMNS, Population, example_population

__all__ = [
    "COLUMNS",
    "QUESTIONS",
    "Answer",
    "Comparison",
    "Evaluation",
    "Population",
    "Question",
    "as_population",
    "compare",
    "evaluate",
    "example_population",
]
