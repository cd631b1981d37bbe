"""The text sections of the domains built on OSS: the K3 duties, and the BPJS
Ketenagakerjaan payroll of each month, as tables instead of lists of facts.

Each section takes a Result and gives the kinds of conclusion it shows with its
renderables, or ``None`` when the result has nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import RenderableType
from rich.text import Text

from ..domains.bpjstk.facts import Contribution, EmployerFinding
from ..domains.bpjstk.payroll import Payment, PayrollReport, payroll_report
from ..domains.k3.facts import K3Requirement
from ..engine.result import Result
from ._console import heading, indented, plain, table, when

__all__ = ["DOMAIN_SECTIONS", "PAYROLL_KINDS", "payroll_parts"]

Section = Callable[[Result], "tuple[set[str], list[RenderableType]] | None"]

PAYROLL_KINDS = {
    "Contribution",
    "JkpAllocation",
    "Surcharge",
    "PaymentDue",
    "LatePayment",
    "EmployerFinding",
}
"""The conclusions a payroll table shows (in its cells, notes and payment lines)."""

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
"""Payroll columns shown as text, with their headers."""


def k3_duties(result: Result) -> tuple[set[str], list[RenderableType]] | None:
    """What enacted K3 law requires of each employer and workplace."""
    duties = result.of_type(K3Requirement)
    if not duties:
        return None
    rows: list[Sequence[str | Text]] = [
        [
            Text(plain(result.title(d, "code")), style="yellow"),
            d.employer or "",
            d.workplace or "",
            _required(d),
            d.basis,
            d.note,
        ]
        for d in duties
    ]
    headers = ["duty", "employer", "workplace", "required", "basis", "note"]
    return {"K3Requirement"}, [
        Text(""),
        heading("K3 duties", len(duties), indent=0),
        table(headers, rows, indent=2),
    ]


def _required(duty: K3Requirement) -> str:
    if duty.quantity is not None:
        return f"{duty.quantity:,}"
    return f"kit {duty.kit}" if duty.kit else ""


def payroll(result: Result) -> tuple[set[str], list[RenderableType]] | None:
    """The contributions of each month the result has, per employer and worker."""
    months = sorted({c.month for c in result.of_type(Contribution)})
    if not months:
        return None
    parts: list[RenderableType] = []
    noted: set[str | None] = set()
    for month in months:
        report = payroll_report(result, month)
        noted |= {p.employer for p in report.payments}
        parts += [Text(""), heading(f"Contributions for {when(month)[:7]}", indent=0)]
        parts += payroll_parts(report)
    # A finding about an employer with no payroll on record has no payment line to be a
    # note of: it is then left to the table of its kind.
    unnoted = any(f.employer not in noted for f in result.of_type(EmployerFinding))
    return PAYROLL_KINDS - ({"EmployerFinding"} if unnoted else set()), parts


def payroll_parts(report: PayrollReport) -> list[RenderableType]:
    """The payroll as a table per employer, with the payment and the totals, in rupiah."""
    parts: list[RenderableType] = [Text("Amounts in rupiah.")]
    payments = {p.employer: p for p in report.payments}
    for employer in report.employers:
        rows = [r for r in report.rows if r.employer == employer]
        payment = payments.get(employer)
        line = Text("\n")
        line.append(f"Employer {plain(employer)}", style="bold cyan")
        line.append(": ")
        line.append(_paid(payment))
        parts.append(line)
        parts += [indented(Text("note: " + plain(message)), 2) for message in _notes(payment)]
        cells: list[Sequence[str | Text]] = [
            [r.worker, *(_money(r.to_data()[c]) for c, _ in _SHOWN)] for r in rows
        ]
        totals = report.totals(employer)
        cells.append([Text("total", style="bold"), "", *(_money(totals[c]) for c, _ in _SHOWN[1:])])
        numeric = range(1, len(_SHOWN) + 1)
        headers = ["worker", *(t for _, t in _SHOWN)]
        parts.append(table(headers, cells, numeric=numeric, indent=2, gap=1))
    totals = report.totals()
    parts += [
        Text(""),
        Text(
            f"Totals: employer {_money(totals['employer_contributions'])}, "
            f"deducted {_money(totals['worker_deductions'])}, "
            f"remitted {_money(totals['contributions_total'])}, "
            f"late surcharge {_money(totals['late_surcharge'])}."
        ),
    ]
    return parts


def _notes(payment: Payment | None) -> tuple[str, ...]:
    return payment.findings if payment else ()


def _paid(payment: Payment | None) -> Text:
    if payment is None:
        return Text("no payroll on record for the month")
    due = f"due {when(payment.due)}" if payment.due else "no due date"
    text = Text(f"{due}, ")
    if payment.paid_on:
        text.append(f"paid {when(payment.paid_on)}")
    else:
        text.append("unpaid", style="red" if payment.months_late else "")
    if payment.months_late:
        plural = "s" if payment.months_late > 1 else ""
        text.append(f", {payment.months_late} month{plural} late", style="bold red")
    return text


def _money(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


DOMAIN_SECTIONS: tuple[Section, ...] = (k3_duties, payroll)
"""The sections :func:`~oss_rules.report.text.result_parts` adds after the workplaces."""
