"""Evaluate many inventories, one outcome each, in input order, in bounded memory.

The inputs are consumed lazily: at most ``window`` inventories are read ahead of the
outcome being yielded, so memory depends on the window, not on the number of
inventories. A bad inventory (invalid facts, a record that could not be read, a rule
that fails on it) becomes a :class:`Failed` outcome and the others go on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from ..engine._engine import Engine
from ..engine.result import Result
from ..errors import FactError
from ._one import Finish, Item, evaluate_item
from ._outcomes import Outcome

__all__ = ["evaluate_many", "first_result", "outcomes"]

T = TypeVar("T")
R = TypeVar("R", bound=Result)


def first_result(results: Sequence[R]) -> R:
    """The result of the only engine (the :class:`Finish` of :func:`evaluate_many`)."""
    return results[0]


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
