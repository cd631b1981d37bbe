"""Benchmark: batch evaluation of a JSONL corpus, as an operator runs it.

    python bench/bench_batch.py                      # 200,000 workplaces x 10 hazards
    python bench/bench_batch.py --records 20000      # a smaller corpus, same table
    python bench/bench_batch.py --records 2000 --no-write   # a smoke test

It generates a corpus (fixed seed; every 500th record invalid, every 1000th not even
JSON), then runs, each in a fresh child process:

- ``oss-rules evaluate corpus.jsonl --jsonl -o out.jsonl --reject rejects.jsonl`` with
  one process and with ``--workers 2``: records/s, and a check that every record is in
  the output or the reject file and the rejects are exactly the invalid records;
- the same command on the first 2,000 records: peak RSS (of the largest process, from
  ``getrusage(RUSAGE_CHILDREN)`` in a wrapper), whose ratio to the full run's must stay
  near 1 (memory does not grow with the number of records);

and, in this process, ``evaluate_many`` against a loop of ``evaluate`` over the same
inventories, and one ``evaluate`` of all of them together (what splitting avoids). The
table goes to stdout and to bench/RESULTS.md with the machine and versions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import oss_rules
from oss_rules.model.convert import Inventory, read_inventory

SEED = 20260630
CATEGORIES = ("machinery", "chemical", "ergonomic", "fall", "electrical", "noise", "biological")
SETTINGS = ("office", "plant", "field", "digital")
INVALID_EVERY = 500
NOT_JSON_EVERY = 1000
SMALL = 2_000
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

# Runs the command given as arguments and prints the peak RSS (KiB) of its largest
# process and the CPU seconds of all its processes: a fresh wrapper per run, so that
# RUSAGE_CHILDREN covers that run only. CPU time says what a run costs even when the
# machine is shared and wall-clock time says little.
WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(use.ru_maxrss, use.ru_utime + use.ru_stime, code)\n"
)


def document(i: int, hazards: int, rng: random.Random) -> str:
    """Record ``i`` of the corpus as one JSON line (invalid or not JSON at fixed steps)."""
    if i % NOT_JSON_EVERY == NOT_JSON_EVERY - 1:
        return '{"as_of": "2026-06-30", "facts": [oops'
    facts: list[dict[str, Any]] = [
        {
            "type": "Workplace",
            "id": f"w{i}",
            "sector": "construction",
            "setting": rng.choice(SETTINGS),
            "headcount": rng.randint(1, 500),
            "declared_modules": ["OSS-I"],
            "last_assessment": "2026-01-15",
        }
    ]
    for j in range(hazards):
        facts.append(
            {
                "type": "Hazard",
                "id": f"h{i}-{j}",
                "workplace": f"w{i}",
                "category": rng.choice(CATEGORIES),
                "likelihood": rng.randint(1, 5),
                "severity": rng.randint(1, 5),
            }
        )
    if i % INVALID_EVERY == INVALID_EVERY - 1:
        facts[1]["severity"] = 9
    return json.dumps({"as_of": "2026-06-30", "facts": facts})


def write_corpus(path: Path, records: int, hazards: int) -> tuple[int, int]:
    """Write the corpus; return how many records are valid and invalid."""
    rng = random.Random(SEED)
    invalid = 0
    with path.open("w", encoding="utf-8") as file:
        for i in range(records):
            invalid += i % INVALID_EVERY == INVALID_EVERY - 1 or i % NOT_JSON_EVERY == (
                NOT_JSON_EVERY - 1
            )
            file.write(document(i, hazards, rng) + "\n")
    return records - invalid, invalid


def run_cli(corpus: Path, workdir: Path, workers: int) -> dict[str, Any]:
    """One ``oss-rules evaluate`` run in a fresh process: seconds, peak RSS, line counts."""
    out, rejects = workdir / "out.jsonl", workdir / "rejects.jsonl"
    cli = str(Path(sys.executable).parent / "oss-rules")
    command = [cli, "evaluate", str(corpus), "--jsonl", "-o", str(out), "--reject", str(rejects)]
    command += ["--workers", str(workers), "--no-progress"]
    start = time.perf_counter()
    probe = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    rss, cpu, status = probe.stdout.split()
    rss_kib, code = int(rss), int(status)
    with out.open("rb") as file:
        evaluated = sum(1 for _ in file)
    lines = rejects.read_text("utf-8").splitlines()
    rejected = [json.loads(line)["line"] for line in lines]
    out.unlink()
    return {
        "seconds": seconds,
        "cpu": float(cpu),
        "rss_mib": rss_kib / 1024,
        "exit": code,
        "evaluated": evaluated,
        "rejected": rejected,
    }


def inventories(corpus: Path, count: int) -> list[Inventory]:
    """The first ``count`` valid inventories of the corpus."""
    found = []
    with corpus.open(encoding="utf-8") as file:
        for line in file:
            try:
                found.append(read_inventory(json.loads(line)))
            except Exception:
                continue
            if len(found) == count:
                break
    return found


def _timed(run: Any) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``run()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def in_process(corpus: Path, count: int, together: int) -> dict[str, float]:
    """evaluate_many vs a loop of evaluate, and one evaluate of ``together`` inventories.

    Loop and evaluate_many alternate over five slices, so that a change in the machine's
    load falls on both; CPU seconds are kept as well as wall-clock ones.
    """
    engine = oss_rules.Engine(oss_rules.load_default())
    items = inventories(corpus, count)
    totals = {"loop": [0.0, 0.0], "many": [0.0, 0.0]}

    def loop(part: list[Inventory]) -> None:
        for inventory in part:
            engine.evaluate(inventory.facts, as_of=inventory.as_of)

    def many(part: list[Inventory]) -> None:
        for _ in engine.evaluate_many(part):
            pass

    step = max(1, len(items) // 5)
    for n, start in enumerate(range(0, len(items), step)):
        part = items[start : start + step]
        order = (("loop", loop), ("many", many)) if n % 2 == 0 else (("many", many), ("loop", loop))
        for name, run in order:
            wall, cpu = _timed(lambda run=run, part=part: run(part))
            totals[name][0] += wall
            totals[name][1] += cpu
    merged = [f for inventory in items[:together] for f in inventory.facts]
    whole = _timed(lambda: engine.evaluate(merged, as_of=items[0].as_of))
    split = _timed(lambda: many(items[:together]))
    return {"count": len(items), "loop": totals["loop"][0], "loop_cpu": totals["loop"][1],
            "many": totals["many"][0], "many_cpu": totals["many"][1], "together": together,
            "whole": whole[0], "whole_cpu": whole[1], "split": split[0],
            "split_cpu": split[1]}  # fmt: skip


def machine() -> list[str]:
    """The lines that say where and with what the numbers were measured."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in ("oss_rules", "durable-rules", "click", "dask"):
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return [
        f"- machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; " + ", ".join(versions),
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=200_000, help="workplaces in the corpus")
    parser.add_argument("--hazards", type=int, default=10, help="hazards per workplace")
    parser.add_argument(
        "--in-process", type=int, default=2_000, help="inventories timed in-process"
    )
    parser.add_argument("--together", type=int, default=500, help="inventories in one evaluate")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oss-bench-") as tmp:
        workdir = Path(tmp)
        corpus = workdir / "corpus.jsonl"
        valid, invalid = write_corpus(corpus, args.records, args.hazards)
        small = workdir / "small.jsonl"
        with corpus.open(encoding="utf-8") as src, small.open("w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i == min(SMALL, args.records):
                    break
                dst.write(line)
        runs = {}
        for label, path, workers in (
            ("small, 1 process", small, 1),
            ("full, 1 process", corpus, 1),
            ("full, --workers 2", corpus, 2),
        ):
            runs[label] = run_cli(path, workdir, workers)
            print(f"{label}: {runs[label]['seconds']:.1f} s", file=sys.stderr)
        expected = [
            i + 1
            for i in range(args.records)
            if i % INVALID_EVERY == INVALID_EVERY - 1 or i % NOT_JSON_EVERY == NOT_JSON_EVERY - 1
        ]
        for label in ("full, 1 process", "full, --workers 2"):
            run = runs[label]
            status = 1 if expected else 0
            assert run["exit"] == status, f"{label}: exit {run['exit']}, expected {status}"
            assert run["rejected"] == expected, f"{label}: rejects are not the invalid records"
            assert run["evaluated"] == valid, f"{label}: {run['evaluated']} results, not {valid}"
        timing = in_process(corpus, min(args.in_process, valid), min(args.together, valid))
    table = report(args, valid, invalid, runs, timing)
    print(table)
    if not args.no_write:
        RESULTS.write_text(table + "\n", "utf-8")


def report(
    args: argparse.Namespace,
    valid: int,
    invalid: int,
    runs: dict[str, dict[str, Any]],
    timing: dict[str, float],
) -> str:
    """The results as Markdown."""
    full, two, small = runs["full, 1 process"], runs["full, --workers 2"], runs["small, 1 process"]
    records = args.records
    few = min(SMALL, records)
    ratio = full["rss_mib"] / small["rss_mib"]
    lines = [
        "# Batch benchmark results",
        "",
        f"`python bench/bench_batch.py --records {records}` (`make bench` runs the default, "
        "200,000): a JSONL corpus of "
        f"{records:,} workplaces x {args.hazards} hazards ({valid:,} valid, {invalid:,} "
        "invalid: every 500th has a severity of 9, every 1000th is not JSON).",
        "",
        *machine(),
        "",
        "| measure | value |",
        "|---|---|",
        f"| 1 process: records/s | {records / full['seconds']:,.0f} ({full['seconds']:,.1f} s) |",
        f"| --workers 2: records/s | {records / two['seconds']:,.0f} ({two['seconds']:,.1f} s) |",
        f"| speed-up of --workers 2 (wall clock) | {full['seconds'] / two['seconds']:.2f}x |",
        f"| CPU per record, 1 process | {1000 * full['cpu'] / records:,.1f} ms |",
        f"| CPU per record, --workers 2 (all processes) | {1000 * two['cpu'] / records:,.1f} ms |",
        f"| peak RSS, {few:,} records | {small['rss_mib']:,.0f} MiB |",
        f"| peak RSS, {records:,} records | {full['rss_mib']:,.0f} MiB |",
        f"| RSS ratio (full / {few:,}) | {ratio:.2f} |",
        f"| peak RSS of one process, --workers 2 | {two['rss_mib']:,.0f} MiB |",
        f"| rejects = the invalid records, the rest in the output | yes ({invalid:,} + "
        f"{valid:,}) |",
        f"| loop of evaluate, {timing['count']:,} inventories | {timing['loop']:,.2f} s "
        f"({timing['loop_cpu']:,.2f} s CPU) |",
        f"| evaluate_many, same inventories | {timing['many']:,.2f} s "
        f"({timing['many_cpu']:,.2f} s CPU; CPU ratio to the loop "
        f"{timing['many_cpu'] / timing['loop_cpu']:.2f}) |",
        f"| one evaluate of {timing['together']:,} inventories together "
        f"| {timing['whole']:,.2f} s ({timing['whole_cpu']:,.2f} s CPU) |",
        f"| evaluate_many of the same {timing['together']:,} | {timing['split']:,.2f} s "
        f"({timing['split_cpu']:,.2f} s CPU; together / split, CPU: "
        f"{timing['whole_cpu'] / timing['split_cpu']:.1f}x) |",
        "",
        f"Load average when the table was written: {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores. Times are wall-clock on a shared machine: read the ratios, "
        "and CPU per record for what a run costs. Records/s include process start and "
        "compiling the ruleset (once per process).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
