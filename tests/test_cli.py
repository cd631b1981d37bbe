"""The oss-rules CLI: evaluate, explain, JSON output, clear errors (goldens: test_golden.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from oss_rules.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_json_output_has_the_documented_keys():
    """The JSON result has ruleset, as_of and one list per kind of conclusion."""
    code, output = run("evaluate", "--json", str(ROOT / "examples" / "construction.json"))
    data = json.loads(output)
    assert code == 0
    assert {
        "ruleset",
        "as_of",
        "classifications",
        "obligations",
        "actions",
        "findings",
        "deadlines",
    } <= set(data)
    assert set(data["ruleset"]) == {
        "id",
        "version",
        "digest",
        "overrides",
        "domains",
        "internal",
        "titles",
    }
    assert set(data["classifications"][0]) >= {"hazard", "level", "score"}
    assert set(data["actions"][0]) >= {"hazard", "code", "control", "due"}
    assert set(data["findings"][0]) >= {"workplace", "code", "subject"}


def test_human_report_says_why():
    """The text report lists obligations with the rule that required them."""
    code, output = run("evaluate", str(ROOT / "examples" / "construction.json"))
    assert code == 0
    assert "A high physical hazard needs the medical programme [oss2-high-physical]" in output
    assert "Required OSS module not declared" in output
    assert "Risk reassessment overdue" in output


def test_explain_prints_the_proof():
    """explain --conclusion prints rule, citation and the facts behind a conclusion."""
    code, output = run(
        "explain",
        str(ROOT / "examples" / "construction.json"),
        "--conclusion",
        'Finding(code == "missing_module", subject == "OSS-II")',
    )
    assert code == 0, output
    assert "by rule missing-module" in output
    assert 'because no DeclaredModule(workplace == "site-a", module == "OSS-II")' in output
    assert "[given]" in output


def test_explain_json():
    """explain --json gives a nested proof per matching conclusion."""
    code, output = run(
        "explain",
        str(ROOT / "examples" / "office.json"),
        "--json",
        "--conclusion",
        'Obligation(module == "OSS-I")',
    )
    (proof,) = json.loads(output)
    assert code == 0
    assert proof["rule"] == "oss1-every-workplace"
    assert proof["premises"][0]["fact"]["type"] == "Workplace"


def test_explain_without_match_lists_what_exists():
    """A conclusion pattern that matches nothing exits 2 and shows the candidates."""
    code, output = run(
        "explain",
        str(ROOT / "examples" / "office.json"),
        "--conclusion",
        'Obligation(module == "OSS-III")',
    )
    assert code == 2
    assert "no conclusion matches" in output and "OSS-I" in output


def test_param_override_on_the_command_line():
    """--param high_from=21 turns the score-20 fall hazard into medium."""
    code, output = run(
        "evaluate",
        "--json",
        "--param",
        "high_from=21",
        str(ROOT / "examples" / "construction.json"),
    )
    levels = {c["hazard"]: c["level"] for c in json.loads(output)["classifications"]}
    assert code == 0 and levels["h1"] == "medium"


def test_as_of_option_overrides_the_file():
    """--as-of changes the evaluation date."""
    code, output = run(
        "evaluate", "--json", "--as-of", "2025-06-30", str(ROOT / "examples" / "construction.json")
    )
    data = json.loads(output)
    assert code == 0 and data["as_of"] == "2025-06-30"
    assert not any(f["code"] == "overdue_reassessment" for f in data["findings"])


def test_edited_threshold_in_a_ruleset_copy_changes_the_result(tmp_path: Path):
    """Copying the ruleset, raising high_from in YAML and using --ruleset changes levels."""
    copy = tmp_path / "oss"
    shutil.copytree(ROOT / "rulesets" / "oss", copy)
    header = copy / "ruleset.yaml"
    header.write_text(header.read_text().replace("high_from: 15", "high_from: 21"))
    code, output = run(
        "evaluate", "--json", "--ruleset", str(copy), str(ROOT / "examples" / "construction.json")
    )
    data = json.loads(output)
    assert code == 0
    assert {c["hazard"]: c["level"] for c in data["classifications"]}["h1"] == "medium"
    assert (
        data["ruleset"]["digest"]
        != json.loads(run("evaluate", "--json", str(ROOT / "examples" / "construction.json"))[1])[
            "ruleset"
        ]["digest"]
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"as_of": "2026-06-30", "facts": [', "bad.json:1:"),
        (
            '{"as_of": "2026-06-30", "facts": [{"type": "Hazard", "id": "h"}]}',
            "$.facts[0].workplace",
        ),
        ('{"facts": []}', "$.as_of"),
    ],
    ids=["json-syntax", "missing-field", "missing-as-of"],
)
def test_bad_input_file_is_a_clear_error(tmp_path: Path, content: str, message: str):
    """Broken input exits 2 with the file and the location of the problem, no traceback."""
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    code, output = run("evaluate", str(bad))
    assert code == 2
    assert message in output
    assert "Traceback" not in output


def test_broken_ruleset_is_a_clear_error(tmp_path: Path):
    """A broken --ruleset exits 2 with file:line:col diagnostics."""
    copy = tmp_path / "oss"
    shutil.copytree(ROOT / "rulesets" / "oss", copy)
    header = copy / "ruleset.yaml"
    header.write_text(header.read_text().replace("Workplace(setting in", "Workplace(settin in"))
    code, output = run("evaluate", "--ruleset", str(copy), str(ROOT / "examples" / "office.json"))
    assert code == 2
    # One mistake, one diagnostic: the misspelt field, not also "the condition has no field".
    assert "OSS034" in output and "did you mean `setting`?" in output
    assert "OSS031" not in output and "ruleset.yaml:" in output
