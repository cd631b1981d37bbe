"""The risk bands of a ruleset: the level it gives a hazard in each cell of the 5x5
likelihood x severity matrix, asked of the ruleset itself.

The report never guesses bands from scores: another ruleset may band differently, and
one that classifies nothing must not seem to. So each cell's band is what the engine
concludes for a hazard placed there, of every category, in a workplace of each
setting. When the level depends on the category or the setting, the cell has no single
band and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ..domains.oss._vocabulary import CATEGORIES, SETTINGS
from ..domains.oss.facts import Classification, Hazard, Workplace
from ..engine import Engine
from ..errors import OssRulesError

SCALE = (1, 2, 3, 4, 5)
"""Likelihood and severity values of the matrix."""

VARIES = "varies"
"""The band of a cell whose level depends on the hazard's category or the setting."""

Bands = Mapping[tuple[int, int], str]
"""(likelihood, severity) -> level, or :data:`VARIES`."""


def risk_bands(engine: Engine, as_of: dt.date) -> Bands | None:
    """The band of every cell under ``engine``, or ``None`` when its ruleset classifies
    no hazard (or cannot take one)."""
    registry = engine.ruleset.registry
    if not all(registry.holds(t) for t in (Workplace, Hazard, Classification)):
        return None
    facts: list[object] = []
    for setting in SETTINGS:
        site = f"band-{setting}"
        facts.append(Workplace(id=site, sector="bands", setting=setting, headcount=1))
        facts += [
            Hazard(
                id=f"{site}-{likelihood}-{severity}-{category}",
                workplace=site,
                category=category,
                likelihood=likelihood,
                severity=severity,
            )
            for likelihood in SCALE
            for severity in SCALE
            for category in CATEGORIES
        ]
    try:
        result = engine.evaluate(facts, as_of=as_of)
    except OssRulesError:
        return None
    where = {h.id: (h.likelihood, h.severity) for h in facts if isinstance(h, Hazard)}
    levels: dict[tuple[int, int], set[str]] = {}
    classified: dict[tuple[int, int], set[str]] = {}
    for c in result.of_type(Classification):
        if c.hazard in where:
            levels.setdefault(where[c.hazard], set()).add(c.level)
            classified.setdefault(where[c.hazard], set()).add(c.hazard)
    if not levels:
        return None
    # A cell where some hazards got no level at all has no single band either.
    per_cell = len(SETTINGS) * len(CATEGORIES)
    return {
        cell: next(iter(found)) if len(found) == 1 and len(classified[cell]) == per_cell else VARIES
        for cell, found in levels.items()
    }
