"""Rule expressions and conditions as Python source, for the compiled backend.

Each expression of the syntax tree becomes a Python expression over local variables:
bound facts (``b0``, ``b1``, ...), the candidate fact of a pattern, ``as_of``, ``env``
(the evaluation's params, versioned ones resolved on ``as_of``) and constants that the
generated module's namespace holds (params, literals, functions). Sub-expressions of
params only are folded into constants once per engine.

The generated code computes what :func:`oss_rules.language._evaluate.evaluate` and
:func:`~oss_rules.language._evaluate.holds` compute, but it does not reproduce their
error messages: any exception it raises makes the backend evaluate that step again
through the durable path's own Python checks (see ``_exact``), which raise the error
the durable backend raises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from ..language import syntax as s
from ..language._closures import divide
from ..language._evaluate import FUNCTIONS, ExpressionError, evaluate, joins
from ..language._versions import VERSIONS, NotInForce, Versioned
from ..model.registry import FactType

_ORDERING = {"<": "_lt", "<=": "_le", ">": "_gt", ">=": "_ge"}


def _lt(a: Any, b: Any) -> bool:
    return a is not None and b is not None and bool(a < b)


def _le(a: Any, b: Any) -> bool:
    return a is not None and b is not None and bool(a <= b)


def _gt(a: Any, b: Any) -> bool:
    return a is not None and b is not None and bool(a > b)


def _ge(a: Any, b: Any) -> bool:
    return a is not None and b is not None and bool(a >= b)


def _eq_join(a: Any, b: Any) -> bool:
    # A join never matches on null (see language._evaluate.holds).
    return a is not None and bool(a == b)


def _ne_join(a: Any, b: Any) -> bool:
    return a is None or bool(a != b)


def _use(value: Any, node: s.Name, env: Mapping[str, Any]) -> Any:
    """A versioned param's value; the interpreter's error when none is in force."""
    if type(value) is NotInForce:
        evaluate(node, env)
    return value


def _attr(value: Any, name: str) -> Any:
    """``value.name`` where ``value`` is not known to be a fact of some type."""
    fields = getattr(type(value), "__attrs_attrs__", None)
    if fields is None or name.startswith("_") or not hasattr(fields, name):
        raise AttributeError(name)
    return getattr(value, name)


def _in_force(env: Mapping[str, Any], name: str, day: Any) -> Any:
    if not isinstance(day, dt.date):
        raise TypeError(day)
    versioned: Mapping[str, Versioned] = env[VERSIONS]
    if name not in versioned:
        return env[name]
    return versioned[name].at(day)


def _fail(node: s.Expr, env: Mapping[str, Any]) -> Any:
    """An expression the generator does not compile: the interpreter raises its error."""
    evaluate(node, env)
    raise ExpressionError(node.span, "cannot be compiled")


HELPERS: Mapping[str, Any] = {
    "_lt": _lt,
    "_le": _le,
    "_gt": _gt,
    "_ge": _ge,
    "_eq_join": _eq_join,
    "_ne_join": _ne_join,
    "_use": _use,
    "_attr": _attr,
    "_in_force": _in_force,
    "_fail": _fail,
    "_divide": divide,
}
"""The functions generated code calls, by the names it calls them."""


@attrs.frozen
class Scope:
    """What the names of one expression mean.

    ``facts`` maps binding names to (variable, fact type); ``own`` is the variable and
    type of the pattern's candidate fact, whose fields are bare names; ``loop`` maps a
    derivation's loop variable to its Python variable. Bindings come before own fields
    (as in the checker), and the loop variable before everything.
    """

    facts: Mapping[str, tuple[str, FactType]]
    own: tuple[str, FactType] | None = None
    loop: tuple[str, str] | None = None

    def is_own(self, expr: s.Expr) -> str | None:
        """The own field ``expr`` names, if it is a bare name of one."""
        if (
            isinstance(expr, s.Name)
            and self.own is not None
            and expr.id not in self.facts
            and (self.loop is None or expr.id != self.loop[0])
            and self.own[1].field(expr.id) is not None
        ):
            return expr.id
        return None


class Generator:
    """Turns expressions into Python source, collecting the constants they need."""

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.params = params
        self.namespace: dict[str, Any] = dict(HELPERS)
        self._counter = 0

    def constant(self, value: Any) -> str:
        """A name in the namespace that holds ``value``."""
        if value is None or value is True or value is False:
            return repr(value)
        name = f"_k{self._counter}"
        self._counter += 1
        self.namespace[name] = value
        return name

    def _foldable(self, expr: s.Expr) -> bool:
        if isinstance(expr, s.Literal):
            return True
        return all(
            n.id in self.params and not isinstance(self.params[n.id], Versioned)
            for n in s.iter_names(expr)
        )

    def folded(self, expr: s.Expr, scope: Scope) -> tuple[bool, Any]:
        """(True, value) when ``expr`` is a constant of params and literals only."""
        if not self._foldable(expr) or any(
            scope.is_own(n) or n.id in scope.facts or (scope.loop and n.id == scope.loop[0])
            for n in s.iter_names(expr)
        ):
            return False, None
        try:
            return True, evaluate(expr, self.params)
        except ExpressionError:
            return False, None

    def simple(self, expr: s.Expr, scope: Scope) -> bool:
        """Whether evaluating ``expr`` cannot fail: a constant, ``as_of``, a loop
        variable, a bound fact, an own field or a declared field of a bound fact."""
        if self.folded(expr, scope)[0]:
            return True
        match expr:
            case s.Name(id=name):
                return (
                    name == "as_of"
                    or name in scope.facts
                    or scope.is_own(expr) is not None
                    or (scope.loop is not None and name == scope.loop[0])
                )
            case s.Attribute(obj=s.Name(id=name), name=field) if name in scope.facts:
                return scope.facts[name][1].field(field) is not None and not field.startswith("_")
        return False

    def expr(self, expr: s.Expr, scope: Scope) -> str:
        """Python source computing ``expr``."""
        done, value = self.folded(expr, scope)
        if done:
            return self.constant(value)
        match expr:
            case s.Name(id=name):
                return self._name(expr, name, scope)
            case s.Attribute(obj=obj, name=field):
                if isinstance(obj, s.Name) and obj.id in scope.facts:
                    var, fact_type = scope.facts[obj.id]
                    if fact_type.field(field) is not None and not field.startswith("_"):
                        return f"{var}.{field}"
                return f"_attr({self.expr(obj, scope)}, {field!r})"
            case s.Index(obj=obj, key=key):
                return f"{self.expr(obj, scope)}[{self.expr(key, scope)}]"
            case s.Call(func="in_force", args=(s.Name(id=param), day)) if param in self.params:
                return f"_in_force(env, {param!r}, {self.expr(day, scope)})"
            case s.Call(func=func, args=args) if func in FUNCTIONS and func != "in_force":
                inner = ", ".join(self.expr(a, scope) for a in args)
                return f"{self.constant(FUNCTIONS[func])}({inner})"
            case s.BinOp(op="/", left=left, right=right):
                return f"_divide({self.expr(left, scope)}, {self.expr(right, scope)})"
            case s.BinOp(op=op, left=left, right=right) if op in ("+", "-", "*"):
                return f"({self.expr(left, scope)} {op} {self.expr(right, scope)})"
            case s.Neg(operand=operand):
                return f"(-{self.expr(operand, scope)})"
            case s.ListExpr(items=items):
                return "(" + "".join(f"{self.expr(i, scope)}, " for i in items) + ")"
        return f"_fail({self.constant(expr)}, env)"

    def _name(self, node: s.Name, name: str, scope: Scope) -> str:
        if scope.loop is not None and name == scope.loop[0]:
            return scope.loop[1]
        if name in scope.facts:
            return scope.facts[name][0]
        own = scope.is_own(node)
        if own is not None:
            assert scope.own is not None
            return f"{scope.own[0]}.{own}"
        if name == "as_of":
            return "as_of"
        if name in self.params:
            value = self.params[name]
            if isinstance(value, Versioned):
                return f"_use(env[{name!r}], {self.constant(node)}, env)"
            return self.constant(value)
        return f"_fail({self.constant(node)}, env)"

    def condition(self, condition: s.Compare, scope: Scope) -> str:
        """Python source of a boolean: whether ``condition`` holds (as ``holds`` says)."""
        op = condition.op
        left, right = condition.left, condition.right
        a, b = self.expr(left, scope), self.expr(right, scope)
        if op in ("==", "!="):
            if joins(condition):
                return f"{'_eq_join' if op == '==' else '_ne_join'}({a}, {b})"
            return f"({a} {op} {b})"
        if op in ("in", "not in"):
            return f"({a} {op} {b})"
        # An ordering with a constant: inline, evaluating the other (simple) side twice.
        for side, other, text in ((left, right, a), (right, left, b)):
            done, value = self.folded(other, scope)
            if done and value is not None and self.simple(side, scope):
                return f"({text} is not None and {a} {op} {b})"
        return f"{_ORDERING[op]}({a}, {b})"
