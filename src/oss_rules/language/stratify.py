"""Order rules into strata so that every negation and aggregate sees a finished world.

A rule runs in the lowest stratum that is above the strata of every type it negates or
aggregates and not below those of the types it matches. A cycle of derivations that
passes through a negation or an aggregate has no such order and is rejected, naming
its rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import attrs

from . import syntax as s


@attrs.frozen
class NegationCycle:
    """Rules whose derivations depend on their own absence, or on a count (sum, ...) of
    facts they derive themselves."""

    rules: tuple[s.Rule, ...]
    types: tuple[str, ...]

    def through_negation(self, rule: s.Rule) -> bool:
        """Whether ``rule`` is on the cycle by a negation (else by an aggregate)."""
        return any(p.fact_type in self.types for p in rule.negatives)


def _complete(item: s.Pattern | s.Aggregate) -> bool:
    """Whether ``item`` needs its type complete: a negated pattern or an aggregate."""
    return isinstance(item, s.Aggregate) or item.negated


def derived_types(rule: s.Rule) -> set[str]:
    """Types the rule's ``then`` derives."""
    return {d.fact_type for d in rule.then}


def _sccs(nodes: Sequence[str], edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components (Tarjan, iterative, deterministic order)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[set[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                result.append(component)
    return result


def stratify(rules: Sequence[s.Rule]) -> tuple[list[list[s.Rule]], list[NegationCycle]]:
    """Group rules into strata, lowest first; also return the negation cycles found."""
    edges: dict[str, set[str]] = defaultdict(set)
    nodes: set[str] = set()
    for rule in rules:
        heads = derived_types(rule)
        nodes |= heads
        for pattern in rule.when:
            nodes.add(pattern.fact_type)
            edges[pattern.fact_type] |= heads
    ordered = sorted(nodes)
    cycles = []
    for component in _sccs(ordered, edges):
        culprits = tuple(
            r
            for r in rules
            if derived_types(r) & component
            and any(_complete(p) and p.fact_type in component for p in r.when)
        )
        if culprits:
            cycles.append(NegationCycle(culprits, tuple(sorted(component))))
    if cycles:
        return [], cycles
    level = dict.fromkeys(ordered, 0)
    rule_level: dict[int, int] = {}
    changed = True
    while changed:
        changed = False
        for i, rule in enumerate(rules):
            need = max([0] + [level[p.fact_type] + (1 if _complete(p) else 0) for p in rule.when])
            rule_level[i] = need
            for head in derived_types(rule):
                if level[head] < need:
                    level[head] = need
                    changed = True
    count = max(rule_level.values(), default=-1) + 1
    strata: list[list[s.Rule]] = [[] for _ in range(count)]
    for i, rule in enumerate(rules):
        strata[rule_level[i]].append(rule)
    return [stratum for stratum in strata if stratum], []
