"""Draw a fixed, reproducible sample of inventories from rulesets' own strategies.

``oss-rules verify`` searches for one counterexample; ``oss-rules diff`` wants a corpus
instead: the same ``count`` inventories for the same ``seed``, drawn the way ``verify``
draws them (the rulesets' input types, values clustering at their thresholds).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st

from ..language import syntax as s
from ..model.convert import Inventory
from . import _declared
from ._reproducible import no_local_constants
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
    with no_local_constants():
        seed(seed_value)(run)()
    return tuple(dict.fromkeys(drawn))[:count]
