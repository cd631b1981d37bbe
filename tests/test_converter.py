"""The cattrs fact converter: round trips of every type, and each field checked once."""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import AS_OF, write_ruleset
from hypothesis import given
from hypothesis import strategies as st
from profiles import profile

import oss_rules
from oss_rules import FactError, FactsError, Hazard
from oss_rules.model._fields import KIND_KEY, Integer, Text, field
from oss_rules.model.convert import fact_from_json, fact_to_json, facts_from_json
from oss_rules.model.domain import shipped_registry
from oss_rules.verify.strategies import facts

REGISTRY = shipped_registry()


@pytest.mark.parametrize("name", REGISTRY.names())
@given(data=st.data())
@profile(25)
def test_every_registered_type_survives_json(name: str, data: st.DataObject):
    """structure(unstructure(x)) == x for generated facts of every shipped type, via JSON text."""
    fact = data.draw(facts(name, registry=REGISTRY))
    unstructured = fact_to_json(fact, REGISTRY)
    assert unstructured["type"] == name
    text = json.dumps(unstructured)
    back = fact_from_json(json.loads(text, parse_float=Decimal), REGISTRY)
    assert back == fact
    assert json.dumps(fact_to_json(back, REGISTRY)) == text


@attrs.frozen
class Counted(Integer):
    """An Integer kind that records every value it checks (a spy)."""

    calls: list[Any] = attrs.field(factory=list, eq=False, hash=False)

    def check(self, value: Any) -> bool:
        self.calls.append(value)
        return super().check(value)


OWN = Counted()
"""Checked by the class itself (a field made with ``field``)."""
PLAIN = Counted()
"""Not checked by the class (an attrs field that only names its kind)."""


@attrs.frozen
class Crane:
    """An app's fact type: one field the class checks, one it leaves to oss_rules."""

    id: str = field(Text(ident=True))
    load: int = field(OWN)
    height: int = attrs.field(metadata={KIND_KEY: PLAIN})


def crane_engine(tmp_path: Path) -> oss_rules.Engine:
    registry = shipped_registry()
    registry.register(Crane)
    header = 'ruleset: cranes\nversion: "1"\nsources:\n  t: test\nrules:\n'
    rules = (
        "  - id: tall\n    cite: t\n    when: [c: Crane(height == 40)]\n"
        '    then: ["Finding(workplace: c.id, code: \\"tall\\", subject: c.id)"]\n'
    )
    return oss_rules.Engine(
        oss_rules.load(write_ruleset(tmp_path / "rs", header + rules), registry=registry)
    )


def reset() -> None:
    OWN.calls.clear()
    PLAIN.calls.clear()


def test_each_field_is_checked_once_from_json_to_result(tmp_path: Path):
    """A fact read from JSON and evaluated has each field checked exactly once."""
    engine = crane_engine(tmp_path)
    items = [{"type": "Crane", "id": f"c{i}", "load": i, "height": 10 * i} for i in range(5)]
    reset()
    cranes = facts_from_json(items, engine.ruleset.registry)
    result = engine.evaluate(cranes, as_of=AS_OF)
    assert sorted(OWN.calls) == [0, 1, 2, 3, 4]
    assert sorted(PLAIN.calls) == [0, 10, 20, 30, 40]
    assert [f.subject for f in result.findings] == ["c4"]


def test_each_field_is_checked_once_from_python_to_result(tmp_path: Path):
    """A fact built in Python: the class checks its own field, evaluate checks the other."""
    engine = crane_engine(tmp_path)
    reset()
    cranes = [Crane(id=f"c{i}", load=i, height=10 * i) for i in range(3)]
    engine.evaluate(cranes, as_of=AS_OF)
    assert sorted(OWN.calls) == [0, 1, 2]
    assert sorted(PLAIN.calls) == [0, 10, 20]


def test_an_equal_fact_built_in_python_is_still_checked(tmp_path: Path):
    """Facts read from JSON are remembered by identity: an equal one (True == 1) is checked."""
    engine = crane_engine(tmp_path)
    (read,) = facts_from_json(
        [{"type": "Crane", "id": "c1", "load": 1, "height": 1}], engine.ruleset.registry
    )
    forged = Crane(id="c1", load=1, height=True)
    assert forged == read
    with pytest.raises(FactsError, match=r"\$\.facts\[0\]\.height"):
        engine.evaluate([forged], as_of=AS_OF)


def test_bad_fields_of_an_app_type_are_all_reported_with_paths():
    """Every bad field of every fact at once: the class's own and the plain one alike."""
    registry = shipped_registry()
    registry.register(Crane)
    items = [
        {"type": "Crane", "id": "c1", "load": "9", "height": 2.5},
        {"type": "Crane", "id": "c2", "lod": 3},
    ]
    with pytest.raises(FactsError) as info:
        facts_from_json(items, registry)
    assert [(e.path, e.value) for e in info.value.errors] == [
        ("$.facts[0].load", "9"),
        ("$.facts[0].height", 2.5),
        ("$.facts[1].lod", 3),
        ("$.facts[1].load", info.value.errors[3].value),
        ("$.facts[1].height", info.value.errors[4].value),
    ]
    assert "did you mean `load`" in str(info.value.errors[2])
    assert "missing" in str(info.value.errors[3])


def test_class_validators_still_run_outside_the_converter_and_in_other_threads():
    """The converter's stand-down is local to its own call: other threads still validate."""
    errors: list[BaseException] = []

    def build() -> None:
        for _ in range(200):
            try:
                Hazard(id="h", workplace="w", category="fall", likelihood=9, severity=1)
            except FactError as error:
                errors.append(error)

    worker = threading.Thread(target=build)
    worker.start()
    items = [
        {"type": "Hazard", "id": f"h{i}", "workplace": "w", "category": "fall",
         "likelihood": 1, "severity": 1}
        for i in range(2000)
    ]  # fmt: skip
    items.append(
        {"type": "Workplace", "id": "w", "sector": "x", "setting": "office", "headcount": 1}
    )
    facts_from_json(items)
    worker.join()
    assert len(errors) == 200
    with pytest.raises(FactError, match="likelihood"):
        Hazard(id="h", workplace="w", category="fall", likelihood=9, severity=1)
