"""Evaluate expressions in Python: the `then` side of rules, constant folding, explanations.

Dates add and subtract whole days through ``days(n)`` and calendar months through
``add_months``; moments (local date-times) add ``hours(n)``. Numbers are ints or exact
Decimals: a literal with a decimal point is a Decimal and ``/`` divides exactly (to 28
significant digits), so money never passes through a float; ``round`` is the one rounding
rule (half away from zero, to a whole number). A failure raises
:class:`ExpressionError`, which the engine reports with the rule and its facts.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from ..model._fields import show_value
from . import syntax as s
from ._versions import VERSIONS, NotInForce, Versioned


class ExpressionError(Exception):
    """An expression could not be evaluated for the values at hand."""

    def __init__(self, span: s.Span, message: str) -> None:
        self.span = span
        super().__init__(f"{span}: {message}")


def _days(n: Any) -> dt.timedelta:
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"days() takes a whole number of days, got {show_value(n)}")
    return dt.timedelta(days=n)


def _whole(name: str, n: Any, what: str) -> int:
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"{name}() takes {what}, got {show_value(n)}")
    return n


def _day_of(name: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{name}() takes a date, got {show_value(value)}")
    return value


def _add_months(day: Any, n: Any) -> dt.date:
    """``day`` moved by ``n`` calendar months; a day the month lacks clamps to its last
    day (2025-08-31 + 6 months = 2026-02-28)."""
    start = _day_of("add_months", day)
    count = _whole("add_months", n, "a whole number of months")
    index = start.year * 12 + (start.month - 1) + count
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


def _months_between(start: Any, end: Any) -> int:
    """Whole calendar months from ``start`` to ``end``, counted like an age (floor);
    negative when ``end`` is earlier."""
    a, b = _day_of("months_between", start), _day_of("months_between", end)
    if b < a:
        return -_months_between(b, a)
    months = (b.year - a.year) * 12 + (b.month - a.month)
    return months if _add_months(a, months) <= b else months - 1


def _hours(n: Any) -> dt.timedelta:
    return dt.timedelta(hours=_whole("hours", n, "a whole number of hours"))


def _start_of_day(day: Any) -> dt.datetime:
    start = _day_of("start_of_day", day)
    return dt.datetime(start.year, start.month, start.day)


def _day(moment: Any) -> dt.date:
    if not isinstance(moment, dt.datetime):
        raise TypeError(f"day() takes a moment (date and time), got {show_value(moment)}")
    return moment.date()


def _month(day: Any) -> dt.date:
    if isinstance(day, dt.datetime):
        day = day.date()
    return _day_of("month", day).replace(day=1)


def _number(name: str, x: Any) -> Decimal:
    if isinstance(x, bool) or not isinstance(x, int | Decimal | float):
        raise TypeError(f"{name}() takes a number, got {show_value(x)}")
    return x if isinstance(x, Decimal) else Decimal(x) if isinstance(x, int) else Decimal(repr(x))


def _round(x: Any) -> int:
    """Half away from zero to a whole number: 0.5 -> 1, 2.5 -> 3, -0.5 -> -1."""
    return int(_number("round", x).to_integral_value(rounding=ROUND_HALF_UP))


def _ceil(x: Any) -> int:
    return int(_number("ceil", x).to_integral_value(rounding=ROUND_CEILING))


def _floor(x: Any) -> int:
    return int(_number("floor", x).to_integral_value(rounding=ROUND_FLOOR))


def _in_force(*_: Any) -> Any:
    raise TypeError("in_force() takes the name of an effective-dated param and a date")


def _date(text: Any) -> dt.date:
    if not isinstance(text, str):
        raise TypeError(f"date() takes a 'YYYY-MM-DD' string, got {show_value(text)}")
    return dt.date.fromisoformat(text)


def _coalesce(*values: Any) -> Any:
    for value in values:
        if value is not None:
            return value
    return None


def _text(value: Any) -> str:
    if isinstance(value, dt.date | Decimal | float):
        return show_value(value)
    if isinstance(value, dt.timedelta):
        # Hours, minutes, seconds: "48:00:00" reads better than "2 days, 0:00:00".
        seconds = int(value.total_seconds())
        sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
        return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
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
    "add_months": _add_months,
    "months_between": _months_between,
    "hours": _hours,
    "start_of_day": _start_of_day,
    "day": _day,
    "month": _month,
    "round": _round,
    "ceil": _ceil,
    "floor": _floor,
    "in_force": _in_force,
}
"""The built-in functions expressions may call."""

_ARITHMETIC: Mapping[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: _divide(a, b),
}


def _divide(a: Any, b: Any) -> Any:
    if isinstance(a, float) or isinstance(b, float) or not isinstance(a, int | Decimal):
        return a / b
    if not isinstance(b, int | Decimal):
        return a / b
    if b == 0:
        raise ZeroDivisionError("division by zero")
    # Exact decimal division: 1 / 3 is Decimal('0.3333333333333333333333333333'), never a float.
    return Decimal(a) / Decimal(b)


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
            value = env[name]
            if isinstance(value, NotInForce):
                raise ExpressionError(expr.span, _not_in_force(value.param, value.day))
            return value
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
                    expr.span, f"{show_value(index)} is not a key of {_short(mapping)}"
                ) from None
        case s.Call(func="in_force", args=args):
            return _eval_in_force(expr, args, env)
        case s.Call(func=func, args=args):
            return FUNCTIONS[func](*(_eval(a, env) for a in args))
        case s.BinOp(op=op, left=left, right=right):
            a, b = _eval(left, env), _eval(right, env)
            if a is None or b is None:
                raise ExpressionError(
                    expr.span, f"cannot compute {show_value(a)} {op} {show_value(b)}"
                )
            return _ARITHMETIC[op](a, b)
        case s.Neg(operand=operand):
            return -_eval(operand, env)
        case s.ListExpr(items=items):
            return tuple(_eval(i, env) for i in items)
    raise ExpressionError(expr.span, f"cannot evaluate {expr!r}")


def _eval_in_force(expr: s.Expr, args: tuple[s.Expr, ...], env: Mapping[str, Any]) -> Any:
    versioned: Mapping[str, Versioned] = env.get(VERSIONS, {})
    if len(args) != 2 or not isinstance(args[0], s.Name) or args[0].id not in env:
        raise ExpressionError(
            expr.span, "in_force() takes the name of an effective-dated param and a date"
        )
    day = _eval(args[1], env)
    if not isinstance(day, dt.date):
        raise ExpressionError(expr.span, f"in_force() takes a date, got {show_value(day)}")
    if args[0].id not in versioned:
        # A param without versions (or overridden by one value) is in force on every date.
        return env[args[0].id]
    try:
        return versioned[args[0].id].at(day)
    except LookupError as error:
        raise ExpressionError(expr.span, str(error)) from None


def _not_in_force(param: Versioned, day: dt.date) -> str:
    periods = ", ".join(str(v) for v in param.versions)
    return (
        f"param `{param.name}` has no version in force on as_of {day.isoformat()} "
        f"(versions: {periods}); add a version that covers it"
    )


def compare(op: str, left: Any, right: Any) -> bool:
    """Apply a condition operator; ordering against null is false, never an error."""
    if op in ("<", "<=", ">", ">=") and (left is None or right is None):
        return False
    return COMPARISONS[op](left, right)


def holds(condition: s.Compare, scope: Mapping[str, Any]) -> bool:
    """Whether ``condition`` is true with names taken from ``scope``."""
    left = evaluate(condition.left, scope)
    right = evaluate(condition.right, scope)
    if left is None and right is None and condition.op in ("==", "!=") and joins(condition):
        # A join never matches on null: two undated hazards were not found on the same
        # day. durable-rules, which evaluates equality joins, behaves the same way.
        return condition.op == "!="
    try:
        return compare(condition.op, left, right)
    except TypeError as error:
        raise ExpressionError(
            condition.span, f"cannot compare {show_value(left)} {condition.op} {show_value(right)}"
        ) from error


def joins(condition: s.Compare) -> bool:
    """Whether ``condition`` compares with another fact's field (``h.identified_on``)."""
    return any(_has_attribute(side) for side in (condition.left, condition.right))


def _has_attribute(expr: s.Expr) -> bool:
    match expr:
        case s.Attribute():
            return True
        case s.Index(obj=obj, key=key):
            return _has_attribute(obj) or _has_attribute(key)
        case s.Call(args=args) | s.ListExpr(items=args):
            return any(_has_attribute(a) for a in args)
        case s.BinOp(left=left, right=right):
            return _has_attribute(left) or _has_attribute(right)
        case s.Neg(operand=operand):
            return _has_attribute(operand)
    return False


def _short(value: Any) -> str:
    if isinstance(value, Mapping):
        keys = ", ".join(show_value(k) for k in list(value)[:8])
        return "{" + keys + (", ..." if len(value) > 8 else "") + "}"
    return show_value(value)
