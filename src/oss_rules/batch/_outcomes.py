"""What batch evaluation reads and yields: records in, one outcome per record out.

A :class:`Record` is an input document read from a file, with its source and line. The
outcomes (:class:`Evaluated`, :class:`Failed`) are defined with the engine, whose
``evaluate_many`` returns them, and re-exported here.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from ..engine.outcomes import Evaluated, Failed, Outcome
from ..errors import FactsError

__all__ = ["Evaluated", "Failed", "Outcome", "Place", "Record"]

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
