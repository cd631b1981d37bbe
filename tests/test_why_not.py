"""`oss-rules explain --why-not`: which rules could derive a conclusion and what failed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from conftest import AS_OF, ROOT, hazard, workplace

from oss_rules import Engine, load_default
from oss_rules.authoring._why_not import why_not
from oss_rules.cli import main
from oss_rules.errors import QuestionError
from oss_rules.language._parser import parse_pattern
from oss_rules.language.syntax import Span

OFFICE = str(ROOT / "examples" / "office.json")
CONSTRUCTION = str(ROOT / "examples" / "construction.json")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def ask(engine: Engine, facts: list, question: str):
    result = engine.evaluate(facts, as_of=AS_OF)
    pattern = parse_pattern(question, lambda line, col: Span("q", line, col))
    return why_not(result, engine.ruleset.rules, engine.params, pattern)


def test_each_rule_says_which_condition_failed_with_the_values():
    """OSS-II for the office: both OSS-II rules fail on the classifications, with values."""
    code, output = run(
        "explain", OFFICE, "--why-not", 'Obligation(workplace == "hq", module == "OSS-II")'
    )
    assert code == 0
    lines = output.splitlines()
    assert (
        lines[0]
        == 'Obligation(workplace == "hq", module == "OSS-II") does not hold as of 2026-06-30.'
    )
    block = lines[
        lines.index("rule oss2-high-physical: A high physical hazard needs the medical programme") :
    ]
    span = load_default().rule("oss2-high-physical").span
    assert block[1].startswith("  at ") and block[1].endswith(
        f"ruleset.yaml:{span.line}:{span.col}"
    )
    assert block[2:6] == [
        '  no Classification matched c: Classification(level == "high", category in physical)',
        "    Classification(workplace='hq', hazard='hq-cable', category='electrical', score=4, "
        "level='low'): level is 'low', needs level == \"high\"",
        "    Classification(workplace='hq', hazard='hq-ergo', category='ergonomic', score=6, "
        "level='medium'): level is 'medium', needs level == \"high\"",
        "    Classification(workplace='hq', hazard='hq-stress', category='psychosocial', score=4, "
        "level='low'): level is 'low', needs level == \"high\"",
    ]
    assert (
        "    Classification(workplace='hq', hazard='hq-ergo', category='ergonomic', score=6, "
        "level='medium'): category is 'ergonomic', needs category in chemical_biological "
        "with chemical_biological = ['chemical', 'biological']"
    ) in lines
    assert "rules that never derive it:" in lines
    assert any(
        line.startswith("  oss1-every-workplace (")
        and line.endswith("derives module 'OSS-I', never module == \"OSS-II\"")
        for line in lines
    )


def test_facts_about_other_workplaces_are_set_aside(engine: Engine):
    """The asked workplace is pushed into the rule: another workplace's hazard is no reason."""
    facts = [
        workplace(id="w1"),
        workplace(id="w2"),
        hazard("h1", workplace="w1", category="fall", likelihood=3, severity=4),
        hazard("h2", workplace="w2", category="fall", likelihood=5, severity=5),
    ]
    answer = ask(engine, facts, 'Obligation(workplace == "w1", module == "OSS-II")')
    physical = next(v for v in answer.verdicts if v.rule.id == "oss2-high-physical")
    assert physical.kind == "no-match"
    (attempt,) = physical.attempts
    assert [f.reason for f in attempt.failures] == ["level is 'medium', needs level == \"high\""]
    assert [f.fact.hazard for f in attempt.failures] == ["h1"]
    assert attempt.set_aside == 1
    assert "(1 set aside: about something else)" in answer.render()


def test_asked_values_follow_equality_joins(engine: Engine):
    """Action(hazard == "h2"): the hazard id reaches the Classification through `id == c.hazard`."""
    facts = [
        workplace(),
        hazard("h1", category="fall", likelihood=5, severity=5),
        hazard("h2", category="thermal", likelihood=1, severity=3),
    ]
    answer = ask(engine, facts, 'Action(hazard == "h2")')
    (verdict,) = answer.verdicts
    assert verdict.reason == (
        'no Classification matched c: Classification(level in ["medium", "high"])'
    )
    (attempt,) = verdict.attempts
    assert [(f.fact.hazard, f.reason) for f in attempt.failures] == [
        ("h2", 'level is \'low\', needs level in ["medium", "high"]')
    ]
    assert attempt.set_aside == 1


def test_a_negation_that_blocks_names_the_fact(engine: Engine):
    """unneeded_module does not hold because the Obligation the `not:` looks for exists."""
    facts = [workplace(declared_modules=("OSS-I",)), hazard()]
    answer = ask(engine, facts, 'Finding(code == "unneeded_module")')
    unneeded = [v for v in answer.verdicts if v.rule.id.startswith("unneeded-module")]
    assert [(v.rule.id, v.kind) for v in unneeded] == [
        ("unneeded-module", "blocked"),
        ("unneeded-module-no-hazards", "blocked"),
    ]
    assert unneeded[0].reason == (
        "blocked by not: Obligation(workplace == d.workplace, module == d.module)"
    )
    (attempt,) = unneeded[0].attempts
    assert [k for k, _ in attempt.bindings] == ["d", "t"]
    assert [repr(f.fact) for f in attempt.failures] == [
        "Obligation(workplace='w1', module='OSS-I')"
    ]
    assert (
        "    with d = DeclaredModule(workplace='w1', module='OSS-I')\n"
        "    with t = TopHazard(workplace='w1', hazard='h1', category='ergonomic', score=1, "
        "level='low')\n"
        "      Obligation(workplace='w1', module='OSS-I'): exists, so the `not:` pattern fails"
    ) in answer.render()


def test_a_loop_in_then_shows_what_it_gives(engine: Engine):
    """DeclaredModule(module == "OSS-III") lists the facts the `for` loop gives instead."""
    answer = ask(engine, [workplace()], 'DeclaredModule(module == "OSS-III")')
    (verdict,) = answer.verdicts
    assert verdict.reason.startswith("its then gives no such fact: DeclaredModule(")
    assert verdict.attempts[0].failures[0].reason == (
        "gives DeclaredModule(workplace='w1', module='OSS-I'), asked module == \"OSS-III\""
    )


def test_dates_and_params_are_shown_with_their_values(engine: Engine):
    """A late-registration question shows the computed cut-off date."""
    answer = ask(
        engine,
        [workplace(last_assessment=dt.date(2026, 6, 15))],
        'Finding(code == "registration_overdue")',
    )
    late = next(v for v in answer.verdicts if v.rule.id == "registration-overdue")
    assert late.attempts[0].failures[0].reason == (
        "last_assessment is 2026-06-15, needs last_assessment < as_of - days(registration_days) "
        "with as_of - days(registration_days) = 2026-05-31"
    )


def test_an_ordering_of_incomparable_values_is_a_question_error(engine: Engine):
    """`module < 3` compares text with a number: the question is refused (QuestionError,
    exit 2), as `--conclusion` refuses it (issue 14, item 9), rather than answered."""
    with pytest.raises(QuestionError, match="cannot be compared with 3"):
        ask(engine, [workplace()], "Obligation(module < 3)")


def test_a_conclusion_that_holds_is_listed(engine: Engine):
    """A question whose conclusion exists answers that it holds."""
    answer = ask(engine, [workplace()], 'Obligation(module == "OSS-I")')
    assert answer.render() == (
        "Obligation(module == \"OSS-I\") holds:\n  Obligation(workplace='w1', module='OSS-I')"
    )


def test_a_type_no_rule_derives(engine: Engine):
    """Asking for a type that only comes from input says so."""
    answer = ask(engine, [workplace()], 'Hazard(id == "h9")')
    assert answer.render().splitlines()[1] == "No rule derives Hazard facts."


def test_json_output():
    """--format json (and --json) give the same answer as data, one entry per rule."""
    args = ["explain", OFFICE, "--why-not", 'Obligation(workplace == "hq", module == "OSS-II")']
    code, output = run(*args, "--format", "json")
    data = json.loads(output)
    assert code == 0 and run(*args, "--json")[1] == output
    assert data["holds"] is False
    by_rule = {r["rule"]: r for r in data["rules"]}
    assert by_rule["oss1-every-workplace"]["verdict"] == "cannot-derive"
    physical = by_rule["oss2-high-physical"]
    assert physical["verdict"] == "no-match"
    failure = physical["attempts"][0]["failures"][1]
    assert failure["fact"]["hazard"] == "hq-ergo"
    assert failure["condition"] == 'level == "high"'
    assert failure["reason"] == "level is 'medium', needs level == \"high\""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--why-not", 'Obligation(modul == "OSS-II")'], "did you mean `module`?"),
        (["--why-not", "Obligation(module == h.id)"], "must be a constant"),
        (["--why-not", 'Obligaton(module == "OSS-II")'], "did you mean `Obligation`?"),
        (["--why-not", "Obligation(module == "], "OSS001"),
        ([], "give either --conclusion PATTERN or --why-not PATTERN"),
        (
            ["--why-not", "Obligation()", "--conclusion", "Obligation()"],
            "give either --conclusion PATTERN or --why-not PATTERN",
        ),
    ],
    ids=["unknown-field", "not-constant", "unknown-type", "syntax", "neither", "both"],
)
def test_bad_questions_are_usage_errors(args: list[str], message: str):
    """A question that cannot be asked exits 2 with the reason, without a traceback."""
    code, output = run("explain", OFFICE, *args)
    assert code == 2
    assert message in output


def test_question_error_is_an_oss_rules_error(engine: Engine):
    """The Python API raises QuestionError, an OssRulesError, for a bad question."""
    with pytest.raises(QuestionError):
        ask(engine, [workplace()], "Obligation(1 == module)")


def test_conclusion_still_works():
    """--conclusion is unchanged by the new option."""
    code, output = run("explain", CONSTRUCTION, "--conclusion", 'Obligation(module == "OSS-II")')
    assert code == 0 and "by rule oss2-chemical-biological" in output


def test_a_missing_derived_fact_is_followed_one_step_down():
    """Why no OSS-II: no Classification is high, because no physical hazard's score
    reaches high_from; the answer says so under the rule that needed it."""
    code, output = run(
        "explain", OFFICE, "--why-not", 'Obligation(workplace == "hq", module == "OSS-II")'
    )
    assert code == 0
    lines = output.splitlines()
    start = lines.index(
        "rule oss2-high-physical: A high physical hazard needs the medical programme"
    )
    block = lines[start : lines.index("", start + 1)]
    assert block[6] == (
        '  why: Classification(level == "high", category in ["machinery", "fall", "electrical", '
        '"noise", "vehicle"], workplace == "hq") does not hold as of 2026-06-30.'
    )
    assert (
        "    rule risk-level#high: The 5x5 matrix gives each hazard a risk level from its score"
        in (lines)
    )
    assert (
        "        Hazard hq-cable: score is 4, needs score >= high_from with high_from = 15" in lines
    )
    assert "      risk-level#medium (" in "\n".join(lines)


def test_depth_zero_stops_at_the_rules_of_the_question():
    """--depth 0 gives the old, one-level answer; --depth 1 is the default."""
    question = 'Obligation(workplace == "hq", module == "OSS-II")'
    _, shallow = run("explain", OFFICE, "--why-not", question, "--depth", "0")
    _, default = run("explain", OFFICE, "--why-not", question)
    assert "why:" not in shallow and "why:" in default
    assert default.startswith(shallow.split("\n\nrules that never derive it:")[0].split("\n")[0])


def test_json_carries_the_answer_one_step_down():
    """Each rule's entry has `below`: the nested answer, or null."""
    _, output = run(
        "explain", OFFICE, "--why-not", 'Obligation(module == "OSS-II")', "--format", "json"
    )
    rules = {r["rule"]: r for r in json.loads(output)["rules"]}
    below = rules["oss2-high-physical"]["below"]
    assert below["question"].startswith('Classification(level == "high"')
    assert {r["rule"] for r in below["rules"]} == {
        "risk-level#low",
        "risk-level#medium",
        "risk-level#high",
    }
    assert rules["oss1-every-workplace"]["below"] is None


def test_table_rows_that_fail_alike_share_one_block():
    """The rows of deadline-status fail on the same candidates: listed once, not per row."""
    _, output = run("explain", OFFICE, "--why-not", 'Deadline(kind == "review:hq-ergo")')
    assert "rules deadline-status#undated, #overdue, #due-soon, #ok: " in output
    assert "rule deadline-status#overdue" not in output
    assert output.count("Due(workplace='hq', kind='audit', due=2026-08-01") == 1
