"""Read the ``tables:`` of ruleset files into :class:`~oss_rules.language.syntax.Table` nodes.

A row is a list: its optional ``id: name`` first, then one cell per input column (read by
:mod:`._table_cells`), then one value per output column. Every problem is located at
its place.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import suggest
from ..model._fields import Many
from ..model.registry import FactRegistry
from . import syntax as s
from ._loader import RawRuleset, _plain, _read_derivation, _read_pattern, read_cite
from ._name_check import NAME, RESERVED
from ._parser import ParseError
from ._positions import _Collector, _key_span, _node_span, _value_span, mappings
from ._table_cells import read_cell
from .syntax import HIT_POLICIES, Column, Output, Row, Table

TABLE_KEYS = (
    "id",
    "title",
    "description",
    "cite",
    "hit",
    "when",
    "inputs",
    "outputs",
    "then",
    "rows",
)

ROW_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
"""A row's id: starts with a letter, so that it never reads as another row's number."""


def read_tables(raw: RawRuleset, registry: FactRegistry, out: _Collector) -> None:
    """Read the ``tables:`` of every file that has one into ``raw.tables``."""
    example = "write `- id: my-table` then `when:`, `inputs:`, `outputs:`, `then:`, `rows:`"
    for file, doc in raw.table_nodes:
        for item in mappings(doc, "tables", file, out, what="table", example=example):
            table = _Reader(item, file, raw, registry, out).table()
            if table is not None:
                raw.tables.append(table)


class _Reader:
    """Reads one table mapping; ``ok`` turns false at the first problem that stops it."""

    def __init__(
        self,
        item: CommentedMap,
        file: str,
        raw: RawRuleset,
        registry: FactRegistry,
        out: _Collector,
    ) -> None:
        self.item = item
        self.file = file
        self.raw = raw
        self.registry = registry
        self.out = out
        self.ok = True

    def fail(self, span: s.Span, code: str, message: str, hint: str) -> None:
        self.out.add(span, code, message, hint)
        self.ok = False

    def table(self) -> Table | None:
        item, file = self.item, self.file
        span = _node_span(item, file)
        for key in item:
            if key not in TABLE_KEYS:
                self.fail(
                    _key_span(item, key, file),
                    "OSS012",
                    f"unknown table key `{key}`{suggest(str(key), TABLE_KEYS)}",
                    f"allowed keys: {', '.join(TABLE_KEYS)}",
                )
        table_id = item.get("id")
        if not isinstance(table_id, str) or not table_id.strip() or "#" in table_id:
            self.fail(
                span,
                "OSS013",
                f"table id `{table_id}` holds `#`"
                if isinstance(table_id, str) and "#" in table_id
                else "table has no `id`",
                "add `id: a-unique-name` (without `#`: its rows become rules `<id>#<row>`)",
            )
            return None
        hit = item.get("hit", "unique")
        if hit not in HIT_POLICIES:
            self.fail(
                _value_span(item, "hit", file),
                "OSS060",
                f"unknown hit policy `{hit}`{suggest(str(hit), HIT_POLICIES)}",
                "unique: rows never overlap; first: the first matching row wins; "
                "collect: every matching row fires",
            )
        cite = read_cite(item.get("cite"))
        when = self.items("when", table_id)
        then = self.items("then", table_id)
        inputs = self.inputs(when)
        outputs = self.outputs(when)
        rows = self.rows(inputs, outputs)
        if not self.ok:
            return None
        return Table(
            table_id,
            str(item.get("title", table_id)),
            cite,
            str(hit),
            tuple(when),
            tuple(inputs),
            tuple(outputs),
            tuple(then),
            tuple(rows),
            span=span,
        )

    def items(self, key: str, table_id: str) -> list[Any]:
        """The parsed patterns (``when``) or derivations (``then``)."""
        node = self.item.get(key)
        if not isinstance(node, CommentedSeq) or not node:
            where = _value_span(self.item, key, self.file) if key in self.item else None
            self.fail(
                where or _node_span(self.item, self.file),
                "OSS014",
                f"table `{table_id}` needs a non-empty `{key}` list",
                f"write `{key}:` followed by `- ...` items",
            )
            return []
        read = _read_pattern if key == "when" else _read_derivation
        parsed = []
        for i in range(len(node)):
            try:
                result = read(node, i, self.file, self.out)
            except ParseError as failure:
                self.out.diagnostics.append(failure.diagnostic)
                result = None
            if result is None:
                self.ok = False
            else:
                parsed.append(result)
        return parsed

    def names(self, key: str, example: str) -> list[tuple[str, s.Span]]:
        if key == "outputs" and key not in self.item:
            return []
        node = self.item.get(key)
        if not isinstance(node, CommentedSeq) or not all(isinstance(n, str) for n in node):
            self.fail(
                _value_span(self.item, key, self.file)
                if key in self.item
                else _node_span(self.item, self.file),
                "OSS061" if key == "inputs" else "OSS062",
                f"`{key}` must be a list of names",
                f"e.g. {key}: {example}",
            )
            return []
        return [(str(n), _value_span(node, i, self.file)) for i, n in enumerate(node)]

    def inputs(self, when: list[s.Pattern]) -> list[Column]:
        """Each input column: a field of the first pattern, or ``binding.field``.

        A wrong column is reported and kept, so that the rows are still read against
        the right number of columns.
        """
        names = self.names("inputs", "[likelihood, severity]")
        if not names and self.ok:
            self.fail(
                _value_span(self.item, "inputs", self.file),
                "OSS061",
                "a table needs at least one input column",
                "e.g. inputs: [score]",
            )
        return [self.column(text, span, when) for text, span in names]

    def column(self, text: str, span: s.Span, when: list[s.Pattern]) -> Column:
        bound = {p.binding: i for i, p in enumerate(when) if p.binding and not p.negated}
        binding, dot, field = text.rpartition(".")
        index = bound.get(binding) if dot else (0 if when and not when[0].negated else None)
        column = Column(index or 0, field, text, span=span)
        if index is None:
            self.fail(
                span,
                "OSS061",
                f"input `{text}` names no pattern of `when`{suggest(binding, bound)}",
                "an input is a field of the first pattern, or `binding.field`",
            )
            return column
        if when[index].fact_type not in self.registry:
            return column  # the unknown type is reported when the table is checked
        fact_type = self.registry[when[index].fact_type]
        info = fact_type.field(field)
        if info is None or field in bound:
            self.fail(
                span,
                "OSS061",
                f"{fact_type.name} has no field `{field}`{suggest(field, fact_type.field_names)}",
                "fields: " + ", ".join(fact_type.field_names),
            )
        elif isinstance(info.kind, Many):
            self.fail(
                span,
                "OSS061",
                f"`{field}` is a list and cannot be an input column",
                'test a list field in `when`: `"x" in field`',
            )
        return column

    def outputs(self, when: list[s.Pattern]) -> list[Output]:
        """Each output column: a name for the row's value, free in ``when`` and ``params``.

        A wrong name is reported and kept, like a wrong input column.
        """
        taken = {p.binding for p in when if p.binding} | set(self.raw.params) | RESERVED
        outputs: list[Output] = []
        for name, span in self.names("outputs", "[level]"):
            if not NAME.match(name) or name in taken or name in {o.name for o in outputs}:
                self.fail(
                    span,
                    "OSS062",
                    f"output name `{name}` is not allowed",
                    "use a new lower_snake_case name: not a binding, param, reserved word "
                    "or other output",
                )
            outputs.append(Output(name, span=span))
        return outputs

    def rows(self, inputs: list[Column], outputs: list[Output]) -> list[Row]:
        node = self.item.get("rows")
        if not isinstance(node, CommentedSeq) or not node:
            self.fail(
                _value_span(self.item, "rows", self.file)
                if "rows" in self.item
                else _node_span(self.item, self.file),
                "OSS063",
                "a table needs a non-empty `rows` list",
                "write each row as `- [cell, ..., value, ...]`: inputs first, then outputs",
            )
            return []
        width = len(inputs) + len(outputs)
        rows = []
        ids: dict[str, int] = {}
        for number, row in enumerate(node, start=1):
            span = _value_span(node, number - 1, self.file)
            row_id = self.row_id(row, number, ids)
            first = 0 if row_id is None else 1
            count = len(row) - first if isinstance(row, CommentedSeq) else 0
            if not isinstance(row, CommentedSeq) or count != width:
                got = (
                    f"{count} cell{'' if count == 1 else 's'}"
                    if isinstance(row, CommentedSeq)
                    else "not a list"
                )
                self.fail(
                    span,
                    "OSS063",
                    f"row {number} has {got}; the table has {len(inputs)} input and "
                    f"{len(outputs)} output column(s)",
                    "write `- [cell, ..., value, ...]`: one cell per input, then one value "
                    "per output (after the row's `id: name`, if it has one)",
                )
                continue
            spans = [_value_span(row, first + i, self.file) for i in range(width)]
            cells = [
                read_cell(row[first + i], spans[i], c, self.raw.params, self.out)
                for i, c in enumerate(inputs)
            ]
            if None in cells:
                self.ok = False
            values = [
                self.value(row[first + len(inputs) + i], spans[len(inputs) + i])
                for i in range(len(outputs))
            ]
            rows.append(
                Row(
                    number,
                    tuple(c for c in cells if c is not None),
                    tuple(values),
                    tuple(spans[len(inputs) :]),
                    span=span,
                    id=row_id or None,
                )
            )
        return rows

    def row_id(self, row: Any, number: int, ids: dict[str, int]) -> str | None:
        """The row's id: ``- [id: high, ...]``, a first item ``id: name``; None without one.

        A bad or repeated id is reported (OSS066) and read as ``""``, so that the row is
        still read against its columns.
        """
        if not isinstance(row, CommentedSeq) or not row or not isinstance(row[0], CommentedMap):
            return None
        item = row[0]
        if list(item) != ["id"]:
            return None  # a mapping cell: reported where the cell is read
        span = _value_span(item, "id", self.file)
        value = item["id"]
        if not isinstance(value, str) or not ROW_ID.match(value):
            self.fail(
                span,
                "OSS066",
                f"row id `{value}` is not allowed",
                "a row id is a lower-case name that starts with a letter: letters, digits, "
                "`-` and `_` (e.g. `id: high`); it names the row's rule `<table>#<id>`",
            )
            return ""
        if value in ids:
            self.fail(
                span,
                "OSS066",
                f"row id `{value}` is also the id of row {ids[value]}",
                "give each row of a table its own id",
            )
            return ""
        ids[value] = number
        return str(value)

    def value(self, node: Any, span: s.Span) -> Any:
        if isinstance(node, CommentedMap):
            self.fail(
                span,
                "OSS064",
                "an output value is a string, number, bool, date, null or list",
                "write the value itself, e.g. high",
            )
        return _plain(node)
