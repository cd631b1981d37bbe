"""Evaluate inventories on a Dask cluster: a bag of documents, or a dataframe of hazard rows.

Needs the optional extra: ``pip install 'oss_rules[dask]'``. Each partition is evaluated
by one task; each worker process compiles the ruleset once (on its first task) and keeps
the engine for the next ones. The outcome of each inventory is a JSON-ready record:

- ``{"ok": true, "partition": 0, "position": 3, "result": {...}}`` (``Result.to_data()``)
- ``{"ok": false, "partition": 0, "position": 4, "error": "FactsError", "reason": "...",
  "record": {...}}``

so that ``bag.map(json.dumps).to_textfiles(...)`` writes JSON Lines, and a failed
inventory never stops the others. The same code runs on a laptop's ``LocalCluster`` and
on a real scheduler (``Client("tcp://scheduler:8786")``); see docs/batch.md.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import dask.bag as db
from dask.delayed import delayed

from ..engine._engine import Engine
from ..engine.result import Result
from ..language.syntax import Ruleset
from ._csv import CsvLayout
from ._one import Item, evaluate_item
from ._outcomes import Failed
from ._workers import EngineRecipe

__all__ = ["evaluate_bag", "evaluate_hazard_frame"]

_compiled: dict[str, list[Engine[Any]]] = {}
"""Engines compiled in this process, by recipe: once per worker, not once per task."""


def _key(recipe: EngineRecipe) -> str:
    overrides = json.dumps([dict(p) for p in recipe.params], sort_keys=True, default=str)
    return "|".join([*(r.digest for r in recipe.rulesets), overrides, repr(recipe.max_facts)])


def _engines(recipe: EngineRecipe) -> list[Engine[Any]]:
    key = _key(recipe)
    if key not in _compiled:
        _compiled[key] = recipe.build()
    return _compiled[key]


def _data(results: Sequence[Result]) -> Any:
    return results[0].to_data()


def _evaluate_partition(
    items: Iterable[Item], partition: int, recipe: EngineRecipe, as_of: dt.date | None
) -> list[dict[str, Any]]:
    engines = _engines(recipe)
    out = []
    for position, item in enumerate(items):
        outcome = evaluate_item(engines, position, item, as_of, _data)
        where = {"partition": partition, "position": position}
        if isinstance(outcome, Failed):
            out.append(
                {
                    "ok": False,
                    **where,
                    "error": outcome.error,
                    "reason": outcome.reason,
                    "record": outcome.record,
                }
            )
        else:
            out.append({"ok": True, **where, "result": outcome.result})
    return out


def _recipe(ruleset: Ruleset, params: Mapping[str, Any] | None) -> EngineRecipe:
    # Building one engine here checks the params before any task is sent.
    engine = Engine(ruleset, params=params)
    return EngineRecipe.of([engine])


def evaluate_bag(
    bag: db.Bag,
    ruleset: Ruleset,
    *,
    params: Mapping[str, Any] | None = None,
    as_of: dt.date | None = None,
) -> db.Bag:
    """A bag of outcome records, one per input document of ``bag``, partition by partition.

    ``bag`` holds input documents (``{"as_of": ..., "facts": [...]}`` mappings, e.g.
    ``db.read_text("corpus-*.jsonl").map(json.loads)``) or
    :class:`~oss_rules.model.convert.Inventory` values. Nothing runs until the bag is
    computed.
    """
    recipe = _recipe(ruleset, params)
    parts = [
        delayed(_evaluate_partition)(part, number, recipe, as_of)
        for number, part in enumerate(bag.to_delayed())
    ]
    return db.from_delayed(parts)


@attrs.frozen
class _Rows:
    """Turn one dataframe partition of hazard rows into input documents."""

    layout: CsvLayout

    def __call__(self, frame: Any) -> list[dict[str, Any]]:
        key = self.layout.required()[1]
        columns = [c for c in frame.columns if c in self.layout.header()]
        documents = []
        # Rows of a workplace are grouped wherever they are in the partition (sort=False
        # keeps the order of first appearance, so the output order is the input's).
        for _, rows in frame.groupby(key, sort=False):
            cells = [{c: _cell(row[c]) for c in columns} for _, row in rows.iterrows()]
            documents.append(self.layout.document(cells))
        return documents


def _cell(value: Any) -> str:
    """A dataframe value as the CSV text it came from (pandas reads ints with gaps as floats)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value)


def evaluate_hazard_frame(
    frame: Any,
    ruleset: Ruleset,
    *,
    params: Mapping[str, Any] | None = None,
    as_of: dt.date | None = None,
) -> db.Bag:
    """A bag of outcome records, one per workplace of a Dask dataframe of hazard rows.

    The dataframe has the CSV columns (``oss-rules schema --csv``), e.g. from
    ``dd.read_csv("hazards-*.csv", dtype=str)``. All rows of a workplace must be in one
    partition: index or shuffle the frame on ``workplace_id`` when they may not be.
    """
    layout = CsvLayout.of(ruleset.registry)
    missing = [c for c in layout.required() if c not in frame.columns]
    if missing:
        raise ValueError(f"the dataframe has no column {missing[0]!r} (see oss-rules schema --csv)")
    to_documents = _Rows(layout)
    documents = db.from_delayed([delayed(to_documents)(part) for part in frame.to_delayed()])
    return evaluate_bag(documents, ruleset, params=params, as_of=as_of)
