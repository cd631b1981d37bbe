"""Negated patterns checked in Python, without scanning every fact for every match.

A negation that durable cannot express (``not: Classification(workplace ==
c.workplace, score > c.score)``, the usual "no higher one" of an arg-max) used to try
each fact of its type for each match: quadratic in the facts of a workplace. Its type
is complete once its stratum starts (stratification puts negated types lower), so each
evaluation indexes the facts once: by the fields the pattern compares with ``==``, and
within that, sorted by one field it orders with ``<``, ``<=``, ``>`` or ``>=``. A
check then looks at the bucket's matching range only, and still tests every condition
on each candidate, so the answer is the one a full scan gives.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..language import syntax as s
from ..language._evaluate import evaluate, joins
from ..language._name_check import own_field
from ..language.syntax import FLIP, iter_names
from ..model.registry import FactType

FactsOfType = Callable[[str], Sequence[Any]]

_ORDERED = frozenset({"<", "<=", ">", ">="})


@attrs.frozen
class Lookup:
    """How to find a negated pattern's candidates: equality keys and one ordered field."""

    equal: tuple[tuple[str, s.Expr, bool], ...]
    """(field, expression, whether the expression reads another fact's field)."""
    ordered: tuple[str, str, s.Expr] | None
    """(field, operator with the field on the left, expression)."""


def plan(pattern: s.Pattern, fact_type: FactType, aliases: Iterable[str]) -> Lookup:
    """The lookup for ``pattern``: conditions between an own field and an expression of
    params, as_of and bound facts only."""
    bound = set(aliases)

    def own(expr: s.Expr) -> str | None:
        return own_field(expr, fact_type, bound)

    def free(expr: s.Expr) -> bool:
        return all(own(n) is None for n in iter_names(expr))

    equal: list[tuple[str, s.Expr, bool]] = []
    ordered: tuple[str, str, s.Expr] | None = None
    for condition in pattern.conditions:
        for field, op, other in (
            (own(condition.left), condition.op, condition.right),
            (own(condition.right), FLIP.get(condition.op, condition.op), condition.left),
        ):
            if field is None or not free(other):
                continue
            if op == "==":
                equal.append((field, other, joins(condition)))
            elif op in _ORDERED and ordered is None:
                ordered = (field, op, other)
            break
    return Lookup(tuple(equal), ordered)


class NegationIndex:
    """The facts of negated types, indexed on first use; one per evaluation."""

    def __init__(self, facts_of: FactsOfType) -> None:
        self._facts_of = facts_of
        self._buckets: dict[tuple[Any, ...], dict[tuple[Any, ...], _Bucket]] = {}

    def candidates(self, type_name: str, lookup: Lookup, scope: Mapping[str, Any]) -> Iterable[Any]:
        """The facts of ``type_name`` that may meet the lookup's conditions in ``scope``
        (params, as_of and the bound facts); a superset of those that do."""
        key = []
        for _, expr, is_join in lookup.equal:
            value = evaluate(expr, scope)
            if value is None and is_join:
                return ()  # a join never matches on null
            key.append(value)
        fields = tuple(f for f, _, _ in lookup.equal)
        order = lookup.ordered[0] if lookup.ordered else None
        buckets = self._buckets.get((type_name, fields, order))
        if buckets is None:
            buckets = self._buckets[(type_name, fields, order)] = self._index(
                type_name, fields, order
            )
        try:
            bucket = buckets.get(tuple(key))
        except TypeError:  # an unhashable value: no shortcut
            return self._facts_of(type_name)
        if bucket is None:
            return ()
        if lookup.ordered is None or bucket.values is None:
            return bucket.facts
        _, op, expr = lookup.ordered
        value = evaluate(expr, scope)
        if value is None:
            return ()  # an ordering with null is false
        try:
            if op in (">", ">="):
                start = (bisect.bisect_right if op == ">" else bisect.bisect_left)(
                    bucket.values, value
                )
                return bucket.sorted[start:]
            end = (bisect.bisect_left if op == "<" else bisect.bisect_right)(bucket.values, value)
            return bucket.sorted[:end]
        except TypeError:  # values that do not order: let the conditions say so
            return bucket.facts

    def _index(
        self, type_name: str, fields: tuple[str, ...], order: str | None
    ) -> dict[tuple[Any, ...], _Bucket]:
        groups: dict[tuple[Any, ...], list[Any]] = {}
        for fact in self._facts_of(type_name):
            key = tuple(getattr(fact, f) for f in fields)
            groups.setdefault(key, []).append(fact)
        return {key: _Bucket.of(facts, order) for key, facts in groups.items()}


@attrs.frozen
class _Bucket:
    facts: Sequence[Any]
    sorted: Sequence[Any] = ()
    values: list[Any] | None = None

    @classmethod
    def of(cls, facts: list[Any], order: str | None) -> _Bucket:
        if order is None:
            return cls(facts)
        present = [f for f in facts if getattr(f, order) is not None]
        try:
            present.sort(key=lambda f: getattr(f, order))
        except TypeError:
            return cls(facts)
        return cls(facts, present, [getattr(f, order) for f in present])
