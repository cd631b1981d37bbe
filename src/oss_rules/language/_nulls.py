"""Which values of a rule may be null, what a condition proves is not, and how to say so (OSS104).

A field of an ``Optional`` kind may be null (``h.identified_on``), and so may a param or a
lookup whose values include null, or a ``coalesce`` of values that all may be. Arithmetic,
the date functions, lookups and a field that is never null all fail on a null at
evaluation (:func:`._types.infer` finds those uses); ``str`` and ``coalesce`` do not.

A condition that is false when a value is null proves, for the rest of the rule, that the
value is set. The engines compare with null (:func:`._closures.compile_condition`) so that

- an ordering (``<``, ``<=``, ``>``, ``>=``) with null on either side is false;
- ``==`` of null and a value is false, and of two nulls too when the condition reads
  another fact's field (a join never matches on null);
- ``x in list`` is false for null when no item of the list is null;
- ``x != null`` is false for null.

``!=`` with a value and ``not in`` hold for null: they prove nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import attrs

from . import syntax as s
from ._evaluate import joins
from ._type import FACT, Scope, Type
from ._types import infer
from ._unparse import unparse

__all__ = ["Blame", "guarded"]

_ORDERED = frozenset({"<", "<=", ">", ">="})


def _quiet(span: s.Span, message: str, hint: str) -> None:
    """Types are reported when the condition is checked, not again here."""


def _never_null(kind: Type | None) -> bool:
    return kind is not None and kind.name != "null" and not kind.nullable


def guarded(condition: s.Compare, own: Collection[str], names: Scope) -> list[str]:
    """The names that ``condition`` proves are not null where it holds: own fields
    (``identified_on``, among ``own``) and other facts' fields (``h.identified_on``), as
    the keys of ``names``."""
    left, right, op = condition.left, condition.right, condition.op
    a, b = infer(left, names, _quiet), infer(right, names, _quiet)
    sides: list[s.Expr] = []
    if op in _ORDERED or (op == "==" and joins(condition)):
        sides = [left, right]
    elif op == "==":
        sides = [side for side, other in ((left, b), (right, a)) if _never_null(other)]
    elif op == "!=":
        sides = [
            side
            for side, other in ((left, b), (right, a))
            if other is not None and other.name == "null"
        ]
    elif op == "in" and b is not None and b.name == "list" and _never_null(b.item):
        sides = [left]
    return [key for side in sides if (key := _key(side, own, names)) is not None]


def _key(expr: s.Expr, own: Collection[str], names: Scope) -> str | None:
    match expr:
        case s.Name(id=name) if name in own:
            return name
        case s.Attribute(obj=s.Name(id=binding), name=field) if names.get(binding) == FACT:
            key = f"{binding}.{field}"
            return key if key in names else None  # else an unknown field (OSS035)
    return None


@attrs.frozen
class Blame:
    """Words a null diagnostic: which fact's field may be null, and the guard to write.

    ``types`` gives each binding's fact type; ``pattern`` is the text before the
    parentheses of the pattern whose own fields are bare names (``h: Hazard``,
    ``not: Hazard``), with its type and own fields, when a condition is checked.
    """

    types: Mapping[str, str]
    pattern: str | None = None
    fact_type: str | None = None
    own: frozenset[str] = frozenset()
    guards: bool = True
    """Whether a guard in a pattern helps (not for ``effective_on``: only a default)."""

    def use(self, expr: s.Expr, culprits: Sequence[s.Expr]) -> tuple[str, str]:
        """The message and hint for ``expr``, which fails when one of ``culprits`` is null."""
        shown = " or ".join(dict.fromkeys(unparse(c) for c in culprits))
        return (
            f"`{unparse(expr)}` fails when {shown} is null ({self._origins(culprits)})",
            self.hint(culprits),
        )

    def store(self, where: str, value: s.Expr, culprits: Sequence[s.Expr]) -> tuple[str, str]:
        """The message and hint for ``value`` given to the field ``where``, never null."""
        return (
            f"{where} is never null, but `{unparse(value)}` may be ({self._origins(culprits)})",
            self.hint(culprits),
        )

    def _origins(self, culprits: Sequence[s.Expr]) -> str:
        said = dict.fromkeys(self._origin(c) for c in culprits)
        return ", ".join(said) + " may be null"

    def _origin(self, culprit: s.Expr) -> str:
        match culprit:
            case s.Attribute(obj=s.Name(id=binding), name=field) if binding in self.types:
                return f"{self.types[binding]}.{field}"
            case s.Name(id=field) if field in self.own:
                return f"{self.fact_type}.{field}"
            case s.Name(id=name):
                return f"`{name}`"
        return f"`{unparse(culprit)}`"

    def hint(self, culprits: Sequence[s.Expr]) -> str:
        """Guard each field in its pattern; give anything else a default."""
        fields: dict[str, list[str]] = {}
        own: list[str] = []
        others: list[str] = []
        for culprit in culprits:
            match culprit:
                case _ if not self.guards:
                    others.append(unparse(culprit))
                case s.Attribute(obj=s.Name(id=binding), name=field) if binding in self.types:
                    fields.setdefault(binding, []).append(field)
                case s.Name(id=field) if field in self.own:
                    own.append(field)
                case _:
                    others.append(unparse(culprit))
        guards = [
            f"`{binding}: {self.types[binding]}({_not_null(names)})`"
            for binding, names in fields.items()
        ]
        if own:
            guards.append(f"`{self.pattern}({_not_null(own)}, ...)`")
        parts = []
        if guards:
            distinct = {(b, f) for b, names in fields.items() for f in names} | {
                ("", f) for f in own
            }
            many = len(distinct) > 1
            where = "patterns" if len(guards) > 1 else "pattern"
            before = ", before this condition" if own else ""
            parts.append(
                f"guard {'them' if many else 'it'} in the {where}{before}: {', '.join(guards)}"
            )
        if others:
            default = ", ".join(f"`coalesce({o}, default)`" for o in dict.fromkeys(others))
            parts.append(f"give a default: {default}")
        return "; ".join(parts)


def _not_null(fields: Sequence[str]) -> str:
    return ", ".join(f"{f} != null" for f in dict.fromkeys(fields))
