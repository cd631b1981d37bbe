"""What ``oss-rules test`` ran, and its reports: the summary line, JSON and JUnit XML.

The JSON report is for programs; the JUnit XML is for CI systems (GitLab, Jenkins, GitHub
actions that read JUnit): one ``testsuite`` per ruleset, one ``testcase`` per case, and
a ``failure`` element with the failure's text. Neither holds times, so that the same run
gives the same bytes.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import attrs

from ..authoring.testing import Coverage, Outcome, Suite
from ..language._unparse import where

__all__ = ["Run", "headline"]


@attrs.frozen
class Run:
    """The cases run (those ``-k`` selected, up to the first failure with ``-x``) and
    their outcomes, in order."""

    suites: tuple[Suite, ...]
    outcomes: tuple[Outcome, ...]
    coverage: Coverage
    total: int
    """How many cases the suites hold."""
    selected: int
    """How many of them ``-k`` selected (``total`` without it)."""
    pattern: str | None = None
    """The ``-k`` pattern."""
    stopped: bool = False
    """Whether ``-x`` stopped the run at a failure before every selected case ran."""

    @property
    def failed(self) -> int:
        """How many cases failed."""
        return sum(not o.passed for o in self.outcomes)

    def summary(self) -> str:
        """``156 passed, 2 failed, 63 of 63 rules covered``, with what -k and -x left out."""
        passed = len(self.outcomes) - self.failed
        text = f"{passed} passed, {self.failed} failed"
        if self.pattern is not None:
            text += f" ({self.selected} of {self.total} cases match -k {self.pattern!r})"
        if self.stopped:
            text += f" (-x: stopped at the first failure, {self.selected - len(self.outcomes)}"
            text += " not run)"
        return text + f", {self.coverage.fired} of {self.coverage.total} rules covered"

    def to_json(self, fail_under: float | None = None) -> str:
        """The run as a JSON document (see docs/cli.md for its keys)."""
        cover = self.coverage
        data = {
            "passed": len(self.outcomes) - self.failed,
            "failed": self.failed,
            "cases": self.total,
            "selected": self.selected,
            "pattern": self.pattern,
            "stopped": self.stopped,
            "coverage": {
                "rules": cover.total,
                "covered": cover.fired,
                "percent": round(cover.percent, 2),
                "fail_under": fail_under,
                "never_fired": [
                    {"ruleset": r.ruleset, "rule": r.rule, "at": where(r.span)}
                    for r in cover.never_fired
                ],
            },
            "suites": [
                {
                    "ruleset": suite.ruleset.id,
                    "version": suite.ruleset.version,
                    "path": _relative(suite.path),
                    "cases": [_case_data(o) for o in self._of(suite)],
                }
                for suite in self.suites
            ],
        }
        return json.dumps(data, indent=2, ensure_ascii=False)

    def to_junit(self) -> str:
        """The run as JUnit XML: a ``testsuite`` per ruleset, a ``testcase`` per case."""
        root = ET.Element(
            "testsuites",
            name="oss-rules test",
            tests=str(len(self.outcomes)),
            failures=str(self.failed),
            errors="0",
        )
        for suite in self.suites:
            outcomes = self._of(suite)
            element = ET.SubElement(
                root,
                "testsuite",
                name=suite.ruleset.id,
                tests=str(len(outcomes)),
                failures=str(sum(not o.passed for o in outcomes)),
                errors="0",
                skipped="0",
                file=_relative(suite.path),
            )
            for outcome in outcomes:
                case = outcome.case
                testcase = ET.SubElement(
                    element,
                    "testcase",
                    classname=f"{case.ruleset}.{Path(case.file).stem}",
                    name=case.name,
                    file=_relative(case.span.file),
                    line=str(case.span.line),
                )
                if not outcome.passed:
                    failure = ET.SubElement(testcase, "failure", message=headline(outcome))
                    failure.text = outcome.report()
        ET.indent(root)
        return ET.tostring(root, encoding="unicode", xml_declaration=True)

    def _of(self, suite: Suite) -> list[Outcome]:
        mine = {id(case) for case in suite.cases}
        return [o for o in self.outcomes if id(o.case) in mine]


def headline(outcome: Outcome) -> str:
    """One line saying why ``outcome`` failed (empty when it passed)."""
    parts: list[str] = []
    if outcome.problem:
        parts.append(outcome.problem.splitlines()[0])
    if outcome.missing:
        parts.append(f"expected, not concluded: {_listed(outcome.missing)}")
    if outcome.unexpected:
        parts.append(f"{len(outcome.unexpected)} concluded, not expected (match: exact)")
    if outcome.forbidden:
        parts.append(
            f"concluded, but listed under absent: {_listed([e for e, _ in outcome.forbidden])}"
        )
    return "; ".join(parts)


def _relative(path: str | os.PathLike[str]) -> str:
    """``path`` relative to the working directory when it is inside it, as ``where`` does."""
    full, here = os.path.abspath(path), os.getcwd()
    return os.path.relpath(full, here) if full.startswith(here + os.sep) else str(path)


def _listed(items: Sequence[object]) -> str:
    return str(items[0]) + (f" and {len(items) - 1} more" if len(items) > 1 else "")


def _case_data(outcome: Outcome) -> dict[str, object]:
    case = outcome.case
    data: dict[str, object] = {
        "id": case.id,
        "name": case.name,
        "at": where(case.span),
        "passed": outcome.passed,
    }
    if not outcome.passed:
        data["message"] = headline(outcome)
        data["report"] = outcome.report()
    return data
