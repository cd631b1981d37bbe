"""``oss-rules verify`` shows its run as it goes: each property's line as soon as it
finishes, and on a terminal a progress line for a long property."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

import oss_rules
from oss_rules.cli import _progress, _verify, main
from oss_rules.verify import _runner

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "rulesets" / "oss"


def test_verify_reports_each_outcome_before_the_next_property_runs() -> None:
    """on_start comes first, on_example counts each property's examples, and
    on_outcome gives a property's outcome before the next property's first example."""
    events: list[tuple[Any, ...]] = []
    report = _runner.verify(
        oss_rules.load(SHIPPED),
        max_examples=3,
        only=["low-band", "high-band"],
        on_start=lambda layout: events.append(("start", layout.ids)),
        on_example=lambda prop, tried, shrinking: events.append(("example", prop, tried)),
        on_outcome=lambda outcome: events.append(("outcome", outcome.id)),
    )
    assert report.passed
    assert events[0] == ("start", ("low-band", "high-band"))
    kinds = [e[0] + (e[1] if e[0] != "start" else "") for e in events]
    first_done = kinds.index("outcomelow-band")
    assert first_done < kinds.index("examplehigh-band")
    assert kinds[-1] == "outcomehigh-band"
    assert [e[2] for e in events[1:first_done]] == list(range(1, first_done))


def test_the_cli_prints_a_property_line_before_the_last_property_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The heading and the first property's line are echoed (and flushed by click.echo)
    before the last property starts; the report's text is unchanged."""
    events: list[str] = []
    echo, run = click.echo, _runner._run

    def recording_echo(message: Any = None, **kwargs: Any) -> None:
        events.append(f"echo {str(message).split()[0:2]}")
        echo(message, **kwargs)

    def recording_run(prop_id: str, *args: Any) -> Any:
        events.append(f"run {prop_id}")
        return run(prop_id, *args)

    monkeypatch.setattr(_verify.click, "echo", recording_echo)
    monkeypatch.setattr(_runner, "_run", recording_run)
    args = ["verify", str(SHIPPED), "--max-examples", "3"]
    args += ["--property", "low-band", "--property", "high-band"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert events == [
        "echo ['oss', '2.0.0:']",
        "run low-band",
        "echo ['pass', 'low-band']",
        "run high-band",
        "echo ['pass', 'high-band']",
        "echo ['2', 'passed,']",
    ]
    report = _runner.verify(oss_rules.load(SHIPPED), max_examples=3, only=["low-band", "high-band"])
    assert result.output == report.render() + "\n"


class _Clock:
    """A monotonic clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.mark.parametrize("terminal", [True, False])
def test_a_long_property_shows_examples_tried_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    """After PROGRESS_AFTER seconds a property's line `id: tried/max examples` is redrawn
    on stderr when it is a terminal, and cleared before the property's result; piped,
    stderr stays empty."""
    monkeypatch.setattr(_progress.time, "monotonic", _Clock())
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    ticker = _verify._Ticker(10, terminal=terminal)
    for tried in range(1, 6):
        ticker.advance("slow-one", tried, False)
    ticker.clear()
    if terminal:
        shown = stderr.getvalue()
        assert shown.startswith("\r\x1b[Kslow-one: 2/10 examples")
        assert "\r\x1b[Kslow-one: 5/10 examples" in shown
        assert "slow-one: 1/10" not in shown  # within the first PROGRESS_AFTER seconds
        assert shown.endswith("\r\x1b[K")
    else:
        assert stderr.getvalue() == ""


def test_the_progress_line_counts_shrink_steps_once_an_example_failed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once an example fails, hypothesis shrinks it: the line counts shrink steps, with no
    total, so that it never shows more examples than --max-examples."""
    monkeypatch.setattr(_progress.time, "monotonic", _Clock())
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    ticker = _verify._Ticker(3, terminal=True)
    for tried in range(1, 4):
        ticker.advance("p", tried, False)
    for tried in range(4, 9):
        ticker.advance("p", tried, True)
    assert "p: 3/3 examples" in stderr.getvalue()
    assert "p: 4 shrink steps" in stderr.getvalue()
