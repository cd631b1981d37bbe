"""Aggregates computed in Python over the finished lower strata, for both backends.

An aggregate's type belongs to a lower stratum (stratification treats it like a negated
type), so its facts are complete when the rule runs: its candidates are looked up in the
same indexes as the negations' (:class:`~oss_rules.engine._negation.NegationIndex`), and
every condition is tested on each. The value is folded by
:func:`oss_rules.language._aggregate.fold`, so the engine, the compiled backend (which
runs rules with aggregates through the durable backend's checks) and the oracle compute
it one way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ..language import syntax as s
from ..language._aggregate import NO_VALUE, describe, fold, zero
from ..language._evaluate import SELF, Check, Evaluator, compare, condition_check, expression
from ..model.convert import sort_key
from ..model.registry import FactRegistry, FactType
from ._derive import condition_parts
from ._negation import Lookup, NegationIndex, plan

AGGREGATED = "\u0000aggregated"
"""The scope key under which a firing's aggregates leave what they used: a list of
(description, facts) in ``when`` order."""


@attrs.frozen
class CompiledAggregate:
    """One aggregate of a rule, ready to fold over the facts of its (complete) type."""

    aggregate: s.Aggregate
    fact_type: FactType
    lookup: Lookup
    checks: tuple[Check, ...]
    test: Evaluator | None
    parts: tuple[tuple[str, Evaluator], ...]
    empty: Any
    key: Callable[[Any], Any]

    def holds(self, scope: dict[str, Any], store: NegationIndex) -> bool:
        """Fold the aggregate in ``scope`` (a firing's, with the fact under test at
        ``SELF``); put its value under its binding and what it used under
        :data:`AGGREGATED`; whether it has a value that passes its test."""
        found = []
        for candidate in store.candidates(self.fact_type.name, self.lookup, scope):
            scope[SELF] = candidate
            if all(check(scope) for check in self.checks):
                found.append(candidate)
        value, used = fold(self.aggregate, found, self.key, self.empty)
        if value is NO_VALUE:
            return False
        if self.aggregate.binding is not None:
            scope[self.aggregate.binding] = value
        shown = [(head, part(scope)) for head, part in self.parts]
        scope.setdefault(AGGREGATED, []).append((describe(self.aggregate, shown, value), used))
        if self.test is None or self.aggregate.op is None:
            return True
        return compare(self.aggregate.op, value, self.test(scope))


def compile_aggregate(
    aggregate: s.Aggregate,
    registry: FactRegistry,
    aliases: Iterable[str],
    in_scope: set[str],
) -> CompiledAggregate:
    """``aggregate`` compiled for a rule whose positive patterns have ``aliases``;
    ``in_scope`` are the names a firing's scope holds besides ``as_of``."""
    fact_type = registry[aggregate.fact_type]
    pattern = aggregate.pattern
    bound = set(aliases)
    own = frozenset(fact_type.field_names) - bound
    info = fact_type.field(aggregate.field) if aggregate.field else None
    return CompiledAggregate(
        aggregate,
        fact_type,
        plan(pattern, fact_type, bound),
        tuple(condition_check(c, own) for c in pattern.conditions),
        expression(aggregate.value) if aggregate.value is not None else None,
        tuple((head, expression(value)) for head, value in condition_parts(pattern, in_scope)),
        zero(info.kind if info is not None else None),
        lambda fact: sort_key(fact, registry),
    )


def aggregated(scope: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """The descriptions of a firing's aggregates and the facts they used, in order."""
    found: list[tuple[str, tuple[Any, ...]]] = scope.get(AGGREGATED, [])
    return tuple(d for d, _ in found), tuple(f for _, facts in found for f in facts)
