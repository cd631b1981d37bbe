"""Static analysis of rulesets without facts: what ``oss-rules check`` reports.

A ruleset that does not load yields the loader's diagnostics (OSS0xx, and the type
errors OSS101-104), all errors. One that loads is analysed further (OSS1xx, see
docs/rule-language.md#diagnostics): unused params and sources, rules that can never
fire, and decision tables with gaps, overlaps or dead rows.

>>> report = check_paths()  # the rulesets shipped with the package
>>> report.errors, report.warnings
(0, 0)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..errors import ERROR, WARNING, Diagnostic, RulesetError
from ..language import load, shipped_rulesets
from ..language._analysis import analyse
from ..language._loader import HEADER_FILE
from ..language.syntax import Ruleset
from ..model.registry import FactRegistry
from ._cases import TESTS_DIR

__all__ = ["ERROR", "WARNING", "Problem", "Report", "check", "check_paths", "rulesets_under"]

Problem = Diagnostic
"""What ``check`` reports: a :class:`~oss_rules.errors.Diagnostic` with its severity
(the name this module gave it before diagnostics carried one)."""


def check(
    path: str | os.PathLike[str], *, registry: FactRegistry | None = None
) -> tuple[Diagnostic, ...]:
    """Every problem of the ruleset at ``path`` (a directory with ruleset.yaml, or one file).

    Load errors come first and alone: the analysis needs a ruleset that loads.
    """
    try:
        ruleset = load(path, registry=registry)
    except RulesetError as error:
        return error.diagnostics
    lines: dict[str, list[str]] = {}
    problems = [*analyse(ruleset), *_unnamed_rows(ruleset, Path(path))]
    files = list(dict.fromkeys(r.span.file for r in ruleset.rules))
    problems.sort(key=lambda p: (files.index(p.file) if p.file in files else -1, p.line, p.col))
    return tuple(_with_source_line(p, lines) for p in problems)


def _unnamed_rows(ruleset: Ruleset[Any], path: Path) -> list[Diagnostic]:
    """OSS134: a table of a ruleset with test cases whose rows are known by number.

    Coverage, proofs and the failures of test cases name a row by its rule id; without an
    id that is its number, which a row inserted above it changes.
    """
    if not path.is_dir() or not any((path / TESTS_DIR).glob("*.yaml")):
        return []
    problems = []
    for table in ruleset.tables:
        unnamed = [str(row.number) for row in table.rows if row.id is None]
        if not unnamed:
            continue
        if len(unnamed) == len(table.rows):
            which = f"none of its {len(unnamed)} rows has an `id`"
        elif len(unnamed) == 1:
            which = f"row {unnamed[0]} has no `id`"
        else:
            which = f"rows {', '.join(unnamed[:-1])} and {unnamed[-1]} have no `id`"
        span = table.span
        problems.append(
            Diagnostic(
                span.file,
                span.line,
                span.col,
                "OSS134",
                f"table `{table.id}` has test cases, and {which}",
                "start each row with an id, `- [id: high, ...]`: the row's rule is then "
                f"`{table.id}#high`, and inserting a row no longer renames the rows below it",
                severity=WARNING,
            )
        )
    return problems


def rulesets_under(paths: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """The rulesets at ``paths`` (default: the shipped ones).

    A path is a ruleset directory, a single-file ruleset, or a directory of ruleset
    directories. Anything else is returned as is, and :func:`check` reports it (OSS002).
    """
    found: list[Path] = []
    for raw in list(paths) or list(shipped_rulesets().values()):
        path = Path(raw)
        children = []
        if path.is_dir() and not (path / HEADER_FILE).exists():
            children = sorted(d for d in path.iterdir() if (d / HEADER_FILE).exists())
        found.extend(children or [path])
    return list(dict.fromkeys(found))


@attrs.frozen
class Report:
    """The problems of several rulesets, and how to show them."""

    rulesets: tuple[str, ...]
    problems: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(p.severity == ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(p.severity == WARNING for p in self.problems)

    def render(self) -> str:
        """Each problem as ``file:line:col: CODE: message``, then a summary line."""
        count = len(self.rulesets)
        head = f"checked {count} ruleset{'s' if count != 1 else ''}"
        if not self.problems:
            return f"{head}: no problems"
        summary = f"{head}: {_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')}"
        return "\n".join([*(str(p) for p in self.problems), summary])

    def to_data(self) -> dict[str, Any]:
        """The report as JSON-ready data, for editors and CI."""
        return {
            "rulesets": list(self.rulesets),
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [attrs.asdict(p) for p in self.problems],
        }


def check_paths(
    paths: Sequence[str | os.PathLike[str]] = (), *, registry: FactRegistry | None = None
) -> Report:
    """Check every ruleset under ``paths`` (see :func:`rulesets_under`)."""
    rulesets = rulesets_under(paths)
    problems = [p for path in rulesets for p in check(path, registry=registry)]
    return Report(tuple(str(r) for r in rulesets), tuple(problems))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _with_source_line(problem: Diagnostic, cache: dict[str, list[str]]) -> Diagnostic:
    """Show the offending line of the file, as load errors do."""
    if problem.file not in cache:
        try:
            cache[problem.file] = (
                Path(problem.file).read_text("utf-8", errors="replace").splitlines()
            )
        except OSError:
            cache[problem.file] = []
    lines = cache[problem.file]
    if problem.text or not 0 < problem.line <= len(lines):
        return problem
    return attrs.evolve(problem, text=lines[problem.line - 1].strip())
