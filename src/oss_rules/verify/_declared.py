"""Properties declared in a ruleset's ``properties:`` section: read, checked and located.

The section is a list; each item has an ``id``, optionally a ``title``, a
``description`` and a ``cite``, and one of three kinds (see docs/property-testing.md):

* ``always: {when: [patterns], then: pattern, exactly_one: bool}``: for every match of
  ``when`` over the given and derived facts, a conclusion matches ``then``;
* ``never: {when: [patterns], then: pattern}``: for no match of ``when`` does a
  conclusion match ``then``;
* ``monotone: {in: [Type.field, ...], of: Type or Type.field, by: [field, ...],
  order: [value, ...]}``: raising one of the ``in`` fields of one fact never loses a
  conclusion of type ``of`` (compared by the ``by`` fields), nor lowers its ranked field.

Patterns use the rule language. Problems are reported like ruleset problems, with
file:line:col, codes OSS301-OSS306, and the rule checker's codes for the patterns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import RulesetError, suggest
from ..language import _with_source_line
from ..language import syntax as s
from ..language._loader import _read_pattern
from ..language._parser import ParseError, parse_pattern
from ..language._positions import _Collector, _key_span, _locator, _value_span
from ..model._fields import Choice, Day, Integer, Kind, Number, Optional
from ..model.registry import FactType
from ._patterns import check

__all__ = ["Always", "Monotone", "Never", "Property", "read"]

PROPERTY_KEYS = ("id", "title", "description", "cite", "always", "never", "monotone")
KINDS = ("always", "never", "monotone")
MATCH_KEYS = {"always": ("when", "then", "exactly_one"), "never": ("when", "then")}
MONOTONE_KEYS = ("in", "of", "by", "order")


@attrs.frozen
class Always:
    """For every match of ``when``, some conclusion matches ``then`` (exactly one if asked)."""

    id: str
    title: str
    when: tuple[s.Pattern, ...]
    then: s.Pattern
    exactly_one: bool = False
    cite: tuple[str, ...] = ()
    span: s.Span = attrs.field(default=s.Span("<property>", 1, 1), eq=False)
    kind = "always"


@attrs.frozen
class Never:
    """For no match of ``when`` does a conclusion match ``then``."""

    id: str
    title: str
    when: tuple[s.Pattern, ...]
    then: s.Pattern
    cite: tuple[str, ...] = ()
    span: s.Span = attrs.field(default=s.Span("<property>", 1, 1), eq=False)
    kind = "never"


@attrs.frozen
class Monotone:
    """Raising a field in ``raise_`` never loses an ``of`` conclusion nor lowers its rank.

    ``rank`` is the field of ``of`` that must not go down (in ``order``); ``by`` are the
    fields that identify a conclusion before and after (default: all of them).
    """

    id: str
    title: str
    raise_: tuple[str, ...]
    of: str
    rank: str | None = None
    by: tuple[str, ...] | None = None
    order: tuple[Any, ...] | None = None
    cite: tuple[str, ...] = ()
    span: s.Span = attrs.field(default=s.Span("<property>", 1, 1), eq=False)
    kind = "monotone"


Property = Always | Never | Monotone


def read(ruleset: s.Ruleset) -> tuple[Property, ...]:
    """The properties declared in ``ruleset``; raises RulesetError listing every problem."""
    section = ruleset.properties
    if section is None:
        return ()
    out = _Collector()
    reader = _Reader(ruleset, section.span.file, out)
    found = reader.section(section.data, section.span)
    if out.diagnostics:
        located = sorted(out.diagnostics, key=lambda d: (d.line, d.col))
        raise RulesetError([_with_source_line(d) for d in located])
    return found


class _Reader:
    def __init__(self, ruleset: s.Ruleset, file: str, out: _Collector) -> None:
        self.ruleset = ruleset
        self.registry = ruleset.registry
        self.file = file
        self.out = out

    def section(self, node: Any, span: s.Span) -> tuple[Property, ...]:
        if not isinstance(node, CommentedSeq):
            self.out.add(span, "OSS301", "`properties` must be a list", "write `- id: ...` items")
            return ()
        found: list[Property] = []
        ids: set[str] = set()
        for i, item in enumerate(node):
            where = _value_span(node, i, self.file)
            if not isinstance(item, CommentedMap):
                self.out.add(where, "OSS301", "a property must be a mapping", "start with `- id:`")
                continue
            prop = self.item(item, where)
            if prop is None:
                continue
            if prop.id in ids:
                self.out.add(where, "OSS303", f"duplicate property id `{prop.id}`", "rename one")
            ids.add(prop.id)
            found.append(prop)
        return tuple(found)

    def unknown(self, node: CommentedMap, allowed: Sequence[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                self.out.add(
                    _key_span(node, key, self.file),
                    "OSS302",
                    f"unknown {what} key `{key}`{suggest(str(key), allowed)}",
                    f"allowed keys: {', '.join(allowed)}",
                )

    def item(self, node: CommentedMap, where: s.Span) -> Property | None:
        self.unknown(node, PROPERTY_KEYS, "property")
        prop_id = node.get("id")
        kinds = [k for k in KINDS if k in node]
        if not isinstance(prop_id, str) or not prop_id.strip():
            self.out.add(where, "OSS303", "a property needs an `id`", "add `id: a-unique-name`")
            return None
        if len(kinds) != 1:
            self.out.add(
                where,
                "OSS303",
                f"property `{prop_id}` needs exactly one of always, never, monotone",
                "e.g. `always: {when: [...], then: ...}`",
            )
            return None
        cite_node = node.get("cite", ())
        cite = (cite_node,) if isinstance(cite_node, str) else tuple(map(str, cite_node or ()))
        for source in cite:
            if source not in self.ruleset.sources:
                self.out.add(
                    _value_span(node, "cite", self.file),
                    "OSS306",
                    f"property `{prop_id}` cites unknown source `{source}`"
                    f"{suggest(source, self.ruleset.sources)}",
                    "declare it under `sources:`",
                )
        kind, body = kinds[0], node[kinds[0]]
        title = str(node.get("title", prop_id))
        if not isinstance(body, CommentedMap):
            self.out.add(
                _value_span(node, kind, self.file),
                "OSS304" if kind != "monotone" else "OSS305",
                f"`{kind}` must be a mapping",
                "write its keys on the lines below, indented",
            )
            return None
        if kind == "monotone":
            return self.monotone(prop_id, title, cite, body, where)
        return self.match(kind, prop_id, title, cite, body, where)

    def match(
        self,
        kind: str,
        prop_id: str,
        title: str,
        cite: tuple[str, ...],
        body: CommentedMap,
        where: s.Span,
    ) -> Property | None:
        self.unknown(body, MATCH_KEYS[kind], kind)
        when_node, then_node = body.get("when"), body.get("then")
        if not isinstance(when_node, CommentedSeq) or not when_node:
            self.out.add(
                where,
                "OSS304",
                f"`{kind}` needs a `when` list of patterns",
                "write `when:` then `- w: Workplace()` lines",
            )
            return None
        if not isinstance(then_node, str):
            self.out.add(
                where,
                "OSS304",
                f"`{kind}` needs `then`, a pattern string",
                'e.g. then: Obligation(workplace == w.id, module == "OSS-I")',
            )
            return None
        before = len(self.out.diagnostics)
        when = [self.pattern(when_node, i) for i in range(len(when_node))]
        try:
            then = parse_pattern(
                then_node, _locator(then_node, _value_span(body, "then", self.file))
            )
        except ParseError as error:
            self.out.diagnostics.append(error.diagnostic)
            return None
        if len(self.out.diagnostics) > before or any(p is None for p in when):
            return None
        patterns = tuple(p for p in when if p is not None)
        check(patterns, then, self.registry, dict(self.ruleset.params), self.out)
        exactly_one = body.get("exactly_one", False)
        if not isinstance(exactly_one, bool):
            self.out.add(
                _value_span(body, "exactly_one", self.file),
                "OSS304",
                "`exactly_one` must be true or false",
                "write exactly_one: true",
            )
        if kind == "never":
            return Never(prop_id, title, patterns, then, cite, span=where)
        return Always(prop_id, title, patterns, then, exactly_one is True, cite, span=where)

    def pattern(self, seq: CommentedSeq, i: int) -> s.Pattern | None:
        try:
            return _read_pattern(seq, i, self.file, self.out)
        except ParseError as error:
            self.out.diagnostics.append(error.diagnostic)
            return None

    def monotone(
        self, prop_id: str, title: str, cite: tuple[str, ...], body: CommentedMap, where: s.Span
    ) -> Monotone | None:
        self.unknown(body, MONOTONE_KEYS, "monotone")
        before = len(self.out.diagnostics)
        raised = body.get("in")
        paths = [raised] if isinstance(raised, str) else raised
        if not isinstance(paths, list) or not paths:
            self.out.add(
                where,
                "OSS305",
                "`monotone` needs `in`: the fields that are raised",
                "e.g. in: [Hazard.likelihood, Hazard.severity]",
            )
            return None
        for path in paths:
            span = _value_span(body, "in", self.file)
            kind = self.field_kind(str(path), span, settable=True)
            if kind is not None and not isinstance(_bare(kind), Integer | Number | Day):
                self.out.add(
                    span,
                    "OSS305",
                    f"`{path}` is not a number or a date, so it cannot be raised",
                    "monotone raises int, number and date fields",
                )
        of = body.get("of")
        if not isinstance(of, str):
            self.out.add(
                where,
                "OSS305",
                "`monotone` needs `of`: the conclusions that must not be lost",
                "e.g. of: Obligation, or of: Classification.level to rank levels",
            )
            return None
        of_span = _value_span(body, "of", self.file)
        of_type, _, rank = of.partition(".")
        rank_kind = self.field_kind(of, of_span) if rank else None
        if not rank and self.type_of(of_type, of_span) is None:
            return None
        by = body.get("by")
        if by is not None:
            if not isinstance(by, list) or not by:
                self.out.add(
                    _value_span(body, "by", self.file),
                    "OSS305",
                    "`by` must be a list of fields",
                    "e.g. by: [workplace, hazard]",
                )
            else:
                for name in by:
                    self.field_kind(f"{of_type}.{name}", _value_span(body, "by", self.file))
        order = body.get("order")
        if order is not None and (not rank or not isinstance(order, list)):
            self.out.add(
                _value_span(body, "order", self.file),
                "OSS305",
                "`order` is a list of values, lowest first, for `of: Type.field`",
                "e.g. of: Classification.level with order: [low, medium, high]",
            )
        elif rank_kind is not None and order is None:
            bare = _bare(rank_kind)
            if isinstance(bare, Choice):
                order = list(bare.values)
            elif not isinstance(bare, Integer | Number | Day):
                self.out.add(
                    of_span,
                    "OSS305",
                    f"`{of}` has no natural order",
                    "give `order: [...]`, lowest first",
                )
        if len(self.out.diagnostics) > before:
            return None
        return Monotone(
            prop_id,
            title,
            tuple(map(str, paths)),
            of_type,
            rank or None,
            tuple(map(str, by)) if by else None,
            tuple(order) if order is not None else None,
            cite,
            span=where,
        )

    def type_of(self, name: str, span: s.Span) -> FactType | None:
        if name in self.registry:
            return self.registry[name]
        self.out.add(
            span,
            "OSS305",
            f"unknown fact type `{name}`{suggest(name, self.registry.names())}",
            "known types: " + ", ".join(self.registry.names()),
        )
        return None

    def field_kind(self, path: str, span: s.Span, *, settable: bool = False) -> Kind | None:
        """The kind of field ``Type.field``, or None after reporting why there is none."""
        type_name, dot, field_name = path.partition(".")
        info = self.type_of(type_name, span)
        if info is None:
            return None
        field = info.field(field_name) if dot else None
        if field is None or (settable and not field.init):
            settable_names = [f.name for f in info.fields if f.init or not settable]
            why = "is computed" if field is not None else "is not a field"
            self.out.add(
                span,
                "OSS305",
                f"`{path}` {why} of {type_name}{suggest(field_name, settable_names)}",
                f"write Type.field; fields: {', '.join(settable_names)}",
            )
            return None
        return field.kind


def _bare(kind: Kind) -> Kind:
    return kind.inner if isinstance(kind, Optional) else kind
