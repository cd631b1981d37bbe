"""Render a Result as text for people: per workplace, what is required and why, and what
falls due first; then the duties and payroll of the other domains, as tables.

Findings and duties show the titles their ruleset gives their codes (``titles:``), the
kinds it calls internal (``internal:``, steps of proofs) are left out, messages wrap to
the width of the :class:`~oss_rules.report._console.Look`, dates read ``2026-03-05`` and
date-times ``2026-03-05 09:00``, and a section with nothing in it is left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from rich.console import RenderableType
from rich.text import Text

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
from ._console import PLAIN, Look, heading, kind_table, plain, render, table, when
from ._text_domains import DOMAIN_SECTIONS

__all__ = ["render_result", "result_parts"]

# Most urgent first. A deadline that its rule did not judge (status null) is ranked by
# its date alone: overdue when it lies before as_of, else with the ones that are ok.
_URGENCY = {"overdue": 0, "due_soon": 1, "ok": 2}
_STATUS = {
    "overdue": Text("OVERDUE", style="bold red"),
    "due_soon": Text("due soon", style="yellow"),
    "ok": Text(""),
}
_LEVEL_STYLE = {"high": "red", "medium": "yellow", "low": "green"}

_SHOWN = {"Classification", "Obligation", "Action", "Finding", "Deadline", "Benefit"}
"""Derived kinds the workplace sections show."""


def render_result(
    result: Result,
    source: str = "",
    *,
    look: Look = PLAIN,
    others: bool = True,
) -> str:
    """The human report of ``result`` as text: see :func:`result_parts`."""
    return render(result_parts(result, source, others=others), look)


def result_parts(result: Result, source: str = "", *, others: bool = True) -> list[RenderableType]:
    """The report of ``result``: a head line, then per workplace its hazards,
    obligations (with reasons), actions, incidents, findings, deadlines and benefits;
    then the other domains' sections (K3 duties, payroll); then, with ``others``, a table
    per kind of conclusion none of them shows (the ruleset's internal kinds left out).
    """
    info = result.ruleset
    head = Text(f"{info.id} {info.version} ({info.digest[:19]}) as of {when(result.as_of)}")
    head.stylize("bold")
    if source:
        head.append("  " + plain(source))
    parts: list[RenderableType] = [head]
    for workplace in (f for f in result.given if isinstance(f, Workplace)):
        parts += _workplace(result, workplace)
    shown = set(_SHOWN)
    for section in DOMAIN_SECTIONS:
        found = section(result)
        if found is not None:
            kinds, renderables = found
            shown |= kinds
            parts += renderables
    if others:
        parts += _others(result, shown)
    return parts


def _workplace(result: Result, workplace: Workplace) -> Iterator[RenderableType]:
    wid = workplace.id
    line = Text("\n")
    line.append(f"Workplace {plain(wid)}", style="bold cyan")
    line.append(
        plain(
            f": {workplace.sector}, {workplace.setting}, {workplace.headcount:,} workers; "
            f"declares {', '.join(workplace.declared_modules) or 'no module'}"
        )
    )
    yield line
    levels = {(c.workplace, c.hazard): c.level for c in result.of_type(Classification)}
    hazards = [h for h in result.given if isinstance(h, Hazard) and h.workplace == wid]
    if hazards:
        yield heading("Hazards", len(hazards))
        yield table(
            ["hazard", "category", "likelihood", "severity", "score", "level"],
            (
                [
                    h.id,
                    h.category,
                    str(h.likelihood),
                    str(h.severity),
                    str(h.score),
                    _level(levels.get((wid, h.id), "?")),
                ]
                for h in hazards
            ),
            numeric=[2, 3, 4],
        )
    obligations = [o for o in result.of_type(Obligation) if o.workplace == wid]
    if obligations:
        reasons = _reasons(result)
        yield heading("Obligations", len(obligations))
        yield table(
            ["module", "because"],
            (
                [o.module if i == 0 else "", reason]
                for o in obligations
                for i, reason in enumerate(reasons[o])
            ),
        )
    actions = [a for a in result.of_type(Action) if a.workplace == wid]
    if actions:
        yield heading("Actions", len(actions))
        yield table(
            ["hazard", "action", "due", "control"],
            ([a.hazard, a.code, _due(a.due, result), a.control] for a in actions),
        )
    incidents = [i for i in result.given if isinstance(i, Incident) and i.workplace == wid]
    if incidents:
        yield heading("Incidents", len(incidents))
        yield table(
            ["incident", "kind", "occurred", "medical care", "reported"],
            (
                [i.id, i.kind, when(i.occurred_at), when(i.medical_care_at), when(i.reported_at)]
                for i in incidents
            ),
        )
    findings = [f for f in result.of_type(Finding) if f.workplace == wid]
    if findings:
        yield heading("Findings", len(findings))
        yield table(
            ["finding", "subject", "message"],
            _titled(findings, result),
        )
    deadlines = [d for d in result.of_type(Deadline) if d.workplace == wid]
    if deadlines:
        yield heading("Deadlines", len(deadlines))
        yield table(
            ["deadline", "due", "status"],
            (
                [d.kind, when(d.due), _STATUS[_status(d, result)]]
                for d in sorted(deadlines, key=lambda d: _urgency(d, result))
            ),
        )
    benefits = [b for b in result.derived if isinstance(b, Benefit) and b.workplace == wid]
    if benefits:
        yield heading("Benefits", len(benefits))
        yield table(
            ["incident", "benefit", "basis"],
            ([b.incident, b.kind, b.basis] for b in benefits),
        )


def _titled(findings: list[Finding], result: Result) -> Iterator[list[str | Text]]:
    """One row per finding, its title written once for a run of the same code."""
    previous = None
    for f in findings:
        title = result.title(f, "code") if f.code != previous else ""
        previous = f.code
        yield [Text(plain(title), style="yellow"), f.subject, f.message]


def _others(result: Result, hidden: set[str]) -> Iterator[RenderableType]:
    groups: dict[str, list[Any]] = {}
    for fact in result.shown:
        name = type(fact).__name__
        if name not in hidden:
            groups.setdefault(name, []).append(fact)
    for name, facts in sorted(groups.items()):
        yield Text("")
        yield heading(name, len(facts), indent=0)
        yield kind_table(facts, result.registry, indent=2)


def _level(level: str) -> Text:
    return Text(plain(level), style=_LEVEL_STYLE.get(level, ""))


def _due(due: Any, result: Result) -> Text:
    return Text(when(due), style="red" if due < result.as_of else "")


def _status(deadline: Deadline, result: Result) -> str:
    """The deadline's status, or for one without, ``overdue`` or ``ok`` by its date."""
    if deadline.status is not None:
        return deadline.status
    return "overdue" if deadline.due < result.as_of else "ok"


def _urgency(deadline: Deadline, result: Result) -> tuple[int, Any, str]:
    """Sort key: overdue first, then due soon, then ok; within each, the earliest date."""
    return (_URGENCY[_status(deadline, result)], deadline.due, deadline.kind)


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
        return f"{fact.id} {fact.kind} {when(fact.occurred_at)}"
    return ""
