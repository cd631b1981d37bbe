"""The audit report: one self-contained HTML file for one or more evaluations.

An :class:`Evaluation` is one input file evaluated by one or more rulesets, each apart
(law and the source's policy are kept in separate rulesets on purpose). For each
ruleset the report shows its id, version, digest and param overrides, a 5x5 risk matrix
coloured by the levels the ruleset gave, the obligations with their proofs and
citations, the action plan, the deadlines by urgency, the findings, the contributions
with totals, and every other derived type as a table; then the input facts.

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
>>> page = render_report([Evaluation("input.json", (result,))])
>>> page.startswith("<!DOCTYPE html>") and result.ruleset.digest in page
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from importlib.metadata import PackageNotFoundError, version

import attrs

from ..domains.oss.facts import Action, Classification, Deadline, Finding, Obligation
from ..engine.result import Result
from ._css import CSS
from ._html import esc, table, tag
from ._matrix import hazard_table, risk_matrices
from ._sections import action_plan, deadline_status, deadlines, findings, obligations
from ._tables import contributions, input_facts, other_derived

__all__ = ["TITLE", "Evaluation", "render_report"]

TITLE = "Occupational safety audit report"
"""The default title of a report."""


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


def render_report(evaluations: Iterable[Evaluation], *, title: str = TITLE) -> str:
    """The audit report of ``evaluations`` as one HTML document (a str)."""
    items = list(evaluations)
    if not items:
        raise ValueError("render_report: give at least one Evaluation")
    body = [tag("header", tag("h1", esc(title)) + _intro(items)), _contents(items)]
    body += [_evaluation(i, e) for i, e in enumerate(items, 1)]
    body.append(tag("footer", tag("p", esc(_footer()))))
    head = (
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        + f'<meta name="generator" content="{esc(_generator())}">'
        + tag("title", esc(title))
        + tag("style", CSS)
    )
    page = tag("html", tag("head", head) + tag("body", "\n".join(body)), lang="en")
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


def _intro(items: Sequence[Evaluation]) -> str:
    rulesets = sorted({f"{r.ruleset.id} {r.ruleset.version}" for e in items for r in e.results})
    return tag(
        "p",
        esc(f"{len(items)} input{'s' if len(items) != 1 else ''}; rulesets: ")
        + ", ".join(tag("code", esc(r)) for r in rulesets),
    )


def _contents(items: Sequence[Evaluation]) -> str:
    entries = []
    for i, evaluation in enumerate(items, 1):
        inner = "".join(
            tag("li", tag("a", esc(_ruleset_name(r)), href=f"#e{i}-r{j}"))
            for j, r in enumerate(evaluation.results, 1)
        )
        inner += tag("li", tag("a", "Input facts", href=f"#e{i}-inputs"))
        label = f"{evaluation.source or 'input'} as of {evaluation.results[0].as_of}"
        entries.append(tag("li", tag("a", esc(label), href=f"#e{i}") + tag("ol", inner)))
    return tag("nav", tag("h2", "Contents") + tag("ol", "".join(entries)), class_="contents")


def _ruleset_name(result: Result) -> str:
    return f"Ruleset {result.ruleset.id} {result.ruleset.version}"


def _overrides(result: Result) -> str:
    overrides = result.ruleset.overrides
    if not overrides:
        return tag("span", "none (the ruleset's own params)", class_="empty")
    return "; ".join(
        tag("code", esc(f"{name} = {json.dumps(overrides[name], sort_keys=True)}"))
        for name in sorted(overrides)
    )


def _evaluation(index: int, evaluation: Evaluation) -> str:
    results = evaluation.results
    as_of = sorted({r.as_of.isoformat() for r in results})
    meta = _meta(
        [
            ("input file", esc(evaluation.source or "(not named)")),
            ("as of", esc(", ".join(as_of))),
            ("rulesets", esc(str(len(results)))),
        ]
    )
    rows = [
        [
            tag("code", esc(r.ruleset.id)),
            esc(r.ruleset.version),
            tag("span", esc(r.ruleset.digest), class_="digest"),
            _overrides(r),
        ]
        for r in results
    ]
    rulesets = table(("ruleset", "version", "digest", "param overrides"), rows, class_="rulesets")
    parts = [tag("h2", esc(f"Input {evaluation.source or index}")), meta, rulesets]
    parts += [_ruleset(f"e{index}-r{j}", evaluation.source, r) for j, r in enumerate(results, 1)]
    parts.append(
        tag(
            "section",
            tag("h2", esc(f"Input facts: {evaluation.source or index}")) + input_facts(results[0]),
            class_="inputs",
            id=f"e{index}-inputs",
        )
    )
    return tag("section", "".join(parts), class_="evaluation", id=f"e{index}")


def _meta(items: Sequence[tuple[str, str]]) -> str:
    return tag("dl", "".join(tag("dt", esc(k)) + tag("dd", v) for k, v in items), class_="meta")


def _ruleset(anchor: str, source: str, result: Result) -> str:
    info = result.ruleset
    parts = [
        tag("h2", esc(f"{_ruleset_name(result)}: {source}" if source else _ruleset_name(result))),
        _meta(
            [
                ("ruleset", tag("code", esc(info.id)) + " " + esc(info.version)),
                ("digest", tag("span", esc(info.digest), class_="digest")),
                ("param overrides", _overrides(result)),
                ("as of", esc(result.as_of.isoformat())),
            ]
        ),
        _summary(result),
        tag("h3", "Risk matrix"),
        risk_matrices(result),
    ]
    if result.of_type(Classification):
        parts += [tag("h4", "Hazards and their levels"), hazard_table(result)]
    parts += [
        tag("h3", "Obligations"),
        obligations(result),
        tag("h3", "Action plan"),
        action_plan(result),
        tag("h3", "Deadlines"),
        deadlines(result),
        tag("h3", "Findings"),
        findings(result),
    ]
    contribution_html = contributions(result)
    if contribution_html is not None:
        parts += [tag("h3", "Contributions"), contribution_html]
    others = other_derived(result)
    if others:
        parts.append(tag("h3", "Other conclusions"))
        parts += [tag("h4", esc(name)) + body for name, body in others]
    return tag(
        "section",
        "".join(parts),
        class_="ruleset",
        id=anchor,
        data_ruleset=info.id,
        data_version=info.version,
        data_digest=info.digest,
    )


def _summary(result: Result) -> str:
    overdue = sum(
        1 for d in result.of_type(Deadline) if deadline_status(d, result.as_of) == "overdue"
    )
    late = sum(1 for a in result.of_type(Action) if a.due < result.as_of)
    rows = [
        ("hazards classified", len(result.of_type(Classification))),
        ("obligations", len(result.of_type(Obligation))),
        ("actions", len(result.of_type(Action))),
        ("actions past their due date", late),
        ("deadlines", len(result.of_type(Deadline))),
        ("deadlines overdue", overdue),
        ("findings", len(result.of_type(Finding))),
        ("other conclusions", len(result.derived)),
    ]
    return table(
        [name for name, _ in rows],
        [[str(count) for _, count in rows]],
        class_="summary",
        numeric=range(len(rows)),
    )
