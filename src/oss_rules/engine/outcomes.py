"""The outcome of one inventory in a batch evaluation: its result, or why there is none.

An outcome names the inventory's position in the input (``index``, from 0) and, for
records read from a file, its source and line, so that a failure can be found and fixed.
:meth:`oss_rules.Engine.evaluate_many` yields them; :mod:`oss_rules.batch` re-exports them.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import attrs

__all__ = ["Evaluated", "Failed", "Outcome"]

T = TypeVar("T")


@attrs.frozen
class Evaluated(Generic[T]):
    """An inventory that was evaluated: its position in the input and its result."""

    index: int
    result: T
    source: str = ""
    line: int = 0


@attrs.frozen
class Failed:
    """An inventory that could not be evaluated, and why.

    ``error`` is the exception's class name (``FactsError``, ``EvaluationError``, or
    ``InvalidRecord`` for a record that could not be read), ``reason`` its message, and
    ``record`` the input as it was read (for reject files).
    """

    index: int
    error: str
    reason: str
    source: str = ""
    line: int = 0
    record: Any = None

    def where(self) -> str:
        """``source:line`` for records read from a file, else ``inventory N``."""
        return f"{self.source}:{self.line}" if self.source else f"inventory {self.index}"


Outcome = Evaluated[T] | Failed
"""One outcome per input inventory, in input order."""
