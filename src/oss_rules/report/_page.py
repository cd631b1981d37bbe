"""The audit report: one self-contained HTML file for one or more evaluations.

An :class:`Evaluation` is one input file evaluated by one or more rulesets, each apart
(law and the source's policy are kept in separate rulesets on purpose). The report is
organised as an auditor reads: a portfolio overview first (every workplace and employer
with its status, and a heat map of all hazards), then one section per workplace and
employer with its status at a glance, risk matrix, action plan, deadlines, findings,
modules, K3 duties and contributions, each conclusion's proof in words behind a "why";
then the rulesets (ids, versions, digests, param overrides), the input facts and the
numbered references.

Given the engines that made the results (``engines=``), the report also shows each
ruleset's risk bands in every matrix cell, asked of the engine itself.

The page has its CSS inline and no script, link or image, so it opens anywhere and
prints as it shows. Every text is escaped. Its bytes depend only on the results (and
the package version in the footer): the same input gives the same file.

>>> import datetime as dt
>>> import oss_rules
>>> engine = oss_rules.Engine(oss_rules.load_default())
>>> result = engine.evaluate(
...     [oss_rules.Workplace(id="w1", sector="retail", setting="office", headcount=3)],
...     as_of=dt.date(2026, 6, 30),
... )
>>> page = render_report([Evaluation("input.json", (result,))], engines=[engine])
>>> page.startswith("<!DOCTYPE html>") and result.ruleset.digest in page
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from importlib.metadata import PackageNotFoundError, version

import attrs

from ..engine import Engine
from ..engine.result import Result
from ._context import Context
from ._css import CSS
from ._html import esc, table, tag
from ._overview import overview_table, portfolio_heat_map
from ._portfolio import Subject, subjects
from ._sections import (
    action_plan,
    at_a_glance,
    deadlines,
    describe,
    duties,
    findings,
    matrices,
    modules,
    part,
)
from ._status import Status, status_of
from ._tables import contributions, input_facts, other_conclusions

__all__ = ["TITLE", "Evaluation", "render_report"]

TITLE = "Occupational safety audit report"
"""The default title of a report."""

SHOWN = frozenset(
    {
        "Classification",
        "Obligation",
        "Action",
        "Deadline",
        "Finding",
        "EmployerFinding",
        "K3Requirement",
        "Contribution",
    }
)
"""Conclusion types with a part of their own; every other type is listed under "Other
conclusions"."""


def _results(results: Iterable[Result]) -> tuple[Result, ...]:
    return tuple(results)


@attrs.frozen
class Evaluation:
    """One input evaluated by one or more rulesets: where the facts came from (a file
    name, shown as is) and one result per ruleset, in the order to show them."""

    source: str
    results: tuple[Result, ...] = attrs.field(converter=_results)

    @results.validator
    def _not_empty(self, _attribute: object, value: tuple[Result, ...]) -> None:
        if not value:
            raise ValueError(f"Evaluation {self.source!r}: give at least one Result")


def render_report(
    evaluations: Iterable[Evaluation],
    *,
    title: str = TITLE,
    engines: Iterable[Engine] = (),
) -> str:
    """The audit report of ``evaluations`` as one HTML document (a str).

    ``engines`` are the engines that made the results: with them the report knows each
    ruleset's risk bands (every matrix cell coloured), its helper kinds (left out of
    the conclusions) and its titles (findings named in words).
    """
    items = list(evaluations)
    if not items:
        raise ValueError("render_report: give at least one Evaluation")
    ctx = Context(engines, min(r.as_of for e in items for r in e.results))
    found = subjects([(e.source, e.results) for e in items], lambda r: ctx.lens(r).internal)
    statuses = [status_of(s) for s in found]
    body = [tag("header", tag("h1", esc(title)) + _intro(items, found, statuses))]
    body.append(
        tag(
            "section",
            tag("h2", "Portfolio overview")
            + overview_table(found, statuses)
            + portfolio_heat_map(found, ctx),
            class_="overview",
            id="overview",
        )
    )
    body += [_subject(s, ctx, status) for s, status in zip(found, statuses, strict=True)]
    body.append(_rulesets(items))
    body.append(_inputs(items))
    body.append(ctx.refs.section())
    body.append(tag("footer", tag("p", esc(_footer()))))
    head = (
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        + f'<meta name="generator" content="{esc(_generator())}">'
        + tag("title", esc(title))
        + tag("style", CSS)
    )
    page = tag("html", tag("head", head) + tag("body", "\n".join(b for b in body if b)), lang="en")
    return "<!DOCTYPE html>\n" + page + "\n"


def _generator() -> str:
    try:
        return f"oss_rules {version('oss_rules')}"
    except PackageNotFoundError:  # a source tree that was never installed
        return "oss_rules"


def _footer() -> str:
    return (
        f"Made by {_generator()}. The report depends only on the input facts, the as-of "
        "date, the rulesets (identified by their digests) and their params; it reads no "
        "clock. Each ruleset evaluated the facts on its own."
    )


def _intro(
    items: Sequence[Evaluation], found: Sequence[Subject], statuses: Sequence[Status]
) -> str:
    counts = {kind: sum(1 for s in found if s.kind == kind) for kind in ("Workplace", "Employer")}
    attention = sum(1 for s in statuses if s.needs_attention)
    as_of = sorted({r.as_of.isoformat() for e in items for r in e.results})
    rulesets = sorted({f"{r.ruleset.id} {r.ruleset.version}" for e in items for r in e.results})
    text = (
        f"{_plural(counts['Workplace'], 'workplace')} and "
        f"{_plural(counts['Employer'], 'employer')} from {_plural(len(items), 'input')}, "
        f"as of {', '.join(as_of)}: {attention} of {len(found)} need attention. Rulesets: "
    )
    return tag("p", esc(text) + ", ".join(tag("code", esc(r)) for r in rulesets) + ".")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _subject(subject: Subject, ctx: Context, status: Status) -> str:
    shown = SHOWN | {"Workplace", "Employer"}
    parts = [
        tag("h2", esc(subject.label)),
        tag("p", esc(describe(subject)), class_="describe"),
        at_a_glance(status) if subject.fact is not None else "",
        part("Risk matrix", matrices(subject, ctx), "risk"),
        part("Action plan", action_plan(subject, ctx), "plan"),
        part("Deadlines", deadlines(subject, ctx), "calendar"),
        part("Findings", findings(subject, ctx), "findings"),
        part("Modules", modules(subject, ctx), "modules"),
        part("K3 duties", duties(subject, ctx), "duties"),
        part("Contributions", contributions(subject), "contributions"),
        part("Other conclusions", other_conclusions(subject, ctx, shown), "others"),
    ]
    return tag(
        "section",
        "".join(parts),
        class_="subject",
        id=subject.anchor,
        data_kind=subject.kind,
        data_id=subject.id,
        data_attention="yes" if status.needs_attention else "no",
    )


def _overrides(result: Result) -> str:
    overrides = result.ruleset.overrides
    if not overrides:
        return tag("span", "none", class_="empty")
    return "; ".join(
        tag("code", esc(f"{name} = {json.dumps(overrides[name], sort_keys=True)}"))
        for name in sorted(overrides)
    )


def _rulesets(items: Sequence[Evaluation]) -> str:
    """Which rulesets decided: id, version, digest and overrides, and the inputs."""
    seen: dict[tuple[str, str, str], tuple[Result, list[str]]] = {}
    for e in items:
        for r in e.results:
            key = (
                r.ruleset.id,
                r.ruleset.digest,
                json.dumps(dict(r.ruleset.overrides), sort_keys=True),
            )
            seen.setdefault(key, (r, []))[1].append(e.source)
    rows = [
        [
            tag("code", esc(r.ruleset.id)),
            esc(r.ruleset.version),
            tag("span", esc(r.ruleset.digest), class_="digest"),
            _overrides(r),
            esc(", ".join(sources)),
        ]
        for r, sources in seen.values()
    ]
    headers = ("ruleset", "version", "digest", "param overrides", "inputs")
    return tag(
        "section",
        tag("h2", "Rulesets") + table(headers, rows, class_="rulesets"),
        class_="rulesets",
        id="rulesets",
    )


def _inputs(items: Sequence[Evaluation]) -> str:
    parts = []
    for i, e in enumerate(items, 1):
        facts = input_facts(e.results)
        if facts:
            summary = tag("summary", esc(f"{e.source or i}, as of {e.results[0].as_of}"))
            parts.append(tag("details", summary + facts, class_="input", id=f"input-{i}"))
    if not parts:
        return ""
    return tag("section", tag("h2", "Input facts") + "".join(parts), class_="inputs", id="inputs")
