"""Static types of expressions, from field kinds, param values and the built-in functions.

The loader checks a field against a *constant*; this module gives every expression a
type (or ``None`` when it cannot tell) so that ``oss-rules check`` can also catch a field
compared with another fact's field, with ``as_of`` or with arithmetic of the wrong
kind, and a derivation that gives a field a value it can never hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
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
    ``list`` or ``mapping`` (of ``item``)."""

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
        Boolean: Type("bool"),
        Day: DATE,
        Month: DATE,
        Moment: MOMENT,
    }
    return simple.get(type(kind))


def of_value(value: Any) -> Type | None:
    """The type of a param's or a literal's value."""
    if value is None:
        return Type("null")
    if isinstance(value, bool):
        return Type("bool")
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
        return _common([of_value(v.value) for v in value.versions])
    if isinstance(value, list | tuple):
        return Type("list", _common([of_value(v) for v in value]))
    if isinstance(value, Mapping):
        return Type("mapping", _common([of_value(v) for v in value.values()]))
    return None


def _common(types: list[Type | None]) -> Type | None:
    """The one type all of ``types`` share (any number if they mix ints and floats)."""
    known = {t for t in types if t is not None and t.name != "null"}
    if len(known) == 1:
        return known.pop()
    if known and all(t.name in NUMBERS for t in known):
        return Type("number")
    return None


Report = Callable[[s.Span, str], None]
"""Called with the place and the message of an expression that cannot work."""


def infer(expr: s.Expr, names: Mapping[str, Type | None], report: Report) -> Type | None:
    """The type of ``expr`` where each name has the type ``names`` gives it.

    A binding's name maps to ``None``; ``binding.field`` is looked up in ``names`` as
    the dotted name. Mixing values that no operator accepts is reported.
    """
    match expr:
        case s.Literal(value=value):
            return of_value(value)
        case s.Name(id=name):
            return names.get(name)
        case s.Attribute(obj=s.Name(id=binding), name=field):
            return names.get(f"{binding}.{field}")
        case s.Index(obj=obj):
            container = infer(obj, names, report)
            if container is not None and container.name in ("list", "mapping"):
                return container.item
            return None
        case s.Call(func=func, args=args):
            types = [infer(a, names, report) for a in args]
            return _call(func, types, expr.span, report)
        case s.BinOp(op=op, left=left, right=right):
            a, b = infer(left, names, report), infer(right, names, report)
            if a is None or b is None:
                return None
            result = _arithmetic(op, a, b)
            if result is None:
                report(expr.span, f"cannot compute {a} {op} {b}")
            return result
        case s.Neg(operand=operand):
            inner = infer(operand, names, report)
            if inner is not None and inner.family not in ("number", "duration"):
                report(expr.span, f"cannot negate {inner}")
                return None
            return inner
        case s.ListExpr(items=items):
            return Type("list", _common([infer(i, names, report) for i in items]))
    return None


def _call(func: str, args: list[Type | None], span: s.Span, report: Report) -> Type | None:
    def expect(index: int, family: str, what: str) -> None:
        arg = args[index] if len(args) > index else None
        if arg is not None and arg.family != family:
            report(span, f"{func}() takes {what}, not {arg}")

    if func == "days":
        expect(0, "number", "a whole number of days")
        return DURATION
    if func == "date":
        expect(0, "string", 'a "YYYY-MM-DD" string')
        return DATE
    if func == "add_months":
        start = args[0] if args else None
        if start is not None and start.family != "moment":
            expect(0, "date", "a date or a moment")
        expect(1, "number", "a whole number of months")
        return MOMENT if start is not None and start.family == "moment" else DATE
    if func in ("days_between", "months_between"):
        known = [a for a in args[:2] if a is not None]
        if any(a.family not in ("date", "moment") for a in known) or (
            len(known) == 2 and known[0].family != known[1].family
        ):
            shown = " and ".join(str(a) for a in known)
            report(span, f"{func}() takes two dates or two moments, not {shown}")
        return INT
    if func == "hours":
        expect(0, "number", "a whole number of hours")
        return DURATION
    if func == "start_of_day":
        expect(0, "date", "a date")
        return MOMENT
    if func == "day":
        expect(0, "moment", "a moment (date and time)")
        return DATE
    if func == "month":
        return DATE
    if func in ("round", "ceil", "floor"):
        expect(0, "number", "a number")
        return INT
    if func == "in_force":
        expect(1, "date", "an effective-dated param and a date")
        return args[0] if args else None
    if func in ("str", "join"):
        return STRING
    if func == "len":
        return INT
    if func == "coalesce":
        return _common(list(args))
    if func in ("min", "max"):
        if len(args) == 1 and args[0] is not None and args[0].name == "list":
            return args[0].item
        return _common(list(args))
    return None


def _arithmetic(op: str, a: Type, b: Type) -> Type | None:
    families = (a.family, b.family)
    if families == ("number", "number"):
        if "float" in (a.name, b.name):
            return FLOAT
        if op == "/" or "decimal" in (a.name, b.name):
            return DECIMAL
        return INT if (a.name, b.name) == ("int", "int") else Type("number")
    table = {
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
    return table.get((op, *families))


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
