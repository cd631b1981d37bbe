"""Compile a checked ruleset into durable-rules definitions, one per stratum.

durable matches type tests, comparisons with constants (params folded, dates as day
ordinals) and equality joins. Other conditions (orderings against another fact or
``as_of``, arithmetic, membership in another fact's list) are checked in Python once
durable reports a match; a negated pattern with such a condition is checked in Python
over the finished lower strata. The ``then`` side is Python: each rule gets a function
that builds its derived facts from the matched ones.

Four durable behaviours shape the output (see docs/architecture.md):

* a negation is not re-checked before a queued activation fires, so every rule with a
  durable ``not`` first joins the context fact, which the engine asserts only after all
  of the stratum's input facts are in;
* a non-equality comparison with another fact's field is mis-evaluated (out-of-bounds
  reads, crashes), so durable never sees one;
* a fact that no rule accepts is an error, so each definition has a catch-all rule
  that stores every fact and never fires;
* deleting a session in which no rule fired frees uninitialised memory, so each
  definition has a rule that fires once per session on the context fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..errors import EvaluationError, FactError
from ..language import syntax as s
from ..language._evaluate import ExpressionError, evaluate, holds
from ..language._unparse import literal
from ..language._versions import environment
from ..language.syntax import FLIP, iter_names
from ..model.registry import FactRegistry, FactType
from ._conditions import NEVER, ConditionCompiler, durable_key
from ._negation import Lookup, NegationIndex, plan

CONTEXT = "__ctx"
"""Type and alias of the evaluation-context fact (holds ``as_of``); also the gate."""

SESSION_RULE = "__session"
"""A rule that fires once per session on the context fact; its action does nothing.

durable 2.0.28 leaves a new session's action context uninitialised and
``delete_state`` frees it: a session in which no rule ever fired crashes the process
when deleted. Firing this rule in every session makes deletion safe."""


Derive = Callable[[Mapping[str, Any], dt.date], list[Any]]


@attrs.frozen
class _Negation:
    """A negated pattern that durable cannot express; checked in Python over the store."""

    pattern: s.Pattern
    fact_type: FactType
    lookup: Lookup


@attrs.frozen
class CompiledRule:
    """A rule ready to run: its durable name, the aliases of its premises, its checks, its action.

    ``residuals`` are the conditions of positive patterns left to Python; ``negations``
    the negated patterns left to Python. Both see the complete lower strata.
    """

    rule: s.Rule
    name: str
    definition: Mapping[str, Any]
    aliases: tuple[str, ...]
    derive: Derive
    absent: Callable[[Mapping[str, Any], dt.date], tuple[str, ...]]
    residuals: tuple[tuple[str, FactType, s.Compare], ...] = ()
    negations: tuple[_Negation, ...] = ()
    params: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    def holds(self, bound: Mapping[str, Any], as_of: dt.date, store: NegationIndex) -> bool:
        """Whether the Python-side conditions hold for a match durable reported."""
        window = self.rule.effective
        if not self.residuals and not self.negations and window is None:
            return True
        env = environment(self.params, as_of)
        try:
            if window is not None and not window.covers(evaluate(window.on, {**env, **bound})):
                return False
            for alias, fact_type, condition in self.residuals:
                if not _satisfied(condition, fact_type, bound[alias], env, bound):
                    return False
            # Like durable's own negation, a negated pattern never matches a fact that
            # the rule's positive patterns already matched.
            matched = {id(fact) for fact in bound.values()}
            scope = {**env, **bound}
            for negation in self.negations:
                found = store.candidates(negation.fact_type.name, negation.lookup, scope)
                for candidate in found:
                    if id(candidate) not in matched and all(
                        _satisfied(c, negation.fact_type, candidate, env, bound)
                        for c in negation.pattern.conditions
                    ):
                        return False
        except ExpressionError as error:
            facts = ", ".join(f"{k}={v!r}" for k, v in bound.items())
            raise EvaluationError(self.rule.id, str(self.rule.span), facts, error) from error
        return True


def _satisfied(
    condition: s.Compare,
    fact_type: FactType,
    fact: Any,
    env: Mapping[str, Any],
    bound: Mapping[str, Any],
) -> bool:
    # A bare name is the fact's own field unless a binding has that name (as in _check).
    scope = {**env, **{f.name: getattr(fact, f.name) for f in fact_type.fields}, **bound}
    return holds(condition, scope)


@attrs.frozen
class CompiledStratum:
    """One durable ruleset: the rules of one stratum and the types they read."""

    definition: Mapping[str, Any]
    rules: Mapping[str, CompiledRule]
    reads: frozenset[str]
    matches: frozenset[str]


def compile_ruleset(ruleset: s.Ruleset, params: Mapping[str, Any]) -> list[CompiledStratum]:
    """Compile every stratum of ``ruleset`` with the given (already merged) params."""
    compiled: list[CompiledStratum] = []
    counter = 0
    for stratum in ruleset.strata:
        definition: dict[str, Any] = {
            "__catch_all": {"all": [{"a": {"$ex": {"type": 1}}}, {"b": NEVER}]},
            SESSION_RULE: {"all": [{CONTEXT: {"type": CONTEXT}}]},
        }
        rules: dict[str, CompiledRule] = {}
        reads: set[str] = set()
        matches: set[str] = set()
        for rule in stratum:
            name = f"r{counter}"
            counter += 1
            rules[name] = _compile_rule(rule, name, ruleset.registry, params)
            definition[name] = rules[name].definition
            reads |= {p.fact_type for p in rule.when}
            matches |= {p.fact_type for p in rule.positives}
        compiled.append(CompiledStratum(definition, rules, frozenset(reads), frozenset(matches)))
    return compiled


def _compile_rule(
    rule: s.Rule, name: str, registry: FactRegistry, params: Mapping[str, Any]
) -> CompiledRule:
    aliases: dict[str, FactType] = {}
    alias_order: list[str] = []
    conditions: list[dict[str, Any]] = []
    residuals: list[tuple[str, FactType, s.Compare]] = []
    negations: list[_Negation] = []
    # durable's `not` skips only the facts bound before it; the language says a negated
    # pattern skips every fact the positive patterns matched, so negations go last.
    durable_negations: list[dict[str, Any]] = []
    for i, pattern in enumerate(rule.when):
        fact_type = registry[pattern.fact_type]
        compiled, rest = ConditionCompiler(fact_type, aliases, params).pattern(pattern)
        if pattern.negated:
            if rest:
                lookup = plan(pattern, fact_type, aliases)
                negations.append(_Negation(pattern, fact_type, lookup))
            else:
                durable_negations.append({f"n{i}$not": compiled})
            continue
        # An unnamed pattern's alias starts with `_`, which no param or binding can:
        # `p1` would shadow a param of that name in conditions and derivations.
        alias = pattern.binding or f"_p{i}"
        conditions.append({alias: compiled})
        residuals.extend((alias, fact_type, c) for c in rest)
        aliases[alias] = fact_type
        alias_order.append(alias)
    conditions.extend(durable_negations)
    # The context fact gates durable negations (see the module docstring) and gives a
    # rule whose every pattern is checked in Python something to fire on.
    if not alias_order or any("$not" in next(iter(c)) for c in conditions):
        conditions.insert(0, {CONTEXT: {"type": CONTEXT}})
    return CompiledRule(
        rule,
        name,
        {"all": conditions},
        tuple(alias_order),
        _deriver(rule, registry, params),
        _absent_describer(rule, params),
        tuple(residuals),
        tuple(negations),
        params,
    )


def _derivation_names(derivation: s.Derivation) -> list[s.Name]:
    names = [n for a in derivation.assignments for n in iter_names(a.value)]
    if derivation.loop_over is not None:
        names.extend(iter_names(derivation.loop_over))
    return names


def _deriver(rule: s.Rule, registry: FactRegistry, params: Mapping[str, Any]) -> Derive:
    targets = [(d, registry[d.fact_type].cls) for d in rule.then]

    def derive(bound: Mapping[str, Any], as_of: dt.date) -> list[Any]:
        env = {**environment(params, as_of), **bound}
        out: list[Any] = []
        try:
            for derivation, cls in targets:
                if derivation.loop_over is None:
                    out.append(_build(derivation, cls, env))
                    continue
                assert derivation.loop_var is not None
                for item in evaluate(derivation.loop_over, env):
                    out.append(_build(derivation, cls, {**env, derivation.loop_var: item}))
        except (ExpressionError, FactError, TypeError, ValueError) as error:
            facts = ", ".join(f"{k}={v!r}" for k, v in bound.items())
            raise EvaluationError(rule.id, str(rule.span), facts, error) from error
        return out

    return derive


def _build(derivation: s.Derivation, cls: type, env: Mapping[str, Any]) -> Any:
    values = {a.field: evaluate(a.value, env) for a in derivation.assignments}
    return cls(**values)


def _absent_describer(
    rule: s.Rule, params: Mapping[str, Any]
) -> Callable[[Mapping[str, Any], dt.date], tuple[str, ...]]:
    """Render each negated pattern with the values it was checked against."""
    negatives = rule.negatives

    def describe(bound: Mapping[str, Any], as_of: dt.date) -> tuple[str, ...]:
        env = {**environment(params, as_of), **bound}
        rendered = []
        for pattern in negatives:
            parts = []
            for condition in pattern.conditions:
                left, right = condition.left, condition.right
                if not isinstance(left, s.Name) or left.id in env:
                    left, right = right, left
                op = (
                    condition.op if left is condition.left else FLIP.get(condition.op, condition.op)
                )
                value = evaluate(right, env)
                parts.append(f"{_show(left)} {op} {literal(value)}")
            rendered.append(f"no {pattern.fact_type}({', '.join(parts)})")
        return tuple(rendered)

    return describe


def _show(expr: s.Expr) -> str:
    return expr.id if isinstance(expr, s.Name) else "?"


__all__ = ["CompiledRule", "CompiledStratum", "compile_ruleset", "durable_key"]
