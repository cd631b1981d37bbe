"""Where generated inputs cluster: the numbers, day counts and month counts a ruleset uses.

Off-by-one mistakes hide at the edges a rule compares with: a score of 15, a date 30
days before as_of, a date 12 calendar months before it. ``oss-rules verify`` and
``oss-rules diff --generate`` read those edges from the ruleset (its params and the
constants of its rules and properties) and draw values on them and next to them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from ..language import syntax as s
from ..language._evaluate import ExpressionError, evaluate
from ..language._versions import Versioned
from . import _declared
from ._generate import Edges
from .strategies import as_of_dates

__all__ = ["as_of_dates_for", "boundaries", "edges", "month_offsets"]

_MOST = 3660
"""The largest number kept: ten years of days; a larger number is no day count."""

_MOST_MONTHS = 1200
"""The largest month offset kept: a hundred years, so that every drawn date exists."""


def edges(
    ruleset: s.Ruleset, params: Mapping[str, Any], declared: Sequence[_declared.Property] = ()
) -> Edges:
    """The edges of ``ruleset`` with ``params`` (its rules and ``declared`` properties)."""
    patterns = [p for rule in ruleset.rules for p in rule.patterns]
    for prop in declared:
        if not isinstance(prop, _declared.Monotone):
            patterns += [*prop.when, prop.then]
    return Edges(boundaries(params, patterns), month_offsets(ruleset, params, declared))


def boundaries(params: Mapping[str, Any], patterns: Iterable[s.Pattern] = ()) -> tuple[int, ...]:
    """The whole numbers that params (and their mappings) hold and patterns compare with:
    thresholds and day counts, where generated values cluster."""
    found: set[int] = set()
    values: list[Any] = []
    for value in params.values():
        values += value.values() if isinstance(value, Mapping) else [value]
    for pattern in patterns:
        for condition in pattern.conditions:
            values += [
                e.value for e in (condition.left, condition.right) if isinstance(e, s.Literal)
            ]
    for item in values:
        if _count(item):
            found.add(item)
    return tuple(sorted(found))


def month_offsets(
    ruleset: s.Ruleset, params: Mapping[str, Any], declared: Sequence[_declared.Property] = ()
) -> tuple[int, ...]:
    """The offsets in calendar months from as_of at which rules and properties compare
    dates, signed (-12: twelve months before as_of): read from their ``add_months``.

    ``add_months(as_of, k)`` anywhere in a rule (``when``, aggregates, ``then``) or a
    property gives ``k``; ``add_months(d, k)`` of another date ``d`` gives ``k`` and
    ``-k``, since either date may be the one near as_of
    (``last_assessment <= add_months(i.occurred_at, -12)``). ``k`` may be a literal, a
    param (every version of an effective-dated one) or arithmetic on them; a count that
    depends on a fact is no constant and is left out. ``months_between`` needs no edges
    of its own: a condition compares it with a field, never with a constant.
    """
    found: set[int] = set()
    for expr in _expressions(ruleset, declared):
        for node in _walk(expr):
            if isinstance(node, s.Call) and node.func == "add_months" and len(node.args) == 2:
                start, count = node.args
                signs = (1,) if _reads_as_of(start) else (1, -1)
                found.update(k * sign for k in _constants(count, params) for sign in signs)
    return tuple(sorted(m for m in found if m and abs(m) <= _MOST_MONTHS))


def _reads_as_of(expr: s.Expr) -> bool:
    return any(name.id == "as_of" for name in s.iter_names(expr))


def as_of_dates_for(edges: Edges) -> st.SearchStrategy[dt.date]:
    """Evaluation dates for a ruleset with ``edges``: :func:`strategies.as_of_dates`, and
    as often the last day of a month when the ruleset counts months, where ``add_months``
    clamps (2026-03-31 - 1 month = 2026-02-28) and month arithmetic goes wrong."""
    dates = as_of_dates()
    return dates | dates.map(_month_end) if edges.months else dates


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= _MOST


def _expressions(ruleset: s.Ruleset, declared: Sequence[_declared.Property]) -> Iterator[s.Expr]:
    """Every side of a condition, aggregate test and derived field of the rules, and every
    side of a condition of the ``always``/``never`` properties."""
    patterns: list[s.Pattern] = []
    for rule in ruleset.rules:
        patterns += rule.patterns
        for item in rule.when:
            if isinstance(item, s.Aggregate) and item.value is not None:
                yield item.value
        for derivation in rule.then:
            yield from (a.value for a in derivation.assignments)
            if derivation.loop_over is not None:
                yield derivation.loop_over
    for prop in declared:
        if not isinstance(prop, _declared.Monotone):
            patterns += [*prop.when, prop.then]
    for pattern in patterns:
        for condition in pattern.conditions:
            yield from (condition.left, condition.right)


def _walk(node: s.Expr) -> Iterator[s.Expr]:
    """``node`` and every expression inside it."""
    yield node
    match node:
        case s.BinOp(left=left, right=right):
            yield from _walk(left)
            yield from _walk(right)
        case s.Attribute(obj=obj):
            yield from _walk(obj)
        case s.Index(obj=obj, key=key):
            yield from _walk(obj)
            yield from _walk(key)
        case s.Call(args=items) | s.ListExpr(items=items):
            for item in items:
                yield from _walk(item)
        case s.Neg(operand=operand):
            yield from _walk(operand)


def _constants(expr: s.Expr, params: Mapping[str, Any]) -> list[int]:
    """The whole numbers ``expr`` can be with ``params`` (one per combination of versions
    of the effective-dated params it names; the items of a list); none if it reads a fact."""
    names = sorted({n.id for n in s.iter_names(expr)})
    if any(name not in params for name in names):
        return []
    choices = [
        [v.value for v in params[n].versions] if isinstance(params[n], Versioned) else [params[n]]
        for n in names
    ]
    found: list[int] = []
    for combination in itertools.product(*choices):
        try:
            value = evaluate(expr, dict(zip(names, combination, strict=True)))
        except ExpressionError:
            continue
        items = value if isinstance(value, list | tuple) else [value]
        found += [n for n in items if isinstance(n, int) and not isinstance(n, bool)]
    return found
