"""A conclusion's proof in the report: collapsed behind "why" (a ``<details>``), in
words (:mod:`.words`), its sources as numbered references."""

from __future__ import annotations

from ..engine.result import Result
from ._html import esc, tag
from ._refs import References
from .words import Step


def why(step: Step, result: Result, refs: References) -> str:
    """``<details>`` with the rule's title, the facts that decided, what was absent,
    the derived premises in turn, and the numbered sources."""
    body = _step_body(step, result, refs)
    return tag("details", tag("summary", "why") + body, class_="why")


def _step_body(step: Step, result: Result, refs: References) -> str:
    if step.rule is None:
        return tag("p", esc("Given in the input."))
    links = refs.links(result, step.cites)
    parts = [
        tag(
            "p",
            tag("strong", esc(step.title))
            + " "
            + tag("span", esc(f"(rule {step.rule})"), class_="rule-id")
            + (" " + links if links else ""),
            class_="rule",
        )
    ]
    items = [tag("li", esc(f), class_="fact") for f in step.facts]
    items += [tag("li", esc(a), class_="absent") for a in step.absent]
    for inner in step.steps:
        items.append(
            tag("li", esc(inner.conclusion) + _step_body(inner, result, refs), class_="step")
        )
    if items:
        parts.append(tag("ul", "".join(items)))
    return "".join(parts)
