"""Compile a checked ruleset into durable-rules definitions, one per stratum.

Conditions become durable's JSON condition language (constants folded, dates as day
ordinals, ``as_of`` read from an evaluation-context fact). The ``then`` side stays in
Python: each rule gets a function that builds its derived facts from the matched ones.

Two durable behaviours shape the output (see docs/architecture.md):

* a negation is not re-checked before a queued activation fires, so every rule with a
  ``not:`` (or that reads ``as_of``) first joins the context fact, which the engine
  asserts only after all of the stratum's input facts are in;
* a fact that no rule accepts is an error, so each definition has a catch-all rule
  that stores every fact and never fires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ._fields import Many
from .errors import Diagnostic, EvaluationError, FactError, RulesetError
from .facts import FactRegistry, FactType
from .language import syntax as s
from .language._evaluate import ExpressionError, compare, evaluate
from .language._loader import iter_names
from .language.stratify import stratify

CONTEXT = "__ctx"
"""Type and alias of the evaluation-context fact (holds ``as_of``); also the gate."""

_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_DURABLE_OPS = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_ARITH = {"+": "$add", "-": "$sub", "*": "$mul", "/": "$div"}
_NEVER = {"type": "\u0000never"}


def durable_key(field: str) -> str:
    """The key a fact field has in durable messages (``id`` is durable's own identity)."""
    return "id_" if field == "id" else field


def encode(value: Any) -> Any:
    """A Python value as durable compares it: dates as ordinals, durations as days."""
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, dt.timedelta):
        return value.days
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    return value


Derive = Callable[[Mapping[str, Any], dt.date], list[Any]]


@attrs.frozen
class CompiledRule:
    """A rule ready to run: its durable name, the aliases of its premises, its action."""

    rule: s.Rule
    name: str
    aliases: tuple[str, ...]
    derive: Derive
    absent: Callable[[Mapping[str, Any], dt.date], tuple[str, ...]]


@attrs.frozen
class CompiledStratum:
    """One durable ruleset: the rules of one stratum and the types they read."""

    definition: Mapping[str, Any]
    rules: Mapping[str, CompiledRule]
    reads: frozenset[str]
    matches: frozenset[str]


class _UnsupportedError(Exception):
    def __init__(self, expr: s.Expr, message: str) -> None:
        self.expr = expr
        super().__init__(message)


class _ConditionCompiler:
    """Turns one pattern's conditions into durable JSON."""

    def __init__(
        self, fact_type: FactType, aliases: Mapping[str, FactType], params: Mapping[str, Any]
    ):
        self.fact_type = fact_type
        self.aliases = aliases
        self.params = params
        self.uses_context = False

    def pattern(self, pattern: s.Pattern) -> dict[str, Any]:
        parts: list[dict[str, Any]] = [{"type": pattern.fact_type}]
        for condition in pattern.conditions:
            compiled = self.condition(condition)
            if compiled is not None:
                parts.append(compiled)
        return parts[0] if len(parts) == 1 else {"$and": parts}

    def _own(self, expr: s.Expr) -> str | None:
        if (
            isinstance(expr, s.Name)
            and expr.id not in self.aliases
            and self.fact_type.field(expr.id)
        ):
            return expr.id
        return None

    def condition(self, condition: s.Compare) -> dict[str, Any] | None:
        field = self._own(condition.left)
        op, other = condition.op, condition.right
        if field is None:
            field = self._own(condition.right)
            other = condition.left
            op = {"in": "contains", "not in": "not contains"}.get(op) or _FLIP[op]
        assert field is not None, "checked at load time"
        key = durable_key(field)
        info = self.fact_type.field(field)
        assert info is not None
        if op in ("in", "not in"):
            values = self._constant(other, "the right side of `in` must be a list of constants")
            if not isinstance(values, tuple | list):
                raise _UnsupportedError(other, "the right side of `in` must be a list")
            if op == "in":
                alternatives = [{key: encode(v)} for v in values]
                return {"$or": alternatives} if alternatives else _NEVER
            exclusions = [{"$neq": {key: encode(v)}} for v in values]
            return {"$and": exclusions} if exclusions else None
        if op in ("contains", "not contains"):
            if not isinstance(info.kind, Many):
                raise _UnsupportedError(other, f"`{field}` is not a list")
            value = self._constant(other, "only a constant can be looked up in a list field")
            item_op = {"$i": encode(value)} if op == "contains" else {"$neq": {"$i": encode(value)}}
            return {("$iany" if op == "contains" else "$iall"): {key: item_op}}
        term = self.term(other)
        if term is None:
            if op == "==":
                return {"$nex": {key: 1}}
            if op == "!=":
                return {"$ex": {key: 1}}
            return _NEVER
        if op == "==":
            return {key: term}
        return {_DURABLE_OPS[op]: {key: term}}

    def _constant(self, expr: s.Expr, message: str) -> Any:
        if not self._is_constant(expr):
            raise _UnsupportedError(expr, message)
        return evaluate(expr, self.params)

    def _is_constant(self, expr: s.Expr) -> bool:
        return all(n.id in self.params for n in iter_names(expr))

    def term(self, expr: s.Expr) -> Any:
        if self._is_constant(expr):
            return encode(evaluate(expr, self.params))
        match expr:
            case s.Name(id="as_of"):
                self.uses_context = True
                return {CONTEXT: "as_of"}
            case s.Attribute(obj=s.Name(id=alias), name=name) if alias in self.aliases:
                return {alias: durable_key(name)}
            case s.BinOp(op=op, left=left, right=right):
                left_term = self.term(left)
                if not isinstance(left_term, dict):
                    raise _UnsupportedError(
                        expr,
                        "durable-rules needs a fact field first in arithmetic: write "
                        "`as_of - 365`, not `365 - as_of`",
                    )
                return {_ARITH[op]: {"$l": left_term, "$r": self.term(right)}}
        raise _UnsupportedError(
            expr,
            "a condition can only use constants, params, as_of, earlier bindings' "
            "fields and + - * / on them",
        )


def compile_ruleset(ruleset: s.Ruleset, params: Mapping[str, Any]) -> list[CompiledStratum]:
    """Compile every stratum of ``ruleset`` with the given (already merged) params."""
    strata, cycles = stratify(ruleset.rules)
    assert not cycles, "checked at load time"
    diagnostics: list[Diagnostic] = []
    compiled: list[CompiledStratum] = []
    counter = 0
    for stratum in strata:
        definition: dict[str, Any] = {
            "__catch_all": {"all": [{"a": {"$ex": {"type": 1}}}, {"b": _NEVER}]}
        }
        rules: dict[str, CompiledRule] = {}
        reads: set[str] = set()
        matches: set[str] = set()
        for rule in stratum:
            name = f"r{counter}"
            counter += 1
            try:
                definition[name], aliases = _rule_definition(rule, ruleset.registry, params)
            except _UnsupportedError as error:
                span = error.expr.span
                diagnostics.append(
                    Diagnostic(
                        span.file,
                        span.line,
                        span.col,
                        "OSS060",
                        str(error),
                        "derive the value in a lower rule, then compare with it",
                    )
                )
                continue
            rules[name] = CompiledRule(
                rule,
                name,
                aliases,
                _deriver(rule, ruleset.registry, params),
                _absent_describer(rule, params),
            )
            reads |= {p.fact_type for p in rule.when}
            matches |= {p.fact_type for p in rule.positives}
        compiled.append(CompiledStratum(definition, rules, frozenset(reads), frozenset(matches)))
    if diagnostics:
        raise RulesetError(diagnostics)
    return compiled


def _rule_definition(
    rule: s.Rule, registry: FactRegistry, params: Mapping[str, Any]
) -> tuple[dict[str, Any], tuple[str, ...]]:
    aliases: dict[str, FactType] = {}
    alias_order: list[str] = []
    conditions: list[dict[str, Any]] = []
    gate = bool(rule.negatives)
    for i, pattern in enumerate(rule.when):
        fact_type = registry[pattern.fact_type]
        builder = _ConditionCompiler(fact_type, aliases, params)
        compiled = builder.pattern(pattern)
        gate = gate or builder.uses_context
        if pattern.negated:
            conditions.append({f"n{i}$not": compiled})
            continue
        alias = pattern.binding or f"p{i}"
        conditions.append({alias: compiled})
        aliases[alias] = fact_type
        alias_order.append(alias)
    if gate or any(n.id == "as_of" for d in rule.then for n in _derivation_names(d)):
        conditions.insert(0, {CONTEXT: {"type": CONTEXT}})
    return {"all": conditions}, tuple(alias_order)


def _derivation_names(derivation: s.Derivation) -> list[s.Name]:
    names = [n for a in derivation.assignments for n in iter_names(a.value)]
    if derivation.loop_over is not None:
        names.extend(iter_names(derivation.loop_over))
    return names


def _deriver(rule: s.Rule, registry: FactRegistry, params: Mapping[str, Any]) -> Derive:
    targets = [(d, registry[d.fact_type].cls) for d in rule.then]

    def derive(bound: Mapping[str, Any], as_of: dt.date) -> list[Any]:
        env = {**params, **bound, "as_of": as_of}
        out: list[Any] = []
        try:
            for derivation, cls in targets:
                if derivation.loop_over is None:
                    out.append(_build(derivation, cls, env))
                    continue
                assert derivation.loop_var is not None
                for item in evaluate(derivation.loop_over, env):
                    out.append(_build(derivation, cls, {**env, derivation.loop_var: item}))
        except (ExpressionError, FactError, TypeError, ValueError) as error:
            facts = ", ".join(f"{k}={v!r}" for k, v in bound.items())
            raise EvaluationError(rule.id, str(rule.span), facts, error) from error
        return out

    return derive


def _build(derivation: s.Derivation, cls: type, env: Mapping[str, Any]) -> Any:
    values = {a.field: evaluate(a.value, env) for a in derivation.assignments}
    return cls(**values)


def _absent_describer(
    rule: s.Rule, params: Mapping[str, Any]
) -> Callable[[Mapping[str, Any], dt.date], tuple[str, ...]]:
    """Render each negated pattern with the values it was checked against."""
    negatives = rule.negatives

    def describe(bound: Mapping[str, Any], as_of: dt.date) -> tuple[str, ...]:
        env = {**params, **bound, "as_of": as_of}
        rendered = []
        for pattern in negatives:
            parts = []
            for condition in pattern.conditions:
                left, right = condition.left, condition.right
                if not isinstance(left, s.Name) or left.id in env:
                    left, right = right, left
                op = (
                    condition.op
                    if left is condition.left
                    else _FLIP.get(condition.op, condition.op)
                )
                value = evaluate(right, env)
                parts.append(f"{_show(left)} {op} {_literal(value)}")
            rendered.append(f"no {pattern.fact_type}({', '.join(parts)})")
        return tuple(rendered)

    return describe


def _show(expr: s.Expr) -> str:
    return expr.id if isinstance(expr, s.Name) else "?"


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dt.date):
        return f"date({value.isoformat()!r})"
    if value is None:
        return "null"
    return repr(value)


__all__ = ["CompiledRule", "CompiledStratum", "compare", "compile_ruleset", "durable_key"]
