"""The question's values carried through a rule, before and after the search.

``explain --why-not Type(field == value)`` asks for particular values. Before a rule
is re-matched, :func:`carry` pushes each asked value along the rule's equality joins
to every pattern it reaches, so that candidates about something else are set aside
early; after a pattern found no fact, :func:`own_goals` gives the question to ask of
its type, one step down. :class:`~oss_rules.authoring._rematch.Match` does the search.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..language import syntax as s
from ..language._evaluate import ExpressionError, evaluate
from ..language._unparse import unparse
from ..language.syntax import iter_names
from ..model.registry import FactRegistry
from ._verdict import Goal

__all__ = ["Check", "Known", "carry", "own_goals", "try_evaluate"]


@attrs.frozen
class Check:
    """A value the question asks of an expression, checked once its facts are bound."""

    expr: s.Expr
    op: str
    value: Any
    why: str


Known = dict[tuple[str, str], tuple[Any, str]]
"""(binding, field) -> the value the question asks of it, and why it is asked."""


def carry(known: Known, positives: Sequence[tuple[str, s.Pattern]], registry: FactRegistry) -> None:
    """Add to ``known`` every value an equality join carries from a field already in it."""
    aliases = [alias for alias, _ in positives]
    changed = True
    while changed:
        changed = False
        for alias, pattern in positives:
            fields = registry[pattern.fact_type].field_names
            for c in pattern.conditions:
                sides = (c.left, c.right)
                own = [x.id for x in sides if isinstance(x, s.Name) and x.id in fields]
                joins = [
                    (x.obj.id, x.name)
                    for x in sides
                    if isinstance(x, s.Attribute)
                    and isinstance(x.obj, s.Name)
                    and x.obj.id in aliases
                ]
                if c.op != "==" or len(own) != 1 or len(joins) != 1:
                    continue
                here, there = (alias, own[0]), joins[0]
                for a, b in ((here, there), (there, here)):
                    if a in known and b not in known:
                        value, why = known[a]
                        known[b] = (value, f"{why}, through {unparse(c)}")
                        changed = True


def own_goals(
    alias: str,
    pattern: s.Pattern,
    registry: FactRegistry,
    aliases: Sequence[str],
    env: Mapping[str, Any],
    checks: Sequence[Check],
) -> tuple[Goal, ...]:
    """The conditions of ``pattern`` that compare one of its fields with a constant
    (params and ``as_of`` allowed), and the question's values carried to ``alias``."""
    fields = registry[pattern.fact_type].field_names
    goals: list[Goal] = []
    for c in pattern.conditions:
        for own, op, other in ((c.left, c.op, c.right), (c.right, s.FLIP.get(c.op), c.left)):
            if op is None or not isinstance(own, s.Name) or own.id not in fields:
                continue
            if any(n.id in fields or n.id in aliases for n in iter_names(other)):
                continue
            value = try_evaluate(other, env)
            if not isinstance(value, ExpressionError):
                goals.append((own.id, op, value))
            break
    for check in checks:
        expr = check.expr
        if (
            isinstance(expr, s.Attribute)
            and isinstance(expr.obj, s.Name)
            and expr.obj.id == alias
            and expr.name in fields
        ):
            goals.append((expr.name, check.op, check.value))
    unique: list[Goal] = []
    for goal in goals:  # values may be lists: not hashable
        if goal not in unique:
            unique.append(goal)
    return tuple(unique)


def try_evaluate(expr: s.Expr, env: Mapping[str, Any]) -> Any:
    """The value of ``expr`` in ``env``, or the :class:`ExpressionError` it raised."""
    try:
        return evaluate(expr, env)
    except ExpressionError as error:
        return error
