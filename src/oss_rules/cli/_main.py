"""The ``oss-rules`` command line: evaluate input files and explain conclusions.

Each command group lives in its own module and is added to :func:`main` below.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import attrs
import click
from rich.console import RenderableType
from rich.text import Text

from ..batch import STDIN
from ..engine._engine import DEFAULT_MAX_FACTS
from ..engine.result import Proof, Result
from ..language import DEFAULT_RULESET
from ..language import syntax as s
from ..language._evaluate import ExpressionError, holds
from ..language._parser import ParseError, parse_pattern
from ..model._json import dump
from ..model.convert import fact_to_json
from ..report._console import render
from ..report.text import result_parts
from ._alerts import alerts_command
from ._batch import STREAMED, evaluate_stream
from ._common import (
    ALL_RULESETS,
    AS_OF,
    BACKEND,
    PARAM,
    RULESET,
    RULESETS,
    UsageError,
    build_engine,
    build_engines,
    evaluate_all,
    evaluate_file,
    json_flag,
)
from ._diff import diff_command
from ._exit import GuardedGroup
from ._fail_on import FAIL_ON, FailOn, known_codes, summary_text, tally_of
from ._payroll import payroll_command
from ._report import report_command
from ._submission import submission_command
from ._terminal import COLOR, echo_text, look_for
from ._testing import FORMAT, WHY_NOT, explain_why_not, test_command
from ._tooling import check_command, fmt_command, schema_command
from ._verify import verify_command


@click.group(cls=GuardedGroup)
@click.version_option(package_name="oss_rules")
@click.option(
    "--debug",
    is_flag=True,
    help="Print the traceback of an internal error (exit status 3); also OSS_RULES_DEBUG=1.",
)
@click.option(
    "--max-facts",
    type=click.IntRange(1),
    metavar="N",
    help=f"Facts one evaluation may hold, given and derived (default {DEFAULT_MAX_FACTS:,}).",
)
def main(debug: bool, max_facts: int | None) -> None:
    """Turn hazard inventories into OSS obligations, actions and findings, with reasons.

    Exit statuses: 0 ok, 1 found what was asked (a failing test, --check, evaluate
    --fail-on), 2 user error,
    3 internal error (a bug: please report it), 130 interrupted.
    """


@main.command("evaluate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@json_flag("the result")
@click.option(
    "--jsonl", "as_jsonl", is_flag=True, help="Write one JSON result per line, as each is ready."
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Write the results to FILE (complete or not at all) instead of stdout.",
)
@click.option(
    "--reject",
    metavar="FILE",
    help="Write each record that failed, with its line and the reason, to FILE (JSON lines).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Evaluate in this many processes (same output, same order).",
)
@click.option(
    "--split",
    is_flag=True,
    help="Cut each input document into independent inventories along fact references "
    "(hazards with their workplace, workplaces with their employer) and evaluate each alone.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show records, records/s and the ETA on stderr (default: when it is a terminal).",
)
@FAIL_ON
@COLOR
@RULESETS
@ALL_RULESETS
@AS_OF
@PARAM
@BACKEND
def evaluate_command(
    files: tuple[str, ...],
    as_json: bool,
    as_jsonl: bool,
    output: str | None,
    reject: str | None,
    workers: int,
    split: bool,
    progress: bool | None,
    fail_on: tuple[str, ...],
    color: str,
    ruleset_specs: tuple[str, ...],
    all_rulesets: bool,
    as_of: dt.datetime | None,
    params: tuple[str, ...],
    backend: str,
) -> None:
    """Evaluate each input FILE ({"as_of": ..., "facts": [...]}) and print the result.

    With several rulesets, each evaluates the facts on its own and has its own section
    (with --json: {"evaluations": [result, ...]} per file, in the order given).

    A .jsonl FILE holds one input document per line, a .csv FILE one hazard per row
    (columns: `oss-rules schema --csv`), and - is standard input. Such inputs, and the
    options --jsonl, -o, --reject, --workers, --split and --progress, evaluate record by record:
    each result is written as soon as it is ready, in input order, a summary goes to
    stderr, and the exit status is 1 when any record failed (see docs/batch.md).

    With --fail-on finding|overdue|CODE the exit status is 1 when a result holds a
    finding, a deadline or action overdue, or a finding of that code (see docs/cli.md).
    """
    engines = build_engines(ruleset_specs, all_rulesets, params, backend)
    conditions = FailOn.parse(fail_on, known_codes(engines))
    look = look_for(color)
    day = as_of.date() if as_of else None
    streamed = any(f == STDIN or Path(f).suffix.lower() in STREAMED for f in files)
    if streamed or as_jsonl or output or reject or workers > 1 or progress or split:
        if as_json:
            raise UsageError(
                "--json prints one document; for record-by-record evaluation "
                "(.jsonl, .csv, -, --workers, ...) use --jsonl"
            )
        sys.exit(
            evaluate_stream(
                engines,
                files,
                as_of=day,
                as_jsonl=as_jsonl,
                output=output,
                reject=reject,
                workers=workers,
                progress=progress,
                split=split,
                fail_on=conditions,
                look=look,
            )
        )
    evaluations = [(path, evaluate_all(engines, path, day)) for path in files]
    tally = tally_of(r for _, results in evaluations for r in results)
    if as_json:
        data: Any = [
            results[0].to_data()
            if len(results) == 1
            else {"evaluations": [r.to_data() for r in results]}
            for _, results in evaluations
        ]
        # Written a few kB at a time: a large result's text is not built whole first.
        dump(data[0] if len(data) == 1 else data, sys.stdout.write)
        sys.stdout.write("\n")
        if conditions.met(tally):
            click.echo(conditions.verdict(tally), err=True)
        sys.exit(conditions.status(tally))
    others = len(engines) > 1 or engines[0].ruleset.id != DEFAULT_RULESET
    parts: list[RenderableType] = []
    for path, results in evaluations:
        for result in results:
            if parts:
                parts.append(Text(""))
            parts += result_parts(result, path, others=others)
    parts.append(summary_text(tally, conditions, len(files)))
    echo_text(render(parts, look), look)
    sys.exit(conditions.status(tally))


@main.command("explain")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--conclusion",
    metavar="PATTERN",
    help="Which conclusions to explain, e.g. 'Obligation(module == \"OSS-II\")'.",
)
@WHY_NOT
@click.option(
    "--depth",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    metavar="N",
    help="With --why-not: where a rule needed a derived fact that is missing, say why it "
    "was not derived, N steps down (0: only the rules of the question).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (same as --format json).")
@FORMAT
@RULESET
@AS_OF
@PARAM
@BACKEND
def explain_command(
    file: str,
    conclusion: str | None,
    why_not: str | None,
    depth: int,
    as_json: bool,
    output_format: str,
    ruleset_path: str | None,
    as_of: dt.datetime | None,
    params: tuple[str, ...],
    backend: str,
) -> None:
    """Print why each conclusion matching PATTERN holds: rules, citations, facts.

    With --why-not PATTERN instead: which rules could derive it, and what failed.
    """
    as_json = as_json or output_format == "json"
    if (conclusion is None) == (why_not is None):
        raise UsageError("give either --conclusion PATTERN or --why-not PATTERN")
    engine = build_engine(ruleset_path, params, backend)
    result = evaluate_file(engine, file, as_of.date() if as_of else None)
    if why_not is not None:
        click.echo(explain_why_not(engine, result, why_not, as_json, depth))
        return
    assert conclusion is not None
    pattern = _conclusion_pattern(conclusion)
    matches = [f for f in result.conclusions if _matches(pattern, f)]
    if not matches:
        same_type = [f for f in result.conclusions if type(f).__name__ == pattern.fact_type]
        hint = (
            f"; {pattern.fact_type} conclusions are: " + "; ".join(map(repr, same_type[:10]))
            if same_type
            else f"; there is no {pattern.fact_type} conclusion"
        )
        raise UsageError(f"no conclusion matches {conclusion}{hint}")
    proofs = [result.explain(f) for f in matches]
    if as_json:
        click.echo(
            json.dumps(
                [_proof_data(p, result) for p in proofs],
                indent=2,
                sort_keys=True,
                ensure_ascii=False,
            )
        )
        return
    click.echo("\n\n".join(p.render() for p in proofs))


def _conclusion_pattern(text: str) -> s.Pattern:
    try:
        return parse_pattern(text, lambda line, col: s.Span("--conclusion", line, col))
    except ParseError as error:
        raise UsageError(str(error.diagnostic)) from None


def _matches(pattern: s.Pattern, fact: Any) -> bool:
    if type(fact).__name__ != pattern.fact_type:
        return False
    for condition in pattern.conditions:
        if not isinstance(condition.left, s.Name) or not hasattr(fact, condition.left.id):
            raise UsageError(
                f"--conclusion: {condition.span}: the left side must be a field of "
                f"{pattern.fact_type}"
            )
    fields = {name: getattr(fact, name) for name in attrs.fields_dict(type(fact))}
    try:
        return all(holds(condition, fields) for condition in pattern.conditions)
    except ExpressionError as error:
        raise UsageError(f"--conclusion: {error}") from None


def _proof_data(proof: Proof, result: Result) -> dict[str, Any]:
    return {
        "fact": fact_to_json(proof.fact, result.registry),
        "rule": proof.rule,
        "title": proof.title,
        "citations": list(proof.citations),
        "absent": list(proof.absent),
        "premises": [_proof_data(p, result) for p in proof.premises],
    }


main.add_command(test_command)
main.add_command(check_command)
main.add_command(schema_command)
main.add_command(fmt_command)
main.add_command(verify_command)
main.add_command(diff_command)
main.add_command(report_command)
main.add_command(payroll_command)
main.add_command(submission_command)
main.add_command(alerts_command)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
