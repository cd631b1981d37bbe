"""`oss-rules evaluate` record by record: JSONL, CSV, stdin, rejects, workers, summary."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from oss_rules.cli import main
from oss_rules.cli._progress import Progress


def write_corpus(path: Path, count: int, bad: frozenset[int] = frozenset()) -> Path:
    """A JSONL file of ``count`` workplaces; the records at ``bad`` have a severity of 9,
    and one line after the first record is not JSON."""
    lines = []
    for i in range(count):
        facts = [
            {"type": "Workplace", "id": f"w{i}", "sector": "construction",
             "setting": "field", "headcount": 10 + i},
            {"type": "Hazard", "id": f"h{i}", "workplace": f"w{i}", "category": "fall",
             "likelihood": i % 5 + 1, "severity": 9 if i in bad else 4},
        ]  # fmt: skip
        lines.append(json.dumps({"as_of": "2026-06-30", "facts": facts}))
    lines.insert(1, "{not json")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_jsonl_in_jsonl_out_with_rejects_and_exit_status(tmp_path: Path):
    """Good records go to -o in input order, bad ones to --reject with line and reason."""
    corpus = write_corpus(tmp_path / "c.jsonl", 6, frozenset({3}))
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    code, stdout, stderr = run(
        "evaluate", str(corpus), "--jsonl", "-o", str(out), "--reject", str(rejects)
    )
    assert code == 1 and stdout == ""
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["line"] for r in lines] == [1, 3, 4, 6, 7]
    assert [r["result"]["given"][0]["id"] for r in lines] == ["h0", "h1", "h2", "h4", "h5"]
    failed = [json.loads(line) for line in rejects.read_text("utf-8").splitlines()]
    assert [(f["line"], f["error"]) for f in failed] == [(2, "InvalidRecord"), (5, "FactsError")]
    assert failed[0]["record"] == "{not json"
    assert "severity" in failed[1]["reason"] and failed[1]["record"]["facts"][1]["severity"] == 9
    assert "7 records: 5 evaluated, 2 failed" in stderr
    summary = r"^findings: missing_module \d+, no_frontline_input 5, overdue_audit 5,"
    assert re.search(summary, stderr, re.M)


def test_workers_2_write_the_same_bytes_as_one(tmp_path: Path):
    """--workers 2 output and rejects are byte-identical to --workers 1."""
    corpus = write_corpus(tmp_path / "c.jsonl", 40, frozenset({7, 21}))
    outputs = []
    for workers in ("1", "2"):
        out, rejects = tmp_path / f"out{workers}.jsonl", tmp_path / f"rej{workers}.jsonl"
        code, _, _ = run(
            "evaluate", str(corpus), "--jsonl", "-o", str(out),
            "--reject", str(rejects), "--workers", workers,
        )  # fmt: skip
        assert code == 1
        outputs.append((out.read_bytes(), rejects.read_bytes()))
    assert outputs[0] == outputs[1]
    assert outputs[0][0].count(b"\n") == 38  # 40 records, 2 invalid, 1 line not JSON


def test_text_output_of_json_files_is_the_same_record_by_record():
    """With --workers, .json inputs print exactly what the one-document path prints, but
    for the closing summary line, which goes to stderr with the records' counts."""
    files = [str(ROOT / "examples" / n) for n in ("construction.json", "office.json")]
    _, whole, _ = run("evaluate", *files)
    code, streamed, stderr = run("evaluate", *files, "--workers", "2")
    body, _, summary = whole.rstrip("\n").rpartition("\n\n")
    assert summary == "Summary in 2 files: 17 findings, 5 overdue (4 deadlines, 1 action)."
    assert code == 0 and streamed == body + "\n"
    assert "2 records: 2 evaluated, 0 failed" in stderr
    assert "overdue: 5 overdue (4 deadlines, 1 action)" in stderr


def test_stdin_is_read_with_a_dash(tmp_path: Path):
    """`-` reads JSON Lines from standard input; labels name <stdin> and the line."""
    corpus = write_corpus(tmp_path / "c.jsonl", 2)
    code, stdout, stderr = run("evaluate", "-", "--jsonl", stdin=corpus.read_text("utf-8"))
    assert code == 1  # the line that is not JSON
    assert [json.loads(line)["source"] for line in stdout.splitlines()] == ["<stdin>"] * 2
    assert "<stdin>:2: invalid JSON" in stderr


def test_csv_input_and_its_layout(tmp_path: Path):
    """`schema --csv` gives the header; a CSV with it evaluates one workplace per group."""
    code, header, _ = run("schema", "--csv")
    assert code == 0
    columns = header.strip().split(",")
    row = dict.fromkeys(columns, "")
    row.update(as_of="2026-06-30", workplace_id="w1", workplace_sector="construction",
               workplace_setting="field", workplace_headcount="40", hazard_id="h1",
               hazard_category="fall", hazard_likelihood="4", hazard_severity="5")  # fmt: skip
    path = tmp_path / "h.csv"
    path.write_text(header + ",".join(row[c] for c in columns) + "\n", "utf-8")
    code, stdout, _ = run("evaluate", str(path), "--jsonl")
    assert code == 0
    [line] = stdout.splitlines()
    result = json.loads(line)
    assert result["line"] == 2
    assert [c["level"] for c in result["result"]["classifications"]] == ["high"]


def test_an_output_file_is_not_left_half_written(tmp_path: Path):
    """-o writes through a temporary file: a usage error leaves no file at all."""
    out = tmp_path / "out.jsonl"
    code, _, stderr = run("evaluate", str(tmp_path / "missing.jsonl"), "--jsonl", "-o", str(out))
    assert code == 2 and "cannot read" in stderr
    assert list(tmp_path.iterdir()) == []


def test_progress_is_shown_on_request(tmp_path: Path):
    """--progress on a non-terminal stderr still reports records and records/s."""
    corpus = write_corpus(tmp_path / "c.jsonl", 3)
    code, _, stderr = run("evaluate", str(corpus), "--jsonl", "--progress")
    assert code == 1
    assert "records: 3 evaluated, 1 failed" in stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--json", "--jsonl"], "use --jsonl"),
        (["--workers", "0"], "--workers"),
        (["--jsonl", "-o", "no/such/dir/out.jsonl"], "no such directory"),
    ],
)
def test_option_conflicts_are_usage_errors(tmp_path: Path, args: list[str], message: str):
    """--json with record-by-record evaluation, zero workers or an output in a directory that
    does not exist is refused with a reason, before any work."""
    corpus = write_corpus(tmp_path / "c.jsonl", 1)
    code, _, stderr = run("evaluate", str(corpus), *args)
    assert code == 2 and message in stderr


def test_the_progress_line_gives_records_rate_and_eta():
    """Done/total, failures, records/s and the ETA, from the counts and the elapsed time."""
    stream = io.StringIO()
    progress = Progress(stream, 10, terminal=False, shown=True)
    for failed in (False, True, False, False):
        progress.advance(failed)
    start = progress._start
    assert progress.line(start + 2.0) == "4/10 records (1 failed)  2 records/s  ETA 0:00:03"
    unknown = Progress(stream, None, terminal=False, shown=True)
    unknown.advance(False)
    assert unknown.line(unknown._start + 1.0) == "1 records  1 records/s"


def test_split_evaluates_each_workplace_of_one_document_alone(tmp_path: Path):
    """--split cuts a portfolio document into inventories whose findings add up to the whole."""
    documents = [json.loads(line) for line in write_corpus(tmp_path / "c.jsonl", 4).read_text(
        "utf-8").splitlines() if not line.startswith("{not")]  # fmt: skip
    portfolio = {"as_of": "2026-06-30", "facts": [f for d in documents for f in d["facts"]]}
    path = tmp_path / "portfolio.json"
    path.write_text(json.dumps(portfolio), "utf-8")
    code, whole, _ = run("evaluate", str(path), "--json")
    assert code == 0
    code, parts, stderr = run("evaluate", str(path), "--split", "--jsonl")
    assert code == 0 and "4 records: 4 evaluated" in stderr
    lines = [json.loads(line) for line in parts.splitlines()]
    assert [r["line"] for r in lines] == [1, 1, 1, 1]

    def findings(results: list[dict[str, object]]) -> list[str]:
        return sorted(json.dumps(f, sort_keys=True) for r in results for f in r["findings"])  # type: ignore[attr-defined]

    assert findings([r["result"] for r in lines]) == findings([json.loads(whole)])


def test_split_refuses_a_ruleset_that_joins_unlinked_facts(tmp_path: Path):
    """--split with a ruleset that OSS150 flags is a usage error naming the rule."""
    path = tmp_path / "one.json"
    path.write_text('{"as_of": "2026-06-30", "facts": []}', "utf-8")
    ruleset = str(ROOT / "tests" / "broken_rulesets" / "unsplittable.yaml")
    code, _, stderr = run("evaluate", str(path), "--split", "--ruleset", ruleset)
    assert code == 2 and "rule `same-category-elsewhere` joins Hazard with Hazard" in stderr
