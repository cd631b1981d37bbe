"""Golden outputs: each example, run through its CLI command, prints exactly the reviewed text.

Every case below is one command line on one file of `examples/`, run from the project
root with relative paths (so the paths printed in text output are the same on every
machine). The command's stdout must equal ``tests/golden/<name>`` byte for byte; what
it writes to stderr must equal ``tests/golden/<name>.stderr``, or be empty when that
file does not exist; and it must exit with the case's status.

``tests/golden/*.json`` are the `evaluate --json` results of the OSS examples (the
result schema test in test_schema.py reads them too); the sub-folders hold the other
domains' examples: ``k3/``, ``payroll/`` and ``submission/``.

After an intended change of output, regenerate and review the diff::

    OSS_RULES_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from conftest import ROOT

from oss_rules.cli import main

GOLDEN = ROOT / "tests" / "golden"
UPDATE = bool(os.environ.get("OSS_RULES_UPDATE_GOLDEN"))


@attrs.frozen
class Case:
    """One golden command: ``oss-rules *args`` writes ``golden`` and exits with ``code``."""

    golden: str
    args: tuple[str, ...]
    code: int = 0


OSS = [
    Case(path.name, ("evaluate", "--json", f"examples/{path.name}"))
    for path in sorted((ROOT / "examples").glob("*.json"))
]
K3 = "examples/k3/steelworks.json"
PAYROLL = ("payroll", "--month", "2026-03", "examples/payroll/march-2026.json")
ACME = ("submission", "examples/submission/acme.json", "--workplace", "site-a")
INCOMPLETE = ("submission", "examples/submission/incomplete.json")
CASES = [
    *OSS,
    Case("k3/steelworks.txt", ("evaluate", "--ruleset", "id-k3", K3)),
    Case("k3/steelworks.json", ("evaluate", "--ruleset", "id-k3", "--json", K3)),
    Case("payroll/march-2026.txt", PAYROLL),
    Case("payroll/march-2026.json", (*PAYROLL, "--json")),
    Case("payroll/march-2026.csv", (*PAYROLL, "--csv", "-")),
    Case("submission/acme-site-a.txt", ACME),
    Case("submission/acme-site-a.json", (*ACME, "--json")),
    # The problems go to stderr as text and, with --json, to stdout as JSON too.
    Case("submission/incomplete.json", (*INCOMPLETE, "--json"), code=1),
]


def update(path: Path, text: str) -> None:
    """Write ``text`` to ``path``; an empty stderr golden is removed instead."""
    if path.suffix == ".stderr" and not text:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.golden)
def test_example_output_matches_its_golden_file(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command prints the golden stdout and stderr byte for byte, with its exit status."""
    monkeypatch.chdir(ROOT)
    done = CliRunner().invoke(main, list(case.args), catch_exceptions=False)
    stdout = GOLDEN / case.golden
    stderr = stdout.with_name(stdout.name + ".stderr")
    if UPDATE:
        update(stdout, done.stdout)
        update(stderr, done.stderr)
    assert done.exit_code == case.code, done.output
    assert done.stdout == stdout.read_text("utf-8")
    assert done.stderr == (stderr.read_text("utf-8") if stderr.exists() else "")


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.args[0] == "evaluate"], ids=lambda c: c.golden
)
def test_the_compiled_backend_prints_the_same_golden_output(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--backend compiled` prints the golden stdout too: the backends' results are the same."""
    monkeypatch.chdir(ROOT)
    args = [case.args[0], "--backend", "compiled", *case.args[1:]]
    done = CliRunner().invoke(main, args, catch_exceptions=False)
    assert done.exit_code == case.code, done.output
    assert done.stdout == (GOLDEN / case.golden).read_text("utf-8")


def test_every_golden_file_belongs_to_a_case() -> None:
    """No golden file is left over from a removed or renamed case (it would go unchecked)."""
    expected = {case.golden for case in CASES}
    for path in GOLDEN.rglob("*"):
        if path.is_file():
            name = path.relative_to(GOLDEN).as_posix().removesuffix(".stderr")
            assert name in expected, f"{path} belongs to no case of {__name__}"
