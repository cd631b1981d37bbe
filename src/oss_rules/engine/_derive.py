"""A rule's ``then`` side and its absences, compiled once per engine.

Each derivation becomes a list of compiled expressions and a constructor that checks only
the values not known to be valid (see :mod:`oss_rules.engine._construct`). The functions
take the scope of one firing: the evaluation's params and ``as_of`` with the matched
facts under their bindings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..language import syntax as s
from ..language._evaluate import Evaluator, expression
from ..language._unparse import literal
from ..language._versions import VERSIONS
from ..language.syntax import FLIP
from ..model.registry import FactRegistry, FactType
from ._construct import derivation_constructor

Derive = Callable[[Mapping[str, Any]], list[Any]]
"""The facts a rule derives in the scope of one firing."""

Describe = Callable[[Mapping[str, Any]], tuple[str, ...]]
"""The rule's negated patterns rendered with the values they were checked against."""


def compile_then(
    rule: s.Rule,
    registry: FactRegistry,
    bindings: Mapping[str, FactType],
    params: Mapping[str, Any],
) -> Derive:
    """The function that builds ``rule``'s derived facts from one firing's scope."""
    builders = [_builder(d, registry, bindings, params) for d in rule.then]

    def derive(scope: Mapping[str, Any]) -> list[Any]:
        out: list[Any] = []
        for build in builders:
            build(scope, out)
        return out

    return derive


def _builder(
    derivation: s.Derivation,
    registry: FactRegistry,
    bindings: Mapping[str, FactType],
    params: Mapping[str, Any],
) -> Callable[[Mapping[str, Any], list[Any]], None]:
    cls = registry[derivation.fact_type].cls
    fields = tuple(a.field for a in derivation.assignments)
    make = derivation_constructor(derivation, registry, bindings, params)
    if make is None:

        def make(*values: Any) -> Any:
            return cls(**dict(zip(fields, values, strict=True)))

    values = tuple(expression(a.value) for a in derivation.assignments)
    build = _one(make, values)
    if derivation.loop_over is None or derivation.loop_var is None:
        return build
    items = expression(derivation.loop_over)
    var = derivation.loop_var

    def build_each(scope: Mapping[str, Any], out: list[Any]) -> None:
        inner = dict(scope)
        for item in items(scope):
            inner[var] = item
            build(inner, out)

    return build_each


def _one(
    make: Callable[..., Any], values: tuple[Evaluator, ...]
) -> Callable[[Mapping[str, Any], list[Any]], None]:
    # The values are computed in the order the rule writes them, as before, so the
    # first failing one is reported.
    if len(values) == 2:
        first, second = values
        return lambda scope, out: out.append(make(first(scope), second(scope)))
    if len(values) == 3:
        first, second, third = values
        return lambda scope, out: out.append(make(first(scope), second(scope), third(scope)))
    return lambda scope, out: out.append(make(*[v(scope) for v in values]))


def compile_absent(rule: s.Rule, bound: frozenset[str], params: Mapping[str, Any]) -> Describe:
    """Render each negated pattern of ``rule`` as ``no Type(field op value, ...)``.

    ``bound`` are the rule's binding names. Which side of a condition is the negated
    fact's field depends only on the names the scope holds (params, ``as_of``,
    bindings), which are fixed per engine, so it is decided here, once.
    """
    patterns = [
        (name, tuple((head, expression(value)) for head, value in parts))
        for name, parts in negated_parts(rule, set(params) | bound)
    ]

    def describe(scope: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(
            f"no {name}({', '.join(head + literal(value(scope)) for head, value in parts)})"
            for name, parts in patterns
        )

    return describe


def negated_parts(
    rule: s.Rule, in_scope: set[str]
) -> list[tuple[str, tuple[tuple[str, s.Expr], ...]]]:
    """Each negated pattern of ``rule`` as its type and, per condition, ``"field op "`` and
    the expression of the value it was compared with: the words of a proof's absences.

    ``in_scope`` are the names a firing's scope holds besides ``as_of`` (params and
    bindings): a condition written ``value op field`` is turned round, so the negated
    fact's field comes first. Both backends describe absences through this one function.
    """
    return [(p.fact_type, condition_parts(p, in_scope)) for p in rule.negatives]


def condition_parts(pattern: s.Pattern, in_scope: set[str]) -> tuple[tuple[str, s.Expr], ...]:
    """Each condition of ``pattern`` as ``"field op "`` and the expression of the value it
    is compared with (see :func:`negated_parts`)."""
    known = in_scope | {"as_of", VERSIONS}
    parts = []
    for condition in pattern.conditions:
        left, right = condition.left, condition.right
        if not isinstance(left, s.Name) or left.id in known:
            left, right = right, left
        op = condition.op if left is condition.left else FLIP.get(condition.op, condition.op)
        shown = left.id if isinstance(left, s.Name) else "?"
        parts.append((f"{shown} {op} ", right))
    return tuple(parts)
