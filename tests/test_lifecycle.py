"""The compliance lifecycle of the default ruleset in Python: deadlines sorted by urgency
in the text report, incidents and benefits shown, and results that do not depend on the
order of the facts."""

from __future__ import annotations

import datetime as dt
import random

from conftest import AS_OF, ROOT, write_ruleset

import oss_rules
from oss_rules import Deadline, Engine, Workplace
from oss_rules.domains.oss.facts import Incident
from oss_rules.report.text import render_result

SITE = Workplace(
    id="w1",
    sector="metal",
    setting="plant",
    headcount=30,
    declared_modules=("OSS-I", "OSS-III"),
    last_assessment=dt.date(2025, 8, 31),  # due 2026-08-31: ok
    last_audit=dt.date(2026, 1, 15),  # due 2026-07-15: due soon
    last_review=dt.date(2026, 3, 20),  # due 2026-06-20: overdue
)


def _deadline_lines(report: str) -> list[str]:
    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  Deadlines"))
    shown = []
    for line in lines[start + 2 :]:  # after the heading and the table's header
        if not line.startswith("    "):
            break
        shown.append(line.split()[0])
    return shown


def test_deadlines_are_listed_most_urgent_first(engine: Engine):
    """Overdue first, then due soon, then ok, whatever the order of the due dates."""
    result = engine.evaluate([SITE], as_of=AS_OF)
    assert {d.kind: d.status for d in result.deadlines} == {
        "registration": "overdue",  # no registration on record, due 2025-09-30
        "reassessment": "ok",
        "audit": "due_soon",
        "review": "overdue",
    }
    report = render_result(result)
    assert _deadline_lines(report) == ["registration", "review", "audit", "reassessment"]
    assert "    review        2026-06-20  OVERDUE" in report
    assert "    audit         2026-07-15  due soon" in report
    assert "    reassessment  2026-08-31" in report.splitlines()


def test_deadlines_of_equal_urgency_are_listed_by_date(engine: Engine):
    """Three overdue deadlines come out earliest first."""
    site = Workplace(
        id="w1",
        sector="retail",
        setting="office",
        headcount=3,
        last_assessment=dt.date(2025, 1, 10),  # due 2026-01-10
        last_audit=dt.date(2025, 12, 1),  # due 2026-06-01
        last_review=dt.date(2026, 1, 5),  # due 2026-04-05
    )
    report = render_result(engine.evaluate([site], as_of=AS_OF))
    # The registration deadline (2025-02-09) is the earliest overdue one.
    assert _deadline_lines(report) == ["registration", "reassessment", "review", "audit"]


def test_a_deadline_without_status_is_ranked_by_its_date(tmp_path):
    """A ruleset that derives deadlines without a status still gets them sorted: a date
    before as_of is overdue."""
    root = write_ruleset(
        tmp_path / "plain",
        """\
ruleset: plain
version: "1"
sources:
  s: "A source."
rules:
  - id: plain
    cite: s
    when:
      - w: Workplace()
    then:
      - 'Deadline(workplace: w.id, kind: "later", due: as_of + days(10))'
      - 'Deadline(workplace: w.id, kind: "earlier", due: as_of - days(10))'
""",
    )
    result = Engine(oss_rules.load(root)).evaluate([SITE], as_of=AS_OF)
    assert {d.status for d in result.deadlines} == {None}
    report = render_result(result)
    assert _deadline_lines(report)[:2] == ["earlier", "later"]
    assert "    earlier   2026-06-20  OVERDUE" in report


def test_incidents_and_benefits_are_reported(engine: Engine):
    """The report lists a workplace's incidents with their times, and the benefits owed."""
    death = Incident(
        id="i1",
        workplace="w1",
        kind="death",
        occurred_at=dt.datetime(2026, 6, 1, 10, 0),
        reported_at=dt.datetime(2026, 6, 4, 9, 30),
    )
    result = engine.evaluate([SITE, death], as_of=AS_OF)
    report = render_result(result)
    assert "    i1        death  2026-06-01 10:00  none          2026-06-04 09:30" in report
    assert "  Benefits (4)" in report
    assert {f.code for f in result.findings if f.subject == "i1"} == {"late_accident_report"}
    assert Deadline("w1", "review", dt.date(2026, 6, 20), "overdue") in result.deadlines


def test_lifecycle_results_do_not_depend_on_the_order_of_facts(engine: Engine):
    """The examples with incidents and registrations give the same bytes in any order."""
    facts: list = []
    for name in ("workshop", "plant", "office"):
        inventory = oss_rules.read_inventory(ROOT / "examples" / f"{name}.json")
        facts += inventory.facts
    expected = engine.evaluate(facts, as_of=AS_OF).to_json()
    for seed in range(3):
        random.Random(seed).shuffle(facts)
        assert engine.evaluate(facts, as_of=AS_OF).to_json() == expected
