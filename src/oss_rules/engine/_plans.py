"""One rule as generated Python: a matcher, a deriver and a describer of its absences.

The matcher is a nest of loops, one per positive pattern, in the order written. A
pattern that compares one of its fields with ``==`` to something already known (a
constant, ``as_of``, a field of an earlier bound fact) is looked up in a hash index of
its type on those fields instead of scanned; its other conditions filter the bucket.
Negated patterns are looked up the same way in an index over their (complete, lower
stratum) type, and within a bucket by bisection on one ordered field, as
``_negation`` does for the durable backend.

Conditions are checked in the order the durable backend checks them within a pattern
(those durable evaluates first, then the ones it leaves to Python), so that a failing
condition fails here exactly when it fails there; when anything raises, the backend
re-runs the step through ``_exact``.

A matcher comes in two variants: *full* (every fact of each type) and *ranged* (for
semi-naive rounds: pattern ``i`` sees only the facts of its type at positions
``R[i][0] <= pos < R[i][1]``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ..language import syntax as s
from ..language._evaluate import joins
from ..language.syntax import FLIP
from ..model.registry import FactRegistry, FactType
from ._conditions import ConditionCompiler
from ._derivations import bindings, deriver, describer
from ._expressions import Generator, Scope

Match = tuple[Any, ...]
"""The facts a rule's positive patterns matched, in pattern order."""

_ORDERED = frozenset({"<", "<=", ">", ">="})


@attrs.frozen
class RulePlan:
    """A rule compiled to Python functions, and what it reads.

    ``exact_only`` is set for a rule whose effective window depends on a bound fact in
    a way that may fail: such a rule always runs through ``_exact``.
    """

    rule: s.Rule
    types: tuple[str, ...]
    full: Callable[[Any, Any], list[Match]]
    ranged: Callable[[Any, Any], list[Match]] | None
    """The ranged matcher; only rules in a recursion have one."""
    derive: Callable[[Any, Match], list[Any]]
    absent: Callable[[Any, Match], tuple[str, ...]] | None
    exact_only: bool
    source: str = attrs.field(repr=False)
    aggregated: bool = attrs.field(
        init=False, repr=False, default=attrs.Factory(lambda self: bool(self.rule.aggregates), True)
    )
    """Whether the rule has an aggregate (then ``_exact`` folds it and derives)."""
    number: int | None = attrs.field(
        init=False,
        repr=False,
        default=attrs.Factory(
            lambda self: None if self.rule.alternative is None else self.rule.alternative.number,
            True,
        ),
    )
    """The number of the rule's alternative, for a rule with ``or``."""


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 1

    def add(self, text: str) -> None:
        self.lines.append("    " * self.depth + text)


def compile_rule(
    rule: s.Rule, registry: FactRegistry, params: Mapping[str, Any], *, recursive: bool
) -> RulePlan:
    """Generate and compile the Python functions of ``rule`` (with a ranged matcher
    when it is part of a recursion).

    Of a rule with an aggregate only the matcher of its positive patterns is generated,
    without the conditions that use an aggregate's value: each match then goes through
    ``_exact``, which folds the aggregates and checks the rest as the durable backend
    does (see ``_aggregates``).
    """
    if rule.aggregates:
        return _positives_only(rule, registry, params, recursive)
    gen = Generator(params)
    types = tuple(p.fact_type for p in rule.positives)
    facts = bindings(rule, registry)
    window_at, exact_only = _window_position(rule, gen, facts)
    sources = [
        _matcher(rule, gen, registry, params, ranged, window_at)
        for ranged in ((False, True) if recursive else (False,))
    ]
    sources.append(deriver(rule, gen, registry, facts))
    if rule.negatives:
        sources.append(describer(rule, gen, facts))
    text = "\n".join(sources)
    code = compile(text, f"<rule {rule.label}>", "exec")
    namespace = gen.namespace
    exec(code, namespace)
    return RulePlan(
        rule,
        types,
        namespace["_match_full"],
        namespace["_match_ranged"] if recursive else None,
        namespace["_derive"],
        namespace["_absent"] if rule.negatives else None,
        exact_only,
        text,
    )


def _window_position(
    rule: s.Rule, gen: Generator, facts: Mapping[str, tuple[str, FactType]]
) -> tuple[int, bool]:
    """After which positive pattern the window can be checked (-1: at the start)."""
    window = rule.effective
    if window is None:
        return -1, False
    positions = [int(facts[n.id][0][1:]) for n in s.iter_names(window.on) if n.id in facts]
    if not positions:
        return -1, False
    # durable checks the window before any condition it leaves to Python; checked
    # early here, a window that may fail could hide an error there.
    return max(positions), not gen.simple(window.on, Scope(facts))


def _matcher(
    rule: s.Rule,
    gen: Generator,
    registry: FactRegistry,
    params: Mapping[str, Any],
    ranged: bool,
    window_at: int,
) -> str:
    out = _Lines()
    prologue = ["env = run.env", "as_of = run.as_of", "out = []"]
    scope_facts: dict[str, tuple[str, FactType]] = {}
    aliases: dict[str, FactType] = {}
    bound: list[tuple[str, str]] = []  # (variable, type) of each positive pattern so far
    # `continue` must work at the top level too (a rule with only negated patterns).
    out.add("for _once in (0,):")
    out.depth += 1
    if rule.effective is not None and window_at < 0:
        out.add(f"if not {gen.constant(rule.effective)}.covers({_on(rule, gen, scope_facts)}):")
        out.add("    return out")
    index = 0
    for position, pattern in enumerate(rule.when):
        if not isinstance(pattern, s.Pattern) or pattern.negated:
            continue
        fact_type = registry[pattern.fact_type]
        var = f"b{index}"
        scope = Scope(dict(scope_facts), (var, fact_type))
        _, residuals = ConditionCompiler(fact_type, aliases, params).pattern(pattern)
        keys, rest = _split(pattern, scope, gen, residuals)
        lst = f"L{index}"
        prologue.append(f"{lst} = run.facts_of({pattern.fact_type!r})")
        if ranged:
            prologue.append(f"_s{index}, _e{index} = R[{index}]")
        if keys:
            fields = tuple(field for field, _, _ in keys)
            idx = f"I{index}"
            prologue.append(f"{idx} = run.index({pattern.fact_type!r}, {fields!r})")
            key, may_fail = _key_source(keys, gen, scope, out)
            bucket = f"{idx}.get({key}, ())"
            if may_fail:
                bucket = f"({bucket} if {key} is not _NO else ())"
            out.add(f"for _q{index} in {bucket}:")
            out.depth += 1
            if ranged:
                out.add(f"if _q{index} < _s{index}: continue")
                out.add(f"if _q{index} >= _e{index}: break")
            out.add(f"{var} = {lst}[_q{index}]")
        elif ranged:
            out.add(f"for _q{index} in range(_s{index}, _e{index}):")
            out.depth += 1
            out.add(f"{var} = {lst}[_q{index}]")
        else:
            out.add(f"for {var} in {lst}:")
            out.depth += 1
        for other, other_type in bound:
            if other_type == pattern.fact_type:
                out.add(f"if {var} is {other}: continue")
        if rule.effective is not None and window_at == index:
            scope_after = {**scope_facts, **_named(pattern, var, fact_type)}
            out.add(
                f"if not {gen.constant(rule.effective)}.covers({_on(rule, gen, scope_after)}): "
                "continue"
            )
        for condition in rest:
            out.add(f"if not {gen.condition(condition, scope)}: continue")
        bound.append((var, pattern.fact_type))
        scope_facts.update(_named(pattern, var, fact_type))
        aliases[pattern.binding or f"_p{position}"] = fact_type
        index += 1
    for number, pattern in enumerate(rule.negatives):
        prologue += _negation(pattern, number, gen, registry, scope_facts, bound, out)
    out.add("out.append((" + "".join(f"{var}, " for var, _ in bound) + "))")
    out.depth = 1
    out.add("return out")
    name = "_match_ranged" if ranged else "_match_full"
    gen.namespace["_NO"] = _NO
    head = [f"def {name}(run, R):"] + ["    " + line for line in prologue]
    return "\n".join(head + out.lines)


def _positives_only(
    rule: s.Rule, registry: FactRegistry, params: Mapping[str, Any], recursive: bool
) -> RulePlan:
    """The plan of a rule with aggregates: a matcher of its positive patterns only."""
    values = {a.binding for a in rule.aggregates if a.binding}

    def free(condition: s.Compare) -> bool:
        return not any(n.id in values for n in s.iter_names(condition.left)) and not any(
            n.id in values for n in s.iter_names(condition.right)
        )

    positives = tuple(
        attrs.evolve(p, conditions=tuple(c for c in p.conditions if free(c)))
        for p in rule.positives
    )
    plain = attrs.evolve(rule, when=positives)
    types = tuple(p.fact_type for p in positives)
    gen = Generator(params)
    window_at, exact_only = _window_position(plain, gen, bindings(plain, registry))
    if exact_only:
        return RulePlan(rule, types, _unplanned, None, _unplanned, None, True, "")
    sources = [
        _matcher(plain, gen, registry, params, ranged, window_at)
        for ranged in ((False, True) if recursive else (False,))
    ]
    text = "\n".join(sources)
    namespace = gen.namespace
    exec(compile(text, f"<rule {rule.id}>", "exec"), namespace)
    ranged = namespace["_match_ranged"] if recursive else None
    return RulePlan(rule, types, namespace["_match_full"], ranged, _unplanned, None, False, text)


def _unplanned(*_: Any) -> Any:
    raise AssertionError("a rule with an aggregate derives through _exact")


_NO = object()
"""A lookup key that matches nothing (a join on null)."""


def _named(pattern: s.Pattern, var: str, fact_type: FactType) -> dict[str, tuple[str, FactType]]:
    return {pattern.binding: (var, fact_type)} if pattern.binding else {}


def _on(rule: s.Rule, gen: Generator, facts: Mapping[str, tuple[str, FactType]]) -> str:
    assert rule.effective is not None
    return gen.expr(rule.effective.on, Scope(facts))


def _orient(condition: s.Compare, scope: Scope) -> tuple[str | None, str, s.Expr]:
    """(own field, operator with it on the left, other side), if one side is own."""
    field = scope.is_own(condition.left)
    if field is not None:
        return field, condition.op, condition.right
    field = scope.is_own(condition.right)
    return field, FLIP.get(condition.op, condition.op), condition.left


def _free(expr: s.Expr, scope: Scope) -> bool:
    return all(scope.is_own(n) is None for n in s.iter_names(expr))


def _split(
    pattern: s.Pattern, scope: Scope, gen: Generator, residuals: Sequence[s.Compare]
) -> tuple[list[tuple[str, s.Expr, bool]], list[s.Compare]]:
    """The index keys of a positive pattern, and its other conditions in check order.

    A key is an ``==`` between an own field and an expression that cannot fail. It is
    checked first, so it must be a condition durable checks, or the first one durable
    leaves to Python (an earlier one might fail where the lookup finds nothing).
    """
    keys: list[tuple[str, s.Expr, bool]] = []
    used: list[s.Compare] = []
    python = [c for c in pattern.conditions if any(c is r for r in residuals)]
    for condition in pattern.conditions:
        field, op, other = _orient(condition, scope)
        in_python = any(condition is r for r in python)
        if (
            field is None
            or op != "=="
            or not _free(other, scope)
            or not gen.simple(other, scope)
            or (in_python and condition is not python[0])
        ):
            continue
        keys.append((field, other, joins(condition)))
        used.append(condition)
    durable = [c for c in pattern.conditions if not any(c is r for r in python)]
    rest = [c for c in durable + python if not any(c is u for u in used)]
    return keys, rest


def _key_source(
    keys: Sequence[tuple[str, s.Expr, bool]], gen: Generator, scope: Scope, out: _Lines
) -> tuple[str, bool]:
    """Emit the key computation; return the key's source and whether it may be ``_NO``
    (a join on null, which matches nothing)."""
    parts = []
    for n, (_, expr, is_join) in enumerate(keys):
        text = gen.expr(expr, scope)
        if is_join:
            name = f"_j{len(out.lines)}_{n}"
            out.add(f"{name} = {text}")
            parts.append((name, True))
        else:
            parts.append((text, False))
    value = parts[0][0] if len(parts) == 1 else "(" + "".join(f"{p}, " for p, _ in parts) + ")"
    nulls = [p for p, is_join in parts if is_join]
    if not nulls:
        return value, False
    key = f"_key{len(out.lines)}"
    out.add(f"{key} = _NO if {' or '.join(f'{p} is None' for p in nulls)} else {value}")
    return key, True


def _negation(
    pattern: s.Pattern,
    number: int,
    gen: Generator,
    registry: FactRegistry,
    facts: Mapping[str, tuple[str, FactType]],
    bound: Sequence[tuple[str, str]],
    out: _Lines,
) -> list[str]:
    """Emit the check that no fact meets negated ``pattern``; return prologue lines."""
    fact_type = registry[pattern.fact_type]
    var = f"c{number}"
    scope = Scope(facts, (var, fact_type))
    equal: list[tuple[str, s.Expr, bool]] = []
    used: list[s.Compare] = []
    ordered: tuple[str, str, s.Expr] | None = None
    # The same lookup as _negation.plan: every `==` with a free side, one ordering.
    for condition in pattern.conditions:
        field, op, other = _orient(condition, scope)
        if field is None or not _free(other, scope):
            continue
        if op == "==":
            equal.append((field, other, joins(condition)))
            used.append(condition)
        elif op in _ORDERED and ordered is None:
            ordered = (field, op, other)
    fields = tuple(f for f, _, _ in equal)
    name = f"N{number}"
    order = ordered[0] if ordered else None
    prologue = [f"{name} = run.negation_index({pattern.fact_type!r}, {fields!r}, {order!r})"]
    found = f"_n{number}"
    out.add(f"{found} = False")
    key, may_fail = _key_source(equal, gen, scope, out) if equal else ("()", False)
    lookup = f"{name}.get({key})"
    if may_fail:
        lookup = f"({lookup} if {key} is not _NO else None)"
    out.add(f"_bk{number} = {lookup}")
    out.add(f"if _bk{number} is not None:")
    out.depth += 1
    if ordered is not None:
        gen.namespace["_ordered"] = _ordered
        value = gen.expr(ordered[2], scope)
        out.add(f"for {var} in _ordered(_bk{number}, {ordered[1]!r}, {value}):")
    else:
        out.add(f"for {var} in _bk{number}[0]:")
    out.depth += 1
    for positive, positive_type in bound:
        if positive_type == pattern.fact_type:
            out.add(f"if {var} is {positive}: continue")
    rest = [c for c in pattern.conditions if not any(c is u for u in used)]
    test = " and ".join(gen.condition(c, scope) for c in rest) or "True"
    out.add(f"if {test}:")
    out.add(f"    {found} = True")
    out.add("    break")
    out.depth -= 2
    out.add(f"if {found}: continue")
    return prologue


def _ordered(bucket: tuple[Any, Any, Any], op: str, value: Any) -> Sequence[Any]:
    """The facts of ``bucket`` whose ordered field may satisfy ``field op value``."""
    facts, ordered, values = bucket
    if values is None:
        return facts  # type: ignore[no-any-return]
    if value is None:
        return ()  # an ordering with null is false
    try:
        if op in (">", ">="):
            start = (bisect.bisect_right if op == ">" else bisect.bisect_left)(values, value)
            return ordered[start:]  # type: ignore[no-any-return]
        end = (bisect.bisect_left if op == "<" else bisect.bisect_right)(values, value)
        return ordered[:end]  # type: ignore[no-any-return]
    except TypeError:  # values that do not order: let the conditions say so
        return facts  # type: ignore[no-any-return]
