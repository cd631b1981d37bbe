"""A durable firing derives through the compiled backend's generated ``then``, made at the
rule's first firing; the closures are the fallback, and the results are the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import oss_rules
from oss_rules import Engine
from oss_rules.engine import _durable_run

ROOT = Path(__file__).resolve().parent.parent


def _inventories() -> list[oss_rules.Inventory]:
    return [oss_rules.read_inventory(p) for p in sorted((ROOT / "examples").glob("*.json"))]


def _outputs(engine: Engine) -> list[str]:
    return [engine.evaluate(i.facts, as_of=i.as_of).to_json() for i in _inventories()]


def test_rules_without_aggregates_fire_through_generated_code() -> None:
    engine = Engine(oss_rules.load_default())
    _outputs(engine)
    made = engine._consequences
    assert made, "no rule fired"
    assert all(made[label] is not None for label in made)


def test_generation_failing_falls_back_to_the_closures(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _outputs(Engine(oss_rules.load_default(), backend="compiled"))

    def broken(*_: Any) -> Any:
        raise RuntimeError("a bug in code generation")

    monkeypatch.setattr(_durable_run, "compile_consequence", broken)
    engine = Engine(oss_rules.load_default())
    assert _outputs(engine) == expected
    assert set(engine._consequences.values()) == {None}


def test_generated_code_raising_takes_the_closures(monkeypatch: pytest.MonkeyPatch) -> None:
    """A generated function that raises on a firing is not trusted for it: the closures
    derive (and would report the rule's error)."""
    expected = _outputs(Engine(oss_rules.load_default(), backend="compiled"))
    real = _durable_run.compile_consequence

    def raising(*args: Any) -> Any:
        made = real(*args)
        if made is None:
            return None

        def derive(*_: Any) -> Any:
            raise TypeError("generated code failed")

        return derive, made[1] and derive

    monkeypatch.setattr(_durable_run, "compile_consequence", raising)
    assert _outputs(Engine(oss_rules.load_default())) == expected
