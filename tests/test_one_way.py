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
    from oss_rules.engine import _compile, _conditions, _negation

    assert _compile.FLIP is _conditions.FLIP is _negation.FLIP is FLIP
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
