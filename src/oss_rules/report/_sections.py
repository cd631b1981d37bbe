"""The parts of one subject's section: status at a glance, risk matrix, action plan,
deadlines, findings, modules and K3 duties. Each part is empty markup when there is
nothing to show, so no section says "none"."""

from __future__ import annotations

from typing import Any

from ._context import Context
from ._html import esc, table, tag
from ._matrix import hazards_of, legend, levels_of, workplace_matrix
from ._portfolio import Subject
from ._status import Status, deadline_status, urgency, when


def part(title: str, body: str, class_: str) -> str:
    """A titled part of a subject's section, or nothing when ``body`` is empty."""
    if not body:
        return ""
    return tag("div", tag("h3", esc(title)) + body, class_=f"part {class_}")


def plain(code: str) -> str:
    """A code in words when the ruleset gives no title: ``missing_module`` ->
    ``Missing module``."""
    text = code.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def at_a_glance(status: Status) -> str:
    """The subject's numbers, each in a box; open items marked."""
    boxes = []
    findings = sum(status.findings.values())
    by_ruleset = ", ".join(f"{n} {r}" for r, n in sorted(status.findings.items()))
    boxes.append(("findings", str(findings), by_ruleset, findings > 0))
    if status.required:
        missing = status.missing
        detail = "missing " + ", ".join(missing) if missing else "all declared"
        shown = f"{len(status.required)} / {len(status.declared)}"
        boxes.append(("modules required / declared", shown, detail, bool(missing)))
    boxes.append(("overdue actions", str(status.overdue_actions), "", status.overdue_actions > 0))
    boxes.append(
        ("overdue deadlines", str(status.overdue_deadlines), "", status.overdue_deadlines > 0)
    )
    if status.next_deadline is not None:
        due, kind, state = status.next_deadline
        boxes.append(("next deadline", due.isoformat(), f"{kind}, {state}", state == "overdue"))
    if status.hazards:
        detail = f"of {status.hazards} hazards"
        boxes.append(
            ("high-risk hazards", str(status.high_hazards), detail, status.high_hazards > 0)
        )
    items = "".join(
        tag(
            "div",
            tag("span", esc(label), class_="label")
            + tag("span", esc(value), class_="value")
            + (tag("span", esc(detail), class_="detail") if detail else ""),
            class_="stat open" if open_ else "stat",
        )
        for label, value, detail, open_ in boxes
    )
    verdict = "Needs attention" if status.needs_attention else "In order"
    badge = tag(
        "p",
        tag(
            "span", esc(verdict), class_="badge attention" if status.needs_attention else "badge ok"
        ),
        class_="verdict",
    )
    return badge + tag("div", items, class_="glance")


def matrices(subject: Subject, ctx: Context) -> str:
    """The risk matrix of a workplace's hazards, under each ruleset that classified
    them (or whose bands are known)."""
    hazards = hazards_of(subject.given("Hazard"))
    if not hazards:
        return ""
    parts = []
    for share in subject.shares:
        lens = ctx.lens(share.result)
        classified = share.of("Classification")
        if not classified and lens.bands is None:
            continue
        levels = levels_of(classified)
        rid = share.result.ruleset.id
        parts.append(workplace_matrix(subject.id, hazards, levels, lens.bands, rid))
        parts.append(legend(lens.bands if lens.known else None))
    return "".join(parts)


def action_plan(subject: Subject, ctx: Context) -> str:
    """The preventive actions, earliest due date first."""
    actions = sorted(subject.conclusions("Action"), key=lambda ra: (ra[1].due, ra[1].hazard))
    rows = []
    for result, a in actions:
        late = a.due < result.as_of
        rows.append(
            [
                tag(
                    "span", "overdue" if late else "open", class_="status-overdue" if late else None
                ),
                esc(a.due.isoformat()) + tag("div", esc(when(a.due, result.as_of)), class_="when"),
                esc(a.hazard),
                esc(a.control) + ctx.why(result, a),
            ]
        )
    return table(("status", "due", "hazard", "what to do"), rows, class_="actions") if rows else ""


def deadlines(subject: Subject, ctx: Context) -> str:
    """Deadlines by urgency (overdue, due soon, ok, others), then due date."""
    keyed = []
    for result, d in subject.conclusions("Deadline"):
        status = deadline_status(d, result.as_of)
        keyed.append(((urgency(status), d.due, str(getattr(d, "kind", ""))), status, result, d))
    keyed.sort(key=lambda item: item[0])
    rows = [
        [
            tag("span", esc(status.replace("_", " ")), class_=f"status status-{status}"),
            esc(d.due.isoformat()) + tag("div", esc(when(d.due, result.as_of)), class_="when"),
            esc(ctx.title(result, "Deadline", "kind", d.kind) or plain(str(d.kind)))
            + ctx.why(result, d),
        ]
        for _, status, result, d in keyed
    ]
    return table(("status", "due", "what"), rows, class_="deadlines") if rows else ""


def findings(subject: Subject, ctx: Context) -> str:
    """Each finding in words: its title, what it is about, what to do, and why."""
    rows = []
    for result, f in subject.conclusions("Finding", "EmployerFinding"):
        kind = type(f).__name__
        title = ctx.title(result, kind, "code", f.code) or plain(str(f.code))
        subject_text = str(getattr(f, "subject", "") or "")
        rows.append(
            [
                tag("strong", esc(title)) + tag("div", esc(result.ruleset.id), class_="ruleset-id"),
                esc(subject_text),
                esc(getattr(f, "message", "") or "") + ctx.why(result, f),
            ]
        )
    return table(("finding", "about", "details and proof"), rows, class_="findings") if rows else ""


def modules(subject: Subject, ctx: Context) -> str:
    """Each module: required or not, declared or not, and why it is required."""
    required = {o.module: (r, o) for r, o in subject.conclusions("Obligation")}
    if not required:
        # Every workplace needs OSS-I under a ruleset that assigns modules: with none
        # required, no such ruleset ran, and "declared, not required" would mislead.
        return ""
    declared = tuple(getattr(subject.fact, "declared_modules", ()) or ())
    names = sorted(set(required) | set(declared))
    rows = []
    for name in names:
        found = required.get(name)
        state = (
            ("required, declared", None)
            if found and name in declared
            else ("required, not declared", "status-overdue")
            if found
            else ("declared, not required", None)
        )
        rows.append(
            [
                esc(name),
                tag("span", esc(state[0]), class_=state[1]),
                ctx.why(*found) if found else tag("span", "not required", class_="empty"),
            ]
        )
    return table(("module", "state", "proof"), rows, class_="obligations") if rows else ""


def duties(subject: Subject, ctx: Context) -> str:
    """K3 duties (``K3Requirement``): what, how many, the legal basis, and why."""
    rows = []
    for result, d in subject.conclusions("K3Requirement"):
        code = str(getattr(d, "code", ""))
        what = ctx.title(result, "K3Requirement", "code", code) or plain(code)
        detail = [
            f"{n.replace('_', ' ')} {getattr(d, n)}"
            for n in ("quantity", "kit")
            if getattr(d, n, None) is not None
        ]
        note = str(getattr(d, "note", "") or "")
        rows.append(
            [
                tag("strong", esc(what)),
                esc("; ".join([*detail, note] if note else detail)),
                esc(str(getattr(d, "basis", ""))) + ctx.why(result, d),
            ]
        )
    return table(("duty", "details", "basis and proof"), rows, class_="duties") if rows else ""


def describe(subject: Subject) -> str:
    """One line under the subject's heading: what it is and where it comes from."""
    fact: Any = subject.fact
    bits: list[str] = []
    if subject.kind == "Workplace" and fact is not None:
        bits += [str(fact.sector), f"{fact.setting} setting", f"{fact.headcount} workers"]
        if getattr(fact, "employer", None):
            bits.append(f"employer {fact.employer}")
    elif subject.kind == "Employer" and fact is not None:
        bits += [str(getattr(fact, "name", "")), f"{getattr(fact, 'scale', '')} scale"]
        if getattr(fact, "headcount", 0):
            bits.append(f"{fact.headcount} workers")
    bits.append(f"{subject.source or 'input'}, as of {subject.as_of}")
    return " · ".join(b for b in bits if b)
