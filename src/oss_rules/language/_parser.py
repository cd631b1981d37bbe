"""Parse the strings inside ruleset YAML (patterns, derivations, expressions) with lark."""

from __future__ import annotations

import ast as _pyast
import itertools
import math
import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import attrs
import lark

from ..errors import Diagnostic
from ..model._limits import RANGE_HINT, in_range
from . import syntax as s

Locate = Callable[[int, int], s.Span]
"""Maps a 1-based (line, col) inside the parsed string to its place in the file."""


class ParseError(Exception):
    """Raised with the diagnostic of a string that does not parse."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(str(diagnostic))


@cache
def _lark() -> lark.Lark:
    grammar = resources.files(__package__).joinpath("grammar.lark").read_text("utf-8")
    return lark.Lark(
        grammar,
        parser="lalr",
        start=["start_pattern", "start_derivation", "start_expr", "start_aggregate"],
        propagate_positions=True,
        maybe_placeholders=True,
    )


_OPS = {"add": "+", "sub": "-", "mul": "*", "div": "/"}

_TOKEN_NAMES = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": "a string",
    "COMPOP": "a comparison (== != < <= > >=)",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "COMMA": "`,`",
    "COLON": "`:`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "DOT": "`.`",
    "IN": "`in`",
    "FOR": "`for`",
    "NOT": "`not`",
    "OR": "`or`",
    "MINUS": "`-`",
    "PLUS": "`+`",
    "STAR": "`*`",
    "SLASH": "`/`",
    "TRUE": "`true`",
    "FALSE": "`false`",
    "NULL": "`null`",
    "$END": "the end",
}


class _Build(lark.Transformer[Any, Any]):
    """Turns lark's tree into syntax nodes, locating each with ``locate``."""

    def __init__(self, locate: Locate, text: str) -> None:
        super().__init__()
        self._locate = locate
        self._text = text

    def _span(self, meta: Any) -> s.Span:
        if getattr(meta, "empty", True):
            return self._locate(1, 1)
        return self._locate(meta.line, meta.column)

    @lark.v_args(meta=True)
    def pattern(self, meta: Any, children: list[Any]) -> _Written:
        name, *choices = children
        return _Written(
            str(name),
            tuple(c for c in choices if c is not None),
            self._text,
            self._span(meta),
        )

    def choice(self, children: list[Any]) -> tuple[s.Compare, ...]:
        return tuple(children)

    @lark.v_args(meta=True)
    def aggregate(self, meta: Any, children: list[Any]) -> tuple[s.Aggregate, _Written]:
        function, written, field, op, value = children
        aggregate = s.Aggregate(
            str(function),
            s.Pattern(written.fact_type, (), span=written.span),
            None if field is None else str(field),
            op=None if op is None else str(op),
            value=value,
            text=self._text,
            span=self._span(meta),
        )
        return aggregate, written

    @lark.v_args(meta=True)
    def compare(self, meta: Any, children: list[Any]) -> s.Compare:
        left, op, right = children
        return s.Compare(str(op), left, right, span=self._span(meta))

    @lark.v_args(meta=True)
    def in_(self, meta: Any, children: list[Any]) -> s.Compare:
        return s.Compare("in", children[0], children[1], span=self._span(meta))

    @lark.v_args(meta=True)
    def not_in(self, meta: Any, children: list[Any]) -> s.Compare:
        return s.Compare("not in", children[0], children[1], span=self._span(meta))

    @lark.v_args(meta=True)
    def derivation(self, meta: Any, children: list[Any]) -> s.Derivation:
        name, *rest = children
        loop = rest.pop() if rest and isinstance(rest[-1], tuple) else None
        assignments = tuple(a for a in rest if a is not None)
        return s.Derivation(
            str(name),
            assignments,
            loop_var=loop[0] if loop else None,
            loop_over=loop[1] if loop else None,
            text=self._text,
            span=self._span(meta),
        )

    def loop(self, children: list[Any]) -> tuple[str, s.Expr]:
        return (str(children[0]), children[1])

    @lark.v_args(meta=True)
    def assign(self, meta: Any, children: list[Any]) -> s.Assignment:
        return s.Assignment(str(children[0]), children[1], span=self._span(meta))

    def _binop(self, op: str, meta: Any, children: list[Any]) -> s.BinOp:
        return s.BinOp(op, children[0], children[1], span=self._span(meta))

    @lark.v_args(meta=True)
    def add(self, meta: Any, children: list[Any]) -> s.BinOp:
        return self._binop("+", meta, children)

    @lark.v_args(meta=True)
    def sub(self, meta: Any, children: list[Any]) -> s.BinOp:
        return self._binop("-", meta, children)

    @lark.v_args(meta=True)
    def mul(self, meta: Any, children: list[Any]) -> s.BinOp:
        return self._binop("*", meta, children)

    @lark.v_args(meta=True)
    def div(self, meta: Any, children: list[Any]) -> s.BinOp:
        return self._binop("/", meta, children)

    @lark.v_args(meta=True)
    def neg(self, meta: Any, children: list[Any]) -> s.Neg:
        return s.Neg(children[0], span=self._span(meta))

    @lark.v_args(meta=True)
    def attr(self, meta: Any, children: list[Any]) -> s.Attribute:
        return s.Attribute(children[0], str(children[1]), span=self._span(meta))

    @lark.v_args(meta=True)
    def index(self, meta: Any, children: list[Any]) -> s.Index:
        return s.Index(children[0], children[1], span=self._span(meta))

    @lark.v_args(meta=True)
    def number(self, meta: Any, children: list[Any]) -> s.Literal:
        text = str(children[0])
        # A decimal point makes an exact Decimal: 0.24 is 0.24, not 0.2399999999999999911.
        value: int | Decimal = Decimal(text) if "." in text else int(text)
        return s.Literal(value, span=self._span(meta))

    @lark.v_args(meta=True)
    def string(self, meta: Any, children: list[Any]) -> s.Literal:
        return s.Literal(_pyast.literal_eval(str(children[0])), span=self._span(meta))

    @lark.v_args(meta=True)
    def true(self, meta: Any, children: list[Any]) -> s.Literal:
        return s.Literal(True, span=self._span(meta))

    @lark.v_args(meta=True)
    def false(self, meta: Any, children: list[Any]) -> s.Literal:
        return s.Literal(False, span=self._span(meta))

    @lark.v_args(meta=True)
    def null(self, meta: Any, children: list[Any]) -> s.Literal:
        return s.Literal(None, span=self._span(meta))

    @lark.v_args(meta=True)
    def call(self, meta: Any, children: list[Any]) -> s.Call:
        name, *args = children
        return s.Call(str(name), tuple(a for a in args if a is not None), span=self._span(meta))

    @lark.v_args(meta=True)
    def name(self, meta: Any, children: list[Any]) -> s.Name:
        return s.Name(str(children[0]), span=self._span(meta))

    @lark.v_args(meta=True)
    def list_expr(self, meta: Any, children: list[Any]) -> s.ListExpr:
        return s.ListExpr(tuple(c for c in children if c is not None), span=self._span(meta))

    def start_pattern(self, children: list[Any]) -> Any:
        return children[0]

    start_derivation = start_pattern
    start_expr = start_pattern
    start_aggregate = start_pattern


MAX_ALTERNATIVES = 16
"""The most alternatives the ``or``s of one rule may give (each runs as a rule of its own)."""


@attrs.frozen
class _Written:
    """A pattern as written: per condition, the comparisons joined by ``or`` (usually one)."""

    fact_type: str
    choices: tuple[tuple[s.Compare, ...], ...]
    text: str
    span: s.Span

    def options(self) -> tuple[s.Pattern, ...]:
        """The plain patterns it stands for: one per way of picking a comparison of each
        choice, in the order written (``A(a or b, c or d)``: ``a, c``; ``a, d``; ``b, c``;
        ``b, d``). A pattern without ``or`` keeps its text; an option shows its own."""
        count = math.prod(len(choice) for choice in self.choices)
        if count > MAX_ALTERNATIVES:
            raise ParseError(
                Diagnostic(
                    self.span.file,
                    self.span.line,
                    self.span.col,
                    "OSS032",
                    f"the `or`s of this pattern give {count} alternatives, more than "
                    f"{MAX_ALTERNATIVES}",
                    "split the rule, or compare with a list: `category in [...]`",
                    self.text,
                )
            )
        if count == 1:
            conditions = tuple(choice[0] for choice in self.choices)
            return (s.Pattern(self.fact_type, conditions, text=self.text, span=self.span),)
        return tuple(
            s.Pattern(self.fact_type, picked, span=self.span)
            for picked in itertools.product(*self.choices)
        )


MAX_NESTING = 32
"""Brackets nest at most this deep in one pattern, derivation or expression."""
MAX_OPERATORS = 100
"""At most this many operators in one of them: each makes the syntax tree one level deeper,
and every later pass (check, compile, evaluate) walks the tree recursively."""

_STRING_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_NUMBER_LITERAL = re.compile(r"(?<![\w.])[0-9]+(?:\.[0-9]+)?")
_NESTING = re.compile(r"[()\[\]]")
_OPERATOR = re.compile(r"[-+*/]|\bnot\b")


def _check_limits(text: str, locate: Locate) -> None:
    """Refuse, with a located diagnostic, what would overflow the recursion of later
    passes or durable's numbers: deep nesting, long operator chains, huge literals."""
    blanked = _STRING_LITERAL.sub(lambda m: " " * len(m.group()), text)

    def refuse(at: int, code: str, message: str, hint: str) -> None:
        line = text.count("\n", 0, at) + 1
        span = locate(line, at - (text.rfind("\n", 0, at) + 1) + 1)
        raise ParseError(Diagnostic(span.file, span.line, span.col, code, message, hint, text))

    depth = 0
    for match in _NESTING.finditer(blanked):
        depth += 1 if match.group() in "([" else -1
        if depth > MAX_NESTING:
            refuse(
                match.start(),
                "OSS019",
                f"nested deeper than {MAX_NESTING} levels of brackets",
                "compute parts in a lower-stratum rule, or write the expression flatter",
            )
    operators = list(_OPERATOR.finditer(blanked))
    if len(operators) > MAX_OPERATORS:
        refuse(
            operators[MAX_OPERATORS].start(),
            "OSS019",
            f"more than {MAX_OPERATORS} operators in one item",
            "split the computation over several rules or table rows",
        )
    for match in _NUMBER_LITERAL.finditer(blanked):
        digits = match.group()
        if len(digits) > 40 or not in_range(Decimal(digits)):
            refuse(
                match.start(),
                "OSS027",
                f"the number {digits[:40]}{'...' if len(digits) > 40 else ''} is out of range",
                RANGE_HINT.removeprefix("; "),
            )


def _parse(text: str, start: str, locate: Locate, what: str, example: str) -> Any:
    _check_limits(text, locate)
    try:
        tree = _lark().parse(text, start=start)
    except lark.UnexpectedInput as error:
        span = locate(error.line if error.line > 0 else 1, error.column if error.column > 0 else 1)
        expected = sorted(getattr(error, "expected", None) or getattr(error, "allowed", ()) or ())
        names = [_TOKEN_NAMES.get(e, f"`{e.lower()}`") for e in expected][:6]
        found = _found(error)
        message = f"cannot parse {what}: unexpected {found}"
        if names:
            message += ", expected " + " or ".join(names)
        hint = f"write {example}"
        if text.count("(") != text.count(")"):
            hint = (
                "a comma inside a YAML flow list `[...]` splits the item: quote the pattern "
                "or put each item on its own `- ` line"
            )
        raise ParseError(
            Diagnostic(span.file, span.line, span.col, "OSS001", message, hint, text)
        ) from None
    result: Any = _Build(locate, text).transform(tree)
    return result


def _found(error: lark.UnexpectedInput) -> str:
    token = getattr(error, "token", None)
    if token is not None:
        return "the end" if token.type == "$END" else f"`{token}`"
    char = getattr(error, "char", None)
    return f"`{char}`" if char else "input"


def parse_pattern(text: str, locate: Locate) -> s.Pattern:
    """Parse ``Type(cond, ...)``; raises :class:`ParseError` with a located diagnostic.

    ``or`` is refused here (OSS001): it belongs to a rule's ``when``, which reads its
    patterns with :func:`parse_pattern_options`.
    """
    return _plain(
        _written(text, locate),
        "`or` is allowed only in the `when` of a rule",
        "a table's rows are its alternatives; elsewhere ask once per alternative",
    )


def _plain(written: _Written, message: str, hint: str) -> s.Pattern:
    """The one pattern ``written`` stands for; OSS001 at an ``or`` in it."""
    for choice in written.choices:
        if len(choice) > 1:
            span = choice[1].span
            raise ParseError(
                Diagnostic(span.file, span.line, span.col, "OSS001", message, hint, written.text)
            )
    (pattern,) = written.options()
    return pattern


def parse_pattern_options(text: str, locate: Locate) -> tuple[s.Pattern, ...]:
    """Parse ``Type(cond or cond, ...)`` into the plain patterns it stands for (one when
    it has no ``or``; see :meth:`_Written.options`)."""
    return _written(text, locate).options()


def _written(text: str, locate: Locate) -> _Written:
    result: _Written = _parse(
        text, "start_pattern", locate, "pattern", "a pattern like Hazard(severity >= 4)"
    )
    return result


def parse_aggregate(text: str, locate: Locate) -> s.Aggregate:
    """Parse ``function(Type(cond, ...)[.field]) [op expr]``."""
    aggregate: s.Aggregate
    written: _Written
    aggregate, written = _parse(
        text,
        "start_aggregate",
        locate,
        "aggregate",
        "an aggregate like count(Hazard(workplace == w.id)) or sum(Payment(month == m).amount)",
    )
    pattern = _plain(
        written,
        "`or` cannot stand inside an aggregate's pattern",
        "count the alternatives together with a list (`category in [...]`), or write one "
        "aggregate per alternative",
    )
    # The pattern's own text is not the item's: rendered from its conditions.
    return attrs.evolve(aggregate, pattern=attrs.evolve(pattern, text=""))


def parse_derivation(text: str, locate: Locate) -> s.Derivation:
    """Parse ``Type(field: expr, ...) [for x in expr]``."""
    result: s.Derivation = _parse(
        text,
        "start_derivation",
        locate,
        "derivation",
        'a derivation like Obligation(workplace: w.id, module: "OSS-I")',
    )
    return result


def parse_expr(text: str, locate: Locate) -> s.Expr:
    """Parse a single expression."""
    result: s.Expr = _parse(text, "start_expr", locate, "expression", "an expression like h.score")
    return result
