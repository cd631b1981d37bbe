"""The README works as shown: its Python example runs, and so does every command of its
console blocks, with the exit status (``# exit N``, default 0) and the output it shows
(see ``tests/shown.py`` for how shown output, and ``[...]``, is compared).

The commands run through the shell, as a reader would type them, in a scratch copy of
the repository: ``examples/``, ``rulesets/`` (whose links point into ``src/``, as in a
checkout), the Makefile and a ``.venv`` that is the environment running the tests. The
``make`` commands run with ``-o .venv/.installed``: that environment is installed
already. ``make test`` and ``make test-fast`` run this very test suite, so for them make
only checks that the target exists and what it would run (``make -n``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import shown
from conftest import ROOT

README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
RECURSIVE = ("make test", "make test-fast")
"""Commands that run the tests themselves: checked with make -n, not run."""


def _console_commands() -> list[shown.Command]:
    text = README.read_text("utf-8")
    found = []
    for match in FENCE.finditer(text):
        if match.group(1) == "console":
            first = text.count("\n", 0, match.start()) + 2
            found += shown.commands(match.group(2), first)
    return found


COMMANDS = _console_commands()


def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """Every ```python block of README.md executes without error and prints findings."""
    text = README.read_text("utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert "missing_module OSS-II" in capsys.readouterr().out


def test_every_command_of_the_readme_is_found() -> None:
    """The console blocks are read: the make targets and each oss-rules command."""
    commands = [c.argv.split("#")[0].strip() for c in COMMANDS]
    assert commands[:3] == ["make demo", "make test", "make test-fast"]
    assert sum(c.startswith(".venv/bin/oss-rules ") for c in commands) >= 15
    assert any(c.shown for c in COMMANDS)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of the repository for the README's commands to run and write in."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "examples", root / "examples")
    shutil.copytree(ROOT / "rulesets", root / "rulesets", symlinks=True)
    (root / "src").symlink_to(ROOT / "src")
    (root / ".venv").symlink_to(Path(sys.prefix))
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, root / name)
    return root


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS, ids=[f"README.md:{c.line}" for c in COMMANDS])
def test_readme_command_runs_as_shown(command: shown.Command, checkout: Path) -> None:
    """The command exits with the status the README expects and prints what it shows."""
    where = f"README.md:{command.line}"
    line = command.argv.split("#")[0].strip()
    if line.startswith("make "):
        target = line.removeprefix("make ")
        dry = ["-n"] if line in RECURSIVE else []
        argv: str | list[str] = ["make", *dry, "-o", ".venv/.installed", target]
    else:
        argv = command.argv
    done = subprocess.run(
        argv,
        shell=isinstance(argv, str),
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "100"},
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == command.status, f"{where}: exit status {done.returncode}\n{output}"
    if line in RECURSIVE:
        assert "pytest" in output, f"{where}: make {line} does not run pytest\n{output}"
    shown.assert_shown(command.shown, output, where)
