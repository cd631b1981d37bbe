"""The wheel carries what the library reads at run time: rulesets, grammar, py.typed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_wheel_contains_rulesets_grammar_and_type_marker(tmp_path: Path):
    """`pip install` of the wheel is enough for load_default() from any directory."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("oss_rules-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        p.relative_to(ROOT / "src").as_posix()
        for p in (ROOT / "src" / "oss_rules" / "domains").rglob("ruleset/**/*.yaml")
    }
    assert len(shipped) > 20 and shipped <= names
    assert {
        "oss_rules/language/grammar.lark",
        "oss_rules/language/ruleset.schema.json",
        "oss_rules/py.typed",
    } <= names
