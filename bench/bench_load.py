"""What an app pays to start: ``import oss_rules`` and ``oss_rules.load_default()`` (issue 13).

Each sample is a fresh Python process that times, with ``time.process_time`` (CPU) and
``time.perf_counter`` (wall), ``import oss_rules`` and then ``oss_rules.load_default()``
with the ruleset cache warm (a first, untimed process fills it). The CPU time of a
process that runs ``pass`` (interpreter start-up, measured from outside, in the same
run, alternating with the samples) is the yardstick: the ratios to it compare across
machines and loads better than the milliseconds do.

Bytecode is cached, as it is for an installed package (pip compiles it): the processes
write and read it under a temporary ``PYTHONPYCACHEPREFIX``, so the source tree stays
clean whatever ``PYTHONDONTWRITEBYTECODE`` says. ``--no-bytecode-cache`` measures a
source checkout run with ``PYTHONDONTWRITEBYTECODE=1`` instead: every oss_rules module is
compiled from source in every process.

    .venv/bin/python bench/bench_load.py             # 15 processes of each
    .venv/bin/python bench/bench_load.py --runs 31 --json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from typing import Any

TIMED = """\
import time
c0, w0 = time.process_time(), time.perf_counter()
import oss_rules
c1, w1 = time.process_time(), time.perf_counter()
oss_rules.load_default()
c2, w2 = time.process_time(), time.perf_counter()
print(c1 - c0, c2 - c1, w1 - w0, w2 - w1)
"""

COLUMNS = ("import_cpu", "load_cpu", "import_wall", "load_wall")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(code: str, env: Mapping[str, str]) -> tuple[str, float]:
    """Run ``code`` in a fresh interpreter: its output and the whole process's CPU time."""
    before = _children_cpu()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    return out, _children_cpu() - before


def measure(runs: int, *, bytecode_cache: bool = True) -> dict[str, Any]:
    """Medians of ``runs`` fresh processes of each kind, in milliseconds."""
    with tempfile.TemporaryDirectory(prefix="bench-load-pyc-") as pycache:
        env = dict(os.environ)
        if bytecode_cache:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = pycache
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        return _measure(runs, env) | {"bytecode_cache": bytecode_cache}


def _measure(runs: int, env: Mapping[str, str]) -> dict[str, Any]:
    _run(TIMED, env)  # fills the ruleset cache and the bytecode cache
    samples: dict[str, list[float]] = {name: [] for name in (*COLUMNS, "pass_process")}
    for _ in range(runs):
        samples["pass_process"].append(_run("pass", env)[1])
        out, _ = _run(TIMED, env)
        for name, value in zip(COLUMNS, out.split(), strict=True):
            samples[name].append(float(value))
    ms = {name: statistics.median(values) * 1000 for name, values in samples.items()}
    both = ms["import_cpu"] + ms["load_cpu"]
    return {
        **{f"{name}_ms": round(value, 1) for name, value in ms.items()},
        "total_cpu_ms": round(both, 1),
        "total_over_pass": round(both / ms["pass_process"], 2),
        "import_over_pass": round(ms["import_cpu"] / ms["pass_process"], 2),
        "runs": runs,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh processes of each kind")
    parser.add_argument("--json", action="store_true", help="the numbers as JSON")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="compile oss_rules from source in every process (PYTHONDONTWRITEBYTECODE=1)",
    )
    args = parser.parse_args()
    numbers = measure(args.runs, bytecode_cache=not args.no_bytecode_cache)
    if args.json:
        print(json.dumps(numbers, indent=2))
        return
    pass_ms = numbers["pass_process_ms"]
    bytecode = "cached" if numbers["bytecode_cache"] else "compiled from source each time"
    print(
        f"start-up cost, median of {args.runs} fresh processes "
        f"(ruleset cache warm, bytecode {bytecode})"
    )
    print(f"load average {numbers['load_average']} on {numbers['cpus']} CPUs")
    print("| step | CPU ms | wall ms | CPU / `python -c pass` |")
    print("|---|---:|---:|---:|")
    print(f"| `python -c pass` (whole process) | {pass_ms:.1f} | | 1.00 |")
    for label, key in (("`import oss_rules`", "import"), ("`load_default()`", "load")):
        cpu, wall = numbers[f"{key}_cpu_ms"], numbers[f"{key}_wall_ms"]
        print(f"| {label} | {cpu:.1f} | {wall:.1f} | {cpu / pass_ms:.2f} |")
    wall = numbers["import_wall_ms"] + numbers["load_wall_ms"]
    print(
        f"| both | {numbers['total_cpu_ms']:.1f} | {wall:.1f} | {numbers['total_over_pass']:.2f} |"
    )


if __name__ == "__main__":
    main()
