"""Shared fixtures: the default engine (compiled once) and fact builders."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

import oss_rules
from oss_rules import Engine, Hazard, Workplace

# The tests load thousands of rulesets: their cache goes to a scratch directory of this
# session (child processes inherit it), never to the user's ~/.cache.
_CACHE = tempfile.TemporaryDirectory(prefix="oss-rules-cache-")
os.environ["OSS_RULES_CACHE_DIR"] = _CACHE.name

# Text output wraps to COLUMNS and has colour with FORCE_COLOR: the tests' outputs must
# not depend on the terminal they are run from (tests that need these set them).
for _name in ("COLUMNS", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE"):
    os.environ.pop(_name, None)

AS_OF = dt.date(2026, 6, 30)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The default ruleset, compiled once for the whole test session."""
    return Engine(oss_rules.load_default())


def workplace(**changes: Any) -> Workplace:
    """A valid office workplace assessed recently, with ``changes`` applied."""
    values: dict[str, Any] = {
        "id": "w1",
        "sector": "retail",
        "setting": "office",
        "headcount": 10,
        "declared_modules": ("OSS-I",),
        "last_assessment": dt.date(2026, 1, 1),
    }
    values.update(changes)
    return Workplace(**values)


def hazard(id: str = "h1", **changes: Any) -> Hazard:
    """A valid low ergonomic hazard of workplace w1, with ``changes`` applied."""
    values: dict[str, Any] = {
        "id": id,
        "workplace": "w1",
        "category": "ergonomic",
        "likelihood": 1,
        "severity": 1,
    }
    values.update(changes)
    return Hazard(**values)


def write_ruleset(root: Path, header: str, **files: str) -> Path:
    """Write ``ruleset.yaml`` (and other files) into ``root`` and return it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "ruleset.yaml").write_text(header, "utf-8")
    for name, text in files.items():
        (root / f"{name}.yaml").write_text(text, "utf-8")
    return root
