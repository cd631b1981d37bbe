"""Payroll export: one row per worker and month from the contributions a ruleset derived.

The ``id-bpjstk`` ruleset derives one :class:`~oss_rules.domains.oss.facts.Contribution` per worker,
programme and payer, each already rounded to whole rupiah. The rule language has no
sums over facts, so the totals are added up here, in ``int``: no float and no further
rounding touches the money. The report is available as data, JSON and CSV.

>>> import datetime as dt
>>> from decimal import Decimal
>>> from oss_rules import Contribution
>>> march = dt.date(2026, 3, 1)
>>> lines = [
...     Contribution("w1", "e1", march, "JHT", "employer", 5000000, Decimal("3.7"), 185000),
...     Contribution("w1", "e1", march, "JHT", "worker", 5000000, Decimal("2.0"), 100000),
... ]
>>> row = report_from_facts(lines, month=march, as_of=dt.date(2026, 4, 1)).rows[0]
>>> row.employer_contributions, row.worker_deductions, row.contributions_total
(185000, 100000, 285000)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..._untrusted import csv_line
from ...engine.result import Result
from ...errors import OssRulesError
from .facts import (
    Contribution,
    EmployerFinding,
    JkpAllocation,
    LatePayment,
    PaymentDue,
    Payroll,
    Surcharge,
    Worker,
)

__all__ = [
    "COLUMNS",
    "EMPLOYER_COLUMNS",
    "WORKER_COLUMNS",
    "Payment",
    "PayrollError",
    "PayrollReport",
    "PayrollRow",
    "payroll_report",
    "report_from_facts",
]

EMPLOYER_COLUMNS = ("jkk", "jkm", "jht_employer", "jp_employer", "jkp")
"""Contribution columns the employer pays on top of the wage."""

WORKER_COLUMNS = ("jht_worker", "jp_worker")
"""Contribution columns deducted from the worker's wage."""

_AMOUNTS = (*EMPLOYER_COLUMNS, *WORKER_COLUMNS)
"""One column per contribution line."""

_SUMMED = (
    *_AMOUNTS,
    "jkk_to_jkp",
    "employer_contributions",
    "worker_deductions",
    "contributions_total",
    "late_surcharge",
    "employer_cost",
)
"""The money columns: the ones the totals add up."""

COLUMNS = ("employer", "worker", "name", "workplace", "wage_base", "jp_base", *_SUMMED)
"""The columns of the CSV export, in order (also the keys of a JSON row)."""

_COLUMN_OF = {
    ("JKK", "employer"): "jkk",
    ("JKM", "employer"): "jkm",
    ("JHT", "employer"): "jht_employer",
    ("JP", "employer"): "jp_employer",
    ("JKP", "employer"): "jkp",
    ("JHT", "worker"): "jht_worker",
    ("JP", "worker"): "jp_worker",
}


class PayrollError(OssRulesError, ValueError):
    """The contributions cannot make a payroll: a line the export has no column for, or
    two lines for the same worker, programme and payer (they would be counted twice)."""


@attrs.frozen
class PayrollRow:
    """One worker's contributions for the month, in whole rupiah.

    ``amounts`` maps each of :data:`EMPLOYER_COLUMNS` and :data:`WORKER_COLUMNS` to the
    amount of that line (0 when the worker has none: a programme the employer's scale
    does not require). ``jkk_to_jkp`` is the part of ``jkk`` that BPJS allocates to JKP;
    it is inside ``jkk`` and is not added to any total.
    """

    employer: str
    worker: str
    wage_base: int
    jp_base: int | None
    amounts: Mapping[str, int]
    jkk_to_jkp: int = 0
    late_surcharge: int = 0
    name: str | None = None
    workplace: str | None = None

    @property
    def employer_contributions(self) -> int:
        """What the employer pays for the month on top of the wage."""
        return sum(self.amounts[c] for c in EMPLOYER_COLUMNS)

    @property
    def worker_deductions(self) -> int:
        """What is deducted from the worker's wage."""
        return sum(self.amounts[c] for c in WORKER_COLUMNS)

    @property
    def contributions_total(self) -> int:
        """What is remitted to BPJS for the month: employer contributions plus deductions."""
        return self.employer_contributions + self.worker_deductions

    @property
    def employer_cost(self) -> int:
        """The employer's contributions plus the late-payment surcharge on them."""
        return self.employer_contributions + self.late_surcharge

    def to_data(self) -> dict[str, Any]:
        """The row as JSON-ready data, with the keys of :data:`COLUMNS`."""
        values: dict[str, Any] = {
            "employer": self.employer,
            "worker": self.worker,
            "name": self.name,
            "workplace": self.workplace,
            "wage_base": self.wage_base,
            "jp_base": self.jp_base,
            **{c: self.amounts[c] for c in _AMOUNTS},
            "jkk_to_jkp": self.jkk_to_jkp,
            "employer_contributions": self.employer_contributions,
            "worker_deductions": self.worker_deductions,
            "contributions_total": self.contributions_total,
            "late_surcharge": self.late_surcharge,
            "employer_cost": self.employer_cost,
        }
        return {c: values[c] for c in COLUMNS}


@attrs.frozen
class Payment:
    """When an employer's contributions for the month are due and were paid.

    ``months_late`` is 0 when they were paid on time, or are unpaid and not yet due.
    """

    employer: str
    due: dt.date | None
    paid_on: dt.date | None
    months_late: int
    findings: tuple[str, ...] = ()
    """The ruleset's messages about the employer (an unknown or suggested JKK group)."""

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data: dates as ``YYYY-MM-DD`` or null."""
        return {
            "employer": self.employer,
            "due": self.due.isoformat() if self.due else None,
            "paid_on": self.paid_on.isoformat() if self.paid_on else None,
            "months_late": self.months_late,
            "findings": list(self.findings),
        }


@attrs.frozen
class PayrollReport:
    """The payroll of one contribution month: a row per worker, sorted by employer and
    worker, the payment of each employer, and the totals per employer and overall."""

    month: dt.date
    as_of: dt.date
    rows: tuple[PayrollRow, ...]
    payments: tuple[Payment, ...] = ()

    def totals(self, employer: str | None = None) -> dict[str, int]:
        """The sum of each amount column over the rows (of one employer, if given)."""
        rows = [r for r in self.rows if employer is None or r.employer == employer]
        data = [r.to_data() for r in rows]
        return {c: sum(d[c] for d in data) for c in _SUMMED}

    @property
    def employers(self) -> tuple[str, ...]:
        """The employers with a row, sorted."""
        return tuple(sorted({r.employer for r in self.rows}))

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data: the month, ``as_of``, the rows, and the totals."""
        return {
            "month": self.month.isoformat()[:7],
            "as_of": self.as_of.isoformat(),
            "rows": [r.to_data() for r in self.rows],
            "employers": {e: self.totals(e) for e in self.employers},
            "payments": [p.to_data() for p in self.payments],
            "totals": self.totals(),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """Canonical JSON: amounts are integers (rupiah), keys sorted."""
        return json.dumps(self.to_data(), indent=indent, sort_keys=True, ensure_ascii=False)

    def to_csv(self) -> str:
        """CSV with a header of :data:`COLUMNS`, a row per worker and a last ``TOTAL`` row.

        Empty cells are values that do not apply (no name, no JP base); the total row
        leaves the text and base columns empty. A text cell that a spreadsheet would run
        as a formula (``=...``, ``+``, ``-``, ``@``, tab, carriage return) starts with a
        single quote.
        """
        lines = [csv_line(COLUMNS)]
        for row in self.rows:
            data = row.to_data()
            lines.append(csv_line("" if data[c] is None else data[c] for c in COLUMNS))
        totals = self.totals()
        lines.append(csv_line("TOTAL" if c == "employer" else totals.get(c, "") for c in COLUMNS))
        return "".join(lines)


def payroll_report(result: Result, month: dt.date) -> PayrollReport:
    """The payroll of contribution ``month`` (any day of it) from an evaluation of the
    ``id-bpjstk`` ruleset (or any ruleset that derives its contribution facts)."""
    return report_from_facts((*result.given, *result.conclusions), month=month, as_of=result.as_of)


def report_from_facts(facts: Iterable[Any], *, month: dt.date, as_of: dt.date) -> PayrollReport:
    """The payroll of contribution ``month`` from ``facts``: their ``Contribution``,
    ``JkpAllocation`` and ``Surcharge`` facts, with names and workplaces from ``Worker``
    facts and the payment from ``Payroll``, ``PaymentDue``, ``LatePayment`` and
    ``EmployerFinding`` facts. Raises :class:`PayrollError` for a line counted twice or
    without a column."""
    month = month.replace(day=1)
    facts = tuple(facts)
    workers: dict[str, Worker] = {}
    lines: dict[tuple[str, str], dict[str, Contribution]] = {}
    allocated: dict[tuple[str, str], int] = {}
    surcharged: dict[tuple[str, str], int] = {}
    for fact in facts:
        if isinstance(fact, Worker):
            workers[fact.id] = fact
        elif isinstance(fact, Contribution) and fact.month == month:
            _add_line(lines.setdefault((fact.employer, fact.worker), {}), fact)
        elif isinstance(fact, JkpAllocation) and fact.month == month:
            key = (fact.employer, fact.worker)
            allocated[key] = allocated.get(key, 0) + fact.amount
        elif isinstance(fact, Surcharge) and fact.month == month:
            key = (fact.employer, fact.worker)
            surcharged[key] = surcharged.get(key, 0) + fact.amount
    rows = []
    for (employer, worker_id), by_column in sorted(lines.items()):
        worker = workers.get(worker_id)
        bases = {
            c.base for name, c in by_column.items() if name not in ("jp_employer", "jp_worker")
        }
        jp = [c.base for name, c in by_column.items() if name in ("jp_employer", "jp_worker")]
        rows.append(
            PayrollRow(
                employer=employer,
                worker=worker_id,
                # Every line but JP is on the whole wage base; JP is on the capped one.
                wage_base=max(bases) if bases else max(jp),
                jp_base=max(jp) if jp else None,
                amounts={c: by_column[c].amount if c in by_column else 0 for c in _AMOUNTS},
                jkk_to_jkp=allocated.get((employer, worker_id), 0),
                late_surcharge=surcharged.get((employer, worker_id), 0),
                name=worker.name if worker else None,
                workplace=worker.workplace if worker else None,
            )
        )
    return PayrollReport(
        month=month, as_of=as_of, rows=tuple(rows), payments=_payments(facts, month)
    )


def _payments(facts: tuple[Any, ...], month: dt.date) -> tuple[Payment, ...]:
    due: dict[str, dt.date] = {}
    paid: dict[str, list[dt.date]] = {}
    late: dict[str, int] = {}
    findings: dict[str, list[str]] = {}
    for fact in facts:
        if isinstance(fact, EmployerFinding):
            findings.setdefault(fact.employer, []).append(fact.message)
        elif getattr(fact, "month", None) != month:
            continue
        elif isinstance(fact, PaymentDue):
            due[fact.employer] = fact.due
        elif isinstance(fact, Payroll):
            paid.setdefault(fact.employer, [])
            if fact.paid_on is not None:
                paid[fact.employer].append(fact.paid_on)
        elif isinstance(fact, LatePayment):
            late[fact.employer] = fact.months_late
    # As in the ruleset, the latest payment date of a month counts.
    return tuple(
        Payment(
            e,
            due.get(e),
            max(paid[e], default=None),
            late.get(e, 0),
            tuple(sorted(findings.get(e, ()))),
        )
        for e in sorted(paid)
    )


def _add_line(by_column: dict[str, Contribution], line: Contribution) -> None:
    column = _COLUMN_OF.get((line.programme, line.payer))
    if column is None:
        raise PayrollError(
            f"{line!r}: no payroll column for {line.programme} paid by the {line.payer}; "
            f"the columns are {', '.join(_AMOUNTS)}"
        )
    if column in by_column:
        raise PayrollError(
            f"two {line.programme} lines paid by the {line.payer} for worker "
            f"{line.worker!r} in {line.month.isoformat()[:7]}: {by_column[column]!r} and "
            f"{line!r}; a ruleset must derive one line per worker, programme and payer"
        )
    by_column[column] = line
