"""Evaluate expressions in Python: the `then` side of rules, constant folding, explanations.

The evaluation itself is compiled to closures in :mod:`oss_rules.language._closures`;
this module holds the built-in functions and operators and the entry points.

Dates add and subtract whole days through ``days(n)`` and calendar months through
``add_months``, and ``days_between``/``months_between`` count them; moments (local
date-times) add ``hours(n)``. Numbers are ints or exact
Decimals: a literal with a decimal point is a Decimal and ``/`` divides exactly (to 28
significant digits), so money never passes through a float; ``round`` is the one rounding
rule (half away from zero, to a whole number). A failure raises
:class:`ExpressionError`, which the engine reports with the rule and its facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from ..model._fields import show_value
from ..model._kinds import Moment
from . import syntax as s
from ._closures import (
    SELF,
    Check,
    Evaluator,
    ExpressionError,
    compile_condition,
    compile_expression,
)

__all__ = [
    "COMPARISONS",
    "FUNCTIONS",
    "SELF",
    "Check",
    "Evaluator",
    "ExpressionError",
    "compare",
    "condition_check",
    "evaluate",
    "expression",
    "holds",
    "joins",
]


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
    """``day`` (a date or a moment) moved by ``n`` calendar months; a day the month lacks
    clamps to its last day (2025-08-31 + 6 months = 2026-02-28); a moment keeps its time."""
    start = _day_or_moment("add_months", day)
    count = _whole("add_months", n, "a whole number of months")
    index = start.year * 12 + (start.month - 1) + count
    year, month = divmod(index, 12)
    last = _days_in_month(year, month + 1)
    return start.replace(year=year, month=month + 1, day=min(start.day, last))


def _days_in_month(year: int, month: int) -> int:
    # Not calendar.monthrange: importing calendar imports locale, a tenth of start-up.
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return (following - dt.date(year, month, 1)).days


def _day_or_moment(name: str, value: Any) -> dt.date:
    if not isinstance(value, dt.date):
        raise TypeError(f"{name}() takes a date or a moment, got {show_value(value)}")
    return value


def _pair(name: str, start: Any, end: Any) -> tuple[dt.date, dt.date]:
    """Two dates, or two moments: a date and a moment are not on one scale (docs: Moments)."""
    a, b = _day_or_moment(name, start), _day_or_moment(name, end)
    if isinstance(a, dt.datetime) != isinstance(b, dt.datetime):
        raise TypeError(
            f"{name}() takes two dates or two moments, got {show_value(a)} and {show_value(b)}"
        )
    return a, b


def _months_between(start: Any, end: Any) -> int:
    """The largest ``n`` with ``add_months(start, n) <= end``: whole calendar months from
    ``start`` to ``end``, rounded down (negative when ``end`` is earlier)."""
    a, b = _pair("months_between", start, end)
    months = (b.year - a.year) * 12 + (b.month - a.month)
    # add_months(a, months) falls in b's month, so at most one month too far.
    return months if _add_months(a, months) <= b else months - 1


def _days_between(start: Any, end: Any) -> int:
    """The largest ``n`` with ``start + days(n) <= end``: whole days from ``start`` to
    ``end`` (for moments, whole 24-hour days, rounded down; negative when ``end`` is earlier)."""
    a, b = _pair("days_between", start, end)
    return (b - a) // dt.timedelta(days=1)


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


def _moment(text: Any) -> dt.datetime:
    # The input's reading of a moment (proofs write moments as moment("...")); like date(),
    # any day of the calendar, not only those input facts may hold.
    value = _MOMENT.from_json(text) if isinstance(text, str) else text
    if not isinstance(value, dt.datetime):
        raise TypeError(f"moment() takes a 'YYYY-MM-DDTHH:MM[:SS]' string, got {show_value(text)}")
    return value


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


_MOMENT = Moment()

FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    "days": _days,
    "date": _date,
    "moment": _moment,
    "coalesce": _coalesce,
    "str": _text,
    "min": min,
    "max": max,
    "len": len,
    "join": _join,
    "add_months": _add_months,
    "months_between": _months_between,
    "days_between": _days_between,
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
    return _compiled(expr)(env)


def holds(condition: s.Compare, scope: Mapping[str, Any]) -> bool:
    """Whether ``condition`` is true with names taken from ``scope``."""
    check: Check = _compiled(condition)
    return check(scope)


def compare(op: str, left: Any, right: Any) -> bool:
    """Apply a condition operator; ordering against null is false, never an error."""
    if op in ("<", "<=", ">", ">=") and (left is None or right is None):
        return False
    return COMPARISONS[op](left, right)


def expression(expr: s.Expr, own: Collection[str] = ()) -> Evaluator:
    """``expr`` compiled once, for a caller that evaluates it many times; ``own`` names
    the fields read from the fact under :data:`SELF` (see :mod:`._closures`)."""
    return compile_expression(expr, FUNCTIONS, own)


def condition_check(condition: s.Compare, own: Collection[str] = ()) -> Check:
    """``condition`` compiled once (see :func:`expression`)."""
    return compile_condition(condition, FUNCTIONS, COMPARISONS, joins(condition), own)


# Callers that evaluate a node now and then (the oracle, why-not, constant folding) get
# its closure from here. Keyed by identity, not equality: equal nodes at different places
# must report their own positions. The node is kept alive with its closure, so its id is
# not reused while the entry exists; the cache is cleared when it grows large.
_CACHE: dict[int, tuple[Any, Any]] = {}
_CACHE_SIZE = 8192


def _compiled(node: Any) -> Any:
    entry = _CACHE.get(id(node))
    if entry is not None and entry[0] is node:
        return entry[1]
    if isinstance(node, s.Compare):
        compiled: Any = condition_check(node)
    else:
        compiled = expression(node)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[id(node)] = (node, compiled)
    return compiled


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
