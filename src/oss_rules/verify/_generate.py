"""Drawing valid field values and consistent lists of facts: the machinery of ``strategies``.

Values come from each field's kind; dates are drawn as day offsets and placed around
``as_of`` afterwards. Ids are given by position (``w1``, ``w2``, ``h1``, ...), so a
smaller example has smaller ids, and references point at facts drawn before.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

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


@functools.cache
def raw_values(kind: Kind, boundaries: tuple[int, ...]) -> st.SearchStrategy[Any]:
    """Valid values of ``kind``, except that dates are day offsets from as_of.

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
            edges = sorted({d for n in boundaries for d in (n - 1, n, n + 1) if low <= d <= high})
            numbers = st.integers(low, high)
            return numbers | st.sampled_from(edges) if edges else numbers
        case Number():
            # Exact decimals with at most two places, as money and rates are written.
            cents = st.integers(-100_000_000, 100_000_000).map(lambda n: Decimal(n).scaleb(-2))
            return st.integers(-1000, 1000) | cents
        case Boolean():
            return st.booleans()
        case Moment():
            # A day offset (as for dates) and a second of that day, often a whole hour.
            seconds = st.sampled_from((0, 8 * 3600, 86399)) | st.integers(0, 86399)
            return st.tuples(raw_values(Day(), boundaries), seconds)
        case Month():
            return st.integers(-24, 4)
        case Day():
            # On as_of, on either side of as_of - n for each boundary n, or anywhere
            # from about two years before to four months after.
            edges = sorted({d for n in boundaries for d in (-n - 1, -n, -n + 1)}, key=abs)
            around = st.integers(-800, 120)
            return around | st.sampled_from(edges) if edges else around
        case Optional(inner=inner):
            return st.none() | raw_values(inner, boundaries)
        case Many(inner=inner):
            return st.lists(raw_values(inner, boundaries), unique=True, max_size=4).map(tuple)
    raise TypeError(f"no strategy for field kind {kind!r}")


def dated(kind: Kind, value: Any, as_of: dt.date) -> Any:
    """A value drawn from ``raw_values(kind)`` with its day offsets turned into dates."""
    if value is None:
        return None
    match kind:
        case Day():
            return as_of + dt.timedelta(days=value)
        case Moment():
            day, seconds = value
            start = as_of + dt.timedelta(days=day)
            return dt.datetime(start.year, start.month, start.day) + dt.timedelta(seconds=seconds)
        case Month():
            index = as_of.year * 12 + as_of.month - 1 + value
            return dt.date(index // 12, index % 12 + 1, 1)
        case Optional(inner=inner):
            return dated(inner, value, as_of)
        case Many(inner=inner):
            return tuple(dated(inner, v, as_of) for v in value)
    return value


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
    boundaries: tuple[int, ...],
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
            kwargs[field.name] = dated(field.kind, draw(raw_values(field.kind, boundaries)), as_of)
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
    boundaries: tuple[int, ...],
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
        rows = draw(st.lists(_row(info, as_of, boundaries, skip), min_size=low, max_size=high))
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
    boundaries: tuple[int, ...],
    skip: tuple[str, ...],
) -> dict[str, Any]:
    return draw_fields(draw, info, as_of, boundaries, {}, skip)


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
