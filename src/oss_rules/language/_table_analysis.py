"""Gaps, overlaps and dead rows of decision tables, over the domains of their input columns.

Each input column is sampled (see :mod:`._domain`) at the values that decide its cells,
with params at the values the ruleset file gives them; every combination of samples is
then matched against every row. A combination that no row matches is a gap; one that
two rows of a ``unique`` table match is an overlap; a row that no combination reaches
(first of all, for ``first``) is dead. A table whose cells compare with another fact's
field or with ``as_of`` depends on facts, so it is not checked.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from typing import Any

from ..model.registry import FactRegistry
from . import syntax as s
from ._domain import UNKNOWN, constant_value, meets, sample
from ._unparse import literal
from .syntax import Row, Table

MAX_COMBINATIONS = 100_000
"""Tables with more sampled input combinations than this are not checked (OSS133)."""

Add = Callable[[s.Span, str, str, str, str], None]


def analyse_table(
    table: Table, registry: FactRegistry, params: Mapping[str, Any], add: Add
) -> None:
    """Report the gaps (OSS131), overlaps (OSS130) and dead rows (OSS132) of ``table``."""
    tests = _tests(table, params)
    if tests is None:
        return
    domains = []
    for index, column in enumerate(table.inputs):
        info = registry[table.when[column.pattern].fact_type].field(column.field)
        # The table's own pattern may narrow the column: `Hazard(severity >= 3)` leaves
        # severities 1 and 2 out of the inputs it must cover.
        narrowing = _narrowing(table.when[column.pattern], column.field, params)
        constants = [value for row in tests for _, value in row[index]]
        points = sample(info.kind, constants + [v for _, v in narrowing]) if info else None
        if points is None:
            return
        domains.append([p for p in points if all(meets(op, p, v) for op, v in narrowing)])
    if math.prod(len(d) for d in domains) > MAX_COMBINATIONS:
        add(
            table.span,
            "OSS133",
            "warning",
            f"table `{table.id}` has too many input combinations to check for gaps and overlaps",
            "split it into smaller tables",
        )
        return
    gap: tuple[Any, ...] | None = None
    overlaps: dict[tuple[int, int], tuple[Any, ...]] = {}
    reached: set[int] = set()
    for point in itertools.product(*domains):
        matches = [
            r
            for r, row in enumerate(tests)
            if all(
                meets(op, value, other)
                for value, cell in zip(point, row, strict=True)
                for op, other in cell
            )
        ]
        if not matches:
            gap = gap or point
        elif table.hit == "first":
            reached.add(matches[0])
        else:
            reached.update(matches)
            if table.hit == "unique":
                for pair in itertools.combinations(matches, 2):
                    overlaps.setdefault(pair, point)
    for (a, b), point in overlaps.items():
        add(
            table.rows[b].span,
            "OSS130",
            "error",
            f"{_rows(table.rows[a], table.rows[b])} of table `{table.id}` both match "
            f"{_inputs(table, point)}",
            "rows of a `unique` table must not overlap; narrow a cell, or use `hit: first`",
        )
    if gap is not None:
        add(
            table.span,
            "OSS131",
            "warning",
            f"no row of table `{table.id}` matches {_inputs(table, gap)}",
            "add a row for it; with `hit: first`, a last row of `-` cells catches the rest",
        )
    for index, row in enumerate(table.rows):
        if index not in reached:
            add(row.span, "OSS132", "warning", _dead(table, row), "remove the row or fix its cells")


def _tests(table: Table, params: Mapping[str, Any]) -> list[list[list[tuple[str, Any]]]] | None:
    """Per row, per column: the (operator, constant) tests; None if one is not constant."""
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            tests = [(t.op, constant_value(t.right, params)) for t in cell.tests]
            if any(value is UNKNOWN for _, value in tests):
                return None
            cells.append(tests)
        rows.append(cells)
    return rows


def _narrowing(pattern: s.Pattern, field: str, params: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The pattern's conditions on ``field`` with a constant: (operator, value)."""
    out = []
    for condition in pattern.conditions:
        if condition.left == s.Name(field, span=condition.span):
            value = constant_value(condition.right, params)
            if value is not UNKNOWN:
                out.append((condition.op, value))
    return out


def _inputs(table: Table, point: tuple[Any, ...]) -> str:
    return ", ".join(f"{c.text}={literal(v)}" for c, v in zip(table.inputs, point, strict=True))


def _rows(a: Row, b: Row) -> str:
    """``rows 2 and 3``, ``rows `medium` and `high```."""
    return f"rows {a.label.removeprefix('row ')} and {b.label.removeprefix('row ')}"


def _dead(table: Table, row: Row) -> str:
    if table.hit == "first" and row.number > 1:
        return (
            f"{row.label} of table `{table.id}` never applies: the rows above it "
            "match every input it matches"
        )
    return f"{row.label} of table `{table.id}` matches no input"
