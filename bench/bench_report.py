"""The audit report's cost per workplace at 10, 100 and 1,000 workplaces (issue 12).

Each size is the construction example copied under new ids, evaluated once with the
default ruleset; the HTML report of that result is timed (CPU). The report explains
every conclusion, so a proof index rebuilt per proof made it quadratic (40 workplaces
took 61 s). The per-workplace time must stay flat: the last column is each size's
per-workplace time as a multiple of the smallest size's, measured in the same run.

    .venv/bin/python bench/bench_report.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import oss_rules
from oss_rules.report import Evaluation, render_report

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10, 100, 1000)


def document(workplaces: int) -> dict[str, Any]:
    """The construction example's facts, once per workplace, each copy under its own ids."""
    base = json.loads((ROOT / "examples" / "construction.json").read_text("utf-8"))
    facts = []
    for i in range(workplaces):
        for fact in base["facts"]:
            copy = dict(fact)
            for key in ("id", "workplace", "hazard"):
                if isinstance(copy.get(key), str):
                    copy[key] = f"{copy[key]}-{i}"
            facts.append(copy)
    return {"as_of": base["as_of"], "facts": facts}


def main() -> None:
    engine = oss_rules.Engine(oss_rules.load_default())
    print("| workplaces | evaluate (CPU s) | report (CPU s) | per workplace (ms) | x smallest |")
    print("|---:|---:|---:|---:|---:|")
    first = None
    for size in SIZES:
        inventory = oss_rules.read_inventory(document(size))
        start = time.process_time()
        result = engine.evaluate(inventory.facts, as_of=inventory.as_of)
        evaluated = time.process_time()
        render_report([Evaluation(source=f"{size} workplaces", results=(result,))])
        reported = time.process_time()
        per = (reported - evaluated) / size
        first = first or per
        print(
            f"| {size} | {evaluated - start:.2f} | {reported - evaluated:.2f} "
            f"| {per * 1000:.2f} | {per / first:.2f} |"
        )


if __name__ == "__main__":
    main()
