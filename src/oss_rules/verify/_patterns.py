"""Patterns of properties: parsed from strings as rules write them, and checked like rules.

``oss_rules.verify.properties`` accepts ``when="w: Workplace()"`` and
``then='Obligation(workplace == w.id)'``; the ``properties:`` section of a ruleset uses
the same patterns. Both are checked against the fact types and params by the rule
checker, so a typo is the same diagnostic (OSS034, OSS035, ...) as in a rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import attrs

from ..errors import RulesetError
from ..language import syntax as s
from ..language._check import _check_rule
from ..language._loader import RawRuleset
from ..language._parser import ParseError, parse_pattern
from ..language._positions import _Collector
from ..model._fields import Choice, Optional
from ..model.registry import FactRegistry

__all__ = ["check", "default_order", "parse_then", "parse_when"]

_PREFIX = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?=[A-Za-z_][A-Za-z0-9_]*\s*\()")


def parse_when(patterns: str | Sequence[str], where: str = "<when>") -> tuple[s.Pattern, ...]:
    """Patterns written as in a rule's ``when``: ``"w: Workplace()"``, ``"not: Hazard()"``.

    Raises :class:`~oss_rules.errors.RulesetError` (OSS001) for one that does not parse.
    """
    texts = [patterns] if isinstance(patterns, str) else list(patterns)
    out = []
    for line, text in enumerate(texts, start=1):
        prefix = _PREFIX.match(text)
        body = text[prefix.end() :] if prefix else text
        shift = prefix.end() if prefix else 0
        pattern = _parse(
            body, lambda ln, col, line=line, shift=shift: s.Span(where, line, col + shift)
        )
        if prefix and prefix.group(1) == "not":
            pattern = attrs.evolve(pattern, negated=True)
        elif prefix:
            pattern = attrs.evolve(pattern, binding=prefix.group(1))
        out.append(pattern)
    return tuple(out)


def parse_then(text: str, where: str = "<then>") -> s.Pattern:
    """A ``Type(conditions)`` pattern that conclusions are matched against."""
    return _parse(text, lambda line, col: s.Span(where, line, col))


def _parse(text: str, locate: Any) -> s.Pattern:
    try:
        return parse_pattern(text, locate)
    except ParseError as error:
        raise RulesetError([error.diagnostic]) from None


def check(
    when: Sequence[s.Pattern],
    then: s.Pattern,
    registry: FactRegistry,
    params: dict[str, Any],
    out: _Collector | None = None,
) -> None:
    """Report unknown types, fields and names in ``when`` and ``then`` as the rule checker
    does (``then`` may use the bindings of ``when``): into ``out``, or as a RulesetError."""
    collector = out if out is not None else _Collector()
    raw = RawRuleset()
    raw.sources = {"property": ""}
    raw.params = params
    rule = s.Rule("property", "", ("property",), (*when, then), (), span=then.span)
    _check_rule(rule, raw, registry, collector)
    if out is None and collector.diagnostics:
        raise RulesetError(collector.diagnostics)


def default_order(registry: FactRegistry, of: str) -> tuple[Any, ...] | None:
    """The order of ``Type.field`` values: a choice field's values as declared, else None
    (numbers and dates order themselves)."""
    type_name, _, field_name = of.partition(".")
    field = registry[type_name].field(field_name) if field_name else None
    kind = field.kind if field is not None else None
    kind = kind.inner if isinstance(kind, Optional) else kind
    return kind.values if isinstance(kind, Choice) else None
