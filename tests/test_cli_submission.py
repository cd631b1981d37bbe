"""`oss-rules submission`: the payload on success, the problems and exit 1 otherwise."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from conftest import ROOT

import oss_rules
from oss_rules.cli import main
from oss_rules.domains.oss.registration import build_submission

ACME = str(ROOT / "examples" / "submission" / "acme.json")
INCOMPLETE = str(ROOT / "examples" / "submission" / "incomplete.json")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_json_payload_is_what_build_submission_gives() -> None:
    """--json prints the same canonical JSON as the Python API, and exits 0."""
    done = run("submission", ACME, "--workplace", "site-a", "--json")
    assert done.exit_code == 0, done.output
    inventory = oss_rules.read_inventory(Path(ACME))
    result = oss_rules.Engine(oss_rules.load_default()).evaluate(
        inventory.facts, as_of=inventory.as_of
    )
    assert done.stdout == build_submission(result, "site-a").to_json() + "\n"
    assert done.stderr == ""


def test_text_summary_shows_modules_actions_and_schedule() -> None:
    """Without --json the payload is summarised for people."""
    done = run("submission", ACME, "--workplace", "site-a")
    assert done.exit_code == 0, done.output
    assert "  Modules   OSS-I, OSS-II, OSS-III" in done.stdout
    assert "    by level     low 1, medium 2, high 1" in done.stdout
    assert "    2026-12  due 2027-01-15" in done.stdout
    lines = done.stdout.splitlines()
    actions = [line.split()[1] for line in lines if line.startswith("    due ")]
    assert actions == sorted(actions)


def test_as_of_moves_the_submission_date() -> None:
    """--as-of dates the submission and its schedule."""
    done = run("submission", ACME, "--workplace", "hq", "--as-of", "2027-01-05", "--json")
    data = json.loads(done.stdout)
    assert data["submitted_on"] == "2027-01-05"
    assert data["payments"][0] == {"contribution_month": "2027-01", "due": "2027-02-15"}
    assert data["modules"] == ["OSS-I"]


def test_problems_go_to_stderr_with_exit_1() -> None:
    """An incomplete submission lists every problem as `path: message (hint)`, exit 1."""
    done = run("submission", INCOMPLETE)
    assert done.exit_code == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0].endswith("incomplete.json: workplace shop: 6 problems:")
    paths = [line.split(":")[0].strip() for line in lines[1:]]
    assert paths == [
        "employer.nib",
        "employer.npwp",
        "employer.bpjstk_number",
        "employer.address",
        "workplace.last_assessment",
        "hazards[s1].identified_on",
    ]
    assert all(line.endswith(")") for line in lines[1:])


def test_problems_as_json_with_json_option() -> None:
    """With --json the problems are also printed as JSON on stdout."""
    done = run("submission", INCOMPLETE, "--json")
    assert done.exit_code == 1
    problems = json.loads(done.stdout)["problems"]
    assert problems[0]["path"] == "employer.nib"
    assert set(problems[0]) == {"path", "message", "hint"}
    assert "6 problems:" in done.stderr


def test_several_workplaces_need_the_option() -> None:
    """A file with several workplaces is a usage error listing their ids (exit 2)."""
    done = run("submission", ACME)
    assert done.exit_code == 2
    assert "holds 2 workplaces; choose one with --workplace ID: hq, site-a" in done.output


def test_unknown_workplace_is_a_usage_error() -> None:
    """An unknown --workplace id is a usage error with a suggestion (exit 2)."""
    done = run("submission", ACME, "--workplace", "site-b")
    assert done.exit_code == 2
    assert "no workplace 'site-b' (did you mean `site-a`?)" in done.output


def test_file_without_workplaces(tmp_path: Path) -> None:
    """A file with no Workplace has nothing to submit (exit 2)."""
    path = tmp_path / "empty.json"
    path.write_text('{"as_of": "2026-06-30", "facts": []}', "utf-8")
    done = run("submission", str(path))
    assert done.exit_code == 2
    assert "no Workplace fact" in done.output


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    """A file that cannot be read exits 2, like the other commands."""
    done = run("submission", str(tmp_path / "nope.json"))
    assert done.exit_code == 2
    assert "cannot read" in done.output
