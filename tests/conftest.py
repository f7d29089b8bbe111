"""Shared test settings: Hypothesis profiles.

- ``dev`` (the default): 100 examples per property, for the edit-test loop.
- ``ci`` (when ``CI`` is set): 200 examples per property, sized so that the README's whole
  check stays within a few minutes on a 2-core machine.
- ``deep`` (``HYPOTHESIS_PROFILE=deep``): 5,000 examples per property and longer stateful
  runs, for a long run before a release or after touching the rules (an hour or more).

``HYPOTHESIS_PROFILE`` names a profile and wins over ``CI``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "deep",
    max_examples=5_000,
    stateful_step_count=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_DEFAULT = "ci" if os.environ.get("CI") else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or _DEFAULT)
