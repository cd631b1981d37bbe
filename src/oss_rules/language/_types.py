"""Static types of expressions, from field kinds, param values and the built-in functions.

Every expression gets a type, or ``None`` when it cannot tell: a name that is unknown (the
loader reported it), a lookup in a mapping whose values differ in type. An expression of
unknown type yields no diagnostic, so one mistake is reported once: a misspelt field is
an unknown name, not also an operator that cannot add it.

:func:`infer` is one ``match`` over the expression nodes: a new node is one more case.
The load-time check (:mod:`._typecheck`) uses it on every condition, derivation and
effective window.
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
from ._unparse import unparse
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
        return Type("list", _item([of_value(v) for v in value]))
    if isinstance(value, Mapping):
        return Type("mapping", _item([of_value(v) for v in value.values()]))
    return None


def _item(types: Sequence[Type | None]) -> Type | None:
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

_FITTING = "each operator needs values of fitting types"


def infer(
    expr: s.Expr, names: Scope, report: Report, null: NullReport | None = None
) -> Type | None:
    """The type of ``expr`` where each name has the type ``names`` gives it.

    Reports each sub-expression that cannot work, once, at its place; a part of unknown
    type (``None``) is not reported again by the expressions around it. With ``null``,
    also each operator or function that a null would make fail (arithmetic, dates,
    lookups: all but ``coalesce`` and ``str``), told apart from a type mistake: its value
    is never null, since evaluation stops there when one is.
    """
    match expr:
        case s.Literal(value=value):
            return of_value(value)
        case s.Name(id=name):
            return names.get(name)
        case s.Attribute(obj=obj, name=field):
            owner = infer(obj, names, report, null)
            if owner is None:
                return None
            if owner.name == "fact" and isinstance(obj, s.Name):
                return names.get(f"{obj.id}.{field}")
            report(
                expr.span,
                f"`{unparse(expr)}`: {unparse(obj)} is {owner}, which has no fields",
                "only a binding of `when` has fields: `h.workplace`",
            )
            return None
        case s.Index(obj=obj, key=key):
            container, index = infer(obj, names, report, null), infer(key, names, report, null)
            return _index(expr, container, index, report, null)
        case s.Call(args=args):
            return _call(expr, [infer(a, names, report, null) for a in args], report, null)
        case s.BinOp(op=op, left=left, right=right):
            a, b = infer(left, names, report, null), infer(right, names, report, null)
            if a is None or b is None:
                return None
            result = arithmetic(op, a, b)
            if result is None:
                report(expr.span, _cannot(expr, a, b), _arithmetic_hint(op, a, b))
            else:
                _strict(expr, ((left, a), (right, b)), null)
            return result
        case s.Neg(operand=operand):
            inner = infer(operand, names, report, null)
            if inner is not None and inner.family not in ("number", "duration"):
                report(expr.span, f"cannot negate `{unparse(operand)}`, {inner}", _FITTING)
                return None
            _strict(expr, ((operand, inner),), null)
            return None if inner is None else attrs.evolve(inner, nullable=False)
        case s.ListExpr(items=items):
            return Type("list", _item([infer(i, names, report, null) for i in items]))
    return None


def _strict(
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


def _cannot(expr: s.BinOp, a: Type, b: Type) -> str:
    verb = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}[expr.op]
    return f"`{unparse(expr)}`: cannot {verb} {a} and {b}"


def _arithmetic_hint(op: str, a: Type, b: Type) -> str:
    """How to write what the author probably meant."""
    families = {a.family, b.family}
    if "null" in families:
        return "arithmetic with null is an error; give a value, or `coalesce(x, default)`"
    if families == {"date", "number"} and op in "+-":
        return (
            f"a date {'plus' if op == '+' else 'minus'} a number of days is written "
            f"`d {op} days(n)`; calendar months: `add_months(d, n)`"
        )
    if families == {"moment", "number"} and op in "+-":
        return f"a moment {'plus' if op == '+' else 'minus'} hours is written `m {op} hours(n)`"
    if families == {"date", "moment"}:
        return "turn one into the other first: `day(moment)` or `start_of_day(date)`"
    if op == "+" and "string" in families:
        return 'text joins text only: write `str(x)` for the other side, e.g. `"n=" + str(n)`'
    if {a.name, b.name} == {"decimal", "float"}:
        return "rule numbers are exact decimals; give the float as a decimal"
    return _FITTING


def arithmetic(op: str, a: Type, b: Type) -> Type | None:
    """The type of ``a op b``; ``None`` when the operator cannot combine them. Never null:
    arithmetic with null fails (see :func:`infer`)."""
    families = (a.family, b.family)
    if families == ("number", "number"):
        names = {a.name, b.name}
        if names == {"decimal", "float"}:
            return None  # Decimal and float do not mix in Python: a TypeError at evaluation
        if "float" in names:
            return FLOAT
        if op == "/" or "decimal" in names:
            return DECIMAL
        return INT if names == {"int"} else Type("number")
    return _NON_NUMBERS.get((op, *families))


_NON_NUMBERS: Mapping[tuple[str, str, str], Type] = {
    ("+", "string", "string"): STRING,
    ("+", "date", "duration"): DATE,
    ("+", "duration", "date"): DATE,
    ("+", "duration", "duration"): DURATION,
    ("-", "date", "duration"): DATE,
    ("-", "date", "date"): DURATION,
    ("+", "moment", "duration"): MOMENT,
    ("+", "duration", "moment"): MOMENT,
    ("-", "moment", "duration"): MOMENT,
    ("-", "moment", "moment"): DURATION,
    ("-", "duration", "duration"): DURATION,
    ("*", "duration", "number"): DURATION,
    ("*", "number", "duration"): DURATION,
}


def _index(
    expr: s.Index,
    container: Type | None,
    key: Type | None,
    report: Report,
    null: NullReport | None,
) -> Type | None:
    if container is None:
        return None
    if container.name not in ("list", "mapping"):
        report(
            expr.span,
            f"`{unparse(expr)}`: {unparse(expr.obj)} is {container}, not a list or a mapping",
            "look up entries of a list or mapping param: `due_days[c.level]`, `physical[0]`",
        )
        return None
    wanted = INT if container.name == "list" else STRING
    if key is not None and key.family != wanted.family:
        report(
            expr.key.span,
            f"`{unparse(expr)}`: a {container.name} is looked up by {wanted}, not by {key}",
            "a list takes a whole number from 0; a mapping takes one of its keys (text)",
        )
        return container.item
    _strict(expr, ((expr.obj, container), (expr.key, key)), null)
    return container.item


# name: (how many arguments (None: one or more), what each takes (families joined by `|`,
# `whole` for an int, "" for anything), what they are in words, the result or its rule)
_Result = Type | Callable[[Sequence[Type | None]], Type | None] | None


def _first(args: Sequence[Type | None]) -> Type | None:
    return args[0] if args else None


def _smallest(args: Sequence[Type | None]) -> Type | None:
    if len(args) == 1 and args[0] is not None and args[0].name == "list":
        return args[0].item
    smallest = common(args)
    # Python's min and max fail on a null: the value is never null.
    return None if smallest is None else attrs.evolve(smallest, nullable=False)


def _months_added(args: Sequence[Type | None]) -> Type | None:
    start = args[0] if args else None
    return MOMENT if start is not None and start.family == "moment" else DATE


def _coalesced(args: Sequence[Type | None]) -> Type | None:
    kind = common(args)
    # The first non-null argument wins: the value is null only if every argument may be.
    if kind is None or kind == NULL:
        return kind
    never_null = any(a is not None and a.name != "null" and not a.nullable for a in args)
    return attrs.evolve(kind, nullable=not never_null)


_FUNCTIONS: Mapping[str, tuple[int | None, tuple[str, ...], str, _Result]] = {
    "days": (1, ("whole",), "a whole number of days", DURATION),
    "hours": (1, ("whole",), "a whole number of hours", DURATION),
    "date": (1, ("string",), 'a "YYYY-MM-DD" string', DATE),
    "moment": (1, ("string",), 'a "YYYY-MM-DDTHH:MM[:SS]" string', MOMENT),
    "add_months": (
        2,
        ("date|moment", "whole"),
        "a date or a moment and a whole number of months",
        _months_added,
    ),
    "months_between": (2, ("date|moment", "date|moment"), "two dates or two moments", INT),
    "days_between": (2, ("date|moment", "date|moment"), "two dates or two moments", INT),
    "start_of_day": (1, ("date",), "a date", MOMENT),
    "day": (1, ("moment",), "a moment (date and time)", DATE),
    "month": (1, ("date|moment",), "a date", DATE),
    "round": (1, ("number",), "a number", INT),
    "ceil": (1, ("number",), "a number", INT),
    "floor": (1, ("number",), "a number", INT),
    "str": (1, ("",), "one value", STRING),
    "len": (1, ("list|string",), "a list or text", INT),
    "join": (2, ("", "list"), "a separator and a list", STRING),
    "in_force": (2, ("", "date"), "an effective-dated param and a date", _first),
    "coalesce": (None, (), "values", _coalesced),
    "min": (None, (), "values", _smallest),
    "max": (None, (), "values", _smallest),
}


def _fits(arg: Type, takes: str) -> bool:
    """Whether ``arg`` is one of ``takes``: families joined by ``|``; ``whole`` is an int
    (or a number that may be one)."""
    if takes == "whole":
        return arg.name in ("int", "number")
    return arg.family in takes.split("|")


# Where a null argument is no error: anything `str` shows, the values `coalesce` skips,
# `join`'s separator (shown like `str`) and `in_force`'s param (a name, not a value).
_TAKES_NULL: Mapping[str, frozenset[int]] = {
    "str": frozenset({0}),
    "join": frozenset({0}),
    "in_force": frozenset({0}),
}


def _call(
    expr: s.Call, args: list[Type | None], report: Report, null: NullReport | None = None
) -> Type | None:
    spec = _FUNCTIONS.get(expr.func)
    if spec is None:
        return None  # an unknown function: the loader reported it
    if expr.func == "in_force" and (len(args) != 2 or not isinstance(expr.args[0], s.Name)):
        return None  # the loader reported it (OSS036)
    count, takes, what, result = spec
    usage = f"{expr.func}() takes {what}"
    if (count is not None and len(args) != count) or (count is None and not args):
        given = f"{len(args)} argument{'s' if len(args) != 1 else ''}"
        report(expr.span, f"`{unparse(expr)}`: {usage}, not {given}", _FITTING)
        return None
    for arg, node, family in zip(args, expr.args, takes, strict=False):
        if arg is not None and family and not _fits(arg, family):
            hint = _FITTING
            if family == "whole" and arg.family == "number":
                hint = f"round it first: `{expr.func}(round(x))`"
            report(node.span, f"`{unparse(expr)}`: {usage}, not {arg}", hint)
            return None
    if expr.func.endswith("_between"):
        known = [a for a in args if a is not None]
        if len(known) == 2 and known[0].family != known[1].family:
            report(
                expr.span,
                f"`{unparse(expr)}`: {usage}, not {known[0]} and {known[1]}",
                "turn one into the other first: `day(moment)` or `start_of_day(date)`",
            )
            return None
    if expr.func != "coalesce":
        tolerated = _TAKES_NULL.get(expr.func, frozenset())
        parts = [
            (n, a)
            for i, (n, a) in enumerate(zip(expr.args, args, strict=True))
            if i not in tolerated
        ]
        _strict(expr, parts, null)
    return result(args) if callable(result) else result


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
