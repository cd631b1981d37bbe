"""Registration submissions: the payload that registers a workplace's required OSS modules.

Step 3 of the source: once an evaluation says which modules a workplace must run, the
employer registers them with the social-security operator. :func:`build_submission`
turns a :class:`~oss_rules.engine.result.Result` into that payload, checked first: every
problem (a missing NIB, a malformed NPWP, a module the risk assessment does not back,
a date after the evaluation date) is reported at once, each with its field path.

>>> import datetime as dt
>>> import oss_rules
>>> from oss_rules import Employer, Hazard, Workplace
>>> facts = [
...     Employer(id="acme", name="PT Acme", scale="small", nib="1234567890123",
...              npwp="0123456789012345", bpjstk_number="12345678",
...              address="Jl. Sudirman 1, Jakarta"),
...     Workplace(id="w1", sector="retail", setting="office", headcount=8,
...               last_assessment=dt.date(2026, 3, 1), employer="acme"),
...     Hazard(id="h1", workplace="w1", category="ergonomic", likelihood=3, severity=2),
... ]
>>> result = oss_rules.Engine(oss_rules.load_default()).evaluate(facts, as_of=dt.date(2026, 6, 30))
>>> submission = build_submission(result, "w1", "acme")
>>> submission.modules
('OSS-I',)
>>> submission.payments[0].due
datetime.date(2026, 7, 15)
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import attrs

from ...engine.result import Result
from ...errors import Problem, SubmissionError
from ._employer import Employer
from ._submission_checks import assessment_problems, date_problems, employer_problems
from ._submission_duties import RESPONSIBILITIES, Responsibility
from ._submission_lookup import find_employer, find_workplace, given
from ._vocabulary import LEVELS
from .facts import Action, Classification, Hazard, Obligation, Workplace

__all__ = [
    "PAYMENT_DAY",
    "Payment",
    "PlannedAction",
    "Problem",
    "Responsibility",
    "RiskSummary",
    "Submission",
    "SubmissionError",
    "build_submission",
    "payment_schedule",
]

PAYMENT_DAY = 15
"""Monthly BPJS Ketenagakerjaan contributions are due on this day of the following month
(PP 44/2015). A due date on a holiday moves to the next working day; holidays are not
modelled, so the schedule gives the 15th."""


@attrs.frozen
class RiskSummary:
    """The risk assessment in numbers: when it was made and its hazards by level and category."""

    assessed_on: dt.date
    hazards: int
    by_level: tuple[tuple[str, int], ...]
    """``(level, count)`` for every level, lowest first, zeros included."""
    by_category: tuple[tuple[str, int], ...]
    """``(category, count)`` for each category present, alphabetically."""


@attrs.frozen
class PlannedAction:
    """One preventive action of the plan: the hazard, its control, and its due date."""

    hazard: str
    code: str
    control: str
    due: dt.date


@attrs.frozen
class Payment:
    """One month's contributions and the date they are due."""

    contribution_month: dt.date
    """The first day of the month the contributions are for."""
    due: dt.date


@attrs.frozen
class Submission:
    """The validated registration payload of one workplace's required modules."""

    submitted_on: dt.date
    as_of: dt.date
    ruleset: tuple[str, str, str]
    """``(id, version, digest)`` of the ruleset that decided the modules."""
    employer: Employer
    workplace: Workplace
    modules: tuple[str, ...]
    risk_assessment: RiskSummary
    actions: tuple[PlannedAction, ...]
    payments: tuple[Payment, ...]
    responsibilities: tuple[Responsibility, ...]

    def to_data(self) -> dict[str, Any]:
        """The payload as JSON-ready data (see :meth:`to_json`)."""
        boss, site, risk = self.employer, self.workplace, self.risk_assessment
        return {
            "submitted_on": self.submitted_on.isoformat(),
            "as_of": self.as_of.isoformat(),
            "ruleset": dict(zip(("id", "version", "digest"), self.ruleset, strict=True)),
            "employer": {
                "id": boss.id,
                "name": boss.name,
                "scale": boss.scale,
                "nib": boss.nib,
                "npwp": boss.npwp,
                "bpjstk_number": boss.bpjstk_number,
                "address": boss.address,
            },
            "workplace": {
                "id": site.id,
                "sector": site.sector,
                "setting": site.setting,
                "headcount": site.headcount,
            },
            "modules": list(self.modules),
            "risk_assessment": {
                "assessed_on": risk.assessed_on.isoformat(),
                "hazards": risk.hazards,
                "by_level": dict(risk.by_level),
                "by_category": dict(risk.by_category),
            },
            "actions": [
                {"hazard": a.hazard, "code": a.code, "control": a.control, "due": a.due.isoformat()}
                for a in self.actions
            ],
            "payments": [
                {
                    "contribution_month": p.contribution_month.isoformat()[:7],
                    "due": p.due.isoformat(),
                }
                for p in self.payments
            ],
            "responsibilities": [
                {"module": r.module, "text": r.text, "source": r.source}
                for r in self.responsibilities
            ],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """Canonical JSON with sorted keys: the same submission gives the same bytes."""
        return json.dumps(self.to_data(), indent=indent, sort_keys=True, ensure_ascii=False)


def payment_schedule(start: dt.date, months: int = 12) -> tuple[Payment, ...]:
    """The contributions of ``months`` months from ``start``'s month, each due on the 15th
    of the following month.

    >>> [str(p.due) for p in payment_schedule(dt.date(2026, 11, 20), 3)]
    ['2026-12-15', '2027-01-15', '2027-02-15']
    """
    first = start.year * 12 + start.month - 1
    return tuple(
        Payment(_month(first + i), _month(first + i + 1).replace(day=PAYMENT_DAY))
        for i in range(months)
    )


def _month(index: int) -> dt.date:
    """The first day of month number ``index`` (year * 12 + month - 1)."""
    return dt.date(index // 12, index % 12 + 1, 1)


def build_submission(
    result: Result,
    workplace: Workplace | str,
    employer: Employer | str | None = None,
    *,
    submitted_on: dt.date | None = None,
) -> Submission:
    """The registration payload of ``workplace``'s required modules, validated.

    ``workplace`` and ``employer`` are fact objects or ids of facts given to the
    evaluation; without ``employer``, the workplace's ``employer`` is used.
    ``submitted_on`` defaults to the evaluation date. The required modules are the
    workplace's ``Obligation`` facts in ``result``, derived or given.

    Raises :class:`~oss_rules.errors.SubmissionError` listing every problem at once.
    """
    day = submitted_on if submitted_on is not None else result.as_of
    problems: list[Problem] = []
    site = find_workplace(result, workplace, problems)
    boss = find_employer(result, site, employer, problems)
    if boss is not None:
        problems += employer_problems(boss, day)
    if site is None:  # nothing but the employer given can be checked without it
        raise SubmissionError(problems)
    # An app may give obligations it decided elsewhere; they bind as much as derived ones.
    obligations = (*result.of_type(Obligation), *given(result, Obligation))
    modules = tuple(sorted({o.module for o in obligations if o.workplace == site.id}))
    hazards = [h for h in given(result, Hazard) if h.workplace == site.id]
    problems += assessment_problems(result, site, modules)
    problems += date_problems(result.as_of, site, hazards, day)
    if problems:
        raise SubmissionError(problems)
    assert boss is not None and site.last_assessment is not None  # else a problem above
    return Submission(
        submitted_on=day,
        as_of=result.as_of,
        ruleset=(result.ruleset.id, result.ruleset.version, result.ruleset.digest),
        employer=boss,
        workplace=site,
        modules=modules,
        risk_assessment=_summary(result, site.id, site.last_assessment),
        actions=tuple(
            sorted(
                (
                    PlannedAction(a.hazard, a.code, a.control, a.due)
                    for a in result.of_type(Action)
                    if a.workplace == site.id
                ),
                key=lambda a: (a.due, a.hazard, a.code, a.control),
            )
        ),
        payments=payment_schedule(day),
        responsibilities=tuple(r for r in RESPONSIBILITIES if r.module in modules),
    )


def _summary(result: Result, site: str, assessed_on: dt.date) -> RiskSummary:
    mine = [c for c in result.of_type(Classification) if c.workplace == site]
    levels = Counter(c.level for c in mine)
    categories = Counter(c.category for c in mine)
    return RiskSummary(
        assessed_on=assessed_on,
        hazards=len(mine),
        by_level=tuple((level, levels[level]) for level in LEVELS),
        by_category=tuple(sorted(categories.items())),
    )
