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
@BACKEND
def test_command(
    paths: tuple[str, ...], show_coverage: bool, fail_under: float | None, backend: str
) -> None:
    """Run the test cases of each ruleset at PATH (default: the shipped rulesets).

    PATH is a ruleset directory, its tests/ directory, one tests/*.yaml file, or a
    directory of rulesets. Prints one line per case and a summary; exits 1 when a
    case fails (or coverage is below --fail-under), 2 when a file cannot be used.
    """
    suites = _load(paths)
    if not any(suite.cases for suite in suites):
        raise UsageError("no test cases found; add cases to <ruleset>/tests/*.yaml")
    outcomes = [run_case(suite, case, backend=backend) for suite in suites for case in suite.cases]
    for suite in suites:
        if not suite.cases:
            click.echo(f"note: {suite.path} has no test cases")
    for outcome in outcomes:
        click.echo(outcome.report())
    failed = sum(not o.passed for o in outcomes)
    below = False
    if show_coverage or fail_under is not None:
        report = coverage(suites, outcomes)
        click.echo(report.render())
        if fail_under is not None and report.percent < fail_under:
            click.echo(f"rule coverage {report.percent:.2f} % is below --fail-under {fail_under:g}")
            below = True
    click.echo(f"{len(outcomes) - failed} passed, {failed} failed")
    if failed or below:
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
