"""Public entry points fail with an OssRulesError that says what to do, never with a raw
TypeError, AttributeError or FileNotFoundError from deep inside."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import AS_OF, hazard, workplace

import oss_rules
from oss_rules import Engine
from oss_rules.domains.bpjstk.payroll import payroll_report
from oss_rules.domains.oss.registration import build_submission
from oss_rules.errors import (
    ArgumentError,
    FactsError,
    FactTypeError,
    FileError,
    OssRulesError,
    RulesetError,
)
from oss_rules.model import fact_to_json
from oss_rules.model.registry import FactRegistry


def test_evaluating_json_objects_names_each_and_says_how_to_build_facts(engine: Engine) -> None:
    """A dict among the facts (used to be `TypeError: unhashable type: 'dict'`) is a
    FactsError at its index that points to fact_from_json and read_inventory."""
    items: list[Any] = [workplace(), {"type": "Hazard", "id": "h1"}, {"type": "Hazard"}]
    with pytest.raises(FactsError) as info:
        engine.evaluate(items, as_of=AS_OF)
    assert [e.path for e in info.value.errors] == ["$.facts[1]", "$.facts[2]"]
    assert "fact_from_json" in str(info.value) and "read_inventory" in str(info.value)


@pytest.mark.parametrize("facts", [None, "w1", 3, {"type": "Workplace"}])
def test_evaluating_something_that_is_not_a_collection_of_facts(engine: Engine, facts: Any) -> None:
    """None, a string, a number or one JSON object instead of facts is one clear FactsError."""
    with pytest.raises(FactsError, match="must be an iterable of fact objects"):
        engine.evaluate(facts, as_of=AS_OF)


def test_a_fact_of_a_type_the_ruleset_does_not_use(engine: Engine) -> None:
    """An attrs instance of a type outside the ruleset's domains names those domains, and
    is listed with the other bad items rather than stopping at the first."""

    @attrs.frozen
    class Stranger:
        id: str

    with pytest.raises(FactsError) as info:
        engine.evaluate([Stranger("s1"), {"type": "Hazard"}], as_of=AS_OF)
    first, second = info.value.errors
    assert first.path == "$.facts[0]" and "its domains are" in str(first)
    assert second.path == "$.facts[1]" and "fact_from_json" in str(second)


def test_facts_from_a_generator_are_evaluated(engine: Engine) -> None:
    """Checking the items first does not consume a one-shot iterable before evaluation."""
    result = engine.evaluate((f for f in [workplace(), hazard()]), as_of=AS_OF)
    assert [c.hazard for c in result.classifications] == ["h1"]


def test_loading_a_path_that_does_not_exist(tmp_path: Path) -> None:
    """load() of a missing path (used to be a bare FileNotFoundError) is a RulesetError
    (OSS002) naming the path, with the shipped rulesets as a hint."""
    with pytest.raises(RulesetError) as info:
        oss_rules.load(tmp_path / "nope")
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.code == "OSS002" and diagnostic.file == str(tmp_path / "nope")
    assert "load_default(ID)" in diagnostic.hint and "id-k3" in diagnostic.hint


def test_a_mistyped_shipped_ruleset_gets_a_suggestion() -> None:
    """load_default("os") is a RulesetError that suggests `oss`."""
    with pytest.raises(RulesetError, match="did you mean `oss`"):
        oss_rules.load_default("os")


def test_loading_something_that_is_not_a_path() -> None:
    """load(42) is an ArgumentError (also a TypeError) naming the argument."""
    with pytest.raises(ArgumentError, match=r"load\(path=42\)") as info:
        oss_rules.load(42)  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)


def test_reading_an_input_file_that_does_not_exist(tmp_path: Path) -> None:
    """read_inventory(Path) of a missing file is a FileError naming the file."""
    missing = tmp_path / "missing.json"
    with pytest.raises(FileError, match=r"missing\.json"):
        oss_rules.read_inventory(missing)


def test_reading_an_input_file_that_is_not_utf8(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are a FileError, not a UnicodeDecodeError."""
    file = tmp_path / "latin.json"
    file.write_bytes(json.dumps({"as_of": "2026-01-01", "facts": []}).encode() + b"\xff")
    with pytest.raises(FileError, match="UTF-8"):
        oss_rules.read_inventory(file)


def test_registering_what_cannot_be_a_fact_type() -> None:
    """A plain class, an instance and a field type facts cannot hold are FactTypeErrors,
    still TypeErrors for code that caught those."""

    class Plain:
        pass

    @attrs.frozen
    class Odd:
        x: object

    registry = FactRegistry()
    for bad, text in ((Plain, "not an attrs class"), (3, "an instance of int"), (Odd, "cannot")):
        with pytest.raises(FactTypeError, match=text) as info:
            registry.register(bad)  # type: ignore[type-var]
        assert isinstance(info.value, TypeError) and isinstance(info.value, OssRulesError)


def test_fact_to_json_of_a_non_fact() -> None:
    """fact_to_json of something that is not a registered fact is an ArgumentError."""
    with pytest.raises(ArgumentError, match="registered fact type"):
        fact_to_json({"type": "Hazard"}, FactRegistry())


@pytest.mark.parametrize(
    ("args", "kwargs", "text"),
    [
        (("oss",), {}, r"Engine\(ruleset='oss'\)"),
        ((), {"params": [("high_from", 21)]}, r"Engine\(params=\["),
    ],
)
def test_engine_arguments(args: tuple[Any, ...], kwargs: dict[str, Any], text: str) -> None:
    """Engine("oss") or params that are not a mapping raise ArgumentError (was AttributeError)."""
    if not args:
        args = (oss_rules.load_default(),)
    with pytest.raises(ArgumentError, match=text):
        Engine(*args, **kwargs)


def test_build_submission_arguments(engine: Engine) -> None:
    """A missing result or a workplace that is neither a Workplace nor an id is an ArgumentError."""
    result = engine.evaluate([workplace()], as_of=AS_OF)
    with pytest.raises(ArgumentError, match=r"build_submission\(result=None\)"):
        build_submission(None, "w1")  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match=r"build_submission\(workplace=3\)"):
        build_submission(result, 3)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match=r"submitted_on="):
        build_submission(result, "w1", submitted_on="2026-07-01")  # type: ignore[arg-type]


def test_payroll_report_arguments(engine: Engine) -> None:
    """payroll_report needs a Result and a date: anything else is an ArgumentError."""
    result = engine.evaluate([workplace()], as_of=AS_OF)
    with pytest.raises(ArgumentError, match=r"payroll_report\(result=None\)"):
        payroll_report(None, dt.date(2026, 3, 1))  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match=r"payroll_report\(month='2026-03'\)"):
        payroll_report(result, "2026-03")  # type: ignore[arg-type]
