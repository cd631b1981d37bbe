"""The ruleset syntax tree: what a loaded ruleset is, with a source position on every node.

Nodes are frozen attrs classes. Positions (:class:`Span`) do not take part in
equality, so two rules that say the same thing compare equal wherever they are.
"""

from __future__ import annotations

import datetime
import typing
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeAlias

import attrs

if TYPE_CHECKING:
    from typing_extensions import TypeVar

    from ..model.registry import FactRegistry

    R = TypeVar("R", default=Any)
else:
    # The default (PEP 696, Python 3.13) is for type checkers; at run time a plain TypeVar
    # does, and loading a ruleset does not import typing_extensions.
    R = typing.TypeVar("R")

__all__ = [
    "AGGREGATES",
    "FLIP",
    "HIT_POLICIES",
    "Aggregate",
    "Alternative",
    "Assignment",
    "Attribute",
    "BinOp",
    "Call",
    "Cell",
    "Column",
    "Compare",
    "Derivation",
    "Expr",
    "Index",
    "ListExpr",
    "Literal",
    "Name",
    "Neg",
    "Output",
    "Pattern",
    "Properties",
    "Row",
    "Rule",
    "Ruleset",
    "Span",
    "Table",
]


@attrs.frozen
class Span:
    """A position in a ruleset file: 1-based line and column."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


def _span() -> Span:
    return attrs.field(eq=False, repr=False, kw_only=True)  # type: ignore[no-any-return]


@attrs.frozen
class Literal:
    """A constant: string, number, bool or null."""

    value: Any
    span: Span = _span()


@attrs.frozen
class Name:
    """A bare name: a field of the pattern's fact, a binding, a param, ``as_of``."""

    id: str
    span: Span = _span()


@attrs.frozen
class Attribute:
    """``obj.name``: a field of a bound fact."""

    obj: Expr
    name: str
    span: Span = _span()


@attrs.frozen
class Index:
    """``obj[key]``: a lookup in a mapping param (a catalogue)."""

    obj: Expr
    key: Expr
    span: Span = _span()


@attrs.frozen
class Call:
    """``func(args...)``: one of the built-in functions."""

    func: str
    args: tuple[Expr, ...]
    span: Span = _span()


@attrs.frozen
class BinOp:
    """Arithmetic: ``+ - * /``."""

    op: str
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen
class Neg:
    """Unary minus."""

    operand: Expr
    span: Span = _span()


@attrs.frozen
class ListExpr:
    """``[a, b, ...]``."""

    items: tuple[Expr, ...]
    span: Span = _span()


Expr: TypeAlias = Literal | Name | Attribute | Index | Call | BinOp | Neg | ListExpr


@attrs.frozen
class Compare:
    """One condition of a pattern: ``left op right``."""

    op: str
    left: Expr
    right: Expr
    span: Span = _span()


FLIP: Mapping[str, str] = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
"""The comparison that holds with its sides swapped: ``a < b`` is ``b > a``. ``in`` and
``not in`` have none (a list is not a field of the fact)."""


@attrs.frozen
class Pattern:
    """``binding: Type(cond, ...)`` in a rule's ``when``; ``negated`` for ``not:``."""

    fact_type: str
    conditions: tuple[Compare, ...]
    binding: str | None = None
    negated: bool = False
    text: str = attrs.field(default="", eq=False)
    span: Span = _span()


AGGREGATES = ("count", "sum", "min", "max")
"""The aggregate functions a rule's ``when`` may compute over the facts meeting a pattern."""


@attrs.frozen
class Aggregate:
    """``name: function(Type(cond, ...)[.field]) [op value]`` in a rule's ``when``.

    Its value is computed over every fact of the pattern's type that meets its conditions
    (which may use the bindings before it): ``count`` counts those facts, ``sum``, ``min``
    and ``max`` combine their ``field``. ``binding`` names the value for later patterns
    and ``then``; ``op`` and ``value`` are a test the value must pass for the rule to hold.
    """

    function: str
    pattern: Pattern
    field: str | None = None
    binding: str | None = None
    op: str | None = None
    value: Expr | None = None
    text: str = attrs.field(default="", eq=False)
    span: Span = _span()

    @property
    def fact_type(self) -> str:
        """The type of the facts it aggregates."""
        return self.pattern.fact_type


@attrs.frozen
class Assignment:
    """``field: expr`` inside a derivation."""

    field: str
    value: Expr
    span: Span = _span()


@attrs.frozen
class Derivation:
    """``Type(field: expr, ...) [for var in expr]`` in a rule's ``then``."""

    fact_type: str
    assignments: tuple[Assignment, ...]
    loop_var: str | None = None
    loop_over: Expr | None = None
    text: str = attrs.field(default="", eq=False)
    span: Span = _span()


@attrs.frozen
class Window:
    """A rule fires only while ``on`` (``as_of`` unless given) lies in ``start..until``
    (inclusive; an open end when None)."""

    start: datetime.date | None
    until: datetime.date | None
    on: Expr

    def covers(self, day: object) -> bool:
        """Whether ``day`` (a date, or a moment's date) lies within the window."""
        if isinstance(day, datetime.datetime):
            day = day.date()
        if not isinstance(day, datetime.date):
            return False
        return (self.start is None or self.start <= day) and (
            self.until is None or day <= self.until
        )


@attrs.frozen
class Alternative:
    """Which alternative of a rule with ``or`` a :class:`Rule` is: ``number`` of ``of``."""

    number: int
    of: int

    def __str__(self) -> str:
        return f"alternative {self.number} of {self.of}"


@attrs.frozen
class Rule:
    """A rule: when all positive patterns match, no negated one does and every aggregate
    passes its test, derive facts.

    A rule written with ``or`` is loaded as one ``Rule`` per alternative, each with the
    same id, title, citations and ``then`` and its own ``alternative``.
    """

    id: str
    title: str
    cite: tuple[str, ...]
    when: tuple[Pattern | Aggregate, ...]
    then: tuple[Derivation, ...]
    span: Span = _span()
    effective: Window | None = attrs.field(default=None, kw_only=True)
    """The rule's effective window (``effective_from``/``effective_until``/``effective_on``)."""
    alternative: Alternative | None = attrs.field(default=None, kw_only=True)
    """Which alternative of its rule this is; None for a rule without ``or``."""

    @property
    def label(self) -> str:
        """The id, and the alternative if any: ``hazmat (alternative 2 of 3)``."""
        return self.id if self.alternative is None else f"{self.id} ({self.alternative})"

    @property
    def positives(self) -> tuple[Pattern, ...]:
        """The patterns that must match."""
        return tuple(p for p in self.when if isinstance(p, Pattern) and not p.negated)

    @property
    def negatives(self) -> tuple[Pattern, ...]:
        """The patterns that must not match."""
        return tuple(p for p in self.when if isinstance(p, Pattern) and p.negated)

    @property
    def aggregates(self) -> tuple[Aggregate, ...]:
        """The aggregates of ``when``, in order."""
        return tuple(p for p in self.when if isinstance(p, Aggregate))

    @property
    def patterns(self) -> tuple[Pattern, ...]:
        """Every pattern the rule tests facts with, in order: positive, negated, and the
        pattern inside each aggregate."""
        return tuple(p.pattern if isinstance(p, Aggregate) else p for p in self.when)


@attrs.frozen
class Properties:
    """The header's ``properties:`` section, kept as written for ``oss-rules verify``.

    ``data`` is the YAML node: ruamel keeps the line and column of each key and item,
    so problems in the section are reported at their place (see ``oss_rules.verify._declared``).
    """

    data: Any = attrs.field(eq=False)
    span: Span = _span()


# Decision tables (see oss_rules.language._table_expand for how rows become rules).

HIT_POLICIES = ("unique", "first", "collect")
"""How rows combine: at most one matches, the first match wins, every match fires."""


@attrs.frozen
class Column:
    """An input column: the field ``field`` of the fact matched by ``when[pattern]``."""

    pattern: int
    field: str
    text: str
    span: Span = _span()


@attrs.frozen
class Output:
    """An output column: a name that the table's ``then`` uses for the row's value."""

    name: str
    span: Span = _span()


@attrs.frozen
class Cell:
    """One input cell: the conditions it puts on its column's field; none for ``-``."""

    tests: tuple[Compare, ...]
    text: str = attrs.field(default="", eq=False)
    span: Span = _span()


@attrs.frozen
class Row:
    """One row of a table: a cell per input column and a value per output column.

    ``id`` is the name the row's author gave it (``- [id: high, ...]``); without one, the
    row is known by its ``number`` (1-based), which changes when a row is inserted above.
    """

    number: int
    cells: tuple[Cell, ...]
    values: tuple[Any, ...]
    value_spans: tuple[Span, ...] = attrs.field(eq=False, repr=False)
    span: Span = _span()
    id: str | None = attrs.field(default=None, kw_only=True)

    @property
    def name(self) -> str:
        """What the row's rule id calls it: its ``id``, else its number."""
        return self.id or str(self.number)

    @property
    def label(self) -> str:
        """The row in a message: ``row `high``` or ``row 3``."""
        return f"row `{self.id}`" if self.id else f"row {self.number}"


@attrs.frozen
class Table:
    """A decision table as written, with the source position of every part."""

    id: str
    title: str
    cite: tuple[str, ...]
    hit: str
    when: tuple[Pattern, ...]
    inputs: tuple[Column, ...]
    outputs: tuple[Output, ...]
    then: tuple[Derivation, ...]
    rows: tuple[Row, ...]
    span: Span = _span()

    def row_id(self, row: Row, part: int | None = None) -> str:
        """The id of the rule compiled from ``row`` (and ``part`` of a split ``first`` row):
        ``risk-level#high`` for a row with an id, ``risk-level#3`` for the third row
        without one, ``review#3.2`` for a part."""
        return f"{self.id}#{row.name}" + (f".{part}" if part is not None else "")


@attrs.frozen
class Ruleset(Generic[R]):
    """A loaded ruleset: versioned, cited, parametrised rules plus the digest of its files.

    Get one with :func:`oss_rules.load` or :func:`oss_rules.load_default`; evaluate it
    with :class:`oss_rules.Engine`. ``R`` is the type of the results it gives (the
    :class:`~oss_rules.Result` subclass with its domains' views); it is only a static type.
    """

    id: str
    version: str
    title: str
    sources: Mapping[str, str]
    params: Mapping[str, Any]
    rules: tuple[Rule, ...]
    digest: str
    path: str = attrs.field(eq=False)
    registry: FactRegistry = attrs.field(eq=False, repr=False)
    param_spans: Mapping[str, Span] = attrs.field(eq=False, repr=False, factory=dict)
    source_spans: Mapping[str, Span] = attrs.field(eq=False, repr=False, factory=dict)
    tables: tuple[Table, ...] = attrs.field(eq=False, repr=False, default=())
    """The decision tables as written; their rows are already among ``rules``."""
    properties: Properties | None = attrs.field(eq=False, repr=False, default=None)
    """The ``properties:`` section as written, read by ``oss-rules verify``."""
    domains: tuple[str, ...] = ()
    """The domains whose fact types the ruleset uses (its header's ``domains:``)."""
    internal: frozenset[str] = attrs.field(default=frozenset(), kw_only=True)
    """The derived types that are only steps of a proof (the header's ``internal:``):
    outputs for people do not list them as conclusions; ``explain`` still shows them."""
    titles: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict, kw_only=True)
    """Human titles of field values (the header's ``titles:``): ``"Type.field"`` ->
    value -> title, e.g. ``titles["Finding.code"]["stale_assessment"]``."""
    strata: tuple[tuple[Rule, ...], ...] = attrs.field(eq=False, repr=False, kw_only=True)
    """``rules`` grouped into strata, lowest first, each in ``rules`` order: computed once,
    when the ruleset is checked, for the compiler and the oracle."""

    def title_of(self, kind: str, field: str, value: object) -> str | None:
        """The title the header gives ``value`` of ``kind.field``; ``None`` if it gives none."""
        return self.titles.get(f"{kind}.{field}", {}).get(str(value))

    def rule(self, rule_id: str) -> Rule:
        """The rule with id ``rule_id``; ``KeyError`` if there is none."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def iter_names(expr: Expr) -> Iterator[Name]:
    """Every bare name in ``expr`` (not attribute names)."""
    match expr:
        case Name():
            yield expr
        case Attribute(obj=obj):
            yield from iter_names(obj)
        case Index(obj=obj, key=key):
            yield from iter_names(obj)
            yield from iter_names(key)
        case Call(args=args):
            for a in args:
                yield from iter_names(a)
        case BinOp(left=left, right=right):
            yield from iter_names(left)
            yield from iter_names(right)
        case Neg(operand=operand):
            yield from iter_names(operand)
        case ListExpr(items=items):
            for item in items:
                yield from iter_names(item)
