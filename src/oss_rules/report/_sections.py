"""The sections of the audit report built from a Result's own kinds of conclusion:
obligations with their proofs and citations, the action plan, deadlines and findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from ..domains.oss.facts import Action, Deadline, Finding, Obligation
from ..engine.result import Proof, Result, show_fact
from ._html import esc, fact_fields, show, table, tag

URGENCY = ("overdue", "due_soon", "ok")
"""Deadline statuses, most urgent first; any other status sorts after them."""


def proof_html(proof: Proof) -> str:
    """A proof tree as nested lists: the fact, the rule, what was absent, the premises."""
    parts = [tag("span", esc(show_fact(proof.fact)), class_="fact")]
    if proof.rule is None:
        parts.append(" " + tag("span", "given", class_="given"))
    else:
        parts.append(
            tag(
                "div",
                "by rule " + tag("code", esc(proof.rule)) + ": " + esc(proof.title),
                class_="rule",
            )
        )
        parts += [tag("div", "because " + esc(a), class_="absent") for a in proof.absent]
    if proof.premises:
        parts.append(tag("ul", "".join(proof_html(p) for p in proof.premises)))
    return tag("li", "".join(parts))


def _rules_of(proof: Proof) -> list[str]:
    """The rules used in ``proof``, top first, each once."""
    seen: list[str] = []
    stack = [proof]
    while stack:
        current = stack.pop(0)
        if current.rule is not None and current.rule not in seen:
            seen.append(current.rule)
        stack.extend(current.premises)
    return seen


def citations_html(result: Result, rules: Sequence[str]) -> str:
    """The sources cited by ``rules``: each id with the source's text, each once."""
    cited: list[str] = []
    for rule in rules:
        info = result.rules.get(rule)
        for cite in info.cite if info else ():
            if cite not in cited:
                cited.append(cite)
    if not cited:
        return tag("span", "no citation", class_="empty")
    items = "".join(
        tag("dt", esc(c)) + tag("dd", esc(result.sources.get(c, "(source text not given)")))
        for c in cited
    )
    return tag("dl", items, class_="citations")


def obligations(result: Result) -> str:
    """Each obligation with its proof (the reasons) and the sources its rules cite."""
    rows = []
    for fact in result.of_type(Obligation):
        proof = result.explain(fact)
        rows.append(
            [
                esc(fact.workplace),
                esc(fact.module),
                tag("ul", proof_html(proof), class_="proof"),
                citations_html(result, _rules_of(proof)),
            ]
        )
    return table(
        ("workplace", "module", "why", "citations"),
        rows,
        class_="obligations",
        empty="No obligation.",
    )


def _days(due: dt.date, as_of: dt.date) -> str:
    """How far ``due`` is from ``as_of``, in words."""
    days = (due - as_of).days
    if days < 0:
        return f"overdue by {-days} days" if days < -1 else "overdue by 1 day"
    if days == 0:
        return "due today"
    return f"in {days} days" if days > 1 else "in 1 day"


def action_plan(result: Result) -> str:
    """The preventive actions, earliest due date first."""
    actions = sorted(result.of_type(Action), key=lambda a: (a.due, a.workplace, a.hazard, a.code))
    rows = [
        [
            esc(a.due.isoformat()),
            tag("span", esc(_days(a.due, result.as_of)), class_=_overdue(a.due, result)),
            esc(a.workplace),
            esc(a.hazard),
            esc(a.code),
            esc(a.control),
        ]
        for a in actions
    ]
    return table(
        ("due", "when", "workplace", "hazard", "code", "control"),
        rows,
        class_="actions",
        empty="No action.",
    )


def _overdue(due: dt.date, result: Result) -> str | None:
    return "overdue" if due < result.as_of else None


def deadline_status(deadline: Any, as_of: dt.date) -> str:
    """The deadline's own ``status`` field when its type has one; otherwise only what
    the dates say for certain: ``overdue`` before ``as_of``, else ``not due``."""
    status = getattr(deadline, "status", None)
    if status is not None:
        return str(status)
    return "overdue" if deadline.due < as_of else "not due"


def _urgency(status: str) -> int:
    return URGENCY.index(status) if status in URGENCY else len(URGENCY)


def deadlines(result: Result) -> str:
    """Deadlines by urgency: overdue, due soon, ok (then any other status), then due date.

    Fields other than ``due`` and ``status`` (workplace, kind, and any a fact model adds)
    are shown as they are.
    """
    keyed = []
    for d in result.of_type(Deadline):
        status = deadline_status(d, result.as_of)
        keyed.append(((_urgency(status), d.due), status, d))
    keyed.sort(key=lambda item: item[0])
    if not keyed:
        return table((), (), empty="No deadline.")
    extra = [n for n in attrs.fields_dict(type(keyed[0][2])) if n not in ("due", "status")]
    rows = []
    for _, status, d in keyed:
        fields = fact_fields(d, result.registry)
        rows.append(
            [
                tag("span", esc(status), class_=f"status status-{status}"),
                esc(d.due.isoformat()),
                esc(_days(d.due, result.as_of)),
                *(esc(show(fields.get(n))) for n in extra),
            ]
        )
    return table(("status", "due", "when", *extra), rows, class_="deadlines")


def findings(result: Result) -> str:
    """Each finding with the rule that found it and the sources it cites."""
    rows = []
    for f in result.of_type(Finding):
        proof = result.explain(f)
        rule = tag("code", esc(proof.rule)) + ": " + esc(proof.title) if proof.rule else "given"
        rows.append(
            [
                esc(f.workplace),
                tag("span", esc(f.code), class_="code"),
                esc(f.subject),
                esc(f.message),
                rule + "".join(tag("div", "because " + esc(a)) for a in proof.absent),
                citations_html(result, [proof.rule] if proof.rule else []),
            ]
        )
    return table(
        ("workplace", "code", "subject", "message", "rule", "citations"),
        rows,
        class_="findings",
        empty="No finding.",
    )
