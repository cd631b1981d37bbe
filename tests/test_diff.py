"""`oss-rules diff`: what an edit to a ruleset changes, in its text and in its conclusions."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

import oss_rules
from oss_rules.authoring.diff import RulesetDiff, diff
from oss_rules.cli import main
from oss_rules.model.convert import Inventory

SHIPPED = ROOT / "rulesets" / "oss"
PLANT = str(ROOT / "examples" / "plant.json")

# With high_from: 16 a score of 15 (3 x 5, 5 x 3) is medium instead of high. Everything
# that follows from a high hazard changes with it: classifications, modules and their
# reasons, actions, the registration deadline of a module no longer required, findings.
# These are the changes that the inventories of seed 0 show (rarer ones, such as a lost
# OSS-III obligation or registration deadline, need a larger corpus or another seed); the
# corpus follows the fact model and the edges the generator aims at (day counts, month
# offsets), so a new field or a new edge can change this list.
HIGH_FROM_16 = {
    ("Action", "preventive-action", "gained"),
    ("Action", "preventive-action", "lost"),
    ("Classification", "risk-level#high", "lost"),
    ("Classification", "risk-level#medium", "gained"),
    ("Finding", "missing-module", "gained"),
    ("Finding", "missing-module", "lost"),
    ("Finding", "overdue-action", "gained"),
    ("Finding", "overdue-action", "lost"),
    ("ModuleReason", "oss2-chemical-biological", "gained"),
    ("ModuleReason", "oss2-chemical-biological", "lost"),
    ("ModuleReason", "oss2-high-physical", "lost"),
    ("ModuleReason", "oss3-high-hazard", "lost"),
    ("TopHazard", "top-hazard", "gained"),
    ("TopHazard", "top-hazard", "lost"),
}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def copy(tmp_path: Path, name: str = "oss") -> Path:
    target = tmp_path / name
    shutil.copytree(SHIPPED, target)
    return target


def edit(path: Path, old: str, new: str, file: str = "ruleset.yaml") -> None:
    text = (path / file).read_text("utf-8")
    assert old in text
    (path / file).write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture(scope="module")
def raised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped ruleset with the high band starting at 16."""
    target = copy(tmp_path_factory.mktemp("raised"))
    edit(target, "  high_from: 15", "  high_from: 16")
    return target


@pytest.fixture(scope="module")
def high_from_diff(raised: Path) -> RulesetDiff:
    """The diff of the raised band on 200 generated inventories, seed 0."""
    return diff(oss_rules.load(SHIPPED), oss_rules.load(raised), generate=200, seed=0)


def test_an_identical_copy_changes_nothing(tmp_path: Path):
    """Two copies of one ruleset: no edit, no change of conclusions, exit 0."""
    code, output = run("diff", "oss", str(copy(tmp_path)), PLANT, "--generate", "5")
    assert code == 0, output
    assert "structure: unchanged" in output
    assert "conclusions: unchanged on 6 inputs (5 generated, seed 0)" in output


def test_structural_edits_are_listed_by_part(tmp_path: Path):
    """Params, sources, rules and table rows added, removed or changed, each named."""
    new = copy(tmp_path)
    edit(new, "  high_from: 15", "  high_from: 16")
    edit(new, "sources:\n", "sources:\n  memo-2027: A new internal memo.\n")
    edit(
        new,
        "      - [id: high,   '>= high_from',          high]",
        "      - [id: high,   '>= high_from',     medium]",
    )
    text = (new / "ruleset.yaml").read_text("utf-8")
    start = text.index("  - id: oss3-high-hazard")
    end = text.index("  - id: ", start + 1)
    (new / "ruleset.yaml").write_text(text[:start] + text[end:], "utf-8")
    report = diff(oss_rules.load(SHIPPED), oss_rules.load(new))
    assert [str(e) for e in report.edits] == [
        "changed param high_from: 15 -> 16",
        "added source memo-2027: A new internal memo.",
        "removed rule oss3-high-hazard: Any high hazard needs compensation and benefits tracking",
        "changed row risk-level#high: [>= high_from, high] -> [>= high_from, medium]",
    ]
    assert report.changes == () and report.inputs == 0


@pytest.mark.slow
def test_raising_high_from_changes_exactly_what_follows_from_a_high_score(
    high_from_diff: RulesetDiff,
):
    """The kinds and rules that change are those of a score-15 hazard, and no others."""
    assert [str(e) for e in high_from_diff.edits] == ["changed param high_from: 15 -> 16"]
    assert {(c.kind, c.rule, c.direction) for c in high_from_diff.changes} == HIGH_FROM_16
    assert high_from_diff.inputs == high_from_diff.generated == 197
    for change in high_from_diff.changes:
        scores = [f.score for f in change.example.facts if type(f).__name__ == "Hazard"]
        assert 15 in scores, change
    lost = {c.rule: c for c in high_from_diff.changes if c.kind == "Classification"}
    assert [f.level for f in lost["risk-level#high"].facts] == ["high"]
    assert [f.level for f in lost["risk-level#medium"].facts] == ["medium"]
    assert lost["risk-level#high"].inputs == lost["risk-level#medium"].inputs > 0


@pytest.mark.slow
def test_each_example_is_minimal(high_from_diff: RulesetDiff, raised: Path):
    """Every example shows its change, and dropping any one fact makes it go away."""
    old = oss_rules.Engine(oss_rules.load(SHIPPED))
    new = oss_rules.Engine(oss_rules.load(raised))
    from oss_rules.authoring._diff_semantic import changes_in

    for change in high_from_diff.changes:
        key = (change.kind, change.rule, change.direction)
        example = change.example
        assert changes_in(old, new, example)[key] == change.facts
        for i in range(len(example.facts)):
            smaller = Inventory(example.as_of, example.facts[:i] + example.facts[i + 1 :])
            with contextlib.suppress(oss_rules.errors.OssRulesError):  # a dangling hazard
                assert key not in changes_in(old, new, smaller), (key, i)
    classification = next(c for c in high_from_diff.changes if c.rule == "risk-level#high")
    workplace, hazard = classification.example.facts
    assert (workplace.id, hazard.id, hazard.workplace) == ("w1", "h1", "w1")
    assert hazard.likelihood * hazard.severity == 15


def test_the_exit_status_asks_for_every_change_to_be_acknowledged(raised: Path):
    """Exit 1 while a change is not named by --allow; 0 once all are; 2 for a bad --allow."""
    base = ["diff", str(SHIPPED), str(raised), PLANT]
    code, output = run(*base)
    assert code == 1, output
    assert "10 changes of conclusions not acknowledged" in output
    kinds = ["Action", "Classification", "Finding", "ModuleReason", "TopHazard"]
    code, output = run(*base, *(f"--allow={k}" for k in kinds[:-1]))
    assert code == 1 and "2 changes of conclusions not acknowledged" in output
    assert re.search(r"\n  TopHazard:top-hazard +gained by 1 input\n", output)
    assert re.search(r"\n  Action:preventive-action +gained by 1 input  \(allowed\)\n", output)
    code, output = run(*base, *(f"--allow={k}" for k in kinds[:-1]), "--allow=TopHazard:top-hazard")
    assert code == 0 and "every change is acknowledged (10 changes)" in output
    code, output = run(
        *base, "--allow", "Classification:risk-level", *(f"--allow={k}" for k in kinds)
    )
    assert code == 0
    code, output = run(*base, "--allow", "Clasification")
    assert code == 2
    assert "'Clasification' is no conclusion type (did you mean `Classification`?)" in output


def test_json_lists_edits_and_changes_with_examples(raised: Path):
    """--json: old, new, structure, corpus, changes with one example each, unacknowledged."""
    code, output = run("diff", str(SHIPPED), str(raised), PLANT, "--json", "--allow", "Finding")
    assert code == 1
    data = json.loads(output)
    assert set(data) == {"old", "new", "structure", "corpus", "changes", "unacknowledged"}
    assert data["old"]["ruleset"] == data["new"]["ruleset"] == "oss"
    assert data["old"]["digest"] != data["new"]["digest"]
    assert data["structure"] == [
        {"part": "param", "name": "high_from", "change": "changed", "old": "15", "new": "16"}
    ]
    assert data["corpus"] == {"inputs": 1, "generated": 0, "seed": 0}
    lost = next(c for c in data["changes"] if c["rule"] == "risk-level#high")
    assert lost["kind"] == "Classification" and lost["direction"] == "lost"
    assert lost["inputs"] == 1 and lost["allowed"] is False
    assert lost["example"]["from"] == PLANT
    assert [f["type"] for f in lost["example"]["given"]] == ["Workplace", "Hazard"]
    assert lost["example"]["lost"][0]["level"] == "high"
    assert data["unacknowledged"] == sum(not c["allowed"] for c in data["changes"]) == 8


@pytest.mark.slow
def test_the_same_seed_gives_the_same_report(raised: Path):
    """Generated corpora are reproducible: two runs print the same bytes."""
    args = ["diff", str(SHIPPED), str(raised), "--generate", "20", "--seed", "3", "--json"]
    assert run(*args) == run(*args)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_version_can_be_a_git_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """PATH@REV reads the ruleset as committed; bad revisions and paths exit 2."""
    repo = tmp_path / "policy"
    repo.mkdir()
    _git(repo, "init", "-q")
    rules = copy(repo, "my-oss")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "shipped")
    edit(rules, "  high_from: 15", "  high_from: 16")
    monkeypatch.chdir(repo)
    code, output = run("diff", "my-oss@HEAD", "my-oss", PLANT)
    assert code == 1, output
    assert output.startswith("old: my-oss@HEAD (oss 2.0.0, ")
    assert "  changed param high_from: 15 -> 16" in output
    _git(repo, "commit", "-q", "-am", "raise the high band")
    code, output = run("diff", "my-oss@HEAD~1", "my-oss@HEAD", PLANT, "--allow", "Action")
    assert code == 1 and "changed param high_from: 15 -> 16" in output
    code, output = run("diff", "my-oss@v9", "my-oss", PLANT)
    assert code == 2 and "my-oss@v9: no commit 'v9' in the git repository" in output
    code, output = run("diff", "other@HEAD", "my-oss", PLANT)
    assert code == 2 and "other@HEAD: commit HEAD has no other" in output
    outside = tmp_path / "outside"
    shutil.copytree(SHIPPED, outside)
    monkeypatch.chdir(tmp_path)
    code, output = run("diff", "outside@HEAD", "outside", PLANT)
    assert code == 2 and "outside@HEAD: outside is not in a git repository" in output
