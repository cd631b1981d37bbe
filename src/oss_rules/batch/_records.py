"""Input records, read lazily: one JSON document, a JSON Lines file, a CSV file or stdin.

A record is one input document (``{"as_of": ..., "facts": [...]}``) with where it came
from, so that an error can name the file and line. Nothing here holds more than one
record: a 200,000-line file is read line by line.

A record that cannot be read (bad JSON, a CSV row that does not fit) is still yielded,
with ``problem`` saying why, so that batch evaluation reports it and goes on.
"""

from __future__ import annotations

import io
import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from ..model.registry import FactRegistry
from ._csv import CsvLayout, csv_records
from ._outcomes import Record

__all__ = ["STDIN", "read_records"]

STDIN = "-"
"""The file name that means standard input."""


def read_records(path: str, registry: FactRegistry) -> Iterator[Record]:
    """The records of the file at ``path`` (``-`` for stdin), read lazily.

    ``.jsonl`` and ``.ndjson`` hold one document per line, ``.csv`` one row per hazard
    (see :class:`CsvLayout`), anything else one JSON document. Standard input is JSON
    Lines when its first line is a JSON object by itself, else one JSON document.
    Raises ``OSError`` when the file cannot be opened and
    :class:`CsvHeaderError` for a CSV header that does not fit.
    """
    if path == STDIN:
        yield from _stdin(sys.stdin)
        return
    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        with open(path, encoding="utf-8") as file:
            yield from _json_lines(path, file)
    elif suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as file:
            yield from csv_records(path, file, CsvLayout.of(registry))
    else:
        yield _document(path, Path(path).read_text("utf-8"), 1)


def _load(text: str) -> Any:
    # Decimals, not floats: a wage or a rate read from JSON stays exact.
    return json.loads(text, parse_float=Decimal)


def _document(source: str, text: str, first_line: int) -> Record:
    try:
        return Record(source, first_line, _load(text))
    except json.JSONDecodeError as error:
        line = first_line + error.lineno - 1
        return Record(source, line, text, f"invalid JSON: {error.msg} (column {error.colno})")


def _json_lines(source: str, lines: Iterable[str], start: int = 1) -> Iterator[Record]:
    for number, line in enumerate(lines, start):
        if line.strip():
            yield _document(source, line.rstrip("\r\n"), number)


def _stdin(stream: IO[str]) -> Iterator[Record]:
    source = "<stdin>"
    head: list[str] = []
    for line in stream:
        head.append(line)
        if line.strip():
            break
    if not head or not head[-1].strip():
        return
    try:
        first = _load(head[-1])
    except json.JSONDecodeError:
        first = None
    if isinstance(first, dict):
        yield from _json_lines(source, itertools.chain(head, stream))
        return
    # A pretty-printed document spans lines: read it whole.
    text = io.StringIO()
    text.writelines(head)
    text.write(stream.read())
    yield _document(source, text.getvalue(), 1)
