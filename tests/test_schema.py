"""`oss-rules schema`: JSON Schemas of inputs and results, generated from the fact types.

The examples and golden results are validated twice: by the `jsonschema` package (in the
`dev` extra, not a dependency of the library) and by a small structural check (below)
of the keywords these schemas use, whose own tests show what each keyword rejects.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from conftest import ROOT
from jsonschema import Draft202012Validator, FormatChecker
from ruamel.yaml import YAML

from oss_rules.cli import main
from oss_rules.language._loader import HEADER_KEYS, RULE_KEYS
from oss_rules.language._table_reader import TABLE_KEYS
from oss_rules.language.syntax import HIT_POLICIES
from oss_rules.model.domain import shipped_registry
from oss_rules.model.schema import DRAFT, input_schema, kind_schema, result_schema

EXAMPLES = sorted((ROOT / "examples").rglob("*.json"))
# The golden outputs of `evaluate --json` (see test_golden.py): OSS examples and K3.
GOLDEN_DIR = ROOT / "tests" / "golden"
GOLDEN = sorted([*GOLDEN_DIR.glob("*.json"), GOLDEN_DIR / "k3" / "steelworks.json"])
FORMATS = FormatChecker()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def conforms(value: Any, schema: dict[str, Any], root: dict[str, Any]) -> list[str]:
    """Problems of ``value`` under the subset of JSON Schema these schemas use."""
    if "$ref" in schema:
        return conforms(value, root["$defs"][schema["$ref"].split("/")[-1]], root)
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not conforms(value, s, root)]
        return [] if len(matching) == 1 else [f"{value!r} matches {len(matching)} of oneOf"]
    if "anyOf" in schema:
        return [] if any(not conforms(value, s, root) for s in schema["anyOf"]) else ["anyOf"]
    problems = []
    types = schema.get("type")
    names = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "null": type(None),
    }
    if types is not None:
        allowed = types if isinstance(types, list) else [types]
        ok = any(isinstance(value, names[t]) for t in allowed)
        if isinstance(value, bool) and "boolean" not in allowed:
            ok = False
        if not ok:
            return [f"{value!r} is not {types}"]
    if "const" in schema and value != schema["const"]:
        problems.append(f"{value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{value!r} not in {schema['enum']}")
    number = isinstance(value, int) and not isinstance(value, bool)
    if number and not schema.get("minimum", value) <= value <= schema.get("maximum", value):
        problems.append(f"{value} out of range")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        problems.append(f"{value!r} does not match {schema['pattern']}")
    if isinstance(value, str) and schema.get("format") == "date":
        dt.date.fromisoformat(value)
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"missing {key}")
        for key, item in value.items():
            sub = schema.get("properties", {}).get(key)
            if sub is None:
                extra = schema.get("additionalProperties", True)
                if extra is False:
                    problems.append(f"unexpected {key}")
                elif isinstance(extra, dict):
                    problems += conforms(item, extra, root)
            else:
                problems += conforms(item, sub, root)
    if isinstance(value, list):
        if schema.get("uniqueItems") and len({json.dumps(v) for v in value}) != len(value):
            problems.append("items not unique")
        for item in value:
            problems += conforms(item, schema.get("items", {}), root)
    return problems


def test_schemas_are_draft_2020_12_with_a_branch_per_fact_type():
    """Both schemas name their dialect and define every registered type."""
    registry = shipped_registry()
    for schema in (input_schema(), result_schema()):
        assert schema["$schema"] == DRAFT
        assert set(registry.names()) <= set(schema["$defs"])
    branches = input_schema()["properties"]["facts"]["items"]["oneOf"]
    assert [b["$ref"] for b in branches] == [f"#/$defs/{n}" for n in registry.names()]


def test_field_kinds_become_schema_keywords():
    """Choices are enums, ints have bounds, dates a format, optional fields allow null."""
    hazard = input_schema()["$defs"]["Hazard"]
    props = hazard["properties"]
    assert props["category"]["enum"][:2] == ["machinery", "chemical"]
    assert props["severity"] == {"type": "integer", "minimum": 1, "maximum": 5}
    assert props["identified_on"]["type"] == ["string", "null"]
    assert props["identified_on"]["format"] == "date"
    assert props["reported_by"]["enum"][-1] is None
    assert props["score"]["readOnly"] is True
    assert hazard["required"] == ["type", "id", "workplace", "category", "likelihood", "severity"]
    assert hazard["additionalProperties"] is False
    modules = input_schema()["$defs"]["Workplace"]["properties"]["declared_modules"]
    assert modules == {
        "type": "array",
        "items": {"enum": ["OSS-I", "OSS-II", "OSS-III"]},
        "uniqueItems": True,
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_examples_conform_to_the_input_schema(example: Path):
    """The shipped example inputs are valid under the input schema (structural check)."""
    schema = input_schema()
    assert conforms(json.loads(example.read_text("utf-8")), schema, schema) == []


@pytest.mark.parametrize("golden", GOLDEN, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_results_conform_to_the_result_schema(golden: Path):
    """The golden `evaluate --json` outputs are valid under the result schema."""
    schema = result_schema()
    assert conforms(json.loads(golden.read_text("utf-8")), schema, schema) == []


def test_invalid_inputs_do_not_conform():
    """The structural check catches what the schema forbids: it is not vacuous."""
    schema = input_schema()
    fact = {"type": "Hazard", "id": "h", "workplace": "w", "category": "fall"}
    for bad in (
        {"as_of": "2026-01-01", "facts": [{**fact, "likelihood": 6, "severity": 1}]},
        {"as_of": "2026-01-01", "facts": [{**fact, "likelihood": 1, "severity": "1"}]},
        {"as_of": "2026-01-01", "facts": [{**fact, "likelihood": 1}]},
        {"as_of": "2026-01-01", "facts": [{**fact, "likelihood": 1, "severity": 1, "x": 1}]},
        {"as_of": "2026-01-01", "facts": [{"type": "Nope"}]},
        {"facts": []},
    ):
        assert conforms(bad, schema, schema), bad


@pytest.mark.slow
def test_examples_and_results_validate_with_jsonschema():
    """A real validator agrees: the schemas, the inputs and the results are valid.

    Draft 2020-12, with date formats checked; it rejects what the schema forbids.
    """
    inputs = Draft202012Validator(input_schema(), format_checker=FORMATS)
    results = Draft202012Validator(result_schema(), format_checker=FORMATS)
    Draft202012Validator.check_schema(inputs.schema)
    Draft202012Validator.check_schema(results.schema)
    for example in EXAMPLES:
        inputs.validate(json.loads(example.read_text("utf-8")))
    for golden in GOLDEN:
        results.validate(json.loads(golden.read_text("utf-8")))
    fact = {"type": "Hazard", "id": "h", "workplace": "w", "category": "fall", "likelihood": 2}
    good = {"as_of": "2026-06-30", "facts": [{**fact, "severity": 3, "identified_on": None}]}
    assert inputs.is_valid(good)
    for change in ({"severity": 6}, {"identified_on": "2026-02-30"}, {"colour": "red"}):
        bad = {"as_of": "2026-06-30", "facts": [{**good["facts"][0], **change}]}
        assert not inputs.is_valid(bad), change


def test_an_apps_own_fact_type_gets_a_branch():
    """A type registered by an application appears in the schema of its registry."""
    registry = shipped_registry()

    @registry.register
    @attrs.frozen
    class Contractor:
        id: str
        workplace: str
        visits: int | None = None

    schema = input_schema(registry)["$defs"]["Contractor"]
    assert schema["properties"]["visits"] == {
        "type": ["integer", "null"],
        "minimum": -999_999_999_999_999,
        "maximum": 999_999_999_999_999,
    }
    assert schema["required"] == ["type", "id", "workplace"]
    assert kind_schema(registry["Contractor"].fields[0].kind) == {
        "type": "string",
        "pattern": r"\S",
    }


def test_cli_prints_both_schemas():
    """`oss-rules schema` prints the input schema, `--result` the result schema."""
    code, output = run("schema")
    assert code == 0 and json.loads(output) == input_schema()
    code, output = run("schema", "--result")
    assert code == 0 and json.loads(output) == result_schema()


EDITOR_SCHEMA = ROOT / "src" / "oss_rules" / "language" / "ruleset.schema.json"


def test_editor_schema_knows_every_key_of_the_language():
    """The ruleset-file schema lists exactly the keys the loader accepts."""
    schema = json.loads(EDITOR_SCHEMA.read_text("utf-8"))
    assert schema["$schema"] == DRAFT
    assert set(schema["properties"]) == set(HEADER_KEYS)
    assert set(schema["$defs"]["rule"]["properties"]) == set(RULE_KEYS)
    assert set(schema["$defs"]["table"]["properties"]) == set(TABLE_KEYS)
    assert schema["$defs"]["table"]["properties"]["hit"]["enum"] == list(HIT_POLICIES)


@pytest.mark.parametrize(
    "path",
    [ROOT / "rulesets" / "oss" / "ruleset.yaml", *sorted((ROOT / "tests" / "fmt").glob("*.yaml"))],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_ruleset_files_conform_to_the_editor_schema(path: Path):
    """The shipped ruleset and the formatter's examples are valid for an editor."""
    schema = json.loads(EDITOR_SCHEMA.read_text("utf-8"))
    document = YAML(typ="safe").load(path.read_text("utf-8"))
    assert conforms(document, schema, schema) == []
    Draft202012Validator(schema, format_checker=FORMATS).validate(document)
    broken = {**document, "rules": [{"id": "r", "when": [], "then": "x"}]}
    assert conforms(broken, schema, schema)
    assert not Draft202012Validator(schema).is_valid(broken)
