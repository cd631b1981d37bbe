"""``oss-rules report``: evaluate input files and write the audit report as HTML."""

from __future__ import annotations

import datetime as dt

import click

from ..report._page import TITLE, Evaluation, render_report
from ._common import ALL_RULESETS, AS_OF, PARAM, RULESETS, build_engines, evaluate_all, write_output


@click.command("report")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE",
    help="Write the HTML report here ('-' for standard output).",
)
@click.option("--title", default=TITLE, show_default=True, help="The report's title.")
@RULESETS
@ALL_RULESETS
@AS_OF
@PARAM
def report_command(
    files: tuple[str, ...],
    output: str,
    title: str,
    ruleset_specs: tuple[str, ...],
    all_rulesets: bool,
    as_of: dt.datetime | None,
    params: tuple[str, ...],
) -> None:
    """Evaluate each input FILE and write one self-contained HTML audit report.

    For each file and ruleset: the ruleset's version and digest, a risk matrix,
    obligations with reasons and citations, the action plan, deadlines, findings and
    contributions. The page has no external asset and prints well.
    """
    engines = build_engines(ruleset_specs, all_rulesets, params)
    day = as_of.date() if as_of else None
    evaluations = [Evaluation(path, tuple(evaluate_all(engines, path, day))) for path in files]
    page = render_report(evaluations, title=title, engines=engines)
    if output == "-":
        click.echo(page, nl=False)
        return
    write_output(output, page, files)
    ids = ", ".join(engine.ruleset.id for engine in engines)
    click.echo(
        f"wrote {output}: {len(files)} input{'s' if len(files) != 1 else ''}, "
        f"ruleset{'s' if len(engines) != 1 else ''} {ids}"
    )
