"""`oss-rules fmt`: golden files, idempotence, meaning and comments kept, --check for CI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

import oss_rules
from oss_rules.authoring.fmt import WIDTH, format_text
from oss_rules.cli import main

GOLDEN = ROOT / "tests" / "fmt"
CASES = sorted(GOLDEN.glob("*.yaml"))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_formatting_matches_the_golden_file(case: Path):
    """x.yaml formats to x.yaml.formatted (OSS_RULES_UPDATE_GOLDEN=1 rewrites the latter)."""
    formatted = format_text(case.read_text("utf-8"))
    golden = case.with_name(case.name + ".formatted")
    if os.environ.get("OSS_RULES_UPDATE_GOLDEN"):
        golden.write_text(formatted, "utf-8")
    assert formatted == golden.read_text("utf-8")


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_formatting_is_idempotent(case: Path):
    """Formatting formatted text changes nothing."""
    formatted = format_text(case.read_text("utf-8"))
    assert format_text(formatted) == formatted


def load_text(tmp_path: Path, name: str, text: str) -> oss_rules.Ruleset:
    root = tmp_path / name
    root.mkdir()
    if text.startswith("#") and "ruleset:" not in text:
        (root / "ruleset.yaml").write_text('ruleset: x\nversion: "1"\nsources:\n  s: y\n')
        (root / "rules.yaml").write_text(text)
    else:
        (root / "ruleset.yaml").write_text(text)
    return oss_rules.load(root)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_formatting_keeps_the_meaning(tmp_path: Path, case: Path):
    """The formatted file loads to the same rules, params and sources."""
    text = case.read_text("utf-8")
    before = load_text(tmp_path, "before", text)
    after = load_text(tmp_path, "after", format_text(text))
    assert (after.rules, after.params, after.sources) == (
        before.rules,
        before.params,
        before.sources,
    )


def test_comments_are_kept():
    """Every comment line of the input is in the output."""
    for case in CASES:
        text = case.read_text("utf-8")
        comments = [line.strip() for line in text.splitlines() if "#" in line]
        formatted = format_text(text)
        assert all(c[c.index("#") :] in formatted for c in comments), case.name


def test_long_items_are_wrapped_between_arguments():
    """No wrapped line of a then item is longer than WIDTH when an argument fits."""
    formatted = format_text((GOLDEN / "wrapping.yaml").read_text("utf-8"))
    assert max(len(line) for line in formatted.splitlines()) <= WIDTH


def test_shipped_rulesets_are_formatted():
    """`oss-rules fmt --check` passes on the shipped rulesets (CI runs it too)."""
    code, output = run("fmt", "--check")
    assert code == 0, output
    assert output.strip().endswith("already formatted")


def test_check_lists_files_and_fmt_rewrites_them(tmp_path: Path):
    """--check lists what would change and exits 1; fmt rewrites; then --check passes."""
    copy = tmp_path / "rs"
    copy.mkdir()
    shutil.copy(GOLDEN / "key-order.yaml", copy / "ruleset.yaml")
    shutil.copy(GOLDEN / "rule-file.yaml", copy / "more.yaml")
    code, output = run("fmt", "--check", str(copy))
    assert (code, output.splitlines()) == (
        1,
        [f"would reformat {copy / 'ruleset.yaml'}", f"would reformat {copy / 'more.yaml'}"],
    )
    code, output = run("fmt", "--diff", str(copy))
    assert code == 0 and "+ruleset: key-order" in output
    assert run("fmt", str(copy))[1].count("reformatted") == 2
    assert run("fmt", "--check", str(copy)) == (0, "2 files already formatted\n")


def test_invalid_yaml_is_a_usage_error(tmp_path: Path):
    """A file that is not YAML is reported with its place and left alone."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("ruleset: x\nrules: [a: b: c]\n")
    code, output = run("fmt", str(bad))
    assert code == 2
    assert f"{bad}:2:" in output and "OSS003" in output
    assert bad.read_text() == "ruleset: x\nrules: [a: b: c]\n"
