"""Rules with ``or``: a rule's ``when`` read into its alternatives, each a plain conjunction.

``or`` appears in two places. Inside a pattern it joins conditions
(``Hazard(category == "chemical" or category == "biological")``); as an item of
``when`` it joins groups of patterns::

    when:
      - w: Workplace()
      - or:
          - h: Hazard(workplace == w.id, severity >= 4)
          -   - i: Incident(workplace == w.id)
              - not: Registration(workplace == w.id)

Each alternative is a list of ``when`` items, or one item. A rule is loaded as one
plain rule per way of choosing an alternative of every ``or`` (in the order written), so
the checker, both engine backends, the oracle and ``--why-not`` see only conjunctions,
and a proof names the alternative that held. Negation needs no alternatives: ``not:
Hazard(a or b)`` is "no Hazard with a, and no Hazard with b", two negated patterns of the
same alternative.
"""

from __future__ import annotations

import re

import attrs
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import syntax as s
from ._parser import MAX_ALTERNATIVES, ParseError, parse_aggregate, parse_pattern_options
from ._positions import _Collector, _locator, _node_span, _value_span

__all__ = ["is_aggregate", "read_when"]

Conjunction = tuple[s.Pattern | s.Aggregate, ...]
"""One alternative: patterns that must all hold (negated ones: be absent), and aggregates."""

_AGGREGATE = re.compile(r"\s*(?:count|sum|min|max)\s*\(")


def is_aggregate(text: str) -> bool:
    """Whether a ``when`` item's text is an aggregate (a pattern starts with its type)."""
    return _AGGREGATE.match(text) is not None


_ITEM_HINT = "bind the fact to a name to use it later: `h: Hazard()`"


def read_when(node: CommentedSeq, file: str, out: _Collector) -> list[Conjunction] | None:
    """The alternatives of a rule's ``when`` list: one when it has no ``or``.

    Every problem goes to ``out``; the result is None when there was one.
    """
    return _Reader(file, out).items(node, _node_span(node, file))


class _Reader:
    def __init__(self, file: str, out: _Collector) -> None:
        self.file = file
        self.out = out

    def items(self, seq: CommentedSeq, span: s.Span) -> list[Conjunction] | None:
        """Every item must hold: the alternatives of each, combined."""
        combined: list[Conjunction] | None = [()]
        for i in range(len(seq)):
            found = self.item(seq, i)
            if found is None or combined is None:
                combined = None
                continue
            if len(combined) * len(found) > MAX_ALTERNATIVES:
                self.out.add(
                    span,
                    "OSS032",
                    f"the `or`s of this rule give {len(combined) * len(found)} alternatives, "
                    f"more than {MAX_ALTERNATIVES}",
                    "split the rule, or compare with a list: `category in [...]`",
                )
                return None
            combined = [(*left, *right) for left in combined for right in found]
        return combined

    def item(self, seq: CommentedSeq, i: int) -> list[Conjunction] | None:
        node = seq[i]
        where = _value_span(seq, i, self.file)
        try:
            if isinstance(node, str) and is_aggregate(node):
                return [(parse_aggregate(str(node), _locator(node, where)),)]
            if isinstance(node, str):
                return [(p,) for p in parse_pattern_options(str(node), _locator(node, where))]
            if isinstance(node, CommentedMap) and len(node) == 1:
                ((key, value),) = node.items()
                if key == "or":
                    return self.either(node, value)
                return self.named(node, str(key), value)
        except ParseError as failure:
            self.out.diagnostics.append(failure.diagnostic)
            return None
        self.out.add(
            where,
            "OSS015",
            "each `when` item is `Type(...)`, `name: Type(...)`, `not: Type(...)` or `or:`",
            _ITEM_HINT,
        )
        return None

    def named(self, node: CommentedMap, key: str, text: object) -> list[Conjunction] | None:
        where = _value_span(node, key, self.file)
        if not isinstance(text, str):
            if key == "not" and isinstance(text, CommentedMap) and "or" in text:
                self.out.add(
                    where,
                    "OSS015",
                    "`not:` takes one pattern, not `or:`",
                    "for `not (A or B)` write `not: A` and `not: B` as two items, or put "
                    "the `or` inside the pattern: `not: Hazard(a or b)`",
                )
            else:
                self.out.add(
                    where, "OSS015", "a pattern must be a string", "e.g. h: Hazard(severity >= 4)"
                )
            return None
        if is_aggregate(text):
            if key == "not":
                self.out.add(
                    where,
                    "OSS015",
                    "`not:` cannot negate an aggregate",
                    "test its value instead: `count(Hazard(...)) == 0`",
                )
                return None
            aggregate = parse_aggregate(text, _locator(text, where))
            return [(attrs.evolve(aggregate, binding=key),)]
        options = parse_pattern_options(str(text), _locator(text, where))
        if key == "not":
            # No fact meets a or b: no fact meets a, and none meets b.
            return [tuple(attrs.evolve(p, negated=True) for p in options)]
        return [(attrs.evolve(p, binding=key),) for p in options]

    def either(self, node: CommentedMap, value: object) -> list[Conjunction] | None:
        where = _value_span(node, "or", self.file)
        if not isinstance(value, CommentedSeq) or len(value) < 2:
            self.out.add(
                where,
                "OSS015",
                "`or:` takes a list of two or more alternatives",
                "write each alternative as a `- ` item: one pattern, or a list of patterns",
            )
            return None
        found: list[Conjunction] = []
        ok = True
        for i, alternative in enumerate(value):
            if isinstance(alternative, CommentedSeq) and not alternative:
                self.out.add(
                    _value_span(value, i, self.file),
                    "OSS015",
                    "an alternative of `or:` is an empty list",
                    "give each alternative at least one pattern",
                )
                inner = None
            elif isinstance(alternative, CommentedSeq):
                inner = self.items(alternative, _value_span(value, i, self.file))
            else:
                inner = self.item(value, i)
            if inner is None:
                ok = False
            else:
                found.extend(inner)
        if not ok:
            return None
        if len(found) > MAX_ALTERNATIVES:
            self.out.add(
                where,
                "OSS032",
                f"this `or:` gives {len(found)} alternatives, more than {MAX_ALTERNATIVES}",
                "split the rule, or compare with a list: `category in [...]`",
            )
            return None
        return found
