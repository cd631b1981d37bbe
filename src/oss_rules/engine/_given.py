"""The facts given to an evaluation, checked to be instances of the ruleset's fact types,
with every item that is not named at once (``$.facts[3]``) and the way to build facts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..errors import ArgumentError, FactError, FactsError
from ..language.syntax import Ruleset

__all__ = ["fact_objects"]

_BUILD = (
    "; a fact is an instance of its type: build facts from JSON objects with "
    "oss_rules.fact_from_json(data, engine.ruleset.registry), or read a whole input "
    "document with oss_rules.read_inventory(...)"
)


_REGISTER = (
    "; register its class with FactRegistry.register and load the ruleset with that registry"
)
_EXPECTED = "an instance of a fact type registered with the ruleset"


def fact_objects(facts: Any, ruleset: Ruleset[Any]) -> Sequence[Any]:
    """``facts`` as a sequence; a :class:`FactsError` names every item that is not a fact
    of a type ``ruleset`` uses."""
    if isinstance(facts, str | bytes | Mapping) or not isinstance(facts, Iterable):
        expected = "an iterable of fact objects"
        raise FactsError([FactError("evaluate", "facts", facts, expected, hint=_BUILD)])
    items = facts if isinstance(facts, Sequence) else list(facts)
    registry = ruleset.registry
    problems = []
    known: set[type] = set()  # classes found registered: most items share a few
    for i, item in enumerate(items):
        if type(item) in known:
            continue
        try:
            registry.type_of(item)
        except ArgumentError:
            problems.append(_not_a_fact(item, i, ruleset))
        else:
            known.add(type(item))
    if problems:
        raise FactsError(problems)
    return items


def _not_a_fact(item: Any, index: int, ruleset: Ruleset[Any]) -> FactError:
    path = f"$.facts[{index}]"
    name = type(item).__name__
    if not attrs.has(type(item)):
        return FactError("fact", "", item, _EXPECTED, path=path, hint=_BUILD)
    if name not in ruleset.registry:
        domains = ", ".join(ruleset.domains) or "none"
        return FactError(
            name,
            "type",
            name,
            f"a fact type that ruleset {ruleset.id} uses",
            path=path,
            hint=f"; its domains are {domains}: evaluate it with a ruleset whose domains "
            "include its type's",
        )
    # Another class of the same name as a registered type.
    return FactError("fact", "", item, _EXPECTED, path=path, hint=_REGISTER)
