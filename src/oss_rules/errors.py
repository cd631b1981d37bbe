"""Every error `oss_rules` raises, under one root: :class:`OssRulesError`.

Each class says what went wrong and carries the pieces as attributes, so that a
program can act on them and a person can read ``str(error)``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

__all__ = [
    "BackendError",
    "Diagnostic",
    "DomainError",
    "EvaluationError",
    "FactError",
    "FactsError",
    "FileError",
    "InputError",
    "LimitError",
    "OssRulesError",
    "Problem",
    "RulesetError",
    "SubmissionError",
    "suggest",
]


def suggest(word: str, candidates: Iterable[str]) -> str:
    """Return ``" (did you mean `x`?)"`` for the closest candidate, or ``""``."""
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


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
        got = "missing" if self.value is _MISSING else f"got {_shown(self.value)}"
        return f"{where}{which} field {self.field!r} must be {self.expected} ({got}){self.hint}"

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


def _shown(value: Any, limit: int = 200) -> str:
    """``repr(value)``, cut in the middle when longer than ``limit`` (a 5,000-digit
    number in a message helps nobody)."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit // 2]}...{text[-limit // 4 :]} ({len(text)} characters)"


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


class FactsError(OssRulesError, ValueError):
    """Several facts are invalid; ``errors`` lists every problem, not only the first.

    Cause: bad input data. Remedy: fix each listed value; the message gives its path.
    """

    def __init__(self, errors: Sequence[FactError]) -> None:
        self.errors = tuple(errors)
        count = len(self.errors)
        head = "1 error occurred:" if count == 1 else f"{count} errors occurred:"
        super().__init__("\n".join([head, *(f"  {e}" for e in self.errors)]))


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
    """One problem found in a ruleset file, located by ``file:line:col``."""

    file: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    text: str = ""

    def __str__(self) -> str:
        out = f"{self.file}:{self.line}:{self.col}: {self.code}: {self.message}"
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
        count = len(self.diagnostics)
        head = "1 error occurred:" if count == 1 else f"{count} errors occurred:"
        super().__init__("\n".join([head, *(str(d) for d in self.diagnostics)]))


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
        count = len(self.problems)
        head = "1 problem:" if count == 1 else f"{count} problems:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


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
