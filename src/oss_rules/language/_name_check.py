"""Name resolution in a rule: which names a pattern, an aggregate or a `then` may use.

A name is a field of the pattern's own fact, an earlier binding, a param or ``as_of``;
an attribute must be a field of its binding's fact type and a call a known function. The
checks of :mod:`._when_check` and :mod:`._then_check` both resolve their names here.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from typing import Any

import attrs

from ..errors import suggest
from ..model.registry import FactRegistry, FactType
from . import syntax as s
from ._evaluate import FUNCTIONS
from ._positions import _Collector
from .syntax import iter_names

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
"""The shape of a param's or a binding's name."""

RESERVED = frozenset({"as_of", "not", "true", "false", "null", "in", "for", "or"})
"""Words of the language that no param or binding may be called."""


@attrs.frozen
class Unbound:
    """The names that other alternatives of ``rule`` bind, so that using one where this
    alternative does not bind it gets its own diagnostic (OSS029) rather than OSS034."""

    rule: s.Rule
    names: frozenset[str]

    def report(self, name: s.Name, out: _Collector) -> bool:
        """Report ``name`` if another alternative binds it; whether it did."""
        if name.id not in self.names or self.rule.alternative is None:
            return False
        out.add(
            name.span,
            "OSS029",
            f"`{name.id}` is not bound in {self.rule.alternative} of rule `{self.rule.id}`",
            f"a name used after an `or` (in a later pattern or in `then`) must be bound in "
            f"every alternative: bind `{name.id}` in each, or use it only inside the "
            "alternatives that bind it",
        )
        return True


def fact_type(name: str, span: s.Span, registry: FactRegistry, out: _Collector) -> FactType | None:
    """The fact type called ``name``, or None after reporting it unknown (OSS030)."""
    if name in registry:
        return registry[name]
    out.add(
        span,
        "OSS030",
        f"unknown fact type `{name}`{suggest(name, registry.names())}",
        "known types: " + ", ".join(registry.names()),
    )
    return None


def own_field(expr: s.Expr, fact_type: FactType, bound: Container[str]) -> str | None:
    """The field of the pattern's own fact that ``expr`` names: a bare name that is no
    binding (``bound``) and is a field of ``fact_type``; else None."""
    if isinstance(expr, s.Name) and expr.id not in bound and fact_type.field(expr.id):
        return expr.id
    return None


def check_name(
    name: s.Name,
    bindings: Mapping[str, FactType],
    params: Mapping[str, Any],
    out: _Collector,
    *,
    own: FactType | None = None,
    extra: Iterable[str] = (),
    unbound: Unbound | None = None,
) -> bool:
    """Whether ``name`` is known; if not, report it (with the closest known name, or as
    bound only in another alternative)."""
    known = {*bindings, *params, "as_of", *extra}
    if name.id in known:
        return True
    if unbound is not None and unbound.report(name, out):
        return False
    candidates = known | set(own.field_names if own else ())
    out.add(
        name.span,
        "OSS034",
        f"unknown name `{name.id}`{suggest(name.id, candidates)}",
        "a name is a field of this pattern's fact, an earlier binding, a param or as_of",
    )
    return False


def check_names(
    expr: s.Expr,
    bindings: Mapping[str, FactType],
    params: Mapping[str, Any],
    out: _Collector,
    *,
    extra: Iterable[str] = (),
    unbound: Unbound | None = None,
) -> None:
    """Resolve every name of ``expr`` (:func:`check_name`), then its attributes and
    calls (:func:`check_expr_parts`)."""
    for name in iter_names(expr):
        check_name(name, bindings, params, out, extra=extra, unbound=unbound)
    check_expr_parts(expr, bindings, out)


def check_expr_parts(expr: s.Expr, bindings: Mapping[str, FactType], out: _Collector) -> None:
    """Check attribute accesses on bindings and function names inside ``expr``."""
    match expr:
        case s.Attribute(obj=s.Name(id=binding), name=name) if binding in bindings:
            fact_type = bindings[binding]
            if fact_type.field(name) is None:
                out.add(
                    expr.span,
                    "OSS035",
                    f"{fact_type.name} has no field `{name}`{suggest(name, fact_type.field_names)}",
                    f"`{binding}` is a {fact_type.name}; fields: "
                    + ", ".join(fact_type.field_names),
                )
        case s.Call(func=func, args=args):
            if func not in FUNCTIONS:
                out.add(
                    expr.span,
                    "OSS036",
                    f"unknown function `{func}`{suggest(func, FUNCTIONS)}",
                    "functions: " + ", ".join(FUNCTIONS),
                )
            elif func == "in_force" and (len(args) != 2 or not isinstance(args[0], s.Name)):
                out.add(
                    expr.span,
                    "OSS036",
                    "in_force() takes the name of an effective-dated param and a date",
                    "e.g. in_force(jp_wage_cap, p.month)",
                )
            for arg in args:
                check_expr_parts(arg, bindings, out)
        case s.Attribute(obj=obj):
            check_expr_parts(obj, bindings, out)
        case s.Index(obj=obj, key=key):
            check_expr_parts(obj, bindings, out)
            check_expr_parts(key, bindings, out)
        case s.BinOp(left=left, right=right):
            check_expr_parts(left, bindings, out)
            check_expr_parts(right, bindings, out)
        case s.Neg(operand=operand):
            check_expr_parts(operand, bindings, out)
        case s.ListExpr(items=items):
            for item in items:
                check_expr_parts(item, bindings, out)
