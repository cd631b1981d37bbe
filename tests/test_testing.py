"""Ruleset test cases: `oss-rules test`, the diff of a failing case, coverage, located errors."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SMALL_RULESET, write_ruleset

import oss_rules
from oss_rules import RulesetError
from oss_rules.authoring import testing
from oss_rules.cli import main

SHIPPED = ROOT / "rulesets" / "oss"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped ruleset whose high band starts at 16 instead of 15."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SHIPPED, tmp_path / "oss")
    header = tmp_path / "oss" / "ruleset.yaml"
    header.write_text(header.read_text("utf-8").replace("high_from: 15", "high_from: 16"))
    return tmp_path / "oss"


@pytest.mark.slow
def test_shipped_cases_pass_with_full_coverage():
    """`oss-rules test --coverage --fail-under 100` passes on the shipped rulesets."""
    code, output = run("test", "--coverage", "--fail-under", "100")
    lines = output.splitlines()
    assert code == 0, output
    shipped = list(oss_rules.language.shipped_rulesets())
    assert "oss" in shipped
    # Passing cases are not listed (see -v): the coverage report comes first.
    assert lines[0] == f"coverage of {shipped[0]}:", output
    (total,) = [line for line in lines if line.startswith("rule coverage: ")]
    assert total.endswith("rules (100.0 %)"), total
    rules = total.split()[2].split("/")[1]
    assert lines[-1] == (
        f"{len(testing.collect())} passed, 0 failed, {rules} of {rules} rules covered"
    )


@pytest.mark.slow
def test_a_broken_copy_fails_with_the_exact_diff(broken: Path):
    """A wrong threshold shows the missing conclusion, the nearest one with the field that
    differs, and the unexpected conclusion with its proof."""
    code, output = run("test", "oss")
    assert code == 1
    expected = [
        "FAIL oss/classify.yaml::score 15 is the bottom of the high band",
        "  at oss/tests/classify.yaml:45:5",
        "  expected, not concluded:",
        "    - Classification(hazard='h1', score=15, level='high')  (oss/tests/classify.yaml:51:9)",
        "      nearest: Classification(workplace='w1', hazard='h1', category='ergonomic', "
        "score=15, level='medium')",
        "        level: expected 'high', concluded 'medium'",
        "  concluded, not expected (match: exact):",
        "    + Classification(workplace='w1', hazard='h1', category='ergonomic', score=15, "
        "level='medium')",
        "        by rule risk-level#medium: The 5x5 matrix gives each hazard a risk level from its "
        "score",
    ]
    assert "\n".join(expected) in output
    assert "  Hazard(id='h1', workplace='w1', category='ergonomic', likelihood=3, severity=5, " in (
        output
    )
    assert (
        textwrap.dedent(
            """\
            FAIL oss/modules.yaml::a high biological hazard needs OSS-II and OSS-III
              at oss/tests/modules.yaml:81:5
              expected, not concluded:
                - Obligation(workplace='w1', module='OSS-III')  (oss/tests/modules.yaml:89:9)
              concluded Obligation:
                  Obligation(workplace='w1', module='OSS-I')
                  Obligation(workplace='w1', module='OSS-II')
            """
        )
        in output
    )
    rules = len(oss_rules.load(broken).rules)
    assert output.splitlines()[-1] == (
        f"{len(testing.collect([broken])) - 3} passed, 3 failed, {rules} of {rules} rules covered"
    )


@pytest.mark.slow
def test_a_broken_copy_fails_under_pytest_too(broken: Path):
    """The same cases, run through the Python API, report the same failures."""
    pairs = testing.collect([broken])
    failed = [c.id for s, c in pairs if not testing.run_case(s, c).passed]
    assert failed == [
        "oss/classify.yaml::score 15 is the bottom of the high band",
        "oss/modules.yaml::every physical category at high needs OSS-II",
        "oss/modules.yaml::a high biological hazard needs OSS-II and OSS-III",
    ]


CASES = """\
cases:
  - name: an office needs OSS-I
    as_of: 2026-06-30
    given:
      - {type: Workplace, id: w1, sector: retail, setting: office, headcount: 3}
    expect:
      - {type: Obligation, module: OSS-I}
  - name: a field site needs OSS-III
    as_of: 2026-06-30
    given:
      - {type: Workplace, id: w1, sector: building, setting: field, headcount: 3}
    expect:
      - {type: Obligation, module: OSS-III}
    absent:
      - {type: Obligation, module: OSS-I}
"""


@pytest.fixture
def small(small_ruleset: Callable[[str], Path]) -> Path:
    """The three-rule ruleset whose cases never make the `plant` rule fire."""
    return small_ruleset(CASES)


def test_coverage_names_the_rule_no_case_fired(small: Path):
    """Coverage counts the cases per rule and lists a never-fired rule with file:line."""
    suite = testing.load_suite(small)
    outcomes = [testing.run_case(suite, c) for c in suite.cases]
    report = testing.coverage([suite], outcomes)
    assert (report.fired, report.total) == (2, 3)
    assert report.percent == pytest.approx(200 / 3)
    assert [(r.rule, r.cases) for r in report.rules] == [
        ("office", ("small/cases.yaml::an office needs OSS-I",)),
        ("field", ("small/cases.yaml::a field site needs OSS-III",)),
        ("plant", ()),
    ]
    assert report.render().splitlines() == [
        "coverage of small:",
        "  office        1 case",
        "  field         1 case",
        "  plant       never fired",
        "never fired (1):",
        "  small/ruleset.yaml:20:5: plant",
        "rule coverage: 2/3 rules (66.7 %)",
    ]


@pytest.mark.parametrize(("threshold", "status"), [("66", 0), ("66.6", 0), ("66.7", 1), ("100", 1)])
def test_fail_under(small: Path, threshold: str, status: int):
    """--fail-under exits 1 when rule coverage is below the threshold, even if all cases pass."""
    code, output = run("test", "small", "--fail-under", threshold)
    assert code == status, output
    assert output.splitlines()[-1] == "2 passed, 0 failed, 2 of 3 rules covered"
    assert ("below --fail-under" in output) == bool(status)


def test_two_copies_of_a_ruleset_are_covered_apart(small: Path, tmp_path: Path):
    """Cases of one copy do not count for the rules of another copy with the same id."""
    other = tmp_path / "other"
    shutil.copytree(small, other)
    (other / "tests" / "cases.yaml").write_text(CASES.split("  - name: a field site")[0])
    code, output = run("test", "--coverage", "small", "other")
    assert code == 0
    assert output.count("coverage of small:") == 2
    assert "rule coverage: 3/6 rules (50.0 %)" in output
    assert "  other/ruleset.yaml:13:5: field" in output
    assert "  small/ruleset.yaml:13:5: field" not in output


def test_coverage_without_fail_under_exits_0(small: Path):
    """--coverage alone reports and does not fail."""
    code, output = run("test", "--coverage", "small")
    assert code == 0
    assert "  small/ruleset.yaml:20:5: plant" in output


def _bad(tmp_path: Path, text: str) -> tuple[int, str]:
    root = write_ruleset(tmp_path / "small", SMALL_RULESET)
    (root / "tests").mkdir(exist_ok=True)
    (root / "tests" / "bad.yaml").write_text(textwrap.dedent(text))
    return run("test", "small")


GOOD_CASE = """\
cases:
  - name: ok
    as_of: 2026-06-30
    given:
      - {type: Workplace, id: w1, sector: retail, setting: office, headcount: 3}
    expect:
      - {type: Obligation, module: OSS-I}
"""


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("    expect:", "    expct:"),
            "bad.yaml:6:5: OSS203: unknown case key `expct` (did you mean `expect`?)",
        ),
        (
            ("    expect:", "    expect:\n      - {type: Obligation, modul: OSS-I}"),
            "bad.yaml:7:28: OSS207: Obligation has no field `modul` (did you mean `module`?)",
        ),
        (
            ("{type: Obligation, module: OSS-I}", "{type: Obligaton, module: OSS-I}"),
            "bad.yaml:7:16: OSS207: unknown fact type `Obligaton` (did you mean `Obligation`?)",
        ),
        (
            ("module: OSS-I}", "module: OSS-4}"),
            "bad.yaml:7:36: OSS207: Obligation field `module` must be one of OSS-I, OSS-II, "
            "OSS-III (got 'OSS-4') (did you mean `OSS-I`?)",
        ),
        (
            ("headcount: 3}", "headcount: -3}"),
            "bad.yaml:5:68: OSS209: given[0]: Workplace 'w1' field 'headcount' must be "
            "an int >= 0 (got -3)",
        ),
        (
            ("setting: office", "settng: office"),
            "bad.yaml:5:51: OSS209: given[0]: Workplace 'w1' field 'settng' must be a field of "
            "Workplace (got 'office') (did you mean `setting`?)",
        ),
        (
            ("as_of: 2026-06-30", "as_of: 2026-13-01"),
            "bad.yaml:3:12: OSS205: `as_of` must be a date YYYY-MM-DD (got '2026-13-01')",
        ),
        (("    as_of: 2026-06-30\n", ""), "bad.yaml:2:5: OSS204: a case needs `as_of`"),
        (
            ("    expect:", "    match: exakt\n    expect:"),
            "bad.yaml:6:12: OSS205: `match` must be contains or exact (got 'exakt') "
            "(did you mean `exact`?)",
        ),
        (
            ("    expect:", "    params: {hgh_from: 3}\n    expect:"),
            "bad.yaml:6:14: OSS206: param 'hgh_from' must be a param of ruleset small",
        ),
        (
            ("    given:", "    given: [\n"),
            "bad.yaml:6:7: OSS201: invalid YAML: expected the node content, but found '-'",
        ),
        (
            ("cases:", "case:"),
            "bad.yaml:1:1: OSS202: a test file is a mapping with a `cases:` list",
        ),
        (
            (
                "    expect:\n      - {type: Obligation, module: OSS-I}",
                "    expect_error: {type: FactError}\n    expect: []",
            ),
            "bad.yaml:6:5: OSS205: `expect_error` cannot be combined with `expect`",
        ),
        (
            (
                "    expect:\n      - {type: Obligation, module: OSS-I}",
                "    expect_error: {type: FactErrr}",
            ),
            "bad.yaml:6:26: OSS208: unknown error type `FactErrr` (did you mean `FactError`?)",
        ),
    ],
    ids=[
        "unknown-key",
        "unknown-field",
        "unknown-type",
        "bad-value",
        "bad-given-value",
        "bad-given-field",
        "bad-date",
        "missing-as-of",
        "bad-match",
        "unknown-param",
        "yaml-syntax",
        "no-cases",
        "error-and-expect",
        "unknown-error-type",
    ],
)
def test_bad_test_files_give_located_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: tuple[str, str], message: str
):
    """Each mistake in a test file exits 2 and names file:line:col, with did-you-mean."""
    monkeypatch.chdir(tmp_path)
    old, new = edit
    assert old in GOOD_CASE
    code, output = _bad(tmp_path, GOOD_CASE.replace(old, new))
    assert code == 2, output
    assert f"small/tests/{message}" in output, output
    assert "Traceback" not in output


def test_duplicate_case_names_are_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Two cases of one file with the same name (the same test id) are reported at the second."""
    monkeypatch.chdir(tmp_path)
    code, output = _bad(tmp_path, GOOD_CASE + GOOD_CASE.replace("cases:\n", ""))
    assert code == 2
    assert "small/tests/bad.yaml:8:5: OSS205: duplicate case name 'ok'" in output
    assert "it is also used at small/tests/bad.yaml:2:5" in output


def test_every_problem_of_every_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Problems are collected, not raised one at a time."""
    monkeypatch.chdir(tmp_path)
    text = GOOD_CASE.replace("expect:", "expct:").replace("as_of: 2026-06-30", "as_of: soon")
    with pytest.raises(RulesetError) as info:
        root = write_ruleset(tmp_path / "small", SMALL_RULESET)
        (root / "tests").mkdir()
        (root / "tests" / "bad.yaml").write_text(text)
        testing.load_suite(root)
    assert [d.code for d in info.value.diagnostics] == ["OSS204", "OSS205", "OSS203"]


def test_expected_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """expect_error passes on the right error and fails, saying what happened, otherwise."""
    monkeypatch.chdir(tmp_path)
    root = write_ruleset(tmp_path / "small", SMALL_RULESET)
    (root / "tests").mkdir()
    bad_fact = "{type: Workplace, id: w1, sector: retail, setting: office, headcount: -1}"
    good_fact = "{type: Workplace, id: w1, sector: retail, setting: office, headcount: 1}"
    cases = [
        ("right", bad_fact, "{type: FactsError, contains: headcount}"),
        ("any oss_rules error", bad_fact, "{type: OssRulesError}"),
        ("wrong text", bad_fact, "{type: FactsError, contains: severity}"),
        ("wrong type", bad_fact, "{type: EvaluationError}"),
        ("no error", good_fact, "{type: FactsError}"),
    ]
    (root / "tests" / "errors.yaml").write_text(
        "cases:\n"
        + "".join(
            f"  - name: {name}\n    as_of: 2026-06-30\n    given: [{fact}]\n"
            f"    expect_error: {error}\n"
            for name, fact, error in cases
        )
    )
    suite = testing.load_suite(root)
    outcomes = {c.name: testing.run_case(suite, c) for c in suite.cases}
    assert [n for n, o in outcomes.items() if o.passed] == ["right", "any oss_rules error"]
    assert outcomes["wrong text"].problem.startswith(
        "expected FactsError containing 'severity', got FactsError: 1 error occurred:"
    )
    assert outcomes["wrong type"].problem.startswith("expected EvaluationError, got FactsError")
    assert outcomes["no error"].problem == (
        "expected FactsError, but the evaluation succeeded with 1 conclusions"
    )


def test_unexpected_error_fails_the_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An error in a case that expects conclusions is a failure that shows the error."""
    monkeypatch.chdir(tmp_path)
    failing = SMALL_RULESET.replace(
        """'Obligation(workplace: w.id, module: "OSS-I")'""",
        """'Deadline(workplace: w.id, kind: "next", """
        """due: as_of + days(round(12 / (w.headcount - 3))))'""",
    )
    root = write_ruleset(tmp_path / "small", failing)
    (root / "tests").mkdir()
    (root / "tests" / "cases.yaml").write_text(GOOD_CASE)
    code, output = run("test", "small")
    assert code == 1
    assert output.splitlines()[:3] == [
        "FAIL small/cases.yaml::ok",
        "  at small/tests/cases.yaml:2:5",
        "  evaluation failed: EvaluationError: small/ruleset.yaml:6:5: rule 'office' failed: "
        "small/ruleset.yaml:11:55: ZeroDivisionError: division by zero",
    ]
    assert output.splitlines()[-1] == "0 passed, 1 failed, 0 of 3 rules covered"


def test_discover_accepts_a_ruleset_its_tests_a_file_or_a_parent(small: Path):
    """Every documented kind of PATH finds the same ruleset; anything else is OSS002."""
    whole = testing.discover([small])
    assert whole == [(small, [small / "tests" / "cases.yaml"])]
    assert testing.discover([small / "tests"]) == whole
    assert testing.discover([small / "tests" / "cases.yaml"]) == whole
    assert testing.discover([small.parent]) == whole
    shipped = list(oss_rules.language.shipped_rulesets().values())
    assert [d for d, _ in testing.discover()] == shipped
    with pytest.raises(RulesetError) as info:
        testing.discover([small / "ruleset.yaml"])
    assert info.value.diagnostics[0].code == "OSS002"


def test_no_cases_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A ruleset without tests/*.yaml has nothing to run: exit 2 with a hint."""
    monkeypatch.chdir(tmp_path)
    write_ruleset(tmp_path / "small", SMALL_RULESET)
    code, output = run("test", "small")
    assert code == 2
    assert "no test cases found" in output


@pytest.mark.slow
def test_case_ids_name_ruleset_file_and_case():
    """Case ids read `<ruleset>/<file>::<name>`, the pytest ids of tests/test_ruleset_cases.py."""
    ids = [case.id for _, case in testing.collect()]
    assert "oss/classify.yaml::score 15 is the bottom of the high band" in ids
    assert len(ids) == len(set(ids))


def test_the_nearest_conclusion_agrees_on_the_leading_fields():
    """Of two deadlines that agree on two fields each, the one of the expected kind is
    nearest; each differing field is named; a conclusion that agrees on too little is not."""
    import datetime as dt

    from oss_rules.authoring._cases import Expected
    from oss_rules.authoring._field_diff import field_differences, nearest
    from oss_rules.domains.oss.facts import Deadline, Obligation
    from oss_rules.language.syntax import Span

    span = Span("t.yaml", 1, 1)
    due = dt.date(2026, 6, 30)
    expected = Expected(
        "Deadline",
        {"workplace": "w1", "kind": "reassessment", "due": due, "status": "due_soon"},
        span,
    )
    audit = Deadline("w1", "audit", due, "overdue")
    reassessment = Deadline("w1", "reassessment", dt.date(2025, 12, 30), "overdue")
    assert nearest(expected, [audit, reassessment]) == reassessment
    assert field_differences(expected, [audit, reassessment], "") == [
        "nearest: Deadline(workplace='w1', kind='reassessment', due=2025-12-30, status='overdue')",
        "  due: expected 2026-06-30, concluded 2025-12-30",
        "  status: expected 'due_soon', concluded 'overdue'",
    ]
    module = Expected("Obligation", {"workplace": "w1", "module": "OSS-III"}, span)
    assert nearest(module, [Obligation("w1", "OSS-I")]) is None
    assert field_differences(module, [Obligation("w1", "OSS-I")], "") == []
