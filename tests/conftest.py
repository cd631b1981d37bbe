"""Shared fixtures: the default engine (compiled once) and fact builders."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
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


SMALL_RULESET = """\
ruleset: small
version: "1"
sources:
  s: "A source."
rules:
  - id: office
    cite: s
    when:
      - w: Workplace(setting == "office")
    then:
      - 'Obligation(workplace: w.id, module: "OSS-I")'

  - id: field
    cite: s
    when:
      - w: Workplace(setting == "field")
    then:
      - 'Obligation(workplace: w.id, module: "OSS-III")'

  - id: plant
    cite: s
    when:
      - w: Workplace(setting == "plant")
    then:
      - 'Obligation(workplace: w.id, module: "OSS-III")'
"""
"""A three-rule ruleset `small`: an office needs OSS-I, a field site and a plant OSS-III."""


@pytest.fixture
def small_ruleset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    """Writes ``SMALL_RULESET`` with the given ``tests/cases.yaml`` text to ``small/`` in a
    fresh working directory (so that paths print as ``small/...``) and returns its root."""
    monkeypatch.chdir(tmp_path)

    def write(cases: str) -> Path:
        root = write_ruleset(tmp_path / "small", SMALL_RULESET)
        (root / "tests").mkdir()
        (root / "tests" / "cases.yaml").write_text(cases, "utf-8")
        return root

    return write
