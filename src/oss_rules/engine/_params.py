"""An engine's param overrides: named params of the ruleset, of the param's JSON type,
numbers in range, floats as the exact decimals they were written as."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..errors import ParamError, suggest
from ..language._versions import Versioned
from ..language.syntax import Ruleset
from ..model._limits import RANGE_HINT, in_range

__all__ = ["merge_params"]


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


def merge_params(ruleset: Ruleset[Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The ruleset's params with ``overrides`` in place; :class:`ParamError` for a name the
    ruleset lacks, a value of another JSON type, or a number out of range."""
    merged = dict(ruleset.params)
    for name, value in overrides.items():
        if name not in merged:
            raise ParamError(
                name,
                value,
                "a param of ruleset " + ruleset.id,
                suggest(name, merged) or f" (params: {', '.join(merged)})",
            )
        current = merged[name]
        # An override replaces every version of an effective-dated param with one value.
        shape = current.versions[-1].value if isinstance(current, Versioned) else current
        if _json_type(value) != _json_type(shape):
            raise ParamError(name, value, _json_type(shape))
        _check_numbers(name, value)
        merged[name] = _exact(value)
    return {k: tuple(v) if isinstance(v, list) else v for k, v in merged.items()}


def _check_numbers(name: str, value: Any) -> None:
    """Refuse NaN, infinities and numbers beyond the limits, also inside lists and maps."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if not in_range(value):
            raise ParamError(name, value, "a finite number", RANGE_HINT)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_numbers(name, item)
    elif isinstance(value, Mapping):
        for item in value.values():
            _check_numbers(name, item)


def _exact(value: Any) -> Any:
    """A float from JSON or Python as the Decimal it was written as (``0.24``)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, list | tuple):
        return type(value)(_exact(v) for v in value)
    if isinstance(value, Mapping):
        return {k: _exact(v) for k, v in value.items()}
    return value
