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
