"""The K3 ruleset (``rulesets/id-k3``) and its fact types, beyond its YAML test cases.

The YAML cases pin each rule and table row; these tests check what cases cannot say: the
noise table is the regulation's 3 dB rule transcribed without a slip, the fact types
validate and round-trip, and the worked example gives the same bytes in any order.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path

import pytest

import oss_rules
from oss_rules.domains.k3.facts import K3Requirement, NoiseLimit, NoiseMeasurement
from oss_rules.domains.oss.facts import Incident
from oss_rules.errors import FactError
from oss_rules.language import shipped_rulesets
from oss_rules.model.convert import fact_from_json, fact_to_json
from oss_rules.model.domain import shipped_registry

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "k3" / "steelworks.json"


@pytest.fixture(scope="module")
def ruleset() -> oss_rules.Ruleset:
    return oss_rules.load(shipped_rulesets()["id-k3"])


@pytest.fixture(scope="module")
def engine(ruleset: oss_rules.Ruleset) -> oss_rules.Engine:
    return oss_rules.Engine(ruleset)


def _noise_rows(ruleset: oss_rules.Ruleset) -> list[tuple[int, Decimal, str]]:
    """(row level, permitted seconds, permitted as written) of each noise table row."""
    (table,) = [t for t in ruleset.tables if t.id == "noise-limit"]
    return [(row.values[0], Decimal(row.values[1]), row.values[2]) for row in table.rows]


UNIT_SECONDS = {"h": 3600, "min": 60, "s": 1}


def test_noise_table_follows_the_3_db_exchange_rate(ruleset: oss_rules.Ruleset) -> None:
    """Each row is 3 dBA above the last and permits half the time, from 85 dBA for 8 h,
    rounded as the regulation prints it (to 0.01 of its unit); the seconds the rules
    compare are the printed time exactly."""
    rows = _noise_rows(ruleset)
    assert [level for level, _, _ in rows] == list(range(85, 140, 3))
    for step, (_, seconds, written) in enumerate(rows):
        number, unit = written.split()
        assert seconds == Decimal(number) * UNIT_SECONDS[unit], written
        exact = Decimal(8 * 3600) / 2**step / UNIT_SECONDS[unit]
        assert abs(Decimal(number) - exact) <= Decimal("0.005"), (written, exact)


def test_exposure_seconds_are_exact() -> None:
    """A JSON number is a Decimal, so 0.0313 h is 112.68 s exactly, not a binary float."""
    registry = shipped_registry()
    measurement = fact_from_json(
        {
            "type": "NoiseMeasurement",
            "id": "n1",
            "workplace": "w1",
            "area": "press line",
            "level_dba": 109,
            "exposure_hours": 0.0313,
        },
        registry,
    )
    assert measurement.exposure_seconds == Decimal("112.68")
    assert fact_from_json(fact_to_json(measurement, registry), registry) == measurement


@pytest.mark.parametrize(
    ("cls", "fields", "bad"),
    [
        (K3Requirement, {"code": "p3k", "basis": "x"}, "code"),
        (K3Requirement, {"code": "first_aid_kit", "basis": "x", "kit": "D"}, "kit"),
        (K3Requirement, {"code": "first_aid_officers", "basis": "x", "quantity": 0}, "quantity"),
        (
            NoiseLimit,
            {
                "workplace": "w1",
                "measurement": "n1",
                "row_dba": 84,
                "permitted_seconds": 1,
                "permitted": "1 s",
            },
            "row_dba",
        ),
        (
            NoiseMeasurement,
            {"id": "n1", "workplace": "w1", "area": "x", "level_dba": "90", "exposure_hours": 1},
            "level_dba",
        ),
    ],
)
def test_k3_facts_reject_bad_values(cls: type, fields: dict[str, object], bad: str) -> None:
    """A value outside a field's kind names the type and the field."""
    with pytest.raises(FactError) as caught:
        cls(**fields)
    assert bad in str(caught.value)
    assert cls.__name__ in str(caught.value)


def test_k3_types_are_registered() -> None:
    """The ruleset can name the K3 types because the default registry holds them."""
    registry = shipped_registry()
    for name in ("NoiseMeasurement", "NoiseLimit", "K3Requirement"):
        assert name in registry


def test_worked_example(engine: oss_rules.Engine) -> None:
    """The steelworks example: what the law requires of the company and its workplaces."""
    site = oss_rules.read_inventory(EXAMPLE)
    result = engine.evaluate(site.facts, as_of=site.as_of)
    requirements = {
        (r.code, r.workplace, r.quantity, r.kit)
        for r in result.derived
        if isinstance(r, K3Requirement)
    }
    assert requirements == {
        ("smk3", None, None, None),
        ("p2k3", None, None, None),
        ("p2k3", "mill", None, None),
        ("first_aid_officers", "mill", 2, None),
        ("first_aid_officers", "depot", 1, None),
        ("first_aid_kit", "mill", None, "C"),
        ("first_aid_kit", "depot", None, "C"),
    }
    assert [(f.code, f.subject) for f in result.findings] == [
        ("k3_noise_over_nab", "n-yard"),
        ("k3_report_missing", "acc-3"),
        ("k3_noise_over_nab", "n-rolling"),
        ("k3_report_late", "acc-2"),
    ]


def test_same_facts_in_any_order_give_the_same_bytes(engine: oss_rules.Engine) -> None:
    """Determinism: the example, reversed and shuffled, gives byte-identical JSON."""
    site = oss_rules.read_inventory(EXAMPLE)
    expected = json.dumps(engine.evaluate(site.facts, as_of=site.as_of).to_json())
    facts = list(site.facts)
    for seed in range(3):
        random.Random(seed).shuffle(facts)
        again = engine.evaluate(facts, as_of=site.as_of).to_json()
        assert json.dumps(again) == expected


def test_missing_report_turns_late_at_the_start_of_the_day_after(
    engine: oss_rules.Engine,
) -> None:
    """An accident at 09:30 is due at 09:30 two days later; as_of is a whole day, so the
    missing report is a finding from the next day on, not on the day it falls due."""
    facts = [
        oss_rules.Workplace(id="w1", sector="x", setting="field", headcount=0),
        Incident(
            id="i1", workplace="w1", kind="injury", occurred_at=dt.datetime(2026, 6, 1, 9, 30)
        ),
    ]

    def missing(day: int) -> bool:
        result = engine.evaluate(facts, as_of=dt.date(2026, 6, day))
        return any(f.code == "k3_report_missing" for f in result.findings)

    assert [missing(day) for day in (2, 3, 4, 5)] == [False, False, True, True]
