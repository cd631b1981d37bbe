"""What a ruleset test case is: facts as of a date, and the conclusions it expects or forbids.

The cases are read from ``<ruleset>/tests/*.yaml`` by :mod:`oss_rules.authoring._case_reader`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import EvaluationError, FactError, FactsError, InputError, OssRulesError, ParamError
from ..language.syntax import Span
from ..model._fields import show_value

TESTS_DIR = "tests"
"""The directory of a ruleset that holds its test case files."""

ERROR_TYPES: Mapping[str, type[OssRulesError]] = {
    cls.__name__: cls
    for cls in (OssRulesError, FactError, FactsError, InputError, EvaluationError, ParamError)
}
"""The error types a case may expect, by name."""


def show(type_name: str, items: Mapping[str, Any]) -> str:
    """``Type(field='value', ...)``, values the way proofs show them."""
    return f"{type_name}({', '.join(f'{k}={show_value(v)}' for k, v in items.items())})"


@attrs.frozen
class Expected:
    """A partial conclusion: a fact type and some of its field values.

    It matches every fact of that type whose named fields have these values.
    """

    type: str
    fields: Mapping[str, Any]
    span: Span = attrs.field(eq=False)

    def matches(self, fact: Any) -> bool:
        """Whether ``fact`` has this type and these field values."""
        return type(fact).__name__ == self.type and all(
            getattr(fact, name) == value for name, value in self.fields.items()
        )

    def __str__(self) -> str:
        return show(self.type, self.fields)


@attrs.frozen
class ExpectedError:
    """The error a case expects: an ``oss_rules`` error type, and text its message contains."""

    type: str
    contains: str
    span: Span = attrs.field(eq=False)

    def matches(self, error: BaseException) -> bool:
        """Whether ``error`` is of this type (or a subclass) and its message contains the text."""
        return isinstance(error, ERROR_TYPES[self.type]) and self.contains in str(error)

    def __str__(self) -> str:
        return self.type + (f" containing {self.contains!r}" if self.contains else "")


@attrs.frozen
class Case:
    """One test case of a ruleset: facts as of a date, and what must (not) be concluded."""

    ruleset: str
    file: str
    name: str
    span: Span = attrs.field(eq=False)
    as_of: dt.date
    given: tuple[Mapping[str, Any], ...]
    params: Mapping[str, Any] = attrs.field(factory=dict)
    expect: tuple[Expected, ...] = ()
    match: str = "contains"
    absent: tuple[Expected, ...] = ()
    expect_error: ExpectedError | None = None
    description: str = ""

    @property
    def id(self) -> str:
        """``<ruleset>/<file>::<case name>``, the id pytest and ``oss-rules test`` show."""
        return f"{self.ruleset}/{Path(self.file).name}::{self.name}"
