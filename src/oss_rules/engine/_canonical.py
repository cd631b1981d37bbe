"""The canonical order of a result: given facts, conclusions and trace, however derived.

Facts are ordered by :func:`~oss_rules.model.convert.sort_key`. Every fact is keyed
once and given a dense rank (equal keys, equal rank), and the trace is sorted by ranks,
which are cheaper to compare than keys: by conclusion, rule and alternative first, and
only a run of inferences equal in those by their premises and absences. That is the
order of sorting by all five keys, at a fraction of the cost.

Ranks are found by identity: every fact a trace names (conclusion or premise) is one of
the objects given or derived, since both backends record the first object of a fact
(``Store.emit``, ``DurableRun.action``), never an equal copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar

from ..model._order import key_of
from ..model.registry import FactRegistry


class _Entry(Protocol):
    """What ordering reads of a trace entry (``result.Inference``, which imports us)."""

    @property
    def fact(self) -> Any: ...
    @property
    def rule(self) -> str: ...
    @property
    def premises(self) -> tuple[Any, ...]: ...
    @property
    def absent(self) -> tuple[str, ...]: ...
    @property
    def alternative(self) -> int | None: ...


E = TypeVar("E", bound=_Entry)


def canonical_order(
    given: Sequence[Any],
    derived: Sequence[Any],
    trace: Sequence[E],
    groups: Iterable[str],
    registry: FactRegistry,
) -> tuple[list[Any], list[Any], list[E]]:
    """``given`` sorted; ``derived`` sorted by ``groups`` (type names, in that order)
    then the others; ``trace`` sorted."""
    key = key_of(registry)
    facts = [*given, *derived]
    keyed = sorted([(key(f), n) for n, f in enumerate(facts)])
    by_id: dict[int, int] = {}
    rank = -1
    previous: Any = None
    ordered_given: list[Any] = []
    by_group: dict[str, list[Any]] = {name: [] for name in groups}
    others: list[Any] = []
    count = len(given)
    for fact_key, n in keyed:
        if rank < 0 or fact_key != previous:
            rank += 1
            previous = fact_key
        fact = facts[n]
        by_id[id(fact)] = rank
        if n < count:
            ordered_given.append(fact)
        else:
            group = by_group.get(type(fact).__name__)
            (group if group is not None else others).append(fact)
    conclusions = [f for members in by_group.values() for f in members] + others

    return ordered_given, conclusions, _sorted_trace(trace, by_id)


def _sorted_trace(trace: Sequence[E], by_id: dict[int, int]) -> list[E]:
    heads = [(by_id[id(i.fact)], i.rule, i.alternative or 0) for i in trace]
    order = sorted(range(len(trace)), key=heads.__getitem__)
    start = 0
    size = len(order)
    while start < size:
        end = start + 1
        head = heads[order[start]]
        while end < size and heads[order[end]] == head:
            end += 1
        if end - start > 1:
            order[start:end] = sorted(
                order[start:end],
                key=lambda n: ([by_id[id(p)] for p in trace[n].premises], trace[n].absent),
            )
        start = end
    return [trace[n] for n in order]
