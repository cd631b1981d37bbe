"""The checks of a rule's `when`: its patterns' conditions and bindings, and its aggregates.

Each pattern's fact type must exist, each condition must compare a field of that fact
with names that resolve, a list field only with `in`, and a binding must be a new,
well-formed name. What the `when` binds is what the rule's `then` may use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..model._fields import Day, Many, Optional
from ..model.registry import FactRegistry, FactType
from . import syntax as s
from ._aggregate_check import check_field, shadows
from ._constants import check_constant
from ._name_check import (
    NAME,
    RESERVED,
    Unbound,
    check_expr_parts,
    check_name,
    check_names,
    fact_type,
    own_field,
)
from ._positions import _Collector
from ._versions import Versioned
from .syntax import iter_names


def check_when(
    rule: s.Rule,
    params: Mapping[str, Any],
    registry: FactRegistry,
    out: _Collector,
    unbound: Unbound,
) -> tuple[dict[str, FactType], set[str]]:
    """Check the patterns and aggregates of ``rule`` in order; return the fact type of
    each binding of a positive pattern, and the names bound without a known fact type."""
    bindings: dict[str, FactType] = {}
    # A binding of an unknown fact type (reported once) is still a name: its uses are
    # not unknown names too. So is an aggregate's value, which is no fact.
    untyped: set[str] = set()
    for position, pattern in enumerate(rule.when):
        if isinstance(pattern, s.Aggregate):
            _check_aggregate(pattern, bindings, params, registry, out, untyped, unbound)
            name = pattern.binding
            if name is None:
                continue
            if name in bindings or name in untyped or name in params:
                out.add(
                    pattern.span,
                    "OSS025",
                    f"`{name}` is already a {'param' if name in params else 'binding'}",
                    "choose another name for the aggregate",
                )
            elif not NAME.match(name) or name in RESERVED:
                out.add(
                    pattern.span,
                    "OSS026",
                    f"binding name `{name}` is not allowed",
                    "use a lower-case name such as `n` or `total`",
                )
            elif not shadows(name, rule.patterns[position + 1 :], registry, pattern.span, out):
                untyped.add(name)
            continue
        own = fact_type(pattern.fact_type, pattern.span, registry, out)
        if own is None:
            if pattern.binding and not pattern.negated:
                untyped.add(pattern.binding)
            continue
        for condition in pattern.conditions:
            _check_condition(condition, own, bindings, params, out, untyped, unbound)
        if pattern.binding is None:
            continue
        if pattern.binding in bindings or pattern.binding in params:
            what = "binding" if pattern.binding in bindings else "param"
            out.add(
                pattern.span,
                "OSS025",
                f"`{pattern.binding}` is already a {what}",
                "choose another name for this binding",
            )
        elif not NAME.match(pattern.binding) or pattern.binding in RESERVED:
            out.add(
                pattern.span,
                "OSS026",
                f"binding name `{pattern.binding}` is not allowed",
                "use a short lower-case name such as `h` or `w`",
            )
        elif not pattern.negated:
            bindings[pattern.binding] = own
    return bindings, untyped


def _check_aggregate(
    aggregate: s.Aggregate,
    bindings: Mapping[str, FactType],
    params: Mapping[str, Any],
    registry: FactRegistry,
    out: _Collector,
    untyped: Iterable[str],
    unbound: Unbound,
) -> None:
    """The aggregate's pattern (checked like a negated one), its field and its test."""
    own = fact_type(aggregate.fact_type, aggregate.pattern.span, registry, out)
    if own is not None:
        for condition in aggregate.pattern.conditions:
            _check_condition(condition, own, bindings, params, out, untyped, unbound)
        check_field(aggregate, own, out)
    if aggregate.value is not None:
        check_names(aggregate.value, bindings, params, out, extra=untyped, unbound=unbound)


def _check_condition(
    condition: s.Compare,
    fact_type: FactType,
    bindings: Mapping[str, FactType],
    params: Mapping[str, Any],
    out: _Collector,
    untyped: Iterable[str],
    unbound: Unbound,
) -> None:
    left = own_field(condition.left, fact_type, bindings)
    right = own_field(condition.right, fact_type, bindings)
    if left is None and right is None:
        names = [*iter_names(condition.left), *iter_names(condition.right)]
        buried = [n for n in names if own_field(n, fact_type, bindings)]
        if buried:
            # The field is there, inside an expression: one diagnostic that says so,
            # not an "unknown name" that suggests the very same name.
            field = buried[0].id
            info = fact_type.field(field)
            kind = info.kind if info is not None else None
            dated = isinstance(kind.inner if isinstance(kind, Optional) else kind, Day)
            example = (
                f": `{field} <= add_months(as_of, -6)`, not `months_between({field}, as_of) >= 6`"
                if dated
                else ""
            )
            out.add(
                buried[0].span,
                "OSS031",
                f"`{field}` is a field of {fact_type.name}, but inside an expression: a "
                f"condition in {fact_type.name}(...) compares one of its fields on its own",
                f"put `{field}` alone on one side and the arithmetic on the other{example}",
            )
            return
        # A misspelt field (`categroy == "fall"`) is an unknown name, reported with the
        # field it is close to; that the condition then has no field is the same mistake.
        known = [
            check_name(name, bindings, params, out, own=fact_type, extra=untyped, unbound=unbound)
            for name in names
        ]
        if all(known):
            out.add(
                condition.span,
                "OSS031",
                f"a condition in {fact_type.name}(...) must compare one of its fields",
                "fields: " + ", ".join(fact_type.field_names),
            )
        return
    other = condition.right if left is not None else condition.left
    field_name = left if left is not None else right
    assert field_name is not None
    for name in iter_names(other):
        # Another field of the same fact (`medical_care_at > occurred_at + hours(24)`)
        # is checked in Python after durable matched the fact.
        if not own_field(name, fact_type, bindings):
            check_name(name, bindings, params, out, own=fact_type, extra=untyped, unbound=unbound)
    check_expr_parts(other, bindings, out)
    info = fact_type.field(field_name)
    assert info is not None
    if isinstance(info.kind, Many) and condition.op not in ("in", "not in"):
        out.add(
            condition.span,
            "OSS033",
            f"`{field_name}` is a list; only `x in {field_name}` can test it",
            'e.g. "OSS-II" in declared_modules',
        )
    if condition.op in ("in", "not in") and left is not None and isinstance(info.kind, Many):
        out.add(
            condition.span,
            "OSS033",
            f"`{field_name}` is a list; write `x in {field_name}`",
            "the list must be on the right of `in`",
        )
    if condition.op in ("in", "not in") and right is not None and not isinstance(info.kind, Many):
        out.add(
            condition.span,
            "OSS033",
            f"`{field_name}` is not a list, so nothing can be `in` it",
            f"to test `{field_name}` against a list, write `{field_name} in [...]`",
        )
    elif all(n.id in params and not isinstance(params[n.id], Versioned) for n in iter_names(other)):
        check_constant(condition, field_name, info.kind, other, left is not None, params, out)
