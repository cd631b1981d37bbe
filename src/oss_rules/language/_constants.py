"""A field compared with a constant: the constant must be a value the field can hold.

Runs at load time (OSS037, OSS038): a misspelt choice, a date compared with a number or
a never-null field compared with null can never match, so the ruleset does not load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..model._fields import Boolean, Day, Integer, Kind, Many, Moment, Month, Number, Optional
from . import syntax as s
from ._evaluate import ExpressionError, evaluate
from ._positions import _Collector


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
