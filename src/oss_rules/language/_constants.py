"""A field compared with a constant: the constant must be a value the field can hold.

Runs at load time (OSS037, OSS038): a misspelt choice, a date compared with a number or
a never-null field compared with null can never match, so the ruleset does not load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from typing import Any

from ..errors import Diagnostic
from ..model._fields import Boolean, Day, Integer, Kind, Many, Moment, Month, Number, Optional
from ..model.registry import FactRegistry
from . import syntax as s
from ._evaluate import ExpressionError, evaluate
from ._positions import _Collector
from ._versions import Versioned


def check_constant(
    condition: s.Compare,
    field: str,
    kind: Kind,
    other: s.Expr,
    field_on_left: bool,
    params: Mapping[str, Any],
    out: _Collector,
) -> None:
    """A field compared with a constant: the constant must be a value the field can hold."""
    try:
        value = evaluate(other, params)
    except ExpressionError as error:
        out.add(
            other.span, "OSS037", f"cannot compute this constant: {error}", "fix the expression"
        )
        return
    if condition.op in ("in", "not in"):
        if field_on_left:
            if not isinstance(value, list | tuple):
                out.add(
                    other.span,
                    "OSS037",
                    f"`in` needs a list, got {value!r}",
                    'write a list like ["a", "b"] or name a list param',
                )
                return
            values = list(value)
        else:
            kind = kind.inner if isinstance(kind, Many) else kind
            values = [value]
    else:
        values = [value]
    if isinstance(kind, Optional):
        kind = kind.inner
    elif None in values and condition.op in ("==", "!="):
        out.add(
            condition.span,
            "OSS038",
            f"`{field}` is never null",
            f"the condition is always {'false' if condition.op == '==' else 'true'}; drop it",
        )
        return
    exact = condition.op in ("==", "!=", "in", "not in")
    for item in values:
        if item is None and condition.op in ("==", "!="):
            continue
        ok = (
            kind.check(_as_field_value(item, kind)) if exact else _category(kind) == _category(item)
        )
        if not ok:
            out.add(
                other.span,
                "OSS037",
                f"`{field}` holds {kind.expected}; {item!r} can never match{kind.hint(item)}",
                "compare with a value the field can hold",
            )


def _as_field_value(value: Any, kind: Kind) -> Any:
    """A whole float constant compared with an int field stands for that int."""
    if isinstance(kind, Integer) and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _category(value: Any) -> str:
    """What can be ordered against what: numbers, strings, dates, bools."""
    if isinstance(value, Kind):
        value = {
            Integer: 0,
            Number: 0.0,
            Day: dt.date.min,
            Month: dt.date.min,
            Moment: dt.datetime.min,
            Boolean: False,
        }.get(type(value), "")
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, dt.datetime):
        return "moment"
    if isinstance(value, dt.date):
        return "date"
    return type(value).__name__


def check_overrides(
    rules: Iterable[s.Rule],
    registry: FactRegistry,
    params: Mapping[str, Any],
    overridden: Collection[str],
) -> list[tuple[str, Diagnostic]]:
    """The OSS037/OSS038 problems that param overrides bring, each with the overridden
    param it is about: the load-time check, run again on every condition comparing a field
    with an overridden param, so that ``--param 'physical=["fal"]'`` gets the "did you
    mean `fall`?" that the same value gets in a ruleset file."""
    found: list[tuple[str, Diagnostic]] = []
    for rule in rules:
        for pattern in rule.patterns:
            info = registry[pattern.fact_type]
            for condition in pattern.conditions:
                left, right = condition.left, condition.right
                for side, other, on_left in ((left, right, True), (right, left, False)):
                    field = info.field(side.id) if isinstance(side, s.Name) else None
                    names = [n.id for n in s.iter_names(other)]
                    mine = [n for n in names if n in overridden]
                    if field is None or not mine:
                        continue
                    if all(n in params and not isinstance(params[n], Versioned) for n in names):
                        out = _Collector()
                        check_constant(
                            condition, field.name, field.kind, other, on_left, params, out
                        )
                        found += [(mine[0], d) for d in out.diagnostics]
                    break
    return found
