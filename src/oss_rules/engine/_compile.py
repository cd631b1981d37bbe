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

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..errors import EvaluationError, FactError
from ..language import syntax as s
from ..language._evaluate import (
    SELF,
    Check,
    Evaluator,
    ExpressionError,
    condition_check,
    expression,
)
from ..model._fields import Kind, Optional
from ..model.registry import FactRegistry, FactType
from ._aggregates import CompiledAggregate, compile_aggregate
from ._conditions import NEVER, ConditionCompiler, durable_key
from ._derive import Derive, Describe, compile_absent, compile_then
from ._negation import Lookup, NegationIndex, plan

CONTEXT = "__ctx"
"""Type and alias of the evaluation-context fact (holds ``as_of``); also the gate."""

SESSION_RULE = "__session"
"""A rule that fires once per session on the context fact; its action does nothing.

durable 2.0.28 leaves a new session's action context uninitialised and
``delete_state`` frees it: a session in which no rule ever fired crashes the process
when deleted. Firing this rule in every session makes deletion safe."""


@attrs.frozen
class _Negation:
    """A negated pattern that durable cannot express; checked in Python over the store."""

    fact_type: FactType
    lookup: Lookup
    checks: tuple[Check, ...]


@attrs.frozen
class CompiledRule:
    """A rule ready to run: its durable name, the aliases of its premises, its checks, its action.

    ``residuals`` are the conditions of positive patterns left to Python, by the alias of
    the fact they test; ``negations`` the negated patterns left to Python. Both see the
    complete lower strata. ``aggregates`` are folded after the residuals, and
    ``late_residuals`` (conditions that use an aggregate's value) are checked after them.
    Every function takes the scope of one firing: the evaluation's environment (params,
    ``as_of``) with the matched facts by alias.
    """

    rule: s.Rule
    name: str
    definition: Mapping[str, Any]
    aliases: tuple[str, ...]
    derive: Derive
    absent: Describe
    residuals: tuple[tuple[str, Check], ...] = ()
    negations: tuple[_Negation, ...] = ()
    window: Evaluator | None = None
    negates: bool = False
    """Whether the rule has negated patterns (whose absences the trace records)."""
    aggregates: tuple[CompiledAggregate, ...] = ()
    late_residuals: tuple[tuple[str, Check], ...] = ()

    @property
    def checks_in_python(self) -> bool:
        """Whether a match durable reports must still pass :meth:`holds`."""
        return bool(self.residuals or self.negations or self.window or self.aggregates)

    def holds(self, bound: Mapping[str, Any], scope: dict[str, Any], store: NegationIndex) -> bool:
        """Whether the Python-side conditions hold for a match durable reported.

        ``scope`` is the firing's scope; the fact under test is put under ``SELF``.
        """
        try:
            window = self.rule.effective
            if (
                self.window is not None
                and window is not None
                and not window.covers(self.window(scope))
            ):
                return False
            for alias, check in self.residuals:
                scope[SELF] = bound[alias]
                if not check(scope):
                    return False
            for aggregate in self.aggregates:
                if not aggregate.holds(scope, store):
                    return False
            for alias, check in self.late_residuals:
                scope[SELF] = bound[alias]
                if not check(scope):
                    return False
            if self.negations:
                # Like durable's own negation, a negated pattern never matches a fact
                # that the rule's positive patterns already matched.
                matched = {id(fact) for fact in bound.values()}
                for negation in self.negations:
                    found = store.candidates(negation.fact_type.name, negation.lookup, scope)
                    for candidate in found:
                        if id(candidate) in matched:
                            continue
                        scope[SELF] = candidate
                        if all(check(scope) for check in negation.checks):
                            return False
        except ExpressionError as error:
            facts = ", ".join(f"{k}={v!r}" for k, v in bound.items())
            raise EvaluationError(self.rule.id, str(self.rule.span), facts, error) from error
        return True

    def conclude(self, bound: Mapping[str, Any], scope: Mapping[str, Any]) -> list[Any]:
        """The facts the rule derives for this match; failures name the rule and the facts."""
        try:
            return self.derive(scope)
        except (ExpressionError, FactError, TypeError, ValueError) as error:
            facts = ", ".join(f"{k}={v!r}" for k, v in bound.items())
            raise EvaluationError(self.rule.id, str(self.rule.span), facts, error) from error


MessageField = tuple[str, str, Callable[[Any], Any] | None]
"""A fact field durable sees: its name, its key in messages and its encoder (None: as is)."""


@attrs.frozen
class CompiledStratum:
    """One durable ruleset: the rules of one stratum and the types they read.

    ``fields`` says which fields of each type's facts durable needs: those its
    conditions name. The others stay out of the messages (less JSON both ways).
    """

    definition: Mapping[str, Any]
    rules: Mapping[str, CompiledRule]
    reads: frozenset[str]
    matches: frozenset[str]
    fields: Mapping[str, tuple[MessageField, ...]] = attrs.field(factory=dict)


def compile_ruleset(ruleset: s.Ruleset, params: Mapping[str, Any]) -> list[CompiledStratum]:
    """Compile every stratum of ``ruleset`` with the given (already merged) params."""
    registry = ruleset.registry
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
            rules[name] = _compile_rule(rule, name, registry, params)
            definition[name] = rules[name].definition
            # An aggregate's facts are read in Python, from the lower strata.
            reads |= {p.fact_type for p in (*rule.positives, *rule.negatives)}
            matches |= {p.fact_type for p in rule.positives}
        named = _names_in(definition)
        fields = {
            name: tuple(
                (f.name, durable_key(f.name), _encoder(f.kind))
                for f in registry[name].fields
                if durable_key(f.name) in named
            )
            for name in reads
        }
        compiled.append(
            CompiledStratum(definition, rules, frozenset(reads), frozenset(matches), fields)
        )
    return compiled


def _names_in(definition: Any) -> set[str]:
    """Every string in a durable definition: a superset of the field keys it reads."""
    names: set[str] = set()
    pending = [definition]
    while pending:
        item = pending.pop()
        if isinstance(item, Mapping):
            names.update(item)
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
        elif isinstance(item, str):
            names.add(item)
    return names


def _encoder(kind: Kind) -> Callable[[Any], Any] | None:
    """``kind.to_durable``, or None where it returns values unchanged."""
    if type(kind).to_durable is Kind.to_durable:
        return None
    if isinstance(kind, Optional) and _encoder(kind.inner) is None:
        return None
    return kind.to_durable


def _compile_rule(
    rule: s.Rule, name: str, registry: FactRegistry, params: Mapping[str, Any]
) -> CompiledRule:
    aliases: dict[str, FactType] = {}
    alias_order: list[str] = []
    conditions: list[dict[str, Any]] = []
    residuals: list[tuple[str, FactType, s.Compare]] = []
    negated: list[tuple[s.Pattern, FactType, Lookup]] = []
    # durable's `not` skips only the facts bound before it; the language says a negated
    # pattern skips every fact the positive patterns matched, so negations go last.
    durable_negations: list[dict[str, Any]] = []
    aggregates: list[s.Aggregate] = []
    for i, pattern in enumerate(rule.when):
        if isinstance(pattern, s.Aggregate):
            aggregates.append(pattern)
            continue
        fact_type = registry[pattern.fact_type]
        compiled, rest = ConditionCompiler(fact_type, aliases, params).pattern(pattern)
        if pattern.negated:
            if rest:
                negated.append((pattern, fact_type, plan(pattern, fact_type, aliases)))
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
    bound = frozenset(alias_order)
    # A condition that uses an aggregate's value waits for the aggregates.
    values = frozenset(a.binding for a in aggregates if a.binding)

    def own(fact_type: FactType) -> frozenset[str]:
        # A bare name is the tested fact's own field unless a binding has that name.
        return frozenset(fact_type.field_names) - bound

    def late(condition: s.Compare) -> bool:
        return any(n.id in values for n in s.iter_names(condition.left)) or any(
            n.id in values for n in s.iter_names(condition.right)
        )

    checks = [(alias, condition_check(c, own(t)), late(c)) for alias, t, c in residuals]
    in_scope = set(params) | bound | values
    return CompiledRule(
        rule,
        name,
        {"all": conditions},
        tuple(alias_order),
        compile_then(rule, registry, aliases, params),
        compile_absent(rule, bound | values, params),
        tuple((alias, check) for alias, check, waits in checks if not waits),
        tuple(
            _Negation(t, lookup, tuple(condition_check(c, own(t)) for c in pattern.conditions))
            for pattern, t, lookup in negated
        ),
        expression(rule.effective.on) if rule.effective is not None else None,
        bool(rule.negatives),
        tuple(compile_aggregate(a, registry, bound, in_scope) for a in aggregates),
        tuple((alias, check) for alias, check, waits in checks if waits),
    )


__all__ = ["CompiledRule", "CompiledStratum", "compile_ruleset", "durable_key"]
