"""One way to do each thing: the strata, the operator flip, the value renderer, the
literal writer and the checks of ids and references each live in one place."""

from __future__ import annotations

import datetime as dt

import pytest

import oss_rules
from oss_rules.language import stratify
from oss_rules.language.syntax import FLIP


@pytest.mark.parametrize("name", ["oss", "id-k3", "id-bpjstk"])
def test_strata_are_stored_on_the_loaded_ruleset_in_rule_order(name: str) -> None:
    """Loading computes the strata once; they group every rule, in the order of ``rules``."""
    ruleset = oss_rules.load_default(name)
    strata, cycles = stratify.stratify(ruleset.rules)
    assert not cycles
    assert [list(s) for s in ruleset.strata] == strata
    assert sorted(r.id for s in ruleset.strata for r in s) == sorted(r.id for r in ruleset.rules)


def test_compiling_and_the_oracle_do_not_stratify_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine and the oracle read ``Ruleset.strata``; neither calls ``stratify``."""
    ruleset = oss_rules.load_default()

    def refuse(*_: object) -> None:
        raise AssertionError("stratify called after load")

    monkeypatch.setattr(stratify, "stratify", refuse)
    from oss_rules.verify.oracle import evaluate as oracle

    site = oss_rules.Workplace(id="w1", sector="retail", setting="office", headcount=3)
    as_of = dt.date(2026, 6, 30)
    result = oss_rules.Engine(ruleset).evaluate([site], as_of=as_of)
    assert {o.module for o in result.obligations} == {"OSS-I"}
    assert oracle(ruleset, [site], as_of=as_of).derived


def test_one_flip_table_serves_compile_conditions_and_negation() -> None:
    """The engine's modules share the language's flip table rather than keeping copies."""
    from oss_rules.engine import _conditions, _derive, _negation

    assert _derive.FLIP is _conditions.FLIP is _negation.FLIP is FLIP
    assert all(FLIP[FLIP[op]] == op for op in FLIP)


@pytest.mark.parametrize(
    ("name", "old_home"),
    [
        ("ParamError", "oss_rules.engine._engine"),
        ("PayrollError", "oss_rules.domains.bpjstk.payroll"),
        ("QuestionError", "oss_rules.authoring._why_not"),
        ("PropertyError", "oss_rules.verify.properties"),
    ],
)
def test_every_public_exception_lives_in_errors(name: str, old_home: str) -> None:
    """Each exception is defined in errors.py under OssRulesError; its old home re-exports it."""
    import importlib

    from oss_rules import errors

    cls = getattr(errors, name)
    assert cls.__module__ == "oss_rules.errors"
    assert issubclass(cls, errors.OssRulesError)
    assert name in errors.__all__
    assert getattr(importlib.import_module(old_home), name) is cls


def test_a_property_failure_is_still_an_assertion_error() -> None:
    """pytest and hypothesis treat PropertyError as a failed assertion."""
    from oss_rules.errors import PropertyError

    assert issubclass(PropertyError, AssertionError)
    assert PropertyError("x", {"name": "c"}).case == {"name": "c"}


def test_one_payment_class_serves_registration_and_payroll() -> None:
    """The submission's schedule and the payroll's payments are the same Payment type."""
    from oss_rules.domains.bpjstk import payroll
    from oss_rules.domains.oss import registration

    assert registration.Payment is payroll.Payment
    scheduled = registration.payment_schedule(dt.date(2026, 11, 20), 1)[0]
    assert scheduled == payroll.Payment(dt.date(2026, 11, 1), dt.date(2026, 12, 15))
    assert scheduled.to_data() == {
        "employer": None,
        "month": "2026-11",
        "due": "2026-12-15",
        "paid_on": None,
        "months_late": 0,
        "findings": [],
    }


def test_ids_and_references_are_checked_once_per_evaluation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Facts read with read_inventory were checked there; evaluating them (with several
    engines, as the CLI does) does not check them again. Facts built in Python are
    checked by the engine, once."""
    from oss_rules.engine import _engine
    from oss_rules.model import convert

    calls: list[int] = []
    real = convert.check_inventory

    def counting(facts: object, registry: object) -> None:
        calls.append(1)
        real(facts, registry)  # type: ignore[arg-type]

    monkeypatch.setattr(_engine, "check_inventory", counting)
    document = {
        "as_of": "2026-06-30",
        "facts": [
            {
                "type": "Workplace",
                "id": "w1",
                "sector": "retail",
                "setting": "office",
                "headcount": 3,
            }
        ],
    }
    inventory = oss_rules.read_inventory(document)
    assert isinstance(inventory.facts, convert.CheckedFacts)
    engines = [oss_rules.Engine(oss_rules.load_default()) for _ in range(2)]
    for engine in engines:
        engine.evaluate(inventory.facts, as_of=inventory.as_of)
    assert calls == []
    engines[0].evaluate(list(inventory.facts), as_of=inventory.as_of)
    assert calls == [1]


def test_facts_changed_after_reading_are_checked_again() -> None:
    """Adding a fact to checked facts gives a plain tuple, whose references are checked."""
    document = {"as_of": "2026-06-30", "facts": []}
    inventory = oss_rules.read_inventory(document)
    dangling = oss_rules.Hazard(id="h1", workplace="w9", category="fall", likelihood=1, severity=1)
    facts = (*inventory.facts, dangling)
    with pytest.raises(oss_rules.FactsError, match="w9"):
        oss_rules.Engine(oss_rules.load_default()).evaluate(facts, as_of=inventory.as_of)


RENDERED = [
    # kind, value, quoted, plain
    ("Text", "medium", "'medium'", "medium"),
    ("Integer", 1250000, "1250000", "1,250,000"),
    ("Number", __import__("decimal").Decimal("0.240"), "0.24", "0.24"),
    ("Boolean", True, "True", "yes"),
    ("Day", dt.date(2026, 6, 30), "2026-06-30", "2026-06-30"),
    ("Moment", dt.datetime(2026, 3, 2, 8, 0), "2026-03-02T08:00:00", "2026-03-02 08:00"),
    ("Month", dt.date(2026, 3, 1), "2026-03", "2026-03"),
]


@pytest.mark.parametrize(("kind", "value", "quoted", "plain"), RENDERED)
def test_each_kind_shows_its_values_in_both_styles(
    kind: str, value: object, quoted: str, plain: str
) -> None:
    """Kind.show is the one renderer: quoted for proofs and messages, plain for tables."""
    from oss_rules.model import _kinds

    shown = getattr(_kinds, kind)()
    assert shown.show(value) == quoted
    assert shown.show(value, quoted=False) == plain


def test_optional_and_list_kinds_show_through_their_inner_kind() -> None:
    """A list of months shows each as a month; null is null (quoted) or nothing (plain)."""
    from oss_rules.model._kinds import Many, Month, Optional, Text

    months = Many(Month())
    assert months.show((dt.date(2026, 3, 1), dt.date(2026, 4, 1))) == "[2026-03, 2026-04]"
    assert months.show((dt.date(2026, 3, 1),), quoted=False) == "2026-03"
    assert Optional(Text()).show(None) == "null"
    assert Optional(Text()).show(None, quoted=False) == ""


def test_proofs_why_not_and_tests_show_a_fact_the_same_way() -> None:
    """result.show_fact and the why-not/test-report show_fact are one function."""
    from oss_rules.engine import result
    from oss_rules.language import _unparse
    from oss_rules.model import _fields

    assert _unparse.show_fact is _fields.show_fact
    from oss_rules.domains.bpjstk.facts import LatePayment

    late = LatePayment(
        employer="e1", month=dt.date(2026, 3, 1), due=dt.date(2026, 4, 15), months_late=1
    )
    text = "LatePayment(employer='e1', month=2026-03, due=2026-04-15, months_late=1)"
    assert result.show_fact(late) == _unparse.show_fact(late) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (True, "true"),
        ("fall", '"fall"'),
        (__import__("decimal").Decimal("0.2400"), "0.24"),
        (__import__("decimal").Decimal("1E-7"), "0.0000001"),
        (12, "12"),
        (dt.date(2026, 1, 1), 'date("2026-01-01")'),
        (("a", 1), '["a", 1]'),
    ],
)
def test_the_literal_writer_writes_what_the_rule_language_reads(value: object, text: str) -> None:
    """One literal writer, used by why-not, table analysis and the engine's absences;
    its text parses back to the same value."""
    from oss_rules.language._evaluate import evaluate
    from oss_rules.language._parser import parse_pattern
    from oss_rules.language._unparse import literal
    from oss_rules.language.syntax import Span

    assert literal(value) == text
    pattern = parse_pattern(f"Hazard(id == {text})", lambda line, col: Span("<t>", line, col))
    back = evaluate(pattern.conditions[0].right, {})
    assert back == value


def test_the_language_does_not_import_the_engine_to_show_values() -> None:
    """language/_unparse shows values through the model's kinds, not engine.result."""
    import ast
    import inspect

    from oss_rules.language import _unparse

    tree = ast.parse(inspect.getsource(_unparse))
    modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [m for m in modules if "engine" in m]


def test_report_tables_show_each_field_by_its_kind() -> None:
    """The HTML report's cells come from Kind.show in plain style: moments as the terminal
    shows them, empty optionals as nothing, numeric columns right-aligned by kind."""
    from oss_rules.domains.oss.facts import Incident, Workplace
    from oss_rules.model.domain import registry_for
    from oss_rules.report._html import fact_cells, fact_table

    registry = registry_for(("oss",))
    incident = Incident(
        id="i1", workplace="w1", kind="injury", occurred_at=dt.datetime(2026, 3, 2, 8, 0)
    )
    cells = fact_cells(incident, registry)
    assert cells["occurred_at"] == "2026-03-02 08:00"
    assert cells["medical_care_at"] == ""
    site = Workplace(id="w1", sector="retail", setting="office", headcount=1200)
    table = fact_table([site], registry)
    assert '<td class="num" data-label="headcount">1,200</td>' in table


def test_expression_errors_show_values_as_proofs_do() -> None:
    """An expression error names its values as people read them, not as Python reprs."""
    from oss_rules.language._evaluate import ExpressionError, evaluate
    from oss_rules.language._parser import parse_pattern
    from oss_rules.language.syntax import Span

    pattern = parse_pattern(
        'Hazard(id == day(date("2026-01-01")))', lambda line, col: Span("<t>", line, col)
    )
    with pytest.raises(ExpressionError, match=r"takes a moment \(date and time\), got 2026-01-01$"):
        evaluate(pattern.conditions[0].right, {})
