"""What ``oss-rules verify`` found, and its text: a heading, a block per property as it
finishes, a tally, and each counterexample as a ruleset test case ready to paste."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..language import syntax as s
from ._judge import Case, render_case

__all__ = ["Layout", "Outcome", "Report", "render_case"]


@attrs.frozen
class Outcome:
    """What checking one property found: nothing, a counterexample, or a problem."""

    id: str
    kind: str
    title: str
    message: str = ""
    case: Case | None = None

    @property
    def passed(self) -> bool:
        """Whether no counterexample (and no problem) was found."""
        return not self.message


@attrs.frozen
class Layout:
    """How the text of one ruleset's run reads, known before any property is checked:
    so that each property's block can be printed as soon as it finishes."""

    ruleset: s.Ruleset
    ids: tuple[str, ...]
    """The properties checked, in order."""
    declared: int
    """How many of them the ruleset declares (the others are built in)."""
    max_examples: int
    seed: int
    params: Mapping[str, Any] = attrs.field(factory=dict)
    """The param overrides the properties are checked with."""

    def heading(self) -> str:
        """``oss 2.0.0: 17 declared and 3 built-in properties, 100 examples each, seed 0``."""
        return (
            f"{self.ruleset.id} {self.ruleset.version}: {self.declared} declared and "
            f"{len(self.ids) - self.declared} built-in properties, "
            f"{self.max_examples} examples each, seed {self.seed}"
        )

    def block(self, outcome: Outcome, *, command: str = "oss-rules verify") -> str:
        """One property's line; for a failure, the message, the minimal counterexample as
        a test case and the command that reproduces it."""
        width = max((len(i) for i in self.ids), default=0)
        lines = [f"{'pass' if outcome.passed else 'FAIL'} {outcome.id:<{width}}  {outcome.title}"]
        if outcome.passed:
            return lines[0]
        lines += ["  " + line for line in outcome.message.splitlines()]
        if outcome.case is not None:
            where = f"{self.ruleset.path}/tests/properties.yaml"
            lines.append(f"  minimal counterexample, as a test case for {where}:")
            lines += ["    " + line for line in render_case(outcome.case).splitlines()]
        params = "".join(
            f" --param {name}={json.dumps(value, separators=(',', ':'))}"
            for name, value in self.params.items()
        )
        lines.append(
            f"  reproduce: {command} {self.ruleset.path}{params} --seed {self.seed} "
            f"--max-examples {self.max_examples} --property {outcome.id}"
        )
        return "\n".join(lines)


def tally(outcomes: Sequence[Outcome]) -> str:
    """``19 passed, 1 failed``."""
    failed = sum(not o.passed for o in outcomes)
    return f"{len(outcomes) - failed} passed, {failed} failed"


@attrs.frozen
class Report:
    """The outcome of every property checked, and how to run the check again."""

    ruleset: s.Ruleset
    outcomes: tuple[Outcome, ...]
    max_examples: int
    seed: int
    params: Mapping[str, Any] = attrs.field(factory=dict)
    """The param overrides the properties were checked with."""

    @property
    def passed(self) -> bool:
        """Whether every property held."""
        return all(o.passed for o in self.outcomes)

    @property
    def layout(self) -> Layout:
        """The layout of this report's text."""
        return Layout(
            self.ruleset,
            tuple(o.id for o in self.outcomes),
            sum(o.kind != "builtin" for o in self.outcomes),
            self.max_examples,
            self.seed,
            self.params,
        )

    def render(self, *, command: str = "oss-rules verify") -> str:
        """The report as text: one line per property, then each counterexample."""
        layout = self.layout
        blocks = [layout.block(o, command=command) for o in self.outcomes]
        return "\n".join([layout.heading(), *blocks, tally(self.outcomes)])
