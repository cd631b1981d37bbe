"""Canonical formatting of ruleset files: key order, indentation, wrapping; comments kept.

ruamel.yaml's round-trip mode reads a file with its comments and quoting and writes it
back with fixed indentation. On top of that this module

* puts the keys of the header, of each rule and of each table in a fixed order;
* moves the comment lines that followed the last key of a reordered mapping to its new
  last key, so that a comment above the next rule stays above it;
* wraps long single-quoted ``when``/``then`` items between arguments (then before ``+``
  or ``or``)
  at :data:`WIDTH` columns, which does not change their value: YAML folds a line break
  inside a single-quoted scalar into the one space it replaced;
* aligns the cells of a table's rows into columns.

Formatting is idempotent: formatting formatted text changes nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken

from ..errors import Diagnostic, RulesetError
from ..language._loader import RULE_KEYS
from ..language._table_reader import TABLE_KEYS
from ..language._yaml import safe_yaml, yaml_problem

__all__ = ["WIDTH", "format_text"]

WIDTH = 88
"""Lines of ``when``/``then`` items are wrapped to this many columns where possible."""

HEADER_ORDER = (
    "ruleset",
    "version",
    "title",
    "domains",
    "description",
    "internal",
    "titles",
    "sources",
    "params",
    "properties",
    "rules",
    "tables",
)
"""The order of the keys of ``ruleset.yaml`` (keys it does not list follow, as they were)."""

RULE_FILE_ORDER = ("description", "rules", "tables")
"""The order of the keys of the other rule files."""

RULESET_KEYS = frozenset({"ruleset", "rules", "tables"})
"""A file is a ruleset file when its top-level mapping has one of these keys."""

_ITEM = re.compile(r"^(?P<indent> *)- '(?P<body>.*)'$")
_ROW = re.compile(r"^(?P<indent> *)- \[(?P<body>.*)\]$")
_ROWS_KEY = re.compile(r"^(?P<indent> *)rows:$")


def format_text(text: str, name: str = "<text>") -> str:
    """``text`` (one ruleset YAML file) in canonical form.

    Raises :class:`~oss_rules.errors.RulesetError` (OSS003) when it is not valid YAML, and
    (OSS004) when it is not a ruleset file (a mapping with ``ruleset``, ``rules`` or
    ``tables``).
    """
    yaml = _yaml()
    try:
        doc = yaml.load(text)
    except YAMLError as error:
        line, col, problem = yaml_problem(error, text)
        raise RulesetError(
            [Diagnostic(name, line, col, "OSS003", f"invalid YAML: {problem}")]
        ) from None
    if not isinstance(doc, CommentedMap) or not RULESET_KEYS & set(doc):
        # Formatting rewrites keys and lines: a file that is not a ruleset file (an input
        # document, a test file, some other YAML) must stay as it is.
        raise RulesetError(
            [
                Diagnostic(
                    name,
                    1,
                    1,
                    "OSS004",
                    "not a ruleset file: it has none of the keys `ruleset`, `rules`, `tables`",
                    "fmt formats ruleset files only; this file was left unchanged",
                )
            ]
        )
    _order(doc, HEADER_ORDER if "ruleset" in doc else RULE_FILE_ORDER)
    for key, keys in (("rules", RULE_KEYS), ("tables", TABLE_KEYS)):
        items = doc.get(key)
        if isinstance(items, CommentedSeq):
            for item in items:
                if isinstance(item, CommentedMap):
                    _order(item, keys)
    out = io.StringIO()
    yaml.dump(doc, out)
    return "\n".join(_align_rows(_wrap_items(out.getvalue().split("\n"))))


def _yaml() -> YAML:
    yaml = safe_yaml()
    yaml.indent(mapping=2, sequence=4, offset=2)
    # Lines are wrapped by _wrap_items, between arguments; ruamel would break anywhere.
    yaml.width = 1 << 16
    return yaml


def _order(node: CommentedMap, keys: Sequence[str]) -> None:
    """Put ``node``'s keys in the order of ``keys`` (unknown keys after, as they were)."""
    before = list(node)
    wanted = [k for k in keys if k in node] + [k for k in before if k not in keys]
    if wanted == before:
        return
    tail = _take_trailing(node, before[-1])
    for key in wanted:
        node.move_to_end(key)
    if tail:
        _give_trailing(node, wanted[-1], tail)


def _last_slot(node: Any, key: Any) -> tuple[Any, Any, int]:
    """Where the comment after the value of ``node[key]`` is kept: (container, key, index).

    ruamel keeps the comment lines that follow a value with the last scalar inside it.
    """
    container, value = node, node[key]
    # Flow collections keep no comments inside; the one after them is their parent's.
    while isinstance(value, CommentedMap | CommentedSeq) and value and not _flow(value):
        container = value
        key = list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1
        value = value[key]
    return container, key, 2 if isinstance(container, CommentedMap) else 0


def _flow(node: CommentedMap | CommentedSeq) -> bool:
    return bool(node.fa.flow_style())


def _take_trailing(node: CommentedMap, key: Any) -> str:
    """Remove and return the whole comment lines that follow ``node[key]``."""
    container, slot, index = _last_slot(node, key)
    entry = container.ca.items.get(slot)
    token = entry[index] if entry and len(entry) > index else None
    if token is None:
        return ""
    text: str = token.value
    eol, _, rest = text.partition("\n")
    if not rest:
        return ""
    if eol.strip():
        token.value = eol + "\n"
    else:
        entry[index] = None
    return rest


def _give_trailing(node: CommentedMap, key: Any, lines: str) -> None:
    """Attach the comment ``lines`` after the value of ``node[key]``."""
    container, slot, index = _last_slot(node, key)
    entry = container.ca.items.setdefault(slot, [None] * 4)
    while len(entry) <= index:
        entry.append(None)
    token = entry[index]
    if token is None:
        entry[index] = CommentToken("\n" + lines, CommentMark(0), None)
    else:
        token.value = token.value.rstrip("\n") + "\n" + lines


def _wrap_items(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        match = _ITEM.match(line)
        if match is None or len(line) <= WIDTH:
            out.append(line)
            continue
        indent = match["indent"]
        first = f"{indent}- '"
        rest = indent + "  "
        out.extend(_fill(match["body"] + "'", first, rest))
    return out


def _fill(body: str, first: str, rest: str) -> list[str]:
    """Greedy lines of ``body``: arguments kept whole where they fit, else split at ``+``."""
    words: list[str] = []
    for argument in _split(body, _argument_breaks(body)):
        if len(rest) + len(argument) <= WIDTH:
            words.append(argument)
        else:
            words.extend(_split(argument, _operator_breaks(argument)))
    lines = [first + words[0]]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) <= WIDTH:
            lines[-1] += " " + word
        else:
            lines.append(rest + word)
    return lines


def _split(text: str, breaks: list[int]) -> list[str]:
    """``text`` cut at the single spaces at ``breaks``."""
    parts, start = [], 0
    for at in breaks:
        parts.append(text[start:at])
        start = at + 1
    parts.append(text[start:])
    return [p for p in parts if p]


def _spaces(text: str) -> list[tuple[int, int]]:
    """(position, bracket depth) of each single space outside double-quoted strings."""
    found, depth, quoted = [], 0, False
    for i, char in enumerate(text):
        if quoted:
            quoted = not (char == '"' and text[i - 1] != "\\")
        elif char == '"':
            quoted = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == " " and text[i - 1 : i] != " " and text[i + 1 : i + 2] not in (" ", ""):
            found.append((i, depth))
    return found


def _argument_breaks(text: str) -> list[int]:
    """After each comma between the arguments of ``Type(...)``."""
    return [i for i, depth in _spaces(text) if depth == 1 and text[i - 1] == ","]


def _operator_breaks(text: str) -> list[int]:
    """Before each ``+``, else before each ``or``, or at any space if there is neither."""
    spaces = _spaces(text)
    before_plus = [i for i, _ in spaces if text[i + 1 : i + 3] == "+ "]
    before_or = [i for i, _ in spaces if text[i + 1 : i + 4] == "or "]
    return before_plus or before_or or [i for i, _ in spaces]


def _align_rows(lines: list[str]) -> list[str]:
    """Pad the cells of each table's single-line rows so that the columns line up."""
    out = list(lines)
    i = 0
    while i < len(out):
        key = _ROWS_KEY.match(out[i])
        i += 1
        if key is None:
            continue
        block: list[tuple[str, list[str]]] = []
        while i + len(block) < len(out):
            row = _ROW.match(out[i + len(block)])
            if row is None:
                break
            block.append((row["indent"], _cells(row["body"])))
        widths: list[int] = []
        for _, cells in block:
            for c, cell in enumerate(cells[:-1]):
                if c == len(widths):
                    widths.append(0)
                widths[c] = max(widths[c], len(cell))
        for n, (indent, cells) in enumerate(block):
            padded = [
                cell + "," + " " * (widths[c] - len(cell) + 1) for c, cell in enumerate(cells[:-1])
            ]
            out[i + n] = f"{indent}- [{''.join(padded)}{cells[-1] if cells else ''}]"
        i += len(block)
    return out


def _cells(body: str) -> list[str]:
    """The top-level cells of a flow sequence's text, stripped; ``'-'`` written ``-``."""
    cells, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(body):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            cells.append(body[start:i].strip())
            start = i + 1
    cells.append(body[start:].strip())
    return ["-" if c == "'-'" else c for c in cells]
