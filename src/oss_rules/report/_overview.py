"""The portfolio overview that opens the report: every workplace and employer in one
table with its status, and the heat map of all hazards."""

from __future__ import annotations

from collections.abc import Sequence

from ._context import Context
from ._html import esc, table, tag
from ._matrix import hazards_of, heat_map, legend
from ._portfolio import Subject
from ._status import Status


def overview_table(subjects: Sequence[Subject], statuses: Sequence[Status]) -> str:
    """One row per subject: where it is, whether it needs attention, its modules,
    findings, overdue actions and deadlines, next deadline and high-risk hazards."""
    rows = []
    for subject, status in zip(subjects, statuses, strict=True):
        attention = status.needs_attention
        verdict = tag(
            "span",
            "needs attention" if attention else "in order",
            class_="badge attention" if attention else "badge ok",
        )
        if status.required:
            modules = f"{len(status.required)} / {len(status.declared)}"
            if status.missing:
                modules += " (missing " + ", ".join(status.missing) + ")"
        else:
            modules = ""
        total = sum(status.findings.values())
        split = ", ".join(f"{n} {r}" for r, n in sorted(status.findings.items()))
        findings = str(total) + (f" ({split})" if total else "")
        upcoming = ""
        if status.next_deadline is not None:
            due, kind, state = status.next_deadline
            upcoming = f"{due.isoformat()} {kind} ({state.replace('_', ' ')})"
        high = f"{status.high_hazards} of {status.hazards}" if status.hazards else ""
        rows.append(
            [
                tag("a", esc(subject.label), href=f"#{subject.anchor}")
                + tag("div", esc(subject.source), class_="source"),
                verdict,
                esc(modules),
                esc(findings),
                _count(status.overdue_actions),
                _count(status.overdue_deadlines),
                esc(upcoming),
                esc(high),
            ]
        )
    headers = (
        "workplace or employer",
        "status",
        "modules required / declared",
        "findings",
        "overdue actions",
        "overdue deadlines",
        "next deadline",
        "high-risk hazards",
    )
    return table(headers, rows, class_="overview", numeric=(4, 5))


def _count(n: int) -> str:
    return tag("span", str(n), class_="status-overdue") if n else "0"


def portfolio_heat_map(subjects: Sequence[Subject], ctx: Context) -> str:
    """Hazards per cell across every workplace, on the bands of the first ruleset that
    has them; nothing when the inputs hold no hazard."""
    hazards = hazards_of(h for s in subjects for h in s.given("Hazard"))
    if not hazards:
        return ""
    lens, ruleset = None, None
    for subject in subjects:
        for share in subject.shares:
            found = ctx.lens(share.result)
            if found.bands is not None and lens is None:
                lens, ruleset = found, share.result.ruleset.id
    bands = lens.bands if lens is not None else None
    return heat_map(hazards, bands, ruleset) + legend(bands, heat=True)
