"""The limits every number and date of a fact, a param or a rule literal must keep.

Beyond them Python's decimals round and dates overflow; an attacker's ``1e9999999999``
would be expanded into ten billion digits. So every reader refuses them first, with the
hints below (see docs/errors.md, "Limits").
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

__all__ = [
    "DATE_HINT",
    "DEFAULT_MAX_FACTS",
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_DIGITS",
    "MAX_MAGNITUDE",
    "RANGE_HINT",
    "day_in_range",
    "in_range",
    "parse_day",
]

MAX_MAGNITUDE = 10**15
"""Every number a fact or a param holds is strictly between -10^15 and 10^15: far above
any headcount or rupiah amount, and small enough that durable's doubles hold it exactly."""
MAX_DIGITS = 28
"""At most this many significant digits (the decimal context's precision): reading a
number never rounds it."""
RANGE_HINT = "; every number is limited to -10^15 < x < 10^15 with at most 28 significant digits"


DEFAULT_MAX_FACTS = 200_000
"""Facts one evaluation may hold, given and derived, unless the engine is told otherwise.
Each costs durable about 30 KB, so this bounds an evaluation near 6 GB; a larger input is
many inventories, to evaluate one by one (split the input by workplace)."""

FIRST_DAY = dt.date(1000, 1, 1)
"""The first date a fact or ``as_of`` may hold."""
LAST_DAY = dt.date(8999, 12, 31)
"""The last date a fact or ``as_of`` may hold: a rule may add or subtract up to a thousand
years without leaving the calendar (Python's dates end at 9999-12-31)."""
DATE_HINT = "; dates are YYYY-MM-DD, from 1000-01-01 to 8999-12-31"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str) -> dt.date | None:
    """The date written ``YYYY-MM-DD`` (and nothing else: not ``20260630``, not
    ``2026-W27-2``) within the calendar limits, or ``None``."""
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def day_in_range(value: dt.date) -> bool:
    """Whether ``value`` (a date or a date-time) lies within the calendar limits."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return FIRST_DAY <= day <= LAST_DAY


def in_range(value: int | float | Decimal) -> bool:
    """Whether the number ``value`` is finite and within the limits above.

    The checks look at the exponent first, so ``1e9999999999`` is refused at once
    instead of being expanded into a ten-billion-digit integer.
    """
    if isinstance(value, int):
        return -MAX_MAGNITUDE < value < MAX_MAGNITUDE
    if isinstance(value, float):
        return math.isfinite(value) and abs(value) < MAX_MAGNITUDE
    if not value.is_finite():
        return False
    if value.is_zero():
        return True
    if value.adjusted() >= 15:
        return False
    digits = value.as_tuple().digits
    trailing = len(digits) - len(bytes(digits).rstrip(b"\0"))
    return len(digits) - trailing <= MAX_DIGITS
