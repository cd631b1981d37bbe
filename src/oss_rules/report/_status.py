"""A subject's status at a glance: modules required and declared, findings, overdue
actions and deadlines, the next deadline, and how many hazards are high; shared by the
portfolio overview and each subject's section."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import attrs

from ._portfolio import Subject

URGENCY = ("overdue", "due_soon", "ok")
"""Deadline statuses, most urgent first; any other status sorts after them."""


def deadline_status(deadline: Any, as_of: dt.date) -> str:
    """The deadline's own ``status`` field when its type has one; otherwise only what
    the dates say for certain: ``overdue`` before ``as_of``, else ``not due``."""
    status = getattr(deadline, "status", None)
    if status is not None:
        return str(status)
    return "overdue" if deadline.due < as_of else "not due"


def urgency(status: str) -> int:
    """The rank of a deadline status: 0 for overdue, then due soon, ok, others."""
    return URGENCY.index(status) if status in URGENCY else len(URGENCY)


def when(day: dt.date, as_of: dt.date) -> str:
    """How far ``day`` lies from ``as_of``, in words that do not judge: ``today``,
    ``in 3 days``, ``12 days ago``."""
    days = (day - as_of).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


@attrs.frozen
class Status:
    """The numbers an auditor looks at first."""

    required: tuple[str, ...]
    declared: tuple[str, ...]
    findings: Counter[str]
    """Findings by ruleset id."""
    overdue_actions: int
    overdue_deadlines: int
    next_deadline: tuple[dt.date, str, str] | None
    """(due, kind, status) of the most urgent open deadline."""
    high_hazards: int
    hazards: int

    @property
    def missing(self) -> tuple[str, ...]:
        """Required modules not declared."""
        return tuple(m for m in self.required if m not in self.declared)

    @property
    def needs_attention(self) -> bool:
        """Whether anything is open: a finding, an overdue action or deadline, a
        missing module."""
        return bool(
            sum(self.findings.values())
            or self.overdue_actions
            or self.overdue_deadlines
            or self.missing
        )


def status_of(subject: Subject) -> Status:
    """The status of ``subject`` across every ruleset that ran on it."""
    required = sorted({o.module for _, o in subject.conclusions("Obligation")})
    declared = tuple(getattr(subject.fact, "declared_modules", ()) or ())
    findings: Counter[str] = Counter()
    for result, _ in subject.conclusions("Finding", "EmployerFinding"):
        findings[result.ruleset.id] += 1
    overdue_actions = sum(1 for r, a in subject.conclusions("Action") if a.due < r.as_of)
    deadlines = [
        (urgency(deadline_status(d, r.as_of)), d.due, str(getattr(d, "kind", "")), r, d)
        for r, d in subject.conclusions("Deadline")
    ]
    overdue = sum(1 for u, *_ in deadlines if u == 0)
    first = min(deadlines, key=lambda item: item[:3], default=None)
    next_deadline = (
        (first[1], first[2], deadline_status(first[4], first[3].as_of)) if first else None
    )
    high = {c.hazard for _, c in subject.conclusions("Classification") if c.level == "high"}
    return Status(
        required=tuple(required),
        declared=declared,
        findings=findings,
        overdue_actions=overdue_actions,
        overdue_deadlines=overdue,
        next_deadline=next_deadline,
        high_hazards=len(high),
        hazards=len(subject.given("Hazard")),
    )
