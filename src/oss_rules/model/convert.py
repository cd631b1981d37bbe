"""Facts to and from JSON, strictly: every problem in an input is reported, with its path.

The JSON form of a fact is an object with ``"type"`` and its fields; dates are ISO
strings. Nothing is coerced: ``"4"`` is not a likelihood, ``"2025-02-30"`` is not a
date, and an unknown field is an error with a "did you mean" hint.

>>> facts = facts_from_json([{"type": "Workplace", "id": "w1", "sector": "retail",
...                           "setting": "office", "headcount": 3}])
>>> facts[0].setting
'office'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .._messages import MISSING
from ..errors import FactError, FactsError, suggest
from ._converter import structure_fact, unstructure_fact, was_checked
from ._json import loads
from ._kinds import Day
from ._limits import DATE_HINT
from ._order import sort_key
from ._text import read_text
from .domain import shipped_registry
from .registry import FactRegistry

__all__ = [
    "CheckedFacts",
    "Inventory",
    "check_fields",
    "check_inventory",
    "fact_from_json",
    "fact_to_json",
    "facts_from_json",
    "read_inventory",
    "sort_key",
]


class CheckedFacts(tuple[Any, ...]):
    """Facts whose fields, ids and references were checked together, as
    :func:`facts_from_json` (and so :func:`read_inventory`) returns them.

    :meth:`oss_rules.Engine.evaluate` does not check the ids and references of such a
    tuple again: they are checked once per evaluation, however many engines evaluate the
    same input. Adding or removing facts gives a plain tuple, which is checked.
    """

    __slots__ = ()


_AS_OF = Day()
"""The kind of an input document's ``as_of``: read and described like any date field."""


@attrs.frozen
class Inventory:
    """An input document: the evaluation date and the facts."""

    as_of: dt.date
    facts: tuple[Any, ...]


def fact_to_json(fact: Any, registry: FactRegistry, *, typed: bool = True) -> dict[str, Any]:
    """A fact as a JSON object (with ``"type"`` unless ``typed=False``)."""
    return unstructure_fact(fact, registry, typed=typed)


def fact_from_json(data: Any, registry: FactRegistry, path: str = "$") -> Any:
    """One fact from its JSON object; raises :class:`FactsError` listing every problem."""
    return structure_fact(data, registry, path)


def facts_from_json(
    items: Any, registry: FactRegistry | None = None, path: str = "$.facts"
) -> tuple[Any, ...]:
    """Facts from a JSON array, checked together (references, duplicate ids)."""
    registry = registry if registry is not None else shipped_registry()
    if not isinstance(items, list):
        raise FactsError([FactError("input", "facts", items, "a list of fact objects", path="$")])
    problems: list[FactError] = []
    facts = []
    for i, item in enumerate(items):
        try:
            facts.append((i, structure_fact(item, registry, f"{path}[{i}]")))
        except FactsError as error:
            problems.extend(error.errors)
    problems.extend(_inventory_problems(facts, registry, path))
    if problems:
        raise FactsError(problems)
    return CheckedFacts(f for _, f in facts)


def check_fields(facts: Sequence[Any], registry: FactRegistry) -> None:
    """Raise :class:`FactsError` for field values outside their kind.

    Only the fields that nobody checked yet: built-in types check their fields on
    construction, and the converter checked every field of a fact it read from JSON. An
    app's plain attrs class built in Python does not check itself, so its fields are
    checked here, before evaluation.
    """
    problems = []
    trusted: set[type] = set()  # classes that check every field themselves
    for i, fact in enumerate(facts):
        if type(fact) in trusted:
            continue
        info = registry.type_of(fact)
        if not info.unchecked:
            trusted.add(info.cls)
            continue
        if was_checked(fact):
            continue
        for field in info.unchecked:
            value = getattr(fact, field.name)
            if not field.kind.check(value):
                problems.append(
                    FactError(
                        info.name,
                        field.name,
                        value,
                        field.kind.expected,
                        fact_id=getattr(fact, "id", None)
                        if isinstance(getattr(fact, "id", None), str)
                        else None,
                        path=f"$.facts[{i}].{field.name}",
                        hint=field.kind.hint(value),
                    )
                )
    if problems:
        raise FactsError(problems)


def check_inventory(facts: Sequence[Any], registry: FactRegistry) -> None:
    """Raise :class:`FactsError` for duplicate ids and references to facts not given."""
    problems = _inventory_problems(list(enumerate(facts)), registry, "$.facts")
    if problems:
        raise FactsError(problems)


def _inventory_problems(
    facts: Sequence[tuple[int, Any]], registry: FactRegistry, path: str
) -> list[FactError]:
    problems: list[FactError] = []
    ids: dict[tuple[str, str], int] = {}
    # Every evaluation checks every fact: what to check is worked out once per type.
    plans: dict[type, tuple[str, bool, tuple[tuple[str, str], ...]]] = {}
    for i, fact in facts:
        plan = plans.get(type(fact))
        if plan is None:
            info = registry.type_of(fact)
            references = tuple((f.name, f.references) for f in info.fields if f.references)
            plan = plans[info.cls] = (info.name, info.field("id") is not None, references)
        name, has_id, _ = plan
        if not has_id:
            continue
        fact_id = fact.id
        if isinstance(fact_id, str):
            first = ids.setdefault((name, fact_id), i)
            if first != i:
                problems.append(
                    FactError(
                        name,
                        "id",
                        fact_id,
                        f"unique among {name} facts (also at {path}[{first}])",
                        fact_id=fact_id,
                        path=f"{path}[{i}].id",
                    )
                )
    for i, fact in facts:
        name, _, references = plans[type(fact)]
        for field, target in references:
            value = getattr(fact, field)
            if value is None or (target, value) in ids:
                continue
            known = [k for (t, k) in ids if t == target]
            problems.append(
                FactError(
                    name,
                    field,
                    value,
                    f"the id of a {target} given in the same input",
                    fact_id=getattr(fact, "id", None),
                    path=f"{path}[{i}].{field}",
                    hint=suggest(str(value), known),
                )
            )
    return problems


def read_inventory(
    source: str | Path | Mapping[str, Any], registry: FactRegistry | None = None
) -> Inventory:
    """Read ``{"as_of": "YYYY-MM-DD", "facts": [...]}`` from a Path, JSON text or a mapping.

    A ``str`` is JSON text, never a file name: pass a :class:`pathlib.Path` for a file.
    Raises :class:`InputError` for text that is not JSON (or JSON that
    :func:`oss_rules.model._json.loads` refuses), :class:`~oss_rules.errors.FileError` for
    a file that cannot be read as UTF-8, and :class:`FactsError` listing every invalid fact.
    """
    registry = registry if registry is not None else shipped_registry()
    if isinstance(source, Path | str):
        text = read_text(source) if isinstance(source, Path) else source
        # Decimals, not floats: a wage or a rate read from JSON stays exact. No NaN, no
        # repeated key, no lone surrogate, bounded nesting (see _json).
        data: Any = loads(text, str(source) if isinstance(source, Path) else "<json>")
    else:
        data = source
    if not isinstance(data, Mapping):
        raise FactsError(
            [FactError("input", "", data, 'an object {"as_of": ..., "facts": [...]}', path="$")]
        )
    problems = []
    for key in data:
        if key not in ("as_of", "facts"):
            problems.append(
                FactError(
                    "input",
                    key,
                    data[key],
                    "as_of or facts",
                    path=f"$.{key}",
                    hint=suggest(key, ("as_of", "facts")),
                )
            )
    raw_date = data.get("as_of", MISSING)
    as_of = _AS_OF.from_json(raw_date)
    if not _AS_OF.check(as_of):
        problems.append(
            FactError(
                "input", "as_of", raw_date, "a date (YYYY-MM-DD)", path="$.as_of", hint=DATE_HINT
            )
        )
    try:
        facts = facts_from_json(data.get("facts", MISSING) if "facts" in data else [], registry)
    except FactsError as error:
        problems.extend(error.errors)
        facts = ()
    if "facts" not in data:
        problems.append(
            FactError("input", "facts", MISSING, "a list of fact objects", path="$.facts")
        )
    if problems:
        raise FactsError(problems)
    return Inventory(as_of, facts)


def unique_sorted(facts: Iterable[Any], registry: FactRegistry) -> tuple[Any, ...]:
    """Facts in canonical order: by type name, then by field values."""
    return tuple(sorted(set(facts), key=lambda f: sort_key(f, registry)))
