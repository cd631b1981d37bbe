"""Exit statuses: 0 ok, 1 found what was asked, 2 user error, 3 internal error, 130 Ctrl-C,
the same for every command (docs/cli.md)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from oss_rules.cli import main
from oss_rules.errors import InputError

EX = ROOT / "examples"
OFFICE = str(EX / "office.json")

FAILING_CASE = """\
cases:
  - name: wrong on purpose
    as_of: 2026-06-30
    given:
      - {type: Workplace, id: w1, sector: retail, setting: office, headcount: 5}
      - {type: Hazard, id: h1, workplace: w1, category: ergonomic, likelihood: 1, severity: 1}
    expect:
      - {type: Classification, hazard: h1, score: 1, level: high}
"""


@pytest.fixture
def tmp_ruleset(tmp_path: Path) -> Path:
    """A copy of the shipped ``oss`` ruleset with one failing test case."""
    target = tmp_path / "oss"
    shutil.copytree(ROOT / "rulesets" / "oss", target)
    for case in (target / "tests").iterdir():
        case.unlink()
    (target / "tests" / "wrong.yaml").write_text(FAILING_CASE, "utf-8")
    return target


def status(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.output


OK = {
    "evaluate": ["evaluate", OFFICE],
    "report": ["report", "-o", "-", OFFICE],
    "explain": ["explain", OFFICE, "--conclusion", 'Obligation(module == "OSS-I")'],
    "submission": ["submission", "--workplace", "hq", str(EX / "submission" / "acme.json")],
    "payroll": ["payroll", "--month", "2026-03", str(EX / "payroll" / "march-2026.json")],
    "test": ["test", str(ROOT / "rulesets" / "oss" / "tests" / "classify.yaml")],
    "verify": ["verify", "--max-examples", "2", "--property", "oss1-everywhere"],
    "check": ["check", str(ROOT / "rulesets" / "oss")],
    "fmt": ["fmt", "--check", str(ROOT / "rulesets" / "oss")],
    "schema": ["schema"],
    "alerts": ["alerts", "--within", "30", OFFICE],
    "diff": ["diff", "oss", str(ROOT / "rulesets" / "oss"), OFFICE],
}

USER_ERROR = {
    "evaluate": ["evaluate", "/nonexistent/in.json"],
    "report": ["report", "-o", "-", "/nonexistent/in.json"],
    "explain": ["explain", OFFICE],
    "submission": ["submission", "--workplace", "nope", str(EX / "submission" / "acme.json")],
    "payroll": ["payroll", "--month", "March", str(EX / "payroll" / "march-2026.json")],
    "test": ["test", "/nonexistent/tests"],
    "verify": ["verify", "--max-examples", "0"],
    "check": ["check", "/nonexistent/ruleset"],
    "fmt": ["fmt", "/nonexistent/ruleset"],
    "schema": ["schema", "--no-such-option"],
    "alerts": ["alerts", "--within", "-3", OFFICE],
    "diff": ["diff", "oss", "oss", "--allow", "Findng"],
}


def test_every_command_is_covered():
    """The tables above name every command of the group, so a new command gets tested too."""
    assert set(OK) == set(USER_ERROR) == set(main.commands)


@pytest.mark.parametrize("command", sorted(OK))
def test_success_exits_0(command: str):
    """Each command exits 0 when all went well."""
    code, output = status(OK[command])
    assert code == 0, output


@pytest.mark.parametrize("command", sorted(USER_ERROR))
def test_user_error_exits_2_without_traceback(command: str):
    """Each command exits 2 on a mistake of its user, with a message and no traceback."""
    code, output = status(USER_ERROR[command])
    assert code == 2, output
    assert "Traceback" not in output


def test_found_what_was_asked_exits_1(tmp_ruleset: Path, tmp_path: Path):
    """A failing test case, a failing submission, an unformatted file and a ruleset error
    exit 1."""
    assert status(["test", str(tmp_ruleset)])[0] == 1
    assert status(["submission", str(EX / "submission" / "incomplete.json")])[0] == 1
    unformatted = tmp_path / "key-order.yaml"
    shutil.copy(ROOT / "tests" / "fmt" / "key-order.yaml", unformatted)
    assert status(["fmt", "--check", str(unformatted)])[0] == 1
    assert status(["check", str(ROOT / "tests" / "broken_rulesets" / "type-mismatch.yaml")])[0] == 1


@pytest.fixture
def broken(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Make the command named by the test's parameter raise the exception it gives."""
    command, exception = request.param
    target = main.commands[command]

    def fail(*args: object, **kwargs: object) -> None:
        raise exception

    monkeypatch.setattr(target, "callback", fail)
    yield command


def _cases(exception: BaseException) -> list[tuple[str, BaseException]]:
    return [(command, exception) for command in sorted(OK)]


@pytest.mark.parametrize("broken", _cases(RuntimeError("boom")), indirect=True)
def test_internal_error_exits_3_and_asks_for_a_report(broken: str):
    """An unexpected exception in any command exits 3, asks for a bug report and hides the
    traceback unless --debug is given."""
    result = CliRunner().invoke(main, OK[broken], catch_exceptions=False)
    assert result.exit_code == 3
    assert "please report it" in result.output
    assert "RuntimeError: boom" in result.output
    assert "Traceback" not in result.output
    debug = CliRunner().invoke(main, ["--debug", *OK[broken]], catch_exceptions=False)
    assert debug.exit_code == 3
    assert "Traceback" in debug.output


@pytest.mark.parametrize("broken", _cases(KeyboardInterrupt()), indirect=True)
def test_ctrl_c_exits_130(broken: str):
    """Ctrl-C in any command exits 130 with a short note, not 1 and not a traceback."""
    result = CliRunner().invoke(main, OK[broken], catch_exceptions=False)
    assert result.exit_code == 130
    assert "interrupted" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("broken", _cases(InputError("in.json", 1, 2, "bad")), indirect=True)
def test_library_error_that_escapes_exits_2(broken: str):
    """An OssRulesError that a command did not turn into a message still exits 2 with it."""
    result = CliRunner().invoke(main, OK[broken], catch_exceptions=False)
    assert result.exit_code == 2
    assert "in.json:1:2: invalid JSON: bad" in result.output


@pytest.mark.parametrize(
    "broken", _cases(PermissionError(13, "Permission denied", "/x/out.csv")), indirect=True
)
def test_unreadable_or_unwritable_file_exits_2(broken: str):
    """An OSError about a named file is the user's to fix: exit 2, naming the file."""
    result = CliRunner().invoke(main, OK[broken], catch_exceptions=False)
    assert result.exit_code == 2
    assert "/x/out.csv: Permission denied" in result.output


def test_a_reader_that_stops_early_gives_141_and_no_traceback():
    """`oss-rules evaluate ... --jsonl | head -c 10`: status 141 (as SIGPIPE), nothing on stderr.

    Regression: the closed pipe was reported as a bug (status 3, "please report it").
    """
    portfolio = str(EX / "batch" / "portfolio.jsonl")
    code = "import sys; from oss_rules.cli import main; sys.argv[0] = 'oss-rules'; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "evaluate", portfolio, "--jsonl", "--no-progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10)
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=300) == 141, stderr
    assert "Traceback" not in stderr and "bug" not in stderr
