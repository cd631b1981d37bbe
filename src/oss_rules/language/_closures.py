"""Expressions and conditions compiled to Python closures, once, instead of walked per use.

A rule's ``then`` side and the conditions left to Python run once per firing: walking the
syntax tree each time (a ``match`` per node) cost a third of an evaluation. Here each node
becomes a closure once, and evaluating an expression is a chain of plain calls. This is the
only implementation of the language's evaluation: :func:`oss_rules.language._evaluate.evaluate`
and ``holds`` run these closures too, so the engine, the oracle and ``explain --why-not``
share one semantics.

A name resolves in one scope mapping (params, ``as_of``, bindings, loop variables). A
condition of a pattern may also read the fields of the fact it is tried on: compiled with
``own`` (the field names that no binding shadows), such a name reads the fact stored under
:data:`SELF` in the scope, so that trying a candidate needs no new scope per fact.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal
from typing import Any

from ..model._fields import show_value
from . import syntax as s
from ._versions import VERSIONS, NotInForce, Versioned

Evaluator = Callable[[Mapping[str, Any]], Any]
"""A compiled expression: its value in a scope."""

Check = Callable[[Mapping[str, Any]], bool]
"""A compiled condition: whether it holds in a scope."""

SELF = "\u0000self"
"""The scope key of the fact a pattern's condition is tried on (see ``own``)."""

_ORDERED = frozenset({"<", "<=", ">", ">="})


class ExpressionError(Exception):
    """An expression could not be evaluated for the values at hand."""

    def __init__(self, span: s.Span, message: str) -> None:
        self.span = span
        super().__init__(f"{span}: {message}")


def compile_expression(
    expr: s.Expr,
    functions: Mapping[str, Callable[..., Any]],
    own: Collection[str] = (),
) -> Evaluator:
    """``expr`` as a closure of the scope; any failure is an :class:`ExpressionError`
    at the innermost node that knows why, else at ``expr`` itself."""
    inner = _Compiler(functions, frozenset(own)).node(expr)
    if isinstance(expr, s.Literal | s.Name) or (
        isinstance(expr, s.Attribute) and isinstance(expr.obj, s.Name)
    ):
        return inner  # raises nothing but ExpressionError: no wrapper needed
    span = expr.span

    def run(env: Mapping[str, Any]) -> Any:
        try:
            return inner(env)
        except ExpressionError:
            raise
        except Exception as error:
            raise ExpressionError(span, f"{type(error).__name__}: {error}") from error

    return run


def compile_condition(
    condition: s.Compare,
    functions: Mapping[str, Callable[..., Any]],
    comparisons: Mapping[str, Callable[[Any, Any], bool]],
    joins: bool,
    own: Collection[str] = (),
) -> Check:
    """``condition`` as a predicate of the scope.

    Ordering against null is false, never an error; when ``joins`` (the condition reads
    another fact's field), ``null == null`` is false too, as in durable-rules.
    """
    left = compile_expression(condition.left, functions, own)
    right = compile_expression(condition.right, functions, own)
    op = condition.op
    apply = comparisons[op]
    ordered = op in _ORDERED
    null_join = joins and op in ("==", "!=")
    span = condition.span

    def check(env: Mapping[str, Any]) -> bool:
        a = left(env)
        b = right(env)
        if a is None or b is None:
            if null_join and a is None and b is None:
                # A join never matches on null: two undated hazards were not found on
                # the same day. durable-rules, which evaluates equality joins, agrees.
                return op == "!="
            if ordered:
                return False
        try:
            return apply(a, b)
        except TypeError as error:
            raise ExpressionError(
                span, f"cannot compare {show_value(a)} {op} {show_value(b)}"
            ) from error

    return check


_ARITHMETIC: Mapping[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}


class _Compiler:
    """Turns one expression tree into nested closures."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]], own: frozenset[str]) -> None:
        self.functions = functions
        self.own = own

    def node(self, expr: s.Expr) -> Evaluator:
        match expr:
            case s.Literal(value=value):
                return lambda env: value
            case s.Name(id=name):
                return self.name(name, expr.span)
            case s.Attribute(obj=s.Name(id=alias) as obj, name=name) if alias not in self.own:
                return self.field_of_name(alias, obj.span, name, expr.span)
            case s.Attribute(obj=obj, name=name):
                return self.attribute(self.node(obj), name, expr.span)
            case s.Index(obj=obj, key=key):
                return self.index(self.node(obj), self.node(key), expr.span)
            case s.Call(func="in_force", args=args):
                return self.in_force(args, expr.span)
            case s.Call(func=func, args=args):
                return self.call(func, tuple(self.node(a) for a in args))
            case s.BinOp(op=op, left=left, right=right):
                return self.binop(op, self.node(left), self.node(right), expr.span)
            case s.Neg(operand=operand):
                inner = self.node(operand)
                return lambda env: -inner(env)
            case s.ListExpr(items=items):
                parts = tuple(self.node(i) for i in items)
                return lambda env: tuple(p(env) for p in parts)
        return _failing(ExpressionError(expr.span, f"cannot evaluate {expr!r}"))

    def name(self, name: str, span: s.Span) -> Evaluator:
        if name in self.own:
            getter = operator.attrgetter(name)
            return lambda env: getter(env[SELF])

        def lookup(env: Mapping[str, Any]) -> Any:
            try:
                value = env[name]
            except KeyError:
                raise ExpressionError(span, f"unknown name {name!r}") from None
            if isinstance(value, NotInForce):
                raise ExpressionError(span, not_in_force(value.param, value.day))
            return value

        return lookup

    def attribute(self, obj: Evaluator, name: str, span: s.Span) -> Evaluator:
        getter = operator.attrgetter(name)
        # The field check depends on the value's class only, so each class is checked once.
        checked: set[type] = set()

        def attribute(env: Mapping[str, Any]) -> Any:
            value = obj(env)
            cls = type(value)
            if cls not in checked:
                _require_field(value, name, span)
                checked.add(cls)
            return getter(value)

        return attribute

    def field_of_name(self, alias: str, name_span: s.Span, name: str, span: s.Span) -> Evaluator:
        """``alias.name``, the commonest expression, in one closure: as :meth:`name`
        then :meth:`attribute` would do it."""
        getter = operator.attrgetter(name)
        checked: set[type] = set()

        def field(env: Mapping[str, Any]) -> Any:
            try:
                value = env[alias]
            except KeyError:
                raise ExpressionError(name_span, f"unknown name {alias!r}") from None
            cls = type(value)
            if cls not in checked:
                if isinstance(value, NotInForce):
                    raise ExpressionError(name_span, not_in_force(value.param, value.day))
                _require_field(value, name, span)
                checked.add(cls)
            return getter(value)

        return field

    def index(self, obj: Evaluator, key: Evaluator, span: s.Span) -> Evaluator:
        def index(env: Mapping[str, Any]) -> Any:
            mapping = obj(env)
            item = key(env)
            try:
                return mapping[item]
            except (KeyError, IndexError):
                raise ExpressionError(
                    span, f"{show_value(item)} is not a key of {short(mapping)}"
                ) from None

        return index

    def call(self, func: str, args: tuple[Evaluator, ...]) -> Evaluator:
        function = self.functions.get(func)
        if function is None:
            return _failing(KeyError(func))
        if len(args) == 1:
            (only,) = args
            return lambda env: function(only(env))
        if len(args) == 2:
            first, second = args
            return lambda env: function(first(env), second(env))
        return lambda env: function(*(a(env) for a in args))

    def binop(self, op: str, left: Evaluator, right: Evaluator, span: s.Span) -> Evaluator:
        apply = _ARITHMETIC.get(op) or (divide if op == "/" else None)
        if apply is None:
            return _failing(KeyError(op))

        def binop(env: Mapping[str, Any]) -> Any:
            a = left(env)
            b = right(env)
            if a is None or b is None:
                raise ExpressionError(span, f"cannot compute {show_value(a)} {op} {show_value(b)}")
            return apply(a, b)

        return binop

    def in_force(self, args: tuple[s.Expr, ...], span: s.Span) -> Evaluator:
        usage = "in_force() takes the name of an effective-dated param and a date"
        if len(args) != 2 or not isinstance(args[0], s.Name):
            return _failing(ExpressionError(span, usage))
        param = args[0].id
        day_of = self.node(args[1])

        def in_force(env: Mapping[str, Any]) -> Any:
            versioned: Mapping[str, Versioned] = env.get(VERSIONS, {})
            if param not in env:
                raise ExpressionError(span, usage)
            day = day_of(env)
            if not isinstance(day, dt.date):
                raise ExpressionError(span, f"in_force() takes a date, got {show_value(day)}")
            if param not in versioned:
                # A param without versions (or overridden by one value) is in force on every date.
                return env[param]
            try:
                return versioned[param].at(day)
            except LookupError as error:
                raise ExpressionError(span, str(error)) from None

        return in_force


def _failing(error: Exception) -> Evaluator:
    """An evaluator that raises ``error``: a tree the checker would have refused."""

    def fail(env: Mapping[str, Any]) -> Any:
        raise error

    return fail


def divide(a: Any, b: Any) -> Any:
    """``a / b``, exactly for ints and Decimals (1 / 3 is a Decimal, never a float)."""
    if isinstance(a, float) or isinstance(b, float) or not isinstance(a, int | Decimal):
        return a / b
    if not isinstance(b, int | Decimal):
        return a / b
    if b == 0:
        raise ZeroDivisionError("division by zero")
    return Decimal(a) / Decimal(b)


def not_in_force(param: Versioned, day: Any) -> str:
    """Why a versioned param cannot be read on ``day``."""
    periods = ", ".join(str(v) for v in param.versions)
    return (
        f"param `{param.name}` has no version in force on as_of {day.isoformat()} "
        f"(versions: {periods}); add a version that covers it"
    )


def short(value: Any) -> str:
    """A value as an error message names it: a mapping by its first keys."""
    if isinstance(value, Mapping):
        keys = ", ".join(show_value(k) for k in list(value)[:8])
        return "{" + keys + (", ..." if len(value) > 8 else "") + "}"
    return show_value(value)


def _require_field(value: Any, name: str, span: s.Span) -> None:
    """Only a fact's fields are reachable from a rule: no methods, no Python internals."""
    fields = getattr(type(value), "__attrs_attrs__", None)
    if fields is None or name.startswith("_") or not hasattr(fields, name):
        raise ExpressionError(span, f"`{name}` is not a field of {short(value)}")
