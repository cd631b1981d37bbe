"""Hypothesis settings profiles of the property tests: ``ci`` (default) and ``explore``.

``ci`` is derandomized and keeps no example database: every run tries the same examples,
so a CI failure reproduces on any machine. ``explore`` draws new examples on every run
and tries ten times as many; use it to hunt for new bugs::

    OSS_RULES_PROFILE=explore .venv/bin/pytest tests/test_oracle.py
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = os.environ.get("OSS_RULES_PROFILE", "ci")
SCALE = 10 if PROFILE == "explore" else 1


def profile(max_examples: int) -> settings:
    """The selected profile with ``max_examples`` (ten times as many when exploring)."""
    return settings(settings.get_profile(PROFILE), max_examples=max_examples * SCALE)
