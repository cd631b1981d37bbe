"""Decision tables compiled to ordinary rules.

A table is a grid of input tests and output values.

A table binds facts with ``when`` like a rule, names some of their fields as input
columns and some names as output columns, and lists rows. Each row becomes one rule (id
``<table>#<row>``): the row's cells become conditions of the patterns their columns
belong to, and the row's output values fill the table's ``then``. The engine, the trace
and explanations therefore see rules only; :class:`Table` stays in the syntax tree so
that ``oss-rules check`` can look for gaps and overlaps over the columns' domains.

Hit policies: ``unique`` (rows must not overlap), ``collect`` (every matching row
fires) and ``first`` (only the first matching row fires). A ``first`` row is compiled
with the complement of every earlier row, written as ordinary conditions, so no
negation is involved and stratification is unchanged. A complement is a disjunction,
and the language has no ``or``, so such a row may become several rules with disjoint
conditions (ids ``<table>#<row>.<part>``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from ..model._fields import Kind, Optional
from ..model.registry import FactRegistry
from . import syntax as s
from ._domain import UNKNOWN, constant_value, satisfiable
from .syntax import Column, Row, Table

__all__ = ["MAX_PARTS", "expand", "template"]

MAX_PARTS = 16
"""The most rules one row of a ``first`` table may need for the complement of earlier rows."""

_NEGATE = {
    "==": "!=",
    "!=": "==",
    "<": ">=",
    "<=": ">",
    ">": "<=",
    ">=": "<",
    "in": "not in",
    "not in": "in",
}
_ORDERING = frozenset({"<", "<=", ">", ">="})


Piece = dict[int, tuple[s.Compare, ...]]
"""Conditions per input column (by index) that one compiled rule puts on the fields."""


def expand(table: Table, registry: FactRegistry) -> list[tuple[Row, list[s.Rule]]]:
    """The rules each row compiles to (for ``first``, possibly none or several per row)."""
    kinds = [_kind(table, column, registry) for column in table.inputs]
    boxes = [_box(row) for row in table.rows]
    out = []
    for index, row in enumerate(table.rows):
        pieces = [boxes[index]]
        if table.hit == "first":
            for earlier in boxes[:index]:
                pieces = [p for piece in pieces for p in _subtract(piece, earlier, kinds)]
                if len(pieces) > MAX_PARTS:
                    break
        single = len(pieces) == 1
        rules = [
            _rule(table, row, piece, None if single else part)
            for part, piece in enumerate(pieces, start=1)
        ]
        out.append((row, rules))
    return out


def _kind(table: Table, column: Column, registry: FactRegistry) -> Kind | None:
    name = table.when[column.pattern].fact_type
    if name not in registry:
        return None
    info = registry[name].field(column.field)
    return info.kind if info else None


def _box(row: Row) -> Piece:
    return {i: cell.tests for i, cell in enumerate(row.cells) if cell.tests}


def _rule(table: Table, row: Row, piece: Piece, part: int | None) -> s.Rule:
    tests: dict[int, list[s.Compare]] = {}
    for index, conditions in sorted(piece.items()):
        tests.setdefault(table.inputs[index].pattern, []).extend(conditions)
    return s.Rule(
        table.row_id(row, part),
        table.title,
        table.cite,
        _when(table.when, tests),
        tuple(_fill(d, _values(table, row)) for d in table.then),
        span=row.span,
    )


def _when(
    patterns: Sequence[s.Pattern], tests: Mapping[int, Sequence[s.Compare]]
) -> tuple[s.Pattern, ...]:
    return tuple(
        attrs.evolve(p, conditions=(*p.conditions, *tests.get(i, ())))
        for i, p in enumerate(patterns)
    )


def _values(table: Table, row: Row) -> dict[str, s.Literal]:
    return {
        output.name: s.Literal(value, span=span)
        for output, value, span in zip(table.outputs, row.values, row.value_spans, strict=True)
    }


def _fill(derivation: s.Derivation, values: Mapping[str, s.Literal]) -> s.Derivation:
    """``derivation`` with each output name replaced by the row's value (located at its cell)."""
    loop = derivation.loop_over
    return attrs.evolve(
        derivation,
        assignments=tuple(
            attrs.evolve(a, value=_substitute(a.value, values)) for a in derivation.assignments
        ),
        loop_over=None if loop is None else _substitute(loop, values),
    )


def _substitute(expr: s.Expr, values: Mapping[str, s.Literal]) -> s.Expr:
    match expr:
        case s.Name(id=name) if name in values:
            return values[name]
        case s.Attribute(obj=obj):
            return attrs.evolve(expr, obj=_substitute(obj, values))
        case s.Index(obj=obj, key=key):
            return attrs.evolve(expr, obj=_substitute(obj, values), key=_substitute(key, values))
        case s.Call(args=args):
            return attrs.evolve(expr, args=tuple(_substitute(a, values) for a in args))
        case s.BinOp(left=left, right=right):
            return attrs.evolve(
                expr, left=_substitute(left, values), right=_substitute(right, values)
            )
        case s.Neg(operand=operand):
            return attrs.evolve(expr, operand=_substitute(operand, values))
        case s.ListExpr(items=items):
            return attrs.evolve(expr, items=tuple(_substitute(i, values) for i in items))
    return expr


def _negations(tests: tuple[s.Compare, ...], kind: Kind | None) -> list[tuple[s.Compare, ...]]:
    """Disjoint alternatives that together hold exactly when ``tests`` do not all hold.

    An ordering is false for null, so its complement also admits null when the field
    may be null; the other operators already treat null as unequal to every value.
    """
    out = []
    for k, test in enumerate(tests):
        flipped = attrs.evolve(test, op=_NEGATE[test.op])
        out.append((*tests[:k], flipped))
        if test.op in _ORDERING and isinstance(kind, Optional):
            null = s.Literal(None, span=test.span)
            out.append((*tests[:k], attrs.evolve(test, op="==", right=null)))
    return out


def _subtract(piece: Piece, box: Piece, kinds: Sequence[Kind | None]) -> list[Piece]:
    """``piece`` minus ``box`` as disjoint pieces, leaving out those that can never hold."""
    if _empty(_and(piece, box), kinds):
        return [piece]
    out: list[Piece] = []
    prefix = dict(piece)
    for column, tests in box.items():
        for alternative in _negations(tests, kinds[column]):
            candidate = _and(prefix, {column: alternative})
            if not _empty(candidate, kinds):
                out.append(candidate)
        prefix = _and(prefix, {column: tests})
    return out


def _and(left: Piece, right: Piece) -> Piece:
    out = dict(left)
    for column, tests in right.items():
        out[column] = (*out.get(column, ()), *(t for t in tests if t not in out.get(column, ())))
    return out


def _empty(piece: Piece, kinds: Sequence[Kind | None]) -> bool:
    """Whether ``piece`` provably never holds, whatever the params: contradictory
    conditions, or constant conditions that no value of the field meets."""
    for column, tests in piece.items():
        null = any(t.op == "==" and _is_null(t.right) for t in tests)
        for a in tests:
            if any(b.right == a.right and b.op == _NEGATE[a.op] for b in tests):
                return True
            if null and a.op in _ORDERING:
                return True
        constants = [(t.op, constant_value(t.right)) for t in tests]
        known = [(op, value) for op, value in constants if value is not UNKNOWN]
        kind = kinds[column]
        if kind is not None and known and not satisfiable(kind, known):
            return True
    return False


def _is_null(expr: s.Expr) -> bool:
    return isinstance(expr, s.Literal) and expr.value is None


def template(table: Table) -> s.Rule:
    """One rule holding every cell and the first row's values, to check names and types once.

    It is never evaluated: its conditions are every row's at once. Checking it
    reports a mistake in ``when``, ``then`` or ``cite`` once, at its place, instead of
    once per row.
    """
    tests: dict[int, list[s.Compare]] = {}
    for row in table.rows:
        for column, cell in zip(table.inputs, row.cells, strict=True):
            tests.setdefault(column.pattern, []).extend(cell.tests)
    first = table.rows[0] if table.rows else None
    values = _values(table, first) if first else {}
    return s.Rule(
        table.id,
        table.title,
        table.cite,
        _when(table.when, tests),
        tuple(_fill(d, values) for d in table.then),
        span=table.span,
    )
