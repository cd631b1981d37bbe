"""Evaluate many inventories, one outcome each, in input order, in bounded memory.

The inputs are consumed lazily: at most ``window`` inventories are read ahead of the
outcome being yielded, so memory depends on the window, not on the number of
inventories. A bad inventory (invalid facts, a record that could not be read, a rule
that fails on it) becomes a :class:`Failed` outcome and the others go on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from ..engine._engine import Engine
from ..engine.result import Result
from ..errors import FactError, FactsError, OssRulesError
from ..model.convert import Inventory, read_inventory
from ..model.registry import FactRegistry
from ._outcomes import Evaluated, Failed, Outcome, Record

__all__ = ["Item", "evaluate_item", "evaluate_many", "first_result", "outcomes"]

T = TypeVar("T")
R = TypeVar("R", bound=Result)

Item = Inventory | Record | Mapping[str, Any]
"""What batch evaluation accepts: an :class:`Inventory`, a :class:`Record` read from a
file, or an input document as a mapping (``{"as_of": ..., "facts": [...]}``)."""

Finish = Callable[[Sequence[Any]], T]
"""What to keep of an inventory's results (one per engine); runs where they were computed,
so with worker processes it must pickle (a module-level function or class instance)."""

INVALID_RECORD = "InvalidRecord"


def first_result(results: Sequence[R]) -> R:
    """The result of the only engine (the :class:`Finish` of :func:`evaluate_many`)."""
    return results[0]


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


def outcomes(
    engines: Sequence[Engine[Any]],
    items: Iterable[Item],
    finish: Finish[T],
    *,
    as_of: dt.date | None = None,
    workers: int = 1,
    window: int | None = None,
) -> Iterator[Outcome[T]]:
    """One outcome per item, in input order, computed by ``workers`` processes.

    The arguments are checked now; the items are read as the outcomes are consumed.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise FactError("evaluate_many", "workers", workers, "an int >= 1")
    if window is not None and (
        isinstance(window, bool) or not isinstance(window, int) or window < 1
    ):
        raise FactError("evaluate_many", "window", window, "an int >= 1")
    if workers == 1:
        return _in_process(engines, items, finish, as_of)
    # Imported here: one-process evaluation never needs multiprocessing.
    from ._workers import parallel_outcomes

    return parallel_outcomes(engines, items, finish, as_of=as_of, workers=workers, window=window)


def _in_process(
    engines: Sequence[Engine[Any]], items: Iterable[Item], finish: Finish[T], as_of: dt.date | None
) -> Iterator[Outcome[T]]:
    for index, item in enumerate(items):
        yield evaluate_item(engines, index, item, as_of, finish)


def evaluate_many(
    engine: Engine[R],
    inventories: Iterable[Item],
    *,
    as_of: dt.date | None = None,
    workers: int = 1,
    window: int | None = None,
) -> Iterator[Outcome[R]]:
    """See :meth:`oss_rules.Engine.evaluate_many`."""
    return outcomes(
        [engine], inventories, first_result, as_of=as_of, workers=workers, window=window
    )
