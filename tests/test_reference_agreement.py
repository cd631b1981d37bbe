"""Differential tests: the durable-rules engine agrees with a plain-Python reference.

``bench/reference.py`` writes the default `oss` ruleset out by hand, reading every number
and catalogue from the engine's params. For random inventories both must derive exactly
the same set of facts (classifications, DeclaredModule facts, obligations, actions,
findings with their messages, deadlines with their status, and the intermediate Due,
ResponseDue, TopHazard, ModuleReason and Benefit facts).

The reference lives beside the benchmark, outside the package and outside ``tests``; it
is loaded here from its file under a private module name, so nothing is added to
``sys.path`` and no name can clash with another ``reference`` module.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import platform
import subprocess
import sys
import textwrap
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import oss_rules
from oss_rules import Engine, Hazard, Obligation, Workplace
from oss_rules.domains.oss._lifecycle import (
    DISABILITY_EXTENTS,
    INCIDENT_KINDS,
    REGISTRATION_STATUSES,
    SEPARATION_KINDS,
)
from oss_rules.domains.oss._vocabulary import CATEGORIES, MODULES, REPORTERS, SETTINGS
from oss_rules.domains.oss.facts import Incident, Registration, Separation

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load_reference() -> ModuleType:
    name = "oss_rules_bench_reference"
    spec = importlib.util.spec_from_file_location(name, BENCH / "reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


reference = _load_reference()

# Params that move every threshold, list and catalogue away from the defaults, so that
# agreement under them shows the reference reads params instead of repeating defaults.
OVERRIDES: dict[str, Any] = {
    "medium_from": 3,
    "high_from": 10,
    "physical": ["chemical", "thermal", "ergonomic"],
    "chemical_biological": ["noise", "psychosocial"],
    "benefit_settings": ["office"],
    "due_days": {"high": 7, "medium": 45},
    "reassess_every_months": 9,
    "audit_every_months": 4,
    "review_every_months": 1,
    "alert_days": 10,
    "care_within_hours": 12,
    "report_within_hours": 72,
    "incident_months": 6,
    "oss2_incident_kinds": ["illness", "death"],
    "registration_days": 45,
    "late_report_consequence": "the employer pays",
    "unneeded_because": {module: f"nothing needs {module}" for module in MODULES},
    "controls": {category: f"control for {category}" for category in CATEGORIES},
    "death_wage_multiple": 50,
    "total_disability_wage_multiple": 60,
    "jkm_lump_sum": 30_000_000,
    "funeral_benefit": 11_000_000,
    "periodic_benefit": 13_000_000,
    "scholarship_cap": 200_000_000,
    "scholarship_note": "a cap",
    "stmb_incident_kinds": ["injury"],
    "stmb_full_months": 6,
    "stmb_reduced_share": Decimal("0.75"),
    "partial_disability_formula": {extent: f"formula {extent}" for extent in DISABILITY_EXTENTS},
    "jkp_share": Decimal("0.45"),
    "jkp_wage_cap": 4_000_000,
    "jkp_months": 3,
    "jkp_basis": "the JKP basis",
    "jkp_note": "the JKP note",
}


@cache
def overridden_engine() -> Engine:
    """The default ruleset with ``OVERRIDES``, compiled once."""
    return Engine(oss_rules.load_default(), params=OVERRIDES)


# Offsets (in days from as_of) on either side of every date boundary of both param sets:
# due dates of 7/30/45/90 days and registration after 30/45 days.
BOUNDARIES = [d for n in (7, 30, 45, 90, 365) for d in (-n - 1, -n, -n + 1)]
OFFSETS = st.one_of(st.integers(-800, 120), st.sampled_from(BOUNDARIES))
# Calendar periods of both param sets, and days after as_of where a deadline turns from
# overdue to due soon (0) and from due soon to ok (10 or 30).
MONTHS = st.sampled_from([1, 3, 4, 6, 9, 12])
EDGES = st.sampled_from([-1, 0, 1, 9, 10, 11, 29, 30, 31])
# Time limits of both param sets, in hours, and offsets in seconds around an edge (the
# edge itself twice as often); the incident window of both param sets, in months.
HOURS = st.sampled_from([12, 24, 48, 72])
# Monthly wages: none, odd amounts (exact halves and tenths), and both sides of the JKP
# wage caps and of the JKK death minimum of both param sets.
WAGES = (
    st.none()
    | st.integers(1, 20_000_000)
    | st.sampled_from(
        [
            416_666,
            416_667,
            600_000,
            3_999_999,
            4_000_000,
            4_000_001,
            4_999_999,
            5_000_000,
            5_000_001,
        ]
    )
)
NEAR = st.sampled_from([0, 0, -1, 1, -60, 60])
WINDOW = st.sampled_from([6, 12])


def optional_date(as_of: dt.date) -> st.SearchStrategy[dt.date | None]:
    """None, or a date near ``as_of``, often right at a boundary."""
    return st.none() | OFFSETS.map(lambda days: as_of + dt.timedelta(days=days))


def last_done(as_of: dt.date) -> st.SearchStrategy[dt.date | None]:
    """None, or the date of a last audit (assessment, review): often a whole number of
    calendar months before a day where its deadline changes status."""
    edge = st.builds(
        lambda months, days: reference.add_months(as_of + dt.timedelta(days=days), -months),
        MONTHS,
        EDGES,
    )
    return optional_date(as_of) | edge


@st.composite
def inventories(draw: st.DrawFn) -> tuple[list[Any], dt.date]:
    """1-3 workplaces with 0-8 hazards each, in random order, and an as_of date.

    Ids overlap across types on purpose (a workplace may be called ``h1`` like a hazard).
    """
    as_of = draw(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)))
    ids = draw(
        st.lists(st.sampled_from(["w1", "w2", "site-A", "h1"]), min_size=1, max_size=3, unique=True)
    )
    facts: list[Any] = []
    count = 0
    for wid in ids:
        facts.append(
            Workplace(
                id=wid,
                sector=draw(st.sampled_from(["retail", "construction", "software"])),
                setting=draw(st.sampled_from(SETTINGS)),
                headcount=draw(st.integers(0, 500)),
                declared_modules=tuple(draw(st.lists(st.sampled_from(MODULES), unique=True))),
                last_assessment=draw(last_done(as_of)),
                last_audit=draw(last_done(as_of)),
                last_review=draw(last_done(as_of)),
            )
        )
        for module in draw(st.lists(st.sampled_from(MODULES), unique=True)):
            facts.append(
                Registration(
                    workplace=wid,
                    module=module,
                    submitted_on=as_of - dt.timedelta(days=draw(st.integers(0, 400))),
                    status=draw(st.sampled_from(REGISTRATION_STATUSES)),
                )
            )
        # Now and then an Obligation given as input: an app decided it elsewhere.
        for module in draw(st.lists(st.sampled_from(MODULES), unique=True, max_size=1)):
            facts.append(Obligation(workplace=wid, module=module))
        for _ in range(draw(st.integers(0, 3))):
            count += 1
            facts.append(incident(draw, f"i{count}", wid, as_of))
        for _ in range(draw(st.integers(0, 2))):
            count += 1
            facts.append(separation(draw, f"s{count}", wid, as_of))
        for _ in range(draw(st.integers(0, 8))):
            count += 1
            facts.append(
                Hazard(
                    id=f"h{count}",
                    workplace=wid,
                    category=draw(st.sampled_from(CATEGORIES)),
                    likelihood=draw(st.integers(1, 5)),
                    severity=draw(st.integers(1, 5)),
                    identified_on=draw(optional_date(as_of)),
                    reported_by=draw(st.none() | st.sampled_from(REPORTERS)),
                )
            )
    return draw(st.permutations(facts)), as_of


def incident(draw: st.DrawFn, id: str, workplace: str, as_of: dt.date) -> Incident:
    """An incident near ``as_of``: often right at the start of the incident window or where
    a time limit ends at the start of as_of, with care and report often right at a limit."""
    start = dt.datetime(as_of.year, as_of.month, as_of.day)
    near = dt.timedelta(seconds=draw(NEAR))
    where = draw(st.sampled_from(["window", "limit", "limit", "anywhere"]))
    if where == "window":
        first = reference.add_months(as_of, -draw(WINDOW))
        occurred = dt.datetime(first.year, first.month, first.day) + near
    elif where == "limit":
        occurred = start - dt.timedelta(hours=draw(HOURS)) + near
    else:
        occurred = start + dt.timedelta(seconds=draw(st.integers(-400 * 86400, 86400)))

    def response() -> dt.datetime | None:
        if draw(st.booleans()):
            return None
        moment = occurred + dt.timedelta(hours=draw(HOURS), seconds=draw(NEAR))
        return max(moment, occurred)

    return Incident(
        id=id,
        workplace=workplace,
        kind=draw(st.sampled_from(INCIDENT_KINDS)),
        occurred_at=occurred,
        medical_care_at=response(),
        reported_at=response(),
        diagnosed_at=response(),
        monthly_wage=draw(WAGES),
        disability_extent=draw(st.none() | st.sampled_from(DISABILITY_EXTENTS)),
    )


def separation(draw: st.DrawFn, id: str, workplace: str, as_of: dt.date) -> Separation:
    """A death not caused by work or a job loss, often on either side of the day PP 6/2025
    (JKP) or PP 82/2019 came into force."""
    edges = [dt.date(2025, 2, 6), dt.date(2025, 2, 7), dt.date(2018, 12, 31), dt.date(2019, 1, 1)]
    ended_on = draw(st.sampled_from(edges) | OFFSETS.map(lambda d: as_of + dt.timedelta(days=d)))
    return Separation(
        id=id,
        workplace=workplace,
        kind=draw(st.sampled_from(SEPARATION_KINDS)),
        ended_on=ended_on,
        monthly_wage=draw(WAGES),
    )


def assert_agree(engine: Engine, facts: list[Any], as_of: dt.date) -> None:
    """Engine and reference derive the same set; on failure, name what differs."""
    got = set(engine.evaluate(facts, as_of=as_of).conclusions)
    expected = reference.conclusions(facts, as_of, engine.params)
    assert got == expected, (
        f"only the engine derived: {sorted(map(repr, got - expected))}\n"
        f"only the reference derived: {sorted(map(repr, expected - got))}"
    )


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(inventories())
def test_engine_agrees_with_reference(engine: Engine, inventory: tuple[list[Any], dt.date]):
    """With the default params, the engine derives exactly the reference's facts.

    Covers every category, setting, module declaration, level and date boundary, so every
    rule of the default ruleset (including both negations) is checked fact for fact.
    """
    facts, as_of = inventory
    assert_agree(engine, facts, as_of)


@pytest.mark.slow
@settings(max_examples=75, deadline=None)
@given(inventories())
def test_engine_agrees_with_reference_under_param_overrides(inventory: tuple[list[Any], dt.date]):
    """With every param overridden, the engine still derives exactly the reference's facts.

    Proves that the engine applies param overrides to every rule, and that the reference
    takes its numbers, lists and control texts from params rather than the defaults.
    """
    facts, as_of = inventory
    assert_agree(overridden_engine(), facts, as_of)


# A fresh interpreter builds an Engine and evaluates, as its FIRST evaluation, a compliant
# office: the second stratum (missing/unneeded module) then fires no rule. glibc's
# MALLOC_PERTURB_ fills fresh heap memory with junk, so reading uninitialised memory
# crashes every time instead of now and then.
FRESH_ENGINE = textwrap.dedent(
    """
    import datetime as dt, importlib.util, sys
    import oss_rules
    spec = importlib.util.spec_from_file_location("reference", sys.argv[1])
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    engine = oss_rules.Engine(oss_rules.load_default())
    office = oss_rules.Workplace(id="w1", sector="retail", setting="office", headcount=10,
                                 declared_modules=("OSS-I",),
                                 last_assessment=dt.date(2026, 1, 1))
    registered = oss_rules.Registration("w1", "OSS-I", dt.date(2026, 1, 5), "accepted")
    as_of = dt.date(2026, 6, 30)
    got = set(engine.evaluate([office, registered], as_of=as_of).conclusions)
    assert got == reference.conclusions([office, registered], as_of, engine.params), got
    print("ok")
    """
)


@pytest.mark.slow
@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="MALLOC_PERTURB_ (which makes the crash deterministic) is glibc's",
)
def test_fresh_engine_agrees_with_reference_when_a_stratum_fires_nothing():
    """A fresh engine's first evaluation agrees with the reference, even if a stratum is quiet.

    Regression: durable-rules 2.0.28 frees a session's uninitialised action context on
    delete_state when no rule fired in it, which crashed the interpreter; the engine now
    fires a rule in every session. Runs in a subprocess with MALLOC_PERTURB_ so that
    the old bug would crash deterministically; the session-wide engine above cannot
    see it, as its first example fires every stratum.
    """
    proc = subprocess.run(
        [sys.executable, "-c", FRESH_ENGINE, str(BENCH / "reference.py")],
        env={**os.environ, "MALLOC_PERTURB_": "165"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", (
        f"exit status {proc.returncode}\n{proc.stderr[-2000:]}"
    )
