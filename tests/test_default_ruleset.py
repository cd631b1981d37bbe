"""The default `oss` ruleset behaves exactly as issue 3 specifies, rule by rule."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from conftest import AS_OF, hazard, workplace

from oss_rules import Action, Classification, Deadline, Engine, Finding, Obligation, Workplace
from oss_rules.domains.oss.facts import Registration

MODULE_CODES = {"missing_module", "unneeded_module"}


def modules(result, wid: str = "w1") -> set[str]:
    return {o.module for o in result.obligations if o.workplace == wid}


def findings(result) -> set[tuple[str, str]]:
    return {(f.code, f.subject) for f in result.findings}


def module_findings(result) -> set[tuple[str, str]]:
    return {(f.code, f.subject) for f in result.findings if f.code in MODULE_CODES}


def kept_up(site: Workplace) -> list:
    """``site`` audited and reviewed recently, with each declared module registered."""
    done = dt.date(2026, 6, 1)
    return [
        attrs.evolve(site, last_audit=done, last_review=done),
        *(Registration(site.id, m, done, "accepted") for m in site.declared_modules),
    ]


@pytest.mark.parametrize(
    ("likelihood", "severity", "level"),
    [
        (1, 1, "low"),
        (2, 2, "low"),
        (1, 4, "low"),
        (1, 5, "medium"),
        (3, 4, "medium"),
        (4, 3, "medium"),
        (3, 5, "high"),
        (5, 3, "high"),
        (4, 4, "high"),
        (5, 5, "high"),
    ],
)
def test_level_follows_the_score_bands(engine: Engine, likelihood: int, severity: int, level: str):
    """Score 1-4 is low, 5-12 medium, 15-25 high (band edges included)."""
    h = hazard(likelihood=likelihood, severity=severity)
    result = engine.evaluate([workplace(), h], as_of=AS_OF)
    assert result.classifications == (
        Classification("w1", "h1", "ergonomic", likelihood * severity, level),
    )


def test_every_workplace_needs_oss_i(engine: Engine):
    """A workplace without hazards is still obliged to run OSS-I and nothing else; kept up to
    date, its only findings are about its empty inventory (no frontline input, and the
    category its setting should list)."""
    result = engine.evaluate(kept_up(workplace()), as_of=AS_OF)
    assert result.obligations == (Obligation("w1", "OSS-I"),)
    assert {f.code for f in result.findings} == {"no_frontline_input", "inventory_gap"}


@pytest.mark.parametrize("category", ["machinery", "fall", "electrical", "noise", "vehicle"])
def test_high_physical_hazard_needs_oss_ii(engine: Engine, category: str):
    """A high hazard in a physical category requires OSS-II (and OSS-III, being high)."""
    result = engine.evaluate(
        [workplace(), hazard(category=category, likelihood=5, severity=4)], as_of=AS_OF
    )
    assert modules(result) == {"OSS-I", "OSS-II", "OSS-III"}


@pytest.mark.parametrize("category", ["machinery", "fall", "electrical", "noise", "vehicle"])
def test_medium_physical_hazard_does_not_need_oss_ii(engine: Engine, category: str):
    """A physical hazard needs OSS-II only when it is high."""
    result = engine.evaluate(
        [workplace(), hazard(category=category, likelihood=3, severity=4)], as_of=AS_OF
    )
    assert modules(result) == {"OSS-I"}


@pytest.mark.parametrize("category", ["ergonomic", "psychosocial", "thermal"])
def test_high_non_physical_hazard_needs_oss_iii_only(engine: Engine, category: str):
    """A high ergonomic, psychosocial or thermal hazard requires OSS-III but not OSS-II."""
    result = engine.evaluate(
        [workplace(), hazard(category=category, likelihood=5, severity=5)], as_of=AS_OF
    )
    assert modules(result) == {"OSS-I", "OSS-III"}


@pytest.mark.parametrize("category", ["chemical", "biological"])
@pytest.mark.parametrize(("likelihood", "expect_oss_ii"), [(1, False), (2, True), (4, True)])
def test_chemical_biological_from_medium_need_oss_ii(
    engine: Engine, category: str, likelihood: int, expect_oss_ii: bool
):
    """Chemical and biological hazards need OSS-II from medium (score 5) up."""
    result = engine.evaluate(
        [workplace(), hazard(category=category, likelihood=likelihood, severity=3)], as_of=AS_OF
    )
    assert ("OSS-II" in modules(result)) is expect_oss_ii


@pytest.mark.parametrize(
    ("setting", "expect"), [("field", True), ("plant", True), ("digital", True), ("office", False)]
)
def test_oss_iii_by_setting(engine: Engine, setting: str, expect: bool):
    """Field, plant and digital workplaces need OSS-III; an office without high hazards not."""
    result = engine.evaluate([workplace(setting=setting)], as_of=AS_OF)
    assert ("OSS-III" in modules(result)) is expect


def test_actions_for_medium_and_high_hazards_only(engine: Engine):
    """High hazards get actions due 30 days after identification, medium 90, low none."""
    facts = [
        workplace(declared_modules=("OSS-I", "OSS-II", "OSS-III")),
        hazard("hi", category="fall", likelihood=5, severity=5, identified_on=dt.date(2026, 6, 20)),
        hazard(
            "med", category="noise", likelihood=2, severity=3, identified_on=dt.date(2026, 6, 1)
        ),
        hazard(
            "low", category="noise", likelihood=1, severity=2, identified_on=dt.date(2026, 6, 1)
        ),
    ]
    result = engine.evaluate(facts, as_of=AS_OF)
    controls = engine.params["controls"]
    assert result.actions == (
        Action("w1", "hi", "fall:high", controls["fall"], dt.date(2026, 7, 20)),
        Action("w1", "med", "noise:medium", controls["noise"], dt.date(2026, 8, 30)),
    )


def test_action_without_identification_date_counts_from_as_of(engine: Engine):
    """Without identified_on the due date counts from as_of, so it is never overdue."""
    result = engine.evaluate(
        [workplace(), hazard(category="thermal", likelihood=3, severity=3)], as_of=AS_OF
    )
    assert [a.due for a in result.actions] == [AS_OF + dt.timedelta(days=90)]
    assert not any(f.code == "overdue_action" for f in result.findings)


@pytest.mark.parametrize(("days_ago", "overdue"), [(30, False), (31, True), (29, False)])
def test_overdue_action_strictly_after_due_date(engine: Engine, days_ago: int, overdue: bool):
    """An action due exactly on as_of is not overdue; a day later it is."""
    identified = AS_OF - dt.timedelta(days=days_ago)
    facts = [
        workplace(declared_modules=("OSS-I", "OSS-III")),
        hazard(category="thermal", likelihood=5, severity=5, identified_on=identified),
    ]
    result = engine.evaluate(facts, as_of=AS_OF)
    assert (("overdue_action", "h1") in findings(result)) is overdue


def test_missing_and_unneeded_modules(engine: Engine):
    """A required but undeclared module is missing; a declared but unrequired one unneeded."""
    facts = [
        workplace(setting="field", declared_modules=("OSS-I", "OSS-II")),
    ]
    result = engine.evaluate(facts, as_of=AS_OF)
    assert module_findings(result) == {
        ("missing_module", "OSS-III"),
        ("unneeded_module", "OSS-II"),
    }


@pytest.mark.parametrize(
    ("last", "as_of", "due", "status"),
    [
        (dt.date(2025, 6, 30), dt.date(2026, 6, 30), dt.date(2026, 6, 30), "due_soon"),
        (dt.date(2025, 6, 29), dt.date(2026, 6, 30), dt.date(2026, 6, 29), "overdue"),
        (dt.date(2025, 7, 31), dt.date(2026, 6, 30), dt.date(2026, 7, 31), "ok"),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), dt.date(2025, 2, 28), "due_soon"),
        (dt.date(2024, 2, 29), dt.date(2025, 3, 1), dt.date(2025, 2, 28), "overdue"),
    ],
)
def test_reassessment_every_twelve_calendar_months(
    engine: Engine, last: dt.date, as_of: dt.date, due: dt.date, status: str
):
    """The assessment is due 12 calendar months after the last (29 Feb -> 28 Feb), overdue
    the day after, due soon within 30 days before."""
    result = engine.evaluate([workplace(last_assessment=last)], as_of=as_of)
    deadline = next(d for d in result.deadlines if d.kind == "reassessment")
    assert deadline == Deadline("w1", "reassessment", due, status)
    assert (("overdue_reassessment", "reassessment") in findings(result)) is (status == "overdue")


def test_never_assessed_audited_or_reviewed_is_overdue_now(engine: Engine):
    """No date on record: each duty is due as of now, overdue, and a finding says so."""
    result = engine.evaluate([workplace(last_assessment=None)], as_of=AS_OF)
    assert result.deadlines == tuple(
        Deadline("w1", kind, AS_OF, "overdue") for kind in ("audit", "reassessment", "review")
    )
    overdue = [f for f in result.findings if f.code.startswith("overdue_")]
    assert overdue == [
        Finding("w1", "overdue_audit", "audit", "no previous audit on record"),
        Finding("w1", "overdue_reassessment", "reassessment", "no previous reassessment on record"),
        Finding("w1", "overdue_review", "review", "no previous review on record"),
    ]


def test_audit_and_review_periods_clamp_to_the_end_of_the_month(engine: Engine):
    """31 Aug + 6 months is 28 Feb; 30 Nov + 3 months is 28 Feb (29 in a leap year)."""
    site = workplace(last_audit=dt.date(2025, 8, 31), last_review=dt.date(2025, 11, 30))
    result = engine.evaluate([site], as_of=dt.date(2026, 1, 15))
    due = {d.kind: d.due for d in result.deadlines}
    assert due["audit"] == due["review"] == dt.date(2026, 2, 28)


def test_workplaces_are_kept_apart(engine: Engine):
    """A high hazard in one workplace obliges only that workplace."""
    facts = [
        workplace(id="a"),
        workplace(id="b"),
        hazard("h1", workplace="a", category="fall", likelihood=5, severity=5),
    ]
    result = engine.evaluate(facts, as_of=AS_OF)
    assert modules(result, "a") == {"OSS-I", "OSS-II", "OSS-III"}
    assert modules(result, "b") == {"OSS-I"}
    assert {f.workplace for f in result.findings if f.code in MODULE_CODES} == {"a"}


def test_param_override_changes_the_result():
    """Raising high_from to 16 turns a score-15 hazard from high into medium."""
    import oss_rules

    facts = [workplace(), hazard(category="fall", likelihood=5, severity=3)]
    default = Engine(oss_rules.load_default()).evaluate(facts, as_of=AS_OF)
    raised = Engine(oss_rules.load_default(), params={"high_from": 16}).evaluate(facts, as_of=AS_OF)
    assert default.classifications[0].level == "high"
    assert raised.classifications[0].level == "medium"
