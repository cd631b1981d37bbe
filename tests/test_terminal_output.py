"""What people see of `evaluate`: plain text in a pipe, colour on request, wrapped to the
width, one date format, no empty sections, tables instead of reprs, a closing summary;
and `--fail-on`, the exit status for automation (goldens: test_golden.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from oss_rules.cli import main

EXAMPLES = ROOT / "examples"
OFFICE = str(EXAMPLES / "office.json")  # 2 findings, nothing overdue
CONSTRUCTION = str(EXAMPLES / "construction.json")  # 15 findings, 4 deadlines, 1 action
WORKSHOP = str(EXAMPLES / "workshop.json")  # incidents with times, long messages
K3 = str(EXAMPLES / "k3" / "steelworks.json")
PAYROLL = str(EXAMPLES / "payroll" / "march-2026.json")
ANSI = "\x1b["


def run(*args: str, env: dict[str, str] | None = None, color: bool = False) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env, color=color, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# --- colour -------------------------------------------------------------------------


def test_piped_output_is_plain():
    """Written to a pipe (not a terminal), the text has no escape sequence."""
    code, output, _ = run("evaluate", CONSTRUCTION, "--ruleset", "oss", color=True)
    assert code == 0
    assert ANSI not in output and "\x1b" not in output


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        (["--color", "always"], {}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (["--color", "always"], {"NO_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "TERM": "dumb"}, False),
    ],
    ids=["always", "never", "FORCE_COLOR", "NO_COLOR", "always-beats-NO_COLOR", "dumb"],
)
def test_colour_follows_the_option_then_the_environment(
    args: list[str], env: dict[str, str], coloured: bool
):
    """--color always/never decides; with auto, NO_COLOR turns colour off and FORCE_COLOR on."""
    code, output, _ = run("evaluate", *args, CONSTRUCTION, env=env, color=True)
    assert code == 0
    assert (ANSI in output) == coloured
    if coloured:
        assert "\x1b[1;31mOVERDUE\x1b[0m" in output


def test_coloured_text_still_escapes_control_characters_from_the_input(tmp_path: Path):
    """With colour on, an ESC in an input value prints as an escape, and markup-like text
    prints as written: only the renderer's own codes reach the terminal."""
    data = json.loads(Path(OFFICE).read_text("utf-8"))
    data["facts"][0]["sector"] = "evil\x1b[2J [bold]sector[/bold]"
    source = tmp_path / "evil.json"
    source.write_text(json.dumps(data), "utf-8")
    code, output, _ = run("evaluate", "--color", "always", str(source), color=True)
    assert code == 0
    assert "\x1b[2J" not in output
    assert "evil\\u001b[2J [bold]sector[/bold]" in output


# --- layout -------------------------------------------------------------------------


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_text_wraps_to_the_width(width: int):
    """Every line fits COLUMNS, and a long message goes on over several lines."""
    code, output, _ = run("evaluate", WORKSHOP, env={"COLUMNS": str(width)})
    assert code == 0
    assert max(len(line) for line in output.splitlines()) <= width
    # The late accident report's message (over 200 characters) takes several lines.
    start = next(i for i, line in enumerate(output.splitlines()) if "reported 2026-03-05" in line)
    assert "BPJS Ketenagakerjaan" not in output.splitlines()[start]


def test_piped_text_is_100_columns_wide():
    """Without COLUMNS, piped text wraps at 100 columns: the same bytes on every machine."""
    _, output, _ = run("evaluate", WORKSHOP)
    assert max(len(line) for line in output.splitlines()) == 100
    assert not any(line.endswith(" ") for line in output.splitlines())


@pytest.mark.parametrize("args", [[WORKSHOP], ["--ruleset", "id-k3", K3], [CONSTRUCTION]])
def test_one_date_time_format(args: list[str]):
    """Dates read 2026-03-05 and date-times 2026-03-05 09:00, in tables and in messages."""
    _, output, _ = run("evaluate", *args)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}", output)
    assert re.search(r"\d{4}-\d{2}-\d{2}( |$)", output, re.MULTILINE)


def test_workshop_times_are_written_one_way():
    """The incident table and a finding's message write the same moment the same way."""
    _, output, _ = run("evaluate", WORKSHOP)
    assert "2026-03-05 09:00" in output  # the incident's reported_at, in its row
    assert "reported 2026-03-05 09:00, more than 48 h" in output  # in the message


@pytest.mark.parametrize("args", [["--ruleset", "id-k3", K3], [OFFICE], ["--all-rulesets", K3]])
def test_no_empty_sections(args: list[str]):
    """A section with nothing in it is left out, not printed as 'none' or '(0)'."""
    _, output, _ = run("evaluate", *args)
    assert not re.search(r"(: none$|\(0\)$)", output, re.MULTILINE)
    assert "Obligations" not in run("evaluate", "--ruleset", "id-k3", K3)[1]


def test_k3_duties_are_a_table_not_reprs():
    """`--ruleset id-k3` shows the K3 duties as a table with one row per duty."""
    _, output, _ = run("evaluate", "--ruleset", "id-k3", K3)
    assert "K3Requirement(" not in output and "Duty(" not in output and "='" not in output
    assert "K3 duties (7)" in output
    header = next(line for line in output.splitlines() if line.lstrip().startswith("duty "))
    assert header.split() == ["duty", "employer", "workplace", "required", "basis", "note"]


def test_payroll_is_a_table_not_reprs():
    """`--ruleset id-bpjstk` shows each employer's contributions as the payroll table."""
    _, output, _ = run("evaluate", "--ruleset", "id-bpjstk", PAYROLL)
    assert "Contribution(" not in output and "='" not in output
    assert "Contributions for 2026-03" in output
    assert "Employer cv-rapi: due 2026-04-15, unpaid, 1 month late" in output
    assert re.search(r"^  total +16,118 +20,147 ", output, re.MULTILINE)


def test_the_text_ends_with_a_summary_line():
    """The last line counts the findings and what is overdue, over every file."""
    _, output, _ = run("evaluate", CONSTRUCTION, OFFICE)
    assert output.splitlines()[-1] == (
        "Summary in 2 files: 17 findings, 5 overdue (4 deadlines, 1 action)."
    )
    _, output, _ = run("evaluate", OFFICE)
    assert output.splitlines()[-1] == "Summary: 2 findings, nothing overdue."


# --- --fail-on ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("conditions", "path", "status", "verdict"),
    [
        ([], OFFICE, 0, ""),
        (["finding"], OFFICE, 1, "--fail-on finding: met, exit status 1."),
        (["overdue"], OFFICE, 0, "--fail-on overdue: not met."),
        (
            ["overdue"],
            CONSTRUCTION,
            1,
            "5 overdue (4 deadlines, 1 action). --fail-on overdue: met, exit status 1.",
        ),
        (["unneeded_module"], OFFICE, 1, "--fail-on unneeded_module: met, exit status 1."),
        (["missing_module"], OFFICE, 0, "--fail-on missing_module: not met."),
        (["missing_module", "overdue"], OFFICE, 0, "--fail-on missing_module, overdue: not met."),
        (["missing_module,finding"], OFFICE, 1, ": finding met, exit status 1."),
        (["overdue", "unneeded_module"], OFFICE, 1, ": unneeded_module (1) met, exit status 1."),
    ],
)
def test_fail_on_sets_the_exit_status_and_says_so(
    conditions: list[str], path: str, status: int, verdict: str
):
    """Exit status 1 when a condition is met, 0 otherwise; the summary line says which."""
    args = [a for c in conditions for a in ("--fail-on", c)]
    code, output, _ = run("evaluate", *args, path)
    assert code == status
    summary = " ".join(output[output.rindex("\nSummary") :].split())
    assert summary.endswith(verdict)


def test_fail_on_an_unknown_code_is_a_usage_error():
    """A code that no ruleset of the evaluation gives a title to is refused (status 2),
    with the nearest code, so that a typo cannot keep a CI job green."""
    code, _, stderr = run("evaluate", "--fail-on", "missing_modul", OFFICE)
    assert code == 2
    assert "did you mean `missing_module`?" in stderr
    code, _, _ = run("evaluate", "--ruleset", "id-k3", "--fail-on", "missing_module", K3)
    assert code == 2  # an OSS code, but id-k3 does not conclude it


def test_findings_show_the_title_of_their_code_once_per_run():
    """A finding row names its code's title from the ruleset, not the code; a run of
    findings of one code shows the title on its first row only."""
    _, output, _ = run("evaluate", CONSTRUCTION)
    assert "assessment_predates_hazard" not in output
    assert output.count("Risk assessment older than a hazard") == 1
    assert re.search(r"^    Risk assessment older than a hazard +h1 ", output, re.MULTILINE)
    assert re.search(r"^ {20,}h2 +chemical hazard h2", output, re.MULTILINE)


def test_internal_kinds_are_not_shown():
    """Kinds a ruleset calls internal (id-k3's NoiseLimit, id-bpjstk's WageBase) have no
    table; the other kinds without a section of their own have one."""
    _, output, _ = run("evaluate", "--ruleset", "id-k3", K3)
    assert "NoiseLimit" not in output and "ResponseDue (3)" in output
    _, output, _ = run("evaluate", "--ruleset", "id-bpjstk", PAYROLL)
    assert "WageBase" not in output and "JkkRate" not in output and "JkkGroup (2)" in output


def test_fail_on_with_json_keeps_the_json_and_tells_stderr():
    """--json prints the same document with --fail-on; the verdict goes to stderr."""
    _, plain, _ = run("evaluate", "--json", OFFICE)
    code, output, stderr = run("evaluate", "--json", "--fail-on", "finding", OFFICE)
    assert code == 1 and output == plain
    assert stderr == "--fail-on finding: met, exit status 1\n"
    code, _, stderr = run("evaluate", "--json", "--fail-on", "overdue", OFFICE)
    assert code == 0 and stderr == ""


def test_fail_on_record_by_record(tmp_path: Path):
    """On the batch path the status is 1 when a record meets a condition, and stderr says so."""
    out = tmp_path / "out.jsonl"
    code, _, stderr = run("evaluate", "--jsonl", "-o", str(out), OFFICE)
    assert code == 0 and "--fail-on" not in stderr
    code, _, stderr = run("evaluate", "--jsonl", "-o", str(out), "--fail-on", "finding", OFFICE)
    assert code == 1
    assert "--fail-on finding: met, exit status 1" in stderr
    code, _, stderr = run("evaluate", "--workers", "2", "--fail-on", "overdue", OFFICE, OFFICE)
    assert code == 0 and "--fail-on overdue: not met" in stderr


def test_fail_on_counts_the_payroll_findings_too():
    """A finding of another domain (the payroll's EmployerFinding) is a finding as well."""
    code, output, _ = run("evaluate", "--ruleset", "id-bpjstk", "--fail-on", "finding", PAYROLL)
    assert code == 1
    assert output.splitlines()[-1].startswith("Summary: 1 finding, nothing overdue.")
