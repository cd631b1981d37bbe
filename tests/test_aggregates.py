"""Aggregates (count, sum, min, max in a rule's `when`): parsed, checked, stratified, evaluated
alike on both backends and by the oracle, and named in proofs and in why-not answers."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from test_oracle import assert_agree

import oss_rules
from oss_rules import Engine, RulesetError
from oss_rules.authoring._why_not import why_not
from oss_rules.authoring.check import check
from oss_rules.domains.oss.facts import Incident
from oss_rules.language._aggregate import fold, zero
from oss_rules.language._parser import ParseError, parse_aggregate, parse_pattern
from oss_rules.language.syntax import Aggregate, Span
from oss_rules.model._fields import Number, field

AS_OF = dt.date(2026, 6, 30)
BACKENDS = ("durable", "compiled")

HEADER = """\
ruleset: agg
version: "1"
sources:
  s: "A source."
params:
  severe_from: 4
  at_least: 2
rules:
"""


def ruleset(tmp_path: Path, rules: str, registry: oss_rules.FactRegistry | None = None):
    """Load a one-file ruleset made of HEADER and ``rules``."""
    path = tmp_path / "ruleset.yaml"
    path.write_text(HEADER + rules, "utf-8")
    return oss_rules.load(path, registry=registry)


def problems(tmp_path: Path, rules: str) -> list[tuple[str, int, int]]:
    """The codes and places of the load errors of a ruleset made of ``rules``."""
    with pytest.raises(RulesetError) as caught:
        ruleset(tmp_path, rules)
    return [(d.code, d.line, d.col) for d in caught.value.diagnostics]


def workplace(wid: str) -> oss_rules.Workplace:
    return oss_rules.Workplace(id=wid, sector="construction", setting="field", headcount=10)


def hazard(hid: str, wid: str, severity: int, likelihood: int = 2) -> oss_rules.Hazard:
    return oss_rules.Hazard(
        id=hid, workplace=wid, category="fall", likelihood=likelihood, severity=severity
    )


FACTS = [
    workplace("w1"),
    workplace("w2"),
    workplace("w3"),
    hazard("h1", "w1", 5, 4),
    hazard("h2", "w1", 4),
    hazard("h3", "w1", 1),
    hazard("h4", "w2", 4, 3),
    hazard("h5", "w2", 2),
]


def findings(rs: oss_rules.Ruleset, facts=FACTS, backend: str = "durable"):
    result = Engine(rs, backend=backend).evaluate(facts, as_of=AS_OF)
    return {(f.code, f.subject, f.message) for f in result.findings}


# Parsing -------------------------------------------------------------------------------


def _at(line: int, col: int) -> Span:
    return Span("f", line, col)


def test_parse_count_with_a_test():
    """`count(Type(...)) op expr` parses to an Aggregate with the pattern and the test."""
    node = parse_aggregate('count(Hazard(workplace == w.id, category == "fall")) >= 3', _at)
    assert isinstance(node, Aggregate)
    assert (node.function, node.fact_type, node.field, node.op) == ("count", "Hazard", None, ">=")
    assert len(node.pattern.conditions) == 2
    assert node.value is not None and node.value.value == 3  # type: ignore[union-attr]


def test_parse_sum_of_a_field():
    """`sum(Type(...).field)` names the field to add up; no test is fine."""
    node = parse_aggregate("sum(Contribution(worker == w.id).amount)", _at)
    assert (node.function, node.fact_type, node.field, node.op, node.value) == (
        "sum",
        "Contribution",
        "amount",
        None,
        None,
    )


def test_an_unclosed_aggregate_is_a_located_parse_error():
    """A missing parenthesis is OSS001 at the place the parser stopped."""
    with pytest.raises(ParseError) as caught:
        parse_aggregate("sum(Hazard(severity > 1).score", _at)
    assert caught.value.diagnostic.code == "OSS001"
    assert "cannot parse aggregate" in caught.value.diagnostic.message


def test_a_rule_reads_named_and_unnamed_aggregates(tmp_path: Path):
    """A `when` item `name: count(...)` binds the value; an unnamed one is only a test."""
    rs = ruleset(
        tmp_path,
        """\
  - id: r
    cite: s
    when:
      - w: Workplace()
      - n: count(Hazard(workplace == w.id))
      - count(Hazard(workplace == w.id, severity >= severe_from)) >= at_least
    then:
      - 'Finding(workplace: w.id, code: "n", subject: str(n))'
""",
    )
    first, second = rs.rules[0].aggregates
    assert (first.binding, first.op, second.binding, second.op) == ("n", None, None, ">=")
    assert [p.fact_type for p in rs.rules[0].positives] == ["Workplace"]
    assert [p.fact_type for p in rs.rules[0].patterns] == ["Workplace", "Hazard", "Hazard"]


# Load-time and check diagnostics ---------------------------------------------------------


def _rule(*when: str, then: str = 'Finding(workplace: w.id, code: "x", subject: w.id)') -> str:
    items = "\n".join(f"      - {item}" for item in when)
    return f"  - id: r\n    cite: s\n    when:\n{items}\n    then:\n      - '{then}'\n"


@pytest.mark.parametrize(
    ("item", "code", "col"),
    [
        ("n: count(Hazard(workplace == w.id).score)", "OSS055", 12),
        ("n: sum(Hazard(workplace == w.id))", "OSS055", 12),
        ("n: sum(Hazard(workplace == w.id).category)", "OSS055", 12),
        ("n: min(Workplace(id == w.id).declared_modules)", "OSS055", 12),
        ("n: max(Hazard(workplace == w.id).scor)", "OSS035", 12),
        ("n: count(Hazard(workplace == w.idd))", "OSS035", 38),
        ("n: count(Hazard(workplace == v.id))", "OSS034", 38),
        ("not: count(Hazard(workplace == w.id))", "OSS015", 14),
        ("score: max(Hazard(workplace == w.id).score)", "OSS025", 16),
    ],
)
def test_each_mistake_in_an_aggregate_is_one_located_diagnostic(
    tmp_path: Path, item: str, code: str, col: int
):
    """A wrong field, function, name or form is reported once, at its line and column."""
    rules = _rule("w: Workplace()", item, "k: Hazard(workplace == w.id)")
    assert problems(tmp_path, rules) == [(code, 13, col)]


def test_an_aggregate_value_is_not_a_fact(tmp_path: Path):
    """`n.field` on an aggregate's name is one OSS102: an int has no fields."""
    rules = _rule(
        "w: Workplace()",
        "n: count(Hazard(workplace == w.id))",
        then='Finding(workplace: w.id, code: "x", subject: n.id)',
    )
    with pytest.raises(RulesetError) as caught:
        ruleset(tmp_path, rules)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "OSS102"
    assert "n is an int, which has no fields" in diagnostic.message and diagnostic.hint


def test_an_aggregate_is_not_allowed_in_a_table(tmp_path: Path):
    """A table's `when` cannot hold an aggregate: OSS015, with a hint."""
    rules = """\
tables:
  - id: t
    cite: s
    when:
      - w: Workplace()
      - n: count(Hazard(workplace == w.id))
    inputs: [setting]
    outputs: [code]
    then:
      - 'Finding(workplace: w.id, code: code, subject: w.id)'
    rows:
      - [-, x]
"""
    path = tmp_path / "ruleset.yaml"
    path.write_text(HEADER.replace("rules:\n", "") + rules, "utf-8")
    with pytest.raises(RulesetError) as caught:
        oss_rules.load(path)
    assert [(d.code, d.line) for d in caught.value.diagnostics] == [("OSS015", 13)]


def test_a_cycle_through_an_aggregate_does_not_load(tmp_path: Path):
    """Counting facts that the rule derives itself (through another rule) is OSS051, at
    the rule that counts, naming the types of the cycle."""
    rules = _rule(
        "w: Workplace()",
        "n: count(Finding(workplace == w.id))",
        then='Obligation(workplace: w.id, module: "OSS-I")',
    ) + _rule(
        "o: Obligation()",
        then='Finding(workplace: o.workplace, code: "x", subject: o.module)',
    ).replace("id: r", "id: r2")
    with pytest.raises(RulesetError) as caught:
        ruleset(tmp_path, rules)
    assert [(d.code, d.line) for d in caught.value.diagnostics] == [("OSS051", 9)]
    message = caught.value.diagnostics[0].message
    assert "cycle through an aggregate (r) over Finding, Obligation" in message


def test_check_reports_a_test_of_the_wrong_type(tmp_path: Path):
    """`oss-rules check` finds a count compared with text (OSS101), once."""
    rules = _rule("w: Workplace()", 'count(Hazard(workplace == w.id)) > "3"')
    path = tmp_path / "ruleset.yaml"
    path.write_text(HEADER + rules, "utf-8")
    found = [p for p in check(path) if p.severity == "error"]
    assert [(p.code, p.line) for p in found] == [("OSS101", 13)]
    assert "compares an int with text" in found[0].message


def test_an_aggregate_runs_above_the_rules_deriving_its_type(tmp_path: Path):
    """Stratified like a negation: the counting rule runs after the derivation finished."""
    rs = ruleset(
        tmp_path,
        _rule(
            "w: Workplace()",
            "n: count(Obligation(workplace == w.id))",
            then='Finding(workplace: w.id, code: "obligations", subject: str(n))',
        )
        + _rule("w: Workplace()", then='Obligation(workplace: w.id, module: "OSS-I")').replace(
            "id: r", "id: oblige"
        ),
    )
    assert [[r.id for r in stratum] for stratum in rs.strata] == [["oblige"], ["r"]]
    for backend in BACKENDS:
        assert ("obligations", "1", "") in findings(rs, backend=backend)


# Evaluation -------------------------------------------------------------------------------

RULES = """\
  - id: many-severe
    cite: s
    when:
      - w: Workplace()
      - n: count(Hazard(workplace == w.id, severity >= severe_from)) >= at_least
    then:
      - 'Finding(workplace: w.id, code: "many_severe", subject: w.id, message: str(n))'
  - id: totals
    cite: s
    when:
      - w: Workplace()
      - total: sum(Hazard(workplace == w.id).severity)
      - worst: max(Hazard(workplace == w.id).score)
      - least: min(Hazard(workplace == w.id).likelihood)
      - h: Hazard(workplace == w.id, score == worst)
    then:
      - 'Finding(workplace: w.id, code: "totals", subject: h.id,
        message: str(total) + "/" + str(worst) + "/" + str(least))'
  - id: empty
    cite: s
    when:
      - w: Workplace()
      - n: count(Hazard(workplace == w.id))
      - s: sum(Hazard(workplace == w.id).severity)
      - count(Hazard(workplace == w.id)) == 0
    then:
      - 'Finding(workplace: w.id, code: "empty", subject: w.id, message: str(n) + "," + str(s))'
"""

EXPECTED = {
    ("many_severe", "w1", "2"),
    ("totals", "h1", "10/20/2"),
    ("totals", "h4", "6/12/2"),
    ("empty", "w3", "0,0"),
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_count_sum_min_max_on_each_backend(tmp_path: Path, backend: str):
    """Each function gives its value per workplace; a test, a later pattern and `then` use it;
    an empty group counts 0 and sums to 0, and a max of nothing keeps the rule from holding."""
    assert findings(ruleset(tmp_path, RULES), backend=backend) == EXPECTED


def test_the_backends_and_the_oracle_agree(tmp_path: Path):
    """Same facts, same applications (premises included) and same JSON on every backend."""
    rs = ruleset(tmp_path, RULES)
    assert_agree(rs, FACTS, AS_OF)
    assert_agree(rs, FACTS, AS_OF, {"at_least": 1, "severe_from": 2})


def test_the_result_does_not_depend_on_the_order_of_the_facts(tmp_path: Path):
    """Counted facts are listed in canonical order: the JSON is the same for any order."""
    rs = ruleset(tmp_path, RULES)
    texts = {
        Engine(rs, backend=backend).evaluate(list(order), as_of=AS_OF).to_json()
        for backend in BACKENDS
        for order in itertools.islice(itertools.permutations(FACTS), 0, 40, 7)
    }
    assert len(texts) == 1


@attrs.frozen
class Payment:
    """A test type: money as exact decimals."""

    id: str
    workplace: str
    amount: Decimal = field(Number())


def test_sum_of_money_stays_exact(tmp_path: Path):
    """0.1 + 0.2 + 0.3 is exactly 0.6, a Decimal, on both backends and in the oracle; a
    sum of no payments is a Decimal 0."""
    registry = oss_rules.domains.registry("oss")
    registry.register(Payment)
    rules = _rule(
        "w: Workplace()",
        "total: sum(Payment(workplace == w.id).amount)",
        then='Finding(workplace: w.id, code: "x", subject: w.id, message: str(total))',
    )
    rs = ruleset(tmp_path, rules, registry=registry)
    payments = [Payment(f"p{i}", "w1", Decimal(v)) for i, v in enumerate(("0.1", "0.2", "0.3"))]
    facts = [workplace("w1"), workplace("w2"), *payments]
    for backend in BACKENDS:
        assert findings(rs, facts, backend) == {("x", "w1", "0.6"), ("x", "w2", "0")}
    assert_agree(rs, facts, AS_OF)
    (aggregate,) = rs.rules[0].aggregates
    total, used = fold(aggregate, payments, lambda p: p.id, zero(Number()))
    assert total == Decimal("0.6") and isinstance(total, Decimal) and used == tuple(payments)
    empty, _ = fold(aggregate, [], lambda p: p.id, zero(Number()))
    assert isinstance(empty, Decimal) and empty == 0


# Proofs and why-not -----------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_proof_names_the_aggregate_and_the_facts_it_counted(tmp_path: Path, backend: str):
    """The trace lists the counted facts after the matched ones, and the proof says why."""
    rs = ruleset(tmp_path, RULES)
    result = Engine(rs, backend=backend).evaluate(FACTS, as_of=AS_OF)
    (finding,) = [f for f in result.findings if f.code == "many_severe"]
    proof = result.explain(finding)
    assert proof.absent == ('count(Hazard(workplace == "w1", severity >= 4)) = 2',)
    assert [getattr(p.fact, "id", None) for p in proof.premises] == ["w1", "h1", "h2"]
    text = proof.render()
    assert 'because count(Hazard(workplace == "w1", severity >= 4)) = 2' in text
    (finding,) = [f for f in result.findings if f.subject == "h1"]
    ids = [getattr(p.fact, "id", None) for p in result.explain(finding).premises]
    assert ids == ["w1", "h1", "h2", "h3"]  # the hazard matched, then the others summed


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_proof_writes_the_moments_an_aggregate_compared_with(tmp_path: Path, backend: str):
    """An aggregate over a window of moments names its bounds as `moment("...")`, text the
    language reads back, not as `date("...")` of a moment."""
    rs = ruleset(
        tmp_path,
        """\
  - id: cluster
    cite: s
    when:
      - i: Incident()
      - count(Incident(occurred_at >= i.occurred_at, occurred_at < i.occurred_at + days(30))) > 1
    then:
      - 'Finding(workplace: i.workplace, code: "cluster", subject: i.id)'
""",
    )
    incidents = [
        Incident(id=iid, workplace="w1", kind="injury", occurred_at=at)
        for iid, at in (
            ("i1", dt.datetime(2026, 3, 1, 8, 0)),
            ("i2", dt.datetime(2026, 3, 9, 8, 30)),
        )
    ]
    result = Engine(rs, backend=backend).evaluate([workplace("w1"), *incidents], as_of=AS_OF)
    (finding,) = result.findings
    assert result.explain(finding).absent == (
        'count(Incident(occurred_at >= moment("2026-03-01T08:00:00"), '
        'occurred_at < moment("2026-03-31T08:00:00"))) = 2',
    )


def test_why_not_names_the_aggregate_that_blocked_the_rule(tmp_path: Path):
    """A rule kept from holding by its test is "blocked by" the aggregate, with its value."""
    rs = ruleset(tmp_path, RULES)
    result = Engine(rs).evaluate(FACTS, as_of=AS_OF)
    question = parse_pattern('Finding(code == "many_severe", subject == "w2")', _at)
    answer = why_not(result, rs.rules, rs.params, question).render()
    assert (
        "blocked by count(Hazard(workplace == w.id, severity >= severe_from)) >= at_least" in answer
    )
    assert "count() is 1, needs >= 2" in answer
