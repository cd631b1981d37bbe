"""Aggregates: which fields they may combine, and the value they compute over the facts.

``count`` counts the facts that meet the aggregate's pattern; ``sum``, ``min`` and
``max`` combine one field of them. A fact whose field is null adds nothing, and is not
among the facts the aggregate used. The facts are taken in canonical order (the order of
results), so a proof lists them the same way on every backend and a sum of floats does
not depend on the order the facts arrived in. ``sum`` of no facts is zero in the field's
type (``Decimal("0")`` for a number field, so money stays exact); ``min`` and ``max`` of
no facts have no value, and the rule does not hold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from ..model._fields import Boolean, Integer, Kind, Many, Number, Optional, show_value
from . import syntax as s
from ._closures import ExpressionError
from ._unparse import literal

__all__ = [
    "NO_VALUE",
    "Folded",
    "describe",
    "field_problem",
    "fold",
    "premises",
    "zero",
]

NO_VALUE = object()
"""The value of ``min`` or ``max`` over no facts: the rule does not hold."""

Folded = tuple[Any, tuple[Any, ...]]
"""An aggregate's value (or :data:`NO_VALUE`) and the facts it used, in canonical order."""


def _plain(kind: Kind) -> Kind:
    return kind.inner if isinstance(kind, Optional) else kind


def field_problem(function: str, kind: Kind) -> str | None:
    """Why ``function`` cannot combine a field of ``kind``, or None when it can."""
    inner = _plain(kind)
    if isinstance(inner, Many):
        return f"{function}() cannot combine a list field"
    if function == "sum" and not isinstance(inner, Integer | Number):
        return f"sum() adds numbers, and this field holds {inner.expected}"
    if isinstance(inner, Boolean):
        return f"{function}() cannot order true and false"
    return None


def zero(kind: Kind | None) -> Any:
    """``sum`` of no facts: 0 for an int field, an exact ``Decimal`` 0 for a number field."""
    return Decimal(0) if kind is not None and isinstance(_plain(kind), Number) else 0


def fold(
    aggregate: s.Aggregate,
    facts: Sequence[Any],
    key: Callable[[Any], Any],
    empty: Any,
) -> Folded:
    """The value of ``aggregate`` over ``facts`` (those that meet its pattern).

    ``key`` gives the canonical order of facts, ``empty`` the sum of none (see
    :func:`zero`). Values that cannot be added or ordered raise :class:`ExpressionError`.
    """
    ordered = sorted(facts, key=key)
    if aggregate.function == "count":
        return len(ordered), tuple(ordered)
    field = aggregate.field
    assert field is not None, "checked at load time"
    used = tuple(f for f in ordered if getattr(f, field) is not None)
    values = [getattr(f, field) for f in used]
    try:
        if aggregate.function == "sum":
            if any(isinstance(v, Decimal) for v in values):
                # A float (from Python code) joins exact money at its shortest text, as
                # a JSON number would: never the other way round.
                values = [Decimal(repr(v)) if isinstance(v, float) else v for v in values]
            if not values:
                return empty, used
            total = values[0]
            for value in values[1:]:
                total = total + value
            return total, used
        if not values:
            return NO_VALUE, used
        return (min if aggregate.function == "min" else max)(values), used
    except TypeError as error:
        shown = ", ".join(show_value(v) for v in values[:5])
        raise ExpressionError(
            aggregate.span, f"{aggregate.function}() cannot combine {shown}: {error}"
        ) from None


def premises(matched: tuple[Any, ...], used: tuple[Any, ...]) -> tuple[Any, ...]:
    """The premises of a firing: the facts its patterns matched, then each other fact its
    aggregates used, once."""
    if not used:
        return matched
    return tuple(dict.fromkeys(matched + used))


def describe(aggregate: s.Aggregate, conditions: Sequence[tuple[str, Any]], value: Any) -> str:
    """``count(Hazard(workplace == "w1")) = 3``: the aggregate as a proof shows it, with
    each condition's head (``"field op "``) and the value it was compared with rendered."""
    inner = ", ".join(head + literal(v) for head, v in conditions)
    field = f".{aggregate.field}" if aggregate.field else ""
    return f"{aggregate.function}({aggregate.fact_type}({inner}){field}) = {literal(value)}"
