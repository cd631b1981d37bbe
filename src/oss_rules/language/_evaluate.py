"""Evaluate expressions in Python: the `then` side of rules, constant folding, explanations.

Dates add and subtract whole days through ``days(n)``; everything else is plain
Python arithmetic on the values the facts hold. A failure raises
:class:`ExpressionError`, which the engine reports with the rule and its facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from . import syntax as s


class ExpressionError(Exception):
    """An expression could not be evaluated for the values at hand."""

    def __init__(self, span: s.Span, message: str) -> None:
        self.span = span
        super().__init__(f"{span}: {message}")


def _days(n: Any) -> dt.timedelta:
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"days() takes a whole number of days, got {n!r}")
    return dt.timedelta(days=n)


def _date(text: Any) -> dt.date:
    if not isinstance(text, str):
        raise TypeError(f"date() takes a 'YYYY-MM-DD' string, got {text!r}")
    return dt.date.fromisoformat(text)


def _coalesce(*values: Any) -> Any:
    for value in values:
        if value is not None:
            return value
    return None


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def _join(separator: Any, values: Any) -> str:
    return str(separator).join(_text(v) for v in values)


FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    "days": _days,
    "date": _date,
    "coalesce": _coalesce,
    "str": _text,
    "min": min,
    "max": max,
    "len": len,
    "join": _join,
}
"""The built-in functions expressions may call."""

_ARITHMETIC: Mapping[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}

COMPARISONS: Mapping[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
    "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
}
"""Condition operators as Python predicates (null compares unequal to everything else)."""


def evaluate(expr: s.Expr, env: Mapping[str, Any]) -> Any:
    """The value of ``expr`` where names take their values from ``env``."""
    try:
        return _eval(expr, env)
    except ExpressionError:
        raise
    except Exception as error:
        raise ExpressionError(expr.span, f"{type(error).__name__}: {error}") from error


def _eval(expr: s.Expr, env: Mapping[str, Any]) -> Any:
    match expr:
        case s.Literal(value=value):
            return value
        case s.Name(id=name):
            if name not in env:
                raise ExpressionError(expr.span, f"unknown name {name!r}")
            return env[name]
        case s.Attribute(obj=obj, name=name):
            value = _eval(obj, env)
            # Only a fact's fields are reachable: no methods, no Python internals.
            fields = getattr(type(value), "__attrs_attrs__", None)
            if fields is None or name.startswith("_") or not hasattr(fields, name):
                raise ExpressionError(expr.span, f"`{name}` is not a field of {_short(value)}")
            return getattr(value, name)
        case s.Index(obj=obj, key=key):
            mapping = _eval(obj, env)
            index = _eval(key, env)
            try:
                return mapping[index]
            except (KeyError, IndexError):
                raise ExpressionError(
                    expr.span, f"{index!r} is not a key of {_short(mapping)}"
                ) from None
        case s.Call(func=func, args=args):
            return FUNCTIONS[func](*(_eval(a, env) for a in args))
        case s.BinOp(op=op, left=left, right=right):
            a, b = _eval(left, env), _eval(right, env)
            if a is None or b is None:
                raise ExpressionError(expr.span, f"cannot compute {a!r} {op} {b!r}")
            return _ARITHMETIC[op](a, b)
        case s.Neg(operand=operand):
            return -_eval(operand, env)
        case s.ListExpr(items=items):
            return tuple(_eval(i, env) for i in items)
    raise ExpressionError(expr.span, f"cannot evaluate {expr!r}")


def compare(op: str, left: Any, right: Any) -> bool:
    """Apply a condition operator; ordering against null is false, never an error."""
    if op in ("<", "<=", ">", ">=") and (left is None or right is None):
        return False
    return COMPARISONS[op](left, right)


def holds(condition: s.Compare, scope: Mapping[str, Any]) -> bool:
    """Whether ``condition`` is true with names taken from ``scope``."""
    left = evaluate(condition.left, scope)
    right = evaluate(condition.right, scope)
    try:
        return compare(condition.op, left, right)
    except TypeError as error:
        raise ExpressionError(
            condition.span, f"cannot compare {left!r} {condition.op} {right!r}"
        ) from error


def _short(value: Any) -> str:
    if isinstance(value, Mapping):
        keys = ", ".join(repr(k) for k in list(value)[:8])
        return "{" + keys + (", ..." if len(value) > 8 else "") + "}"
    return repr(value)
