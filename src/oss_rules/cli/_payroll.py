"""``oss-rules payroll``: the BPJS Ketenagakerjaan contributions of one month, per worker."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import click
from rich.text import Text

from ..domains.bpjstk.facts import Payroll
from ..domains.bpjstk.payroll import PayrollReport, payroll_report
from ..domains.oss.facts import Employer
from ..engine.result import Result
from ..errors import OssRulesError
from ..report._console import PLAIN, Look, plain, render, when
from ..report._text_domains import payroll_parts
from ._common import AS_OF, PARAM, UsageError, build_engine, json_flag, read_input, write_output
from ._terminal import COLOR, echo_text, look_for

__all__ = ["payroll_command"]

DEFAULT_RULESET = "id-bpjstk"
"""The shipped ruleset that derives the contributions."""


@click.command("payroll")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--month",
    required=True,
    type=click.DateTime(formats=["%Y-%m"]),
    help="The contribution month, YYYY-MM.",
)
@click.option(
    "--csv",
    "csv_path",
    metavar="PATH",
    help="Also write the rows and totals as CSV to PATH ('-' prints CSV instead of the table).",
)
@json_flag("the payroll")
@click.option(
    "--ruleset",
    "ruleset_path",
    metavar="ID|PATH",
    default=DEFAULT_RULESET,
    show_default=True,
    help="The ruleset that derives the contributions: a shipped id or a path.",
)
@COLOR
@AS_OF
@PARAM
def payroll_command(
    file: str,
    month: dt.datetime,
    csv_path: str | None,
    as_json: bool,
    ruleset_path: str,
    color: str,
    as_of: dt.datetime | None,
    params: tuple[str, ...],
) -> None:
    """Print the BPJS Ketenagakerjaan contributions of MONTH for each worker in FILE.

    FILE is an input file with Employer and Worker facts, and Payroll facts saying when
    each month was paid. An employer with no Payroll fact for MONTH is taken as not
    having paid it yet. Amounts are whole rupiah.
    """
    if as_json and csv_path == "-":
        raise UsageError("give either --json or --csv -, both print to the output")
    engine = build_engine(ruleset_path, params)
    inventory = read_input(file, as_of.date() if as_of else None)
    first = month.date().replace(day=1)
    facts = (*inventory.facts, *_unpaid(inventory.facts, first))
    try:
        result = engine.evaluate(facts, as_of=inventory.as_of)
        report = payroll_report(result, first)
    except OssRulesError as error:
        raise UsageError(f"{file}: {error}") from None
    if not report.rows:
        raise UsageError(
            f"{file}: no contribution for {first.isoformat()[:7]}; the input needs an "
            "Employer and its Worker facts"
        )
    if csv_path == "-":
        click.echo(report.to_csv(), nl=False)
        return
    if csv_path:
        write_output(csv_path, report.to_csv(), [file])
    if as_json:
        data: dict[str, Any] = {"ruleset": attrs.asdict(result.ruleset), **report.to_data()}
        click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))
        return
    look = look_for(color)
    echo_text(render_report(report, result, file, look), look)


def _unpaid(facts: tuple[Any, ...], month: dt.date) -> tuple[Payroll, ...]:
    """A Payroll fact, unpaid, for each employer that has none for ``month``."""
    given = {f.employer for f in facts if isinstance(f, Payroll) and f.month == month}
    return tuple(
        Payroll(employer=f.id, month=month)
        for f in facts
        if isinstance(f, Employer) and f.id not in given
    )


def render_report(
    report: PayrollReport, result: Result, source: str = "", look: Look = PLAIN
) -> str:
    """The payroll as a text table per employer, with the payment and the totals."""
    info = result.ruleset
    head = Text(
        f"BPJS Ketenagakerjaan contributions for {when(report.month)[:7]} "
        f"({info.id} {info.version}, as of {when(report.as_of)})",
        style="bold",
    )
    if source:
        head.append("  " + plain(source))
    return render([head, *payroll_parts(report)], look)
