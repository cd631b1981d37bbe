"""Rows of decision tables named by an id keep their names when rows are inserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import AS_OF, hazard, workplace, write_ruleset

import oss_rules
from oss_rules import Engine, RulesetError
from oss_rules.authoring import testing
from oss_rules.authoring._why_not import why_not
from oss_rules.authoring.check import check
from oss_rules.authoring.fmt import format_text
from oss_rules.cli import main
from oss_rules.language._parser import parse_pattern
from oss_rules.language.syntax import Span

HEADER = """\
ruleset: named
version: "1"
sources:
  s: a source
params:
  medium_from: 5
  high_from: 15
tables:
  - id: level
    title: The level of a score
    cite: s
    when:
      - h: Hazard()
    inputs: [score]
    outputs: [level]
    then:
      - 'Classification(workplace: h.workplace, hazard: h.id, category: h.category,
        score: h.score, level: level)'
    rows:
"""
ROWS = [
    "      - [id: low,    < medium_from,           low]\n",
    "      - [id: medium, medium_from..<high_from, medium]\n",
    "      - [id: high,   '>= high_from',          high]\n",
]
UNNAMED = [
    "      - [< medium_from,           low]\n",
    "      - [medium_from..<high_from, medium]\n",
    "      - ['>= high_from',          high]\n",
]
CASE = """\
cases:
  - name: a high hazard
    as_of: 2026-06-30
    given:
      - {type: Workplace, id: w1, sector: retail, setting: office, headcount: 5}
      - {type: Hazard, id: h1, workplace: w1, category: fall, likelihood: 5, severity: 5}
    expect:
      - {type: Classification, hazard: h1, level: high}
"""


def ruleset_with(root: Path, rows: list[str], cases: bool = False) -> Path:
    write_ruleset(root, HEADER + "".join(rows))
    if cases:
        (root / "tests").mkdir()
        (root / "tests" / "cases.yaml").write_text(CASE, "utf-8")
    return root


def ids(root: Path) -> list[str]:
    return [rule.id for rule in oss_rules.load(root).rules]


def test_a_row_with_an_id_is_the_rule_table_hash_id(tmp_path: Path):
    """Each row's rule is `<table>#<id>`; a row without one keeps its number."""
    assert ids(ruleset_with(tmp_path / "a", ROWS)) == ["level#low", "level#medium", "level#high"]
    mixed = [ROWS[0], UNNAMED[1], ROWS[2]]
    assert ids(ruleset_with(tmp_path / "b", mixed)) == ["level#low", "level#2", "level#high"]


def test_a_row_inserted_in_the_middle_renames_no_other_row(tmp_path: Path):
    """With ids, inserting a row leaves the others' rule ids as they were, and coverage and
    proofs with them; without ids, every row below the new one is renumbered."""
    top = "20..25"
    named = [ROWS[0], ROWS[1], ROWS[2].replace("'>= high_from',", "high_from..<20,")]
    severe = f"      - [id: severe, {top}, high]\n"
    before = ids(ruleset_with(tmp_path / "a", named))
    after = ids(ruleset_with(tmp_path / "b", [named[0], severe, *named[1:]]))
    assert before == ["level#low", "level#medium", "level#high"]
    assert after == ["level#low", "level#severe", "level#medium", "level#high"]
    result = Engine(oss_rules.load(tmp_path / "b")).evaluate(
        [workplace(), hazard(likelihood=4, severity=4)], as_of=AS_OF
    )
    assert [i.rule for i in result.trace] == ["level#high"]
    # The same insertion without ids renames the rows below it: the problem ids solve.
    plain = [*UNNAMED[:2], "      - [high_from..<20, high]\n"]
    assert ids(ruleset_with(tmp_path / "c", plain)) == ["level#1", "level#2", "level#3"]
    moved = ruleset_with(tmp_path / "d", [plain[0], f"      - [{top}, high]\n", *plain[1:]])
    assert ids(moved) == ["level#1", "level#2", "level#3", "level#4"]
    assert oss_rules.load(moved).rule("level#3").when == (
        oss_rules.load(tmp_path / "c").rule("level#2").when
    )


def test_coverage_proofs_and_why_not_name_rows_by_id(tmp_path: Path):
    """Everything that names a rule names a row by its id."""
    root = ruleset_with(tmp_path / "rs", ROWS, cases=True)
    suite = testing.load_suite(root)
    outcomes = [testing.run_case(suite, case) for case in suite.cases]
    report = testing.coverage([suite], outcomes)
    assert [(r.rule, r.fired) for r in report.rules] == [
        ("level#low", False),
        ("level#medium", False),
        ("level#high", True),
    ]
    assert "level#high" in report.render()
    engine = Engine(suite.ruleset)
    result = engine.evaluate([workplace(), hazard(likelihood=5, severity=5)], as_of=AS_OF)
    assert (
        "by rule level#high: The level of a score"
        in result.explain(result.classifications[0]).render()
    )
    pattern = parse_pattern(
        'Classification(level == "low")', lambda line, col: Span("q", line, col)
    )
    answer = why_not(result, engine.ruleset.rules, engine.params, pattern)
    assert "rule level#low:" in answer.render()


def test_a_failing_case_shows_the_row_by_id(tmp_path: Path):
    """A case's failure shows the proof of what came instead, naming the row by its id."""
    root = ruleset_with(tmp_path / "rs", ROWS, cases=True)
    wrong = CASE.replace("level: high", "level: low").replace(
        "    expect:", "    match: exact\n    expect:"
    )
    (root / "tests" / "cases.yaml").write_text(wrong)
    result = CliRunner().invoke(main, ["test", str(root)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "by rule level#high: The level of a score" in result.output


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("      - [id: Low, 0, low]\n", "row id `Low` is not allowed"),
        ("      - [id: 3, 0, low]\n", "row id `3` is not allowed"),
        ("      - [id: a#b, 0, low]\n", "row id `a#b` is not allowed"),
        ("      - [id: a.b, 0, low]\n", "row id `a.b` is not allowed"),
        ("      - [id: high, 0, low]\n", "row id `high` is also the id of row 3"),
    ],
    ids=["upper-case", "number", "hash", "dot", "repeated"],
)
def test_a_bad_or_repeated_row_id_is_located(tmp_path: Path, row: str, message: str):
    """A row id must be a lower-case name, unique in its table (OSS066, at the id)."""
    root = ruleset_with(tmp_path / "rs", [*ROWS, row])
    with pytest.raises(RulesetError) as info:
        oss_rules.load(root)
    ((d),) = info.value.diagnostics
    assert (d.code, d.message, d.line, d.col) == ("OSS066", message, 23, 14)
    assert "lower-case name" in d.hint or "its own id" in d.hint


def test_an_id_elsewhere_in_the_row_is_a_mapping_cell(tmp_path: Path):
    """Only the first item is the id: `id: x` among the cells is a cell that is a mapping."""
    root = ruleset_with(tmp_path / "rs", [*ROWS[:2], "      - ['>= high_from', id: high, high]\n"])
    with pytest.raises(RulesetError) as info:
        oss_rules.load(root)
    assert [(d.code, d.message) for d in info.value.diagnostics] == [
        ("OSS063", "row 3 has 3 cells; the table has 1 input and 1 output column(s)")
    ]


def test_check_warns_about_unnamed_rows_of_a_tested_ruleset(tmp_path: Path):
    """OSS134 for a table with rows without ids when the ruleset has test cases; none
    without test cases, and none when every row has an id."""
    tested = ruleset_with(tmp_path / "tested", [ROWS[0], *UNNAMED[1:]], cases=True)
    (problem,) = check(tested)
    assert (problem.code, problem.severity, problem.line) == ("OSS134", "warning", 9)
    assert problem.message == "table `level` has test cases, and rows 2 and 3 have no `id`"
    assert "`level#high`" in problem.hint
    assert check(ruleset_with(tmp_path / "untested", UNNAMED)) == ()
    assert check(ruleset_with(tmp_path / "named", ROWS, cases=True)) == ()
    every = check(ruleset_with(tmp_path / "every", UNNAMED, cases=True))
    assert [p.message for p in every] == [
        "table `level` has test cases, and none of its 3 rows has an `id`"
    ]


def test_messages_about_rows_name_them_by_id(tmp_path: Path):
    """Overlapping rows are named by their ids."""
    overlap = ROWS[1].replace("medium_from..<high_from", "medium_from..high_from")
    root = ruleset_with(tmp_path / "rs", [ROWS[0], overlap, ROWS[2]])
    messages = [p.message for p in check(root)]
    assert messages == ["rows `medium` and `high` of table `level` both match score=15"]


def test_fmt_keeps_ids_first_and_aligns_the_cells():
    """Formatting keeps each id and lines up the columns after it; twice changes nothing."""
    text = HEADER + "      - [id: low, < medium_from, low]\n      - [ id: high,  '>= 5', high ]\n"
    formatted = format_text(text)
    assert formatted.endswith(
        "      - [id: low,  < medium_from, low]\n      - [id: high, '>= 5',        high]\n"
    )
    assert format_text(formatted) == formatted


def test_the_shipped_tables_name_every_row():
    """Every row of a shipped table has an id, so their rule ids are stable."""
    for name in oss_rules.language.shipped_rulesets():
        for table in oss_rules.load_default(name).tables:
            assert all(row.id for row in table.rows), (name, table.id)


def test_check_json_reports_the_warning(tmp_path: Path):
    """`check --format json` carries OSS134 as a warning (exit 0)."""
    root = ruleset_with(tmp_path / "rs", UNNAMED, cases=True)
    result = CliRunner().invoke(main, ["check", "--format", "json", str(root)])
    data = json.loads(result.output)
    assert (result.exit_code, data["warnings"], data["problems"][0]["code"]) == (0, 1, "OSS134")
