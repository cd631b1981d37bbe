"""JKK, JKM and JKP benefit amounts of the default ruleset: exact rupiah as Decimal (never a
float), on both backends, from a wage on the incident or separation; no amount and a note
when the wage or the law's table is missing; the wage validated on input."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from conftest import AS_OF
from hypothesis import given, settings
from hypothesis import strategies as st

import oss_rules
from oss_rules import Engine, FactError, Workplace
from oss_rules.domains.oss.facts import Benefit, Incident, Separation

SITE = Workplace(id="w1", sector="metal", setting="plant", headcount=30)
OCCURRED = dt.datetime(2026, 6, 1, 10, 0)
CARED = dt.datetime(2026, 6, 1, 10, 30)


@cache
def compiled() -> Engine:
    """The default ruleset on the compiled backend, built once."""
    return Engine(oss_rules.load_default(), backend="compiled")


def incident(kind: str, **fields: Any) -> Incident:
    """An incident at SITE, cared for and reported in time."""
    return Incident(
        id="i1",
        workplace="w1",
        kind=kind,
        occurred_at=OCCURRED,
        medical_care_at=CARED,
        reported_at=CARED,
        **fields,
    )


def benefits(engine: Engine, *facts: Any) -> dict[tuple[str, str], Benefit]:
    """The benefits derived from ``facts`` at SITE, by (programme, kind)."""
    result = engine.evaluate([SITE, *facts], as_of=AS_OF)
    found = [b for b in result.derived if isinstance(b, Benefit)]
    by_kind = {(b.programme, b.kind): b for b in found}
    assert len(by_kind) == len(found), found
    return by_kind


def test_death_at_work_amounts_are_exact(engine: Engine):
    """A death at work gives 48 x the wage, funeral Rp10 M, periodic Rp12 M, scholarship cap."""
    got = benefits(engine, incident("death", monthly_wage=6_123_457))
    assert got["JKK", "death_lump_sum"].amount == Decimal("293925936")
    assert got["JKK", "funeral"].amount == Decimal(10_000_000)
    assert got["JKK", "periodic"].amount == Decimal(12_000_000)
    scholarship = got["JKK", "scholarship"]
    assert (scholarship.amount, scholarship.up_to) == (None, Decimal(174_000_000))


@pytest.mark.parametrize(
    ("wage", "amount"),
    [(1, 20_000_000), (416_666, 20_000_000), (416_667, 20_000_016), (10_000_000, 480_000_000)],
)
def test_death_lump_sum_is_at_least_the_jkm_lump_sum(engine: Engine, wage: int, amount: int):
    """48 x the wage, never below the JKM death lump sum of Rp20,000,000."""
    got = benefits(engine, incident("death", monthly_wage=wage))
    assert got["JKK", "death_lump_sum"].amount == Decimal(amount)


def test_stmb_halves_the_wage_exactly(engine: Engine):
    """The reduced STMB of an odd wage keeps its half rupiah: a Decimal, not a float."""
    got = benefits(engine, incident("injury", monthly_wage=4_500_001))
    full, reduced = got["JKK", "stmb"], got["JKK", "stmb_reduced"]
    assert (full.amount, full.payment, full.months) == (4_500_001, "monthly", 12)
    assert reduced.amount == Decimal("2250000.5")
    assert isinstance(reduced.amount, Decimal)
    assert (reduced.payment, reduced.months) == ("monthly", None)


def test_total_permanent_disability_is_56_times_the_wage(engine: Engine):
    """A total permanent disability gives 56 x the wage and the scholarship."""
    fact = incident("disability", disability_extent="total_permanent", monthly_wage=5_123_457)
    got = benefits(engine, fact)
    assert got["JKK", "disability"].amount == Decimal(286_913_592)
    assert got["JKK", "scholarship"].up_to == Decimal(174_000_000)


@pytest.mark.parametrize("extent", ["partial_anatomical", "partial_functional", None])
def test_partial_or_unknown_disability_has_no_amount_and_says_why(engine: Engine, extent: Any):
    """The percentage table is not encoded: no amount is guessed, and the note says so."""
    got = benefits(engine, incident("disability", disability_extent=extent, monthly_wage=5_000_000))
    disability = got["JKK", "disability"]
    assert disability.amount is None
    assert "not computed" in disability.note
    assert ("JKK", "scholarship") in got if extent is None else ("JKK", "scholarship") not in got


def test_a_death_not_caused_by_work_gives_the_jkm_benefits(engine: Engine):
    """JKM: Rp20 M lump sum, Rp10 M funeral and Rp12 M periodic, Rp42 M in all."""
    death = Separation(id="s1", workplace="w1", kind="death", ended_on=dt.date(2026, 5, 4))
    got = benefits(engine, death)
    amounts = [b.amount for (programme, _), b in got.items() if programme == "JKM"]
    assert sum(a for a in amounts if a is not None) == Decimal(42_000_000)
    assert got["JKM", "scholarship"].amount is None


@pytest.mark.parametrize(
    ("wage", "amount"),
    [(7_000_000, "3000000"), (5_000_000, "3000000"), (3_333_333, "1999999.8"), (1, "0.6")],
)
def test_jkp_is_60_percent_of_the_capped_wage(engine: Engine, wage: int, amount: str):
    """JKP: 60 % of the wage capped at Rp5,000,000, monthly for up to 6 months."""
    job_loss = Separation(
        id="s1", workplace="w1", kind="job_loss", ended_on=dt.date(2026, 5, 31), monthly_wage=wage
    )
    jkp = benefits(engine, job_loss)["JKP", "jkp"]
    assert (jkp.amount, jkp.payment, jkp.months) == (Decimal(amount), "monthly", 6)


def test_without_a_wage_no_amount_is_computed(engine: Engine):
    """An incident as old inputs give it, with no wage: the benefits that need it have a
    null amount and a note naming the missing field; the fixed sums keep theirs."""
    got = benefits(engine, incident("death"))
    assert got["JKK", "death_lump_sum"].amount is None
    assert got["JKK", "death_lump_sum"].note.startswith("no monthly_wage on the incident")
    assert got["JKK", "funeral"].amount == 10_000_000


def test_amounts_are_exact_decimal_text_in_json(engine: Engine):
    """The JSON result writes a fractional amount as exact decimal text, a whole one as an
    int, and a missing one as null."""
    result = engine.evaluate([SITE, incident("injury", monthly_wage=4_500_001)], as_of=AS_OF)
    shown = {
        fact["kind"]: fact["amount"]
        for fact in json.loads(result.to_json())["derived"]
        if fact["type"] == "Benefit"
    }
    assert shown == {"stmb": 4500001, "stmb_reduced": "2250000.5"}


@pytest.mark.parametrize("wage", [0, -5])
def test_a_wage_below_one_rupiah_is_an_input_error(wage: int):
    """A zero or negative wage is refused, naming the fact, the field and the value."""
    facts = [
        {"type": "Workplace", "id": "w1", "sector": "metal", "setting": "plant", "headcount": 3},
        {"type": "Incident", "id": "i1", "workplace": "w1", "kind": "death",
         "occurred_at": "2026-06-01T10:00", "monthly_wage": wage},
    ]  # fmt: skip
    with pytest.raises(oss_rules.FactsError) as raised:
        oss_rules.facts_from_json(facts)
    (problem,) = raised.value.errors
    assert isinstance(problem, FactError)
    assert (problem.field, problem.value) == ("monthly_wage", wage)


@settings(max_examples=40, deadline=None)
@given(wage=st.integers(1, 10**12))
def test_both_backends_compute_the_same_exact_amounts(engine: Engine, wage: int):
    """For any wage, both backends give exactly the amounts of the law's formulas."""
    facts = [
        incident("death", monthly_wage=wage),
        Separation(id="s1", workplace="w1", kind="job_loss", ended_on=dt.date(2026, 5, 31),
                   monthly_wage=wage),
    ]  # fmt: skip
    durable = benefits(engine, *facts)
    assert benefits(compiled(), *facts) == durable
    assert durable["JKK", "death_lump_sum"].amount == max(48 * wage, 20_000_000)
    assert durable["JKP", "jkp"].amount == Decimal(min(wage, 5_000_000)) * Decimal("0.6")
