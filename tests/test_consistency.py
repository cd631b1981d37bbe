"""Issue 14, item 9: the same question gets the same answer however it is asked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

import oss_rules
from oss_rules import Engine
from oss_rules.cli import main
from oss_rules.engine._engine import ParamError
from oss_rules.errors import RulesetError

OFFICE = str(ROOT / "examples" / "office.json")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_why_not_and_conclusion_agree_on_a_type_mismatch():
    """`Obligation(module > 3)` is a usage error for --why-not as for --conclusion."""
    for option in ("--conclusion", "--why-not"):
        code, output = run("explain", OFFICE, option, "Obligation(module > 3)")
        assert code == 2, (option, output)
        assert "3" in output


def test_why_not_still_answers_a_well_typed_question():
    """A comparison of the right type is still answered, exit 0."""
    code, output = run("explain", OFFICE, "--why-not", "Classification(score > 30)")
    assert code == 0, output
    assert "does not hold" in output


@pytest.mark.parametrize("command", ["evaluate", "explain", "payroll", "report", "submission"])
def test_an_empty_ruleset_option_is_an_error(command: str):
    """`--ruleset ''` is refused instead of silently meaning the default ruleset."""
    extra = {
        "explain": ["--conclusion", "Obligation()"],
        "payroll": ["--month", "2026-03"],
        "report": ["-o", "-"],
    }.get(command, [])
    code, output = run(command, "--ruleset", "", *extra, OFFICE)
    assert code == 2, output
    assert "--ruleset '': empty" in output


def test_param_override_gets_the_same_check_as_the_ruleset_file(engine: Engine):
    """`physical=["fal"]` as an override is refused with the "did you mean" that the same
    value gets in the ruleset file."""
    with pytest.raises(ParamError, match="did you mean `fall`") as caught:
        Engine(engine.ruleset, params={"physical": ["fal"]})
    assert caught.value.name == "physical"
    code, output = run("evaluate", "--param", 'physical=["fal"]', OFFICE)
    assert code == 2
    assert "did you mean `fall`" in output


def test_a_valid_override_still_works(engine: Engine):
    """An override the rules can match is accepted."""
    assert Engine(engine.ruleset, params={"physical": ["fall", "noise"]}).params["physical"]


def test_a_python_tagged_param_is_reported_at_the_param(tmp_path: Path):
    """`!!python/...` on a param is OSS028 at the param's line, not errors at table rows;
    the tag is never run."""
    root = tmp_path / "rs"
    shutil.copytree(ROOT / "rulesets" / "oss", root)
    header = root / "ruleset.yaml"
    text = header.read_text("utf-8")
    marker = tmp_path / "ran"
    tagged = f'high_from: !!python/object/apply:os.system ["touch {marker}"]'
    header.write_text(text.replace("high_from: 15", tagged, 1), "utf-8")
    line = header.read_text("utf-8").splitlines().index("  " + tagged) + 1
    with pytest.raises(RulesetError) as caught:
        oss_rules.load(root)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("OSS028", line)
    assert not marker.exists()
