"""What batch evaluation reads and yields: records in, one outcome per record out.

An outcome is :class:`Evaluated` (the result) or :class:`Failed` (why not), and always
names the inventory's position in the input (``index``, from 0) and, for records read
from a file, its source and line, so that a failure can be found and fixed.
"""

from __future__ import annotations

import re
from typing import Any, Generic, TypeVar

import attrs

from ..errors import FactsError

__all__ = ["Evaluated", "Failed", "Outcome", "Place", "Record"]

T = TypeVar("T")

Place = tuple[int, str]
"""Where a fact of a CSV record came from: its row's line and its columns' prefix."""

_FACT_PATH = re.compile(r"^\$\.facts\[(\d+)\]\.(\w+)$")


@attrs.frozen
class Record:
    """One input document and where it came from.

    ``data`` is the parsed document (``{"as_of": ..., "facts": [...]}``), or, when
    ``problem`` is set, what could not be read (the text, or the CSV rows), kept for
    reject files.
    """

    source: str
    line: int
    data: Any
    problem: str = ""
    places: tuple[Place, ...] = ()
    """For a CSV record, per fact of ``data["facts"]``: see :data:`Place`."""

    def locate(self, error: FactsError) -> str:
        """``error`` with each ``$.facts[i].field`` path as the CSV cell it came from
        (``line 4, column hazard_severity``); other records keep the paths."""
        if not self.places:
            return str(error)
        lines = [str(error).split("\n", 1)[0]]
        for problem in error.errors:
            text, path = str(problem), problem.path or ""
            match = _FACT_PATH.match(path)
            if match and int(match.group(1)) < len(self.places):
                line, prefix = self.places[int(match.group(1))]
                text = f"line {line}, column {prefix}{match.group(2)}" + text[len(path) :]
            elif path == "$.as_of":
                text = f"line {self.line}, column as_of" + text[len(path) :]
            lines.append(f"  {text}")
        return "\n".join(lines)


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
