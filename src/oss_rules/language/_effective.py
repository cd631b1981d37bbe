"""Read effective dating from YAML: versioned params and a rule's effective window.

A param is versioned when its value is a list of mappings that each carry
``effective_from``; a rule has a window when it has ``effective_from``,
``effective_until`` or ``effective_on``. Every problem is reported at its line.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import suggest
from . import syntax as s
from ._parser import ParseError, parse_expr
from ._positions import _key_span, _node_span, _value_span
from ._versions import VERSION_KEYS, Version, Versioned

WINDOW_KEYS = ("effective_from", "effective_until", "effective_on")
"""The keys of a rule that set its effective window."""


def is_versioned(node: Any) -> bool:
    """Whether a param's YAML value is a list of effective-dated versions."""
    return (
        isinstance(node, CommentedSeq)
        and len(node) > 0
        and all(isinstance(v, CommentedMap) and "effective_from" in v for v in node)
    )


def read_versions(
    name: str, node: CommentedSeq, file: str, out: Any, plain: Any
) -> Versioned | None:
    """The versions of param ``name``; ``None`` (with diagnostics) when any is malformed.

    ``plain`` turns a YAML value into a plain Python one (the loader's own conversion).
    """
    versions: list[tuple[Version, s.Span]] = []
    ok = True
    for i, item in enumerate(node):
        span = _value_span(node, i, file)
        for key in item:
            if key not in VERSION_KEYS:
                out.add(
                    _key_span(item, key, file),
                    "OSS070",
                    f"unknown key `{key}` in a version of param `{name}`"
                    + suggest(str(key), VERSION_KEYS),
                    f"a version has {', '.join(VERSION_KEYS)}",
                )
                ok = False
        start = _date(item, "effective_from", name, file, out)
        until = (
            _date(item, "effective_until", name, file, out) if "effective_until" in item else None
        )
        if "value" not in item:
            out.add(
                span, "OSS070", f"a version of param `{name}` has no `value`", "add `value: ...`"
            )
            ok = False
        if start is None or (until is None and "effective_until" in item):
            ok = False
            continue
        if until is not None and until < start:
            out.add(
                _value_span(item, "effective_until", file),
                "OSS070",
                f"param `{name}`: effective_until {until} is before effective_from {start}",
                "swap the dates, or fix the year",
            )
            ok = False
            continue
        versions.append((Version(start, until, plain(item.get("value"))), span))
    if not ok:
        return None
    versions.sort(key=lambda pair: pair[0].start)
    for (earlier, _), (later, span) in itertools.pairwise(versions):
        if earlier.until is None or later.start <= earlier.until:
            out.add(
                span,
                "OSS071",
                f"param `{name}`: version {later} overlaps version {earlier}",
                f"end the earlier version the day before: effective_until: "
                f"{later.start - dt.timedelta(days=1)}",
            )
            ok = False
    return Versioned(name, tuple(v for v, _ in versions)) if ok else None


def gaps(param: Versioned) -> list[tuple[Version, Version]]:
    """Pairs of consecutive versions with days between them that no version covers."""
    pairs = itertools.pairwise(param.versions)
    return [
        (a, b) for a, b in pairs if a.until is not None and b.start > a.until + dt.timedelta(days=1)
    ]


class Malformed:
    """What :func:`read_window` returns for a window it reported problems in."""


MALFORMED = Malformed()


def read_window(
    item: CommentedMap, rule_id: str, file: str, out: Any
) -> s.Window | Malformed | None:
    """The rule's window; ``None`` if it has none, ``MALFORMED`` (reported) if malformed."""
    if not any(key in item for key in WINDOW_KEYS):
        return None
    start = _date(item, "effective_from", rule_id, file, out) if "effective_from" in item else None
    until = (
        _date(item, "effective_until", rule_id, file, out) if "effective_until" in item else None
    )
    if ("effective_from" in item and start is None) or (
        "effective_until" in item and until is None
    ):
        return MALFORMED
    if start is None and until is None:
        out.add(
            _key_span(item, "effective_on", file),
            "OSS072",
            f"rule `{rule_id}` has `effective_on` but no `effective_from` or `effective_until`",
            "add the dates between which the rule is in force",
        )
        return MALFORMED
    if start is not None and until is not None and until < start:
        out.add(
            _value_span(item, "effective_until", file),
            "OSS072",
            f"rule `{rule_id}`: effective_until {until} is before effective_from {start}",
            "swap the dates, or fix the year",
        )
        return MALFORMED
    on: s.Expr = s.Name(
        "as_of", span=_key_span(item, next(k for k in WINDOW_KEYS if k in item), file)
    )
    if "effective_on" in item:
        text = item["effective_on"]
        if not isinstance(text, str):
            out.add(
                _value_span(item, "effective_on", file),
                "OSS072",
                "`effective_on` must be an expression giving a date",
                "e.g. effective_on: p.month",
            )
            return MALFORMED
        span = _value_span(item, "effective_on", file)
        try:
            on = parse_expr(
                str(text), lambda line, col: s.Span(file, span.line, span.col + col - 1)
            )
        except ParseError as failure:
            out.diagnostics.append(failure.diagnostic)
            return MALFORMED
    return s.Window(start, until, on)


def _date(node: CommentedMap, key: str, owner: str, file: str, out: Any) -> dt.date | None:
    value = node.get(key)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    out.add(
        _value_span(node, key, file) if key in node else _node_span(node, file),
        "OSS070" if key in ("effective_from", "effective_until") and "value" in node else "OSS072",
        f"`{key}` of `{owner}` must be a date (YYYY-MM-DD), not {value!r}",
        f"write {key}: 2026-03-01",
    )
    return None
