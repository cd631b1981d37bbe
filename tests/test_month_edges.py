"""Generated dates fall on the edges of month arithmetic: ``add_months(as_of, -n)`` for
every constant ``n`` of the rules, clamped like ``add_months``, and a day either side.

So ``oss-rules verify`` and ``oss-rules diff --generate`` notice a look-back shortened
from 12 months to 11 or 6, which dates drawn as day offsets alone let through.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, write_ruleset
from hypothesis import find
from profiles import profile

import oss_rules
from oss_rules.authoring.diff import diff
from oss_rules.language._evaluate import FUNCTIONS
from oss_rules.model._fields import Day, Month
from oss_rules.verify import _declared, _edges, strategies
from oss_rules.verify._runner import verify

SHOWCASE = ROOT / "examples" / "incident-watch"

# The property says 12 months as a literal; the rule reads the param, which a mutant
# shortens.
REVIEW = """\
ruleset: review
version: "1"
domains: [oss]
sources:
  policy-4: "Company policy 4: every death at work in the last 12 months is reviewed."
params:
  lookback: 12
properties:
  - id: deaths-reviewed
    title: Every death at work in the last 12 months is reviewed
    cite: policy-4
    always:
      when:
        - i: Incident(kind == "death", occurred_at >= start_of_day(add_months(as_of, -12)))
      then: Finding(workplace == i.workplace, code == "management_review", subject == i.id)
rules:
  - id: review
    title: A recent death is reviewed by top management
    cite: policy-4
    when:
      - i: Incident(kind == "death", occurred_at >= start_of_day(add_months(as_of, -lookback)))
    then:
      - 'Finding(workplace: i.workplace, code: "management_review", subject: i.id)'
"""


def review(root: Path, months: int = 12) -> oss_rules.Ruleset:
    """The review ruleset with a look-back of ``months`` months in its rule."""
    text = REVIEW.replace("lookback: 12", f"lookback: {months}")
    return oss_rules.load(write_ruleset(root / f"review-{months}", text))


def test_month_offsets_come_from_add_months(tmp_path: Path) -> None:
    """``add_months(as_of, k)`` gives the offset ``k`` (a literal, a param, an override);
    ``add_months`` of another date gives ``k`` and ``-k``; no ``add_months`` (id-k3), no
    offset."""
    ruleset = review(tmp_path)
    declared = _declared.read(ruleset)
    assert _edges.edges(ruleset, ruleset.params, declared).months == (-12,)
    shorter = {**ruleset.params, "lookback": 11}
    assert _edges.month_offsets(ruleset, shorter, declared) == (-12, -11)
    # incidents.yaml: last_assessment <= add_months(day(i.occurred_at), -assessment_months)
    showcase = oss_rules.load(SHOWCASE)
    assert _edges.month_offsets(showcase, showcase.params, _declared.read(showcase)) == (-12, 12)
    k3 = oss_rules.load(ROOT / "rulesets" / "id-k3")
    assert _edges.edges(k3, k3.params, _declared.read(k3)).months == ()


@pytest.mark.parametrize(
    ("as_of", "months", "wanted"),
    [
        # add_months clamps: 31 March minus a month is 28 February.
        ("2026-03-31", -1, ["2026-02-27", "2026-02-28", "2026-03-01"]),
        # On a month's last day, months_between changes at the last day of the month:
        # months_between(2025-12-31, 2026-06-30) is 6, but add_months(as_of, -6) is 12-30.
        ("2026-06-30", -6, ["2025-12-29", "2025-12-30", "2025-12-31", "2026-01-01"]),
        ("2026-06-15", 12, ["2027-06-14", "2027-06-15", "2027-06-16"]),
    ],
)
def test_dates_fall_on_month_edges(as_of: str, months: int, wanted: list[str]) -> None:
    """Each date on either side of a month edge is drawn, month ends included."""
    day = dt.date.fromisoformat(as_of)
    dates = strategies.values(Day(), as_of=day, months=(months,))
    for text in wanted:
        target = dt.date.fromisoformat(text)
        assert find(dates, lambda d, target=target: d == target, settings=profile(2000)) == target


def test_month_fields_fall_on_month_edges() -> None:
    """A month field (the first of a month) falls on the month offset and either side."""
    months = strategies.values(Month(), as_of=dt.date(2026, 6, 30), months=(-12,))
    for first in (dt.date(2025, 5, 1), dt.date(2025, 6, 1), dt.date(2025, 7, 1)):
        assert find(months, lambda d, first=first: d == first, settings=profile(500)) == first


def test_month_offsets_must_be_whole_numbers() -> None:
    """A month offset that is no int is reported with its argument's name."""
    with pytest.raises(TypeError, match=r"months=\(1.5,\)"):
        strategies.values(Day(), months=(1.5,))  # type: ignore[arg-type]


@pytest.mark.slow
def test_verify_holds_for_the_look_back_it_promises(tmp_path: Path) -> None:
    """With the rule's look-back at 12 months, the property holds."""
    assert verify(review(tmp_path), only=["deaths-reviewed"]).passed


@pytest.mark.slow
@pytest.mark.parametrize(("months", "edge"), [(6, "2025-12-29"), (11, "2025-07-29")])
def test_verify_catches_a_shorter_look_back_in_months(
    tmp_path: Path, months: int, edge: str
) -> None:
    """A look-back shortened to 6 or 11 months fails, on 100 examples of seed 0, with a
    death the day before the rule's edge as the minimal counterexample (as of 2026-06-30).
    Drawn as day offsets only, both mutants passed."""
    report = verify(review(tmp_path, months), only=["deaths-reviewed"], max_examples=100)
    (outcome,) = report.outcomes
    assert not outcome.passed
    assert outcome.case is not None
    assert outcome.case["as_of"] == "2026-06-30"
    (incident,) = [f for f in outcome.case["given"] if f["type"] == "Incident"]
    assert incident["kind"] == "death"
    assert incident["occurred_at"] == f"{edge}T00:00:00"


@pytest.mark.slow
def test_verify_catches_a_shorter_look_back_in_the_showcase(tmp_path: Path) -> None:
    """In a copy of examples/incident-watch whose property says 12 months as a literal,
    the rule's look-back param shortened to 11 months breaks death-reviewed."""
    copy = tmp_path / "incident-watch"
    shutil.copytree(SHOWCASE, copy)
    header = copy / "ruleset.yaml"
    text = header.read_text("utf-8")
    promise = "start_of_day(add_months(as_of, -lookback_months)))\n      then: Finding"
    assert promise in text
    header.write_text(text.replace(promise, promise.replace("-lookback_months", "-12")), "utf-8")
    assert verify(oss_rules.load(copy), only=["death-reviewed"]).passed
    text = header.read_text("utf-8")
    header.write_text(text.replace("  lookback_months: 12\n", "  lookback_months: 11\n"), "utf-8")
    report = verify(oss_rules.load(copy), only=["death-reviewed"])
    assert not report.passed


@pytest.mark.slow
def test_diff_generate_shows_a_shorter_look_back(tmp_path: Path) -> None:
    """``diff --generate 20`` draws the month edges of both versions: a look-back of 11
    months instead of 12 loses findings (day offsets alone showed no change)."""
    changes = diff(review(tmp_path), review(tmp_path, 11), generate=20).changes
    assert [(c.kind, c.rule, c.direction) for c in changes] == [("Finding", "review", "lost")]
    (change,) = changes
    (incident,) = [f for f in change.example.facts if isinstance(f, oss_rules.Incident)]
    assert FUNCTIONS["months_between"](incident.occurred_at.date(), change.example.as_of) == 11
