"""Hypothesis strategies for facts, inventories and dates, derived from the fact types' fields.

Every strategy reads the registered fact types (their field kinds, defaults and
references), so it follows the model and also works for an application's own types.
Valid values only, unless the name says otherwise; examples shrink to small, readable
facts: ids ``w1``, ``h1``, the first allowed value of a choice, dates on ``as_of``.

Needs hypothesis: ``pip install 'oss_rules[testing]'``.

>>> from hypothesis import given
>>> import oss_rules
>>> engine = oss_rules.Engine(oss_rules.load_default())
>>> @given(inventories(max_hazards=3))
... def test_every_workplace_gets_oss1(inventory):
...     result = engine.evaluate(inventory.facts, as_of=inventory.as_of)
...     assert {o.workplace for o in result.obligations if o.module == "OSS-I"} == {
...         f.id for f in inventory.facts if isinstance(f, oss_rules.Workplace)
...     }
>>> test_every_workplace_gets_oss1()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import reject
from hypothesis import strategies as st

from ..model._fields import Day, Integer, Kind, Moment, Number
from ..model.convert import Inventory
from ..model.domain import shipped_registry
from ..model.registry import FactRegistry, FactType
from ._generate import Edges, dated, draw_facts, draw_fields, raw_values
from ._invalid import corrupted

__all__ = [
    "BASE_DATE",
    "DEFAULT_BOUNDARIES",
    "Raise",
    "as_of_dates",
    "fact_lists",
    "facts",
    "hazards",
    "invalid_inventories",
    "inventories",
    "raised",
    "values",
    "workplaces",
]

BASE_DATE = dt.date(2026, 6, 30)
"""The date that dates shrink to: readable examples are "as of 2026-06-30"."""

Values = Any
"""A value or a strategy of values, as overrides of a field accept them."""


def as_of_dates(
    min_value: dt.date = dt.date(2000, 1, 1), max_value: dt.date = dt.date(2040, 12, 31)
) -> st.SearchStrategy[dt.date]:
    """Evaluation dates between ``min_value`` and ``max_value``, shrinking to 2026-06-30."""
    if min_value > max_value:
        raise ValueError(f"Expected min_value <= max_value but got {min_value=}, {max_value=}")
    base = min(max(BASE_DATE, min_value), max_value)
    low, high = (min_value - base).days, (max_value - base).days
    return st.integers(low, high).map(lambda n: base + dt.timedelta(days=n))


def values(
    kind: Kind,
    *,
    as_of: dt.date | None = None,
    boundaries: Sequence[int] = (),
    months: Sequence[int] = (),
) -> st.SearchStrategy[Any]:
    """Valid values of a field ``kind`` (see ``oss_rules.model._fields``), simplest first.

    Dates fall near ``as_of`` (default 2026-06-30), often right at ``as_of - n`` for
    each ``n`` of ``boundaries`` (the day counts the rules compare with), and on
    ``add_months(as_of, m)`` for each ``m`` of ``months`` (signed: -12 is a year
    before ``as_of``), or a day either side.
    """
    day = as_of or BASE_DATE
    edges = _edges(boundaries, months)
    return raw_values(kind, edges).map(lambda value: dated(kind, value, day))


def _edges(boundaries: Sequence[int], months: Sequence[int]) -> Edges:
    for name, counts in (("boundaries", boundaries), ("months", months)):
        if any(not isinstance(n, int) or isinstance(n, bool) for n in counts):
            raise TypeError(f"Expected whole numbers but got {name}={counts!r}")
    return Edges(tuple(boundaries), tuple(sorted(set(months) - {0})))


def _fact_type(fact_type: FactType | type | str, registry: FactRegistry | None) -> FactType:
    if isinstance(fact_type, FactType):
        return fact_type
    registry = registry if registry is not None else shipped_registry()
    return registry[fact_type if isinstance(fact_type, str) else fact_type.__name__]


def _strategy(value: Values) -> st.SearchStrategy[Any]:
    return value if isinstance(value, st.SearchStrategy) else st.just(value)


def facts(
    fact_type: FactType | type | str,
    *,
    registry: FactRegistry | None = None,
    as_of: dt.date | None = None,
    boundaries: Sequence[int] = (),
    months: Sequence[int] = (),
    **overrides: Values,
) -> st.SearchStrategy[Any]:
    """Valid facts of ``fact_type`` (a registered class, its name or its FactType).

    Each field keyword fixes that field to a value or draws it from a strategy:
    ``facts("Hazard", workplace="w1", severity=st.integers(4, 5))``. An ``id`` is
    ``w1``..``w9`` (the type's initial), a reference is an id of the referenced type.
    """
    info = _fact_type(fact_type, registry)
    unknown = set(overrides) - {f.name for f in info.fields if f.init}
    if unknown:
        raise TypeError(
            f"{info.name} has no settable field {sorted(unknown)[0]!r} "
            f"(fields: {', '.join(f.name for f in info.fields if f.init)})"
        )
    fixed = {name: _strategy(value) for name, value in overrides.items()}
    edges = _edges(boundaries, months)

    @st.composite
    def draw_fact(draw: st.DrawFn) -> Any:
        return info.cls(**draw_fields(draw, info, as_of or BASE_DATE, edges, fixed))

    return draw_fact()


def workplaces(**overrides: Values) -> st.SearchStrategy[Any]:
    """Valid :class:`~oss_rules.Workplace` facts; keywords fix or draw fields."""
    return facts("Workplace", **overrides)


def hazards(workplace: Any = "w1", **overrides: Values) -> st.SearchStrategy[Any]:
    """Valid :class:`~oss_rules.Hazard` facts of ``workplace`` (an id, a Workplace or a
    strategy of ids); keywords fix or draw the other fields."""
    if attrs.has(type(workplace)):
        workplace = workplace.id
    return facts("Hazard", workplace=workplace, **overrides)


@st.composite
def fact_lists(
    draw: st.DrawFn,
    types: Iterable[FactType | type | str],
    *,
    as_of: dt.date,
    sizes: Mapping[str, tuple[int, int]] | None = None,
    registry: FactRegistry | None = None,
    boundaries: Sequence[int] = (),
    months: Sequence[int] = (),
) -> tuple[Any, ...]:
    """A consistent list of facts of ``types``, grouped by type: unique ids, every
    reference resolved.

    ``sizes`` maps a type name to (min, max) facts; a type that others reference gets
    (1, 3) by default, any other type (0, 6). Ids follow the type's initial (``w1``,
    ``h1``); a reference picks among the facts drawn for the referenced type, and a fact
    whose required reference has nothing to point to is left out. Dates cluster at
    ``boundaries`` days before ``as_of`` and ``months`` calendar months from it (see
    :func:`values`).
    """
    infos = [_fact_type(t, registry) for t in types]
    return draw_facts(draw, infos, sizes or {}, as_of, _edges(boundaries, months))


DEFAULT_BOUNDARIES = (30, 90, 365)
"""Day counts of the shipped ruleset (action due dates, reassessment) that dates cluster at."""


@st.composite
def inventories(
    draw: st.DrawFn,
    *,
    min_hazards: int = 0,
    max_hazards: int = 8,
    min_workplaces: int = 1,
    max_workplaces: int = 3,
    as_of: dt.date | st.SearchStrategy[dt.date] | None = None,
    boundaries: Sequence[int] = DEFAULT_BOUNDARIES,
    months: Sequence[int] = (),
) -> Inventory:
    """An :class:`~oss_rules.Inventory`: workplaces ``w1``.., hazards ``h1``.. of them, as_of.

    Every hazard belongs to one of the workplaces; dates fall near ``as_of`` (drawn from
    :func:`as_of_dates` unless given) and cluster at ``as_of - n`` days for each of
    ``boundaries`` and at ``add_months(as_of, m)`` for each of ``months``.
    Workplaces come first, then hazards.
    """
    if not 0 <= min_hazards <= max_hazards:
        raise ValueError(f"Expected 0 <= min_hazards <= max_hazards, got {min_hazards=}")
    if not 0 <= min_workplaces <= max_workplaces or (min_hazards and not max_workplaces):
        raise ValueError(f"Expected 0 <= min_workplaces <= max_workplaces, got {min_workplaces=}")
    day = draw(_strategy(as_of if as_of is not None else as_of_dates()))
    sizes = {
        "Workplace": (max(min_workplaces, 1 if min_hazards else 0), max_workplaces),
        "Hazard": (min_hazards, max_hazards),
    }
    types = ("Workplace", "Hazard")
    found = draw(fact_lists(types, as_of=day, sizes=sizes, boundaries=boundaries, months=months))
    return Inventory(day, found)


@attrs.frozen
class Raise:
    """One field of one fact raised: the inventory before, the facts after, what changed."""

    before: Inventory
    after: tuple[Any, ...]
    fact: Any
    field: str
    old: Any
    new: Any

    def __str__(self) -> str:
        fact_id = getattr(self.fact, "id", None)
        name = f"{type(self.fact).__name__} {fact_id}" if fact_id else type(self.fact).__name__
        return f"{name}: {self.field} {self.old!r} -> {self.new!r}"


def _higher(kind: Kind, value: Any) -> st.SearchStrategy[Any] | None:
    """Values of ``kind`` above ``value``, or None when there are none."""
    match kind:
        case Integer(maximum=high):
            top = high if high is not None else value + 10
            return st.integers(value + 1, top) if value < top else None
        case Number():
            return st.integers(1, 10_000).map(lambda n: value + Decimal(n).scaleb(-2))
        case Moment():
            return st.integers(1, 400 * 24).map(lambda n: value + dt.timedelta(hours=n))
        case Day():
            return st.integers(1, 400).map(lambda n: value + dt.timedelta(days=n))
    return None


@st.composite
def raised(
    draw: st.DrawFn,
    inventories: st.SearchStrategy[Inventory],
    fields: Sequence[str] = ("Hazard.likelihood", "Hazard.severity"),
    *,
    registry: FactRegistry | None = None,
) -> Raise:
    """An inventory and the same facts with one ``Type.field`` of one fact raised.

    The raised field is an int, number or date field of ``fields``; its new value stays
    valid (``severity`` 3 may become 4 or 5, never 6). Inventories with nothing to raise
    are rejected.
    """
    registry = registry if registry is not None else shipped_registry()
    inventory = draw(inventories)
    choices = []
    for i, fact in enumerate(inventory.facts):
        for path in fields:
            type_name, _, field_name = path.partition(".")
            if type(fact).__name__ != type_name:
                continue
            field = registry[type_name].field(field_name)
            if field is None:
                raise ValueError(f"{type_name} has no field {field_name!r} (in {fields=})")
            value = getattr(fact, field_name)
            higher = None if value is None else _higher(field.kind, value)
            if higher is not None:
                choices.append((i, field_name, value, higher))
    if not choices:
        reject()
    i, field_name, old, higher = draw(st.sampled_from(choices))
    new = draw(higher)
    fact = inventory.facts[i]
    after = (
        *inventory.facts[:i],
        attrs.evolve(fact, **{field_name: new}),
        *inventory.facts[i + 1 :],
    )
    return Raise(inventory, after, fact, field_name, old, new)


def invalid_inventories(
    valid: st.SearchStrategy[Inventory] | None = None, *, registry: FactRegistry | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Input documents (``{"as_of": ..., "facts": [...]}``, JSON form) with one mistake.

    Each is a ``valid`` inventory (default :func:`inventories`) with exactly one thing
    broken: a value of the wrong JSON type, an int out of range, an unknown choice, an
    impossible date, a missing or unknown field, a dangling reference, a duplicate id,
    an unknown fact type, a wrong computed field, or a broken document. Reading one with
    :func:`oss_rules.read_inventory` must raise :class:`~oss_rules.errors.FactsError`.
    """
    return corrupted(valid if valid is not None else inventories(), registry or shipped_registry())
