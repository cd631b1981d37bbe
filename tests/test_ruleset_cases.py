"""Every test case shipped beside the rulesets (``rulesets/*/tests/*.yaml``) is a pytest test.

The ids are ``<ruleset>/<file>::<case name>``, as ``oss-rules test`` prints them, so
``pytest -k "classify.yaml"`` runs one file's cases.
"""

from __future__ import annotations

import pytest

from oss_rules.authoring import testing

CASES = testing.collect()


@pytest.mark.parametrize(("suite", "case"), CASES, ids=[case.id for _, case in CASES])
def test_case(suite: testing.Suite, case: testing.Case) -> None:
    """The case's conclusions (or its error) are what the case expects."""
    outcome = testing.run_case(suite, case)
    assert outcome.passed, outcome.report()


def test_shipped_cases_cover_every_rule() -> None:
    """The shipped cases make every rule of every shipped ruleset fire at least once."""
    suites = list(dict.fromkeys(suite for suite, _ in CASES))
    outcomes = [testing.run_case(suite, case) for suite, case in CASES]
    report = testing.coverage(suites, outcomes)
    assert report.percent == 100.0, report.render()
