"""The types of the built-in functions' values, and the calls they cannot take.

Each function lists how many arguments it takes, what each may be and the type of its
value; all but ``str``, ``coalesce`` and a few arguments (``_TAKES_NULL``) fail on a
null, so their values are never null.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import attrs

from . import syntax as s
from ._type import (
    DATE,
    DURATION,
    FITTING,
    INT,
    MOMENT,
    NULL,
    STRING,
    NullReport,
    Report,
    Type,
    common,
    strict,
)
from ._unparse import unparse

__all__ = ["call"]


# name: (how many arguments (None: one or more), what each takes (families joined by `|`,
# `whole` for an int, "" for anything), what they are in words, the result or its rule)
_Result = Type | Callable[[Sequence[Type | None]], Type | None] | None


def _first(args: Sequence[Type | None]) -> Type | None:
    return args[0] if args else None


def _smallest(args: Sequence[Type | None]) -> Type | None:
    if len(args) == 1 and args[0] is not None and args[0].name == "list":
        return args[0].item
    smallest = common(args)
    # Python's min and max fail on a null: the value is never null.
    return None if smallest is None else attrs.evolve(smallest, nullable=False)


def _months_added(args: Sequence[Type | None]) -> Type | None:
    start = args[0] if args else None
    return MOMENT if start is not None and start.family == "moment" else DATE


def _coalesced(args: Sequence[Type | None]) -> Type | None:
    kind = common(args)
    # The first non-null argument wins: the value is null only if every argument may be.
    if kind is None or kind == NULL:
        return kind
    never_null = any(a is not None and a.name != "null" and not a.nullable for a in args)
    return attrs.evolve(kind, nullable=not never_null)


_FUNCTIONS: Mapping[str, tuple[int | None, tuple[str, ...], str, _Result]] = {
    "days": (1, ("whole",), "a whole number of days", DURATION),
    "hours": (1, ("whole",), "a whole number of hours", DURATION),
    "date": (1, ("string",), 'a "YYYY-MM-DD" string', DATE),
    "moment": (1, ("string",), 'a "YYYY-MM-DDTHH:MM[:SS]" string', MOMENT),
    "add_months": (
        2,
        ("date|moment", "whole"),
        "a date or a moment and a whole number of months",
        _months_added,
    ),
    "months_between": (2, ("date|moment", "date|moment"), "two dates or two moments", INT),
    "days_between": (2, ("date|moment", "date|moment"), "two dates or two moments", INT),
    "start_of_day": (1, ("date",), "a date", MOMENT),
    "day": (1, ("moment",), "a moment (date and time)", DATE),
    "month": (1, ("date|moment",), "a date", DATE),
    "round": (1, ("number",), "a number", INT),
    "ceil": (1, ("number",), "a number", INT),
    "floor": (1, ("number",), "a number", INT),
    "str": (1, ("",), "one value", STRING),
    "len": (1, ("list|string",), "a list or text", INT),
    "join": (2, ("", "list"), "a separator and a list", STRING),
    "in_force": (2, ("", "date"), "an effective-dated param and a date", _first),
    "coalesce": (None, (), "values", _coalesced),
    "min": (None, (), "values", _smallest),
    "max": (None, (), "values", _smallest),
}


def _fits(arg: Type, takes: str) -> bool:
    """Whether ``arg`` is one of ``takes``: families joined by ``|``; ``whole`` is an int
    (or a number that may be one)."""
    if takes == "whole":
        return arg.name in ("int", "number")
    return arg.family in takes.split("|")


# Where a null argument is no error: anything `str` shows, the values `coalesce` skips,
# `join`'s separator (shown like `str`) and `in_force`'s param (a name, not a value).
_TAKES_NULL: Mapping[str, frozenset[int]] = {
    "str": frozenset({0}),
    "join": frozenset({0}),
    "in_force": frozenset({0}),
}


def call(
    expr: s.Call, args: list[Type | None], report: Report, null: NullReport | None = None
) -> Type | None:
    spec = _FUNCTIONS.get(expr.func)
    if spec is None:
        return None  # an unknown function: the loader reported it
    if expr.func == "in_force" and (len(args) != 2 or not isinstance(expr.args[0], s.Name)):
        return None  # the loader reported it (OSS036)
    count, takes, what, result = spec
    usage = f"{expr.func}() takes {what}"
    if (count is not None and len(args) != count) or (count is None and not args):
        given = f"{len(args)} argument{'s' if len(args) != 1 else ''}"
        report(expr.span, f"`{unparse(expr)}`: {usage}, not {given}", FITTING)
        return None
    for arg, node, family in zip(args, expr.args, takes, strict=False):
        if arg is not None and family and not _fits(arg, family):
            hint = FITTING
            if family == "whole" and arg.family == "number":
                hint = f"round it first: `{expr.func}(round(x))`"
            report(node.span, f"`{unparse(expr)}`: {usage}, not {arg}", hint)
            return None
    if expr.func.endswith("_between"):
        known = [a for a in args if a is not None]
        if len(known) == 2 and known[0].family != known[1].family:
            report(
                expr.span,
                f"`{unparse(expr)}`: {usage}, not {known[0]} and {known[1]}",
                "turn one into the other first: `day(moment)` or `start_of_day(date)`",
            )
            return None
    if expr.func != "coalesce":
        tolerated = _TAKES_NULL.get(expr.func, frozenset())
        parts = [
            (n, a)
            for i, (n, a) in enumerate(zip(expr.args, args, strict=True))
            if i not in tolerated
        ]
        strict(expr, parts, null)
    return result(args) if callable(result) else result
