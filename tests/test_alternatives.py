"""Rules with `or`: parsing, loading into alternatives, diagnostics, evaluation on both
backends and the oracle, set semantics, proofs, JSON, coverage and why-not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AS_OF, hazard, workplace, write_ruleset

import oss_rules
from oss_rules import Engine, RulesetError
from oss_rules.authoring import testing
from oss_rules.authoring._why_not import why_not
from oss_rules.engine.result import Result
from oss_rules.language import syntax as s
from oss_rules.language._parser import ParseError, parse_pattern, parse_pattern_options
from oss_rules.language._unparse import unparse
from oss_rules.verify import oracle

BACKENDS = ("durable", "compiled")

HEADER = """\
ruleset: alternatives
version: "1"
sources:
  s: "A source."
rules:
"""

HAZMAT = """\
  - id: hazmat
    title: Chemical or severe
    cite: s
    when:
      - h: Hazard(category == "chemical" or severity >= 4)
    then:
      - 'Finding(workplace: h.workplace, code: "hazmat", subject: h.id)'
"""

ATTENTION = """\
  - id: attention
    cite: s
    when:
      - w: Workplace()
      - or:
          - h: Hazard(workplace == w.id, likelihood >= 4)
          -   - h: Hazard(workplace == w.id, reported_by == null)
              - not: Hazard(workplace == w.id, reported_by == "safety_officer" or score > 20)
    then:
      - 'Finding(workplace: w.id, code: "attention", subject: h.id)'
"""


def locate(line: int, col: int) -> s.Span:
    return s.Span("<test>", line, col)


def load(tmp_path: Path, rules: str, name: str = "rs") -> oss_rules.Ruleset:
    return oss_rules.load(write_ruleset(tmp_path / name, HEADER + rules))


def codes(tmp_path: Path, rules: str) -> list[tuple[str, int, int]]:
    with pytest.raises(RulesetError) as info:
        load(tmp_path, rules)
    return [(d.code, d.line, d.col) for d in info.value.diagnostics]


def evaluate_all(ruleset: oss_rules.Ruleset, facts: list[object]) -> list[Result]:
    """The result on each backend, after checking that they and the oracle agree."""
    results = [Engine(ruleset, backend=b).evaluate(facts, as_of=AS_OF) for b in BACKENDS]
    model = oracle.evaluate(ruleset, facts, as_of=AS_OF)
    for result in results:
        assert model.derived == set(result.conclusions)
        assert model.applications == {
            (i.fact, i.rule, i.premises, i.alternative) for i in result.trace
        }
    assert results[0].to_json() == results[1].to_json()
    return results


# Parsing


def test_or_in_a_pattern_gives_one_plain_pattern_per_choice_in_written_order() -> None:
    """`a or b, c or d` stands for four conjunctions, a-c, a-d, b-c, b-d."""
    options = parse_pattern_options("Hazard(a == 1 or b == 2, c == 3 or d == 4)", locate)
    assert [[unparse(c) for c in p.conditions] for p in options] == [
        ["a == 1", "c == 3"],
        ["a == 1", "d == 4"],
        ["b == 2", "c == 3"],
        ["b == 2", "d == 4"],
    ]
    assert all(p.text == "" for p in options)  # each shows its own conditions


def test_a_pattern_without_or_is_one_option_with_its_text() -> None:
    """Nothing changes for a pattern without `or`."""
    (pattern,) = parse_pattern_options("Hazard(severity >= 4,  likelihood > 1)", locate)
    assert pattern == parse_pattern("Hazard(severity >= 4, likelihood > 1)", locate)
    assert pattern.text == "Hazard(severity >= 4,  likelihood > 1)"


@pytest.mark.parametrize("text", ["Hazard(or)", "Hazard(a == 1 or)", "Hazard(or a == 1)"])
def test_a_dangling_or_does_not_parse(text: str) -> None:
    """`or` needs a condition on each side (OSS001)."""
    with pytest.raises(ParseError) as info:
        parse_pattern_options(text, locate)
    assert info.value.diagnostic.code == "OSS001"


def test_or_outside_a_rules_when_is_refused_where_it_stands() -> None:
    """A question or a table pattern with `or` is OSS001, pointing at the second choice."""
    with pytest.raises(ParseError) as info:
        parse_pattern('Finding(code == "a" or code == "b")', locate)
    diagnostic = info.value.diagnostic
    assert (diagnostic.code, diagnostic.col) == ("OSS001", 24)
    assert "only in the `when` of a rule" in diagnostic.message


# Loading


def test_a_rule_with_or_loads_as_one_rule_per_alternative(tmp_path: Path) -> None:
    """Each alternative is a Rule with the same id, title, cite and then."""
    ruleset = load(tmp_path, HAZMAT + ATTENTION)
    assert [r.label for r in ruleset.rules] == [
        "hazmat (alternative 1 of 2)",
        "hazmat (alternative 2 of 2)",
        "attention (alternative 1 of 2)",
        "attention (alternative 2 of 2)",
    ]
    first, second = ruleset.rules[:2]
    assert (first.id, first.title, first.cite, first.then) == (
        second.id,
        second.title,
        second.cite,
        second.then,
    )
    assert second.alternative == s.Alternative(2, 2)
    # `not: A(a or b)` is two negated patterns of the same alternative.
    negated = ruleset.rules[3].negatives
    assert [unparse(p.conditions[1]) for p in negated] == [
        'reported_by == "safety_officer"',
        "score > 20",
    ]


def test_a_rule_without_or_has_no_alternative(tmp_path: Path) -> None:
    """Rules without `or` load as before."""
    rules = HAZMAT.replace(' or severity >= 4"', '"').replace(" or severity >= 4", "")
    (rule,) = load(tmp_path, rules).rules
    assert rule.alternative is None and rule.label == "hazmat"


def test_or_items_nest_and_combine_with_or_in_patterns(tmp_path: Path) -> None:
    """An `or:` inside an alternative, and `or` in its patterns, multiply out in order."""
    rules = """\
  - id: nested
    cite: s
    when:
      - w: Workplace(setting == "field" or setting == "plant")
      - or:
          - Hazard(workplace == w.id, severity == 5)
          - or:
              - Incident(workplace == w.id)
              - Registration(workplace == w.id)
    then:
      - 'Finding(workplace: w.id, code: "x", subject: w.id)'
"""
    ruleset = load(tmp_path, rules)
    assert len(ruleset.rules) == 6
    shapes = [(unparse(r.when[0].conditions[0]), r.when[1].fact_type) for r in ruleset.rules]
    assert shapes == [
        ('setting == "field"', "Hazard"),
        ('setting == "field"', "Incident"),
        ('setting == "field"', "Registration"),
        ('setting == "plant"', "Hazard"),
        ('setting == "plant"', "Incident"),
        ('setting == "plant"', "Registration"),
    ]


def test_or_is_a_reserved_word(tmp_path: Path) -> None:
    """A param named `or` is OSS020."""
    header = HEADER.replace("rules:\n", "params:\n  or: 1\nrules:\n")
    root = write_ruleset(tmp_path / "r", header + HAZMAT)
    with pytest.raises(RulesetError, match="OSS020"):
        oss_rules.load(root)


# Diagnostics


def test_a_name_not_bound_in_every_alternative_is_oss029_where_it_is_used(
    tmp_path: Path,
) -> None:
    """Using `h` after an `or` whose second alternative does not bind it is OSS029, at
    each use, with a hint; not OSS034."""
    rules = """\
  - id: half
    cite: s
    when:
      - w: Workplace()
      - or:
          - h: Hazard(workplace == w.id)
          - Incident(workplace == w.id)
      - Hazard(workplace == h.workplace)
    then:
      - 'Finding(workplace: w.id, code: "x", subject: h.id)'
"""
    with pytest.raises(RulesetError) as info:
        load(tmp_path, rules)
    found = info.value.diagnostics
    assert [(d.code, d.line, d.col) for d in found] == [("OSS029", 13, 29), ("OSS029", 15, 55)]
    assert found[0].message == "`h` is not bound in alternative 2 of 2 of rule `half`"
    assert "bound in every alternative" in found[0].hint


def test_a_name_bound_in_every_alternative_may_have_different_types(tmp_path: Path) -> None:
    """`x` is a Hazard in one alternative and an Incident in the other: both have a
    workplace, so `then` checks in each."""
    rules = """\
  - id: either
    cite: s
    when:
      - or:
          - x: Hazard(severity == 5)
          - x: Incident()
    then:
      - 'Finding(workplace: x.workplace, code: "x", subject: x.id)'
"""
    assert len(load(tmp_path, rules).rules) == 2


def test_a_mistake_shared_by_alternatives_is_reported_once(tmp_path: Path) -> None:
    """An unknown name before the `or` is found in each alternative, reported once."""
    rules = HAZMAT.replace("h: Hazard(", "h: Hazard(severity >= severe_form, ")
    assert codes(tmp_path, rules) == [("OSS034", 10, 31)]


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("      - w: Workplace()\n      - or:\n          - Hazard()\n", "two or more"),
        ("      - w: Workplace()\n      - or: Hazard()\n", "two or more"),
        ("      - w: Workplace()\n      - or:\n          - Hazard()\n          - []\n", "empty"),
        (
            "      - w: Workplace()\n      - not:\n          or:\n            - Hazard()\n"
            "            - Incident()\n",
            "`not:` takes one pattern",
        ),
    ],
)
def test_malformed_or_items_are_oss015(tmp_path: Path, when: str, message: str) -> None:
    """`or:` needs a list of two or more non-empty alternatives; `not:` no `or:`."""
    rules = (
        "  - id: bad\n    cite: s\n    when:\n"
        + when
        + "    then:\n      - 'Finding(workplace: w.id, code: \"x\", subject: w.id)'\n"
    )
    with pytest.raises(RulesetError) as info:
        load(tmp_path, rules)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.code == "OSS015" and message in diagnostic.message and diagnostic.hint


def test_more_than_16_alternatives_are_oss032(tmp_path: Path) -> None:
    """Five two-way `or`s in one pattern (32) and 3 x 3 x 2 over items (18) do not load."""
    five = ", ".join(f"id == 'a{i}' or id == 'b{i}'" for i in range(5))
    rules = f"""\
  - id: pattern
    cite: s
    when:
      - h: Hazard({five})
    then:
      - 'Finding(workplace: h.workplace, code: "x", subject: h.id)'
  - id: items
    cite: s
    when:
      - w: Workplace(setting == "a" or setting == "b" or setting == "c")
      - h: Hazard(severity == 1 or severity == 2 or severity == 3)
      - Hazard(likelihood == 1 or likelihood == 2)
    then:
      - 'Finding(workplace: w.id, code: "x", subject: h.id)'
"""
    assert [c for c, _, _ in codes(tmp_path, rules)] == ["OSS032", "OSS032"]


def test_or_in_a_tables_when_is_oss001(tmp_path: Path) -> None:
    """A table's rows are its alternatives."""
    header = HEADER.replace("rules:\n", "")
    table = """\
tables:
  - id: t
    cite: s
    when:
      - h: Hazard(severity == 1 or severity == 2)
    inputs: [likelihood]
    then:
      - 'Finding(workplace: h.workplace, code: "x", subject: h.id)'
    rows:
      - [1]
"""
    with pytest.raises(RulesetError) as info:
        oss_rules.load(write_ruleset(tmp_path / "t", header + table))
    first = info.value.diagnostics[0]
    assert first.code == "OSS001" and "only in the `when` of a rule" in first.message


# Evaluation


def test_two_alternatives_that_hold_give_one_fact_and_two_trace_entries(tmp_path: Path) -> None:
    """Set semantics: a chemical severe hazard is hazmat once, by both alternatives."""
    ruleset = load(tmp_path, HAZMAT)
    facts = [
        workplace(),
        hazard("both", category="chemical", severity=5),
        hazard("chem", category="chemical"),
        hazard("severe", severity=4),
        hazard("neither"),
    ]
    for result in evaluate_all(ruleset, facts):
        assert [f.subject for f in result.findings] == ["both", "chem", "severe"]
        trace = [(i.fact.subject, i.alternative) for i in result.trace]
        assert trace == [("both", 1), ("both", 2), ("chem", 1), ("severe", 2)]


def test_alternatives_of_groups_of_patterns_with_negation(tmp_path: Path) -> None:
    """The second alternative holds only while no hazard of the workplace was reported by
    the safety officer or scores above 20 (`not: A(a or b)`)."""
    ruleset = load(tmp_path, ATTENTION)
    likely = hazard("likely", likelihood=4, reported_by="worker")
    unreported = hazard("unreported")
    blocked = [hazard("officer", workplace="w2", reported_by="safety_officer")]
    blocked += [hazard("lone", workplace="w2")]
    blocked += [hazard(name, workplace="w3", severity=5, likelihood=5) for name in ("big", "mute")]
    facts = [workplace(), workplace(id="w2"), workplace(id="w3"), likely, unreported, *blocked]
    for result in evaluate_all(ruleset, facts):
        found = [(i.fact.workplace, i.fact.subject, i.alternative) for i in result.trace]
        assert found == [
            ("w1", "likely", 1),
            ("w1", "unreported", 2),
            ("w3", "big", 1),
            ("w3", "mute", 1),
        ]


def test_the_proof_names_the_alternative_that_held(tmp_path: Path) -> None:
    """`by rule hazmat (alternative 2 of 2)`; a rule without `or` shows no alternative."""
    ruleset = load(tmp_path, HAZMAT)
    for backend in BACKENDS:
        result = Engine(ruleset, backend=backend).evaluate(
            [workplace(), hazard(severity=4)], as_of=AS_OF
        )
        proof = result.explain(result.findings[0])
        assert proof.alternative == "alternative 2 of 2"
        assert "  by rule hazmat (alternative 2 of 2): Chemical or severe" in proof.render()


def test_a_result_with_alternatives_reads_back_from_json(tmp_path: Path) -> None:
    """The trace keeps each entry's alternative and the rules their count, through JSON."""
    ruleset = load(tmp_path, HAZMAT)
    result = Engine(ruleset).evaluate([workplace(), hazard(category="chemical")], as_of=AS_OF)
    data = json.loads(result.to_json())
    assert [t["alternative"] for t in data["trace"]] == [1]
    assert data["rules"]["hazmat"]["alternatives"] == 2
    again = Result.from_json(result.to_json())
    assert again.trace == result.trace
    assert again.explain(again.findings[0]).render() == result.explain(result.findings[0]).render()


def test_coverage_counts_each_alternative(tmp_path: Path) -> None:
    """A case that makes only one alternative fire leaves the other uncovered."""
    root = write_ruleset(tmp_path / "cov", HEADER + HAZMAT)
    (root / "tests").mkdir()
    (root / "tests" / "cases.yaml").write_text(
        """\
cases:
  - name: chemical
    as_of: 2026-06-30
    given:
      - {type: Workplace, id: w1, sector: retail, setting: office, headcount: 3}
      - {type: Hazard, id: h1, workplace: w1, category: chemical, likelihood: 1, severity: 1}
    expect:
      - {type: Finding, code: hazmat, subject: h1}
""",
        "utf-8",
    )
    suite = testing.load_suite(root)
    outcomes = [testing.run_case(suite, case) for case in suite.cases]
    assert all(o.passed for o in outcomes)
    report = testing.coverage([suite], outcomes)
    assert [(r.rule, r.fired) for r in report.rules] == [
        ("hazmat (alternative 1 of 2)", True),
        ("hazmat (alternative 2 of 2)", False),
    ]
    assert report.percent == 50.0


def test_why_not_explains_each_alternative(tmp_path: Path) -> None:
    """Each alternative is tried on its own and named in the answer."""
    ruleset = load(tmp_path, HAZMAT)
    engine = Engine(ruleset)
    result = engine.evaluate([workplace(), hazard()], as_of=AS_OF)
    question = parse_pattern('Finding(code == "hazmat")', locate)
    answer = why_not(result, ruleset.rules, engine.params, question)
    text = answer.render()
    assert "rule hazmat (alternative 1 of 2): Chemical or severe" in text
    assert "rule hazmat (alternative 2 of 2): Chemical or severe" in text
    assert 'category == "chemical"' in text and "severity >= 4" in text
    data = answer.to_data(result.registry)
    assert [(r["rule"], r["alternative"]) for r in data["rules"]] == [("hazmat", 1), ("hazmat", 2)]
