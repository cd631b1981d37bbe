"""Benchmark: both oss_rules backends against the plain-Python reference, in the same run.

    python bench/bench_engine.py            # full run (N = 10, 100, 1000 hazards)
    python bench/bench_engine.py --quick    # a few seconds, for a smoke test
    python bench/bench_engine.py --json     # machine-readable output on stdout

For each N one workplace holds N hazards drawn with a fixed seed (every category, every
level, due dates in the past and the future). Small workplaces with incidents, separations
and illnesses are added so that the rules one workplace cannot fire together
(unneeded-module, never-assessed, each row of the table expected-hazards, the disease
reports) fire too; the script checks that every rule and table row of the ruleset fired and
that the engine and the reference derive the same facts before it times anything.

One engine per backend (durable, compiled) is built once; each sample times a loop of
evaluations, the backends' and the reference's samples alternate, and the median sample
is reported. Read the ratios, not the absolute numbers: see bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import oss_rules
from oss_rules import Engine, Hazard, Obligation, Workplace
from oss_rules.domains.oss._vocabulary import CATEGORIES, LEVELS
from oss_rules.domains.oss.facts import Incident, Registration, Separation
from oss_rules.engine._engine import BACKENDS

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the reference sits beside us
import reference

SEED = 20260630
AS_OF = dt.date(2026, 6, 30)
SIZES = (10, 100, 1000)


def inventory(n: int, params: Mapping[str, Any], seed: int = SEED) -> list[Any]:
    """One workplace with ``n`` hazards (pseudo-random, fixed seed) and incidents, a
    hazard-free one, a small shop and three more for the rows of a decision table.

    The main workplace is a field site assessed over a year ago that declares only OSS-I,
    so OSS-II/III are missing and the assessment is overdue; its audit is due soon and
    its review is not. Its four incidents get medical care late or never, are reported
    late or never, and one is a death, one a disability; four more, with wages, and four
    separations (a death not caused by work, job losses) give every benefit. Categories
    cycle through all ten and levels through low/medium/high (coprime cycles, so 30
    hazards cover every pair); likelihood and severity are drawn at random within the
    level's band of ``params``. About a third of hazards have no identification date, the rest were
    identified 0-200 days before as_of (some actions overdue, some not). The second
    workplace is an office never assessed that declares OSS-II, which nothing requires;
    the shop declares OSS-III, which its one low hazard does not require, and is given an
    OSS-II obligation that no rule explains. ``_table_rows_and_illnesses`` adds the
    workplaces and occupational illnesses the rest of the rules need.
    """
    rng = random.Random(seed)
    pairs = [(lik, sev) for lik in range(1, 6) for sev in range(1, 6)]
    bands = {
        level: [p for p in pairs if reference.level_of(p[0] * p[1], params) == level]
        for level in LEVELS
    }
    facts: list[Any] = [
        Workplace(
            id="site",
            sector="construction",
            setting="field",
            headcount=250,
            declared_modules=("OSS-I",),
            last_assessment=AS_OF - dt.timedelta(days=400),
            last_audit=AS_OF - dt.timedelta(days=160),
            last_review=AS_OF - dt.timedelta(days=10),
        ),
        Workplace(
            id="office",
            sector="retail",
            setting="office",
            headcount=12,
            declared_modules=("OSS-I", "OSS-II"),
        ),
        Workplace(
            id="shop",
            sector="retail",
            setting="office",
            headcount=4,
            declared_modules=("OSS-I", "OSS-III"),
            last_assessment=AS_OF - dt.timedelta(days=20),
        ),
        Hazard(id="shop-lift", workplace="shop", category="ergonomic", likelihood=1, severity=2),
        Registration("shop", "OSS-I", AS_OF - dt.timedelta(days=15), "accepted"),
        # An obligation an app decided elsewhere: missing, with no rule's reason.
        Obligation(workplace="shop", module="OSS-II"),
    ]
    day = dt.datetime(AS_OF.year, AS_OF.month, AS_OF.day)
    for id, kind, days_ago, care, report in (
        ("inc-late", "injury", 10, 30, 50),
        ("inc-none", "injury", 5, None, None),
        ("inc-death", "death", 20, None, 8),
        ("inc-disability", "disability", 30, 1, 8),
    ):
        occurred = day - dt.timedelta(days=days_ago) + dt.timedelta(hours=8)
        facts.append(
            Incident(
                id=id,
                workplace="site",
                kind=kind,
                occurred_at=occurred,
                medical_care_at=None if care is None else occurred + dt.timedelta(hours=care),
                reported_at=None if report is None else occurred + dt.timedelta(hours=report),
            )
        )
    facts += _benefit_cases(day)
    facts += _table_rows_and_illnesses(day)
    for i in range(n):
        identified = None
        if rng.random() < 2 / 3:
            identified = AS_OF - dt.timedelta(days=rng.randint(0, 200))
        likelihood, severity = rng.choice(bands[LEVELS[i % len(LEVELS)]])
        facts.append(
            Hazard(
                id=f"h{i}",
                workplace="site",
                category=CATEGORIES[i % len(CATEGORIES)],
                likelihood=likelihood,
                severity=severity,
                identified_on=identified,
            )
        )
    return facts


def _benefit_cases(day: dt.datetime) -> list[Any]:
    """Incidents with a wage or the extent of a disability, and separations, so that every
    rule of benefits.yaml fires."""
    facts: list[Any] = []
    occurred = day - dt.timedelta(days=40, hours=-8)
    for id, kind, extent, wage in (
        ("inc-death-paid", "death", None, 6_000_000),
        ("inc-total", "disability", "total_permanent", 5_000_000),
        ("inc-total-unpaid", "disability", "total_permanent", None),
        ("inc-partial", "disability", "partial_anatomical", 4_500_001),
    ):
        reported = occurred + dt.timedelta(hours=4)
        facts.append(
            Incident(
                id,
                "site",
                kind,
                occurred,
                medical_care_at=reported,
                reported_at=reported,
                monthly_wage=wage,
                disability_extent=extent,
            )
        )
    for id, kind, ended_on, wage in (
        ("sep-death", "death", AS_OF - dt.timedelta(days=30), None),
        ("sep-job", "job_loss", AS_OF - dt.timedelta(days=30), 7_000_000),
        ("sep-job-unpaid", "job_loss", AS_OF - dt.timedelta(days=30), None),
        ("sep-job-2024", "job_loss", dt.date(2024, 12, 31), 4_000_000),
    ):
        facts.append(Separation(id, "site", kind, ended_on, monthly_wage=wage))
    return facts


def _table_rows_and_illnesses(day: dt.datetime) -> list[Any]:
    """Hazard-free workplaces for the rows of table expected-hazards that the others miss,
    and occupational illnesses at the plant, so that every row and every report rule of
    incidents.yaml fires.

    The plant matches row ``plant``; a field depot outside construction falls to
    ``other.1`` and a construction firm's digital office to ``other.2``. Of the illnesses
    one has no diagnosis time (its report is due from when it occurred), one was
    reported late after its diagnosis and one diagnosed illness was never reported.
    """
    facts: list[Any] = [
        Workplace(id="plant", sector="manufacturing", setting="plant", headcount=80),
        Workplace(id="depot", sector="logistics", setting="field", headcount=30),
        Workplace(id="studio", sector="construction", setting="digital", headcount=6),
    ]
    occurred = day - dt.timedelta(days=60, hours=-8)

    def after(hours: int | None) -> dt.datetime | None:
        return None if hours is None else occurred + dt.timedelta(hours=hours)

    for id, diagnosed, reported in (
        ("ill-undiagnosed", None, 20),
        ("ill-late", 24 * 20, 24 * 20 + 72),
        ("ill-none", 24 * 30, None),
    ):
        facts.append(
            Incident(
                id,
                "plant",
                "illness",
                occurred,
                medical_care_at=after(2),
                reported_at=after(reported),
                diagnosed_at=after(diagnosed),
            )
        )
    return facts


def check(engine: Engine, facts: list[Any]) -> int:
    """Fail unless every rule fired and engine and reference agree; return #conclusions."""
    result = engine.evaluate(facts, as_of=AS_OF)
    fired = {inference.rule for inference in result.trace}
    silent = [rule.id for rule in engine.ruleset.rules if rule.id not in fired]
    if silent:
        raise SystemExit(f"inventory of {len(facts)} facts does not fire rules {silent}")
    expected = reference.conclusions(facts, AS_OF, engine.params)
    if set(result.conclusions) != expected:
        raise SystemExit("engine and reference disagree on the benchmark inventory")
    return len(expected)


def calibrate(run: Callable[[], object], target: float) -> int:
    """Loops per sample so that one sample takes at least ``target`` seconds."""
    loops = 1
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            run()
        if time.perf_counter() - start >= target:
            return loops
        loops *= 2


def sample(run: Callable[[], object], loops: int) -> float:
    """Seconds per call, averaged over ``loops`` calls."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(loops):
        run()
    return (time.perf_counter() - start) / loops


def measure(engines: Mapping[str, Engine], n: int, samples: int, target: float) -> dict[str, Any]:
    """Median seconds per evaluation of each backend's engine and of the reference on the
    inventory of size n."""
    params = engines["durable"].params
    facts = inventory(n, params)
    conclusions = check(engines["durable"], facts)
    if check(engines["compiled"], facts) != conclusions:
        raise SystemExit("the backends disagree on the benchmark inventory")
    bytes_ = {engine.evaluate(facts, as_of=AS_OF).to_json() for engine in engines.values()}
    if len(bytes_) != 1:
        raise SystemExit("the backends' to_json() differ on the benchmark inventory")

    def runner(engine: Engine) -> Callable[[], object]:
        return lambda: engine.evaluate(facts, as_of=AS_OF)

    def run_reference() -> object:
        return reference.conclusions(facts, AS_OF, params)

    runs = {name: runner(engine) for name, engine in engines.items()}
    runs["reference"] = run_reference
    loops = {name: calibrate(run, target) for name, run in runs.items()}
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(samples):  # alternate, so drift hits both alike
        for name, run in runs.items():
            times[name].append(sample(run, loops[name]))
    row: dict[str, Any] = {"hazards": n, "facts": len(facts), "conclusions": conclusions}
    for name in runs:
        seconds = statistics.median(times[name])
        row[name] = {
            "seconds_per_evaluation": seconds,
            "evaluations_per_s": 1 / seconds,
            "hazards_per_s": n / seconds,
            "loops_per_sample": loops[name],
            "samples": samples,
        }
    for name in engines:
        row[f"ratio_{name}"] = (
            row[name]["seconds_per_evaluation"] / row["reference"]["seconds_per_evaluation"]
        )
    return row


def _rss_kib() -> int | None:
    """Resident set size of this process in KiB (Linux), or None elsewhere."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * (os.sysconf("SC_PAGE_SIZE") // 1024)


def memory(engine: Engine, n: int, evaluations: int) -> dict[str, Any]:
    """RSS after a warm-up tenth of the evaluations and after all of them.

    Flat memory means durable's sessions are deleted and nothing accumulates per call.
    """
    facts = inventory(n, engine.params)
    warm = max(1, evaluations // 10)
    for _ in range(warm):
        engine.evaluate(facts, as_of=AS_OF)
    gc.collect()
    before = _rss_kib()
    for _ in range(evaluations - warm):
        engine.evaluate(facts, as_of=AS_OF)
    gc.collect()
    after = _rss_kib()
    growth = None if before is None or after is None else after - before
    return {
        "backend": engine.backend,
        "hazards": n,
        "evaluations": evaluations,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "growth_kib": growth,
    }


def table(report: dict[str, Any]) -> str:
    """The report as a fixed-width text table."""
    build = report["build"]
    builds = ", ".join(f"{b} {build[f'compile_ms_{b}']:.1f} ms" for b in BACKENDS)
    lines = [
        f"oss_rules {report['oss_rules']} on Python {report['python']} ({report['machine']})",
        f"ruleset {report['ruleset']}: load {build['load_ms']:.1f} ms, engine build {builds}",
        f"samples per cell: {report['samples']} (median), mode: {report['mode']}",
        "",
        f"{'N':>5}  {'concl.':>6}  {'ref eval/s':>11}  "
        + "  ".join(f"{b + ' eval/s':>16}  {'ratio':>7}" for b in BACKENDS),
    ]
    for row in report["rows"]:
        cells = "  ".join(
            f"{row[b]['evaluations_per_s']:>16,.1f}  {row[f'ratio_{b}']:>6.1f}x" for b in BACKENDS
        )
        lines.append(
            f"{row['hazards']:>5}  {row['conclusions']:>6}  "
            f"{row['reference']['evaluations_per_s']:>11,.1f}  {cells}"
        )
    lines.append("")
    lines.append("ratio = reference speed / backend speed (how many times faster plain Python is)")
    for mem in report["memory"]:
        lines.append(
            f"memory ({mem['backend']}): RSS {mem['rss_before_kib']} KiB after "
            f"{mem['evaluations'] // 10} evaluations of N={mem['hazards']}, "
            f"{mem['rss_after_kib']} KiB after {mem['evaluations']} "
            f"(growth {mem['growth_kib']} KiB)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="few, short samples (seconds)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    samples, target = (3, 0.02) if args.quick else (7, 0.25)

    start = time.perf_counter()
    ruleset = oss_rules.load_default()
    loaded = time.perf_counter()
    engines: dict[str, Engine] = {}
    compile_ms: dict[str, float] = {}
    for backend in BACKENDS:
        begin = time.perf_counter()
        engines[backend] = Engine(ruleset, backend=backend)
        compile_ms[f"compile_ms_{backend}"] = (time.perf_counter() - begin) * 1000

    report: dict[str, Any] = {
        "oss_rules": getattr(oss_rules, "__version__", "dev"),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
        "ruleset": f"{ruleset.id} {ruleset.version} ({ruleset.digest.split(':')[-1][:12]})",
        "mode": "quick" if args.quick else "full",
        "samples": samples,
        "seed": SEED,
        "as_of": AS_OF.isoformat(),
        "build": {"load_ms": (loaded - start) * 1000, **compile_ms},
        "rows": [measure(engines, n, samples, target) for n in SIZES],
        "memory": [memory(e, 100, 300 if args.quick else 3000) for e in engines.values()],
    }
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
