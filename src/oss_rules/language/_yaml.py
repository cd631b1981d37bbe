"""The one way oss_rules reads YAML: ruamel's round-trip loader, with limits.

Ruleset files, test files and ``fmt`` all load YAML through :func:`safe_yaml`, which
adds to ruamel's safe round-trip mode (no tag runs Python):

* nesting deeper than :data:`MAX_DEPTH` is refused before Python's recursion limit;
* aliases may add at most :data:`MAX_ALIAS_NODES` nodes by expansion, so a "billion
  laughs" file (anchors of anchors) is refused at the alias that crosses the limit,
  instead of growing memory when the document is walked;
* an integer of more than 40 digits is refused (``int()`` of 4,300 digits raises a bare
  ``ValueError``), as is a lone surrogate (``"\\ud800"``), which no output can encode;
* an impossible date (``2026-13-01``) is a located error, not a crash.

Each refusal is a ruamel ``MarkedYAMLError`` with the line and column, which the
readers turn into their usual "invalid YAML" diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode
from ruamel.yaml.reader import ReaderError

from ..model._limits import in_range

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "foreign_tag",
    "numbers_in_range",
    "safe_yaml",
    "yaml_problem",
]

MAX_DEPTH = 64
"""Mappings and sequences nest at most this deep in a YAML file (rulesets need 6)."""
MAX_ALIAS_NODES = 10_000
"""Aliases may add at most this many nodes to a file by expansion."""

_SURROGATE = re.compile("[\ud800-\udfff]")


class _Composer(Composer):
    """Counts what aliases expand to, and refuses lone surrogates in scalars."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None:
                sizes: dict[int, int] = self.__dict__.setdefault("_sizes", {})
                added = self.__dict__.get("_expanded", 0) + _size(target, sizes)
                self.__dict__["_expanded"] = added
                if added > MAX_ALIAS_NODES:
                    raise ComposerError(
                        None,
                        None,
                        f"aliases expand to more than {MAX_ALIAS_NODES} nodes (anchors of "
                        "anchors grow exponentially); write the values out or use fewer aliases",
                        event.start_mark,
                    )
        return super().compose_node(parent, index)

    def compose_scalar_node(self, anchor: Any) -> Any:
        node = super().compose_scalar_node(anchor)
        if isinstance(node.value, str) and _SURROGATE.search(node.value):
            raise ComposerError(
                None,
                None,
                "a lone surrogate (half of a UTF-16 pair, like \\ud800) is not a character",
                node.start_mark,
            )
        return node


def _size(node: Node, sizes: dict[int, int]) -> int:
    """How many nodes ``node`` stands for with every alias expanded (memoised: linear)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    total = 1
    if isinstance(node, MappingNode):
        total += sum(_size(k, sizes) + _size(v, sizes) for k, v in node.value)
    elif isinstance(node, SequenceNode):
        total += sum(_size(item, sizes) for item in node.value)
    sizes[id(node)] = total
    return total


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip constructor; an impossible date or a huge int is located."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError):
            raise ConstructorError(
                None, None, f"{node.value!r} is not a real date", node.start_mark
            ) from None

    def construct_yaml_int(self, node: Any) -> Any:
        if len(str(node.value)) > 40:
            raise ConstructorError(
                None, None, f"the number {node.value[:40]}... is out of range", node.start_mark
            )
        return super().construct_yaml_int(node)


class _TextDates(_Constructor):
    """Reads YAML timestamps as text, as the input-file form has them."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
_TextDates.add_constructor("tag:yaml.org,2002:timestamp", _TextDates.construct_yaml_str)


def safe_yaml(*, dates_as_text: bool = False) -> YAML:
    """A round-trip YAML loader with the limits above; ``dates_as_text`` keeps
    ``2026-06-30`` a string (test files, whose facts take ISO text as input files do)."""
    yaml = YAML(typ="rt")
    yaml.Composer = _Composer
    yaml.Constructor = _TextDates if dates_as_text else _Constructor
    yaml.max_depth = MAX_DEPTH
    # Rulesets keep their quoting (fmt writes it back); test files are read as data.
    yaml.preserve_quotes = not dates_as_text
    return yaml


_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)


def foreign_tag(value: Any) -> str | None:
    """The first tag in ``value`` that is not one of YAML's core types (``!!python/...``,
    ``!custom``), or ``None``."""
    tag = getattr(getattr(value, "tag", None), "value", None)
    if tag is not None and tag not in _CORE_TAGS:
        return str(tag)
    items = (
        value.values() if isinstance(value, Mapping) else value if isinstance(value, list) else ()
    )
    for item in items:
        found = foreign_tag(item)
        if found is not None:
            return found
    return None


def numbers_in_range(value: Any) -> bool:
    """Whether every number in ``value`` (a param) is within the limits of numbers."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return in_range(value)
    if isinstance(value, list):
        return all(numbers_in_range(v) for v in value)
    if isinstance(value, Mapping):
        return all(numbers_in_range(v) for v in value.values())
    return True


def yaml_problem(error: YAMLError, text: str) -> tuple[int, int, str]:
    """The 1-based line and column of a YAML error in ``text``, and what is wrong.

    Most errors carry a mark; the reader's (a NUL or another character YAML forbids)
    carries only an offset.
    """
    if isinstance(error, MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return line, col, str(error.problem)
    if isinstance(error, ReaderError):
        at = min(max(error.position, 0), len(text))
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        return line, col, f"the character {error.character:#x} is not allowed in YAML"
    return 1, 1, str(error)
