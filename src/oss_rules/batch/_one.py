"""Evaluate one item of a batch: read it, evaluate it with each engine, keep what is asked.

Shared by the in-process loop (``_many``), the worker processes (``_workers``) and the
Dask tasks (``dask``). Any failure becomes a :class:`Failed` outcome naming the item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from ..engine._engine import Engine
from ..errors import FactsError, OssRulesError
from ..model.convert import Inventory, read_inventory
from ..model.registry import FactRegistry
from ._outcomes import Evaluated, Failed, Outcome, Record

__all__ = ["INVALID_RECORD", "Finish", "Item", "evaluate_item", "prepare"]

T = TypeVar("T")

Item = Inventory | Record | Mapping[str, Any]
"""What batch evaluation accepts: an :class:`Inventory`, a :class:`Record` read from a
file, or an input document as a mapping (``{"as_of": ..., "facts": [...]}``)."""

Finish = Callable[[Sequence[Any]], T]
"""What to keep of an inventory's results (one per engine); runs where they were computed,
so with worker processes it must pickle (a module-level function or class instance)."""

INVALID_RECORD = "InvalidRecord"


def prepare(item: Item, registry: FactRegistry, as_of: dt.date | None) -> Inventory:
    """The inventory of ``item``, with ``as_of`` (when given) replacing its date."""
    if isinstance(item, Inventory):
        return Inventory(as_of, item.facts) if as_of else item
    data = item.data if isinstance(item, Record) else item
    if as_of is not None and isinstance(data, Mapping):
        data = {**data, "as_of": as_of.isoformat()}
    return read_inventory(data, registry)


def evaluate_item(
    engines: Sequence[Engine[Any]],
    index: int,
    item: Item,
    as_of: dt.date | None,
    finish: Finish[T],
) -> Outcome[T]:
    """Evaluate one item with every engine; any failure becomes :class:`Failed`."""
    source, line = (item.source, item.line) if isinstance(item, Record) else ("", 0)
    if isinstance(item, Record) and item.problem:
        return Failed(index, INVALID_RECORD, item.problem, source, line, item.data)
    try:
        inventory = prepare(item, engines[0].ruleset.registry, as_of)
        results = [e.evaluate(inventory.facts, as_of=inventory.as_of) for e in engines]
        return Evaluated(index, finish(results), source, line)
    except Exception as error:  # a bad inventory must never stop the others
        kept = item.data if isinstance(item, Record) else item
        reason = str(error) if isinstance(error, OssRulesError) else repr(error)
        if isinstance(item, Record) and isinstance(error, FactsError):
            reason = item.locate(error)
        return Failed(index, type(error).__name__, reason, source, line, kept)
