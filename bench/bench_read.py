"""Benchmark: reading an input document (``read_inventory``) against building the same facts.

    python bench/bench_read.py               # 10,000 hazards
    python bench/bench_read.py --hazards 500 --quick
    python bench/bench_read.py --json        # machine-readable output on stdout

The document holds a few workplaces and N hazards drawn with a fixed seed (every field of
Hazard used, about a third without an identification date). Three things are timed in
the same run, each the median of several samples:

- **read**: ``read_inventory(text)``: JSON text to checked facts (JSON parsing, every
  field checked against its kind, duplicate ids and references checked).
- **parse**: ``json.loads(text, parse_float=Decimal)`` alone, the part no converter can save.
- **build**: ``Workplace(**fields)`` / ``Hazard(**fields)`` from values already in Python
  form: what the facts cost to construct with their own validation, the baseline.

Read the ratio ``read / (parse + build)``: the price of reading JSON strictly, over
what parsing plus constructing costs anyway. Absolute times depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from oss_rules import Hazard, Workplace, read_inventory
from oss_rules.domains.oss._vocabulary import CATEGORIES

SEED = 20260630
AS_OF = dt.date(2026, 6, 30)


def document(n: int, seed: int = SEED) -> dict[str, Any]:
    """An input document with 10 workplaces and ``n`` hazards spread over them."""
    rng = random.Random(seed)
    facts: list[dict[str, Any]] = [
        {
            "type": "Workplace",
            "id": f"w{i}",
            "sector": "construction",
            "setting": "field",
            "headcount": 10 + i,
            "declared_modules": ["OSS-I"],
            "last_assessment": "2025-06-01",
        }
        for i in range(10)
    ]
    for i in range(n):
        hazard: dict[str, Any] = {
            "type": "Hazard",
            "id": f"h{i}",
            "workplace": f"w{i % 10}",
            "category": CATEGORIES[i % len(CATEGORIES)],
            "likelihood": rng.randint(1, 5),
            "severity": rng.randint(1, 5),
            "reported_by": "worker",
        }
        if rng.random() < 2 / 3:
            hazard["identified_on"] = (AS_OF - dt.timedelta(days=rng.randint(0, 400))).isoformat()
        facts.append(hazard)
    return {"as_of": AS_OF.isoformat(), "facts": facts}


def _python_values(item: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in item.items() if k != "type"}
    for key in ("identified_on", "last_assessment"):
        if key in values:
            values[key] = dt.date.fromisoformat(values[key])
    return values


def _sample(call: Callable[[], Any], seconds: float) -> float:
    """Seconds per call, over a loop of calls lasting about ``seconds``."""
    gc.collect()
    loops, start = 0, time.perf_counter()
    while True:
        call()
        loops += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed / loops


def main() -> None:
    """Time read, parse and build on one document; print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hazards", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="fewer, shorter samples")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    doc = document(args.hazards)
    text = json.dumps(doc)
    kinds = {"Workplace": Workplace, "Hazard": Hazard}
    values = [(kinds[f["type"]], _python_values(f)) for f in doc["facts"]]
    inventory = read_inventory(text)
    assert inventory.facts == tuple(cls(**v) for cls, v in values), "read != build"

    calls: dict[str, Callable[[], Any]] = {
        "read": lambda: read_inventory(text),
        "parse": lambda: json.loads(text, parse_float=Decimal),
        "build": lambda: [cls(**v) for cls, v in values],
    }
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(3 if args.quick else 7):
        for name, call in calls.items():  # alternate, so drift hits all three alike
            samples[name].append(_sample(call, 0.2 if args.quick else 1.0))
    median = {name: statistics.median(s) for name, s in samples.items()}
    ratio = median["read"] / (median["parse"] + median["build"])
    if args.json:
        print(json.dumps({"hazards": args.hazards, "seconds": median, "ratio": ratio}))
        return
    print(f"{args.hazards} hazards + 10 workplaces, {len(text) / 1e6:.1f} MB of JSON")
    for name, seconds in median.items():
        print(f"  {name:<6} {seconds * 1000:8.1f} ms")
    print(f"  read / (parse + build) = {ratio:.2f}")


if __name__ == "__main__":
    main()
