"""Which fields make an expectation of a test case miss: the nearest conclusion, field by field.

A failing case that expects ``Deadline(kind='reassessment', due=2026-06-30,
status='due_soon')`` is easier to read as "``due``: expected 2026-06-30, concluded
2025-12-30" than as two whole facts to compare by eye. The nearest conclusion is the
one of the expected type that agrees with the expected fields taken in the order the
case writes them, where the fields that say *which* fact come first (``workplace``,
``kind``), then on the most of them; the first such in the result's order. It is
shown only when it agrees on at least two fields and on at least half of them: an
``Obligation`` of the same workplace but another module is not "nearly" the one
expected, and the list of conclusions of that type that follows says enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model._fields import show_fact, show_value
from ._cases import Expected

__all__ = ["field_differences", "nearest"]


def _agreeing(expected: Expected, fact: Any) -> tuple[tuple[bool, ...], int]:
    agree = tuple(getattr(fact, name) == value for name, value in expected.fields.items())
    return agree, sum(agree)


def nearest(expected: Expected, concluded: Sequence[Any]) -> Any | None:
    """The conclusion of ``expected``'s type nearest to it (see above), or ``None`` if
    none is near enough."""
    candidates = [f for f in concluded if type(f).__name__ == expected.type]
    if not candidates:
        return None
    best = max(candidates, key=lambda f: _agreeing(expected, f))  # first of the best
    agree = _agreeing(expected, best)[1]
    return best if agree >= 2 and 2 * agree >= len(expected.fields) else None


def field_differences(expected: Expected, concluded: Sequence[Any], indent: str) -> list[str]:
    """The nearest conclusion and each field where it differs from ``expected``, as lines.

    Empty when no conclusion is near (see :func:`nearest`).
    """
    fact = nearest(expected, concluded)
    if fact is None:
        return []
    lines = [f"{indent}nearest: {show_fact(fact)}"]
    for name, value in expected.fields.items():
        got = getattr(fact, name)
        if got != value:
            lines.append(
                f"{indent}  {name}: expected {show_value(value)}, concluded {show_value(got)}"
            )
    return lines
