"""Static types of expressions, from field kinds, param values and the built-in functions.

Every expression gets a type, or ``None`` when it cannot tell: a name that is unknown (the
loader reported it), a lookup in a mapping whose values differ in type. An expression of
unknown type yields no diagnostic, so one mistake is reported once: a misspelt field is
an unknown name, not also an operator that cannot add it.

:func:`infer` is one ``match`` over the expression nodes: a new node is one more case.
The load-time check (:mod:`._typecheck`) uses it on every condition, derivation and
effective window. What a type is, and the types of values, are in :mod:`._type`; the
built-in functions' in :mod:`._calls`.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from . import syntax as s
from ._calls import call
from ._type import (
    DATE,
    DECIMAL,
    DURATION,
    FITTING,
    FLOAT,
    INT,
    MOMENT,
    STRING,
    NullReport,
    Report,
    Scope,
    Type,
    item_of,
    of_value,
    strict,
)
from ._unparse import unparse

__all__ = ["arithmetic", "infer"]


def infer(
    expr: s.Expr, names: Scope, report: Report, null: NullReport | None = None
) -> Type | None:
    """The type of ``expr`` where each name has the type ``names`` gives it.

    Reports each sub-expression that cannot work, once, at its place; a part of unknown
    type (``None``) is not reported again by the expressions around it. With ``null``,
    also each operator or function that a null would make fail (arithmetic, dates,
    lookups: all but ``coalesce`` and ``str``), told apart from a type mistake: its value
    is never null, since evaluation stops there when one is.
    """
    match expr:
        case s.Literal(value=value):
            return of_value(value)
        case s.Name(id=name):
            return names.get(name)
        case s.Attribute(obj=obj, name=field):
            owner = infer(obj, names, report, null)
            if owner is None:
                return None
            if owner.name == "fact" and isinstance(obj, s.Name):
                return names.get(f"{obj.id}.{field}")
            report(
                expr.span,
                f"`{unparse(expr)}`: {unparse(obj)} is {owner}, which has no fields",
                "only a binding of `when` has fields: `h.workplace`",
            )
            return None
        case s.Index(obj=obj, key=key):
            container, index = infer(obj, names, report, null), infer(key, names, report, null)
            return _index(expr, container, index, report, null)
        case s.Call(args=args):
            return call(expr, [infer(a, names, report, null) for a in args], report, null)
        case s.BinOp(op=op, left=left, right=right):
            a, b = infer(left, names, report, null), infer(right, names, report, null)
            if a is None or b is None:
                return None
            result = arithmetic(op, a, b)
            if result is None:
                report(expr.span, _cannot(expr, a, b), _arithmetic_hint(op, a, b))
            else:
                strict(expr, ((left, a), (right, b)), null)
            return result
        case s.Neg(operand=operand):
            inner = infer(operand, names, report, null)
            if inner is not None and inner.family not in ("number", "duration"):
                report(expr.span, f"cannot negate `{unparse(operand)}`, {inner}", FITTING)
                return None
            strict(expr, ((operand, inner),), null)
            return None if inner is None else attrs.evolve(inner, nullable=False)
        case s.ListExpr(items=items):
            return Type("list", item_of([infer(i, names, report, null) for i in items]))
    return None


def _cannot(expr: s.BinOp, a: Type, b: Type) -> str:
    verb = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}[expr.op]
    return f"`{unparse(expr)}`: cannot {verb} {a} and {b}"


def _arithmetic_hint(op: str, a: Type, b: Type) -> str:
    """How to write what the author probably meant."""
    families = {a.family, b.family}
    if "null" in families:
        return "arithmetic with null is an error; give a value, or `coalesce(x, default)`"
    if families == {"date", "number"} and op in "+-":
        return (
            f"a date {'plus' if op == '+' else 'minus'} a number of days is written "
            f"`d {op} days(n)`; calendar months: `add_months(d, n)`"
        )
    if families == {"moment", "number"} and op in "+-":
        return f"a moment {'plus' if op == '+' else 'minus'} hours is written `m {op} hours(n)`"
    if families == {"date", "moment"}:
        return "turn one into the other first: `day(moment)` or `start_of_day(date)`"
    if op == "+" and "string" in families:
        return 'text joins text only: write `str(x)` for the other side, e.g. `"n=" + str(n)`'
    if {a.name, b.name} == {"decimal", "float"}:
        return "rule numbers are exact decimals; give the float as a decimal"
    return FITTING


def arithmetic(op: str, a: Type, b: Type) -> Type | None:
    """The type of ``a op b``; ``None`` when the operator cannot combine them. Never null:
    arithmetic with null fails (see :func:`infer`)."""
    families = (a.family, b.family)
    if families == ("number", "number"):
        names = {a.name, b.name}
        if names == {"decimal", "float"}:
            return None  # Decimal and float do not mix in Python: a TypeError at evaluation
        if "float" in names:
            return FLOAT
        if op == "/" or "decimal" in names:
            return DECIMAL
        return INT if names == {"int"} else Type("number")
    return _NON_NUMBERS.get((op, *families))


_NON_NUMBERS: Mapping[tuple[str, str, str], Type] = {
    ("+", "string", "string"): STRING,
    ("+", "date", "duration"): DATE,
    ("+", "duration", "date"): DATE,
    ("+", "duration", "duration"): DURATION,
    ("-", "date", "duration"): DATE,
    ("-", "date", "date"): DURATION,
    ("+", "moment", "duration"): MOMENT,
    ("+", "duration", "moment"): MOMENT,
    ("-", "moment", "duration"): MOMENT,
    ("-", "moment", "moment"): DURATION,
    ("-", "duration", "duration"): DURATION,
    ("*", "duration", "number"): DURATION,
    ("*", "number", "duration"): DURATION,
}


def _index(
    expr: s.Index,
    container: Type | None,
    key: Type | None,
    report: Report,
    null: NullReport | None,
) -> Type | None:
    if container is None:
        return None
    if container.name not in ("list", "mapping"):
        report(
            expr.span,
            f"`{unparse(expr)}`: {unparse(expr.obj)} is {container}, not a list or a mapping",
            "look up entries of a list or mapping param: `due_days[c.level]`, `physical[0]`",
        )
        return None
    wanted = INT if container.name == "list" else STRING
    if key is not None and key.family != wanted.family:
        report(
            expr.key.span,
            f"`{unparse(expr)}`: a {container.name} is looked up by {wanted}, not by {key}",
            "a list takes a whole number from 0; a mapping takes one of its keys (text)",
        )
        return container.item
    strict(expr, ((expr.obj, container), (expr.key, key)), null)
    return container.item
