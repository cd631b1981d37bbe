"""Where things are in YAML: line and column of keys, values and positions inside strings.

ruamel.yaml's round-trip loader keeps the position of every node; these helpers turn
them into :class:`~oss_rules.language.syntax.Span` so every diagnostic names its place.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
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


def mappings(
    doc: CommentedMap, key: str, file: str, out: _Collector, *, what: str, example: str
) -> Iterator[CommentedMap]:
    """The items of the list ``doc[key]`` (rules, tables) that are mappings, in order.

    A ``doc[key]`` that is no list is reported (OSS008) and yields nothing; an item that
    is no mapping is reported (OSS009) where it stands and skipped. ``what`` names one
    item (``rule``) and ``example`` is the hint's way to write one.
    """
    node = doc[key]
    if not isinstance(node, CommentedSeq):
        out.add(
            _value_span(doc, key, file),
            "OSS008",
            f"`{key}` must be a list",
            f"write each {what} as `- id: ...`",
        )
        return
    for i, item in enumerate(node):
        if not isinstance(item, CommentedMap):
            out.add(_value_span(node, i, file), "OSS009", f"a {what} must be a mapping", example)
            continue
        yield item


def _key_span(node: CommentedMap, key: str, file: str) -> s.Span:
    line, col = node.lc.key(key)
    return s.Span(file, line + 1, col + 1)


def _value_span(node: CommentedMap | CommentedSeq, key: Any, file: str) -> s.Span:
    line, col = node.lc.value(key) if isinstance(node, CommentedMap) else node.lc.item(key)
    return s.Span(file, line + 1, col + 1)


def _node_span(node: Any, file: str) -> s.Span:
    return s.Span(file, node.lc.line + 1, node.lc.col + 1)


def _locator(value: Any, span: s.Span) -> Locate:
    """Map positions inside a YAML string scalar back to the file.

    A quoted or plain scalar may be folded over several lines: its text then differs from
    the file (line breaks became spaces, ``''`` one quote), so each character of the text
    is aligned with the file's characters once, the first time a position is asked for.
    """
    shift = 1 if isinstance(value, DoubleQuotedScalarString | SingleQuotedScalarString) else 0
    block = isinstance(value, LiteralScalarString | FoldedScalarString)
    text = str(value)
    aligned: list[list[tuple[int, int]] | None] = []

    def locate(line: int, col: int) -> s.Span:
        if block:
            return s.Span(span.file, span.line + line, col)
        if not aligned:
            aligned.append(_align(text, span, shift))
        places = aligned[0]
        if places:
            starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
            index = (starts[line - 1] if line <= len(starts) else len(text)) + col - 1
            if index < len(places):
                return s.Span(span.file, *places[max(index, 0)])
            last_line, last_col = places[-1]
            return s.Span(span.file, last_line, last_col + index - len(places) + 1)
        if line == 1:
            return s.Span(span.file, span.line, span.col + shift + col - 1)
        return s.Span(span.file, span.line + line - 1, col)

    return locate


@functools.lru_cache(maxsize=16)
def _lines(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """The lines of a ruleset file, read once per version of the file (every scalar of a
    file is aligned against the same text)."""
    with open(path, encoding="utf-8") as handle:
        return tuple(handle.read().splitlines())


def _align(text: str, span: s.Span, shift: int) -> list[tuple[int, int]] | None:
    """The file line and column of each character of ``text``, a flow scalar that starts
    at ``span``; ``None`` when the file cannot be read or does not match."""
    try:
        stat = os.stat(span.file)
        lines = _lines(span.file, stat.st_mtime_ns, stat.st_size)
    except OSError:
        return None
    places: list[tuple[int, int]] = []
    line, col = span.line, span.col + shift
    while len(places) < len(text) and line <= len(lines):
        raw = lines[line - 1]
        while col <= len(raw) and len(places) < len(text):
            # Folding only drops or merges whitespace and doubled quotes, so a greedy
            # match of the text's characters against the file's finds their places.
            if raw[col - 1] == text[len(places)]:
                places.append((line, col))
            col += 1
        if len(places) < len(text) and text[len(places)] in " \n" and col > len(raw):
            places.append((line, col))  # the line break that folding turned into a space
        line, col = line + 1, 1
    return places if len(places) == len(text) else None
