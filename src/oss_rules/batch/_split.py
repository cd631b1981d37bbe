"""Split one large fact list into independent inventories by following fact references.

Facts that reference each other, directly or through others (hazards and incidents to
their workplace, workplaces and workers to their employer), form one inventory; facts
that nothing links are evaluated apart. Which fields are references comes from the
registry (``field(..., references="Workplace")``), so an app's own types split too.

Splitting is only sound when no rule joins facts that no reference links; the ruleset
is checked first (:func:`oss_rules.language._splittable.unlinked_joins`) and a ruleset
that does is refused with :class:`SplitError`.

>>> import datetime as dt
>>> from oss_rules import Hazard, Workplace, load_default
>>> facts = [Workplace(id="w1", sector="retail", setting="office", headcount=3),
...          Workplace(id="w2", sector="retail", setting="office", headcount=5),
...          Hazard(id="h1", workplace="w2", category="fall", likelihood=2, severity=3)]
>>> [[f.id for f in part] for part in split(facts, load_default())]
[['w1'], ['w2', 'h1']]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..errors import OssRulesError, SplitError
from ..language._splittable import unlinked_joins
from ..language.syntax import Ruleset
from ..model.convert import Inventory, fact_to_json
from ..model.registry import FactRegistry
from ._one import prepare
from ._outcomes import Record

__all__ = ["SplitError", "check_splittable", "split", "split_inventory", "split_records"]


def check_splittable(ruleset: Ruleset) -> None:
    """Raise :class:`SplitError` when a rule of ``ruleset`` joins unlinked facts."""
    problems = unlinked_joins(ruleset)
    if problems:
        raise SplitError(ruleset.id, problems)


def split(facts: Iterable[Any], ruleset: Ruleset) -> list[tuple[Any, ...]]:
    """``facts`` as independent groups, in the order of each group's first fact.

    Evaluating each group alone derives exactly the conclusions of evaluating all the
    facts together. Raises :class:`SplitError` when the ruleset does not allow it.
    """
    check_splittable(ruleset)
    return _groups(list(facts), ruleset.registry)


def split_inventory(inventory: Inventory, ruleset: Ruleset) -> Iterator[Inventory]:
    """The independent inventories of ``inventory`` (same ``as_of``), see :func:`split`."""
    for group in split(inventory.facts, ruleset):
        yield Inventory(inventory.as_of, group)


def split_records(
    records: Iterable[Record], rulesets: Sequence[Ruleset], as_of: dt.date | None = None
) -> Iterator[Record]:
    """Each record's independent inventories, as records of the same file and line.

    A record that cannot be read or whose facts are invalid is passed on as it is, so that
    evaluating it reports the problem. Raises :class:`SplitError` first when one of the
    ``rulesets`` (every one the records will be evaluated with) does not allow splitting.
    """
    for ruleset in rulesets:
        check_splittable(ruleset)
    registry = rulesets[0].registry
    for record in records:
        if record.problem:
            yield record
            continue
        try:
            inventory = prepare(record, registry, as_of)
        except OssRulesError:
            yield record
            continue
        facts = list(inventory.facts)
        # A CSV record's facts keep their cells, so that an error in one part still names
        # the line and column it came from (facts are read one per entry, in order).
        keep = len(record.places) == len(facts)
        position = {id(f): i for i, f in enumerate(facts)}
        for group in _groups(facts, registry):
            data = [fact_to_json(f, registry) for f in group]
            document = {"as_of": inventory.as_of.isoformat(), "facts": data}
            places = tuple(record.places[position[id(f)]] for f in group) if keep else ()
            yield Record(record.source, record.line, document, places=places)


def _groups(facts: list[Any], registry: FactRegistry) -> list[tuple[Any, ...]]:
    parent: dict[tuple[str, Any], tuple[str, Any]] = {}

    def root(node: tuple[str, Any]) -> tuple[str, Any]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    anchors: list[tuple[str, Any] | None] = []
    for fact in facts:
        info = registry.type_of(fact)
        nodes = []
        if info.field("id") is not None and getattr(fact, "id", None) is not None:
            nodes.append((info.name, fact.id))
        for field in info.fields:
            value = getattr(fact, field.name)
            if field.references and value is not None:
                nodes.append((field.references, value))
        for node in nodes[1:]:
            parent[root(node)] = root(nodes[0])
        anchors.append(nodes[0] if nodes else None)
    groups: dict[Any, list[Any]] = {}
    for position, (fact, anchor) in enumerate(zip(facts, anchors, strict=True)):
        # A fact with neither an id nor a reference is linked to nothing: alone.
        key = root(anchor) if anchor is not None else ("", position)
        groups.setdefault(key, []).append(fact)
    return [tuple(group) for group in groups.values()]
