"""The reader's limits (:mod:`._limits`) as JSON Schema keywords, so that a schema validator
accepts what the reader accepts on numbers, dates and the number of facts.

Dates are spelled out as patterns of real calendar days within ``FIRST_DAY..LAST_DAY``
(leap years included), because a validator checks ``format: date`` only when asked to.
The patterns are ECMA-262 regular expressions without lookbehind, so that every JSON
Schema validator can run them; digits are ``[0-9]``, since ``\\d`` matches other scripts'
digits in some regex engines.

>>> import re
>>> bool(re.search(DAY_PATTERN, "2024-02-29")), bool(re.search(DAY_PATTERN, "2025-02-29"))
(True, False)
"""

from __future__ import annotations

from typing import Any

from ._limits import DEFAULT_MAX_FACTS, MAX_DIGITS, MAX_MAGNITUDE

__all__ = [
    "DAY_PATTERN",
    "DECIMAL_TEXT_PATTERN",
    "INTEGER_BOUNDS",
    "MAX_FACTS",
    "MOMENT_PATTERN",
    "MONTH_PATTERN",
    "NUMBER_BOUNDS",
]

# Years 1000-8999: FIRST_DAY and LAST_DAY are the first and last day of those years
# (tests/test_schema_limits.py holds the patterns to them).
_YEAR = r"[1-8][0-9]{3}"
# A leap year of 1000-8999: divisible by 4 but not by 100 (the last two digits are a
# non-zero multiple of 4), or a century divisible by 400 (1200, 1600, ..., 8800).
_LEAP = r"(?:[1-8][0-9](?:0[48]|[2468][048]|[13579][26])|(?:1[26]|[2468][048]|[357][26])00)"
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_DAY = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP}-02-29)"

DAY_PATTERN = rf"^{_DAY}$"
"""A ``YYYY-MM-DD`` day that exists, from 1000-01-01 to 8999-12-31."""
MOMENT_PATTERN = rf"^{_DAY}T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?$"
"""A local ``YYYY-MM-DDTHH:MM[:SS]`` on such a day, without a UTC offset."""
MONTH_PATTERN = rf"^{_YEAR}-(?:0[1-9]|1[0-2])$"
"""A ``YYYY-MM`` month of those years."""

_INTEGER_DIGITS = len(str(MAX_MAGNITUDE)) - 1
DECIMAL_TEXT_PATTERN = (
    rf"^(?!.*[1-9]\.?(?:[0-9]\.?){{{MAX_DIGITS - 1},}}[1-9])"
    rf"-?0*[0-9]{{1,{_INTEGER_DIGITS}}}(?:\.[0-9]+)?$"
)
"""A number written as text (``"0.24"``): at most 15 digits before the point (so
-10^15 < x < 10^15) and at most 28 significant digits, from the first non-zero digit to
the last (the lookahead refuses a longer span)."""

NUMBER_BOUNDS: dict[str, Any] = {
    "exclusiveMinimum": -MAX_MAGNITUDE,
    "exclusiveMaximum": MAX_MAGNITUDE,
}
"""The range of any number of a fact."""
INTEGER_BOUNDS: dict[str, int] = {"minimum": 1 - MAX_MAGNITUDE, "maximum": MAX_MAGNITUDE - 1}
"""The range of an int field that sets no bound of its own."""
MAX_FACTS = DEFAULT_MAX_FACTS
"""The facts an input document may hold for an engine with the default ``max_facts``."""
