"""The ``oss-rules test`` command and ``explain --why-not``: the policy author's feedback loop."""

from __future__ import annotations

import json
from collections.abc import Sequence

import click

from ..authoring._why_not import why_not
from ..authoring.testing import Suite, coverage, discover, load_suite, run_case
from ..engine._engine import Engine
from ..engine.result import Result
from ..errors import QuestionError, RulesetError
from ..language import syntax as s
from ..language._parser import ParseError, parse_pattern
from ._common import BACKEND, UsageError
from ._test_report import Run

FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format (--json is short for --format json).",
)
WHY_NOT = click.option(
    "--why-not",
    metavar="PATTERN",
    help="Say why no conclusion matches PATTERN: the rules that could derive it and "
    'the conditions that failed, e.g. \'Obligation(workplace == "w1", module == "OSS-II")\'.',
)


def explain_why_not(
    engine: Engine, result: Result, text: str, as_json: bool, depth: int = 1
) -> str:
    """The ``--why-not`` answer for ``text`` about ``result``, as text or JSON, followed
    ``depth`` steps down through derived facts."""
    try:
        question = parse_pattern(text, lambda line, col: s.Span("--why-not", line, col))
        answer = why_not(result, engine.ruleset.rules, engine.params, question, depth=depth)
    except ParseError as error:
        raise UsageError(str(error.diagnostic)) from None
    except QuestionError as error:
        raise UsageError(f"--why-not: {error}") from None
    except KeyError as error:
        raise UsageError(f"--why-not: {error.args[0]}") from None
    if as_json:
        data = answer.to_data(result.registry)
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    return answer.render()


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--coverage",
    "show_coverage",
    is_flag=True,
    help="Report which rules no case made fire, with file:line.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    metavar="PERCENT",
    help="Exit 1 when rule coverage is below PERCENT (implies --coverage).",
)
@click.option(
    "-k",
    "pattern",
    metavar="TEXT",
    help="Run only the cases whose id (<ruleset>/<file>::<name>) contains TEXT, ignoring case.",
)
@click.option("-x", "--exitfirst", is_flag=True, help="Stop at the first failing case.")
@click.option("-v", "--verbose", is_flag=True, help="List every case, not only the failures.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "junit"]),
    default="text",
    show_default=True,
    help="json: a report for programs; junit: JUnit XML for CI. Both on stdout.",
)
@BACKEND
def test_command(
    paths: tuple[str, ...],
    show_coverage: bool,
    fail_under: float | None,
    pattern: str | None,
    exitfirst: bool,
    verbose: bool,
    output_format: str,
    backend: str,
) -> None:
    """Run the test cases of each ruleset at PATH (default: the shipped rulesets).

    PATH is a ruleset directory, its tests/ directory, one tests/*.yaml file, or a
    directory of rulesets. Prints each failing case in full and a summary line (-v:
    every case); exits 1 when a case fails (or coverage is below --fail-under), 2 when a
    file cannot be used or -k selects no case.
    """
    suites = _load(paths)
    every = [(suite, case) for suite in suites for case in suite.cases]
    if not every:
        raise UsageError("no test cases found; add cases to <ruleset>/tests/*.yaml")
    chosen = [(s, c) for s, c in every if pattern is None or pattern.lower() in c.id.lower()]
    if not chosen:
        raise UsageError(
            f"-k {pattern!r}: no case id contains it (ids are <ruleset>/<file>::<name>, "
            f"e.g. {every[0][1].id!r})"
        )
    text = output_format == "text"
    for suite in suites:
        if not suite.cases:
            click.echo(f"note: {suite.path} has no test cases", err=not text)
    outcomes = []
    for suite, case in chosen:
        outcome = run_case(suite, case, backend=backend)
        outcomes.append(outcome)
        if text and (verbose or not outcome.passed):
            click.echo(outcome.report())
        if exitfirst and not outcome.passed:
            break
    run = Run(
        tuple(suites),
        tuple(outcomes),
        coverage(suites, outcomes),
        len(every),
        len(chosen),
        pattern,
        len(outcomes) < len(chosen),
    )
    below = fail_under is not None and run.coverage.percent < fail_under
    if output_format == "json":
        click.echo(run.to_json(fail_under))
    elif output_format == "junit":
        click.echo(run.to_junit())
    elif show_coverage or fail_under is not None:
        click.echo(run.coverage.render())
    if below:
        click.echo(
            f"rule coverage {run.coverage.percent:.2f} % is below --fail-under {fail_under:g}",
            err=not text,
        )
    if text:
        click.echo(run.summary())
    if run.failed or below:
        raise SystemExit(1)


def _load(paths: Sequence[str]) -> list[Suite]:
    """Every suite under ``paths``; all problems of all files at once as a usage error."""
    try:
        found = discover(paths)
    except RulesetError as error:
        raise UsageError(str(error)) from None
    suites, problems = [], []
    for directory, files in found:
        try:
            suites.append(load_suite(directory, files))
        except RulesetError as error:
            problems.append(str(error))
    if problems:
        raise UsageError("\n".join(problems))
    return suites
