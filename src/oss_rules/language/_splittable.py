"""Whether a ruleset gives the same answers on an input split along fact references.

Batch evaluation splits one large fact list into independent inventories: the facts that
fact references link (a hazard to its workplace, a workplace to its employer) stay
together. That is only sound when every rule matches facts of one inventory at a time,
so this module proves it from the rules alone:

- a field *denotes* a fact of type ``T`` when it is ``T``'s ``id``, a field declared with
  ``references="T"``, or (for a derived type) a field that every derivation fills from a
  field that denotes ``T``;
- two patterns are *linked* by a condition ``f == x.g`` when ``f`` and ``x.g`` denote the
  same type: both facts then hang on one fact of that type, so they are in one inventory;
- a derived type is *global* when the rules deriving it read only global facts (every
  inventory derives it alike), and a global fact may be joined with anything.

A rule is splittable when its patterns that are not global are all linked together. The
analysis is driven by the registry's ``references`` metadata, never by type names.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs

from ..model.registry import FactRegistry
from . import syntax as s

__all__ = ["Anchors", "Unlinked", "anchors", "global_types", "unlinked_joins"]

_TOP = "\0unknown"
"""Not yet known (the analysis starts optimistic and only ever lowers a value)."""

Anchors = Mapping[str, Mapping[str, str]]
"""Per fact type, per field: the type of the fact that the field's value is the id of."""


@attrs.frozen
class Unlinked:
    """A rule whose patterns no reference links: splitting could change its answers."""

    rule: s.Rule
    pattern: s.Pattern
    linked_to: s.Pattern

    def message(self) -> str:
        """One sentence for a diagnostic or an error."""
        return (
            f"rule `{self.rule.id}` joins {self.pattern.fact_type} with "
            f"{self.linked_to.fact_type} by no fact reference, so splitting an input into "
            "independent inventories (batch evaluation) could change its answers"
        )


def _given(registry: FactRegistry) -> dict[str, dict[str, str]]:
    """What the fields of given facts denote, from the registry alone."""
    out: dict[str, dict[str, str]] = {}
    for info in registry:
        fields = {f.name: f.references for f in info.fields if f.references}
        if info.field("id") is not None:
            fields["id"] = info.name
        out[info.name] = fields
    return out


def anchors(ruleset: s.Ruleset) -> dict[str, dict[str, str]]:
    """What each field of each fact type denotes (see the module docstring)."""
    given = _given(ruleset.registry)
    derived = {d.fact_type for r in ruleset.rules for d in r.then}
    # A derived type starts at "unknown" for every field and is lowered to what each
    # derivation gives (a greatest fixpoint, so recursive derivations are handled).
    current: dict[str, dict[str, str]] = {name: dict(given.get(name, {})) for name in given}
    for name in derived:
        fields = ruleset.registry[name].field_names
        current[name] = {f: _TOP for f in fields}
    changed = True
    while changed:
        changed = False
        for name in derived:
            new = {f: _TOP for f in ruleset.registry[name].field_names}
            for f, value in given.get(name, {}).items():
                new[f] = value
            for field, value in _derivation_values(ruleset, name, current):
                new[field] = _meet(new[field], value)
            if new != current[name]:
                current[name] = new
                changed = True
    return {
        name: {f: v for f, v in fields.items() if v and v != _TOP}
        for name, fields in current.items()
    }


def _meet(a: str, b: str) -> str:
    if a == _TOP:
        return b
    if b == _TOP:
        return a
    return a if a == b else ""


def _derivation_values(
    ruleset: s.Ruleset, name: str, current: Mapping[str, Mapping[str, str]]
) -> Iterator[tuple[str, str]]:
    fields = ruleset.registry[name].field_names
    for rule in ruleset.rules:
        bound = {p.binding: p.fact_type for p in rule.positives if p.binding}
        for derivation in rule.then:
            if derivation.fact_type != name:
                continue
            given = {a.field: a.value for a in derivation.assignments}
            for field in fields:
                value = given.get(field)
                # An unassigned field holds its default, which is no fact's id.
                yield field, _denotes(value, bound, current) if value is not None else ""


def _denotes(
    expr: s.Expr, bound: Mapping[str, str], current: Mapping[str, Mapping[str, str]]
) -> str:
    if isinstance(expr, s.Attribute) and isinstance(expr.obj, s.Name) and expr.obj.id in bound:
        return current.get(bound[expr.obj.id], {}).get(expr.name, "")
    return ""


def global_types(ruleset: s.Ruleset) -> set[str]:
    """Derived types that every inventory derives alike: their rules read no given fact."""
    derived = {d.fact_type for r in ruleset.rules for d in r.then}
    found = set(derived)
    changed = True
    while changed:
        changed = False
        for rule in ruleset.rules:
            if all(p.fact_type in found for p in rule.patterns):
                continue
            for derivation in rule.then:
                if derivation.fact_type in found:
                    found.discard(derivation.fact_type)
                    changed = True
    return found


def unlinked_joins(ruleset: s.Ruleset) -> list[Unlinked]:
    """Every rule that joins facts no reference links, with the first unlinked pattern."""
    denotes = anchors(ruleset)
    shared = global_types(ruleset)
    found = []
    for rule in ruleset.rules:
        problem = _unlinked(rule, denotes, shared)
        if problem is not None:
            found.append(problem)
    return found


def _unlinked(
    rule: s.Rule, denotes: Mapping[str, Mapping[str, str]], shared: set[str]
) -> Unlinked | None:
    patterns = list(rule.patterns)
    parent = list(range(len(patterns)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    aliases = {p.binding: i for i, p in enumerate(patterns) if p.binding and not p.negated}
    for j, pattern in enumerate(patterns):
        own = denotes.get(pattern.fact_type, {})
        for condition in pattern.conditions:
            if condition.op != "==":
                continue
            for mine, other in (
                (condition.left, condition.right),
                (condition.right, condition.left),
            ):
                if not (isinstance(mine, s.Name) and mine.id in own and mine.id not in aliases):
                    continue
                if not (
                    isinstance(other, s.Attribute)
                    and isinstance(other.obj, s.Name)
                    and other.obj.id in aliases
                ):
                    continue
                i = aliases[other.obj.id]
                target = denotes.get(patterns[i].fact_type, {}).get(other.name)
                if target is not None and target == own[mine.id]:
                    parent[root(j)] = root(i)
    local = [i for i, p in enumerate(patterns) if p.fact_type not in shared]
    for i in local[1:]:
        if root(i) != root(local[0]):
            return Unlinked(rule, patterns[i], patterns[local[0]])
    return None
