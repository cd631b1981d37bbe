"""The README's Python example runs as shown."""

from __future__ import annotations

import re

from conftest import ROOT


def test_readme_python_example_runs(capsys):
    """Every ```python block of README.md executes without error and prints findings."""
    text = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert "missing_module OSS-II" in capsys.readouterr().out
