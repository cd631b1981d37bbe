"""Sample the values a field can hold, so that comparisons with constants can be decided.

A comparison of a field with a constant changes its truth only at that constant. So the
constants themselves, a value on each side of each, the bounds of the field's kind and
(for a small range) every value in it decide every condition on the field: if no sampled
value meets some conditions, no value does. Decision tables (gaps, overlaps, the
complements of ``first`` rows) and dead-pattern checks rest on this.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..model._fields import (
    Boolean,
    Choice,
    Day,
    Integer,
    Kind,
    Moment,
    Month,
    Number,
    Optional,
    Text,
)
from . import syntax as s
from ._evaluate import ExpressionError, compare, evaluate
from .syntax import iter_names

ENUMERATE_UP_TO = 64
"""An int field whose whole range is at most this wide is sampled value by value."""


class _Unknown:
    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN: Any = _Unknown()
"""What :func:`constant_value` returns for an expression that depends on facts or as_of."""


def constant_value(expr: s.Expr, env: Mapping[str, Any] | None = None) -> Any:
    """The value of ``expr`` if it uses only names of ``env`` (default: none), else UNKNOWN."""
    names = env or {}
    if any(n.id not in names for n in iter_names(expr)):
        return UNKNOWN
    try:
        return evaluate(expr, names)
    except ExpressionError:
        return UNKNOWN


def meets(op: str, value: Any, other: Any) -> bool:
    """Whether a field holding ``value`` meets ``field op other`` (a bad comparison: no)."""
    try:
        return compare(op, value, other)
    except TypeError:
        return False


def satisfiable(kind: Kind, tests: Sequence[tuple[str, Any]]) -> bool:
    """Whether some value of ``kind`` meets every ``(op, constant)`` test."""
    points = sample(kind, (value for _, value in tests))
    if points is None:
        return True
    return any(all(meets(op, p, value) for op, value in tests) for p in points)


def sample(kind: Kind, constants: Iterable[Any]) -> list[Any] | None:
    """Values of ``kind`` that decide every comparison with ``constants``; None if unknown."""
    flat = list(_flatten(constants))
    if isinstance(kind, Optional):
        inner = sample(kind.inner, flat)
        return None if inner is None else [None, *inner]
    if isinstance(kind, Choice):
        return list(kind.values)
    if isinstance(kind, Boolean):
        return [False, True]
    numbers = [c for c in flat if isinstance(c, int | float | Decimal) and not isinstance(c, bool)]
    if isinstance(kind, Integer):
        return _integers(kind.minimum, kind.maximum, numbers)
    if isinstance(kind, Number):
        return _reals(numbers)
    if isinstance(kind, Moment | Month):
        return None  # not sampled: gap and overlap analysis treats such columns as unknown
    if isinstance(kind, Day):
        days = [c.toordinal() for c in flat if isinstance(c, dt.date)]
        ordinals = _integers(1, dt.date.max.toordinal(), days, enumerate_small=False)
        return [dt.date.fromordinal(n) for n in ordinals]
    if isinstance(kind, Text):
        texts = sorted({c for c in flat if isinstance(c, str) and kind.check(c)})
        return [*texts, _fresh(texts)]
    return None


def _flatten(values: Iterable[Any]) -> Iterable[Any]:
    for value in values:
        if isinstance(value, list | tuple):
            yield from value
        else:
            yield value


def _integers(
    low: int | None,
    high: int | None,
    numbers: Sequence[float | Decimal],
    *,
    enumerate_small: bool = True,
) -> list[int]:
    if enumerate_small and low is not None and high is not None and high - low <= ENUMERATE_UP_TO:
        return list(range(low, high + 1))
    points: set[int] = set()
    for n in numbers:
        for whole in {math.floor(n), math.ceil(n)}:
            points |= {whole - 1, whole, whole + 1}
    points |= {b for b in (low, high) if b is not None}
    if not points:
        points = {0}
    return sorted(p for p in points if (low is None or p >= low) and (high is None or p <= high))


def _reals(numbers: Sequence[float | Decimal]) -> list[Decimal]:
    # Exact midpoints: a float midpoint of two decimals could fall on either side.
    ordered = sorted({n if isinstance(n, Decimal) else Decimal(repr(n)) for n in numbers})
    if not ordered:
        return [Decimal(0)]
    between = [(a + b) / 2 for a, b in itertools.pairwise(ordered)]
    return sorted({ordered[0] - 1, *ordered, *between, ordered[-1] + 1})


def _fresh(taken: Sequence[str]) -> str:
    """A text value equal to none of ``taken``: stands for every other value."""
    candidate, n = "x", 0
    while candidate in taken:
        n += 1
        candidate = f"x{n}"
    return candidate
