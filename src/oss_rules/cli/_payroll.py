"""``oss-rules payroll``: the BPJS Ketenagakerjaan contributions of one month, per worker."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import click

from ..domains.bpjstk.facts import Payroll
from ..domains.bpjstk.payroll import PayrollError, PayrollReport, payroll_report
from ..domains.oss.facts import Employer
from ..engine.result import Result
from ..errors import OssRulesError
from ._common import AS_OF, PARAM, UsageError, build_engine, read_input, write_output

__all__ = ["payroll_command"]

DEFAULT_RULESET = "id-bpjstk"
"""The shipped ruleset that derives the contributions."""

_SHOWN = (
    ("wage_base", "wage base"),
    ("jkk", "JKK"),
    ("jkm", "JKM"),
    ("jht_employer", "JHT empl."),
    ("jp_employer", "JP empl."),
    ("jht_worker", "JHT wkr"),
    ("jp_worker", "JP wkr"),
    ("employer_contributions", "employer"),
    ("worker_deductions", "deducted"),
    ("late_surcharge", "surcharge"),
)


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
@click.option("--json", "as_json", is_flag=True, help="Print the payroll as JSON.")
@click.option(
    "--ruleset",
    "ruleset_path",
    metavar="ID|PATH",
    default=DEFAULT_RULESET,
    show_default=True,
    help="The ruleset that derives the contributions: a shipped id or a path.",
)
@AS_OF
@PARAM
def payroll_command(
    file: str,
    month: dt.datetime,
    csv_path: str | None,
    as_json: bool,
    ruleset_path: str,
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
    except (OssRulesError, PayrollError) as error:
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
    click.echo(render_report(report, result, file))


def _unpaid(facts: tuple[Any, ...], month: dt.date) -> tuple[Payroll, ...]:
    """A Payroll fact, unpaid, for each employer that has none for ``month``."""
    given = {f.employer for f in facts if isinstance(f, Payroll) and f.month == month}
    return tuple(
        Payroll(employer=f.id, month=month)
        for f in facts
        if isinstance(f, Employer) and f.id not in given
    )


def render_report(report: PayrollReport, result: Result, source: str = "") -> str:
    """The payroll as a text table per employer, with the payment and the totals."""
    info = result.ruleset
    head = (
        f"BPJS Ketenagakerjaan contributions for {report.month.isoformat()[:7]} "
        f"({info.id} {info.version}, as of {report.as_of.isoformat()})"
    )
    lines = [head + (f"  {source}" if source else ""), "Amounts in rupiah."]
    for payment in report.payments:
        rows = [r for r in report.rows if r.employer == payment.employer]
        if not rows:
            continue
        lines += ["", f"Employer {payment.employer}: {_paid(payment.due, payment.paid_on)}"]
        if payment.months_late:
            plural = "s" if payment.months_late > 1 else ""
            lines[-1] += f", {payment.months_late} month{plural} late"
        lines += [f"  note: {message}" for message in payment.findings]
        table = [["worker", *(title for _, title in _SHOWN)]]
        table += [[r.worker, *(_money(r.to_data()[c]) for c, _ in _SHOWN)] for r in rows]
        totals = report.totals(payment.employer)
        table.append(["total", "", *(_money(totals[c]) for c, _ in _SHOWN[1:])])
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        for row in table:
            cells = [row[0].ljust(widths[0])]
            cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
            lines.append("  " + "  ".join(cells).rstrip())
    totals = report.totals()
    lines += [
        "",
        f"Employer contributions {_money(totals['employer_contributions'])}, "
        f"worker deductions {_money(totals['worker_deductions'])}, "
        f"remitted {_money(totals['contributions_total'])}, "
        f"late surcharge {_money(totals['late_surcharge'])}.",
    ]
    return "\n".join(lines)


def _paid(due: dt.date | None, paid_on: dt.date | None) -> str:
    due_text = f"due {due.isoformat()}" if due else "no due date"
    return f"{due_text}, " + (f"paid {paid_on.isoformat()}" if paid_on else "unpaid")


def _money(value: int | None) -> str:
    return "" if value is None else f"{value:,}"
