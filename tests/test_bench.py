"""The engine benchmark runs to the end: its inventory fires every rule and table row of
the default ruleset, and both backends and ``bench/reference.py`` agree on it.

``bench/bench_engine.py`` checks this itself before it times anything and stops with a
message naming the silent rules; a rule added to the ruleset without a fact in the
benchmark's inventory (or without its twin in the reference) used to break ``make
bench`` unnoticed. Only the exit status and the shape of the report are asserted here,
never a time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.slow
def test_bench_engine_quick_fires_every_rule_and_agrees_with_the_reference():
    """``bench_engine.py --quick`` exits 0 with a row for each inventory size."""
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_engine.py"), "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    report = json.loads(proc.stdout)
    assert [row["hazards"] for row in report["rows"]] == [10, 100, 1000]
    for row in report["rows"]:
        assert row["conclusions"] > row["hazards"]
        assert {"durable", "compiled", "reference"} <= row.keys()
