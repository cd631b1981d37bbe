"""Facts of BPJS Ketenagakerjaan payroll: workers, pay months, and the contributions owed.

The input is a :class:`Worker` per employee and a :class:`Payroll` per employer and
contribution month (saying when it was paid, if it was). The ``id-bpjstk`` ruleset
derives the rest: each worker's wage base, the JKK risk group and rate, one
:class:`Contribution` per programme and payer, the payment due date, and the late
payment with its surcharge. Money is whole rupiah (``int``); rates are exact
:class:`~decimal.Decimal` percentages (``0.24`` is 0.24 %), never floats.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from ...model._fields import Boolean, Choice, Day, Integer, Month, Number, Optional, Text, field
from ..oss._employer import JKK_GROUPS

__all__ = [
    "FINDING_CODES",
    "PAYERS",
    "PROGRAMMES",
    "WAGE_TYPES",
    "Contribution",
    "EmployerFinding",
    "JkkDiscount",
    "JkkGroup",
    "JkkRate",
    "JkpAllocation",
    "LatePayment",
    "PaymentDue",
    "Payroll",
    "RequiredProgramme",
    "SectorGroup",
    "Surcharge",
    "WageBase",
    "Worker",
]

WAGE_TYPES = ("monthly", "daily", "piece")
"""How a worker is paid; it decides the monthly wage base (BPJS letter B/11003/112020)."""

PROGRAMMES = ("JKK", "JKM", "JHT", "JP", "JKP")
"""The BPJS Ketenagakerjaan programmes: work injury, death, old-age savings, pension,
job loss."""

PAYERS = ("employer", "worker")
"""Who bears a contribution line: the employer's cost, or a deduction from the wage."""

FINDING_CODES = (
    "jkk_group_unknown",
    "jkk_group_from_sector",
    "jp_cap_unknown",
    "payroll_repeated",
    "wage_below_minimum",
)
"""What an :class:`EmployerFinding` can report."""

_ID = Text(ident=True)
_MONEY = Integer(0)
_WAGE = Integer(1)
_RATE = Number()
_GROUP_BASES = ("bpjs", "sector")


@attrs.frozen
class Worker:
    """An employee enrolled with BPJS Ketenagakerjaan, and the wage the contributions are on.

    ``basic_wage`` depends on ``wage_type``: the monthly basic wage (``monthly``), the
    daily wage (``daily``; the ruleset multiplies it by 25), or the average monthly wage
    of the last 3 months, computed by the payroll system (``piece``; 12 months for
    weather-dependent piece work). All amounts are whole rupiah.
    """

    id: str = field(_ID)
    employer: str = field(_ID, references="Employer")
    basic_wage: int = field(_WAGE)
    """At least Rp1: a wage of zero or less is an input error, not a row of zeros."""
    wage_type: str = field(Choice(WAGE_TYPES), default="monthly")
    fixed_allowances: int = field(_MONEY, default=0)
    """Monthly allowances paid regardless of attendance (tunjangan tetap)."""
    jkp: bool = field(Boolean(), default=False)
    """Enrolled in JKP (job-loss insurance)."""
    workplace: str | None = field(Optional(_ID), default=None, references="Workplace")
    name: str | None = field(Optional(Text()), default=None)


@attrs.frozen
class Payroll:
    """One employer's contributions for one month: when they were paid, if they were."""

    employer: str = field(_ID, references="Employer")
    month: dt.date = field(Month())
    paid_on: dt.date | None = field(Optional(Day()), default=None)


@attrs.frozen
class WageBase:
    """The monthly wage a worker's contributions are computed on, in whole rupiah."""

    worker: str = field(_ID)
    employer: str = field(_ID)
    base: int = field(_MONEY)


@attrs.frozen
class JkkGroup:
    """An employer's JKK risk group: as BPJS set it, or suggested from its sector."""

    employer: str = field(_ID)
    group: str = field(Choice(JKK_GROUPS))
    basis: str = field(Choice(_GROUP_BASES))


@attrs.frozen
class SectorGroup:
    """The JKK risk group the sector table suggests for an employer's sector, or
    ``none`` when the sector is in no row of the table."""

    employer: str = field(_ID)
    sector: str = field(Text())
    group: str = field(Choice((*JKK_GROUPS, "none")))


@attrs.frozen
class RequiredProgramme:
    """A programme the employer must enrol its workers in (by business scale)."""

    employer: str = field(_ID)
    programme: str = field(Choice(PROGRAMMES))


@attrs.frozen
class JkkDiscount:
    """The employer gets the labour-intensive JKK discount for this contribution month."""

    employer: str = field(_ID)
    month: dt.date = field(Month())


@attrs.frozen
class JkkRate:
    """The JKK rate, in percent of the wage, an employer pays for one contribution month."""

    employer: str = field(_ID)
    month: dt.date = field(Month())
    group: str = field(Choice(JKK_GROUPS))
    rate: Decimal = field(_RATE)
    discounted: bool = field(Boolean())


@attrs.frozen
class Contribution:
    """One contribution line: a worker's programme for a month, borne by one payer.

    ``amount`` = ``round(base * rate / 100)``, rounded half away from zero to whole rupiah.
    """

    worker: str = field(_ID)
    employer: str = field(_ID)
    month: dt.date = field(Month())
    programme: str = field(Choice(PROGRAMMES))
    payer: str = field(Choice(PAYERS))
    base: int = field(_MONEY)
    """The wage the rate applies to (capped for JP)."""
    rate: Decimal = field(_RATE)
    """Percent of ``base``: ``0.24`` is 0.24 %."""
    amount: int = field(_MONEY)


@attrs.frozen
class JkpAllocation:
    """The part of a JKP participant's JKK contribution that BPJS allocates to JKP.

    It is inside the JKK amount, not added to it: the employer pays the JKK line only.
    """

    worker: str = field(_ID)
    employer: str = field(_ID)
    month: dt.date = field(Month())
    base: int = field(_MONEY)
    rate: Decimal = field(_RATE)
    amount: int = field(_MONEY)


@attrs.frozen
class PaymentDue:
    """The last day to pay an employer's contributions for a month."""

    employer: str = field(_ID)
    month: dt.date = field(Month())
    due: dt.date = field(Day())


@attrs.frozen
class LatePayment:
    """A finding: a month's contributions were paid after their due date, or are unpaid
    and overdue on ``as_of`` (``paid_on`` null); ``months_late`` counts each started
    month after the due date."""

    employer: str = field(_ID)
    month: dt.date = field(Month())
    due: dt.date = field(Day())
    months_late: int = field(Integer(1))
    paid_on: dt.date | None = field(Optional(Day()), default=None)


@attrs.frozen
class Surcharge:
    """The late-payment surcharge on one contribution line, borne by the employer.

    ``amount`` = ``round(contribution * rate / 100 * months_late)``.
    """

    worker: str = field(_ID)
    employer: str = field(_ID)
    month: dt.date = field(Month())
    programme: str = field(Choice(PROGRAMMES))
    payer: str = field(Choice(PAYERS))
    """The payer of the contribution line it is on; the surcharge is the employer's."""
    contribution: int = field(_MONEY)
    rate: Decimal = field(_RATE)
    """Percent of the contribution per month late."""
    months_late: int = field(Integer(1))
    amount: int = field(_MONEY)


@attrs.frozen
class EmployerFinding:
    """A problem with an employer's BPJS data: ``code`` says which."""

    employer: str = field(_ID)
    code: str = field(Choice(FINDING_CODES))
    message: str = field(Text(empty=True), default="")


TYPES: tuple[type, ...] = (
    Worker,
    Payroll,
    WageBase,
    SectorGroup,
    JkkGroup,
    RequiredProgramme,
    JkkDiscount,
    JkkRate,
    Contribution,
    JkpAllocation,
    PaymentDue,
    LatePayment,
    Surcharge,
    EmployerFinding,
)
"""The BPJS Ketenagakerjaan domain's fact types, in registration order."""
