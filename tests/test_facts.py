"""Facts validate themselves; input JSON is read strictly with every problem reported."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import oss_rules
from oss_rules import FactError, FactsError, Hazard, Workplace
from oss_rules.model.domain import shipped_registry


def test_hazard_score_is_likelihood_times_severity():
    """score is computed, not given."""
    assert Hazard(id="h", workplace="w", category="fall", likelihood=4, severity=5).score == 20


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"severity": 7}, "severity", "an int in 1..5"),
        ({"severity": True}, "severity", "an int in 1..5"),
        ({"likelihood": "4"}, "likelihood", "an int in 1..5"),
        ({"category": "falls"}, "category", "one of machinery"),
        ({"identified_on": "2026-01-01"}, "identified_on", "a date (YYYY-MM-DD) or null"),
        ({"id": ""}, "id", "a non-empty identifier"),
    ],
)
def test_bad_value_names_fact_field_value_and_expectation(changes, field, expected):
    """A bad value raises FactError carrying fact, field, value and what was expected."""
    values = {"id": "h1", "workplace": "w", "category": "fall", "likelihood": 1, "severity": 1}
    values.update(changes)
    with pytest.raises(FactError) as info:
        Hazard(**values)
    error = info.value
    assert (error.fact, error.field) == ("Hazard", field)
    assert error.value == next(iter(changes.values()))
    assert expected in error.expected
    assert field in str(error) and repr(error.value) in str(error)


def test_unknown_category_suggests_the_closest():
    """A near-miss category gets a "did you mean" hint."""
    with pytest.raises(FactError, match="did you mean `fall`"):
        Hazard(id="h", workplace="w", category="falls", likelihood=1, severity=1)


def test_declared_modules_accepts_a_list_and_rejects_duplicates():
    """A list becomes a tuple; a module declared twice is an error."""
    w = Workplace(id="w", sector="x", setting="office", headcount=1, declared_modules=["OSS-I"])
    assert w.declared_modules == ("OSS-I",)
    with pytest.raises(FactError, match="distinct"):
        Workplace(
            id="w", sector="x", setting="office", headcount=1, declared_modules=["OSS-I", "OSS-I"]
        )


def test_read_inventory_reports_every_problem_with_its_path():
    """All problems of an input document come back at once, each with a JSON path."""
    data = {
        "as_of": "2026-13-01",
        "facts": [
            {"type": "Workplace", "id": "w1", "sector": "x", "setting": "ofice", "headcount": 3},
            {
                "type": "Hazard",
                "id": "h1",
                "workplace": "w9",
                "category": "fall",
                "likelihood": 4,
                "severty": 5,
            },
            {"type": "Hazrd"},
        ],
    }
    with pytest.raises(FactsError) as info:
        oss_rules.read_inventory(data)
    by_path = {e.path: str(e) for e in info.value.errors}
    assert set(by_path) == {
        "$.as_of",
        "$.facts[0].setting",
        "$.facts[1].severty",
        "$.facts[1].severity",
        "$.facts[2].type",
    }
    assert "did you mean `office`" in by_path["$.facts[0].setting"]
    assert "did you mean `severity`" in by_path["$.facts[1].severty"]
    assert "missing" in by_path["$.facts[1].severity"]
    assert "did you mean `Hazard`" in by_path["$.facts[2].type"]
    assert str(info.value).startswith("5 errors occurred:")


def test_dangling_reference_is_reported_after_fields_are_valid():
    """A hazard of a workplace that is not in the input is an error with a suggestion."""
    data = {
        "as_of": "2026-06-30",
        "facts": [
            {
                "type": "Workplace",
                "id": "site-a",
                "sector": "x",
                "setting": "field",
                "headcount": 3,
            },
            {
                "type": "Hazard",
                "id": "h1",
                "workplace": "site-b",
                "category": "fall",
                "likelihood": 4,
                "severity": 5,
            },
        ],
    }
    with pytest.raises(FactsError) as info:
        oss_rules.read_inventory(data)
    (error,) = info.value.errors
    assert error.path == "$.facts[1].workplace"
    assert "did you mean `site-a`" in str(error)


def test_computed_field_may_be_given_only_with_its_value():
    """A score that contradicts likelihood x severity is rejected, a matching one accepted."""
    base = {
        "type": "Hazard",
        "id": "h",
        "workplace": "w",
        "category": "fall",
        "likelihood": 2,
        "severity": 3,
    }
    assert oss_rules.fact_from_json({**base, "score": 6}, shipped_registry()).score == 6
    with pytest.raises(FactsError, match="score"):
        oss_rules.fact_from_json({**base, "score": 7}, shipped_registry())


def test_fact_json_round_trip():
    """fact_from_json(fact_to_json(f)) == f, dates included."""
    reg = shipped_registry()
    fact = Hazard(
        id="h",
        workplace="w",
        category="noise",
        likelihood=2,
        severity=3,
        identified_on=dt.date(2024, 2, 29),
    )
    assert oss_rules.fact_from_json(oss_rules.model.fact_to_json(fact, reg), reg) == fact


def test_app_registers_its_own_fact_type():
    """An app's frozen attrs class becomes a fact type, validated from its annotations."""
    reg = shipped_registry()

    @reg.register
    @attrs.frozen
    class Contractor:
        id: str
        workplace: str
        since: dt.date | None = None

    fact = oss_rules.fact_from_json(
        {"type": "Contractor", "id": "c1", "workplace": "w1", "since": "2026-01-02"}, reg
    )
    assert fact == Contractor("c1", "w1", dt.date(2026, 1, 2))
    with pytest.raises(FactsError, match="since"):
        oss_rules.fact_from_json(
            {"type": "Contractor", "id": "c", "workplace": "w", "since": 5}, reg
        )


def test_registry_rejects_unusable_classes():
    """Mutable classes, reserved field names and unsupported types are refused."""
    reg = shipped_registry()

    @attrs.define
    class Mutable:
        x: int

    @attrs.frozen
    class Reserved:
        type: str

    @attrs.frozen
    class Weird:
        x: dict

    with pytest.raises(TypeError, match="frozen"):
        reg.register(Mutable)
    with pytest.raises(ValueError, match="must not be one of"):
        reg.register(Reserved)
    with pytest.raises(TypeError, match="cannot hold"):
        reg.register(Weird)


def test_too_many_fields_for_durable_is_refused():
    """A fact type with more fields than durable-rules can match is refused at registration."""
    big = attrs.make_class("Big", {f"f{i}": attrs.field(type=int) for i in range(252)}, frozen=True)
    with pytest.raises(ValueError, match="at most 251 fields"):
        shipped_registry().register(big)


def test_invalid_json_text_is_a_located_input_error():
    """Text that is not JSON raises InputError with line and column, not a raw decode error."""
    with pytest.raises(oss_rules.InputError) as info:
        oss_rules.read_inventory('{"as_of": "2026-06-30",\n "facts": [}')
    assert (info.value.line, info.value.col) == (2, 12)
