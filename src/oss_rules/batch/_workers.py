"""Worker processes: each compiles the rulesets once, then evaluates chunks of items.

Items go to the workers in chunks (one round trip per chunk, not per inventory) and the
outcomes come back in input order: the chunks are collected first-in, first-out, so a
slow chunk holds back the ones after it but never reorders them. At most ``window``
items are in flight, which bounds memory whatever the number of inputs.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

import attrs

from ..engine._engine import Engine
from ..language.syntax import Ruleset
from ._one import Finish, Item, evaluate_item
from ._outcomes import Outcome

__all__ = ["EngineRecipe", "parallel_outcomes"]

T = TypeVar("T")

CHUNK = 16
"""Items per round trip to a worker: an evaluation takes about a millisecond, a round
trip a fraction of one, so a chunk amortises it without holding much."""


@attrs.frozen
class EngineRecipe:
    """What a process needs to build the same engines: rulesets, param overrides, limits,
    backends.

    A :class:`~oss_rules.language.syntax.Ruleset` pickles; a compiled engine (durable's
    C networks) does not, so each worker compiles its own, once.
    """

    rulesets: tuple[Ruleset, ...]
    params: tuple[Mapping[str, Any], ...]
    max_facts: tuple[int, ...]
    backends: tuple[str, ...] = ()

    @classmethod
    def of(cls, engines: Sequence[Engine[Any]]) -> EngineRecipe:
        """The recipe of ``engines``."""
        return cls(
            tuple(e.ruleset for e in engines),
            tuple(e.overrides for e in engines),
            tuple(e.max_facts for e in engines),
            tuple(e.backend for e in engines),
        )

    def build(self) -> list[Engine[Any]]:
        """Compile the engines."""
        backends = self.backends or ("durable",) * len(self.rulesets)
        return [
            Engine(ruleset, params=params, max_facts=limit, backend=backend)
            for ruleset, params, limit, backend in zip(
                self.rulesets, self.params, self.max_facts, backends, strict=True
            )
        ]


_engines: list[Engine[Any]] = []
"""This worker process's engines, compiled once by :func:`_start`."""


def _start(recipe: EngineRecipe) -> None:
    _engines[:] = recipe.build()


def _chunk(
    items: list[tuple[int, Item]], as_of: dt.date | None, finish: Finish[T]
) -> list[Outcome[T]]:
    return [evaluate_item(_engines, index, item, as_of, finish) for index, item in items]


def parallel_outcomes(
    engines: Sequence[Engine[Any]],
    items: Iterable[Item],
    finish: Finish[T],
    *,
    as_of: dt.date | None,
    workers: int,
    window: int | None,
) -> Iterator[Outcome[T]]:
    """One outcome per item, in input order, evaluated by ``workers`` processes."""
    # Enough chunks in flight to keep every worker busy while the head one is collected.
    limit = max(1, (window or workers * CHUNK * 4) // CHUNK)
    size = min(CHUNK, window) if window else CHUNK
    numbered = enumerate(items)
    pool = ProcessPoolExecutor(workers, initializer=_start, initargs=(EngineRecipe.of(engines),))
    pending: deque[Future[list[Outcome[T]]]] = deque()
    try:
        while True:
            chunk = list(itertools.islice(numbered, size))
            if chunk:
                pending.append(pool.submit(_chunk, chunk, as_of, finish))
            if pending and (len(pending) >= limit or not chunk):
                yield from pending.popleft().result()
            if not chunk and not pending:
                break
    finally:
        # Also when the consumer stops early: drop what was not started, end the workers.
        pool.shutdown(wait=True, cancel_futures=True)
