"""What a value is, to the type checker: :class:`Type`, the types of field kinds, params
and literals, and which types compare or store.

:mod:`._types` gives each expression its type with these, and :mod:`._calls` the
built-in functions theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..model._fields import (
    Boolean,
    Choice,
    Day,
    Integer,
    Kind,
    Many,
    Moment,
    Month,
    Number,
    Optional,
    Text,
)
from . import syntax as s
from ._versions import Versioned

NUMBERS = frozenset({"int", "float", "decimal", "number"})


@attrs.frozen
class Type:
    """What an expression holds: ``int``, ``decimal``, ``float``, ``number`` (any of them),
    ``string``, ``bool``, ``date``, ``moment`` (date and time), ``duration``, ``null``,
    ``list`` or ``mapping`` (of ``item``), or ``fact`` (a binding's fact)."""

    name: str
    item: Type | None = None
    nullable: bool = False

    @property
    def family(self) -> str:
        """What it can be compared with: all numbers are one family."""
        return "number" if self.name in NUMBERS else self.name

    def __str__(self) -> str:
        text = {
            "int": "an int",
            "float": "a float",
            "decimal": "a decimal",
            "number": "a number",
            "string": "text",
            "null": "null",
        }.get(self.name, f"a {self.name}")
        if self.name in ("list", "mapping") and self.item is not None:
            text += f" of {self.item.family}s"
        return text


DATE = Type("date")
MOMENT = Type("moment")
DECIMAL = Type("decimal")
DURATION = Type("duration")
STRING = Type("string")
INT = Type("int")
FLOAT = Type("float")
BOOL = Type("bool")
NULL = Type("null")
FACT = Type("fact")


def of_kind(kind: Kind) -> Type | None:
    """The type of a field of ``kind``."""
    if isinstance(kind, Optional):
        inner = of_kind(kind.inner)
        return None if inner is None else attrs.evolve(inner, nullable=True)
    if isinstance(kind, Many):
        return Type("list", of_kind(kind.inner))
    simple: dict[type, Type] = {
        Text: STRING,
        Choice: STRING,
        Integer: INT,
        Number: Type("number"),
        Boolean: BOOL,
        Day: DATE,
        Month: DATE,
        Moment: MOMENT,
    }
    return simple.get(type(kind))


def of_value(value: Any) -> Type | None:
    """The type of a param's or a literal's value."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, float):
        return FLOAT
    if isinstance(value, Decimal):
        return DECIMAL
    if isinstance(value, str):
        return STRING
    if isinstance(value, dt.datetime):
        return MOMENT
    if isinstance(value, dt.date):
        return DATE
    if isinstance(value, Versioned):
        return common([of_value(v.value) for v in value.versions])
    if isinstance(value, list | tuple):
        return Type("list", item_of([of_value(v) for v in value]))
    if isinstance(value, Mapping):
        return Type("mapping", item_of([of_value(v) for v in value.values()]))
    return None


def item_of(types: Sequence[Type | None]) -> Type | None:
    """The type of a container's items; unknown when it holds none (or only nulls), since
    an override may fill it."""
    item = common(types)
    return None if item == NULL else item


def common(types: Sequence[Type | None]) -> Type | None:
    """The one type all of ``types`` share, nullable if any is (null aside); any number
    if they mix kinds of numbers; ``None`` if they differ or one is unknown."""
    if any(t is None for t in types):
        return None
    known = [t for t in types if t is not None and t.name != "null"]
    nullable = len(known) < len(types) or any(t.nullable for t in known)
    plain = {attrs.evolve(t, nullable=False) for t in known}
    if len(plain) == 1:
        return attrs.evolve(plain.pop(), nullable=nullable)
    if plain and all(t.name in NUMBERS for t in plain):
        return Type("number", nullable=nullable)
    return NULL if not types or not known else None


Report = Callable[[s.Span, str, str], None]
"""Called with the place, the message and a hint of an expression that cannot work."""

NullReport = Callable[[s.Expr, Sequence[s.Expr]], None]
"""Called with an expression that fails at evaluation when a value it uses is null, and
the sub-expressions that may be null (fields, params, lookups; see :func:`may_be_null`)."""

Scope = Mapping[str, Type | None]
"""The type of each name: params, ``as_of``, bindings (:data:`FACT`), each binding's
fields as ``binding.field``, a pattern's own fields, a ``for`` name."""

FITTING = "each operator needs values of fitting types"


def strict(
    expr: s.Expr, parts: Sequence[tuple[s.Expr, Type | None]], null: NullReport | None
) -> None:
    """Reports ``expr`` once if one of its ``parts`` (a node and its type) may be null."""
    culprits = [
        c for node, kind in parts if kind is not None and kind.nullable for c in may_be_null(node)
    ]
    if culprits and null is not None:
        null(expr, culprits)


def may_be_null(expr: s.Expr) -> list[s.Expr]:
    """The sub-expressions whose null makes ``expr`` (whose type is nullable) null: those
    of each argument of ``coalesce``, else ``expr`` itself (a field, a param, a lookup)."""
    if isinstance(expr, s.Call) and expr.func == "coalesce":
        found = [c for a in expr.args if not isinstance(a, s.Literal) for c in may_be_null(a)]
        return found or [expr]
    return [expr]


def comparable(op: str, field: Type, other: Type) -> bool:
    """Whether ``field op other`` can ever hold (null aside, which the loader checks)."""
    if other.name == "null":
        return True
    if op in ("in", "not in"):
        if other.name != "list":
            return False
        return other.item is None or other.item.family == field.family
    if op in ("<", "<=", ">", ">="):
        return field.family == other.family and field.family in (
            "number",
            "string",
            "date",
            "moment",
        )
    return field.family == other.family


def storable(field: Type, value: Type) -> bool:
    """Whether a field of type ``field`` can hold a value of type ``value``."""
    if value.name == "null":
        return field.nullable
    if field.name == "int" and value.name in ("float", "decimal"):
        return False
    if field.name == "list" and value.name == "list":
        return field.item is None or value.item is None or field.item.family == value.item.family
    return field.family == value.family
