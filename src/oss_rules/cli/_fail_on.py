"""``evaluate --fail-on``: exit status 1 when the results hold what a CI job or a cron
alert watches for, and the closing summary line that says what they hold.

A condition is ``finding`` (any finding), ``overdue`` (any deadline or preventive action
overdue as of the evaluation date: what ``oss-rules alerts`` lists as overdue) or a
finding code (``missing_module``). Like ``opa eval --fail-defined``, the command still
prints its whole output; only the exit status changes.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import click
from rich.text import Text

from ..domains.oss.alerts import overdue_counts
from ..engine._engine import Engine
from ..engine.result import Result
from ..errors import suggest
from ._common import UsageError

__all__ = ["FAIL_ON", "FailOn", "Tally", "finding_codes", "known_codes", "summary_text", "tally_of"]

KEYWORDS = ("finding", "overdue")
"""The conditions that are not a finding code."""


def known_codes(engines: Iterable[Engine[Any]]) -> tuple[str, ...]:
    """The finding codes the rulesets of ``engines`` give titles to (``titles:`` of a
    ``...Finding.code``), sorted; none when they give none: then any code is taken."""
    return tuple(
        sorted(
            {
                code
                for engine in engines
                for key, titles in engine.ruleset.titles.items()
                if key.endswith("Finding.code")
                for code in titles
            }
        )
    )


def finding_codes(result: Result) -> tuple[str, ...]:
    """The code of each finding of ``result``: each conclusion of a kind named ``...Finding``
    with a text ``code`` (``Finding``, the payroll's ``EmployerFinding``)."""
    return tuple(
        fact.code
        for fact in result.conclusions
        if type(fact).__name__.endswith("Finding") and isinstance(getattr(fact, "code", None), str)
    )


@attrs.frozen
class Tally:
    """What some results hold that ``--fail-on`` and the summary count: findings by code,
    and the overdue deadlines and actions. Plain values, so a batch worker can send it."""

    findings: tuple[tuple[str, int], ...] = ()
    """``(code, count)`` pairs, sorted by code."""
    overdue_deadlines: int = 0
    overdue_actions: int = 0

    def __add__(self, other: Tally) -> Tally:
        counts = collections.Counter(dict(self.findings))
        counts.update(dict(other.findings))
        return Tally(
            tuple(sorted(counts.items())),
            self.overdue_deadlines + other.overdue_deadlines,
            self.overdue_actions + other.overdue_actions,
        )

    @property
    def finding_count(self) -> int:
        """How many findings there are, of any code."""
        return sum(n for _, n in self.findings)

    @property
    def overdue(self) -> int:
        """How many deadlines and actions are overdue."""
        return self.overdue_deadlines + self.overdue_actions

    def describe(self) -> str:
        """``15 findings, 5 overdue (4 deadlines, 1 action)``."""
        findings = _count(self.finding_count, "finding") if self.finding_count else "no finding"
        if not self.overdue:
            return f"{findings}, nothing overdue"
        parts = [
            _count(self.overdue_deadlines, "deadline") if self.overdue_deadlines else "",
            _count(self.overdue_actions, "action") if self.overdue_actions else "",
        ]
        return f"{findings}, {self.overdue:,} overdue ({', '.join(p for p in parts if p)})"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def tally_of(results: Iterable[Result]) -> Tally:
    """The tally of ``results``."""
    total = Tally()
    for result in results:
        counts = collections.Counter(finding_codes(result))
        deadlines, actions = overdue_counts(result)
        total += Tally(tuple(sorted(counts.items())), deadlines, actions)
    return total


@attrs.frozen
class FailOn:
    """The ``--fail-on`` conditions of a command line, in the order given."""

    conditions: tuple[str, ...] = ()

    @classmethod
    def parse(cls, values: Sequence[str], known: Iterable[str] = ()) -> FailOn:
        """The conditions ``values``; a code not among the ``known`` finding codes (when
        the rulesets name any) is a usage error, so that a typo cannot pass silently."""
        codes = sorted(set(known))
        for value in values:
            if value in KEYWORDS or not codes or value in codes:
                continue
            raise UsageError(
                f"--fail-on {value!r}: neither finding, overdue nor a finding code of the "
                f"rulesets{suggest(value, [*KEYWORDS, *codes])}; the codes are: " + ", ".join(codes)
            )
        return cls(tuple(dict.fromkeys(values)))

    def met(self, tally: Tally) -> tuple[str, ...]:
        """The conditions that ``tally`` meets: ``finding``, ``overdue``, or a code with
        its count, ``missing_module (2)`` (the summary counts the others)."""
        counts = dict(tally.findings)
        numbers = {"finding": tally.finding_count, "overdue": tally.overdue}
        return tuple(
            c if c in numbers else f"{c} ({counts[c]:,})"
            for c in self.conditions
            if (numbers[c] if c in numbers else counts.get(c, 0))
        )

    def status(self, tally: Tally) -> int:
        """1 when ``tally`` meets a condition, else 0."""
        return 1 if self.met(tally) else 0

    def verdict(self, tally: Tally) -> str:
        """What the conditions gave: ``--fail-on finding: met, exit status 1``,
        ``--fail-on missing_module, overdue: missing_module (2) met, exit status 1`` or
        ``--fail-on overdue: not met``; empty without conditions."""
        if not self.conditions:
            return ""
        given = "--fail-on " + ", ".join(self.conditions)
        met = self.met(tally)
        if not met:
            return f"{given}: not met"
        which = "" if len(met) == len(self.conditions) else ", ".join(met) + " "
        return f"{given}: {which}met, exit status 1"


NO_CONDITION = FailOn()
"""No ``--fail-on``: the status does not depend on the results."""


def summary_text(tally: Tally, fail_on: FailOn, files: int) -> Text:
    """The closing line of text output: what the results hold, and the ``--fail-on``
    verdict (in red when met)."""
    where = f" in {files:,} files" if files > 1 else ""
    text = Text("\n")
    text.append(f"Summary{where}: {tally.describe()}.", style="bold")
    verdict = fail_on.verdict(tally)
    if verdict:
        text.append(" " + verdict + ".", style="bold red" if fail_on.met(tally) else "green")
    return text


def _values(_ctx: Any, _param: Any, values: tuple[str, ...]) -> tuple[str, ...]:
    # "--fail-on finding,overdue" reads as two conditions, as the help shows them.
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


FAIL_ON = click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    metavar="finding|overdue|CODE",
    callback=_values,
    help="Exit with status 1 when a result holds a finding, something overdue (a deadline "
    "or action as of the evaluation date) or a finding of this code. Repeatable.",
)
