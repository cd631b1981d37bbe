"""What `oss-rules test` prints: failures and a summary by default, every case with -v,
the cases -k selects, a stop at the first failure with -x, and JSON or JUnit XML for CI."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SMALL_RULESET, write_ruleset

from oss_rules.cli import main

CASES = """\
cases:
  - name: an office needs OSS-I
    as_of: 2026-06-30
    given:
      - {type: Workplace, id: w1, sector: retail, setting: office, headcount: 3}
    expect:
      - {type: Obligation, module: OSS-I}
  - name: a plant needs OSS-II
    as_of: 2026-06-30
    given:
      - {type: Workplace, id: w1, sector: steel, setting: plant, headcount: 3}
    expect:
      - {type: Obligation, module: OSS-II}
  - name: a field site needs OSS-III
    as_of: 2026-06-30
    given:
      - {type: Workplace, id: w1, sector: building, setting: field, headcount: 3}
    expect:
      - {type: Obligation, module: OSS-III}
"""

FAILURE = [
    "FAIL small/cases.yaml::a plant needs OSS-II",
    "  at small/tests/cases.yaml:8:5",
    "  expected, not concluded:",
    "    - Obligation(module='OSS-II')  (small/tests/cases.yaml:13:9)",
    "  concluded Obligation:",
    "      Obligation(workplace='w1', module='OSS-III')",
]


@pytest.fixture
def small(small_ruleset: Callable[[str], Path]) -> Path:
    """The three-rule ruleset with three cases; the second one fails."""
    return small_ruleset(CASES)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_by_default_only_failures_and_a_summary_are_printed(small: Path) -> None:
    """A passing case prints nothing; the failing one prints in full; one summary line."""
    code, out, _ = run("test", "small")
    assert code == 1
    assert out.splitlines() == [*FAILURE, "2 passed, 1 failed, 3 of 3 rules covered"]


def test_verbose_lists_every_case(small: Path) -> None:
    """-v prints a line for each passing case too, in file order."""
    code, out, _ = run("test", "-v", "small")
    assert code == 1
    assert out.splitlines() == [
        "pass small/cases.yaml::an office needs OSS-I",
        *FAILURE,
        "pass small/cases.yaml::a field site needs OSS-III",
        "2 passed, 1 failed, 3 of 3 rules covered",
    ]


@pytest.mark.parametrize(
    ("pattern", "summary"),
    [
        ("OFFICE", "1 passed, 0 failed (1 of 3 cases match -k 'OFFICE'), 1 of 3 rules covered"),
        ("cases.yaml::a ", "1 passed, 1 failed (2 of 3 cases match -k 'cases.yaml::a '), "),
    ],
)
def test_k_selects_cases_by_a_substring_of_their_id(
    small: Path, pattern: str, summary: str
) -> None:
    """-k keeps the cases whose id contains the text, ignoring case; the summary says so."""
    code, out, _ = run("test", "-k", pattern, "small")
    assert out.splitlines()[-1].startswith(summary)
    assert code == (0 if pattern == "OFFICE" else 1)


def test_k_that_selects_nothing_is_a_usage_error(small: Path) -> None:
    """A pattern that no case id contains exits 2, showing what an id looks like."""
    code, _, err = run("test", "-k", "nothing like this", "small")
    assert code == 2
    assert "no case id contains it" in err and "small/cases.yaml::an office needs OSS-I" in err


def test_x_stops_at_the_first_failure(small: Path) -> None:
    """-x runs no case after the first failure, and says how many it left."""
    code, out, _ = run("test", "-x", "-v", "small")
    assert code == 1
    assert "a field site" not in out
    assert out.splitlines()[-1] == (
        "1 passed, 1 failed (-x: stopped at the first failure, 1 not run), 2 of 3 rules covered"
    )


def test_json_report(small: Path) -> None:
    """--format json gives the counts, the coverage and each case, with the failure text."""
    code, out, _ = run("test", "--format", "json", "small")
    assert code == 1
    data = json.loads(out)
    assert {k: data[k] for k in ("passed", "failed", "cases", "selected", "stopped")} == {
        "passed": 2,
        "failed": 1,
        "cases": 3,
        "selected": 3,
        "stopped": False,
    }
    assert data["coverage"] == {
        "rules": 3,
        "covered": 3,
        "percent": 100.0,
        "fail_under": None,
        "never_fired": [],
    }
    (suite,) = data["suites"]
    assert (suite["ruleset"], suite["version"], suite["path"]) == ("small", "1", "small")
    assert [c["passed"] for c in suite["cases"]] == [True, False, True]
    failed = suite["cases"][1]
    assert failed["id"] == "small/cases.yaml::a plant needs OSS-II"
    assert failed["at"] == "small/tests/cases.yaml:8:5"
    assert failed["message"] == "expected, not concluded: Obligation(module='OSS-II')"
    assert failed["report"].splitlines() == FAILURE
    assert "message" not in suite["cases"][0]


def test_junit_report(small: Path) -> None:
    """--format junit is JUnit XML: a testsuite per ruleset, a testcase per case, and a
    failure element with the message and the failure's text; the same run, the same bytes."""
    code, out, _ = run("test", "--format", "junit", "small")
    assert code == 1
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("3", "1")
    (suite,) = root
    assert (suite.tag, suite.get("name"), suite.get("tests"), suite.get("failures")) == (
        "testsuite",
        "small",
        "3",
        "1",
    )
    cases = list(suite)
    assert [c.get("name") for c in cases] == [
        "an office needs OSS-I",
        "a plant needs OSS-II",
        "a field site needs OSS-III",
    ]
    assert {c.get("classname") for c in cases} == {"small.cases"}
    assert cases[1].get("file") == "small/tests/cases.yaml" and cases[1].get("line") == "8"
    (failure,) = cases[1]
    assert failure.tag == "failure"
    assert failure.get("message") == "expected, not concluded: Obligation(module='OSS-II')"
    assert failure.text is not None and failure.text.splitlines() == FAILURE
    assert list(cases[0]) == [] and list(cases[2]) == []
    assert run("test", "--format", "junit", "small")[1] == out


def test_machine_formats_keep_stdout_parseable(small: Path, tmp_path: Path) -> None:
    """With --format json or junit, notes and the --fail-under message go to stderr."""
    write_ruleset(tmp_path / "untested", SMALL_RULESET.replace("small", "untested"))
    for fmt, parse in (("json", json.loads), ("junit", ET.fromstring)):
        code, out, err = run("test", "--format", fmt, "--fail-under", "100", "-k", "office", ".")
        assert code == 1  # -k office covers 1 of 3 rules
        parse(out)
        assert "note: untested has no test cases" in err
        assert "below --fail-under 100" in err
