"""Effective-dated params and rule windows: the version in force decides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import workplace, write_ruleset

import oss_rules
from oss_rules import Engine, EvaluationError, RulesetError
from oss_rules.authoring.check import check
from oss_rules.errors import ParamError

HEADER = """\
ruleset: dated
version: "1"
sources:
  letter: The operator's yearly letter.
params:
  cap:
    - effective_from: 2024-03-01
      effective_until: 2025-02-28
      value: 10042300
    - effective_from: 2025-03-01
      effective_until: 2026-02-28
      value: 10547400
    - effective_from: 2026-03-01
      value: 11086300
rules:
  - id: cap-on-as-of
    cite: letter
    when:
      - w: Workplace()
    then:
      - 'Finding(workplace: w.id, code: "cap", subject: str(cap))'
  - id: cap-for-assessment-month
    cite: letter
    when:
      - w: Workplace(last_assessment != null)
    then:
      - 'Finding(workplace: w.id, code: "cap_then", subject: str(in_force(cap, w.last_assessment)))'
  - id: discount
    cite: letter
    effective_from: 2025-02-01
    effective_until: 2026-01-31
    effective_on: w.last_assessment
    when:
      - w: Workplace(last_assessment != null)
    then:
      - 'Finding(workplace: w.id, code: "discount", subject: str(w.last_assessment))'
"""


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return Engine(oss_rules.load(write_ruleset(tmp_path / "rs", HEADER)))


def subjects(engine: Engine, as_of: str, assessed: str | None = None) -> dict[str, str]:
    last = dt.date.fromisoformat(assessed) if assessed else None
    result = engine.evaluate([workplace(last_assessment=last)], as_of=dt.date.fromisoformat(as_of))
    return {f.code: f.subject for f in result.findings}


@pytest.mark.parametrize(
    ("as_of", "cap"),
    [
        ("2024-03-01", "10042300"),
        ("2025-02-28", "10042300"),  # January and February keep the previous cap
        ("2025-03-01", "10547400"),
        ("2026-02-28", "10547400"),
        ("2026-03-01", "11086300"),
        ("2031-01-01", "11086300"),  # the last version is open-ended
    ],
)
def test_the_bare_name_is_the_version_in_force_on_as_of(engine: Engine, as_of: str, cap: str):
    assert subjects(engine, as_of)["cap"] == cap


def test_in_force_looks_up_another_date(engine: Engine) -> None:
    found = subjects(engine, "2026-06-30", assessed="2026-02-15")
    assert found["cap"] == "11086300"
    assert found["cap_then"] == "10547400"


@pytest.mark.parametrize(
    ("assessed", "fires"),
    [
        ("2025-01-31", False),
        ("2025-02-01", True),  # both ends are inclusive
        ("2026-01-31", True),
        ("2026-02-01", False),
    ],
)
def test_a_rule_fires_only_inside_its_window(engine: Engine, assessed: str, fires: bool) -> None:
    assert ("discount" in subjects(engine, "2026-06-30", assessed)) is fires


def test_no_version_in_force_is_an_error_naming_param_and_date(engine: Engine) -> None:
    with pytest.raises(EvaluationError) as error:
        subjects(engine, "2024-02-29")
    message = str(error.value)
    assert "param `cap` has no version in force on as_of 2024-02-29" in message
    assert "2024-03-01..2025-02-28" in message


def test_overlapping_versions_do_not_load(tmp_path: Path) -> None:
    overlapping = HEADER.replace("effective_until: 2026-02-28", "effective_until: 2026-03-31")
    with pytest.raises(RulesetError) as error:
        oss_rules.load(write_ruleset(tmp_path / "rs", overlapping))
    (problem,) = error.value.diagnostics
    assert (problem.code, problem.line, problem.col) == ("OSS071", 13, 7)
    assert "overlaps" in problem.message
    assert "effective_until: 2026-02-28" in problem.hint


def test_a_gap_between_versions_is_a_warning(tmp_path: Path) -> None:
    gapped = HEADER.replace("effective_until: 2026-02-28", "effective_until: 2026-01-31")
    problems = check(write_ruleset(tmp_path / "rs", gapped))
    assert [(p.code, p.severity, p.line) for p in problems] == [("OSS140", "warning", 6)]
    assert "from 2026-02-01 to 2026-02-28" in problems[0].message


@pytest.mark.parametrize(
    ("old", "new", "code", "text"),
    [
        ("      value: 10547400\n", "", "OSS070", "has no `value`"),
        ("effective_until: 2025-02-28", "effective_until: 2023-02-28", "OSS070", "is before"),
        ("effective_until: 2025-02-28", "effective_untill: 2025-02-28", "OSS070", "did you mean"),
        ("effective_from: 2025-02-01", "effective_from: soon", "OSS072", "must be a date"),
        (
            "    effective_from: 2025-02-01\n    effective_until: 2026-01-31\n",
            "",
            "OSS072",
            "no `effective_from`",
        ),
    ],
)
def test_malformed_dating_is_located(tmp_path: Path, old: str, new: str, code: str, text: str):
    assert old in HEADER
    with pytest.raises(RulesetError) as error:
        oss_rules.load(write_ruleset(tmp_path / "rs", HEADER.replace(old, new, 1)))
    codes = [(d.code, d.message + " " + d.hint) for d in error.value.diagnostics]
    assert any(c == code and text in m for c, m in codes), codes


def test_a_condition_on_a_versioned_param_uses_the_as_of_version(tmp_path: Path) -> None:
    # Such a condition cannot be folded into durable when the engine is built: it is
    # checked in Python with the version in force on each evaluation's as_of.
    text = HEADER.replace("      - w: Workplace()\n", "      - w: Workplace(headcount >= cap)\n", 1)
    assert text != HEADER
    engine = Engine(oss_rules.load(write_ruleset(tmp_path / "rs", text)))
    big = workplace(headcount=10_500_000)
    for as_of, fires in (("2025-02-28", True), ("2025-03-01", False)):
        result = engine.evaluate([big], as_of=dt.date.fromisoformat(as_of))
        assert ("cap" in {f.code for f in result.findings}) is fires, as_of


def test_an_override_replaces_every_version(tmp_path: Path) -> None:
    ruleset = oss_rules.load(write_ruleset(tmp_path / "rs", HEADER))
    engine = Engine(ruleset, params={"cap": 12_000_000})
    result = engine.evaluate([workplace()], as_of=dt.date(2020, 1, 1))
    assert {f.code: f.subject for f in result.findings}["cap"] == "12000000"
    with pytest.raises(ParamError, match="must be a number"):
        Engine(ruleset, params={"cap": "twelve"})


def test_in_force_needs_a_param_name(tmp_path: Path) -> None:
    broken = HEADER.replace("in_force(cap, w.last_assessment)", "in_force(w.id)")
    with pytest.raises(RulesetError) as error:
        oss_rules.load(write_ruleset(tmp_path / "rs", broken))
    assert [d.code for d in error.value.diagnostics] == ["OSS036"]
