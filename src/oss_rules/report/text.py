"""Render a Result as text for people: per workplace, what is required and why, and what
falls due first."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..domains.oss.facts import (
    Action,
    Benefit,
    Classification,
    Deadline,
    Finding,
    Hazard,
    Incident,
    Obligation,
    Workplace,
)
from ..engine.result import Result

# Most urgent first. A deadline that its rule did not judge (status null) is ranked by
# its date alone: overdue when it lies before as_of, else with the ones that are ok.
_URGENCY = {"overdue": 0, "due_soon": 1, "ok": 2}
_LABELS = {"overdue": "  OVERDUE", "due_soon": "  due soon", "ok": ""}


def render_result(result: Result, source: str = "") -> str:
    """The human report of ``result``: hazards, obligations (with reasons), actions,
    findings and deadlines, grouped by workplace."""
    info = result.ruleset
    head = f"{info.id} {info.version} ({info.digest[:19]}) as of {result.as_of.isoformat()}"
    lines = [head + (f"  {source}" if source else "")]
    reasons = _reasons(result)
    workplaces = [f for f in result.given if isinstance(f, Workplace)]
    levels = {(c.workplace, c.hazard): c.level for c in result.of_type(Classification)}
    for workplace in workplaces:
        wid = workplace.id
        lines.append("")
        lines.append(
            f"Workplace {wid} ({workplace.sector}, {workplace.setting}, "
            f"{workplace.headcount} workers; declares {_declared(workplace)})"
        )
        hazards = [h for h in result.given if isinstance(h, Hazard) and h.workplace == wid]
        width = max([len(h.id) for h in hazards] + [6])
        lines.append(f"  Hazards ({len(hazards)})")
        for h in hazards:
            level = levels.get((wid, h.id), "?")
            lines.append(
                f"    {h.id:<{width}} {h.category:<12} "
                f"L{h.likelihood} x S{h.severity} = {h.score:>2}  {level}"
            )
        obligations = [o for o in result.of_type(Obligation) if o.workplace == wid]
        lines += _section(
            "Obligations",
            (
                f"    {o.module if i == 0 else '':<8} {reason}"
                for o in obligations
                for i, reason in enumerate(reasons[o])
            ),
            count=len(obligations),
        )
        lines += _section(
            "Actions",
            (
                f"    {a.hazard:<{width}} {a.code:<20} due {a.due.isoformat()}  {a.control}"
                for a in result.of_type(Action)
                if a.workplace == wid
            ),
        )
        incidents = [i for i in result.given if isinstance(i, Incident) and i.workplace == wid]
        if incidents:
            lines += _section("Incidents", (_incident(i) for i in incidents))
        findings = [f for f in result.of_type(Finding) if f.workplace == wid]
        code_width = max([len(f.code) for f in findings] + [18])
        lines += _section(
            "Findings",
            (
                f"    {f.code:<{code_width}} {f.subject:<{max(width, 15)}} {f.message}"
                for f in findings
            ),
        )
        deadlines = [d for d in result.of_type(Deadline) if d.workplace == wid]
        lines += _section(
            "Deadlines",
            (
                f"    {d.kind:<18} due {d.due.isoformat()}{_LABELS[_status(d, result)]}"
                for d in sorted(deadlines, key=lambda d: _urgency(d, result))
            ),
        )
        benefits = [b for b in result.derived if isinstance(b, Benefit) and b.workplace == wid]
        if benefits:
            lines += _section(
                "Benefits", (f"    {b.incident:<8} {b.kind:<16} {b.basis}" for b in benefits)
            )
    return "\n".join(lines)


def _time(moment: dt.datetime | None) -> str:
    return moment.isoformat(sep=" ", timespec="minutes") if moment else "none"


def _incident(incident: Incident) -> str:
    return (
        f"    {incident.id:<8} {incident.kind:<10} occurred {_time(incident.occurred_at)}, "
        f"medical care {_time(incident.medical_care_at)}, reported {_time(incident.reported_at)}"
    )


def _status(deadline: Deadline, result: Result) -> str:
    """The deadline's status, or for one without, ``overdue`` or ``ok`` by its date."""
    if deadline.status is not None:
        return deadline.status
    return "overdue" if deadline.due < result.as_of else "ok"


def _urgency(deadline: Deadline, result: Result) -> tuple[int, Any, str]:
    """Sort key: overdue first, then due soon, then ok; within each, the earliest date."""
    return (_URGENCY[_status(deadline, result)], deadline.due, deadline.kind)


def _declared(workplace: Workplace) -> str:
    return ", ".join(workplace.declared_modules) or "no module"


def _section(title: str, rows: Iterable[str], count: int | None = None) -> list[str]:
    body = list(rows)
    shown = len(body) if count is None else count
    return [f"  {title} ({shown})", *body] if body else [f"  {title}: none"]


def _reasons(result: Result) -> dict[Any, list[str]]:
    """For each derived fact, one line per rule that derived it, naming its premises."""
    out: dict[Any, list[str]] = defaultdict(list)
    by_rule: dict[tuple[Any, str], list[str]] = defaultdict(list)
    for inference in result.trace:
        names = [_name(p) for p in inference.premises]
        by_rule[(inference.fact, inference.rule)].extend(n for n in names if n)
    for (fact, rule), premises in by_rule.items():
        title = result.rules[rule].title if rule in result.rules else rule
        detail = ", ".join(sorted(set(premises)))
        out[fact].append(f"{title} [{rule}]" + (f" ({detail})" if detail else ""))
    return out


def _name(fact: Any) -> str:
    if isinstance(fact, Hazard):
        return f"{fact.id} {fact.category}"
    kind = type(fact).__name__
    if kind == "Classification":
        return f"{fact.hazard} {fact.category} {fact.level}"
    if isinstance(fact, Workplace):
        return f"setting {fact.setting}"
    if isinstance(fact, Incident):
        return f"{fact.id} {fact.kind} {_time(fact.occurred_at)}"
    return ""
