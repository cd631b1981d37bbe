"""`oss-rules check`: each broken ruleset gives exactly its diagnostics, by the API and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from conftest import ROOT, write_ruleset

import oss_rules
from oss_rules.authoring.check import Report, check, check_paths, rulesets_under
from oss_rules.cli import main
from oss_rules.errors import Diagnostic

BROKEN = ROOT / "tests" / "broken_rulesets"
CASES = sorted([*BROKEN.glob("*.yaml"), *(p for p in BROKEN.iterdir() if p.is_dir())])
EXPECT = re.compile(r"^# expect: (OSS\d{3}) (error|warning) (?:([\w.-]+):)?(\d+):(\d+)$")


def expected(case: Path) -> list[tuple[str, str, str, int, int]]:
    """The ``# expect: CODE SEVERITY [FILE:]LINE:COL`` lines of a broken ruleset."""
    header = case / "ruleset.yaml" if case.is_dir() else case
    out = []
    for line in header.read_text("utf-8").splitlines():
        match = EXPECT.match(line)
        if match:
            code, severity, file, row, col = match.groups()
            out.append((code, severity, file or header.name, int(row), int(col)))
    return out


def actual(problems: list[dict[str, object]]) -> list[tuple[str, str, str, int, int]]:
    return [
        (
            str(p["code"]),
            str(p["severity"]),
            Path(str(p["file"])).name,
            int(str(p["line"])),
            int(str(p["col"])),
        )
        for p in problems
    ]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_every_broken_ruleset_says_what_it_expects():
    """Each case lists at least one expected diagnostic, so none passes vacuously."""
    assert len(CASES) >= 12
    assert all(expected(case) for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_broken_ruleset_gives_exactly_its_diagnostics(case: Path):
    """check() reports exactly the expected codes, severities and places, in file order."""
    problems = check(case)
    assert actual([attrs.asdict(p) for p in problems]) == expected(case)
    assert all(
        isinstance(p, oss_rules.errors.Diagnostic) and p.message and p.hint for p in problems
    )


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_cli_json_gives_the_same_diagnostics(case: Path):
    """`check --format json` reports the same, and exits 1 exactly when there is an error."""
    code, output = run("check", "--format", "json", str(case))
    data = json.loads(output)
    assert actual(data["problems"]) == expected(case)
    errors = sum(p["severity"] == "error" for p in data["problems"])
    assert (data["errors"], code) == (errors, 1 if errors else 0)


def test_text_output_names_place_code_line_and_hint():
    """A problem prints as file:line:col: CODE: message, the offending line and a hint."""
    code, output = run("check", str(BROKEN / "unused.yaml"))
    assert code == 0
    assert output.splitlines() == [
        f"{BROKEN / 'unused.yaml'}:8:3: OSS111: warning: source `draft` is never cited",
        '    draft: "A draft nobody cites."',
        "    hint: cite it from the rules it justifies, or remove it",
        f"{BROKEN / 'unused.yaml'}:11:3: OSS110: warning: param `review_days` is never used",
        "    review_days: 14",
        "    hint: use it in a rule or remove it; an override of it would change nothing",
        "checked 1 ruleset: 0 errors, 2 warnings",
    ]


def test_strict_fails_on_warnings():
    """--strict turns warnings into a failing exit status."""
    assert run("check", "--strict", str(BROKEN / "unused.yaml"))[0] == 1
    assert run("check", "--strict", str(BROKEN / "table-gap.yaml"))[0] == 1


def test_shipped_rulesets_have_no_errors():
    """The shipped rulesets load and pass every analysis without an error."""
    report = check_paths()
    shipped = oss_rules.language.shipped_rulesets()
    expected = [str(p) for p in shipped.values()]
    assert list(report.rulesets) == expected
    assert str(shipped["oss"]) in report.rulesets
    assert report.errors == 0, report.render()
    code, output = run("check")
    assert code == 0
    assert output.splitlines()[-1].startswith(f"checked {len(expected)} rulesets")


def test_a_directory_of_rulesets_is_checked_ruleset_by_ruleset(tmp_path: Path):
    """A directory without ruleset.yaml stands for the rulesets in its subdirectories."""
    rule = "rules:\n  - id: r\n    cite: s\n    when: [w: Workplace()]\n"
    rule += "    then: ['Obligation(workplace: w.id, module: \"OSS-I\")']\n"
    for name in ("a", "b"):
        write_ruleset(tmp_path / name, f'ruleset: {name}\nversion: "1"\nsources:\n  s: x\n' + rule)
    assert rulesets_under([tmp_path]) == [tmp_path / "a", tmp_path / "b"]
    report = check_paths([tmp_path])
    assert report.render() == "checked 2 rulesets: no problems"
    assert report.to_data() == {
        "rulesets": [str(tmp_path / "a"), str(tmp_path / "b")],
        "errors": 0,
        "warnings": 0,
        "problems": [],
    }


def test_a_path_without_ruleset_is_oss002(tmp_path: Path):
    """An empty directory is reported like the loader reports it."""
    (tmp_path / "empty").mkdir()
    (problem,) = check(tmp_path / "empty")
    assert (problem.code, problem.severity) == ("OSS002", "error")
    assert check(tmp_path / "missing")[0].code == "OSS002"


HEADER = """\
ruleset: t
version: "1"
sources:
  s: a source
params:
  days_ahead: 30
  names: [a, b]
rules:
"""


def analyse(tmp_path: Path, rules: str) -> list[tuple[str, str]]:
    """The problems of ``rules`` under HEADER, except unused params and sources."""
    root = write_ruleset(tmp_path / "rs", HEADER + rules)
    return [(p.code, p.message) for p in check(root) if p.code not in ("OSS110", "OSS111")]


def test_well_typed_rules_give_no_problem(tmp_path: Path):
    """Dates with durations, joins on ids, coalesce, loops and list membership are fine."""
    rules = """\
  - id: ok
    cite: s
    when:
      - c: Classification(level in ["medium", "high"])
      - h: Hazard(id == c.hazard, score >= c.score, identified_on < as_of + days(days_ahead))
      - w: Workplace(id == h.workplace, h.category != sector, headcount >= len(names))
      - o: Obligation(workplace == w.id, module in w.declared_modules)
    then:
      - 'Deadline(workplace: w.id, kind: "review:" + h.id,
        due: coalesce(h.identified_on, as_of) + days(max(days_ahead, 7)))'
      - 'Finding(workplace: w.id, code: "x", subject: join(", ", names),
        message: str(h.score * 2) + " " + str(-h.score))'
      - 'DeclaredModule(workplace: w.id, module: m) for m in w.declared_modules'
"""
    # Only OSS150: a Classification given as input names its hazard by no declared
    # reference, so batch splitting could not keep them together (see test_batch.py).
    assert [code for code, _ in analyse(tmp_path, rules)] == ["OSS150"]


def test_a_list_of_another_fact_must_hold_the_fields_type(tmp_path: Path):
    """`x in w.declared_modules` needs x to be text, like the list's items."""
    rules = """\
  - id: bad
    cite: s
    when:
      - w: Workplace()
      - h: Hazard(workplace == w.id, severity in w.declared_modules)
    then:
      - 'Finding(workplace: w.id, code: "x", subject: h.id)'
"""
    assert [c for c, _ in analyse(tmp_path, rules)] == ["OSS101"]


def test_a_null_value_for_a_field_that_is_never_null_is_reported(tmp_path: Path):
    """A derivation may give null only to a field that can be null: a literal null is
    OSS103, a field that may be null OSS104, and a guarded one is fine."""
    rules = """\
  - id: bad
    cite: s
    when: [w: Workplace()]
    then:
      - 'Deadline(workplace: w.id, kind: "x", due: w.last_assessment)'
      - 'Finding(workplace: w.id, code: "x", subject: null)'
  - id: guarded
    cite: s
    when: [w: Workplace(last_assessment != null)]
    then:
      - 'Deadline(workplace: w.id, kind: "y", due: w.last_assessment)'
"""
    problems = analyse(tmp_path, rules)
    assert problems == [
        (
            "OSS104",
            "Deadline.due is never null, but `w.last_assessment` may be "
            "(Workplace.last_assessment may be null)",
        ),
        ("OSS103", "Finding.subject holds a non-empty string; None can never be stored"),
    ]


def test_problems_are_diagnostics_with_a_severity():
    """check reports Diagnostics (one class with load errors), each with a severity."""
    problem = Diagnostic("f.yaml", 3, 5, "OSS110", "param `x` is never used", severity="warning")
    assert str(problem) == "f.yaml:3:5: OSS110: warning: param `x` is never used"
    assert Diagnostic("f.yaml", 3, 5, "OSS020", "bad").severity == "error"
    from oss_rules.authoring import check as check_module

    assert check_module.Problem is Diagnostic  # the old name still imports
    report = Report(("f.yaml",), (problem,))
    assert (report.errors, report.warnings) == (0, 1)


def test_regression_a_numeric_cite_is_a_located_error_not_a_crash(tmp_path: Path):
    """`cite: 5` used to raise TypeError while loading; it is an unknown source (OSS023)."""
    rules = """\
  - id: r
    cite: 5
    when: [w: Workplace()]
    then: ['Obligation(workplace: w.id, module: "OSS-I")']
"""
    root = write_ruleset(tmp_path / "rs", HEADER + rules)
    assert [(p.code, p.line) for p in check(root)] == [("OSS023", 9)]
