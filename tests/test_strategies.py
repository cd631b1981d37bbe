"""oss_rules.verify.strategies: valid facts from the field kinds, consistent inventories, readable
minimal examples, and invalid documents that are always rejected."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest
from hypothesis import find, given
from hypothesis import strategies as st
from profiles import profile

import oss_rules
from oss_rules import Hazard, Workplace
from oss_rules.model._fields import Boolean, Choice, Day, Integer, Many, Number, Optional, Text
from oss_rules.model.convert import fact_to_json
from oss_rules.model.domain import shipped_registry
from oss_rules.verify import _invalid, properties, strategies

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def document(inventory: oss_rules.Inventory) -> dict[str, Any]:
    """The inventory as an input document."""
    registry = shipped_registry()
    return {
        "as_of": inventory.as_of.isoformat(),
        "facts": [fact_to_json(f, registry) for f in inventory.facts],
    }


@pytest.mark.slow
@profile(200)
@given(strategies.inventories())
def test_inventories_are_valid_input(inventory: oss_rules.Inventory) -> None:
    """Every generated inventory reads back unchanged from its JSON form: valid values,
    unique ids, every hazard's workplace given."""
    read = oss_rules.read_inventory(document(inventory))
    assert read == inventory


@pytest.mark.slow
@profile(100)
@given(strategies.inventories(min_hazards=2, max_hazards=4, min_workplaces=2, max_workplaces=2))
def test_inventories_respect_their_sizes(inventory: oss_rules.Inventory) -> None:
    """The size arguments bound the number of hazards and workplaces."""
    kinds = [type(f).__name__ for f in inventory.facts]
    assert kinds.count("Workplace") == 2
    assert 2 <= kinds.count("Hazard") <= 4


@pytest.mark.parametrize(
    ("kind", "check"),
    [
        (Text(), lambda v: isinstance(v, str) and v.strip()),
        (Text(ident=True), lambda v: Text(ident=True).check(v)),
        (Text(empty=True), lambda v: isinstance(v, str)),
        (Integer(1, 5), lambda v: 1 <= v <= 5),
        (Integer(0), lambda v: v >= 0),
        (Integer(), lambda v: isinstance(v, int)),
        (Number(), lambda v: Number().check(v)),
        (Boolean(), lambda v: isinstance(v, bool)),
        (Day(), lambda v: isinstance(v, dt.date)),
        (Choice(("a", "b")), lambda v: v in ("a", "b")),
        (Optional(Integer(1, 5)), lambda v: v is None or 1 <= v <= 5),
        (Many(Choice(("a", "b"))), lambda v: len(set(v)) == len(v)),
    ],
    ids=lambda x: type(x).__name__ if not callable(x) else "",
)
def test_values_are_valid_for_every_kind(kind: Any, check: Any) -> None:
    """values(kind) only gives values the kind accepts."""

    @profile(50)
    @given(strategies.values(kind))
    def run(value: Any) -> None:
        assert kind.check(value) and check(value)

    run()


@pytest.mark.slow
def test_minimal_examples_are_small_and_readable() -> None:
    """Asked for a hazard scoring 15, hypothesis shrinks to one workplace w1 and one hazard
    h1, L3 x S5, with the first value of every choice and as_of 2026-06-30."""
    inventory = find(
        strategies.inventories(),
        lambda inv: any(isinstance(f, Hazard) and f.score == 15 for f in inv.facts),
        settings=profile(1000),
    )
    assert inventory.as_of == strategies.BASE_DATE
    assert inventory.facts == (
        Workplace(id="w1", sector="retail", setting="field", headcount=0),
        Hazard(id="h1", workplace="w1", category="machinery", likelihood=3, severity=5),
    )


def test_dates_cluster_at_the_boundaries() -> None:
    """Dates fall on as_of - n and its neighbours for each boundary n, so off-by-one
    mistakes in day counts show up."""
    as_of = dt.date(2026, 6, 30)
    edge = as_of - dt.timedelta(days=365)
    found = find(
        strategies.values(Day(), as_of=as_of, boundaries=(365,)),
        lambda d: d == edge - dt.timedelta(days=1),
        settings=profile(500),
    )
    assert found == edge - dt.timedelta(days=1)


@pytest.mark.slow
def test_as_of_dates_shrink_to_the_base_date() -> None:
    """The simplest evaluation date is 2026-06-30, and dates stay within their bounds."""
    assert find(strategies.as_of_dates(), lambda d: True) == dt.date(2026, 6, 30)
    low, high = dt.date(2030, 1, 1), dt.date(2030, 12, 31)
    assert find(strategies.as_of_dates(low, high), lambda d: True) == low
    with pytest.raises(ValueError, match="min_value <= max_value"):
        strategies.as_of_dates(high, low)


@profile(50)
@given(strategies.hazards(workplace="site-a", severity=st.integers(4, 5), category="fall"))
def test_facts_take_overrides(hazard: Hazard) -> None:
    """Keywords fix a field or draw it from a strategy; the rest stays generated."""
    assert hazard.workplace == "site-a" and hazard.category == "fall"
    assert hazard.severity >= 4


def test_hazards_accept_a_workplace_fact() -> None:
    """hazards(workplace=...) takes a Workplace and uses its id."""
    site = Workplace(id="site-b", sector="retail", setting="office", headcount=1)
    assert find(strategies.hazards(workplace=site), lambda h: True).workplace == "site-b"


def test_facts_reject_unknown_fields() -> None:
    """A keyword that is no settable field of the type is an error that names the fields."""
    with pytest.raises(TypeError, match="no settable field 'score'"):
        strategies.facts("Hazard", score=3)


@profile(100)
@given(strategies.workplaces())
def test_workplaces_have_readable_ids(site: Workplace) -> None:
    """A standalone workplace's id is w1..w9."""
    assert site.id in {f"w{n}" for n in range(1, 10)}


@attrs.frozen
class Permit:
    """An app's own fact type, with a reference to a Workplace."""

    id: str
    workplace: str = attrs.field(metadata={"oss_rules.references": "Workplace"})
    level: Literal["basic", "hot-work"]
    expires: dt.date | None
    holders: tuple[str, ...] = ()


@pytest.mark.slow
@profile(100)
@given(st.data())
def test_fact_lists_work_for_an_apps_own_types(data: st.DataObject) -> None:
    """fact_lists follows references of an app's types: permits point at drawn workplaces."""
    registry = shipped_registry()
    registry.register(Permit)
    facts = data.draw(
        strategies.fact_lists([Permit, "Workplace"], as_of=strategies.BASE_DATE, registry=registry)
    )
    sites = {f.id for f in facts if isinstance(f, Workplace)}
    permits = [f for f in facts if isinstance(f, Permit)]
    assert sites and all(p.workplace in sites for p in permits)
    assert len({p.id for p in permits}) == len(permits)
    assert all(p.level in ("basic", "hot-work") for p in permits)


@pytest.mark.slow
@profile(100)
@given(strategies.raised(strategies.inventories(min_hazards=1)))
def test_raised_raises_one_field_within_its_range(change: strategies.Raise) -> None:
    """raised() changes one likelihood or severity of one hazard to a higher valid value."""
    before, after = change.before.facts, change.after
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert len(changed) == 1
    old, new = changed[0]
    assert getattr(new, change.field) == change.new > change.old == getattr(old, change.field)
    assert new.score == new.likelihood * new.severity <= 25
    assert str(change).startswith(f"Hazard {old.id}: {change.field} ")


@pytest.mark.slow
def test_raised_rejects_unknown_fields() -> None:
    """A field path that the type does not have is an error, not a silent no-op."""
    with pytest.raises(ValueError, match="no field 'severty'"):
        find(
            strategies.raised(strategies.inventories(min_hazards=1), ["Hazard.severty"]),
            lambda c: True,
        )


@pytest.mark.slow
@profile(300)
@given(strategies.invalid_inventories())
def test_invalid_inventories_are_always_rejected_with_a_typed_error(
    bad: dict[str, Any],
) -> None:
    """Every document with one mistake raises FactsError naming a path, never anything else."""
    error = properties.assert_rejected(bad)
    assert isinstance(error, oss_rules.FactsError)
    assert all(problem.path and problem.path.startswith("$") for problem in error.errors)


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_every_mistake_is_rejected(example: Path) -> None:
    """Each of the one-mistake variants of an example input is rejected, and together they
    cover wrong types, ranges, choices, dates, missing and unknown fields, references,
    duplicate ids, computed fields and broken documents."""
    registry = shipped_registry()
    inventory = oss_rules.read_inventory(example)
    valid = document(inventory)
    mistakes = _invalid._mistakes(valid, inventory.facts, registry)
    for label, mistake in mistakes:
        broken = copy.deepcopy(valid)
        mistake(broken)
        error = properties.assert_rejected(broken)
        assert isinstance(error, oss_rules.FactsError), label
    labels = " | ".join(label for label, _ in mistakes)
    for kind in (
        "wrong type",
        "out of range",
        "unknown value",
        "impossible date",
        "missing",
        "an unknown field",
        "refers to nothing",
        "a duplicate id",
        "an unknown fact type",
        "not as computed",
        "as_of is not a date",
        "facts is not a list",
    ):
        assert kind in labels, kind
