"""Read one input cell of a decision table into the conditions it puts on its column.

Cells are short strings, parsed here rather than by the grammar: ``-`` (any value),
``< expr`` and the other comparisons, ``in expr`` / ``not in expr``, ranges ``lo..hi``
(both ends included) and ``lo..<hi`` (upper end excluded), a YAML list (one of these
values), or a plain value (equal to it). Every problem is located at its cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import Diagnostic
from . import syntax as s
from ._loader import _plain
from ._parser import Locate, ParseError, parse_expr
from ._positions import _Collector, _locator
from .syntax import Cell, Column

__all__ = ["read_cell"]

_OPERATOR = re.compile(r"^(==|!=|<=|>=|<|>|not\s+in\b|in\b)\s*")
_RANGE = re.compile(r"\.\.(<?)")
_SCALAR = (str, int, float, bool)


def read_cell(
    node: Any, span: s.Span, column: Column, params: Mapping[str, Any], out: _Collector
) -> Cell | None:
    """The cell ``node`` of ``column``; None when it is reported to ``out`` (OSS064, OSS001)."""
    field = s.Name(column.field, span=span)

    def test(op: str, right: s.Expr) -> s.Compare:
        return s.Compare(op, field, right, span=span)

    if isinstance(node, CommentedSeq):
        if not all(isinstance(v, _SCALAR) or v is None for v in node):
            out.add(span, "OSS064", "a list cell holds values only", "e.g. [fall, noise]")
            return None
        items = tuple(s.Literal(_plain(v), span=span) for v in node)
        return Cell((test("in", s.ListExpr(items, span=span)),), str(node), span=span)
    if not isinstance(node, str):
        if isinstance(node, CommentedMap):
            hint = "quote it; a row's id comes first: `- [id: high, ...]`"
            out.add(span, "OSS064", "a cell cannot be a mapping", hint)
            return None
        return Cell((test("==", s.Literal(node, span=span)),), str(node), span=span)
    text = str(node)
    stripped = text.strip()
    # Positions inside the cell count from its first character that is not a space.
    shift = len(text) - len(text.lstrip())
    inner = _locator(node, span)

    def locate(line: int, col: int) -> s.Span:
        return inner(line, col + shift)

    if stripped == "-":
        return Cell((), text, span=span)
    try:
        operator = _OPERATOR.match(stripped)
        if operator:
            op = " ".join(operator.group(1).split())
            right = _expr(stripped, operator.end(), len(stripped), locate)
            return Cell((test(op, right),), text, span=span)
        bounds = _range(stripped)
        if bounds:
            start, end, exclusive = bounds
            low = _expr(stripped, 0, start, locate)
            high = _expr(stripped, end, len(stripped), locate)
            tests = (test(">=", low), test("<" if exclusive else "<=", high))
            return Cell(tests, text, span=span)
    except ParseError as failure:
        out.diagnostics.append(failure.diagnostic)
        return None
    if stripped in params:
        out.add(
            span,
            "OSS064",
            f"a cell without an operator is a value, so this is the text {stripped!r}",
            f"write `== {stripped}` to compare with the param `{stripped}`",
        )
        return None
    return Cell((test("==", s.Literal(text, span=span)),), text, span=span)


def _expr(text: str, start: int, end: int, locate: Locate) -> s.Expr:
    """Parse ``text[start:end]``, locating errors inside the cell."""
    part = text[start:end]
    if not part.strip():
        raise ParseError(
            _diagnostic(locate(1, start + 1), "a cell needs a value after its operator")
        )
    return parse_expr(
        part, lambda line, col: locate(line, col + start) if line == 1 else locate(line, col)
    )


def _range(text: str) -> tuple[int, int, bool] | None:
    """Where ``..`` (or ``..<``) splits ``text``, outside quotes: (start, end, exclusive)."""
    quote = ""
    for i, char in enumerate(text):
        if quote:
            quote = "" if char == quote and text[i - 1] != "\\" else quote
        elif char in "\"'":
            quote = char
        elif text.startswith("..", i):
            match = _RANGE.match(text, i)
            assert match is not None
            return i, match.end(), bool(match.group(1))
    return None


def _diagnostic(span: s.Span, message: str) -> Diagnostic:
    return Diagnostic(
        span.file, span.line, span.col, "OSS064", message, "e.g. `< 5`, `5..12`, `in physical`"
    )
