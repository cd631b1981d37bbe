"""Make a counterexample smaller after hypothesis has shrunk it: drop facts, renumber ids.

hypothesis shrinks values well but deletes list items only when they are short, so a
failing inventory may keep a few facts that play no part. This pass deletes one fact at
a time (with the facts that must refer to it; an optional reference to it is cleared)
while the property still fails, then renames
the ids ``w1``, ``w2``, ... in order, so that the test case shows only what matters.

An inventory that hypothesis did not shrink (one an author wrote, or one drawn for
``oss-rules diff``) can also have its values made plain (:func:`simplify`): each field
set to the simplest value of its kind (null, the first choice, the minimum, ``as_of``)
while it still fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from ..model._fields import Boolean, Choice, Day, Integer, Kind, Many, Number, Optional, Text
from ..model.convert import Inventory
from ..model.registry import FactRegistry

if TYPE_CHECKING:
    # Only a type here: shrinking an inventory (oss-rules diff) does not need hypothesis.
    from .strategies import Raise

Example: TypeAlias = "Inventory | Raise"


def reduce(example: Example, fails: Callable[[Example], bool], registry: FactRegistry) -> Example:
    """The smallest variant of ``example`` found for which ``fails`` is still true."""
    shrinking = True
    while shrinking:
        shrinking = False
        for i in range(len(_facts(example))):
            smaller = _without(example, i, registry)
            if smaller is not None and fails(smaller):
                example, shrinking = smaller, True
                break
    renamed = _renumbered(example, registry)
    return renamed if renamed != example and fails(renamed) else example


def _facts(example: Example) -> tuple[Any, ...]:
    return example.facts if isinstance(example, Inventory) else example.before.facts


def _dependents(
    facts: tuple[Any, ...], gone: set[int], registry: FactRegistry
) -> tuple[set[int], dict[int, Any]]:
    """``gone`` with every fact that must refer to a fact in it, and the facts whose
    optional reference to a gone fact is cleared instead (index -> fact without it)."""
    gone = set(gone)
    cleared: dict[int, Any] = {}
    growing = True
    while growing:
        growing = False
        ids = {(type(facts[i]).__name__, getattr(facts[i], "id", None)) for i in gone}
        for j, fact in enumerate(facts):
            if j in gone:
                continue
            current = cleared.get(j, fact)
            for field in registry.type_of(fact).fields:
                if (
                    not field.references
                    or (field.references, getattr(current, field.name)) not in ids
                ):
                    continue
                if isinstance(field.kind, Optional):
                    current = cleared[j] = attrs.evolve(current, **{field.name: None})
                    continue
                gone.add(j)
                cleared.pop(j, None)
                growing = True
                break
    return gone, cleared


def _without(example: Example, i: int, registry: FactRegistry) -> Example | None:
    facts = _facts(example)
    gone, cleared = _dependents(facts, {i}, registry)
    keep = [j for j in range(len(facts)) if j not in gone]
    if isinstance(example, Inventory):
        return Inventory(example.as_of, tuple(cleared.get(j, facts[j]) for j in keep))
    raised = facts.index(example.fact)
    if raised in gone or raised in cleared:
        return None
    before = Inventory(example.before.as_of, tuple(cleared.get(j, facts[j]) for j in keep))
    after = tuple(cleared.get(j, example.after[j]) for j in keep)
    return attrs.evolve(example, before=before, after=after)


PLAIN_TEXT = "retail"
"""The text a field is made plain to: the first word the strategies draw."""

_GENERATED = re.compile(r"^([a-z])(\d+)$")


def _renumbered(example: Example, registry: FactRegistry) -> Example:
    """The ids renamed ``w1``, ``w2``, ... in order of appearance, references following."""
    names: dict[tuple[str, str], str] = {}
    counts: dict[str, int] = {}
    for fact in _facts(example):
        fact_id = getattr(fact, "id", None)
        if not isinstance(fact_id, str) or not _GENERATED.match(fact_id):
            continue
        type_name = type(fact).__name__
        counts[type_name] = counts.get(type_name, 0) + 1
        names[(type_name, fact_id)] = f"{fact_id[0]}{counts[type_name]}"

    def rename(fact: Any) -> Any:
        info = registry.type_of(fact)
        changes = {}
        for field in info.fields:
            target = info.name if field.name == "id" else field.references
            value = getattr(fact, field.name)
            if target is not None and field.init and (target, value) in names:
                changes[field.name] = names[(target, value)]
        return attrs.evolve(fact, **changes) if changes else fact

    if isinstance(example, Inventory):
        return Inventory(example.as_of, tuple(map(rename, example.facts)))
    before = Inventory(example.before.as_of, tuple(map(rename, example.before.facts)))
    return attrs.evolve(
        example, before=before, after=tuple(map(rename, example.after)), fact=rename(example.fact)
    )


def simplify(
    inventory: Inventory, fails: Callable[[Inventory], bool], registry: FactRegistry
) -> Inventory:
    """``inventory`` with each field made as plain as it can be while ``fails`` holds.

    Ids and references are kept; every other settable field tries, in turn, null, the
    first value of its choice, an empty list, the minimum, ``as_of`` (for a day) and
    ``retail`` (for a text), and keeps the first that still fails.
    """
    facts = list(inventory.facts)
    for i in range(len(facts)):
        info = registry.type_of(facts[i])
        for field in info.fields:
            if not field.init or field.references or field.name == "id":
                continue
            current = getattr(facts[i], field.name)
            for value in _plainer(field.kind, inventory):
                if value == current or not field.kind.check(value):
                    continue
                try:
                    changed = attrs.evolve(facts[i], **{field.name: value})
                except (TypeError, ValueError):
                    continue
                candidate = Inventory(inventory.as_of, (*facts[:i], changed, *facts[i + 1 :]))
                if fails(candidate):
                    facts[i] = changed
                    break
    return Inventory(inventory.as_of, tuple(facts))


def _plainer(kind: Kind, inventory: Inventory) -> list[Any]:
    """The values of ``kind`` to try, simplest first."""
    match kind:
        case Optional(inner=inner):
            return [None, *_plainer(inner, inventory)]
        case Choice(values=values):
            return list(values[:1])
        case Many():
            return [()]
        case Boolean():
            return [False]
        case Integer(minimum=low):
            return [low if low is not None else 0]
        case Number():
            return [0]
        case Day():
            return [inventory.as_of]
        case Text(ident=False):
            return [PLAIN_TEXT]
    return []
