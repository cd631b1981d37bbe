"""Drawing valid field values and consistent lists of facts: the machinery of ``strategies``.

Values come from each field's kind; dates are drawn as day offsets (or calendar months
and days, see :class:`MonthsAway`) and placed around ``as_of`` afterwards. Ids are given
by position (``w1``, ``w2``, ``h1``, ...), so a smaller example has smaller ids, and
references point at facts drawn before.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from ..model._fields import (
    Boolean,
    Choice,
    Day,
    Integer,
    Kind,
    Many,
    Moment,
    Month,
    Number,
    Optional,
    Text,
)
from ..model.registry import FactType

_WORDS = ("retail", "construction", "software")
_IDENTS = ("a", "b", "x1")


@attrs.frozen
class Edges:
    """Where drawn values cluster, read from what the rules compare with.

    ``numbers`` are thresholds and day counts: an int field is often ``n`` or next to
    it, a date often ``n`` days before as_of or next to it. ``months`` are signed
    offsets in calendar months (-12 for ``add_months(as_of, -12)``): a date is often
    that many months from as_of, or a day either side.
    """

    numbers: tuple[int, ...] = ()
    months: tuple[int, ...] = ()


@attrs.frozen
class MonthsAway:
    """A date drawn relative to as_of by calendar months: ``add_months(as_of, months)``,
    then ``days`` days on.

    ``add_months`` clamps a day the month lacks (2026-03-31 - 1 month = 2026-02-28).
    So when as_of is the last day of its month, ``months_between(d, as_of) >= 1``
    changes at the last day of the month before (2026-05-31 for as_of 2026-06-30), not
    at ``add_months(as_of, -1)`` (2026-05-30): ``to_end`` is that anchor, the last day
    of the month ``months`` away when as_of is the last day of its own month (on other
    days both anchors are one).
    """

    months: int
    days: int
    to_end: bool = False

    def date(self, as_of: dt.date) -> dt.date:
        """This date for evaluation date ``as_of``."""
        index = as_of.year * 12 + as_of.month - 1 + self.months
        year, month = divmod(index, 12)
        last = _last_day(year, month + 1)
        at_end = self.to_end and as_of.day == _last_day(as_of.year, as_of.month)
        day = last if at_end else min(as_of.day, last)
        return dt.date(year, month + 1, day) + dt.timedelta(days=self.days)


def _last_day(year: int, month: int) -> int:
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return (following - dt.timedelta(days=1)).day


def _month_edges(months: tuple[int, ...]) -> list[MonthsAway]:
    """Exactly ``m`` calendar months from as_of for each offset ``m`` of ``months``, and
    the day on either side; nearest first, so that an example shrinks towards as_of."""
    found = {
        MonthsAway(m, days, to_end)
        for m in months
        for days in (-1, 0, 1)
        for to_end in (False, True)
    }
    return sorted(found, key=lambda e: (abs(e.months), e.months > 0, e.to_end, abs(e.days), e.days))


@functools.cache
def raw_values(kind: Kind, edges: Edges) -> st.SearchStrategy[Any]:
    """Valid values of ``kind``, except that dates are day offsets from as_of (ints) or
    :class:`MonthsAway`.

    Cached: building strategies is the slow part of drawing many small facts.
    """
    match kind:
        case Choice(values=choices):
            return st.sampled_from(choices)
        case Text(ident=True):
            return st.sampled_from(_IDENTS) | st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.:/-]{0,7}\Z")
        case Text(empty=empty):
            text = st.text(min_size=0 if empty else 1, max_size=12)
            return st.sampled_from(_WORDS) | (text if empty else text.filter(str.strip))
        case Integer(minimum=low, maximum=high):
            if low is not None and high is not None and high - low < 32:
                # Uniform over a small range (likelihood 1..5): hypothesis favours the
                # ends of a range, and a band edge such as 3 x 5 = 15 sits inside it.
                return st.sampled_from(range(low, high + 1))
            low = low if low is not None else (-1000 if high is None else high - 1000)
            high = high if high is not None else low + 1000
            # Often right at a threshold the rules compare with, or next to it.
            near = {d for n in edges.numbers for d in (n - 1, n, n + 1) if low <= d <= high}
            numbers = st.integers(low, high)
            return numbers | st.sampled_from(sorted(near)) if near else numbers
        case Number():
            # Exact decimals with at most two places, as money and rates are written.
            cents = st.integers(-100_000_000, 100_000_000).map(lambda n: Decimal(n).scaleb(-2))
            return st.integers(-1000, 1000) | cents
        case Boolean():
            return st.booleans()
        case Moment():
            # A day offset (as for dates) and a second of that day, often a whole hour.
            seconds = st.sampled_from((0, 8 * 3600, 86399)) | st.integers(0, 86399)
            return st.tuples(raw_values(Day(), edges), seconds)
        case Month():
            # Month offsets: on each month offset of the rules and either side of it, or
            # anywhere from two years before to four months after.
            months = sorted(
                {m + d for m in edges.months for d in (-1, 0, 1)}, key=lambda m: (abs(m), m > 0)
            )
            offsets = st.integers(-24, 4)
            return offsets | st.sampled_from(months) if months else offsets
        case Day():
            # On as_of, on either side of as_of - n for each boundary n, or anywhere
            # from about two years before to four months after; or on (or next to) each
            # month offset. A ruleset that counts no months draws exactly as before, so
            # its samples (oss-rules diff --generate) stay the same.
            days = sorted({d for n in edges.numbers for d in (-n - 1, -n, -n + 1)}, key=abs)
            around = st.integers(-800, 120)
            drawn = around | st.sampled_from(days) if days else around
            return drawn | st.sampled_from(_month_edges(edges.months)) if edges.months else drawn
        case Optional(inner=inner):
            return st.none() | raw_values(inner, edges)
        case Many(inner=inner):
            return st.lists(raw_values(inner, edges), unique=True, max_size=4).map(tuple)
    raise TypeError(f"no strategy for field kind {kind!r}")


def dated(kind: Kind, value: Any, as_of: dt.date) -> Any:
    """A value drawn from ``raw_values(kind)`` with its day offsets turned into dates."""
    if value is None:
        return None
    match kind:
        case Day():
            return _day(value, as_of)
        case Moment():
            day, seconds = value
            start = _day(day, as_of)
            return dt.datetime(start.year, start.month, start.day) + dt.timedelta(seconds=seconds)
        case Month():
            index = as_of.year * 12 + as_of.month - 1 + value
            return dt.date(index // 12, index % 12 + 1, 1)
        case Optional(inner=inner):
            return dated(inner, value, as_of)
        case Many(inner=inner):
            # Two raw dates may be one day (-30 days and -1 month): a list stays unique.
            return tuple(dict.fromkeys(dated(inner, v, as_of) for v in value))
    return value


def _day(value: int | MonthsAway, as_of: dt.date) -> dt.date:
    if isinstance(value, MonthsAway):
        return value.date(as_of)
    return as_of + dt.timedelta(days=value)


def prefix(name: str) -> str:
    """The initial of a type's ids: ``w`` for Workplace."""
    return name[:1].lower() or "f"


@functools.cache
def ids(name: str) -> st.SearchStrategy[str]:
    """Readable ids for facts of type ``name``: w1, w2, ... for Workplace."""
    return st.integers(1, 9).map(lambda n: f"{prefix(name)}{n}")


def has_id(info: FactType) -> bool:
    """Whether facts of ``info`` have a text ``id`` (unique per type in an input)."""
    field = info.field("id")
    return field is not None and isinstance(field.kind, Text)


def draw_fields(
    draw: st.DrawFn,
    info: FactType,
    as_of: dt.date,
    edges: Edges,
    fixed: Mapping[str, st.SearchStrategy[Any]],
    skip: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Values for the settable fields of ``info`` (``fixed`` ones from their strategy)."""
    kwargs: dict[str, Any] = {}
    for field in info.fields:
        if not field.init or field.name in skip:
            continue
        if field.name in fixed:
            kwargs[field.name] = draw(fixed[field.name])
        elif field.references is not None:
            kwargs[field.name] = draw(ids(field.references))
        elif field.name == "id" and isinstance(field.kind, Text):
            kwargs[field.name] = draw(ids(info.name))
        else:
            kwargs[field.name] = dated(field.kind, draw(raw_values(field.kind, edges)), as_of)
    return kwargs


def ordered(types: Sequence[FactType]) -> list[FactType]:
    """``types`` with every referenced type before the types that reference it."""
    out: list[FactType] = []
    pending = list(types)
    while pending:
        names = {t.name for t in pending}
        ready = [t for t in pending if not any(f.references in names - {t.name} for f in t.fields)]
        out += ready or pending[:1]  # a cycle of references: break it anywhere
        pending = [t for t in pending if t not in out]
    return out


def draw_facts(
    draw: st.DrawFn,
    infos: Sequence[FactType],
    sizes: Mapping[str, tuple[int, int]],
    as_of: dt.date,
    edges: Edges,
) -> tuple[Any, ...]:
    """A consistent list of facts of ``infos``, grouped by type, referenced types first.

    A type that others reference gets (1, 3) facts unless ``sizes`` says otherwise, any
    other type (0, 6). Ids are given by position; a reference picks among the facts drawn
    for its type, and a fact whose required reference has nothing to point to is left out.
    """
    infos = ordered(infos)
    referenced = {f.references for t in infos for f in t.fields if f.references}
    made: dict[str, list[str]] = {}
    out: list[Any] = []
    for info in infos:
        low, high = sizes.get(info.name, (1, 3) if info.name in referenced else (0, 6))
        refs = tuple(f.name for f in info.fields if f.init and f.references is not None)
        skip = (("id",) if has_id(info) else ()) + refs
        # A list of rows, not a count and then rows, so that the shrinker can delete one.
        rows = draw(st.lists(_row(info, as_of, edges, skip), min_size=low, max_size=high))
        names = [f"{prefix(info.name)}{n}" for n in range(1, len(rows) + 1)]
        for row, fact_id in zip(rows, names, strict=True):
            if has_id(info):
                row["id"] = fact_id
            if _resolve(draw, info, row, made):
                out.append(info.cls(**row))
        made[info.name] = names if has_id(info) else []
    return tuple(out)


@st.composite
def _row(
    draw: st.DrawFn,
    info: FactType,
    as_of: dt.date,
    edges: Edges,
    skip: tuple[str, ...],
) -> dict[str, Any]:
    return draw_fields(draw, info, as_of, edges, {}, skip)


def _resolve(
    draw: st.DrawFn, info: FactType, kwargs: dict[str, Any], made: Mapping[str, list[str]]
) -> bool:
    """Point the references of a fact at drawn facts; False if a required one cannot be."""
    for ref in info.fields:
        if ref.references is None or not ref.init or ref.name in kwargs:
            continue
        known = made.get(ref.references, [])
        if known:
            kwargs[ref.name] = draw(st.sampled_from(known))
        elif isinstance(ref.kind, Optional):
            kwargs[ref.name] = None
        else:
            return False
    return True
