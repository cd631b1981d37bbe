"""A naive, obviously correct evaluator of a ruleset's syntax tree: the engine's oracle.

:class:`~oss_rules.Engine` compiles rules into durable-rules networks, splits conditions
between durable and Python, gates negations and works around durable's quirks. This
module does none of that. It reads the same syntax tree (``Ruleset.rules``) and
evaluates it the slow, plain way the rule language describes:

* the rules run in the strata computed when the ruleset was checked (``Ruleset.strata``);
* a rule with ``or`` is one rule per alternative (``Rule.alternative``), each tried
  like any other rule;
* in each stratum, every rule is tried on every combination of facts for its positive
  patterns (in order, never the same fact twice), every condition is checked with
  :func:`oss_rules.language._evaluate.holds`, every aggregate is folded, where it
  stands, over every fact of its type that meets its pattern, and every negated
  pattern is tried against all facts of its type except those the rule already matched;
* each match derives the facts of the rule's ``then``; its premises are the matched
  facts, then those its aggregates used; the stratum repeats until no new fact follows.

Differential tests compare the two: same input, same ruleset, same set of derived facts
and rule applications (see ``tests/test_oracle.py`` and docs/property-testing.md).

>>> import datetime as dt
>>> import oss_rules
>>> facts = [oss_rules.Workplace(id="w1", sector="retail", setting="office", headcount=3)]
>>> model = evaluate(oss_rules.load_default(), facts, as_of=dt.date(2026, 6, 30))
>>> sorted(o.module for o in model.derived if type(o).__name__ == "Obligation")
['OSS-I']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from ..errors import EvaluationError, FactError
from ..language import syntax as s
from ..language._aggregate import NO_VALUE, fold, zero
from ..language._aggregate import premises as with_used
from ..language._evaluate import ExpressionError, compare, holds
from ..language._evaluate import evaluate as evaluate_expr
from ..language._versions import environment
from ..model.convert import sort_key
from ..model.registry import FactRegistry

__all__ = ["Application", "Model", "evaluate", "matches", "meets"]

Application = tuple[Any, str, tuple[Any, ...], int | None]
"""One rule application: (derived fact, rule id, the facts its positive patterns matched
and then those its aggregates used, the number of the alternative that held for a rule
with ``or``, else None)."""


@attrs.frozen
class Model:
    """What the oracle concluded: the given facts, the derived facts, the applications.

    ``derived`` holds every fact some rule derived, including facts that were also
    given, exactly like :attr:`oss_rules.Result.conclusions`.
    """

    given: frozenset[Any]
    derived: frozenset[Any]
    applications: frozenset[Application]

    @property
    def facts(self) -> frozenset[Any]:
        """Given and derived facts together."""
        return self.given | self.derived


def evaluate(
    ruleset: s.Ruleset,
    facts: Iterable[Any],
    *,
    as_of: dt.date,
    params: Mapping[str, Any] | None = None,
) -> Model:
    """Every fact ``ruleset`` derives from ``facts`` as of ``as_of``, the naive way.

    ``params`` overrides the ruleset's params, as ``Engine(ruleset, params=...)`` does.
    The input is not validated. A rule whose ``then`` fails raises
    :class:`~oss_rules.errors.EvaluationError`, as the engine does.
    """
    env = {**ruleset.params, **(params or {})}
    env = {k: tuple(v) if isinstance(v, list) else v for k, v in env.items()}
    given = list(dict.fromkeys(facts))
    known: dict[str, list[Any]] = {}
    for fact in given:
        known.setdefault(type(fact).__name__, []).append(fact)
    everything = set(given)
    derived: set[Any] = set()
    applications: set[Application] = set()
    for stratum in ruleset.strata:
        grew = True
        while grew:
            grew = False
            for rule in stratum:
                number = rule.alternative.number if rule.alternative else None
                # A snapshot: facts derived in this pass are matched in the next one.
                snapshot = {name: list(items) for name, items in known.items()}
                try:
                    found = list(_matches(rule.when, snapshot, env, as_of, ruleset.registry))
                except ExpressionError as error:
                    raise EvaluationError(rule.id, str(rule.span), "?", error) from error
                for bound, named, used in found:
                    for fact in _derive(rule, bound, named, env, as_of, ruleset.registry):
                        derived.add(fact)
                        premises = with_used(tuple(bound.values()), used)
                        applications.add((fact, rule.id, premises, number))
                        if fact not in everything:
                            everything.add(fact)
                            known.setdefault(type(fact).__name__, []).append(fact)
                            grew = True
    return Model(frozenset(given), frozenset(derived), frozenset(applications))


def matches(
    patterns: Sequence[s.Pattern],
    facts: Mapping[str, Sequence[Any]],
    params: Mapping[str, Any],
    as_of: dt.date,
) -> Iterator[dict[str, Any]]:
    """Each way the positive ``patterns`` match ``facts`` (by type name) with no negated one.

    Yields the matched facts by alias, in pattern order: the binding name, or ``_p<i>``
    for an unnamed pattern at position ``i`` (no expression can name it). Names in
    conditions are, first, the bindings of earlier patterns, then the pattern's own
    fields, then params and ``as_of``. A condition that cannot be evaluated raises
    :class:`~oss_rules.language._evaluate.ExpressionError`.
    """
    for bound, _, _ in _matches(patterns, facts, params, as_of, None):
        yield bound


Found = tuple[dict[str, Any], dict[str, Any], tuple[Any, ...]]
"""One match: the matched facts by alias, every name the rule bound (facts and aggregate
values), and the facts the aggregates used."""


def _matches(
    items: Sequence[s.Pattern | s.Aggregate],
    facts: Mapping[str, Sequence[Any]],
    params: Mapping[str, Any],
    as_of: dt.date,
    registry: FactRegistry | None,
) -> Iterator[Found]:
    """The matches of a rule's ``when`` (see :func:`matches`); aggregates need ``registry``."""
    negatives = [p for p in items if isinstance(p, s.Pattern) and p.negated]
    base = environment(params, as_of)

    def extend(
        k: int, bound: dict[str, Any], named: dict[str, Any], used: tuple[Any, ...]
    ) -> Iterator[Found]:
        if k == len(items):
            matched = list(bound.values())
            if not any(_exists(p, facts, base, named, matched) for p in negatives):
                yield dict(bound), dict(named), used
            return
        item = items[k]
        if isinstance(item, s.Aggregate):
            assert registry is not None, "a rule with an aggregate needs its registry"
            folded = _fold(item, facts, base, named, registry)
            if folded is not None:
                value, counted = folded
                inner = {**named, item.binding: value} if item.binding else named
                yield from extend(k + 1, bound, inner, used + counted)
            return
        if item.negated:
            yield from extend(k + 1, bound, named, used)
            return
        for fact in facts.get(item.fact_type, ()):
            if any(fact == other for other in bound.values()):
                continue
            if not meets(item, fact, base, named):
                continue
            bound[item.binding or f"_p{k}"] = fact
            inner = {**named, item.binding: fact} if item.binding else named
            yield from extend(k + 1, bound, inner, used)
            del bound[item.binding or f"_p{k}"]

    yield from extend(0, {}, {}, ())


def _fold(
    aggregate: s.Aggregate,
    facts: Mapping[str, Sequence[Any]],
    base: Mapping[str, Any],
    named: Mapping[str, Any],
    registry: FactRegistry,
) -> tuple[Any, tuple[Any, ...]] | None:
    """The aggregate's value and the facts it used, or None when the rule cannot hold
    (``min``/``max`` of nothing, or a test that fails)."""
    found = [
        f for f in facts.get(aggregate.fact_type, ()) if meets(aggregate.pattern, f, base, named)
    ]
    info = registry[aggregate.fact_type].field(aggregate.field) if aggregate.field else None
    value, used = fold(
        aggregate, found, lambda f: sort_key(f, registry), zero(info.kind if info else None)
    )
    if value is NO_VALUE:
        return None
    if aggregate.op is not None and aggregate.value is not None:
        limit = evaluate_expr(aggregate.value, {**base, **named})
        if not compare(aggregate.op, value, limit):
            return None
    return value, used


def _exists(
    pattern: s.Pattern,
    facts: Mapping[str, Sequence[Any]],
    base: Mapping[str, Any],
    named: Mapping[str, Any],
    used: Sequence[Any],
) -> bool:
    """Whether a fact other than the ``used`` ones meets the negated ``pattern``."""
    return any(
        meets(pattern, fact, base, named)
        for fact in facts.get(pattern.fact_type, ())
        if not any(fact == other for other in used)
    )


def meets(pattern: s.Pattern, fact: Any, base: Mapping[str, Any], named: Mapping[str, Any]) -> bool:
    """Whether ``fact`` meets every condition of ``pattern``.

    ``base`` holds the params and ``as_of``, ``named`` the facts bound so far; the fact's
    own fields come between them, as in the engine.
    """
    own = {a.name: getattr(fact, a.name) for a in attrs.fields(type(fact))}
    scope = {**base, **own, **named}
    return all(holds(condition, scope) for condition in pattern.conditions)


def _derive(
    rule: s.Rule,
    bound: Mapping[str, Any],
    named: Mapping[str, Any],
    params: Mapping[str, Any],
    as_of: dt.date,
    registry: FactRegistry,
) -> list[Any]:
    env = {**environment(params, as_of), **named}
    out = []
    try:
        for derivation in rule.then:
            cls = registry[derivation.fact_type].cls
            if derivation.loop_over is None:
                out.append(_build(derivation, cls, env))
                continue
            assert derivation.loop_var is not None
            for item in evaluate_expr(derivation.loop_over, env):
                out.append(_build(derivation, cls, {**env, derivation.loop_var: item}))
    except (ExpressionError, FactError, TypeError, ValueError) as error:
        facts = ", ".join(f"{k}={v!r}" for k, v in bound.items())
        raise EvaluationError(rule.id, str(rule.span), facts, error) from error
    return out


def _build(derivation: s.Derivation, cls: type, env: Mapping[str, Any]) -> Any:
    return cls(**{a.field: evaluate_expr(a.value, env) for a in derivation.assignments})
