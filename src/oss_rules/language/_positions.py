"""Where things are in YAML: line and column of keys, values and positions inside strings.

ruamel.yaml's round-trip loader keeps the position of every node; these helpers turn
them into :class:`~oss_rules.language.syntax.Span` so every diagnostic names its place.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from ..errors import Diagnostic
from . import syntax as s
from ._parser import Locate


class _Collector:
    """Gathers diagnostics so one load reports every problem at once."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def add(self, span: s.Span, code: str, message: str, hint: str = "", text: str = "") -> None:
        self.diagnostics.append(
            Diagnostic(span.file, span.line, span.col, code, message, hint, text)
        )


def _key_span(node: CommentedMap, key: str, file: str) -> s.Span:
    line, col = node.lc.key(key)
    return s.Span(file, line + 1, col + 1)


def _value_span(node: CommentedMap | CommentedSeq, key: Any, file: str) -> s.Span:
    line, col = node.lc.value(key) if isinstance(node, CommentedMap) else node.lc.item(key)
    return s.Span(file, line + 1, col + 1)


def _node_span(node: Any, file: str) -> s.Span:
    return s.Span(file, node.lc.line + 1, node.lc.col + 1)


def _locator(value: Any, span: s.Span) -> Locate:
    """Map positions inside a YAML string scalar back to the file."""
    shift = 1 if isinstance(value, DoubleQuotedScalarString | SingleQuotedScalarString) else 0
    block = isinstance(value, LiteralScalarString | FoldedScalarString)

    def locate(line: int, col: int) -> s.Span:
        if block:
            return s.Span(span.file, span.line + line, col)
        if line == 1:
            return s.Span(span.file, span.line, span.col + shift + col - 1)
        return s.Span(span.file, span.line + line - 1, col)

    return locate
