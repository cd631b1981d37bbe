"""Read the ``tables:`` of ruleset files into :class:`~oss_rules.language.syntax.Table` nodes.

Cells are short strings, parsed here rather than by the grammar: ``-`` (any value),
``< expr`` and the other comparisons, ``in expr`` / ``not in expr``, ranges ``lo..hi``
(both ends included) and ``lo..<hi`` (upper end excluded), a YAML list (one of these
values), or a plain value (equal to it). Every problem is located at its cell.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import Diagnostic, suggest
from ..model._fields import Many
from ..model.registry import FactRegistry
from . import syntax as s
from ._check import _NAME, RESERVED
from ._loader import RawRuleset, _plain, _read_derivation, _read_pattern, read_cite
from ._parser import Locate, ParseError, parse_expr
from ._positions import _Collector, _key_span, _locator, _node_span, _value_span
from .syntax import HIT_POLICIES, Cell, Column, Output, Row, Table

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

_OPERATOR = re.compile(r"^(==|!=|<=|>=|<|>|not\s+in\b|in\b)\s*")
_RANGE = re.compile(r"\.\.(<?)")
_SCALAR = (str, int, float, bool)


def read_tables(raw: RawRuleset, registry: FactRegistry, out: _Collector) -> None:
    """Read the ``tables:`` of every file that has one into ``raw.tables``."""
    for file, doc in raw.table_nodes:
        node = doc["tables"]
        if not isinstance(node, CommentedSeq):
            out.add(
                _value_span(doc, "tables", file),
                "OSS008",
                "`tables` must be a list",
                "write each table as `- id: ...`",
            )
            continue
        for i, item in enumerate(node):
            if not isinstance(item, CommentedMap):
                out.add(
                    _value_span(node, i, file),
                    "OSS009",
                    "a table must be a mapping",
                    "write `- id: my-table` then `when:`, `inputs:`, `outputs:`, `then:`, `rows:`",
                )
                continue
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
            if not _NAME.match(name) or name in taken or name in {o.name for o in outputs}:
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
        for number, row in enumerate(node, start=1):
            span = _value_span(node, number - 1, self.file)
            if not isinstance(row, CommentedSeq) or len(row) != width:
                got = (
                    f"{len(row)} cell{'' if len(row) == 1 else 's'}"
                    if isinstance(row, CommentedSeq)
                    else "not a list"
                )
                self.fail(
                    span,
                    "OSS063",
                    f"row {number} has {got}; the table has {len(inputs)} input and "
                    f"{len(outputs)} output column(s)",
                    "write `- [cell, ..., value, ...]`: one cell per input, then one value "
                    "per output",
                )
                continue
            spans = [_value_span(row, i, self.file) for i in range(width)]
            cells = [self.cell(row[i], spans[i], c) for i, c in enumerate(inputs)]
            values = [
                self.value(row[len(inputs) + i], spans[len(inputs) + i])
                for i in range(len(outputs))
            ]
            rows.append(
                Row(
                    number,
                    tuple(c for c in cells if c is not None),
                    tuple(values),
                    tuple(spans[len(inputs) :]),
                    span=span,
                )
            )
        return rows

    def value(self, node: Any, span: s.Span) -> Any:
        if isinstance(node, CommentedMap):
            self.fail(
                span,
                "OSS064",
                "an output value is a string, number, bool, date, null or list",
                "write the value itself, e.g. high",
            )
        return _plain(node)

    def cell(self, node: Any, span: s.Span, column: Column) -> Cell | None:
        field = s.Name(column.field, span=span)

        def test(op: str, right: s.Expr) -> s.Compare:
            return s.Compare(op, field, right, span=span)

        if isinstance(node, CommentedSeq):
            if not all(isinstance(v, _SCALAR) or v is None for v in node):
                self.fail(span, "OSS064", "a list cell holds values only", "e.g. [fall, noise]")
                return None
            items = tuple(s.Literal(_plain(v), span=span) for v in node)
            return Cell((test("in", s.ListExpr(items, span=span)),), str(node), span=span)
        if not isinstance(node, str):
            if isinstance(node, CommentedMap):
                self.fail(span, "OSS064", "a cell cannot be a mapping", "quote it")
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
                right = self.expr(stripped, operator.end(), len(stripped), locate)
                return Cell((test(op, right),), text, span=span)
            bounds = _range(stripped)
            if bounds:
                start, end, exclusive = bounds
                low = self.expr(stripped, 0, start, locate)
                high = self.expr(stripped, end, len(stripped), locate)
                tests = (test(">=", low), test("<" if exclusive else "<=", high))
                return Cell(tests, text, span=span)
        except ParseError as failure:
            self.out.diagnostics.append(failure.diagnostic)
            self.ok = False
            return None
        if stripped in self.raw.params:
            self.fail(
                span,
                "OSS064",
                f"a cell without an operator is a value, so this is the text {stripped!r}",
                f"write `== {stripped}` to compare with the param `{stripped}`",
            )
            return None
        return Cell((test("==", s.Literal(text, span=span)),), text, span=span)

    def expr(self, text: str, start: int, end: int, locate: Locate) -> s.Expr:
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
