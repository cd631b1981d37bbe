"""Text from inputs cannot run as a spreadsheet formula nor command the terminal."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from oss_rules._untrusted import escape_control, spreadsheet_cell
from oss_rules.cli import main

PAYROLL = ROOT / "examples" / "payroll" / "march-2026.json"


def payroll_with_name(tmp_path: Path, name: str) -> Path:
    """The payroll example with worker andi renamed to ``name``."""
    data = json.loads(PAYROLL.read_text("utf-8"))
    andi = next(f for f in data["facts"] if f.get("id") == "andi")
    andi["name"] = name
    path = tmp_path / "payroll.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")']
)
def test_formula_like_text_is_quoted(text: str):
    """A text cell starting like a formula gets a leading single quote."""
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Andi", "a=b", "", 0, -5, 12.5])
def test_other_cells_are_unchanged(value: object):
    """Plain text and numbers (negative ones too) are written as they are."""
    assert spreadsheet_cell(value) == value


@pytest.mark.parametrize("name", ["=cmd|' /C calc'!A0", "+1", "-2", "@x", "\tx", "\rx"])
def test_payroll_csv_neutralises_formula_names(tmp_path: Path, name: str):
    """`payroll --csv` writes a worker name that starts like a formula with a quote."""
    source = payroll_with_name(tmp_path, name)
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        main, ["payroll", "--month", "2026-03", "--csv", str(out), str(source)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8"), newline="")))
    andi = next(r for r in rows if r["worker"] == "andi")
    assert andi["name"] == "'" + name
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r.values())


def test_escape_control_keeps_newline_and_tab():
    """Newline and tab pass; ESC, BEL, CR, DEL, C1 and bidi overrides become escapes."""
    assert escape_control("a\tb\nc") == "a\tb\nc"
    assert escape_control("\x1b\x07\r\x7f\x9b\u202e\u2066") == (
        "\\u001b\\u0007\\u000d\\u007f\\u009b\\u202e\\u2066"
    )


def test_control_characters_from_input_do_not_reach_the_terminal(tmp_path: Path):
    """A name holding ESC, BEL and U+202E is printed escaped, and the JSON still parses to
    the same name."""
    name = "Andi\x1b[2J\x07\u202eX"
    source = payroll_with_name(tmp_path, name)
    result = CliRunner().invoke(
        main, ["evaluate", "--json", "--ruleset", "id-bpjstk", str(source)], color=True
    )
    assert result.exit_code == 0, result.output
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in result.output
    given = json.loads(result.output)["given"]
    assert name in [f.get("name") for f in given]


def test_control_characters_in_errors_are_escaped(tmp_path: Path):
    """An error message quoting a hostile value does not carry its control characters."""
    source = tmp_path / "bad.json"
    source.write_text('{"as_of": "2026-06-30", "facts": [{"type": "No\\u202eSuch"}]}', "utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(source)], color=True)
    assert result.exit_code == 2
    assert "\u202e" not in result.output
