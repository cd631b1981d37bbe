"""A rule evaluated exactly as the durable backend evaluates it, over the compiled store.

The compiled backend checks conditions early and in generated code, which computes the
same values but not the same error messages, and may try a condition on a partial
match that durable never completes. So whenever a generated step raises, the backend
runs that step again here: matching with only the conditions durable evaluates, then,
on each complete match, the durable backend's own Python checks
(:meth:`oss_rules.engine._compile.CompiledRule.holds`: effective window, the other
conditions, the negations durable cannot express), its deriver and its description of
the absences. The errors are therefore the durable backend's errors (an
:class:`~oss_rules.errors.EvaluationError` naming the rule and the matched facts).
Nothing here is on the path of an evaluation that succeeds, unless a rule's effective
window depends on a bound fact in a way that may fail.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..language import syntax as s
from ..language._aggregate import premises
from ..language._evaluate import holds
from ..model.registry import FactRegistry, FactType
from ._aggregates import aggregated
from ._compile import _compile_rule
from ._conditions import ConditionCompiler
from ._negation import NegationIndex
from ._plans import Match
from ._store import Store

Ranges = Sequence[tuple[int, int]] | None


class ExactRule:
    """One rule with the durable backend's semantics, errors included."""

    def __init__(self, rule: s.Rule, registry: FactRegistry, params: Mapping[str, Any]) -> None:
        self.compiled = _compile_rule(rule, rule.id, registry, params)
        self._patterns: list[tuple[str, FactType, list[s.Compare]]] = []
        aliases: dict[str, FactType] = {}
        positives = iter(self.compiled.aliases)
        self._negated: list[tuple[s.Pattern, FactType]] = []
        for pattern in rule.when:
            if isinstance(pattern, s.Aggregate):
                continue  # folded by the durable backend's checks (``holds``)
            fact_type = registry[pattern.fact_type]
            _, python = ConditionCompiler(fact_type, aliases, params).pattern(pattern)
            if pattern.negated:
                if not python:  # durable checks this negation itself
                    self._negated.append((pattern, fact_type))
                continue
            alias = next(positives)
            safe = [c for c in pattern.conditions if not any(c is r for r in python)]
            self._patterns.append((alias, fact_type, safe))
            aliases[alias] = fact_type

    def bound(self, match: Match) -> dict[str, Any]:
        """The match as the durable backend names it: alias -> fact."""
        return dict(zip(self.compiled.aliases, match, strict=True))

    def matches(self, store: Store, ranges: Ranges) -> list[Match]:
        """Every match of the rule within ``ranges`` (positions per positive pattern)."""
        index = NegationIndex(store.facts_of)
        found = []
        for bound in self._extend(store, ranges, {}):
            if any(self._exists(store, p, t, bound) for p, t in self._negated):
                continue
            scope = {**store.env, **bound}
            if not self.compiled.checks_in_python or self.compiled.holds(bound, scope, index):
                found.append(tuple(bound.values()))
        return found

    def fire(
        self, store: Store, ranges: Ranges, found: Sequence[Match] | None = None
    ) -> list[tuple[Match, list[Any], tuple[str, ...]]]:
        """Each match within ``ranges`` as the durable backend fires it: its premises (the
        matched facts, then those its aggregates used), the facts it derives and the
        absences and aggregates it relied on, in words.

        ``found`` are the matches of the positive patterns, if generated code found them
        (without the conditions that use an aggregate's value); else they are found here.
        """
        index = NegationIndex(store.facts_of)
        fired = []
        compiled = self.compiled
        matches = (
            self._extend(store, ranges, {}) if found is None else (self.bound(m) for m in found)
        )
        for bound in matches:
            if any(self._exists(store, p, t, bound) for p, t in self._negated):
                continue
            scope = {**store.env, **bound}
            if compiled.checks_in_python and not compiled.holds(bound, scope, index):
                continue
            absent = compiled.absent(scope) if compiled.negates else ()
            described, used = aggregated(scope)
            facts = compiled.conclude(bound, scope)
            fired.append((premises(tuple(bound.values()), used), facts, absent + described))
        return fired

    def derive(self, store: Store, match: Match) -> list[Any]:
        """The facts the durable backend derives from ``match`` (or its error)."""
        bound = self.bound(match)
        return self.compiled.conclude(bound, {**store.env, **bound})

    def absent(self, store: Store, match: Match) -> tuple[str, ...]:
        """The durable backend's description of the absences ``match`` relied on."""
        return self.compiled.absent({**store.env, **self.bound(match)})

    def _extend(
        self, store: Store, ranges: Ranges, bound: dict[str, Any]
    ) -> Iterator[dict[str, Any]]:
        k = len(bound)
        if k == len(self._patterns):
            yield dict(bound)
            return
        alias, fact_type, safe = self._patterns[k]
        facts = store.facts_of(fact_type.name)
        start, end = ranges[k] if ranges is not None else (0, len(facts))
        for fact in facts[start:end]:
            if any(fact is other for other in bound.values()):
                continue
            if all(_quietly(c, fact_type, fact, store.env, bound) for c in safe):
                bound[alias] = fact
                yield from self._extend(store, ranges, bound)
                del bound[alias]

    def _exists(
        self, store: Store, pattern: s.Pattern, fact_type: FactType, bound: Mapping[str, Any]
    ) -> bool:
        return any(
            all(_quietly(c, fact_type, fact, store.env, bound) for c in pattern.conditions)
            for fact in store.facts_of(fact_type.name)
            if not any(fact is other for other in bound.values())
        )


def _quietly(
    condition: s.Compare,
    fact_type: FactType,
    fact: Any,
    env: Mapping[str, Any],
    bound: Mapping[str, Any],
) -> bool:
    """A condition durable evaluates: it never fails there, so a failure is a mismatch."""
    scope = {**env, **{f.name: getattr(fact, f.name) for f in fact_type.fields}, **bound}
    try:
        return holds(condition, scope)
    except Exception:
        return False
