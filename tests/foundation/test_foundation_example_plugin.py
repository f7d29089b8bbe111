"""The example plug-in distribution examples/qpp-rules-extra-year: installed with pip
(offline: hatchling is in the dev extra), its year 2099 is found through the entry-point group
``qpp_rules.policy_years`` in a fresh interpreter.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from qpp_rules.errors import PolicyFileError
from qpp_rules.policy import GROUP, load_policy_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "qpp-rules-extra-year"
DATA = EXAMPLE / "src" / "qpp_rules_extra_year" / "py2099.toml"

PROBE = f"""
import json
from importlib import metadata
import qpp_rules as qr
policy = qr.policy_for(2099)
published = qr.policy_for(2099, as_of=qr.eastern(2099, 6, 1))
print(json.dumps({{
    "years": list(qr.available_years()),
    "errors": [str(error) for error in qr.plugin_errors()],
    "title": policy.title,
    "providers": sorted(
        (entry.dist.metadata["Name"], entry.name, entry.value)
        for entry in metadata.entry_points(group={GROUP!r})
    ),
    "closes": policy.registration.window.closes.isoformat(),
    "published_closes": published.registration.window.closes.isoformat(),
    "amendments": [amendment.id for amendment in policy.amendments],
}}))
"""


def test_the_example_installs_with_pip_and_its_year_is_found(tmp_path: Path) -> None:
    if importlib.util.find_spec("pip") is None:
        pytest.skip("pip is not available in this interpreter: cannot install the example")
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
         "--no-index", "--disable-pip-version-check", "--quiet", "--target", str(target),
         str(EXAMPLE)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    assert (target / "qpp_rules_extra_year" / "py2099.toml").is_file()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), str(ROOT / "src")])}
    probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                           timeout=120, env=env, check=False, cwd=tmp_path)
    assert probe.returncode == 0, probe.stdout + probe.stderr
    found = json.loads(probe.stdout)
    assert 2099 in found["years"]
    assert {2018, 2019, 2021} <= set(found["years"])
    assert found["errors"] == []
    assert "EXAMPLE, not CMS policy" in found["title"]
    assert ["qpp-rules-extra-year", "py2099", "qpp_rules_extra_year:years"] in found["providers"]
    # its amendment is dated data too
    assert found["amendments"] == ["EX-A1"]
    assert found["closes"] == "2099-07-15T20:00:00-04:00"
    assert found["published_closes"] == "2099-06-30T20:00:00-04:00"


def test_the_example_declares_its_entry_point_and_says_it_is_an_example() -> None:
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["build-system"]["build-backend"] == "hatchling.build"
    assert project["project"]["entry-points"][GROUP] == {"py2099": "qpp_rules_extra_year:years"}
    assert "not CMS policy" in project["project"]["description"]
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    assert "example, not CMS policy" in readme
    assert "How to write a year plug-in" in readme


def test_the_example_data_file_loads_and_stays_in_step_with_the_model() -> None:
    """Every value the built-in years have, the example has (a field added to the model and
    the built-in files must be added to the example too)."""
    policy = load_policy_text(DATA.read_text(encoding="utf-8"), "py2099.toml")
    assert policy.year == 2099
    assert {citation.source for citation in policy.citations.values()} == {
        "qpp-rules-extra-year README"}
    broken = DATA.read_text(encoding="utf-8").replace("value = 25", 'value = "25"', 1)
    with pytest.raises(PolicyFileError, match=r"registration\.web_interface_min_clinicians"):
        load_policy_text(broken, "py2099.toml")
