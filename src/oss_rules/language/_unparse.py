"""Text for rule authors: syntax nodes as rule source, values as rule literals, and facts
and values as proofs show them (by the kinds' one renderer, :meth:`Kind.show`)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

from ..model._fields import canonical_number
from ..model._fields import show_fact as show_fact
from ..model._fields import show_value as _show_value
from . import syntax as s

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def unparse(node: s.Expr | s.Compare) -> str:
    """``c.level in ["medium", "high"]``: an expression or condition as rule text."""
    match node:
        case s.Compare(op=op, left=left, right=right):
            return f"{unparse(left)} {op} {unparse(right)}"
        case s.Literal(value=value):
            return literal(value)
        case s.Name(id=name):
            return name
        case s.Attribute(obj=obj, name=name):
            return f"{unparse(obj)}.{name}"
        case s.Index(obj=obj, key=key):
            return f"{unparse(obj)}[{unparse(key)}]"
        case s.Call(func=func, args=args):
            return f"{func}({', '.join(unparse(a) for a in args)})"
        case s.BinOp(op=op, left=left, right=right):
            return f"{_operand(left, op, False)} {op} {_operand(right, op, True)}"
        case s.Neg(operand=operand):
            return "-" + _operand(operand, "*", False)
        case s.ListExpr(items=items):
            return "[" + ", ".join(unparse(i) for i in items) + "]"
    raise TypeError(f"not a syntax node: {node!r}")


def _operand(expr: s.Expr, op: str, right: bool) -> str:
    text = unparse(expr)
    if isinstance(expr, s.BinOp):
        inner, outer = _PRECEDENCE[expr.op], _PRECEDENCE[op]
        if inner < outer or (right and inner == outer):
            return f"({text})"
    return text


def literal(value: Any) -> str:
    """A constant as rule text, the one literal writer: ``"OSS-II"``, ``null``, ``true``,
    ``0.24``, ``date("2026-06-30")``, ``moment("2026-06-30T08:00:00")``, ``["a", "b"]``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return encode_basestring(value)  # json.dumps(value, ensure_ascii=False), minus its set-up
    if isinstance(value, int | float | Decimal):
        # Exact decimal text: 0.24, never Decimal('0.24') or 2.4E-1.
        number = canonical_number(value)
        return str(number) if isinstance(number, int) else format(number, "f")
    if isinstance(value, dt.datetime):
        return f'moment("{value.isoformat()}")'
    if isinstance(value, dt.date):
        return f'date("{value.isoformat()}")'
    if isinstance(value, tuple | list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return repr(value)


def pattern_text(pattern: s.Pattern) -> str:
    """``Type(cond, ...)`` as the author wrote it (spacing normalised)."""
    if pattern.text:
        return " ".join(pattern.text.split())
    return f"{pattern.fact_type}({', '.join(unparse(c) for c in pattern.conditions)})"


def show_value(value: Any) -> str:
    """A fact's value: ``'medium'``, ``2026-06-30``, ``['OSS-I']``; an error as ``<error: ...>``."""
    if isinstance(value, Exception):
        return f"<error: {value}>"
    return _show_value(value)


def subject(fact: Any) -> str:
    """``Hazard h1`` for a fact with an id, else the whole fact."""
    fact_id = getattr(fact, "id", None)
    return f"{type(fact).__name__} {fact_id}" if isinstance(fact_id, str) else show_fact(fact)


def where(span: s.Span) -> str:
    """``file:line:col``, the file relative to the working directory when it is inside it."""
    path = os.path.abspath(span.file)
    here = os.getcwd()
    file = os.path.relpath(path, here) if path.startswith(here + os.sep) else span.file
    return f"{file}:{span.line}:{span.col}"
