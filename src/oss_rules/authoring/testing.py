"""Ruleset test cases: find them, run them, diff what was concluded, and measure coverage.

A ruleset directory keeps its cases in ``tests/*.yaml`` beside the rules (the loader of
rules reads only the top-level ``*.yaml`` files, so ``tests/`` is never read as rules).
``oss-rules test`` runs them; pytest collects them through :func:`collect`; see
docs/authoring.md for the file format.

>>> suites = [load_suite(path, files) for path, files in discover()]
>>> outcomes = [run_case(suite, case) for suite in suites for case in suite.cases]
>>> all(o.passed for o in outcomes)
True
>>> coverage(suites, outcomes).percent
100.0
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..engine._engine import Engine
from ..engine.result import Result
from ..errors import Diagnostic, OssRulesError, RulesetError
from ..language import load, shipped_rulesets
from ..language._loader import HEADER_FILE
from ..language._unparse import show_fact, where
from ..language.syntax import Rule, Ruleset, Span
from ..model.convert import facts_from_json
from ..model.registry import FactRegistry
from ._case_reader import read_cases
from ._cases import TESTS_DIR, Case, Expected, ExpectedError
from ._field_diff import field_differences

__all__ = [
    "Case",
    "Coverage",
    "Expected",
    "ExpectedError",
    "Outcome",
    "RuleCoverage",
    "Suite",
    "collect",
    "coverage",
    "discover",
    "load_suite",
    "run_case",
    "shipped",
]

MAX_LISTED = 20
"""Conclusions of a type listed next to a missing expectation."""


def shipped() -> list[Path]:
    """The directories of the rulesets shipped with the package, sorted by id."""
    return list(shipped_rulesets().values())


@attrs.frozen(eq=False)
class Suite:
    """A loaded ruleset with its test cases, and one compiled engine per param override.

    Suites compare (and hash) by identity: each holds its own engines.
    """

    ruleset: Ruleset
    path: Path
    cases: tuple[Case, ...]
    _engines: dict[str, Engine] = attrs.field(factory=dict, eq=False, repr=False)

    def engine(self, params: Mapping[str, Any], backend: str = "durable") -> Engine:
        """The engine for ``params`` on ``backend`` (compiled on first use, then reused)."""
        key = backend + json.dumps(dict(params), sort_keys=True, default=str)
        engine = self._engines.get(key)
        if engine is None:
            engine = self._engines[key] = Engine(self.ruleset, params=params, backend=backend)
        return engine


def discover(paths: Iterable[str | os.PathLike[str]] = ()) -> list[tuple[Path, list[Path]]]:
    """Each ruleset directory under ``paths`` with its test files (default: the shipped ones).

    A path may be a ruleset directory (all of its ``tests/*.yaml``), its ``tests``
    directory, one test file, or a directory of ruleset directories. Raises
    :class:`~oss_rules.errors.RulesetError` (OSS002) for a path that is none of these.
    """
    found: dict[Path, list[Path]] = {}
    for raw in list(paths) or shipped():
        path = Path(raw)
        in_tests = path.parent.name == TESTS_DIR
        if path.is_file() and in_tests and (path.parent.parent / HEADER_FILE).exists():
            found.setdefault(path.parent.parent, []).append(path)
        elif path.is_dir() and path.name == TESTS_DIR and (path.parent / HEADER_FILE).exists():
            found.setdefault(path.parent, []).extend(sorted(path.glob("*.yaml")))
        elif (path / HEADER_FILE).exists():
            found.setdefault(path, []).extend(sorted((path / TESTS_DIR).glob("*.yaml")))
        elif path.is_dir() and any((d / HEADER_FILE).exists() for d in path.iterdir()):
            for directory in sorted(d for d in path.iterdir() if (d / HEADER_FILE).exists()):
                found.setdefault(directory, []).extend(
                    sorted((directory / TESTS_DIR).glob("*.yaml"))
                )
        else:
            raise RulesetError(
                [
                    Diagnostic(
                        str(path),
                        1,
                        1,
                        "OSS002",
                        "no ruleset or test file here",
                        "give a ruleset directory (with ruleset.yaml), its tests/ directory, "
                        "a tests/*.yaml file, or a directory of rulesets",
                    )
                ]
            )
    return [(directory, list(dict.fromkeys(files))) for directory, files in found.items()]


def load_suite(
    path: str | os.PathLike[str],
    files: Sequence[Path] | None = None,
    *,
    registry: FactRegistry | None = None,
) -> Suite:
    """Load the ruleset at ``path`` and its test cases (``files``, default ``tests/*.yaml``).

    Raises :class:`~oss_rules.errors.RulesetError` with file:line:col for a problem in
    the ruleset or in a test file.
    """
    directory = Path(path)
    ruleset = load(directory, registry=registry)
    engines: dict[str, Engine] = {}
    bare = Suite(ruleset, directory, (), engines)
    if files is None:
        files = sorted((directory / TESTS_DIR).glob("*.yaml"))
    cases = read_cases(list(files), ruleset, bare.engine)
    return Suite(ruleset, directory, tuple(cases), engines)


def collect(
    paths: Iterable[str | os.PathLike[str]] = (),
) -> list[tuple[Suite, Case]]:
    """Every (suite, case) under ``paths``, for ``pytest.mark.parametrize``.

    Use ``ids=[case.id for _, case in pairs]`` to name the tests ``<ruleset>/<file>::<name>``.
    """
    suites = [load_suite(directory, files) for directory, files in discover(paths)]
    return [(suite, case) for suite in suites for case in suite.cases]


@attrs.frozen
class Outcome:
    """What running one case gave: the result and every way it differed from the case."""

    case: Case
    result: Result | None
    missing: tuple[Expected, ...] = ()
    """Expectations that no conclusion matched."""
    unexpected: tuple[Any, ...] = ()
    """With ``match: exact``, conclusions of an expected type that no expectation matched."""
    forbidden: tuple[tuple[Expected, Any], ...] = ()
    """Conclusions that matched an ``absent`` entry, with that entry."""
    problem: str = ""
    """An error where none was expected, or the wrong (or no) error where one was."""

    @property
    def passed(self) -> bool:
        """Whether the case passed."""
        return not (self.missing or self.unexpected or self.forbidden or self.problem)

    def line(self) -> str:
        """``pass <id>`` or ``FAIL <id>``."""
        return ("pass " if self.passed else "FAIL ") + self.case.id

    def report(self) -> str:
        """The failure as text: what is missing, what is unexpected, and the proofs."""
        if self.passed:
            return self.line()
        lines = [self.line(), f"  at {where(self.case.span)}"]
        if self.problem:
            lines += ["  " + part for part in self.problem.splitlines()]
        if self.missing:
            lines.append("  expected, not concluded:")
            for e in self.missing:
                lines.append(f"    - {e}  ({where(e.span)})")
                lines += field_differences(e, self._of_type(e.type), "      ")
            # With `exact`, the unexpected list below already shows what came instead.
            for type_name in dict.fromkeys(e.type for e in self.missing):
                if any(type(f).__name__ == type_name for f in self.unexpected):
                    continue
                actual = self._of_type(type_name)
                lines.append(f"  concluded {type_name}: {'none' if not actual else ''}".rstrip())
                lines += [f"      {show_fact(f)}" for f in actual[:MAX_LISTED]]
                if len(actual) > MAX_LISTED:
                    lines.append(f"      ... and {len(actual) - MAX_LISTED} more")
        if self.unexpected:
            lines.append("  concluded, not expected (match: exact):")
            lines += [self._proof("+", fact) for fact in self.unexpected]
        if self.forbidden:
            lines.append("  concluded, but listed under absent:")
            for expected, fact in self.forbidden:
                lines.append(f"    ! {expected}  ({where(expected.span)})")
                lines.append(self._proof(" ", fact))
        return "\n".join(lines)

    def _of_type(self, type_name: str) -> list[Any]:
        assert self.result is not None
        return [f for f in self.result.conclusions if type(f).__name__ == type_name]

    def _proof(self, mark: str, fact: Any) -> str:
        assert self.result is not None
        # The proof's first line is the fact itself: put the mark in front of it.
        text = self.result.explain(fact).render("      ")
        return f"    {mark} " + text.removeprefix("      ")


def run_case(suite: Suite, case: Case, *, backend: str = "durable") -> Outcome:
    """Evaluate ``case`` with ``suite``'s ruleset on ``backend`` and compare the
    conclusions with it."""
    try:
        facts = facts_from_json(list(case.given), suite.ruleset.registry)
        result = suite.engine(case.params, backend).evaluate(facts, as_of=case.as_of)
    except OssRulesError as error:
        got = f"{type(error).__name__}: {error}"
        if case.expect_error is None:
            return Outcome(case, None, problem=f"evaluation failed: {got}")
        if case.expect_error.matches(error):
            return Outcome(case, None)
        return Outcome(case, None, problem=f"expected {case.expect_error}, got {got}")
    if case.expect_error is not None:
        return Outcome(
            case,
            result,
            problem=f"expected {case.expect_error}, but the evaluation succeeded "
            f"with {len(result.conclusions)} conclusions",
        )
    conclusions = result.conclusions
    missing = tuple(e for e in case.expect if not any(e.matches(f) for f in conclusions))
    unexpected: tuple[Any, ...] = ()
    if case.match == "exact":
        named = {e.type for e in case.expect}
        unexpected = tuple(
            f
            for f in conclusions
            if type(f).__name__ in named and not any(e.matches(f) for e in case.expect)
        )
    forbidden = tuple((e, f) for e in case.absent for f in conclusions if e.matches(f))
    return Outcome(case, result, missing, unexpected, forbidden)


@attrs.frozen
class RuleCoverage:
    """Whether any case made one rule fire, and which cases did.

    ``rule`` is the rule's :attr:`~oss_rules.language.syntax.Rule.label`: a rule with
    ``or`` has one entry per alternative (``hazmat (alternative 2 of 3)``).
    """

    ruleset: str
    rule: str
    span: Span
    cases: tuple[str, ...]

    @property
    def fired(self) -> bool:
        """Whether at least one case made the rule derive a fact."""
        return bool(self.cases)


@attrs.frozen
class Coverage:
    """Rule coverage of a test run: a rule counts as covered when a case made it fire."""

    rules: tuple[RuleCoverage, ...]

    @property
    def total(self) -> int:
        """How many rules there are."""
        return len(self.rules)

    @property
    def fired(self) -> int:
        """How many rules fired in at least one case."""
        return sum(r.fired for r in self.rules)

    @property
    def percent(self) -> float:
        """Covered rules in percent (100.0 when there are no rules); not rounded."""
        return 100.0 * self.fired / self.total if self.total else 100.0

    @property
    def never_fired(self) -> tuple[RuleCoverage, ...]:
        """The rules that no case made fire."""
        return tuple(r for r in self.rules if not r.fired)

    def render(self) -> str:
        """The report: one line per rule, then where the never-fired rules are, then the total."""
        width = max([len(r.rule) for r in self.rules] + [10])
        lines = []
        # Group by ruleset id and directory: two copies of one ruleset stay apart.
        groups = dict.fromkeys((r.ruleset, Path(r.span.file).parent) for r in self.rules)
        for ruleset, directory in groups:
            lines.append(f"coverage of {ruleset}:")
            for r in self.rules:
                if (r.ruleset, Path(r.span.file).parent) != (ruleset, directory):
                    continue
                count = len(r.cases)
                fired = f"{count:>3} case{'s' if count != 1 else ''}" if count else "never fired"
                lines.append(f"  {r.rule:<{width}}  {fired}")
        if self.never_fired:
            lines.append(f"never fired ({len(self.never_fired)}):")
            lines += [f"  {where(r.span)}: {r.rule}" for r in self.never_fired]
        lines.append(f"rule coverage: {self.fired}/{self.total} rules ({self.percent:.1f} %)")
        return "\n".join(lines)


def coverage(suites: Iterable[Suite], outcomes: Iterable[Outcome]) -> Coverage:
    """Which rules of ``suites`` fired in the results of ``outcomes`` (from their traces).

    An outcome counts for the suite that holds its case.
    """
    suites = list(suites)
    suite_of = {id(case): suite for suite in suites for case in suite.cases}
    # A rule with `or` is covered alternative by alternative, like a table row by row.
    fired: dict[tuple[int, str, int | None], list[str]] = {}
    for outcome in outcomes:
        suite = suite_of.get(id(outcome.case))
        if outcome.result is None or suite is None:
            continue
        for rule, number in dict.fromkeys((i.rule, i.alternative) for i in outcome.result.trace):
            fired.setdefault((id(suite), rule, number), []).append(outcome.case.id)

    def cases(suite: Suite, rule: Rule) -> tuple[str, ...]:
        number = rule.alternative.number if rule.alternative else None
        return tuple(fired.get((id(suite), rule.id, number), ()))

    return Coverage(
        tuple(
            RuleCoverage(suite.ruleset.id, rule.label, rule.span, cases(suite, rule))
            for suite in suites
            for rule in suite.ruleset.rules
        )
    )
