"""The docs notebook comparing 2019 with 2021 runs top to bottom in a real Jupyter kernel
(nbclient with ipykernel), as the documentation build runs it: every cell, no error, the
tables printed and the plot drawn."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "notebooks" / "compare-2019-2021.ipynb"
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def executed() -> Any:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    with pytest.MonkeyPatch.context() as patch:
        # the kernel is a fresh process: it reads this checkout's source, as the tests do
        patch.setenv("PYTHONPATH", os.pathsep.join(
            filter(None, [str(SRC), os.environ.get("PYTHONPATH")])))
        patch.delenv("MPLBACKEND", raising=False)  # Jupyter's own (inline) backend
        client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                         resources={"metadata": {"path": str(NOTEBOOK.parent)}})
        client.execute()
    return notebook


def test_the_notebook_holds_no_assert_lines() -> None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    assert len(code) >= 5
    assert not any(line.lstrip().startswith("assert") for text in code
                   for line in text.splitlines())


def test_the_comparison_notebook_runs_in_a_kernel(executed: Any) -> None:
    """Every code cell ran (an error stops nbclient with CellExecutionError)."""
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    errors = [out for cell in code for out in cell.outputs if out.output_type == "error"]
    assert errors == []


def test_the_notebook_shows_the_changes_and_their_rules(executed: Any) -> None:
    """REG-ELIG-3: APM Entities may register in 2021, so Web Interface answers change and
    the rule is named beside them."""
    text = "".join(
        out.get("text", "") for cell in executed.cells if cell.cell_type == "code"
        for out in cell.outputs if out.output_type == "stream"
    )
    assert "Web Interface answers that changed:" in text
    assert "REG-ELIG-3" in text


def test_the_notebook_draws_the_plot(executed: Any) -> None:
    last = [cell for cell in executed.cells if cell.cell_type == "code"][-1]
    shown = [out for out in last.outputs if out.output_type in ("display_data", "execute_result")]
    assert any("image/png" in out.get("data", {}) for out in shown)
