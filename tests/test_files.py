"""Outputs are written atomically, never over an input, and fmt touches ruleset files only."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from oss_rules.cli import _report, main
from oss_rules.cli._common import UsageError, write_output

OFFICE = ROOT / "examples" / "office.json"
PAYROLL = ROOT / "examples" / "payroll" / "march-2026.json"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A copy of the office example that a command may wrongly overwrite."""
    return Path(shutil.copy(OFFICE, tmp_path / "office.json"))


def test_report_refuses_to_overwrite_its_input(office: Path):
    """`report -o in.json in.json` is refused; the input keeps its bytes."""
    before = office.read_bytes()
    code, output = run("report", "-o", str(office), str(office))
    assert code == 2
    assert "also an input file" in output
    assert office.read_bytes() == before


def test_report_refuses_a_link_to_its_input(office: Path, tmp_path: Path):
    """A hard link to the input is the same file, and refused too."""
    link = tmp_path / "out.html"
    os.link(office, link)
    before = office.read_bytes()
    code, output = run("report", "-o", str(link), str(office))
    assert code == 2, output
    assert office.read_bytes() == before


def test_payroll_csv_refuses_to_overwrite_its_input(tmp_path: Path):
    """`payroll --csv in.json in.json` is refused; the input keeps its bytes."""
    source = Path(shutil.copy(PAYROLL, tmp_path / "payroll.json"))
    before = source.read_bytes()
    code, output = run("payroll", "--month", "2026-03", "--csv", str(source), str(source))
    assert code == 2
    assert "also an input file" in output
    assert source.read_bytes() == before


def test_payroll_csv_into_a_missing_directory_is_a_clear_error():
    """`payroll --csv /nonexistent/x.csv` names the missing directory, without a traceback."""
    code, output = run("payroll", "--month", "2026-03", "--csv", "/nonexistent/x.csv", str(PAYROLL))
    assert code == 2
    assert "/nonexistent/x.csv: cannot write: directory /nonexistent does not exist" in output


def test_a_failing_report_leaves_the_old_output_whole(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A report that fails while writing leaves the existing output as it was, and no
    temporary file behind."""
    out = tmp_path / "report.html"
    out.write_text("the old report", "utf-8")
    # A lone surrogate cannot be encoded: the write fails half way.
    monkeypatch.setattr(_report, "render_report", lambda *a, **k: "<html>" * 1000 + "\ud800")
    code, _ = run("report", "-o", str(out), str(office))
    assert code == 3
    assert out.read_text("utf-8") == "the old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["office.json", "report.html"]


def test_a_report_whose_input_fails_leaves_the_old_output(office: Path, tmp_path: Path):
    """A report whose input does not read leaves the existing output as it was."""
    out = tmp_path / "report.html"
    out.write_text("the old report", "utf-8")
    code, _ = run("report", "-o", str(out), str(tmp_path / "missing.json"))
    assert code == 2
    assert out.read_text("utf-8") == "the old report"


def test_write_output_replaces_and_keeps_permissions(tmp_path: Path):
    """An existing output is replaced whole and keeps its permissions."""
    out = tmp_path / "out.csv"
    out.write_text("old", "utf-8")
    out.chmod(0o640)
    write_output(str(out), "new\n")
    assert out.read_text("utf-8") == "new\n"
    assert out.stat().st_mode & 0o777 == 0o640


def test_write_output_into_a_directory_is_refused(tmp_path: Path):
    """A directory given as the output is a usage error."""
    with pytest.raises(UsageError, match="is a directory"):
        write_output(str(tmp_path), "x")


def test_fmt_leaves_a_json_input_alone(office: Path):
    """`fmt in.json` refuses: an input document is not a ruleset file."""
    before = office.read_bytes()
    code, output = run("fmt", str(office))
    assert code == 2
    assert "not a ruleset file" in output
    assert office.read_bytes() == before


def test_fmt_leaves_a_yaml_file_that_is_not_a_ruleset_alone(tmp_path: Path):
    """`fmt` on a YAML file without ruleset keys (a test file, a config) changes nothing."""
    other = tmp_path / "compose.yaml"
    other.write_text("services:\n    web:   {image: nginx}\n", "utf-8")
    tests = Path(shutil.copy(ROOT / "rulesets" / "oss" / "tests" / "classify.yaml", tmp_path))
    before = other.read_bytes(), tests.read_bytes()
    for path in (other, tests):
        code, output = run("fmt", str(path))
        assert code == 2
        assert "not a ruleset file" in output
    assert (other.read_bytes(), tests.read_bytes()) == before


def test_fmt_still_formats_a_ruleset_file(tmp_path: Path):
    """A ruleset file is still rewritten in canonical form, in place."""
    case = Path(shutil.copy(ROOT / "tests" / "fmt" / "key-order.yaml", tmp_path))
    code, output = run("fmt", str(case))
    assert code == 0, output
    expected = (ROOT / "tests" / "fmt" / "key-order.yaml.formatted").read_text("utf-8")
    assert case.read_text("utf-8") == expected
