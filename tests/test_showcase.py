"""examples/incident-watch, the ruleset that uses every construct of issue 16, passes
check, fmt, its cases with full coverage on both backends and verify, and really holds
each construct: deleting one from it makes a test here fail."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from conftest import ROOT
from ruamel.yaml import YAML

import oss_rules
from oss_rules.cli import main
from oss_rules.language import syntax as s

SHOWCASE = ROOT / "examples" / "incident-watch"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def ruleset() -> s.Ruleset[Any]:
    """The showcase ruleset, loaded once."""
    return oss_rules.load(SHOWCASE)


def _nodes(node: object) -> Iterator[object]:
    """``node`` and every node of the syntax tree below it."""
    yield node
    if isinstance(node, tuple | list):
        for item in node:
            yield from _nodes(item)
    elif attrs.has(type(node)) and not isinstance(node, s.Span):
        for field in attrs.fields(type(node)):
            yield from _nodes(getattr(node, field.name))


def _uses(expr: object, name: str) -> bool:
    return any(isinstance(n, s.Name) and n.id == name for n in _nodes(expr))


def _when_items(items: list[Any]) -> Iterator[Any]:
    """Every item of a rule's ``when`` as written, inside ``or:`` alternatives too."""
    for item in items:
        yield item
        if isinstance(item, dict) and "or" in item:
            for alternative in item["or"]:
                yield from _when_items(
                    alternative if isinstance(alternative, list) else [alternative]
                )


def _written_when_items() -> list[Any]:
    """The ``when`` items of every rule of the showcase's files, as YAML reads them."""
    found = []
    for path in sorted(SHOWCASE.glob("*.yaml")):
        data = YAML(typ="safe").load(path.read_text("utf-8"))
        for rule in data.get("rules", []):
            found.extend(_when_items(rule["when"]))
    return found


def test_check_finds_nothing_and_the_files_are_formatted():
    """`oss-rules check` reports no problem, not even a warning, and `fmt --check` passes."""
    assert run("check", str(SHOWCASE)) == (0, "checked 1 ruleset: no problems\n")
    code, output = run("fmt", "--check", str(SHOWCASE))
    assert code == 0, output


@pytest.mark.parametrize("backend", ["durable", "compiled"])
def test_the_cases_pass_and_fire_every_rule_and_row(backend: str):
    """Every case passes and every rule, alternative and table row fires, on each backend."""
    code, output = run(
        "test", "--backend", backend, "--coverage", "--fail-under", "100", str(SHOWCASE)
    )
    assert code == 0, output
    assert "rule coverage: 14/14 rules (100.0 %)" in output
    assert re.search(r"^\d+ passed, 0 failed, 14 of 14 rules covered$", output, re.MULTILINE)


@pytest.mark.slow
def test_verify_finds_no_counterexample():
    """`oss-rules verify` checks the declared properties and the built-in ones: all hold."""
    code, output = run("verify", str(SHOWCASE))
    assert code == 0, output
    assert "3 declared and 3 built-in properties" in output
    assert output.endswith("6 passed, 0 failed\n")


def test_each_aggregate_function_is_used(ruleset: s.Ruleset[Any]):
    """count, sum, min and max each stand in a rule's `when`; count and sum are tested
    there and every aggregate's value is used in `then`; the sum adds a money field."""
    found: dict[str, list[tuple[s.Rule, s.Aggregate]]] = {}
    for rule in ruleset.rules:
        for aggregate in rule.aggregates:
            found.setdefault(aggregate.function, []).append((rule, aggregate))
    assert set(found) == {"count", "sum", "min", "max"}
    for function in ("count", "sum"):
        assert any(a.op is not None for _, a in found[function]), function
    for function, uses in found.items():
        assert any(a.binding is not None and _uses(rule.then, a.binding) for rule, a in uses), (
            function
        )
    money = {(a.pattern.fact_type, a.field) for _, a in found["sum"]}
    assert ("Benefit", "amount") in money


def test_the_sum_of_money_is_exact(ruleset: s.Ruleset[Any]):
    """Three amounts with cents add up exactly, as a Decimal, on each backend: binary floats
    would give 3750000.5999999996."""
    facts = oss_rules.read_inventory(
        {
            "as_of": "2026-06-30",
            "facts": [
                {
                    "type": "Workplace",
                    "id": "w1",
                    "sector": "metal",
                    "setting": "plant",
                    "headcount": 30,
                },
                {
                    "type": "Incident",
                    "id": "i1",
                    "workplace": "w1",
                    "kind": "injury",
                    "occurred_at": "2026-06-01T14:30",
                },
                *(
                    {
                        "type": "Benefit",
                        "workplace": "w1",
                        "incident": "i1",
                        "kind": kind,
                        "basis": "PP 82/2019",
                        "amount": amount,
                    }
                    for kind, amount in (("a", "1250000.1"), ("b", "1250000.2"), ("c", "1250000.3"))
                ),
            ],
        }
    ).facts
    for backend in ("durable", "compiled"):
        result = oss_rules.Engine(ruleset, backend=backend).evaluate(
            facts, as_of=dt.date(2026, 6, 30)
        )
        (finding,) = [f for f in result.findings if f.code == "employer_liability"]
        assert finding.message.startswith("JKK benefits of Rp3750000.6 for the injury")
    assert sum(Decimal(v) for v in ("1250000.1", "1250000.2", "1250000.3")) == Decimal("3750000.6")


def test_or_stands_in_a_pattern_and_between_patterns(ruleset: s.Ruleset[Any]):
    """The files write `or` between the conditions of a pattern and `or:` between patterns,
    and the loaded ruleset has rules of several alternatives."""
    items = _written_when_items()
    assert any(isinstance(item, dict) and "or" in item for item in items)
    patterns = [
        text
        for item in items
        for text in ([item] if isinstance(item, str) else item.values())
        if isinstance(text, str)
    ]
    assert any(re.search(r"\(.* or .*\)", text) for text in patterns)
    alternatives = {r.id: r.alternative.of for r in ruleset.rules if r.alternative is not None}
    # employer-liability: `or:` of two patterns, each with an `or` inside: 2 x 2.
    assert alternatives == {"unassessed-hazard": 2, "management-review": 3, "employer-liability": 4}


def test_days_between_and_months_between_are_called(ruleset: s.Ruleset[Any]):
    """Both date differences are called in the rules."""
    calls = {n.func for n in _nodes(ruleset.rules) if isinstance(n, s.Call)}
    assert {"days_between", "months_between"} <= calls


def test_every_table_row_has_an_id(ruleset: s.Ruleset[Any]):
    """The table's rows carry ids, and its rules are named by them."""
    (table,) = ruleset.tables
    assert [row.id for row in table.rows] == ["minor", "serious", "fatal"]
    names = {rule.id for rule in ruleset.rules}
    assert {"investigation#minor", "investigation#serious", "investigation#fatal"} <= names


def test_the_ruleset_declares_properties(ruleset: s.Ruleset[Any]):
    """verify has declared properties to check, not only the built-in ones."""
    assert ruleset.properties is not None
    assert [p["id"] for p in ruleset.properties.data] == [
        "death-reviewed",
        "every-incident-investigated",
        "reviews-stay",
    ]


def test_the_authoring_guide_shows_the_rules_as_they_are():
    """docs/authoring.md shows hazards.yaml whole, and the block is the file, not a copy
    that could drift from it."""
    guide = (ROOT / "docs" / "authoring.md").read_text("utf-8")
    hazards = (SHOWCASE / "hazards.yaml").read_text("utf-8")
    assert f"```yaml\n# file: examples/incident-watch/hazards.yaml\n{hazards}```\n" in guide
