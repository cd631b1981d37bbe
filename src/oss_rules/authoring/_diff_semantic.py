"""What changed in the behaviour of a ruleset: the conclusions each input gains or loses.

Every input of the corpus is evaluated by both versions. Conclusions are compared as
fact values (no digest, no trace): a fact concluded only by the new version is
*gained*, one concluded only by the old version is *lost*. Each is filed under its
fact type and the rule whose proof derives it. For each (type, rule, gained or lost),
the smallest input that shows it is shrunk further (facts dropped while the change
still shows, ids renumbered: the reduction ``oss-rules verify`` applies to its
counterexamples), its values made plain (null, the first choice, ``as_of``) where the
change still shows, and kept as the example.

An input whose evaluation fails in one version and not in the other changes too: its
failure is filed as the pseudo type ``error`` under the error's class name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ..engine._engine import Engine
from ..engine.result import Result
from ..errors import OssRulesError
from ..model.convert import Inventory
from ..verify._reduce import reduce, simplify

__all__ = ["ERROR", "Key", "Sample", "Shown", "changes_in", "semantic_changes"]

ERROR = "error"
"""The kind under which a failed evaluation is filed."""

Key = tuple[str, str, str]
"""(kind, rule, ``gained`` or ``lost``)."""


@attrs.frozen
class Sample:
    """One input of the corpus and where it came from (a file, or ``generated #k``)."""

    label: str
    inventory: Inventory


@attrs.frozen
class Shown:
    """The changes of one key over the corpus: how many inputs show it, and the example.

    ``facts`` are the facts gained or lost in the (shrunk) example; for the kind
    ``error``, the error messages.
    """

    key: Key
    count: int
    label: str
    example: Inventory
    facts: tuple[Any, ...]


def changes_in(old: Engine, new: Engine, inventory: Inventory) -> dict[Key, tuple[Any, ...]]:
    """The facts ``inventory`` gains and loses from ``old`` to ``new``, by key, sorted."""
    before, after = _evaluated(old, inventory), _evaluated(new, inventory)
    found: dict[Key, list[Any]] = {}
    for direction, here, there in (("gained", after, before), ("lost", before, after)):
        for fact in here.facts:
            if fact not in there.facts:
                kind, rule = here.origin(fact)
                found.setdefault((kind, rule, direction), []).append(fact)
    return {key: tuple(found[key]) for key in sorted(found)}


@attrs.frozen
class _Evaluated:
    """The conclusions of one evaluation (or its failure), and where each came from."""

    facts: frozenset[Any]
    result: Result | None = None
    error: OssRulesError | None = None

    def origin(self, fact: Any) -> tuple[str, str]:
        """The (kind, rule) a gained or lost ``fact`` is filed under."""
        if self.result is None:
            return ERROR, type(self.error).__name__
        return type(fact).__name__, self.result.explain(fact).rule or ""


def _evaluated(engine: Engine, inventory: Inventory) -> _Evaluated:
    try:
        result = engine.evaluate(inventory.facts, as_of=inventory.as_of)
    except OssRulesError as error:
        return _Evaluated(frozenset({str(error)}), error=error)
    return _Evaluated(frozenset(result.conclusions), result)


def semantic_changes(old: Engine, new: Engine, corpus: Sequence[Sample]) -> tuple[Shown, ...]:
    """Every key that some input of ``corpus`` shows, with its count and a shrunk example."""
    counts: dict[Key, int] = {}
    first: dict[Key, Sample] = {}
    for sample in corpus:
        for key in changes_in(old, new, sample.inventory):
            counts[key] = counts.get(key, 0) + 1
            best = first.get(key)
            if best is None or len(sample.inventory.facts) < len(best.inventory.facts):
                first[key] = sample
    registry = old.ruleset.registry
    shown = []
    for key in sorted(counts):
        sample = first[key]

        def still(example: Any, key: Key = key) -> bool:
            return isinstance(example, Inventory) and key in changes_in(old, new, example)

        shrunk = reduce(sample.inventory, still, registry)
        assert isinstance(shrunk, Inventory)
        example = simplify(shrunk, still, registry)
        facts = changes_in(old, new, example)[key]
        shown.append(Shown(key, counts[key], sample.label, example, facts))
    return tuple(shown)
