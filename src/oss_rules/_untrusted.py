"""Text from input documents and rulesets made harmless where it is shown.

Names, ids and messages come from files a user does not always control. Two places
would act on them instead of showing them: a spreadsheet opening a CSV file runs a
cell that starts like a formula, and a terminal obeys control characters (ESC starts a
command sequence, BEL rings, U+202E reverses the text after it). So CSV cells are
neutralised as OWASP recommends, and terminal output escapes control characters.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["FORMULA_STARTS", "csv_line", "escape_control", "spreadsheet_cell"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A CSV text cell starting with one of these would be read as a formula by a spreadsheet."""

# C0 controls but newline and tab, DEL, C1 controls (0x9b is a CSI on some terminals),
# the bidirectional formatting characters, and lone surrogates (they cannot be encoded).
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def spreadsheet_cell(value: Any) -> Any:
    """``value`` for a CSV cell: a text starting with ``=``, ``+``, ``-``, ``@``, tab or
    carriage return gets a leading single quote, so that a spreadsheet shows it as text
    instead of running it as a formula; numbers and other text are returned as they are.

    >>> spreadsheet_cell('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> spreadsheet_cell(-5)
    -5
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_line(cells: Iterable[Any]) -> str:
    r"""One CSV line of ``cells`` ending in ``\n``, each cell passed through
    :func:`spreadsheet_cell`.

    A cell holding a carriage return is quoted, as one holding a line feed is (Python's
    writer quotes only the characters of its line terminator, so a lone ``\r`` would
    otherwise end the row early for a reader).

    >>> csv_line(["w1", "=1+1", 5])
    "w1,'=1+1,5\n"
    """
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([spreadsheet_cell(c) for c in cells])
    return out.getvalue()[:-2] + "\n"


def escape_control(text: str) -> str:
    r"""``text`` with each control character written as a visible ``\uXXXX`` escape.

    Newline and tab are kept. The escape is also valid inside a JSON string, so JSON
    output stays the same data.

    >>> escape_control("bad\x1b[2Jname\u202e")
    'bad\\u001b[2Jname\\u202e'
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
