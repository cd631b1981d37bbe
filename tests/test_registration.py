"""Registration submissions: the payload's content and order, and every validation problem."""

from __future__ import annotations

import datetime as dt
import doctest
import json
import random
from typing import Any

import attrs
import pytest
from conftest import AS_OF, hazard, workplace

import oss_rules.domains.oss.registration
from oss_rules import Engine, Obligation
from oss_rules.domains.oss.facts import Employer, Workplace
from oss_rules.domains.oss.registration import Payment, build_submission, payment_schedule
from oss_rules.engine.result import Result
from oss_rules.errors import OssRulesError, Problem, SubmissionError


def employer(**changes: Any) -> Employer:
    """A valid employer with every identifier, with ``changes`` applied."""
    values: dict[str, Any] = {
        "id": "acme",
        "name": "PT Acme",
        "scale": "medium",
        "nib": "9120001234567",
        "npwp": "0012345678901000",
        "bpjstk_number": "19012345",
        "address": "Jl. Sudirman 1, Jakarta",
    }
    values.update(changes)
    return Employer(**values)


def site(**changes: Any) -> Workplace:
    """A field workplace of employer acme assessed on 2026-03-01."""
    values: dict[str, Any] = {
        "setting": "field",
        "sector": "construction",
        "last_assessment": dt.date(2026, 3, 1),
        "employer": "acme",
    }
    values.update(changes)
    return workplace(**values)


HAZARDS = (
    # high fall: OSS-II, OSS-III, an action due 30 days after identification
    hazard("h1", category="fall", likelihood=4, severity=5, identified_on=dt.date(2026, 6, 1)),
    # medium chemical: OSS-II, an action due 90 days after identification
    hazard("h2", category="chemical", likelihood=2, severity=3, identified_on=dt.date(2026, 3, 3)),
    # medium machinery, due the same day as h2
    hazard("h0", category="machinery", likelihood=3, severity=4, identified_on=dt.date(2026, 3, 3)),
    hazard("h3", category="fall", likelihood=1, severity=2),
)


def evaluate(engine: Engine, *facts: Any, as_of: dt.date = AS_OF) -> Result:
    return engine.evaluate(list(facts), as_of=as_of)


@pytest.fixture
def result(engine: Engine) -> Result:
    """A valid evaluation of one field workplace with four hazards."""
    return evaluate(engine, employer(), site(), *HAZARDS)


def problems_of(result: Result, *args: Any, **kwargs: Any) -> tuple[Problem, ...]:
    with pytest.raises(SubmissionError) as info:
        build_submission(result, *args, **kwargs)
    return info.value.problems


def test_the_modules_are_the_workplace_obligations(result: Result) -> None:
    """The submission lists exactly the modules the workplace is obliged to run."""
    submission = build_submission(result, "w1", "acme")
    assert submission.modules == ("OSS-I", "OSS-II", "OSS-III")
    assert submission.employer == employer() and submission.workplace == site()


def test_risk_summary_counts_hazards_by_level_and_category(result: Result) -> None:
    """The risk-assessment summary counts the classifications by level and by category."""
    risk = build_submission(result, "w1", "acme").risk_assessment
    assert risk.assessed_on == dt.date(2026, 3, 1)
    assert risk.hazards == 4
    assert risk.by_level == (("low", 1), ("medium", 2), ("high", 1))
    assert risk.by_category == (("chemical", 1), ("fall", 2), ("machinery", 1))


def test_zero_counts_are_listed_for_every_level(engine: Engine) -> None:
    """A level without hazards is listed with 0, so every payload has the same keys."""
    result = evaluate(engine, employer(), site(), hazard("h1"))
    assert build_submission(result, "w1").risk_assessment.by_level == (
        ("low", 1),
        ("medium", 0),
        ("high", 0),
    )


def test_actions_are_sorted_by_due_date_then_hazard(result: Result) -> None:
    """The preventive-action plan is ordered by due date, ties by hazard id."""
    actions = build_submission(result, "w1", "acme").actions
    assert [(a.due, a.hazard) for a in actions] == [
        (dt.date(2026, 6, 1), "h0"),
        (dt.date(2026, 6, 1), "h2"),
        (dt.date(2026, 7, 1), "h1"),
    ]
    assert actions[2].code == "fall:high" and actions[2].control.startswith("Eliminate")


def test_payment_schedule_runs_twelve_months_from_the_submission_month(result: Result) -> None:
    """Twelve contribution months from the submission's, each due the 15th of the next."""
    payments = build_submission(result, "w1", submitted_on=dt.date(2026, 6, 3)).payments
    assert len(payments) == 12
    assert payments[0] == Payment(dt.date(2026, 6, 1), dt.date(2026, 7, 15))
    assert payments[-1] == Payment(dt.date(2027, 5, 1), dt.date(2027, 6, 15))


def test_december_contributions_are_due_in_january() -> None:
    """The schedule crosses the year: December's contributions are due on 15 January."""
    schedule = payment_schedule(dt.date(2026, 12, 31), 2)
    assert schedule == (
        Payment(dt.date(2026, 12, 1), dt.date(2027, 1, 15)),
        Payment(dt.date(2027, 1, 1), dt.date(2027, 2, 15)),
    )


def test_responsibilities_cover_only_the_required_modules(engine: Engine) -> None:
    """An office with only OSS-I gets OSS-I's responsibilities, each with a source."""
    result = evaluate(engine, employer(), site(setting="office"), hazard("h1"))
    duties = build_submission(result, "w1").responsibilities
    assert {d.module for d in duties} == {"OSS-I"}
    assert all(d.text and d.source for d in duties)


def test_required_modules_each_have_responsibilities(result: Result) -> None:
    """Every required module states at least one responsibility, and OSS-II cites the
    accident-report regulation."""
    duties = build_submission(result, "w1").responsibilities
    assert {d.module for d in duties} == {"OSS-I", "OSS-II", "OSS-III"}
    assert any("Permenaker 1/2025" in d.source for d in duties if d.module == "OSS-II")


def test_workplace_and_employer_may_be_fact_objects(result: Result) -> None:
    """Passing the facts themselves gives the same payload as passing their ids."""
    by_id = build_submission(result, "w1", "acme")
    assert build_submission(result, site(), employer()) == by_id
    assert build_submission(result, "w1") == by_id


def test_json_is_canonical_and_complete(result: Result) -> None:
    """to_json writes sorted keys, dates as ISO strings and months as YYYY-MM."""
    text = build_submission(result, "w1").to_json()
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    assert list(data) == sorted(data)
    assert data["submitted_on"] == "2026-06-30"
    assert data["payments"][0] == {"contribution_month": "2026-06", "due": "2026-07-15"}
    assert data["employer"]["nib"] == "9120001234567"
    assert data["risk_assessment"]["by_level"] == {"high": 1, "low": 1, "medium": 2}
    assert data["ruleset"]["id"] == "oss"
    assert [a["hazard"] for a in data["actions"]] == ["h0", "h2", "h1"]


def test_same_facts_in_any_order_give_the_same_bytes(engine: Engine) -> None:
    """Determinism: shuffled input facts give byte-identical submissions."""
    facts = [employer(), site(), *HAZARDS]
    expected = build_submission(evaluate(engine, *facts), "w1").to_json()
    shuffle = random.Random(0)
    for _ in range(5):
        shuffle.shuffle(facts)
        assert build_submission(evaluate(engine, *facts), "w1").to_json() == expected


def _one(problems: tuple[Problem, ...]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize(
    ("changes", "path", "message", "hint"),
    [
        ({"nib": None}, "employer.nib", "missing", "13-digit"),
        ({"nib": "912000123456"}, "employer.nib", "a NIB is 13 digits, this has 12", "OSS"),
        ({"nib": "91200012345678"}, "employer.nib", "this has 14", "13 digits"),
        ({"nib": "912-000-123-4567"}, "employer.nib", "is not a NIB", "'9120001234567'"),
        ({"nib": "912000123456x"}, "employer.nib", "13 characters, 12 of them digits", "OSS"),
        ({"npwp": None}, "employer.npwp", "missing", "16-digit"),
        ({"npwp": "012345678901000"}, "employer.npwp", "15-digit NPWP", "'0012345678901000'"),
        (
            {"npwp": "01.234.567.8-901.000"},
            "employer.npwp",
            "15-digit NPWP",
            "'0012345678901000'",
        ),
        ({"npwp": "0012.3456.7890.1000"}, "employer.npwp", "16 digits", "'0012345678901000'"),
        ({"npwp": "12345"}, "employer.npwp", "is not an NPWP", "PMK 112/PMK.03/2022"),
        ({"bpjstk_number": None}, "employer.bpjstk_number", "missing", "BPJS"),
        ({"address": None}, "employer.address", "missing", "address"),
    ],
)
def test_each_employer_identifier_problem(
    engine: Engine, changes: dict[str, Any], path: str, message: str, hint: str
) -> None:
    """A missing or malformed identifier is one problem at its path, with a hint."""
    result = evaluate(engine, employer(**changes), site(), *HAZARDS)
    problem = _one(problems_of(result, "w1"))
    assert (problem.path, message in problem.message, hint in problem.hint) == (path, True, True)


def test_a_15_digit_npwp_was_valid_before_2025(engine: Engine) -> None:
    """Until the end of 2024 a 15-digit NPWP was still accepted (PER-6/PJ/2024)."""
    boss = employer(npwp="012345678901000")
    facts = (boss, site(last_assessment=dt.date(2024, 3, 1)), hazard("h1"))
    late_2024 = evaluate(engine, *facts, as_of=dt.date(2024, 12, 31))
    assert build_submission(late_2024, "w1").employer.npwp == "012345678901000"
    early_2025 = evaluate(engine, *facts, as_of=dt.date(2025, 1, 1))
    assert _one(problems_of(early_2025, "w1")).path == "employer.npwp"


def test_missing_assessment_is_a_problem(engine: Engine) -> None:
    """A workplace without last_assessment cannot back any required module."""
    result = evaluate(engine, employer(), site(last_assessment=None), hazard("h1"))
    problem = _one(problems_of(result, "w1"))
    assert problem.path == "workplace.last_assessment"
    assert "OSS-I, OSS-III" in problem.message


def test_oss2_without_a_classification_is_a_problem(engine: Engine) -> None:
    """OSS-II obliged by a given fact, with no hazard classification behind it."""
    result = evaluate(engine, employer(), site(), Obligation("w1", "OSS-II"))
    problem = _one(problems_of(result, "w1"))
    assert problem.path == "modules[OSS-II].assessment"


def test_oss2_backed_by_a_classification_is_fine_even_if_also_given(engine: Engine) -> None:
    """A given OSS-II obligation that a classification also derives is backed."""
    result = evaluate(engine, employer(), site(), HAZARDS[0], Obligation("w1", "OSS-II"))
    assert "OSS-II" in build_submission(result, "w1").modules


def test_no_required_module_is_a_problem(result: Result) -> None:
    """A workplace with no obligation has nothing to register."""
    kept = tuple(c for c in result.conclusions if not isinstance(c, Obligation))
    bare = attrs.evolve(result, conclusions=kept)
    assert _one(problems_of(bare, "w1")).path == "modules"


@pytest.mark.parametrize(
    ("facts", "kwargs", "path"),
    [
        ((site(last_assessment=dt.date(2026, 7, 1)),), {}, "workplace.last_assessment"),
        (
            (site(), hazard("h1", identified_on=dt.date(2026, 7, 1))),
            {},
            "hazards[h1].identified_on",
        ),
        ((site(),), {"submitted_on": dt.date(2026, 7, 1)}, "submitted_on"),
    ],
)
def test_dates_after_as_of_are_problems(
    engine: Engine, facts: tuple[Any, ...], kwargs: dict[str, Any], path: str
) -> None:
    """A date after the evaluation date is reported at its path."""
    result = evaluate(engine, employer(), *facts)
    problem = _one(problems_of(result, "w1", **kwargs))
    assert problem.path == path and "after the evaluation date 2026-06-30" in problem.message


def test_dates_on_as_of_are_fine(engine: Engine) -> None:
    """The evaluation date itself is not in the future."""
    facts = (employer(), site(last_assessment=AS_OF), hazard("h1", identified_on=AS_OF))
    assert build_submission(evaluate(engine, *facts), "w1", submitted_on=AS_OF)


def test_unknown_workplace_id(result: Result) -> None:
    """An unknown workplace id is a problem with a suggestion."""
    problem = _one(problems_of(result, "w11"))
    assert problem.path == "workplace" and "did you mean `w1`" in problem.message


def test_workplace_object_that_was_not_evaluated(result: Result) -> None:
    """A Workplace fact the evaluation was not given is refused."""
    problem = _one(problems_of(result, site(headcount=99)))
    assert problem.path == "workplace"


def test_unknown_employer_id(result: Result) -> None:
    """An unknown employer id is a problem listing the employers."""
    problem = _one(problems_of(result, "w1", "acmee"))
    assert problem.path == "employer" and "acme" in problem.hint


def test_employer_of_another_workplace(result: Result) -> None:
    """An employer that is not the workplace's own is refused."""
    problem = _one(problems_of(result, "w1", employer(id="other")))
    assert problem.path == "employer.id"


def test_workplace_without_employer(engine: Engine) -> None:
    """Without an employer argument, the workplace must name its employer."""
    result = evaluate(engine, employer(), site(employer=None), *HAZARDS)
    assert _one(problems_of(result, "w1")).path == "workplace.employer"
    assert build_submission(result, "w1", "acme").employer.id == "acme"


def test_every_problem_is_reported_at_once(engine: Engine) -> None:
    """All problems come in one error, in a stable order, and its text lists each."""
    boss = employer(nib="123", npwp=None, bpjstk_number=None, address=None)
    facts = (
        boss,
        site(last_assessment=None),
        hazard("h1", identified_on=dt.date(2026, 7, 1)),
        Obligation("w1", "OSS-II"),
    )
    with pytest.raises(SubmissionError) as info:
        build_submission(evaluate(engine, *facts), "w1", submitted_on=dt.date(2026, 8, 1))
    paths = [p.path for p in info.value.problems]
    assert paths == [
        "employer.nib",
        "employer.npwp",
        "employer.bpjstk_number",
        "employer.address",
        "workplace.last_assessment",
        "modules[OSS-II].assessment",
        "hazards[h1].identified_on",
        "submitted_on",
    ]
    text = str(info.value)
    assert text.startswith("8 problems:\n")
    assert all(f"  {p}" in text for p in info.value.problems)
    assert isinstance(info.value, OssRulesError)


def test_problem_renders_path_message_and_hint() -> None:
    """A problem prints as `path: message (hint)`, without the parentheses when no hint."""
    assert str(Problem("employer.nib", "missing", "give it")) == "employer.nib: missing (give it)"
    assert str(Problem("modules", "none")) == "modules: none"
    assert str(SubmissionError([Problem("a", "b")])) == "1 problem:\n  a: b"


def test_module_examples_run() -> None:
    """The examples in the module's docstrings are true."""
    assert doctest.testmod(oss_rules.domains.oss.registration).failed == 0


def test_a_result_read_back_from_json_gives_the_same_submission(result: Result) -> None:
    """A stored result (Result.to_json, then from_json) builds the same submission."""
    again = Result.from_json(result.to_json())
    assert build_submission(again, "w1").to_json() == build_submission(result, "w1").to_json()


def test_unknown_workplace_still_checks_the_employer_given(result: Result) -> None:
    """Without the workplace, the employer passed in is still checked: every problem at once."""
    paths = [p.path for p in problems_of(result, "nowhere", employer(nib=None))]
    assert paths == ["workplace", "employer.nib"]
