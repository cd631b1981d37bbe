"""The header's words for readers: ``internal:`` helper types and ``titles:`` of values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import oss_rules
from oss_rules import Result
from oss_rules.authoring.check import check
from oss_rules.errors import RulesetError
from oss_rules.language import shipped_rulesets

ROOT = Path(__file__).resolve().parent.parent


def _copy_oss(tmp_path: Path) -> Path:
    target = tmp_path / "oss"
    shutil.copytree(shipped_rulesets()["oss"], target, ignore=shutil.ignore_patterns("tests"))
    return target


def _edit(root: Path, old: str, new: str) -> None:
    header = root / "ruleset.yaml"
    text = header.read_text("utf-8")
    assert old in text
    header.write_text(text.replace(old, new, 1), "utf-8")


def _evaluate(path: str) -> Result:
    inventory = oss_rules.read_inventory(ROOT / path)
    engine = oss_rules.Engine(oss_rules.load_default())
    return engine.evaluate(inventory.facts, as_of=inventory.as_of)


def test_shipped_rulesets_mark_their_proof_steps_internal() -> None:
    assert {"Due", "ModuleReason", "TopHazard"} <= oss_rules.load_default().internal


def test_shown_leaves_out_internal_types_but_the_proofs_keep_them() -> None:
    result = _evaluate("examples/construction.json")
    kinds = {type(f).__name__ for f in result.conclusions}
    shown = {type(f).__name__ for f in result.shown}
    assert "Due" in kinds and "Due" not in shown
    assert shown == kinds - set(result.ruleset.internal)
    deadline = next(f for f in result.shown if type(f).__name__ == "Deadline")
    steps = result.explain(deadline).render()
    assert "Due(" in steps


def test_every_finding_the_examples_give_has_a_title() -> None:
    for example in ("construction", "office", "plant", "workshop"):
        result = _evaluate(f"examples/{example}.json")
        for finding in result.findings:
            title = result.title(finding, "code")
            assert title != finding.code, f"{finding.code} has no title"
            assert "_" not in title


def test_title_falls_back_to_the_value() -> None:
    result = _evaluate("examples/construction.json")
    classification = result.classifications[0]
    assert result.title(classification, "level") == classification.level


def test_internal_and_titles_survive_json() -> None:
    result = _evaluate("examples/construction.json")
    again = Result.from_json(result.to_json())
    assert again.ruleset.internal == result.ruleset.internal
    assert again.ruleset.titles == result.ruleset.titles
    assert again.shown == result.shown


def test_an_internal_type_no_rule_derives_is_an_error(tmp_path: Path) -> None:
    root = _copy_oss(tmp_path)
    _edit(root, "internal: [Due,", "internal: [Hazard, Due,")
    with pytest.raises(RulesetError) as caught:
        oss_rules.load(root)
    (problem,) = caught.value.diagnostics
    lines = (root / "ruleset.yaml").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("internal: [Hazard,"))
    assert (problem.code, problem.line) == ("OSS080", line)
    assert "`Hazard` is not derived by any rule" in problem.message


def test_internal_must_be_a_list_of_names(tmp_path: Path) -> None:
    root = _copy_oss(tmp_path)
    _edit(root, "internal: [Due,", "internal: {a: 1}\nx: [Due,")
    codes = {d.code for d in check(root)}
    assert "OSS080" in codes


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("Findng.code", "does not name a fact type and field (did you mean `Finding`?)"),
        ("Finding.cod", "Finding has no field `cod` (did you mean `code`?)"),
    ],
)
def test_a_titled_field_must_exist(tmp_path: Path, key: str, message: str) -> None:
    root = _copy_oss(tmp_path)
    _edit(root, "  Finding.code:", f"  {key}:")
    with pytest.raises(RulesetError) as caught:
        oss_rules.load(root)
    problems = [d for d in caught.value.diagnostics if d.code == "OSS081"]
    assert len(problems) == 1 and message in problems[0].message


def test_titles_must_be_words(tmp_path: Path) -> None:
    root = _copy_oss(tmp_path)
    _edit(root, "overdue_action: Preventive action past its due date", "overdue_action: 3")
    (problem,) = check(root)
    assert problem.code == "OSS081"


def test_check_warns_of_a_code_without_title(tmp_path: Path) -> None:
    root = _copy_oss(tmp_path)
    _edit(root, "    inventory_gap: Expected hazard category missing from the inventory\n", "")
    problems = check(root)
    assert [(p.code, p.severity) for p in problems] == [("OSS160", "warning")]
    assert problems[0].file.endswith("inventory.yaml")
    assert "'inventory_gap' has no title" in problems[0].message
