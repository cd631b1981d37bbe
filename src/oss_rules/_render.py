"""Render a Result as text for people: per workplace, what is required and why."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .facts import Hazard, Workplace
from .result import Result


def render_result(result: Result, source: str = "") -> str:
    """The human report of ``result``: hazards, obligations (with reasons), actions,
    findings and deadlines, grouped by workplace."""
    info = result.ruleset
    head = f"{info.id} {info.version} ({info.digest[:19]}) as of {result.as_of.isoformat()}"
    lines = [head + (f"  {source}" if source else "")]
    reasons = _reasons(result)
    workplaces = [f for f in result.given if isinstance(f, Workplace)]
    levels = {(c.workplace, c.hazard): c.level for c in result.classifications}
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
        obligations = [o for o in result.obligations if o.workplace == wid]
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
                for a in result.actions
                if a.workplace == wid
            ),
        )
        lines += _section(
            "Findings",
            (
                f"    {f.code:<18} {f.subject:<{max(width, 15)}} {f.message}"
                for f in result.findings
                if f.workplace == wid
            ),
        )
        lines += _section(
            "Deadlines",
            (
                f"    {d.kind:<18} due {d.due.isoformat()}"
                + ("  OVERDUE" if d.due < result.as_of else "")
                for d in result.deadlines
                if d.workplace == wid
            ),
        )
    return "\n".join(lines)


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
    return ""
