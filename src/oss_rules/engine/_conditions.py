"""Conditions of positive patterns as durable-rules JSON, or left to Python.

durable evaluates type tests, comparisons with constants (params folded, dates as day
ordinals) and equality joins, which it hashes. Everything else is a residual that
:mod:`oss_rules.engine._compile` checks in Python after durable reports a match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..language import syntax as s
from ..language._evaluate import evaluate
from ..language._versions import Versioned
from ..language.syntax import FLIP, iter_names
from ..model._fields import Kind, Many, Number, Optional, moment_seconds
from ..model.registry import FactType

_DURABLE_OPS = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
NEVER = {"type": "\u0000never"}


def durable_key(field: str) -> str:
    """The key a fact field has in durable messages (``id`` is durable's own identity)."""
    return "id_" if field == "id" else field


def encode(value: Any) -> Any:
    """A Python value as durable compares it: dates as ordinals, durations as days."""
    if isinstance(value, dt.datetime):
        return moment_seconds(value)
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, dt.timedelta):
        return value.days
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    return value


class ConditionCompiler:
    """Splits one pattern's conditions into durable JSON and Python residuals.

    durable evaluates type tests, comparisons with constants and equality joins
    (``field == binding.field``, which it hashes). Everything else is a residual:
    durable 2.0.28 mis-evaluates other comparisons that reference another fact
    (it reads past the end of its expression array when such a comparison is false,
    and ignores all but the first of several nested groups), see docs/architecture.md.
    """

    def __init__(
        self, fact_type: FactType, aliases: Mapping[str, FactType], params: Mapping[str, Any]
    ):
        self.fact_type = fact_type
        self.aliases = aliases
        self.params = params

    def pattern(self, pattern: s.Pattern) -> tuple[dict[str, Any], list[s.Compare]]:
        parts: list[dict[str, Any]] = [{"type": pattern.fact_type}]
        residuals: list[s.Compare] = []
        groups: list[tuple[s.Compare, list[dict[str, Any]]]] = []
        for condition in pattern.conditions:
            compiled = self.condition(condition)
            if compiled is None:
                residuals.append(condition)
            elif any("$or" in part for part in compiled):
                groups.append((condition, compiled))
            else:
                parts.extend(compiled)
        # durable 2.0.28 ignores the joins that follow an `$or` group (`field in [...]`)
        # in a pattern, so such a list goes to Python when the pattern joins.
        joins = any(self._is_join(part) for part in parts)
        for condition, compiled in groups:
            if joins:
                residuals.append(condition)
            else:
                parts.extend(compiled)
        return (parts[0] if len(parts) == 1 else {"$and": parts}), residuals

    def _is_join(self, part: Mapping[str, Any]) -> bool:
        """Whether ``part`` is an equality join ``{field: {alias: field}}``."""
        return any(isinstance(v, dict) and set(v) <= set(self.aliases) for v in part.values())

    def _own(self, expr: s.Expr) -> str | None:
        if (
            isinstance(expr, s.Name)
            and expr.id not in self.aliases
            and self.fact_type.field(expr.id)
        ):
            return expr.id
        return None

    def _is_constant(self, expr: s.Expr) -> bool:
        # A versioned param's value depends on as_of, so it is checked in Python.
        return all(
            n.id in self.params and not isinstance(self.params[n.id], Versioned)
            for n in iter_names(expr)
        )

    def condition(self, condition: s.Compare) -> list[dict[str, Any]] | None:
        """The durable conditions for ``condition``, or None to leave it to Python."""
        field = self._own(condition.left)
        op, other = condition.op, condition.right
        if field is None:
            field = self._own(condition.right)
            other = condition.left
            op = {"in": "contains", "not in": "not contains"}.get(op) or FLIP[op]
        assert field is not None, "checked at load time"
        key = durable_key(field)
        info = self.fact_type.field(field)
        assert info is not None
        if not self._is_constant(other):
            match other:
                case s.Attribute(obj=s.Name(id=alias), name=name) if (
                    op == "==" and alias in self.aliases
                ):
                    # durable hashes join values, so 1 never joins 1.0: a float field
                    # (which may hold an int) is joined in Python.
                    joined = self.aliases[alias].field(name)
                    if is_number(info.kind) or (joined is not None and is_number(joined.kind)):
                        return None
                    return [{key: {alias: durable_key(name)}}]
            return None
        if is_number(info.kind):
            # durable's JSON parser drops a whole fact whose number is printed with an
            # exponent (9e-05), so numbers reach it as opaque text and are compared here.
            return None
        value = evaluate(other, self.params)
        if op in ("!=", "not in") and value is not None and isinstance(info.kind, Optional):
            # durable's $neq needs the key, but null is unequal to every value.
            return None
        if op in ("in", "not in"):
            if not isinstance(value, tuple | list):
                return None
            if op == "in":
                alternatives = [{key: encode(v)} for v in value]
                return [{"$or": alternatives}] if alternatives else [NEVER]
            return [{"$neq": {key: encode(v)}} for v in value]
        if op == "contains" and isinstance(info.kind, Many):
            return [{"$iany": {key: {"$i": encode(value)}}}]
        if op in ("contains", "not contains"):
            return None
        if value is None:
            if op == "==":
                return [{"$nex": {key: 1}}]
            if op == "!=":
                return [{"$ex": {key: 1}}]
            return [NEVER]
        if op == "==":
            return [{key: encode(value)}]
        if op != "!=" and isinstance(value, str):
            # durable orders the JSON text it receives, where non-ASCII characters are
            # escaped (\u00e4 < b); Python orders strings by code point.
            return None
        return [{_DURABLE_OPS[op]: {key: encode(value)}}]


def is_number(kind: Kind) -> bool:
    """Whether a field of ``kind`` holds real numbers (ints and floats alike)."""
    return isinstance(kind.inner if isinstance(kind, Optional) else kind, Number)
