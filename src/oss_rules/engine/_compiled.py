"""The compiled backend: a checked ruleset as generated Python, run to a fixpoint per stratum.

``Engine(ruleset, backend="compiled")`` evaluates the same syntax tree as the durable
backend, with the same semantics, without durable-rules:

* the strata are those of :func:`oss_rules.language.stratify.stratify`; within a
  stratum, rules are ordered by what they derive and match (their strongly connected
  components, in topological order), so a rule runs once, over complete inputs,
  unless it is part of a recursion;
* a recursive component runs as a semi-naive fixpoint: each round matches only the
  combinations that contain a fact found in the round before;
* each rule is generated Python (``_plans``): hash-indexed joins on ``==`` fields,
  negations looked up in indexes over the finished lower strata;
* set semantics, the trace and the errors are the durable backend's (``_store``,
  ``_exact``), so ``Result.to_json()`` is byte-identical between the backends.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..language import syntax as s
from ..language.stratify import _sccs, derived_types
from ._exact import ExactRule, Ranges
from ._plans import Match, RulePlan, compile_rule
from ._store import Store
from .result import Inference


@attrs.frozen
class _Component:
    """Rules of one stratum that depend on each other's conclusions (or one rule)."""

    plans: tuple[RulePlan, ...]
    recursive: bool


class CompiledProgram:
    """A ruleset compiled to Python functions; evaluated by :meth:`run`.

    Holds no per-evaluation state, so evaluations may run in parallel threads.
    """

    def __init__(self, ruleset: s.Ruleset, params: Mapping[str, Any], max_facts: int) -> None:
        self._registry = ruleset.registry
        self._params = params
        self._max_facts = max_facts

        def plan(rule: s.Rule, recursive: bool) -> RulePlan:
            return compile_rule(rule, ruleset.registry, params, recursive=recursive)

        self._strata = [_components(stratum, plan) for stratum in ruleset.strata]
        self._exact: dict[str, ExactRule] = {}
        """By :attr:`~oss_rules.language.syntax.Rule.label`: unique, alternatives included."""
        self._lock = threading.Lock()

    def run(self, given: Iterable[Any], as_of: dt.date) -> tuple[list[Any], list[Inference]]:
        """Every fact derived from ``given`` (checked input) as of ``as_of``, and the trace."""
        store = Store(given, self._params, as_of, self._max_facts)
        for stratum in self._strata:
            for component in stratum:
                if component.recursive:
                    self._fixpoint(component, store)
                else:
                    self._apply(component.plans[0], store, None)
        return store.derived, store.trace

    def _fixpoint(self, component: _Component, store: Store) -> None:
        """Semi-naive rounds until a round finds nothing new."""
        types = {t for plan in component.plans for t in plan.types}
        high = store.sizes(types)
        for plan in component.plans:
            self._apply(plan, store, [(0, high[t]) for t in plan.types])
        while True:
            low, high = high, store.sizes(types)
            if low == high:
                return
            for plan in component.plans:
                for k, delta in enumerate(plan.types):
                    if low[delta] == high[delta]:
                        continue
                    # Position k takes the new facts, earlier ones the old, later ones
                    # all: each new combination is matched in exactly one (plan, k).
                    ranges = [
                        (0, low[t]) if j < k else (low[t], high[t]) if j == k else (0, high[t])
                        for j, t in enumerate(plan.types)
                    ]
                    self._apply(plan, store, ranges)

    def _apply(self, plan: RulePlan, store: Store, ranges: Ranges) -> None:
        """Match ``plan`` within ``ranges`` (all facts when None) and record what it derives."""
        rule_id = plan.rule.id
        number = plan.number
        found = None if plan.exact_only else _generated_matches(plan, store, ranges)
        if plan.aggregated:
            # Folded through _exact, over the generated matches when there are some.
            for premises, derived, grounds in self.exact(plan.rule).fire(store, ranges, found):
                store.emit(rule_id, premises, derived, grounds, number)
            return
        matches = found if found is not None else self.exact(plan.rule).matches(store, ranges)
        describe, derive, emit = plan.absent, plan.derive, store.emit
        absent: tuple[str, ...] = ()
        for match in matches:
            if describe is not None:
                try:
                    absent = describe(store, match)
                except Exception:
                    absent = self.exact(plan.rule).absent(store, match)
            try:
                facts = derive(store, match)
            except Exception:
                facts = self.exact(plan.rule).derive(store, match)
            emit(rule_id, match, facts, absent, number)

    def exact(self, rule: s.Rule) -> ExactRule:
        """The rule with the durable backend's checks, built on first need."""
        found = self._exact.get(rule.label)
        if found is None:
            with self._lock:
                found = self._exact.get(rule.label)
                if found is None:
                    found = self._exact[rule.label] = ExactRule(rule, self._registry, self._params)
        return found


def _generated_matches(plan: RulePlan, store: Store, ranges: Ranges) -> list[Match] | None:
    """The matches of ``plan``'s generated matcher; None when it raised (then the rule
    is matched again with durable's checks, in durable's order, which raise its error)."""
    try:
        if ranges is None:
            return plan.full(store, None)
        assert plan.ranged is not None, "a recursive rule has a ranged matcher"
        return plan.ranged(store, ranges)
    except Exception:
        return None


def _components(
    stratum: Sequence[s.Rule], plan: Callable[[s.Rule, bool], RulePlan]
) -> list[_Component]:
    """The rules of a stratum grouped by recursion, each group after those it reads from."""
    names = [str(i) for i in range(len(stratum))]
    edges: dict[str, set[str]] = {name: set() for name in names}
    for i, writer in enumerate(stratum):
        heads = derived_types(writer)
        for j, reader in enumerate(stratum):
            if heads & {p.fact_type for p in reader.positives}:
                edges[str(i)].add(str(j))
    # Tarjan's algorithm emits a component after every component it reaches.
    ordered = list(reversed(_sccs(names, edges)))
    out = []
    for component in ordered:
        members = sorted(int(n) for n in component)
        recursive = len(members) > 1 or str(members[0]) in edges[str(members[0])]
        out.append(_Component(tuple(plan(stratum[i], recursive) for i in members), recursive))
    return out
