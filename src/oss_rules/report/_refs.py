"""Numbered references: each source a rule cites is printed once, at the end of the
report, and every proof points to it by number (``[3]``)."""

from __future__ import annotations

from collections.abc import Iterable

from ..engine.result import Result
from ._html import esc, tag


class References:
    """The sources cited so far, numbered in order of first use.

    A source is known by its ruleset and id, since two rulesets may use one id for
    different texts.
    """

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, str], int] = {}
        self._texts: list[tuple[str, str, str]] = []

    def number(self, result: Result, cite: str) -> int:
        """The number of ``cite`` of ``result``'s ruleset, given on first use."""
        key = (result.ruleset.id, cite)
        if key not in self._numbers:
            self._numbers[key] = len(self._texts) + 1
            text = result.sources.get(cite, "(source text not given)")
            self._texts.append((result.ruleset.id, cite, text))
        return self._numbers[key]

    def links(self, result: Result, cites: Iterable[str]) -> str:
        """``[1] [4]``: links to the numbered sources, or nothing when none is cited."""
        numbers = sorted({self.number(result, c) for c in cites})
        return " ".join(tag("a", f"[{n}]", href=f"#ref-{n}", class_="ref") for n in numbers)

    def section(self) -> str:
        """The list of every source cited, once each, or nothing when none was."""
        if not self._texts:
            return ""
        items = "".join(
            tag(
                "li",
                tag("span", esc(f"{ruleset} · {cite}"), class_="cite-id") + " " + esc(text),
                id=f"ref-{n}",
            )
            for n, (ruleset, cite, text) in enumerate(self._texts, 1)
        )
        return tag(
            "section",
            tag("h2", "References") + tag("ol", items, class_="references"),
            class_="references",
            id="references",
        )
