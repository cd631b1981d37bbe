"""Every test case shipped beside the rulesets (``rulesets/*/tests/*.yaml``) is a pytest test,
on each backend; and both backends give the same JSON bytes on every case and example.

The ids are ``<ruleset>/<file>::<case name>``, as ``oss-rules test`` prints them, so
``pytest -k "classify.yaml"`` runs one file's cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from oss_rules import Engine, OssRulesError
from oss_rules.authoring import testing
from oss_rules.engine._engine import BACKENDS
from oss_rules.language import load, shipped_rulesets
from oss_rules.model.convert import facts_from_json, read_inventory

CASES = testing.collect()
EXAMPLES = sorted((ROOT / "examples").rglob("*.json"))
SHIPPED = sorted(shipped_rulesets().items())


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("suite", "case"), CASES, ids=[case.id for _, case in CASES])
def test_case(suite: testing.Suite, case: testing.Case, backend: str) -> None:
    """The case's conclusions (or its error) are what the case expects."""
    outcome = testing.run_case(suite, case, backend=backend)
    assert outcome.passed, outcome.report()


def _outcomes(engines: list[Engine], facts: list[object], as_of: object) -> list[str]:
    """Each engine's ``to_json()``, or its error as text."""
    out = []
    for engine in engines:
        try:
            out.append(engine.evaluate(facts, as_of=as_of).to_json())  # type: ignore[arg-type]
        except OssRulesError as error:
            out.append(f"{type(error).__name__}: {error}")
    return out


@pytest.mark.parametrize(("suite", "case"), CASES, ids=[case.id for _, case in CASES])
def test_backends_give_the_same_bytes_on_every_case(suite: testing.Suite, case: testing.Case):
    """Durable and compiled: the same ``to_json()`` bytes (or the same error) on each case."""
    try:
        facts = facts_from_json(list(case.given), suite.ruleset.registry)
    except OssRulesError:
        assert case.expect_error is not None  # input rejected before any engine runs
        return
    engines = [suite.engine(case.params, backend) for backend in BACKENDS]
    durable, compiled = _outcomes(engines, facts, case.as_of)
    assert compiled == durable


@pytest.fixture(scope="module")
def shipped_engines() -> dict[str, list[Engine]]:
    """Every shipped ruleset on each backend, compiled once."""
    return {name: [Engine(load(d), backend=b) for b in BACKENDS] for name, d in SHIPPED}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_backends_give_the_same_bytes_on_every_example(
    example: Path, shipped_engines: dict[str, list[Engine]]
):
    """Every example, evaluated with every shipped ruleset: the same bytes on both backends."""
    inventory = read_inventory(example.read_text("utf-8"))
    for name, engines in shipped_engines.items():
        durable, compiled = _outcomes(engines, list(inventory.facts), inventory.as_of)
        assert compiled == durable, name


def test_shipped_cases_cover_every_rule() -> None:
    """The shipped cases make every rule of every shipped ruleset fire at least once."""
    suites = list(dict.fromkeys(suite for suite, _ in CASES))
    outcomes = [testing.run_case(suite, case) for suite, case in CASES]
    report = testing.coverage(suites, outcomes)
    assert report.percent == 100.0, report.render()
