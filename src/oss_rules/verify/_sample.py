"""Draw a fixed, reproducible sample of inventories from rulesets' own strategies.

``oss-rules verify`` searches for one counterexample; ``oss-rules diff`` wants a corpus
instead: the same ``count`` inventories for the same ``seed``, drawn the way ``verify``
draws them (the rulesets' input types, values clustering at their thresholds).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st

from ..language import syntax as s
from ..model.convert import Inventory
from . import _declared
from ._runner import input_types, inputs

__all__ = ["sample"]


def sample(
    rulesets: Sequence[tuple[s.Ruleset, Mapping[str, Any]]], count: int, seed_value: int = 0
) -> tuple[Inventory, ...]:
    """``count`` inventories (fewer if they repeat) for the ``(ruleset, params)`` pairs.

    Each inventory is drawn from one of the rulesets' input strategies, so the sample
    clusters at the thresholds of every version (``high_from: 15`` and ``16`` both).
    The same arguments give the same inventories, in the same order.
    """
    if count < 1:
        return ()
    strategies = []
    for ruleset, params in rulesets:
        declared = _declared.read(ruleset)
        strategies.append(inputs(input_types(ruleset, declared), ruleset, params, declared))
    drawn: list[Inventory] = []

    def keep(inventory: Inventory) -> None:
        drawn.append(inventory)

    run = settings(
        max_examples=count,
        database=None,
        deadline=None,
        derandomize=False,
        verbosity=Verbosity.quiet,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )(given(st.one_of(strategies))(keep))
    with _no_local_constants():
        seed(seed_value)(run)()
    return tuple(dict.fromkeys(drawn))[:count]


@contextlib.contextmanager
def _no_local_constants() -> Iterator[None]:
    """Draw without the constants hypothesis reads from the source of imported modules.

    Since 6.131 hypothesis sometimes draws a number or a text found in the source of a
    "local" module (any module outside site-packages and the standard library that the
    process has imported), and caches those pools for the process. The same seed then
    gives other inventories under pytest, in an application, or after another run: the
    sample would not be reproducible. A version without that feature is left as it is.
    """
    from hypothesis.internal.conjecture import providers as module

    providers: Any = module  # internals, read with care: absent in other versions
    getter = getattr(providers, "_get_local_constants", None)
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    local = getattr(providers, "_local_constants", None)
    if getter is None or cache is None or local is None:
        yield
        return
    empty = type(local)(
        integers=type(local.integers)(),
        floats=type(local.floats)(key=providers.float_to_int),
        bytes=type(local.bytes)(),
        strings=type(local.strings)(),
    )
    providers._get_local_constants = lambda: empty
    providers.CONSTANTS_CACHE = {}
    try:
        yield
    finally:
        providers._get_local_constants = getter
        providers.CONSTANTS_CACHE = cache
