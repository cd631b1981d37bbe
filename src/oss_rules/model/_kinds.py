"""Field kinds: what a fact field may hold, how it reads from JSON and how durable sees it.

A kind is the single description of a field's values. It validates Python values,
converts JSON input (numbers to exact decimals, ISO dates, months and moments), encodes
for the durable-rules engine (dates become day ordinals so that the engine can compare
them), shows values to people (:meth:`Kind.show`, the one value renderer of proofs,
why-not answers, test reports, terminal text and the HTML report, refining
:func:`~oss_rules.model._show.show_value` per field) and describes itself in error
messages. ``oss_rules.model._fields`` attaches kinds to attrs fields.
"""

from __future__ import annotations

import abc
import datetime as dt
import re
from decimal import Decimal
from typing import Any

import attrs

from ..errors import suggest
from ._limits import (
    DATE_HINT,
    MAX_MAGNITUDE,
    RANGE_HINT,
    day_in_range,
    in_range,
    parse_day,
)
from ._show import canonical_number, show_value

_IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$")
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")

_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")


class Kind(abc.ABC):
    """Base of field kinds; subclasses are frozen attrs classes."""

    expected: str = "a value"

    @abc.abstractmethod
    def check(self, value: Any) -> bool:
        """Return whether ``value`` is a valid Python value of this kind."""

    def from_json(self, value: Any) -> Any:
        """Turn a JSON value into the Python value (no coercion beyond the format)."""
        return value

    def to_json(self, value: Any) -> Any:
        """Turn a valid Python value into its JSON form."""
        return value

    def to_durable(self, value: Any) -> Any:
        """Encode a valid Python value for durable-rules conditions."""
        return value

    def hint(self, value: Any) -> str:
        """A short suggestion for a wrong value, or ``""``."""
        return ""

    def show(self, value: Any, *, quoted: bool = True) -> str:
        """A valid value as people read it; see :func:`show_value` for the two styles."""
        return show_value(value, quoted=quoted)


@attrs.frozen
class Text(Kind):
    """A string, non-empty unless ``empty``; ``ident`` allows identifier characters only."""

    ident: bool = False
    empty: bool = False

    @property
    def expected(self) -> str:  # type: ignore[override]
        if self.ident:
            return "a non-empty identifier (letters, digits, _ . : / -)"
        return "a string" if self.empty else "a non-empty string"

    def check(self, value: Any) -> bool:
        if not isinstance(value, str):
            return False
        if not self.empty and not value.strip():
            return False
        if self.ident:
            return bool(_IDENT.match(value))
        # A lone surrogate is not a character: no output (UTF-8, HTML, CSV) can encode it.
        return not _SURROGATE.search(value)

    def hint(self, value: Any) -> str:
        if isinstance(value, str) and _SURROGATE.search(value):
            return "; it holds a lone surrogate (half of a UTF-16 pair), which is not a character"
        return ""


@attrs.frozen
class Integer(Kind):
    """An int (not a bool) within ``[minimum, maximum]`` where given."""

    minimum: int | None = None
    maximum: int | None = None

    @property
    def expected(self) -> str:  # type: ignore[override]
        if self.minimum is not None and self.maximum is not None:
            return f"an int in {self.minimum}..{self.maximum}"
        if self.minimum is not None:
            return f"an int >= {self.minimum}"
        if self.maximum is not None:
            return f"an int <= {self.maximum}"
        return "an int"

    def check(self, value: Any) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        if not -MAX_MAGNITUDE < value < MAX_MAGNITUDE:
            return False
        if self.minimum is not None and value < self.minimum:
            return False
        return self.maximum is None or value <= self.maximum

    def hint(self, value: Any) -> str:
        if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
            return "" if in_range(value) else RANGE_HINT
        return ""


@attrs.frozen
class Number(Kind):
    """A finite real number: an int or an exact :class:`~decimal.Decimal` (a finite float
    is accepted from Python code). JSON numbers are read as ``Decimal``, never as floats,
    so money and rates stay exact; the JSON form is the shortest exact decimal text."""

    expected = "a finite number"

    def check(self, value: Any) -> bool:
        if isinstance(value, bool):
            return False
        # NaN and infinities break set semantics (NaN != NaN) and have no JSON form.
        return isinstance(value, int | Decimal | float) and in_range(value)

    def from_json(self, value: Any) -> Any:
        if isinstance(value, float):
            return Decimal(repr(value))
        if isinstance(value, str) and _DECIMAL.fullmatch(value):
            return Decimal(value)
        return value

    def to_json(self, value: Any) -> Any:
        # A fraction is written as a string ("0.24"): a JSON number would be read back
        # as a binary float by most consumers, and money must stay exact.
        number = canonical_number(value)
        return number if isinstance(number, int) else format(number, "f")

    def to_durable(self, value: Any) -> Any:
        # durable's JSON parser drops a fact holding a number in exponent form (9e-05),
        # so durable gets the exact text; every condition on a number is checked in
        # Python (see _compile).
        return str(canonical_number(value))

    def hint(self, value: Any) -> str:
        if isinstance(value, str):
            return '; write digits with an optional decimal point, e.g. 1250000 or "0.24"'
        if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
            return "" if in_range(value) else RANGE_HINT
        return ""


@attrs.frozen
class Boolean(Kind):
    """``true`` or ``false``."""

    expected = "a bool (true or false)"

    def check(self, value: Any) -> bool:
        return isinstance(value, bool)


@attrs.frozen
class Day(Kind):
    """A calendar date; ISO ``YYYY-MM-DD`` in JSON, a day ordinal inside the engine."""

    expected = "a date (YYYY-MM-DD)"

    def check(self, value: Any) -> bool:
        return (
            isinstance(value, dt.date)
            and not isinstance(value, dt.datetime)
            and day_in_range(value)
        )

    def from_json(self, value: Any) -> Any:
        if isinstance(value, str):
            day = parse_day(value)
            return value if day is None else day
        return value

    def hint(self, value: Any) -> str:
        return DATE_HINT if isinstance(value, str | dt.date) else ""

    def to_json(self, value: Any) -> Any:
        return value.isoformat()

    def to_durable(self, value: Any) -> Any:
        return value.toordinal()


@attrs.frozen
class Moment(Kind):
    """A local date and time at the workplace, to the second; ISO ``YYYY-MM-DDTHH:MM[:SS]``
    in JSON, without a UTC offset. ``as_of`` is a local date, so a time with an offset
    could not be placed on it; an app converts to the workplace's local time first."""

    expected = "a local date-time (YYYY-MM-DDTHH:MM[:SS], no offset)"

    def check(self, value: Any) -> bool:
        return (
            isinstance(value, dt.datetime)
            and value.tzinfo is None
            and value.microsecond == 0
            and day_in_range(value)
        )

    def from_json(self, value: Any) -> Any:
        if isinstance(value, str) and _ISO_MOMENT.fullmatch(value):
            try:
                return dt.datetime.fromisoformat(value)
            except ValueError:
                return value
        return value

    def to_json(self, value: Any) -> Any:
        return value.isoformat()

    def to_durable(self, value: Any) -> Any:
        return moment_seconds(value)

    def hint(self, value: Any) -> str:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return "; drop the offset and give the workplace's local time"
        if isinstance(value, str) and re.search(r"(Z|[+-]\d\d:?\d\d)$", value):
            return "; drop the offset and give the workplace's local time"
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return "; add a time of day, e.g. T08:00"
        return ""


def moment_seconds(value: dt.datetime) -> int:
    """Seconds since 0001-01-01T00:00, the order durable compares moments in."""
    return (value.toordinal() * 86400) + value.hour * 3600 + value.minute * 60 + value.second


@attrs.frozen
class Month(Kind):
    """A calendar month, held as the date of its first day; ``YYYY-MM`` in JSON."""

    expected = "a month (YYYY-MM)"

    def check(self, value: Any) -> bool:
        return (
            isinstance(value, dt.date)
            and not isinstance(value, dt.datetime)
            and value.day == 1
            and day_in_range(value)
        )

    def from_json(self, value: Any) -> Any:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
            try:
                return dt.date.fromisoformat(value + "-01")
            except ValueError:
                return value
        return value

    def to_json(self, value: Any) -> Any:
        return value.isoformat()[:7]

    def show(self, value: Any, *, quoted: bool = True) -> str:
        return str(self.to_json(value))

    def to_durable(self, value: Any) -> Any:
        return value.toordinal()

    def hint(self, value: Any) -> str:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return f"; write the month only: {value[:7]!r}"
        return ""


@attrs.frozen
class Choice(Kind):
    """One of a fixed set of strings."""

    values: tuple[str, ...]

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.values)

    def check(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.values

    def hint(self, value: Any) -> str:
        return suggest(value, self.values) if isinstance(value, str) else ""


@attrs.frozen
class Optional(Kind):
    """Either ``None`` (absent) or a value of ``inner``."""

    inner: Kind

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"{self.inner.expected} or null"

    def check(self, value: Any) -> bool:
        return value is None or self.inner.check(value)

    def from_json(self, value: Any) -> Any:
        return None if value is None else self.inner.from_json(value)

    def to_json(self, value: Any) -> Any:
        return None if value is None else self.inner.to_json(value)

    def to_durable(self, value: Any) -> Any:
        return None if value is None else self.inner.to_durable(value)

    def show(self, value: Any, *, quoted: bool = True) -> str:
        return (
            show_value(None, quoted=quoted)
            if value is None
            else self.inner.show(value, quoted=quoted)
        )

    def hint(self, value: Any) -> str:
        return self.inner.hint(value)


@attrs.frozen
class Many(Kind):
    """A tuple of distinct values of ``inner`` (a JSON array)."""

    inner: Kind

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a list of distinct values, each {self.inner.expected}"

    def check(self, value: Any) -> bool:
        return (
            isinstance(value, tuple)
            and all(self.inner.check(v) for v in value)
            and len(set(value)) == len(value)
        )

    def from_json(self, value: Any) -> Any:
        return tuple(self.inner.from_json(v) for v in value) if isinstance(value, list) else value

    def to_json(self, value: Any) -> Any:
        return [self.inner.to_json(v) for v in value]

    def to_durable(self, value: Any) -> Any:
        return [self.inner.to_durable(v) for v in value]

    def show(self, value: Any, *, quoted: bool = True) -> str:
        items = ", ".join(self.inner.show(v, quoted=quoted) for v in value)
        return f"[{items}]" if quoted else items

    def hint(self, value: Any) -> str:
        if isinstance(value, tuple):
            for item in value:
                if not self.inner.check(item):
                    return self.inner.hint(item)
        return ""
