"""Every error `oss_rules` raises, under one root: :class:`OssRulesError`.

Each class says what went wrong and carries the pieces as attributes, so that a
program can act on them and a person can read ``str(error)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ._messages import MISSING, listing, shown, suggest

__all__ = [
    "ERROR",
    "WARNING",
    "ArgumentError",
    "BackendError",
    "CsvHeaderError",
    "Diagnostic",
    "DomainError",
    "EvaluationError",
    "FactError",
    "FactTypeError",
    "FactsError",
    "FileError",
    "InputError",
    "LimitError",
    "OssRulesError",
    "ParamError",
    "PayrollError",
    "Problem",
    "PropertyError",
    "QuestionError",
    "RevisionError",
    "RulesetError",
    "SplitError",
    "SubmissionError",
    "require",
    "suggest",
]

ERROR = "error"
"""Severity of a diagnostic that makes the ruleset wrong (``oss-rules check`` exits 1)."""
WARNING = "warning"
"""Severity of a diagnostic that is probably a mistake (a param no rule uses)."""


class OssRulesError(Exception):
    """Root of every error raised by oss_rules; catch this to catch them all."""


class FactError(OssRulesError, ValueError):
    """A fact has a field whose value is not what its type allows.

    Cause: bad input data (a typo, a wrong unit, a value out of range).
    Remedy: fix the value named in the message; nothing was guessed or dropped.
    """

    def __init__(
        self,
        fact: str,
        field: str,
        value: Any,
        expected: str,
        *,
        fact_id: str | None = None,
        path: str | None = None,
        hint: str = "",
    ) -> None:
        self.fact = fact
        self.field = field
        self.value = value
        self.expected = expected
        self.fact_id = fact_id
        self.path = path
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        where = f"{self.path}: " if self.path else ""
        which = f"{self.fact} {self.fact_id!r}" if self.fact_id else self.fact
        what = f"{which} field {self.field!r}" if self.field else which
        got = "missing" if self.value is MISSING else f"got {shown(self.value)}"
        return f"{where}{what} must be {self.expected} ({got}){self.hint}"

    def at(self, path: str) -> FactError:
        """Return a copy of this error located at ``path`` (``$.facts[3]``)."""
        return FactError(
            self.fact,
            self.field,
            self.value,
            self.expected,
            fact_id=self.fact_id,
            path=f"{path}.{self.field}" if self.field else path,
            hint=self.hint,
        )


class FactsError(OssRulesError, ValueError):
    """Several facts are invalid; ``errors`` lists every problem, not only the first.

    Cause: bad input data. Remedy: fix each listed value; the message gives its path.
    """

    def __init__(self, errors: Sequence[FactError]) -> None:
        self.errors = tuple(errors)
        super().__init__(listing(self.errors, "error occurred", "  "))


class InputError(OssRulesError, ValueError):
    """An input document is not valid JSON.

    Remedy: fix the document at ``source:line:col``.
    """

    def __init__(self, source: str, line: int, col: int, message: str) -> None:
        self.source = source
        self.line = line
        self.col = col
        self.message = message
        super().__init__(f"{source}:{line}:{col}: invalid JSON: {message}")


@attrs.frozen
class Diagnostic:
    """One problem found in a ruleset file, located by ``file:line:col``.

    ``severity`` is :data:`ERROR` (the ruleset is wrong; every load error is one) or
    :data:`WARNING` (``oss-rules check``: probably a mistake, such as a param that no
    rule uses).
    """

    file: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    text: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        warning = "warning: " if self.severity == WARNING else ""
        out = f"{self.file}:{self.line}:{self.col}: {self.code}: {warning}{self.message}"
        if self.text:
            out += f"\n    {self.text}"
        if self.hint:
            out += f"\n    hint: {self.hint}"
        return out


class RulesetError(OssRulesError):
    """A ruleset could not be loaded or compiled.

    Cause: a mistake in a ruleset file. Remedy: each diagnostic gives file:line:col,
    the offending text and a hint; fix them and load again.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__(listing(self.diagnostics, "error occurred", ""))


class BackendError(OssRulesError, ValueError):
    """``Engine(backend=...)`` names no backend.

    Remedy: pass one of the backends the message lists (``"durable"``, the default, or
    ``"compiled"``).
    """

    def __init__(self, backend: object, backends: tuple[str, ...]) -> None:
        self.backend = backend
        self.backends = backends
        super().__init__(
            f"backend must be one of {', '.join(map(repr, backends))} (got backend={backend!r})"
            f"{suggest(str(backend), backends)}"
        )


class DomainError(OssRulesError, LookupError):
    """A ruleset or a call names a domain that is not installed.

    Remedy: use one of the names listed in the message, or install the package that
    provides the domain (it registers itself in the ``oss_rules.domains`` entry points).
    """


class EvaluationError(OssRulesError):
    """A rule's ``then`` failed while deriving a fact (bad expression result, bad value).

    Cause: a rule that computes an invalid value for the facts at hand. Remedy: the
    message names the rule, its file:line and the matched facts; fix the rule or facts.
    """

    def __init__(self, rule: str, location: str, bindings: str, cause: BaseException) -> None:
        self.rule = rule
        self.location = location
        self.bindings = bindings
        self.cause = cause
        super().__init__(f"{location}: rule {rule!r} failed: {cause}\n    with {bindings}")


@attrs.frozen
class Problem:
    """One problem of a registration submission: where (``employer.nib``), what, and a fix."""

    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" + (f" ({self.hint})" if self.hint else "")


class SubmissionError(OssRulesError, ValueError):
    """A registration submission cannot be built; ``problems`` lists every problem at once.

    Cause: missing or malformed employer identifiers, a module without assessment data,
    dates after the evaluation date. Remedy: fix each listed field and build again.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(listing(self.problems, "problem", "  "))


class ParamError(OssRulesError, ValueError):
    """A param override names no param of the ruleset or has the wrong type.

    Remedy: use a param name from the ruleset's ``params:`` with a value of the same type.
    """

    def __init__(self, name: str, value: Any, expected: str, hint: str = "") -> None:
        self.name = name
        self.value = value
        self.expected = expected
        super().__init__(f"param {name!r} must be {expected} (got {value!r}){hint}")


class PayrollError(OssRulesError, ValueError):
    """The contributions cannot make a payroll: a line the export has no column for, or
    two lines for the same worker, programme and payer (they would be counted twice).

    Remedy: fix the ruleset so that it derives one line per worker, programme and payer.
    """


class RevisionError(OssRulesError, ValueError):
    """A ruleset named as ``PATH@REV`` cannot be read from git.

    Cause: git is not installed, ``PATH`` is not inside a git repository, ``REV`` names no
    commit, or the commit has no ``PATH``. Remedy: name a commit (``HEAD~1``, a tag, a
    hash) of the repository that holds ``PATH``, as ``git log -- PATH`` lists them.
    """


class QuestionError(OssRulesError, ValueError):
    """A ``--why-not`` pattern cannot be asked.

    Cause: a condition without a field of the fact type on its left, or with a right
    side that is not a constant. Remedy: write ``Type(field == "value", ...)``.
    """


class PropertyError(OssRulesError, AssertionError):
    """A property does not hold for these facts.

    An ``AssertionError`` too, so that pytest and hypothesis report it as a failed test.
    Cause: the ruleset (or the engine) behaves differently from what the property says.
    Remedy: read the message; ``case`` holds the facts as a ruleset test case
    (``{name, as_of, given, expect, absent, ...}``) that pins the expected behaviour.
    """

    def __init__(self, message: str, case: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.case = case


class ArgumentError(OssRulesError, TypeError):
    """A public function was called with an argument of the wrong type.

    Cause: a programming mistake in the calling code, such as a path where a loaded
    ruleset is expected. Remedy: pass what the message names; ``function``, ``name``,
    ``value`` and ``expected`` carry the pieces. A ``TypeError`` too, as Python's own
    argument errors are.
    """

    def __init__(self, function: str, name: str, value: Any, expected: str, hint: str = "") -> None:
        self.function = function
        self.name = name
        self.value = value
        self.expected = expected
        super().__init__(f"{function}({name}={value!r}): expected {expected}{hint}")


def require(
    function: str, name: str, value: Any, cls: type | tuple[type, ...], expected: str
) -> None:
    """Raise :class:`ArgumentError` unless ``value`` is an instance of ``cls``.

    A ``datetime`` is not accepted for a ``date`` (it compares unequal to every date).
    """
    classes = cls if isinstance(cls, tuple) else (cls,)
    moment = isinstance(value, dt.datetime) and dt.datetime not in classes
    if not isinstance(value, classes) or moment:
        raise ArgumentError(function, name, value, expected)


class FactTypeError(OssRulesError, TypeError, ValueError):
    """A class cannot be registered as a fact type.

    Cause: it is not a frozen attrs class, a field has a type facts cannot hold or a name
    that is not allowed, it has more fields than durable-rules matches, or another class
    of the same name is registered. Remedy: the message says which; fix the class.
    A ``TypeError`` and a ``ValueError`` too, as registration raised before.
    """


class FileError(OssRulesError, ValueError):
    """A file cannot be read as text: it is missing, a directory, or not UTF-8.

    Cause: a wrong path, or a file saved in another encoding (Latin-1, UTF-16) or
    damaged. Remedy: the message names the file and, for bad bytes, the byte offset and
    line; fix the path, or save the file as UTF-8.
    """

    def __init__(self, path: str, message: str, *, offset: int | None = None) -> None:
        self.path = path
        self.message = message
        self.offset = offset
        super().__init__(f"{path}: {message}")


class LimitError(OssRulesError, ValueError):
    """An input or a ruleset goes beyond one of the documented limits (docs/errors.md).

    Cause: an input too large for one evaluation, a rule that derives facts forever, a
    fact type with more fields than durable-rules stores. Remedy: the message says which
    limit (``limit``, ``maximum``) and how to stay within it.
    """

    def __init__(self, limit: str, maximum: int, message: str) -> None:
        self.limit = limit
        self.maximum = maximum
        super().__init__(message)


class CsvHeaderError(OssRulesError, ValueError):
    """A CSV file's header does not fit the layout: an unknown or a missing column.

    Remedy: name the columns as ``oss-rules schema --csv`` prints them.
    """

    def __init__(self, source: str, line: int, col: int, message: str) -> None:
        self.source = source
        self.line = line
        self.col = col
        self.message = message
        super().__init__(f"{source}:{line}:{col}: {message}")


class SplitError(OssRulesError, ValueError):
    """The ruleset joins facts that no reference links, so splitting could change answers.

    Remedy: join on a reference field (``workplace == h.workplace``), declare the field
    as a reference in the fact type, or evaluate the input whole. ``problems`` are the
    unlinked joins (``language._splittable.Unlinked``), each located at its pattern.
    """

    def __init__(self, ruleset: str, problems: Sequence[Any]) -> None:
        self.ruleset = ruleset
        self.problems = tuple(problems)
        lines = [
            f"  {p.pattern.span.file}:{p.pattern.span.line}:{p.pattern.span.col}: {p.message()}"
            for p in self.problems
        ]
        super().__init__("\n".join([f"cannot split inputs for ruleset {ruleset}:", *lines]))
